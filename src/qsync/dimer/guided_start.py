"""Guided (importance-sampled) initial states for the weighted jump trajectories (SPEC §5, §5b).

The late-time state of the linear dimer equation (SPEC §5) is carried by rare initial
components that the no-jump generator K_N = H0 + iHc − (i/2)Σ_j F_j†F_j amplifies strongly
(for |k| < |Δω| transiently, by up to e^{2αN} with tanh α = |k|/|Δω|, SPEC §5b). These
components are *superpositions* of Fock states (the amplified direction of a non-normal
matrix), so drawing Fock states cannot find them efficiently. Here the initial block of sector
N0, P = diag(p1(n1) p2(N0 − n1)), is decomposed exactly along the amplified directions:

    A = G_N(τ) P^{1/2} = U S V†,   P = Σ_i φ̃_i φ̃_i†,   φ̃_i = P^{1/2} v_i,

where G_N(τ) is the guide propagator of the sector over the guide time τ:

- ``"svd"``: G = e^{−iK_Nτ}, the full damped no-jump propagator; then the no-jump part of
  ρ̃_N(τ) is exactly Σ_i s_i² u_i u_i†, so s_i² is the weight that start i keeps without a jump;
- ``"svd_undamped"``: G = e^{−i(H0 + iHc)τ} (no two-photon terms): the norm that start i would
  gain if the jumps exactly compensated the damping (trace preserving).

Starts (N0, i) are drawn jointly over the sectors of a band with probability

    q_i ∝ (1 − ε) s_i^{2θ} ‖φ̃_i‖^{2(1−θ)} / Σ(...) + ε ‖φ̃_i‖² / Σ‖φ̃‖²

(θ tempers the guide; the defensive share ε keeps q_i > 0 wherever ‖φ̃_i‖ > 0, so that no
component of ρ(0) is missed even where the guide underflows). A walker starts at φ̃_i/‖φ̃_i‖
with weight ‖φ̃_i‖²/(P_b q_i) (P_b = Σ_i ‖φ̃_i‖² the band's prior mass), so the weighted start
represents ρ(0) restricted to the band, divided by P_b, *exactly* in distribution:
E[W ψψ†] = Σ_i φ̃_i φ̃_i†/P_b. Only V has to be unitary (it is, to rounding) for this to hold;
the accuracy of the singular values affects the variance, not the bias.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import scipy.linalg as sla

from .diagnostics import sector_effective_hamiltonian
from .expmv import KrylovPropagator
from .model import DimerParams
from .quantum import ExactSolver

__all__ = ["GUIDES", "sector_guide", "band_guide", "sample_guided"]

GUIDES = ("svd", "svd_undamped", "adjoint")


def _log_prior_block(params: DimerParams, n0: int) -> np.ndarray:
    """ln p1(n1) p2(N0 − n1), n1 = 0..N0 (product thermal state at β0)."""
    n1 = np.arange(n0 + 1)
    x1, x2 = params.beta0 * params.omega1, params.beta0 * params.omega2
    norm = np.log(-np.expm1(-x1)) + np.log(-np.expm1(-x2))
    return norm - x1 * n1 - x2 * (n0 - n1)


def sector_guide(params: DimerParams, n0: int, tau: float, kind: str = "svd"):
    """Exact decomposition of the sector-N0 initial block along the guide's directions.

    Parameters
    ----------
    params : DimerParams
        Model parameters.
    n0 : int
        Sector (total photon number).
    tau : float
        Guide time τ > 0.
    kind : {"svd", "svd_undamped"}
        Guide propagator (module docstring).

    Returns
    -------
    phi : ndarray, shape (N0 + 1, N0 + 1)
        Columns φ̃_i/‖φ̃_i‖ (normalized initial states, basis n1 = 0..N0).
    log_norm2 : ndarray
        ln ‖φ̃_i‖² (absolute: Σ_i ‖φ̃_i‖² = tr P, the sector's prior mass).
    log_gain : ndarray
        ln s_i² (absolute, including the prior), −inf where the guide underflows.
    """
    if kind not in GUIDES:
        raise ValueError(f"unknown guide {kind!r}; choose from {GUIDES}")
    if kind == "svd_undamped":
        params = DimerParams(omega1=params.omega1, omega2=params.omega2, gamma1=0.0,
                             gamma2=0.0, beta=params.beta, k=params.k, beta0=params.beta0)
    K = sector_effective_hamiltonian(params, int(n0))
    # the log-norm of −iK is at most |k|N/2 (Hc) minus the loss: shift it out against overflow
    shift = 0.5 * abs(params.k) * n0 * tau
    G = sla.expm(-1j * tau * K - shift * np.eye(n0 + 1))
    logp = _log_prior_block(params, n0)
    pmax = logp.max()
    sqrt_p = np.exp(0.5 * (logp - pmax))
    _, s, vh = np.linalg.svd(G * sqrt_p[None, :])
    phi = sqrt_p[:, None] * vh.conj().T  # columns φ̃_i (rescaled by e^{−pmax/2})
    nrm2 = np.sum(np.abs(phi) ** 2, axis=0)
    with np.errstate(divide="ignore"):
        log_gain = 2.0 * np.log(s) + pmax + 2.0 * shift
        log_norm2 = np.log(nrm2) + pmax
    return phi / np.sqrt(nrm2)[None, :], log_norm2, log_gain


@lru_cache(maxsize=4)
def adjoint_importance(params: DimerParams, n_max: int, tau: float) -> tuple[np.ndarray, ...]:
    """Q_N(τ) = e^{L†τ}(1) on the sectors N ≤ n_max (exact solver's total cutoff), cached.

    L† is the adjoint (Heisenberg) generator of the linear equation (SPEC §5), so
    tr ρ̃(τ) = Σ_N tr(Q_N ρ_N(0)): ⟨φ|Q_N|φ⟩ is the exact weight at τ of a walker started at
    φ (jumps included), up to the cutoff. Propagated in the real Hermitian coordinates of
    :mod:`.blocks` (dg/dt = Bᵀg, g(0) the trace functional) by the Krylov propagator.

    Returns
    -------
    tuple of ndarray
        Q_N as dense Hermitian matrices (basis n1 = 0..N), N = 0..n_max, each scaled by
        e^{−log_scale}; the last entry is the array [log_scale].
    """

    solver = ExactSolver(params, int(n_max), truncation="total", propagator="krylov")
    emb, model = solver.embedding, solver.model
    prop = KrylovPropagator(emb.B.T.tocsr())
    g = solver._w_trace.copy()
    log_scale = 0.0
    n_sub = max(1, int(np.ceil(tau / solver.max_step)))
    for _ in range(n_sub):
        g = prop.apply(g, tau / n_sub)
        nrm = float(np.max(np.abs(g)))
        g /= nrm
        log_scale += np.log(nrm)
    c = emb.Q.T @ g  # g·x = Re(c·v) with c nonzero on the upper triangles only
    out = []
    for b, idx in enumerate(model.basis):
        sz = len(idx)
        C = c[model.offsets[b] : model.offsets[b + 1]].reshape(sz, sz)
        up = np.triu(C, 1)
        out.append(0.5 * (up.T + up.conj()) + np.diag(np.diag(C).real))
    return (*out, np.array([log_scale]))


def _adjoint_sector(params: DimerParams, n0: int, q: np.ndarray, log_scale: float):
    """Exact decomposition of P_N along the eigenvectors of P^{1/2} Q_N P^{1/2}."""
    logp = _log_prior_block(params, n0)
    pmax = logp.max()
    sqrt_p = np.exp(0.5 * (logp - pmax))
    mat = sqrt_p[:, None] * q * sqrt_p[None, :]
    ev, vec = np.linalg.eigh(0.5 * (mat + mat.conj().T))
    phi = sqrt_p[:, None] * vec
    nrm2 = np.sum(np.abs(phi) ** 2, axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        log_gain = np.where(ev > 0, np.log(np.maximum(ev, 1e-300)), -np.inf) + pmax + log_scale
        log_norm2 = np.log(nrm2) + pmax
    return phi / np.sqrt(nrm2)[None, :], log_norm2, log_gain


@lru_cache(maxsize=16)
def band_guide(params: DimerParams, lo: int, hi: int, tau: float, kind: str,
               n_max: int | None = None):
    """:func:`sector_guide` for every sector N0 ∈ [lo, hi), stacked (cached per process).

    Returns
    -------
    phis : list of ndarray
        Per sector, the normalized starts as columns.
    n0 : ndarray
        Sector of each start (concatenated over sectors).
    col : ndarray
        Column index of each start within its sector.
    log_norm2, log_gain : ndarray
        As in :func:`sector_guide`, concatenated.
    """
    phis, n0s, cols, ln2, lg = [], [], [], [], []
    if kind == "adjoint":
        if n_max is None:
            raise ValueError("the adjoint guide needs its cutoff n_max")
        qs = adjoint_importance(params, int(n_max), float(tau))
    for n in range(int(lo), int(hi)):
        if kind != "adjoint":
            phi, a, g = sector_guide(params, n, tau, kind)
        elif n <= n_max:
            phi, a, g = _adjoint_sector(params, n, qs[n], float(qs[-1][0]))
        else:  # beyond the guide's cutoff: Fock states, drawn only by the defensive share
            phi, a, g = np.eye(n + 1), _log_prior_block(params, n), np.full(n + 1, -np.inf)
        phis.append(phi)
        n0s.append(np.full(n + 1, n))
        cols.append(np.arange(n + 1))
        ln2.append(a)
        lg.append(g)
    return (phis, np.concatenate(n0s), np.concatenate(cols), np.concatenate(ln2),
            np.concatenate(lg))


def _log_normalized(x: np.ndarray) -> np.ndarray:
    finite = np.isfinite(x)
    m = x[finite].max()
    return x - (m + np.log(np.sum(np.exp(x[finite] - m))))


def sample_guided(params: DimerParams, lo: int, hi: int, m: int, rng: np.random.Generator,
                  tau: float, kind: str = "svd", theta: float = 1.0, mix: float = 0.1,
                  n_max: int | None = None):
    """M guided starts of band [lo, hi) (systematic sampling) and their ln weights.

    Parameters
    ----------
    params : DimerParams
        Model parameters.
    lo, hi : int
        Band of initial total photon numbers N0 ∈ [lo, hi).
    m : int
        Number of walkers.
    rng : numpy.random.Generator
        The replica's stream (one uniform is drawn).
    tau : float
        Guide time.
    kind : str
        ``"svd"``, ``"svd_undamped"`` (:func:`sector_guide`) or ``"adjoint"``
        (:func:`adjoint_importance`: the exact importance Q(τ) up to the cutoff ``n_max``).
    theta : float
        Tempering exponent θ ∈ [0, 1] (1: q ∝ s²; 0: q ∝ ‖φ̃‖², no guiding).
    mix : float
        Defensive share ε ∈ (0, 1] of the unguided proposal ‖φ̃‖².
    n_max : int, optional
        Cutoff of the adjoint guide (sectors above it are drawn only by the defensive share).

    Returns
    -------
    n0 : ndarray of int
        Initial sector of each walker.
    states : list of ndarray
        Normalized initial vector of each walker (length N0 + 1, basis n1 = 0..N0).
    log_w : ndarray
        ln of the initial weights ‖φ̃‖²/(P_b q), mean 1 in expectation.
    """
    if not (0.0 <= theta <= 1.0 and 0.0 < mix <= 1.0):
        raise ValueError("need 0 <= theta <= 1 and 0 < mix <= 1")
    phis, n0, col, log_a, log_g = band_guide(params, int(lo), int(hi), float(tau), kind,
                                             n_max)
    log_pa = _log_normalized(log_a)  # ln(‖φ̃‖²/P_b)
    with np.errstate(invalid="ignore"):
        log_t = np.where(np.isfinite(log_g), theta * log_g + (1.0 - theta) * log_a, -np.inf)
    if np.isfinite(log_t).any():
        log_pt = _log_normalized(log_t)
        log_q = np.logaddexp(np.log1p(-mix) + log_pt if mix < 1 else -np.inf,
                             np.log(mix) + log_pa)
    else:  # the guide knows nothing about this band (e.g. above the adjoint cutoff)
        log_q = log_pa
    q = np.exp(log_q - log_q.max())
    cdf = np.cumsum(q)
    cdf /= cdf[-1]
    u = (np.arange(m) + rng.random()) / m
    idx = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)
    log_w = log_pa[idx] - log_q[idx]
    states = [phis[int(n0[j]) - int(lo)][:, int(col[j])] for j in idx]
    return n0[idx].astype(np.int64), states, log_w


def guide_ess(params: DimerParams, lo: int, hi: int, tau: float, kind: str = "svd",
              theta: float = 1.0, mix: float = 0.1, n_max: int | None = None) -> float:
    """Expected ESS fraction of the no-jump part at τ: (Σ q w s²/a)²/(Σ q (w s²/a)²).

    A diagnostic of the guide alone (the weight each start would carry at τ if it did not
    jump, relative to its proposal probability); 1 means perfectly guided.
    """
    _, _, _, log_a, log_g = band_guide(params, int(lo), int(hi), float(tau), kind, n_max)
    log_pa = _log_normalized(log_a)
    log_t = np.where(np.isfinite(log_g), theta * log_g + (1.0 - theta) * log_a, -np.inf)
    log_q = np.logaddexp(np.log1p(-mix) + _log_normalized(log_t) if mix < 1 else -np.inf,
                         np.log(mix) + log_pa)
    # weight at τ of start i: w_i × s_i²/a_i
    with np.errstate(invalid="ignore"):
        log_v = np.where(np.isfinite(log_g), log_pa - log_q + log_g - log_a, -np.inf)
    fin = np.isfinite(log_v)
    lv = log_v[fin] - log_v[fin].max()
    lq = log_q[fin]
    num = np.sum(np.exp(lq + lv)) ** 2
    den = np.sum(np.exp(lq + 2 * lv))
    return float(num / den)
