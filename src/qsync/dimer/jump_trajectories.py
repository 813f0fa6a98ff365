"""Population-controlled weighted quantum-jump trajectories of the linear dimer equation.

Eq. 8 is solved exactly by the linear equation (SPEC §5)

    dρ̃/dt = −i(Kρ̃ − ρ̃K†) + Σ_j F_j ρ̃ F_j†,   K = H0 + iHc − (i/2) Σ_j F_j†F_j,

followed by ρ = ρ̃/tr ρ̃ (Hc of Eq. 25, the four two-photon jumps F_j = √γ_j^∓ a_j², a_j†²).
Its unravelling into weighted pure states is exact in distribution: ρ̃(t) = E[W ψψ†] when

- ψ (normalized) follows the no-jump evolution ψ → e^{−iKh}ψ/‖·‖,
- jumps ψ → F_jψ/‖F_jψ‖ happen at rates r_j = ‖F_jψ‖² (so e^{−∫Σr} is the survival
  probability that the −(i/2)ΣF†F part removes from the norm),
- the weight obeys dW = 2⟨Hc⟩_ψ W dt (the norm that the anti-Hermitian coupling adds).

Between jumps ψ stays in one photon-number sector N = n1 + n2 (basis |n1, N − n1⟩, n1 = 0..N),
where K is tridiagonal: in spin-N/2 form −iK_N = −iω2N + iΔω n1 + k J_x − ½ L(n1) with
Δω = ω2 − ω1, J_x = (a1†a2 + a2†a1)/2 and L = Σ_j F_j†F_j diagonal (SPEC §5b). The global
phase −iω2N t is dropped: different walkers never interfere.

**Time step (why this splitting).** The weight grows like e^{k N t}, so a relative error ε in
the growth exponent reweights walkers whose N differ by ΔN by e^{ε k ΔN t}: the coupling part
must be integrated essentially exactly. One step of length h is the Strang splitting

    C(h/2) · [P B](h) · C(h/2),

with C(τ) = e^{τHc} applied by its Chebyshev series, exact to rounding (Hc_N is real symmetric
with spectrum k·m, |m| ≤ N/2, so the modified-Bessel coefficients I_j(τ|k|N/2) are known per
walker); its norm gain is the weight. [P B](h) is the rest of the generator, solved exactly:
the phase P = e^{iΔω n1 h} and the dissipative part B (no-jump decay e^{−τL/2}, jumps at
rates ‖F_jψ‖²), event-driven with exact jump times because L is diagonal (Newton on the
survival probability). P commutes with B up to a global phase. Adjacent half steps of C are
merged. The splitting error is O(h²); in the su(2) part (Δω J_z against k J_x) it stays in
su(2), i.e. acts like an O(h²Δω²) relative change of k and Δω with no factor N. Convergence
control: ``dt_max``.

**Initial state and strata.** ρ(0) is the product thermal state at β0, a mixture of Fock states
|n1, n2⟩. The late-time state is carried by high-N initial components of tiny prior weight
(SPEC §5, §5b), so the initial total photon number N0 is stratified into bands; each band
starts M walkers from the exact thermal prior restricted to the band (systematic sampling of
its (n1, n2) pairs) and keeps its own population, so

    tr ρ̃(t) = Σ_b P_b Z_b(t),   ⟨O⟩ = Σ_b P_b Z_b ⟨O⟩_b / Σ_b P_b Z_b,

with P_b the exact prior mass of band b and Z_b the band's mean weight.

**Population control.** Plain weights degenerate (log-variance ~ k N t). Each band is
resampled (systematic resampling, Giardinà, Kurchan & Peliti, PRL 96, 120603 (2006); for
state-dependent weights of quantum trajectories Carollo & Pérez-Espigares (2019)) whenever
its effective sample size drops below ``resample_ess`` × M; ln Z_b accumulates the log mean
weight at every resampling. Every jump time is drawn afresh (event-driven,
memoryless), so clones need no clock bookkeeping. Z_b is unbiased; the normalized averages carry a
finite-population bias towards the untilted dynamics (D too high, too few photons). It is below
the statistical error at F ≥ 300 (k = 1) and F ≥ 1000 (k = 5) with M ≈ 24–96, removable there by
:func:`extrapolate_walkers`, but at F = 100, k = 1 it falls only like ~M^{−1/2} (measured; see
docs/research/large-photon-solver.md): always compare two M. Twisted resampling
(``JumpSettings.twist_time``: select ∝ W⟨ψ|Q(τ_h)|ψ⟩ with Q the adjoint evolution of the
identity, children restart with weight 1/h) is exact for any twist and removes that bias at
F = 100, k = 1 (measured there; it needs an adjoint solve up to a moderate cutoff, SPEC §5).

**Replicas and errors.** Replica r uses ``SeedSequence(seed, spawn_key=(r,))`` and depends on
nothing else, so any split of replicas into jobs gives bit-identical per-replica arrays;
:func:`combine_replicas` averages the replicas' own estimates with equal weight and gives
delete-one jackknife standard errors (pooling through Z would let one replica dominate once
ln Z has random-walked apart; ``replica_ess`` reports that spread).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.special import ive, logsumexp

from .guided_start import sample_guided
from .model import DimerParams
from .moments import moments_dataset

__all__ = [
    "JumpSettings",
    "band_priors",
    "run_replica",
    "run_replicas",
    "combine_replicas",
    "concat_replicas",
    "extrapolate_walkers",
    "solve_jumps",
]


@dataclass(frozen=True)
class JumpSettings:
    """Convergence controls of the trajectory method.

    Parameters
    ----------
    walkers : int
        Walkers per band and replica (M). The normalized averages carry an O(1/M) bias.
    band_edges : sequence of int
        Edges of the initial-photon-number strata: band b holds N0 ∈ [edges[b], edges[b+1]).
        The last edge is the largest initial N0 + 1 kept; check ``top_band_weight``.
    dt_max : float
        Largest time step (bounds the Strang splitting error, O(h²) in the su(2) part and
        the loss-coupling commutator).
    merge_time : float or None
        From this time on all bands form one population (:meth:`_Walkers.merge`); ``None``
        keeps them apart. Set it after the bands have relaxed to a common state (compare runs
        with different merge times).
    guide_time : float or None
        Guide time τ of an importance-sampled start (kind: ``guide``), with population control
        suspended until τ; ``None``: plain prior sampling of Fock states (the default).
    guide : {"fock", "svd", "svd_undamped"}
        ``"fock"``: initial Fock states drawn ∝ prior × their undamped no-jump amplification
        over τ (:func:`_sample_band`; measured *worse* than plain sampling at F = 100, k = 1,
        docs/research/large-photon-solver.md). ``"svd"``/``"svd_undamped"``: the exact
        SVD decomposition of each sector's initial block along the directions that the damped /
        undamped no-jump propagator amplifies most (:mod:`.guided_start`, SPEC §5, §5b); walkers
        start as superpositions. Experimental; O(N0³) set-up per sector (cached per process).
    guide_theta : float
        Tempering θ ∈ [0, 1] of the SVD guide (q ∝ s^{2θ}‖φ̃‖^{2(1−θ)}).
    guide_mix : float
        Defensive share ε ∈ (0, 1] of unguided proposals in the SVD guide.
    guide_nmax : int or None
        Cutoff of the ``"adjoint"`` guide: the starts are decomposed along the eigenvectors of
        P^{1/2} Q_N(τ) P^{1/2}, Q(τ) = e^{L†τ}(1) the exact adjoint (importance) evolution
        computed with the exact solver's total cutoff (:func:`.guided_start.adjoint_importance`).
    twist_time : float or None
        Look-ahead τ_h of twisted resampling (:meth:`_Walkers.resample`): walkers are selected
        ∝ W h(ψ) with h(ψ) = ⟨ψ|Q_N(τ_h)|ψ⟩, Q(τ_h) = e^{L†τ_h}(1) the adjoint (importance)
        evolution of the linear equation (SPEC §5) up to ``twist_nmax``; ``None``: plain
        resampling ∝ W (the default). Exact for any h; experimental.
    twist_nmax : int
        Total-photon cutoff of the twist's adjoint evolution (dense blocks, exact solver cost).
    twist_kind : {"adjoint", "number"}
        ``"adjoint"``: h as above. ``"number"``: h = e^{s N} with s = ``twist_slope``
        (a photon-number twist that needs no adjoint solve; ``twist_time`` is then unused).
    twist_slope : float
        s of the ``"number"`` twist.
    twist_steps : int
        1: fixed look-ahead τ_h. G > 1: the look-ahead is min(τ_h, time to the next output
        time), rounded up to the grid τ_h g/G (G adjoint solves; no twist at the output time
        itself), so that the population aims at the next estimate rather than past it.
    resample_ess : float
        Resample a band when its effective sample size falls below this fraction of M.
    cheb_tol : float
        Truncation tolerance of the Chebyshev series of e^{hHc} (relative to e^{h|k|N/2}).
    """

    walkers: int = 200
    band_edges: tuple[int, ...] = (0, 4, 8, 12, 16, 20, 24, 32)
    dt_max: float = 0.005
    merge_time: float | None = None
    guide_time: float | None = None
    guide: str = "fock"
    guide_theta: float = 1.0
    guide_mix: float = 0.1
    guide_nmax: int | None = None
    twist_time: float | None = None
    twist_nmax: int = 40
    twist_kind: str = "adjoint"
    twist_steps: int = 1
    twist_slope: float = 0.0
    resample_ess: float = 0.5
    cheb_tol: float = 1e-15

    def __post_init__(self):
        edges = np.asarray(self.band_edges)
        if edges.ndim != 1 or len(edges) < 2 or np.any(np.diff(edges) <= 0) or edges[0] < 0:
            raise ValueError("band_edges must be strictly increasing non-negative integers")
        if self.walkers < 2:
            raise ValueError("need at least 2 walkers per band")
        if not (self.dt_max > 0 and 0 < self.resample_ess <= 1):
            raise ValueError("need dt_max > 0 and 0 < resample_ess <= 1")
        if self.guide not in ("fock", "svd", "svd_undamped", "adjoint"):
            raise ValueError(f"unknown guide {self.guide!r}")
        if self.twist_steps < 1:
            raise ValueError("twist_steps must be >= 1")
        if self.twist_kind not in ("adjoint", "number"):
            raise ValueError(f"unknown twist {self.twist_kind!r}")
        if not (0 <= self.guide_theta <= 1 and 0 < self.guide_mix <= 1):
            raise ValueError("need 0 <= guide_theta <= 1 and 0 < guide_mix <= 1")

    def to_attrs(self) -> dict:
        return {
            "walkers": int(self.walkers),
            "band_edges": np.asarray(self.band_edges, dtype=int),
            "dt_max": float(self.dt_max),
            "merge_time": float("nan") if self.merge_time is None else float(self.merge_time),
            "guide_time": float("nan") if self.guide_time is None else float(self.guide_time),
            "guide": str(self.guide),
            "guide_theta": float(self.guide_theta),
            "guide_mix": float(self.guide_mix),
            "guide_nmax": -1 if self.guide_nmax is None else int(self.guide_nmax),
            "twist_time": float("nan") if self.twist_time is None else float(self.twist_time),
            "twist_nmax": int(self.twist_nmax),
            "twist_kind": str(self.twist_kind),
            "twist_steps": int(self.twist_steps),
            "twist_slope": float(self.twist_slope),
            "resample_ess": float(self.resample_ess),
            "cheb_tol": float(self.cheb_tol),
        }


# -- the initial thermal prior -------------------------------------------------------------------
def _band_pairs(params: DimerParams, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    """All (n1, N0) with lo ≤ N0 < hi and ln of their thermal probability p1(n1) p2(N0 − n1)."""
    n0 = np.concatenate([np.full(n + 1, n) for n in range(lo, hi)])
    n1 = np.concatenate([np.arange(n + 1) for n in range(lo, hi)])
    x1, x2 = params.beta0 * params.omega1, params.beta0 * params.omega2
    log_norm = np.log(-np.expm1(-x1)) + np.log(-np.expm1(-x2))
    return np.stack([n1, n0]), log_norm - x1 * n1 - x2 * (n0 - n1)


def band_priors(params: DimerParams, band_edges: Sequence[int]) -> np.ndarray:
    """ln P_b, the exact thermal prior mass of each band of initial N0 (SPEC §5: β0)."""
    edges = np.asarray(band_edges, dtype=int)
    return np.array([logsumexp(_band_pairs(params, int(lo), int(hi))[1])
                     for lo, hi in zip(edges[:-1], edges[1:], strict=True)])


def _log_guide(params: DimerParams, pairs: np.ndarray, tau: float) -> np.ndarray:
    """ln ‖e^{−i(H0 + iHc)τ}|n1, N0 − n1⟩‖²: the undamped no-jump amplification of each start.

    Dense expm per sector (O(N0³)): meant for N0 up to a few hundred.
    """
    from scipy.linalg import expm

    from .diagnostics import sector_effective_hamiltonian

    undamped = DimerParams(omega1=params.omega1, omega2=params.omega2, gamma1=0.0, gamma2=0.0,
                           beta=params.beta, k=params.k, beta0=params.beta0)
    out = np.empty(pairs.shape[1])
    for n0 in np.unique(pairs[1]):
        u = expm(-1j * tau * sector_effective_hamiltonian(undamped, int(n0)))
        col = np.sum(np.abs(u) ** 2, axis=0)  # ‖U e_{n1}‖² for every n1
        sel = pairs[1] == n0
        out[sel] = np.log(col[pairs[0, sel]])
    return out


def _sample_band(params: DimerParams, lo: int, hi: int, m: int, rng: np.random.Generator,
                 guide_time: float | None = None):
    """M initial Fock states (n1, N0) of the band (systematic sampling) and their ln weights.

    Without a guide: from the prior restricted to the band, weights 1. With ``guide_time`` τ:
    from prior × G (G = :func:`_log_guide`), with weights P_b⁻¹ Σ_band pG / G so that the
    weighted sample still represents the prior exactly (importance sampling); walkers whose
    start is amplified most are drawn more often and carry less weight.
    """
    pairs, logp = _band_pairs(params, lo, hi)
    log_q = logp if guide_time is None else logp + _log_guide(params, pairs, guide_time)
    p = np.exp(log_q - log_q.max())
    cdf = np.cumsum(p)
    cdf /= cdf[-1]
    u = (np.arange(m) + rng.random()) / m
    idx = np.minimum(np.searchsorted(cdf, u, side="right"), len(cdf) - 1)
    log_w = np.zeros(m)
    if guide_time is not None:
        log_w = (logsumexp(log_q) - logsumexp(logp)) - (log_q[idx] - logp[idx])
    return pairs[0, idx], pairs[1, idx], log_w


# -- one population of walkers -------------------------------------------------------------------
def _lse(a: np.ndarray) -> np.ndarray:
    """ln Σ e^a along the last axis (rows with a finite entry only; scipy's is slower)."""
    m = a.max(axis=-1)
    return m + np.log(np.sum(np.exp(a - m[..., None]), axis=-1))


def _norm2(psi: np.ndarray) -> np.ndarray:
    """Squared norm of each row."""
    return np.einsum("ij,ij->i", psi.real, psi.real) + np.einsum("ij,ij->i", psi.imag, psi.imag)


class _Walkers:
    """Walkers of all bands of one replica, padded to a common sector width L."""

    def __init__(self, params: DimerParams, settings: JumpSettings, rng: np.random.Generator):
        self.p = params
        self.s = settings
        self.rng = rng
        edges = np.asarray(settings.band_edges, dtype=int)
        m = settings.walkers
        self.n_bands = len(edges) - 1
        self.m = m
        states, n0_list, lw_list = [], [], []
        for b in range(self.n_bands):
            lo, hi = int(edges[b]), int(edges[b + 1])
            if settings.guide_time is not None and settings.guide != "fock":
                n0, st, lw = sample_guided(params, lo, hi, m, rng, settings.guide_time,
                                           settings.guide, settings.guide_theta,
                                           settings.guide_mix, settings.guide_nmax)
                states.extend(st)
            else:
                n1, n0, lw = _sample_band(params, lo, hi, m, rng, settings.guide_time)
                states.extend(np.eye(1, int(b0) + 1, int(a))[0] for a, b0 in zip(n1, n0,
                                                                                   strict=True))
            n0_list.append(n0)
            lw_list.append(lw)
        self.N = np.concatenate(n0_list).astype(np.int64)
        self.band = np.repeat(np.arange(self.n_bands), m)
        self.L = int(self.N.max()) + 3
        self.psi = np.zeros((len(self.N), self.L), dtype=complex)
        for i, v in enumerate(states):
            self.psi[i, : len(v)] = v
        self.log_w = np.concatenate(lw_list)  # ln W since the last resampling
        self.log_z = np.zeros(self.n_bands)  # accumulated ln Z_b
        self.log_prior = band_priors(params, edges)
        self.groups = [slice(b * m, (b + 1) * m) for b in range(self.n_bands)]
        self.merged = False
        self.gm = params.gamma_minus
        self.gp = params.gamma_plus
        self.n_resample = 0
        self.n_jumps = 0
        self.twist = None
        if settings.twist_kind == "number":
            self.twist = "number"
        elif settings.twist_time is not None:
            from .guided_start import adjoint_importance

            self.twists = []
            n_grid = int(settings.twist_steps)
            for g in range(1, n_grid + 1):
                qs = adjoint_importance(params, int(settings.twist_nmax),
                                        float(settings.twist_time) * g / n_grid)
                top = float(np.log(np.linalg.eigvalsh(qs[-2]).max()) + qs[-1][0])
                self.twists.append((qs[:-1], float(qs[-1][0]), top))
            self.twist = self.twists[-1]
        self.horizon = np.inf  # time to the next output (set by run_replica)
        self._coefficients()

    # sector-dependent coefficients, rebuilt when N changes or the width grows
    def _coefficients(self, rows: np.ndarray | None = None):
        if rows is None:
            rows = slice(None)
            if not hasattr(self, "hop") or self.hop.shape[1] != self.L - 1:
                shape = (len(self.N), self.L)
                self.hop = np.zeros((shape[0], shape[1] - 1))
                self.loss = np.zeros(shape)
                self.radius = np.zeros(shape[0])
        n_sel = self.N[rows][:, None].astype(float)
        n1 = np.arange(self.L, dtype=float)[None, :]
        n2 = n_sel - n1
        valid = n2 >= 0
        n1v = np.where(valid, n1, 0.0)
        n2v = np.where(valid, n2, 0.0)
        gm, gp = self.gm, self.gp
        loss = (gm[0] * n1v * (n1v - 1) + gp[0] * (n1v + 1) * (n1v + 2)
                + gm[1] * n2v * (n2v - 1) + gp[1] * (n2v + 1) * (n2v + 2))
        self.loss[rows] = np.where(valid, loss, 0.0)
        radius = np.maximum(0.5 * abs(self.p.k) * n_sel[:, 0], 1e-300)
        self.radius[rows] = radius
        # ⟨n1+1, N−n1−1| Hc |n1, N−n1⟩ = (k/2) √((n1+1)(N−n1)), scaled by the spectral radius
        hop = 0.5 * self.p.k * np.sqrt((n1[:, :-1] + 1) * np.maximum(n2[:, :-1], 0.0))
        self.hop[rows] = hop / radius[:, None]

    def _grow(self, width: int):
        extra = width - self.L
        self.psi = np.pad(self.psi, ((0, 0), (0, extra)))
        self.L = width
        self._coefficients()

    def _shrink(self):
        width = int(self.N.max()) + 3
        if width < 0.8 * self.L:
            self.psi = np.ascontiguousarray(self.psi[:, :width])
            self.L = width
            self._coefficients()

    # -- observables --------------------------------------------------------------------------
    def moments(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per-walker ⟨n1⟩, ⟨n2⟩, ⟨a1†a2⟩ (ψ normalized)."""
        pop = np.abs(self.psi) ** 2
        n1 = pop @ np.arange(self.L, dtype=float)
        n2 = self.N - n1
        # ⟨a1†a2⟩ = Σ conj(ψ[n1+1]) ψ[n1] √((n1+1)(N−n1)) = Σ conj(ψ[n1+1]) ψ[n1] hop·R/(k/2)
        amp = np.sqrt((np.arange(self.L - 1, dtype=float)[None, :] + 1)
                      * np.maximum(self.N[:, None] - np.arange(self.L - 1)[None, :], 0))
        c = np.sum(np.conj(self.psi[:, 1:]) * self.psi[:, :-1] * amp, axis=1)
        return n1, n2, c

    def band_summary(self):
        """(ln Z_b, ⟨n1⟩_b, ⟨n2⟩_b, ⟨c⟩_b) of the current weighted populations.

        After :meth:`merge` the single population is reported in band 0 (its ln Z relative to
        P_0, so that P_0 Z_0 = tr ρ̃) and the other bands get ln Z = −∞.
        """
        n1, n2, c = self.moments()
        out_z = np.full(self.n_bands, -np.inf)
        out = np.zeros((3, self.n_bands), dtype=complex)
        for b, sl in enumerate(self.groups):
            lw = self.log_w[sl]
            lse = _lse(lw)
            out_z[b] = self.log_z[b] + lse - np.log(lw.size)
            w = np.exp(lw - lse)
            out[0, b] = w @ n1[sl]
            out[1, b] = w @ n2[sl]
            out[2, b] = w @ c[sl]
        if self.merged:
            out_z[0] -= self.log_prior[0]
        return out_z, out[0].real, out[1].real, out[2]

    def merge(self):
        """Join all bands into one population (weights P_b Z_b W_i, then resampled as one).

        Valid at any time (the weighted walkers represent ρ̃ either way); worthwhile once every
        band has relaxed to the same quasi-stationary state: the bands then stop being rare
        events of each other and one population of n_bands·M walkers replaces n_bands
        populations of M, whose ln Z_b would otherwise random-walk apart.
        """
        if self.merged:
            return
        band_w = self.log_prior + self.log_z  # ln(P_b e^{ln Z_b})
        self.log_w = self.log_w + band_w[self.band] + np.log(self.n_bands)
        self.log_z = np.zeros(1)
        self.groups = [slice(0, len(self.N))]
        self.merged = True
        self.resample(force=True)

    # -- dynamics -----------------------------------------------------------------------------
    def _apply_hc_scaled(self, v: np.ndarray) -> np.ndarray:
        """(Hc/R) v per walker (tridiagonal, real symmetric)."""
        out = np.empty_like(v)
        out[:, 0] = 0.0
        out[:, 1:] = self.hop * v[:, :-1]
        out[:, :-1] += self.hop * v[:, 1:]
        return out

    def _exp_hc(self, h: float) -> np.ndarray:
        """e^{−hR} e^{hHc} ψ per walker by its Chebyshev series; returns the result."""
        x = h * self.radius
        xmax = float(x.max())
        # I_j(x) e^{−x} decays like (x/2)^j/j! beyond j ~ x: enough terms for the tolerance
        n_terms = 1
        while ive(n_terms, xmax) > self.s.cheb_tol and n_terms < 10_000:
            n_terms += 1
        coef = ive(np.arange(n_terms + 1)[None, :], x[:, None])  # (walkers, terms)
        t_prev = self.psi
        result = coef[:, :1] * t_prev
        if n_terms >= 1 and xmax > 0:
            t_cur = self._apply_hc_scaled(t_prev)
            result = result + 2.0 * coef[:, 1:2] * t_cur
            for j in range(2, n_terms + 1):
                t_next = 2.0 * self._apply_hc_scaled(t_cur) - t_prev
                result += 2.0 * coef[:, j : j + 1] * t_next
                t_prev, t_cur = t_cur, t_next
        return result

    def coherent(self, h: float):
        """ψ → e^{hHc}ψ/‖·‖; the norm it adds goes into the weight (dW = 2⟨Hc⟩W dt)."""
        if h <= 0:
            return
        self.psi = self._exp_hc(h)
        g = _norm2(self.psi)
        self.psi /= np.sqrt(g)[:, None]
        # g carries the e^{−hR} scaling of the Chebyshev series
        self.log_w += np.log(g) + 2.0 * h * self.radius

    def dissipate(self, h: float):
        """Exact event-driven evolution over h under −iH0 − ½ΣF†F with jumps at rates ‖Fψ‖².

        Both H0 and ΣF†F are diagonal in |n1, N − n1⟩, so the survival probability of a
        normalized ψ is S(τ) = Σ_n |ψ_n|² e^{−L_n τ}; the jump time solves S(τ) = U (U uniform),
        found by Newton's method on ln S, which is convex and decreasing (monotone convergence
        from τ = 0). The H0 phase e^{iΔω n1 h} commutes with this part up to a global phase
        (the jumps shift n1 by 0 or ±2), so it is applied once for the whole step.
        """
        dw = self.p.omega2 - self.p.omega1
        self.psi *= np.exp(1j * dw * h * np.arange(self.L, dtype=float))[None, :]
        rem = np.full(len(self.N), float(h))
        active = np.arange(len(self.N))
        while active.size:
            psi = self.psi[active]
            loss = self.loss[active]
            pop = np.abs(psi) ** 2
            with np.errstate(divide="ignore"):
                log_pop = np.log(pop)
            log_u = np.log(self.rng.random(active.size))
            r = rem[active]
            jumps = _lse(log_pop - loss * r[:, None]) < log_u
            tau = r.copy()
            if jumps.any():
                lp, lo, lu = log_pop[jumps], loss[jumps], log_u[jumps]
                t = np.zeros(lp.shape[0])
                todo = np.arange(lp.shape[0])
                for _ in range(100):
                    a = lp[todo] - lo[todo] * t[todo][:, None]
                    ls = _lse(a)
                    f = ls - lu[todo]
                    mean_loss = np.sum(np.exp(a - ls[:, None]) * lo[todo], axis=1)
                    t[todo] += f / mean_loss
                    todo = todo[np.abs(f) > 1e-12]
                    if todo.size == 0:
                        break
                tau[jumps] = np.minimum(t, r[jumps])
            psi *= np.exp(-0.5 * loss * tau[:, None])
            psi /= np.sqrt(_norm2(psi))[:, None]
            self.psi[active] = psi
            rem[active] -= tau
            jumped = active[jumps]
            if jumped.size:
                self._jump(jumped)
            active = jumped

    def _jump(self, rows: np.ndarray):
        """Apply one jump, chosen with probability ∝ r_j = ‖F_jψ‖², to each walker in rows."""
        if int(self.N[rows].max()) + 5 > self.L:
            self._grow(int(1.25 * (self.N.max() + 5)))
        psi = self.psi[rows]
        pop = np.abs(psi) ** 2
        n1 = np.arange(self.L, dtype=float)[None, :]
        n2 = self.N[rows][:, None] - n1
        valid = n2 >= 0
        n2 = np.where(valid, n2, 0.0)
        # F†F of the four jumps: a1²: n1(n1−1), a1†²: (n1+1)(n1+2), a2² and a2†² alike
        amp = np.stack([
            np.sqrt(n1 * (n1 - 1)) * np.ones_like(n2),
            np.sqrt((n1 + 1) * (n1 + 2)) * valid,
            np.sqrt(n2 * (n2 - 1)),
            np.sqrt((n2 + 1) * (n2 + 2)) * valid,
        ])  # (4, rows, L)
        gam = np.array([self.gm[0], self.gp[0], self.gm[1], self.gp[1]])
        rates = gam[:, None] * np.einsum("jrl,rl->jr", amp**2, pop)
        cum = np.cumsum(rates, axis=0)
        u = self.rng.random(len(rows)) * cum[-1]
        kind = np.minimum((u[None, :] >= cum).sum(axis=0), 3)
        new = np.zeros_like(psi)
        for j, shift in enumerate((-2, 2, 0, 0)):  # index shift of n1
            sel = np.flatnonzero(kind == j)
            if sel.size == 0:
                continue
            moved = amp[j][sel] * psi[sel]
            if shift < 0:
                new[sel, :shift] = moved[:, -shift:]
            elif shift > 0:
                new[sel, shift:] = moved[:, :-shift]
            else:
                new[sel] = moved
        new /= np.linalg.norm(new, axis=1)[:, None]
        dn = np.array([-2, 2, -2, 2])[kind]
        self.psi[rows] = new
        self.N[rows] += dn
        self.n_jumps += len(rows)
        self._coefficients(rows)

    def log_twist(self) -> np.ndarray:
        """ln h(ψ) of every walker: 0 without a twist, else ln ⟨ψ|Q_N(τ_h)|ψ⟩ (see JumpSettings).

        Sectors above the twist's cutoff get the largest eigenvalue of the top sector's Q (any
        positive h keeps the method exact; only the variance depends on it).
        """
        if self.twist is None:
            return np.zeros(len(self.N))
        if self.s.twist_kind == "number":
            return self.s.twist_slope * self.N.astype(float)
        qs, log_scale, top = self.twist
        n_grid = int(self.s.twist_steps)
        if n_grid > 1:  # horizon min(τ_h, time to the next output), rounded up to the grid
            g = int(min(n_grid, np.ceil(self.horizon / self.s.twist_time * n_grid - 1e-9)))
            if g <= 0:
                return np.zeros(len(self.N))
            qs, log_scale, top = self.twists[g - 1]
        out = np.empty(len(self.N))
        for n in np.unique(self.N):
            rows = np.flatnonzero(self.N == n)
            if n < len(qs):
                v = self.psi[rows, : n + 1]
                val = np.einsum("ri,ij,rj->r", v.conj(), qs[n], v).real
                out[rows] = np.log(np.maximum(val, 1e-300)) + log_scale
            else:
                out[rows] = top
        return out

    def ess(self) -> np.ndarray:
        """Effective sample size fraction (Σw)²/(M Σw²) of each group's (twisted) weights."""
        lt = self.log_w + self.log_twist()
        out = np.full(self.n_bands, np.nan)
        for b, sl in enumerate(self.groups):
            w = np.exp(lt[sl] - lt[sl].max())
            out[b] = w.sum() ** 2 / (w.size * np.sum(w * w))
        return out

    def resample(self, force: bool = False):
        """Systematic resampling of every group whose ESS fell below the threshold.

        With a twist h (``JumpSettings.twist_time``) the selection is ∝ W h and a child of
        walker i restarts with weight 1/h_i (ln Z_b gains ln mean(W h)): unbiased for any h > 0
        (twisted / look-ahead resampling), and walkers that h predicts to be amplified later
        are cloned before their weight shows it.
        """
        log_h = self.log_twist()
        for b, sl in enumerate(self.groups):
            lw = self.log_w[sl] + log_h[sl]
            m = lw.size
            lse = _lse(lw)
            w = np.exp(lw - lse)
            ess = 1.0 / np.sum(w * w)
            if ess >= self.s.resample_ess * m and not force:
                continue
            self.log_z[b] += lse - np.log(m)
            cdf = np.cumsum(w)
            cdf /= cdf[-1]
            u = (np.arange(m) + self.rng.random()) / m
            pick = np.minimum(np.searchsorted(cdf, u, side="right"), m - 1) + sl.start
            self.psi[sl] = self.psi[pick]
            self.N[sl] = self.N[pick]
            self.hop[sl] = self.hop[pick]
            self.loss[sl] = self.loss[pick]
            self.radius[sl] = self.radius[pick]
            self.log_w[sl] = -log_h[pick]
            self.n_resample += 1


def run_replica(params: DimerParams, times, settings: JumpSettings, seed: int,
                replica: int) -> dict[str, np.ndarray]:
    """One independent replica: every band's ln Z_b and band averages at the output times.

    The random stream is ``SeedSequence(seed, spawn_key=(replica,))``, so the result depends
    only on (params, times, settings, seed, replica).

    Returns
    -------
    dict
        ``log_z``, ``n1``, ``n2``, ``c`` with shape (band, time) and counters ``steps``,
        ``jumps``, ``resamplings``, ``max_N`` (largest sector reached); ``ess_start`` (band):
        the effective sample size fraction when population control first acts (at the guide
        time if there is one).
    """
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or times[0] < 0 or np.any(np.diff(times) < 0):
        raise ValueError("times must be a non-empty, non-decreasing array of times >= 0")
    rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(int(replica),)))
    w = _Walkers(params, settings, rng)
    nb, nt = w.n_bands, len(times)
    log_z = np.empty((nb, nt))
    n1 = np.empty((nb, nt))
    n2 = np.empty((nb, nt))
    c = np.empty((nb, nt), dtype=complex)
    t, steps, max_n = 0.0, 0, int(w.N.max())
    ess_guide = None
    for i, t_out in enumerate(times):
        if t_out > t:
            # uniform steps per output interval; Strang: C(h/2) [P B](h) C(h) ... [P B](h) C(h/2)
            n_steps = int(np.ceil((t_out - t) / settings.dt_max - 1e-9))
            h = (t_out - t) / n_steps
            w.coherent(0.5 * h)
            for s in range(n_steps):
                w.dissipate(h)
                w.coherent(h if s < n_steps - 1 else 0.5 * h)
                if settings.guide_time is None or t + (s + 1) * h >= settings.guide_time:
                    if ess_guide is None:
                        ess_guide = w.ess()
                    w.horizon = t_out - (t + (s + 1) * h)
                    w.resample()
                if settings.merge_time is not None and t + (s + 1) * h >= settings.merge_time:
                    w.merge()
                max_n = max(max_n, int(w.N.max()))
                if (steps + s) % 50 == 49:
                    w._shrink()
            steps += n_steps
            t = t_out
        log_z[:, i], n1[:, i], n2[:, i], c[:, i] = w.band_summary()
    if ess_guide is None:
        ess_guide = w.ess()
    return {"log_z": log_z, "n1": n1, "n2": n2, "c": c, "steps": steps, "jumps": w.n_jumps,
            "resamplings": w.n_resample, "max_N": max_n, "ess_start": ess_guide}


