"""The dimer model as operators in a truncated Fock space (Eqs. 8, 25; SPEC §5).

H0, Hc, the four two-photon jump operators and the initial product thermal state, as QuTiP
objects in the space that truncates each mode at ``n_max`` photons (dimension (n_max + 1)², basis
order ``tensor(mode1, mode2)``: index = n1 (n_max + 1) + n2). The block solver
(:mod:`qsync.dimer.blocks`, :mod:`qsync.dimer.quantum`) cuts its photon-number blocks out of
these; the QuTiP reference (:mod:`qsync.dimer.reference`) integrates them whole. Two truncations
of the model are offered:

- ``truncation="total"`` (default): N = n1 + n2 ≤ n_max; every operator is projected, P X P,
  onto that subspace, which is a union of COMPLETE photon-number sectors.
- ``truncation="mode"``: n1, n2 ≤ n_max (a per-mode cutoff).

Both are reflecting: the jumps are products of truncated (or projected) operators, so a_j†²
cannot leave the retained space, and F†F is computed from the truncated F. The truncated
dissipator is a valid GKSL generator with the truncated Gibbs state at β stationary (detailed
balance holds pairwise for every retained transition n ↔ n − 2).

Why "total" is the default: the per-mode cutoff cuts sectors N > n_max down to
n1 ∈ [N − n_max, n_max] while their hopping amplitudes √(n1 (n2+1)) stay ~N/2. Those cut sectors
lose the anti-PT protection of the full ones (Δω J_z no longer dominates k J_x), and −iK_N
acquires eigenvalues with POSITIVE real part even for |k| < Δω: at the paper's parameters,
k = 0.5, n_max = 40, the cut sectors N = 48–72 grow at rates 4–9 per unit time while the complete
sectors of the same N decay. The normalized state then piles up at the cutoff, an artifact.
Complete sectors have no such artificial gain.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import qutip
import scipy.sparse as sp

from .model import DimerParams

__all__ = [
    "DimerOperators",
    "dimer_operators",
    "initial_state",
    "truncated_thermal_probabilities",
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
    truncation: str = "total"
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

    @property
    def kept(self) -> np.ndarray:
        """Basis states inside the retained space (all of them for ``truncation="mode"``)."""
        return _kept_mask(self.n_max, self.truncation)

    def effective_hamiltonian(self) -> qutip.Qobj:
        """K = H0 + iHc − (i/2) Σ F†F; the linear generator is −i(Kρ − ρK†) + Σ FρF† (SPEC §5)."""
        return self.H0 + 1j * self.Hc - 0.5j * sum(f.dag() * f for f in self.jumps)


def _kept_mask(n_max: int, truncation: str) -> np.ndarray:
    n = np.arange(n_max + 1)
    total = (n[:, None] + n[None, :]).ravel()
    if truncation == "mode":
        return np.ones(total.shape, dtype=bool)
    if truncation == "total":
        return total <= n_max
    raise ValueError(f"truncation must be 'mode' or 'total', got {truncation!r}")


def dimer_operators(params: DimerParams, n_max: int, truncation: str = "total") -> DimerOperators:
    """H0, Hc (Eq. 25) and the four two-photon jump operators, truncated at ``n_max``.

    ``truncation="mode"``: n1, n2 ≤ n_max; ``"total"``: n1 + n2 ≤ n_max (operators projected
    onto that subspace; the rest of the (n_max + 1)² QuTiP space is inert). See module notes.
    """
    if n_max < 2:
        raise ValueError("n_max must be at least 2 (two-photon jumps)")
    kept = _kept_mask(n_max, truncation)
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
    if truncation == "total":
        proj = qutip.Qobj(sp.diags(kept.astype(float)).tocsr(), dims=H0.dims).to("csr")
        H0, Hc = proj * H0 * proj, proj * Hc * proj
        jumps = tuple(proj * f * proj for f in jumps)
        a1, a2 = proj * a1 * proj, proj * a2 * proj
    return DimerOperators(n_max=n_max, a1=a1, a2=a2, H0=H0, Hc=Hc, jumps=jumps,
                          truncation=truncation)


def truncated_thermal_probabilities(beta0: float, omega: float, n_max: int) -> np.ndarray:
    """p(n) ∝ e^{−β0 ω n}, n = 0..n_max, renormalized on the truncated ladder."""
    logp = -beta0 * omega * np.arange(n_max + 1)
    p = np.exp(logp - logp.max())
    return p / p.sum()


def initial_state(params: DimerParams, n_max: int, truncation: str = "total") -> qutip.Qobj:
    """Product of thermal states at β0, restricted to the retained space and renormalized.

    ``"mode"``: each mode truncated at ``n_max`` (tail weight e^{−β0 ω_j (n_max+1)} removed);
    ``"total"``: the product state restricted to n1 + n2 ≤ n_max. With β0 = β either is exactly
    stationary under the truncated k = 0 dynamics.
    """
    p1 = truncated_thermal_probabilities(params.beta0, params.omega1, n_max)
    p2 = truncated_thermal_probabilities(params.beta0, params.omega2, n_max)
    p = np.outer(p1, p2).ravel() * _kept_mask(n_max, truncation)
    # sparse diagonal: a dense matrix would be (n_max+1)⁴ numbers
    dim = n_max + 1
    return qutip.Qobj(sp.diags(p / p.sum()).tocsr(), dims=[[dim, dim], [dim, dim]])
