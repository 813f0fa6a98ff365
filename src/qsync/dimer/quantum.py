"""Exact (truncated-Fock) solution of the nonlinear dimer master equation, Eq. 8.

Eq. 8 is dρ/dt = L_lin ρ − 2⟨Hc⟩ρ with the linear generator
L_lin ρ = −i[H0, ρ] + {Hc, ρ} + Σ_F D[F]ρ (Hc of Eq. 25, the four two-photon jumps of SPEC §5).
Its solution is ρ(t) = ρ̃(t)/tr ρ̃(t) with dρ̃/dt = L_lin ρ̃, ρ̃(0) = ρ(0): indeed
d tr ρ̃/dt = 2 tr(Hc ρ̃) since L_lin − {Hc, ·} is trace preserving. So the nonlinear equation is
solved exactly by propagating the linear one and normalizing.

ρ̃ stays block diagonal in N = n1 + n2 (:mod:`.blocks`); the blocks are propagated with the
Al-Mohy & Higham truncated Taylor series (:mod:`.expmv`, tolerance 2⁻⁵³) on the real Hermitian
coordinates, dividing by the trace after every output time and accumulating ln tr ρ̃. Measured
at n_max = 40, k = 5: ~6× faster than DOP853 at rtol 1e-10, and more accurate. The generator
is not stiff (H0 only rotates with (ω1 − ω2)(n1 − m1) within a block), so the cost is ~‖A‖ t
sparse products.

Two limits of any truncated-Fock answer at the paper's parameters are reported, not hidden:
the population in the top levels (``truncation_weight``; compare cutoffs), and numerical
breakdown (:class:`NumericalBreakdown`, ``breakdown_time``): for |k| < |Δω| the high sectors
are transiently amplified by up to ~e^{2αN} (tanh α = |k|/|Δω|) and then cancelled, which
exhausts double precision for large N.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np
import xarray as xr

from .blocks import BlockModel, HermitianEmbedding, build_block_model, hermitian_embedding
from .expmv import propagator_class
from .model import DimerParams
from .moments import moments_dataset
from .operators import dimer_operators

__all__ = ["ExactSolver", "NumericalBreakdown", "solve_exact"]

#: Largest growth exponent allowed inside one propagation step (e^50 ≈ 5e21, far from overflow).
_MAX_LOG_GROWTH = 50.0


class NumericalBreakdown(FloatingPointError):
    """The propagated ρ̃ lost positivity (its trace became ≤ 0): rounding errors won.

    For |k| < |Δω| the no-jump propagator of sector N, exp(−iK_N t) with
    K_N ≈ Δω J_z + i k J_x + const, is similar to a unitary through a complex rotation of
    condition number ~e^{αN}, tanh α = |k|/|Δω|. It amplifies a state transiently by up to
    ~e^{2αN} and then undoes it, so the normalized result is a ratio of numbers that grew and
    cancelled: about 2αN/ln 10 digits are lost (all of them for k = 1, N ≈ 55; k = 3, N ≈ 10).
    """


def _check_times(times) -> np.ndarray:
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or len(times) == 0:
        raise ValueError("times must be a non-empty 1-D array")
    if times[0] < 0 or np.any(np.diff(times) < 0):
        raise ValueError("times must be non-negative and non-decreasing (the state starts at t=0)")
    return times


class ExactSolver:
    """Block-Fock propagator of the linear dimer equation with running normalization.

    Parameters
    ----------
    params : DimerParams
        Model parameters (Eqs. 8, 25).
    n_max : int
        Fock cutoff. ``truncation="mode"``: n1, n2 ≤ n_max, (n_max + 1)² levels, block vector
        ~ (2/3) n_max³ real numbers. ``"total"``: n1 + n2 ≤ n_max, ~ n_max³/3 real numbers.
    truncation : str
        ``"mode"`` (per-mode cutoff) or ``"total"`` (complete photon-number sectors N ≤ n_max,
        free of the artificial gain that the per-mode cutoff creates in cut sectors; see
        :mod:`.operators`).
    propagator : str
        ``"taylor"`` (Al-Mohy & Higham, cost ~‖A‖ t; the default) or ``"krylov"`` (Sidje's
        adaptive Arnoldi; much cheaper when strong two-photon damping makes ‖A‖ large, as in
        the converged preset). See :mod:`.expmv`.
    """

    def __init__(self, params: DimerParams, n_max: int, truncation: str = "total",
                 propagator: str = "taylor"):
        propagate_with = propagator_class(propagator)  # an unknown name fails before the build
        self.params = params
        self.n_max = int(n_max)
        self.truncation = truncation
        self.ops = dimer_operators(params, self.n_max, truncation)
        self.model: BlockModel = build_block_model(params, self.n_max, self.ops)
        self.embedding: HermitianEmbedding = hermitian_embedding(self.model)
        emb, model = self.embedding, self.model
        n = np.arange(self.n_max + 1)
        n1_full = np.repeat(n, self.n_max + 1).astype(float)
        n2_full = np.tile(n, self.n_max + 1).astype(float)
        self._w_trace = emb.weights(model.diagonal_weights(np.ones_like(n1_full))).real
        self._w_n1 = emb.weights(model.diagonal_weights(n1_full)).real
        self._w_n2 = emb.weights(model.diagonal_weights(n2_full)).real
        self._w_c = emb.weights(model.observable_weights(self.ops.c_op))
        self._n1_full, self._n2_full = n1_full, n2_full
        self.x0 = emb.to_real(model.rho0)
        self.propagator = propagate_with(self.embedding.B)
        # the trace grows at most at rate 2 λ_max(Hc) = |k| N_max = 2 |k| n_max
        self.max_step = _MAX_LOG_GROWTH / (2.0 * abs(params.k) * self.n_max + 1.0)

    # -- propagation --------------------------------------------------------------------------
    def _propagate(self, x: np.ndarray, dt: float) -> tuple[np.ndarray, float]:
        """exp(A dt) x in substeps short enough not to overflow; returns (x/tr, ln tr)."""
        log_tr = 0.0
        n_sub = max(1, int(np.ceil(dt / self.max_step)))
        h = dt / n_sub
        for _ in range(n_sub):
            x = self.propagator.apply(x, h)
            tr = float(self._w_trace @ x)
            if not (np.isfinite(tr) and tr > 0):
                raise NumericalBreakdown(f"trace of the propagated state is {tr}")
            x = x / tr
            log_tr += np.log(tr)
        return x, log_tr

    def evolve(self, times, progress: Callable[[int, int], None] | None = None
               ) -> Iterator[tuple[int, float, np.ndarray, float]]:
        """Yield (i, t_i, x_i, ln tr ρ̃(t_i)) with x_i the normalized state in real coordinates."""
        times = _check_times(times)
        x, log_tr, t_prev = self.x0.copy(), 0.0, 0.0
        for i, t in enumerate(times):
            if t > t_prev:
                x, dlog = self._propagate(x, t - t_prev)
                log_tr += dlog
                t_prev = t
            yield i, float(t), x, log_tr
            if progress is not None:
                progress(i, len(times))

    # -- observables --------------------------------------------------------------------------
    def block_vector(self, x: np.ndarray) -> np.ndarray:
        """Complex block vector (row-major blocks ρ_N) of real coordinates x."""
        return self.embedding.to_complex(x)

    def density_matrix(self, x: np.ndarray) -> np.ndarray:
        """Full (n_max+1)² × (n_max+1)² density matrix (QuTiP basis order; small cutoffs only)."""
        return self.model.to_dense(self.block_vector(x))

    def moments(self, x: np.ndarray) -> tuple[float, float, complex]:
        """(n1, n2, c = ⟨a1†a2⟩) of a normalized state."""
        return float(self._w_n1 @ x), float(self._w_n2 @ x), complex(self._w_c @ x)

    def entropy(self, x: np.ndarray) -> tuple[float, float]:
        """(S(ρ), most negative eigenvalue) from the eigenvalues of the Hermitian blocks."""
        s, lam_min = 0.0, np.inf
        for block in self.model.blocks(self.block_vector(x)):
            lam = np.linalg.eigvalsh(0.5 * (block + block.conj().T))
            lam_min = min(lam_min, lam[0])
            pos = lam[lam > 0]
            s -= float(np.sum(pos * np.log(pos)))
        return s, float(lam_min)

    def top_weight_weights(self, n_top: int) -> np.ndarray:
        """Real weights of the population in the top ``n_top`` levels of the truncation.

        ``"mode"``: n1 > n_max − n_top or n2 > n_max − n_top; ``"total"``: N > n_max − n_top.
        """
        cut = self.n_max - n_top
        if self.truncation == "total":
            top = self._n1_full + self._n2_full > cut
        else:
            top = (self._n1_full > cut) | (self._n2_full > cut)
        return self.embedding.weights(self.model.diagonal_weights(top.astype(float))).real


def solve_exact(
    params: DimerParams,
    n_max: int,
    times,
    n_top: int = 1,
    progress: Callable[[int, int], None] | None = None,
    truncation: str = "total",
    positivity_tol: float = 1e-8,
    propagator: str = "taylor",
) -> xr.Dataset:
    """Solve Eq. 8 exactly in a truncated Fock space (block solver, see module docstring).

    Parameters
    ----------
    params : DimerParams
        Model parameters; the initial state is the product of thermal states at β0, restricted
        to the retained space and renormalized (:func:`.operators.initial_state`).
    n_max : int
        Fock cutoff: per mode (``truncation="mode"``) or on n1 + n2 (``"total"``).
    times : array_like
        Non-decreasing output times ≥ 0 (the state is ρ(0) at t = 0).
    n_top : int
        Levels counted as the top of the ladder in ``truncation_weight``.
    progress : callable, optional
        Called as ``progress(i, n_times)`` after each output time.
    truncation : str
        ``"mode"`` (n1, n2 ≤ n_max, the default) or ``"total"`` (n1 + n2 ≤ n_max). The per-mode
        cutoff creates artificial gain in the cut sectors N > n_max (see :mod:`.operators`);
        prefer ``"total"`` where the top sectors carry weight.
    positivity_tol : float
        Numerical breakdown is declared at the first output time where ρ has an eigenvalue
        below −positivity_tol or ρ̃ lost its trace (:class:`NumericalBreakdown`); every
        variable is NaN from that time on and ``breakdown_time`` records it.
    propagator : str
        ``"taylor"`` or ``"krylov"`` (:class:`ExactSolver`); both reach ~1e-12 relative
        accuracy, the choice only changes the cost.

    Returns
    -------
    xarray.Dataset
        Dimension ``time``; variables n1, n2, c_real, c_imag (c = ⟨a1†a2⟩), D (Eq. 2 from the
        covariance, D² = 1 − 2 Re c/(n1 + n2 + 1)), chi (Eq. 10 with S(ρ) from the exact state),
        chi_gaussian (χ of the Gaussian state with the same covariance, a lower bound on chi),
        L (Eq. 14), truncation_weight, entropy, energy (⟨H0⟩), log_trace (ln tr ρ̃) and
        min_eigenvalue (positivity check). Attributes: all parameters, n_max, n_top,
        truncation, method='exact', max_truncation_weight, breakdown_time (NaN if none),
        positivity_tol.
    """
    times = _check_times(times)
    if not 1 <= n_top <= n_max:
        raise ValueError("need 1 <= n_top <= n_max")
    solver = ExactSolver(params, n_max, truncation, propagator)
    w_top = solver.top_weight_weights(n_top)
    nt = len(times)
    n1, n2, trunc, ent, lam_min, log_trace = (np.full(nt, np.nan) for _ in range(6))
    c = np.full(nt, np.nan, dtype=complex)
    breakdown = np.nan
    steps = solver.evolve(times, progress)
    last = -1  # last output time stored
    try:
        for i, t, x, log_tr in steps:
            s_i, lam = solver.entropy(x)
            if lam < -positivity_tol:
                breakdown = t
                break
            n1[i], n2[i], c[i] = solver.moments(x)
            trunc[i] = float(w_top @ x)
            ent[i], lam_min[i] = s_i, lam
            log_trace[i] = log_tr
            last = i
    except NumericalBreakdown:  # raised while propagating towards times[last + 1]
        breakdown = float(times[last + 1])
    finally:
        steps.close()
    attrs = {
        "n_max": int(n_max),
        "n_top": int(n_top),
        "truncation": truncation,
        "method": "exact",
        "max_truncation_weight": float(np.nanmax(trunc)) if np.isfinite(trunc).any() else np.nan,
        "breakdown_time": float(breakdown),
        "positivity_tol": float(positivity_tol),
        "propagator": solver.propagator.description,
    }
    return moments_dataset(params, times, n1, n2, c, ent, trunc, log_trace, attrs,
                           extra={"min_eigenvalue": lam_min})