def run_replicas(params: DimerParams, times, settings: JumpSettings, seed: int,
                 replicas: Sequence[int]) -> xr.Dataset:
    """Several replicas as a Dataset with dims (replica, band, time), to combine later.

    Any partition of the replica indices over jobs, concatenated along ``replica`` and passed
    to :func:`combine_replicas`, gives bit-identical results.
    """
    times = np.asarray(times, dtype=float)
    runs = [run_replica(params, times, settings, seed, r) for r in replicas]
    edges = np.asarray(settings.band_edges, dtype=int)
    ds = xr.Dataset(
        {
            "log_z": (("replica", "band", "time"), np.stack([r["log_z"] for r in runs])),
            "n1": (("replica", "band", "time"), np.stack([r["n1"] for r in runs])),
            "n2": (("replica", "band", "time"), np.stack([r["n2"] for r in runs])),
            "c_real": (("replica", "band", "time"), np.stack([r["c"].real for r in runs])),
            "c_imag": (("replica", "band", "time"), np.stack([r["c"].imag for r in runs])),
            "steps": ("replica", np.array([r["steps"] for r in runs])),
            "jumps": ("replica", np.array([r["jumps"] for r in runs])),
            "resamplings": ("replica", np.array([r["resamplings"] for r in runs])),
            "max_N": ("replica", np.array([r["max_N"] for r in runs])),
            "ess_start": (("replica", "band"), np.stack([r["ess_start"] for r in runs])),
            "log_prior": ("band", band_priors(params, edges)),
            "band_lo": ("band", edges[:-1]),
            "band_hi": ("band", edges[1:]),
        },
        coords={"replica": np.asarray(list(replicas), dtype=int), "time": times},
    )
    ds.attrs.update(params.to_attrs())
    ds.attrs.update({k: v for k, v in settings.to_attrs().items() if k != "band_edges"})
    ds.attrs["seed"] = int(seed)
    return ds


