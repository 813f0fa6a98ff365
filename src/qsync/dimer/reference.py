"""QuTiP construction of the dimer model in the full truncated Fock space (Eqs. 8, 25).

The block solver (:mod:`qsync.dimer.quantum`) takes its operators from here, and tests and
benchmarks use the full-space Liouvillian with ``qutip.mesolve`` as an independent reference.
Each mode is truncated at ``n_max`` photons (Hilbert-space dimension (n_max + 1)²). Basis order
is QuTiP's ``tensor(mode1, mode2)``: index = n1 (n_max + 1) + n2.

Truncation: the jump operators are built as products of truncated ladder operators, so
a_j†² annihilates |n_max − 1⟩ and |n_max⟩, and F†F is computed from the truncated F. The
truncated dissipator is then itself a valid GKSL generator with the truncated Gibbs state at β
stationary (detailed balance holds pairwise for every retained transition n ↔ n − 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import qutip

from .model import DimerParams

__all__ = [
    "DimerOperators",
    "dimer_operators",
    "initial_state",
    "truncated_thermal_probabilities",
    "linear_liouvillian",
    "mesolve_linear",
]


@dataclass(frozen=True)
class DimerOperators:
    """Operators of the truncated two-mode model (all ``qutip.Qobj``)."""

    n_max: int
    a1: qutip.Qobj
    a2: qutip.Qobj
    H0: qutip.Qobj
    Hc: qutip.Qobj
    jumps: tuple[qutip.Qobj, ...]  # √γ1⁻ a1², √γ1⁺ a1†², √γ2⁻ a2², √γ2⁺ a2†²
    jump_labels: tuple[str, ...] = ("a1^2", "a1+^2", "a2^2", "a2+^2")

    @property
    def n1(self) -> qutip.Qobj:
        return self.a1.dag() * self.a1

    @property
    def n2(self) -> qutip.Qobj:
        return self.a2.dag() * self.a2

    @property
    def c_op(self) -> qutip.Qobj:
        """a1†a2, whose expectation value is c (SPEC §5)."""
        return self.a1.dag() * self.a2

    @property
    def total_number(self) -> np.ndarray:
        """N = n1 + n2 of every basis state (the block label)."""
        n = np.arange(self.n_max + 1)
        return (n[:, None] + n[None, :]).ravel()

    def effective_hamiltonian(self) -> qutip.Qobj:
        """K = H0 + iHc − (i/2) Σ F†F; the linear generator is −i(Kρ − ρK†) + Σ FρF† (SPEC §5)."""
        return self.H0 + 1j * self.Hc - 0.5j * sum(f.dag() * f for f in self.jumps)


def dimer_operators(params: DimerParams, n_max: int) -> DimerOperators:
    """H0, Hc (Eq. 25) and the four two-photon jump operators, per-mode cutoff ``n_max``."""
    if n_max < 2:
        raise ValueError("n_max must be at least 2 (two-photon jumps)")
    dim = n_max + 1
    a = qutip.destroy(dim).to("csr")
    eye = qutip.qeye(dim).to("csr")
    a1 = qutip.tensor(a, eye)
    a2 = qutip.tensor(eye, a)
    w1, w2 = params.omega1, params.omega2
    id2 = qutip.tensor(eye, eye)
    H0 = w1 * (a1.dag() * a1 + 0.5 * id2) + w2 * (a2.dag() * a2 + 0.5 * id2)
    Hc = 0.5 * params.k * (a1.dag() * a2 + a2.dag() * a1)
    gm, gp = params.gamma_minus, params.gamma_plus
    jumps = (
        np.sqrt(gm[0]) * a1 * a1,
        np.sqrt(gp[0]) * a1.dag() * a1.dag(),
        np.sqrt(gm[1]) * a2 * a2,
        np.sqrt(gp[1]) * a2.dag() * a2.dag(),
    )
    return DimerOperators(n_max=n_max, a1=a1, a2=a2, H0=H0, Hc=Hc, jumps=jumps)


def truncated_thermal_probabilities(beta0: float, omega: float, n_max: int) -> np.ndarray:
    """p(n) ∝ e^{−β0 ω n}, n = 0..n_max, renormalized on the truncated ladder."""
    logp = -beta0 * omega * np.arange(n_max + 1)
    p = np.exp(logp - logp.max())
    return p / p.sum()


def initial_state(params: DimerParams, n_max: int) -> qutip.Qobj:
    """Product of thermal states at β0, each truncated at ``n_max`` and renormalized.

    The truncation removes the tail weight e^{−β0 ω_j (n_max+1)} of each mode; with β0 = β it
    makes the initial state exactly stationary under the truncated k = 0 dynamics.
    """
    p1 = truncated_thermal_probabilities(params.beta0, params.omega1, n_max)
    p2 = truncated_thermal_probabilities(params.beta0, params.omega2, n_max)
    # sparse diagonal: a dense product would be (n_max+1)⁴ numbers
    rho1 = qutip.qdiags(p1, 0).to("csr")
    rho2 = qutip.qdiags(p2, 0).to("csr")
    return qutip.tensor(rho1, rho2)


def linear_liouvillian(ops: DimerOperators) -> qutip.Qobj:
    """Superoperator of the LINEAR equation dρ̃/dt = −i[H0, ρ̃] + {Hc, ρ̃} + Σ D[F]ρ̃ (SPEC §5).

    The normalization term −2⟨Hc⟩ρ of Eq. 8 is dropped; ρ = ρ̃/tr ρ̃ solves Eq. 8 exactly.
    """
    L = -1j * (qutip.spre(ops.H0) - qutip.spost(ops.H0))
    L = L + qutip.spre(ops.Hc) + qutip.spost(ops.Hc)
    for f in ops.jumps:
        L = L + qutip.lindblad_dissipator(f)
    return L


def mesolve_linear(
    params: DimerParams,
    n_max: int,
    times: np.ndarray,
    *,
    atol: float = 1e-10,
    rtol: float = 1e-8,
    method: str = "adams",
    store_states: bool = False,
    nsteps: int = 10**6,
) -> dict[str, np.ndarray]:
    """Plain ``qutip`` integration of the linear equation on the full truncated space.

    Reference only (it integrates the full (n_max + 1)⁴ Liouvillian). Between consecutive
    output times the state is propagated by the QuTiP solver and then divided by its trace
    (restarting the solver), so the exponential growth e^{2∫⟨Hc⟩dt} cannot overflow.

    Returns
    -------
    dict
        ``n1``, ``n2``, ``c`` (complex ⟨a1†a2⟩), ``log_trace`` (ln tr ρ̃) at ``times``, and
        ``states`` (normalized ``Qobj`` list) if ``store_states``.
    """
    times = np.asarray(times, dtype=float)
    ops = dimer_operators(params, n_max)
    L = linear_liouvillian(ops)
    options = {
        "atol": atol,
        "rtol": rtol,
        "method": method,
        "nsteps": nsteps,
        "normalize_output": False,
        "progress_bar": "",
    }
    solver = qutip.MESolver(L, options=options)
    rho = initial_state(params, n_max)
    n1_op, n2_op, c_op = ops.n1, ops.n2, ops.c_op
    out = {name: np.empty(len(times), dtype=complex) for name in ("n1", "n2", "c")}
    log_trace = np.empty(len(times))
    states = []
    log_tr = 0.0

    def record(i, state):
        out["n1"][i] = qutip.expect(n1_op, state)
        out["n2"][i] = qutip.expect(n2_op, state)
        out["c"][i] = (c_op * state).tr()
        log_trace[i] = log_tr
        if store_states:
            states.append(state)

    record(0, rho)
    for i in range(1, len(times)):
        solver.start(rho, times[i - 1])
        rho = solver.step(times[i])
        tr = rho.tr().real
        log_tr += np.log(tr)
        rho = rho / tr
        record(i, rho)
    result = {
        "n1": out["n1"].real,
        "n2": out["n2"].real,
        "c": out["c"],
        "log_trace": log_trace,
    }
    if store_states:
        result["states"] = states
    return result
