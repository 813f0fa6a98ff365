"""A plain QuTiP reference for the dimer: the full truncated-space Liouvillian and ``mesolve``.

Tests and benchmarks integrate the whole (n_max + 1)⁴ Liouvillian of the operators of
:mod:`qsync.dimer.operators` with ``qutip.mesolve`` as an independent check of the block solver.
Nothing in the production path imports this module.
"""

from __future__ import annotations

import numpy as np
import qutip

from .model import DimerParams
from .operators import DimerOperators, dimer_operators, initial_state

__all__ = ["linear_liouvillian", "mesolve_linear"]


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
    truncation: str = "total",
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
    ops = dimer_operators(params, n_max, truncation)
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
    rho = initial_state(params, n_max, truncation)
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