def concat_replicas(parts: Sequence[xr.Dataset]) -> xr.Dataset:
    """Join outputs of :func:`run_replicas` from several jobs along ``replica``."""
    return xr.concat(list(parts), dim="replica", data_vars="minimal", coords="minimal",
                     compat="override", join="exact")


def _per_replica(log_prior, log_z, n1, n2, c):
    """Each replica's own estimate (its bands combined through P_b Z_b): (R, time) arrays."""
    a = log_prior[None, :, None] + log_z  # (R, band, time)
    amax = a.max(axis=1, keepdims=True)
    w = np.exp(a - amax)
    tot = w.sum(axis=1)
    safe = np.where(np.isfinite(log_z), 1.0, 0.0)  # merged runs: unused bands hold −∞
    est = [np.sum(w * np.where(safe > 0, x, 0.0), axis=1) / tot for x in (n1, n2, c)]
    log_tr = amax[:, 0, :] + np.log(tot)
    top = w[:, -1, :] / tot
    return est[0], est[1], est[2], log_tr, top


def combine_replicas(ds: xr.Dataset, params: DimerParams) -> xr.Dataset:
    """Average the replicas' own estimates (sorted by index), with jackknife standard errors.

    Each replica combines its bands through P_b Z_b (an O(1/M)-biased ratio estimate of the
    normalized moments); the replicas enter with equal weight. Pooling the replicas through
    their Z instead would be unbiased in the ratio but is useless in practice: ln Z of a
    finite population random-walks (variance ∝ t/M), so after a few units of time one replica
    carries the pooled value (``replica_ess`` → 1) and the jackknife error is meaningless.
    D and chi_gaussian are computed from the averaged moments; their errors from the
    delete-one averages. ``log_trace`` is ln of the replica mean of tr ρ̃ (unbiased in tr ρ̃).

    Returns
    -------
    xarray.Dataset
        Dimension ``time``; the variables of :func:`.quantum.solve_exact` that the moments
        determine: n1, n2, c_real, c_imag, D (Eq. 2), chi_gaussian (Eq. 10 for the Gaussian
        state with the same covariance: a lower bound on χ, SPEC §2), energy, log_trace
        (ln tr ρ̃), plus n_total = n1 + n2, and ``<name>_stderr`` (delete-one jackknife over
        replicas) for n1, n2, n_total, c_real, c_imag, D, chi_gaussian, log_trace.
        ``top_band_weight``: share of the highest initial band (the stratification cutoff,
        analogue of ``truncation_weight``; 0 after bands are merged). ``replica_ess``:
        (Σ Z_r)²/Σ Z_r² with Z_r = Σ_b P_b Z_{b,r}, how many replicas a Z-pooled estimate
        would rest on (a diagnostic of the ln Z spread, not used in the estimates).
    """
    ds = ds.sortby("replica")
    if "replica" in ds["log_prior"].dims:  # xr.concat broadcasts the per-band constants
        ds = ds.assign({name: ds[name].isel(replica=0)
                        for name in ("log_prior", "band_lo", "band_hi")})
    log_prior = ds["log_prior"].values
    log_z = ds["log_z"].values
    n1 = ds["n1"].values
    n2 = ds["n2"].values
    c = ds["c_real"].values + 1j * ds["c_imag"].values
    nrep = log_z.shape[0]
    if nrep < 2:
        raise ValueError("need at least two replicas for an error estimate")
    times = ds["time"].values
    allr = np.arange(nrep)
    r_n1, r_n2, r_c, r_ltr, r_top = _per_replica(log_prior, log_z, n1, n2, c)

    def measures(keep):
        m1, m2, mc = r_n1[keep].mean(axis=0), r_n2[keep].mean(axis=0), r_c[keep].mean(axis=0)
        ltr = logsumexp(r_ltr[keep], axis=0) - np.log(len(keep))
        base = moments_dataset(params, times, m1, m2, mc, None, np.full(len(times), np.nan),
                               ltr, {})
        return {
            "n1": m1, "n2": m2, "n_total": m1 + m2, "c_real": mc.real, "c_imag": mc.imag,
            "D": base["D"].values, "chi_gaussian": base["chi_gaussian"].values,
            "energy": base["energy"].values, "log_trace": ltr,
            "top_band_weight": r_top[keep].mean(axis=0),
        }

    full = measures(allr)
    jack = [measures(np.delete(allr, i)) for i in range(nrep)]
    data = {}
    for name, val in full.items():
        data[name] = ("time", val)
        if name in ("energy", "top_band_weight"):
            continue
        js = np.stack([j[name] for j in jack])
        err = np.sqrt((nrep - 1) / nrep * np.sum((js - js.mean(axis=0)) ** 2, axis=0))
        data[name + "_stderr"] = ("time", err)
    wr = np.exp(r_ltr - r_ltr.max(axis=0))  # (R, time)
    data["replica_ess"] = ("time", wr.sum(axis=0) ** 2 / (wr**2).sum(axis=0))
    out = xr.Dataset(data, coords={"time": times})
    out.attrs.update(ds.attrs)
    out.attrs.update({"method": "jump_trajectories", "replicas": int(nrep),
                      "band_edges": np.concatenate([ds["band_lo"].values,
                                                    ds["band_hi"].values[-1:]])})
    return out


def extrapolate_walkers(small: xr.Dataset, large: xr.Dataset) -> xr.Dataset:
    """Remove the leading O(1/M) population-control bias from runs at two walker numbers.

    With X_M = X_∞ + b/M, X_∞ = (r X_L − X_S)/(r − 1), r = M_L/M_S (Richardson). The
    ``walkers`` attributes of the two :func:`combine_replicas` outputs give r; the runs must
    be independent (different seeds) for the error σ_∞ = √(r²σ_L² + σ_S²)/(r − 1) to hold.
    ``<name>_bias`` = X_L − X_∞ is the bias left in the larger run; if it is not small against
    σ the 1/M form itself is in doubt (check with a third M).
    """
    ratio = float(large.attrs["walkers"]) / float(small.attrs["walkers"])
    if not ratio > 1:
        raise ValueError("the second run must have more walkers per band")
    if small.attrs.get("seed") == large.attrs.get("seed"):
        raise ValueError("use independent runs (different seeds)")
    data = {}
    for name in ("n1", "n2", "n_total", "c_real", "c_imag", "D", "chi_gaussian"):
        x_inf = (ratio * large[name].values - small[name].values) / (ratio - 1)
        err = np.hypot(ratio * large[name + "_stderr"].values,
                       small[name + "_stderr"].values) / (ratio - 1)
        data[name] = ("time", x_inf)
        data[name + "_stderr"] = ("time", err)
        data[name + "_bias"] = ("time", large[name].values - x_inf)
    out = xr.Dataset(data, coords={"time": large["time"].values})
    out.attrs.update(large.attrs)
    out.attrs.update({"method": "jump_trajectories_extrapolated",
                      "walkers_small": float(small.attrs["walkers"]),
                      "walkers_large": float(large.attrs["walkers"])})
    return out


def solve_jumps(params: DimerParams, times, settings: JumpSettings | None = None,
                replicas: int = 8, seed: int = 0) -> xr.Dataset:
    """Solve Eq. 8 by weighted jump trajectories (module docstring): replicas 0..R−1, combined.

    Parameters
    ----------
    params : DimerParams
        Model parameters (Eqs. 8, 25); the initial state is the product thermal state at β0.
    times : array_like
        Non-decreasing output times ≥ 0.
    settings : JumpSettings, optional
        Walkers per band, strata, step controls.
    replicas : int
        Independent replicas (≥ 2) for the jackknife errors.
    seed : int
        Root seed; replica r uses ``SeedSequence(seed, spawn_key=(r,))``.

    Returns
    -------
    xarray.Dataset
        See :func:`combine_replicas`.
    """
    settings = settings or JumpSettings()
    raw = run_replicas(params, times, settings, seed, range(replicas))
    out = combine_replicas(raw, params)
    for name in ("steps", "jumps", "resamplings", "max_N"):
        out.attrs[f"total_{name}" if name != "max_N" else "max_N"] = int(
            raw[name].sum() if name != "max_N" else raw[name].max())
    return out

