"""Classical stochastic Stuart–Landau dimer (paper, equations after Fig. 2; SPEC §6, §7).

Model (SPEC §6), with Δz = z2 − z1 and z_j = (x_j + i p_j)/√2::

    ż1 = [k/2 − iω1 − γ1|z1|²] z1 + (k/2) Δz − 2i√γ1 ξ1(t)
    ż2 = [k/2 − iω2 − γ2|z2|²] z2 − (k/2) Δz − 2i√γ2 ξ2(t)

The linear part is ż = A z with A = [[−iω1, k/2], [k/2, −iω2]]: its eigenvalues
−i(ω1 + ω2)/2 ± √(k² − Δω²)/2 (Δω = ω2 − ω1) are real-split for |k| > |Δω|, which is the
classical synchronization boundary k = ±Δω of Fig. 3 (k > |Δω| locks in phase, k < −|Δω|
anti-phase, D → √2).

Choices (SPEC §6, each a keyword argument with the stated default):

* ``noise="real"``: ξ1, ξ2 independent real unit white noises, ⟨ξ_i(t)ξ_j(t')⟩ = δ_ij δ(t − t').
  ``noise="complex"``: ξ_j = (ξ_j' + iξ_j'')/√2 with independent real unit white noises, so
  ⟨ξ_j ξ_j*⟩ = δ(t − t') (same injected power 4γ_j as the real noise, but phase covariant).
* Initial z_j complex Gaussian with ⟨|z_j|²⟩ = 1/(β ω_j) (classical thermal state), z1, z2
  independent.
* D² = ⟨|z2 − z1|²⟩ / ⟨|z1|² + |z2|²⟩ from ensemble-averaged moments (Eq. 2 of the paper in
  the form of SPEC §2: D² = 1 − 2(M_x1x2 + M_p1p2)/tr M), not an average of per-trajectory D.

Integrator (symmetric Strang splitting, SPEC §6). One step of length h is

    L(h/2) ∘ C(h/2) ∘ W(h) ∘ C(h/2) ∘ L(h/2)

with L(τ) = exp(Aτ), the exact 2×2 linear propagator (closed form, per grid point); C(τ) the
exact flow of ż_j = −γ_j|z_j|² z_j, z_j → z_j/√(1 + 2γ_j|z_j|² τ); W(h) the exact (in law)
additive noise increment z_j → z_j − 2i√γ_j ΔW_j. Each sub-flow is exact, so the symmetric
composition is of weak order 2; without noise it is the deterministic Strang splitting of
order 2. The linear half steps of consecutive steps are merged into one L(h). Splitting the
cubic step around the noise costs one more cubic evaluation per step but removes the
first-order bias of the sequence L C W L suggested in SPEC §6 (measured at γ = 1, h = 0.02:
stationary ⟨|z|²⟩ biased by +3.5 % with C W, −0.1 % with C W C; see the tests). Plain
Euler–Maruyama is not used: it inflates |z|² (SPEC §6).

Random numbers and determinism. Trajectories of one grid point are split into blocks of
``traj_block`` trajectories; each block owns a :class:`numpy.random.Generator` (SFC64) seeded
by ``SeedSequence(seed, spawn_key=(tag, bits of k, ω1, ω2, block index))``. The stream of a
trajectory therefore depends only on the seed, the physical point and its block, never on
how the grid is chunked or how many blocks are integrated together (``max_batch``): any
chunking of the grid gives bit-identical results. Points that share (k, ω1, ω2) share their
random numbers (common random numbers across γ and β).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

__all__ = [
    "NOISE_KINDS",
    "ClassicalDimerResult",
    "linear_generator",
    "linear_propagator",
    "quadrature_generator",
    "thermal_abs2",
    "step_grid",
    "simulate_D",
]

NOISE_KINDS = ("real", "complex")

# Domain tag in every spawn key ("ClSL"): keeps these streams apart from any other use of
# the same integer seed elsewhere in the project.
_STREAM_TAG = 0x436C534C
# Statistics accumulated per block of trajectories at each output time (see _block_sums).
_PAIRS = [(i, j) for i in range(4) for j in range(i, 4)]
_N_STATS = 4 + len(_PAIRS) + 5


@dataclass(frozen=True)
class ClassicalDimerResult:
    """Ensemble moments and synchronization distance of the classical dimer.

    Shapes: ``P`` grid points, ``T`` output times. Quadratures ordered r = (x1, p1, x2, p2)
    with x_j = √2 Re z_j, p_j = √2 Im z_j (SPEC §1).

    Attributes
    ----------
    times : (T,) output times (exactly on the step grid).
    D : (P, T) synchronization distance from the ensemble moments (Eq. 2).
    D_stderr : (P, T) Monte Carlo standard error of D (delta method on the ratio estimator).
    second_moments : (P, T, 4, 4) raw second moments M_ij = ⟨r_i r_j⟩ (means not subtracted).
    mean : (P, T, 4) ensemble means ⟨r_i⟩.
    k, omega1, omega2, gamma1, gamma2 : (P,) parameters of each point.
    beta : float, n_traj : int, dt : float (effective step), n_steps : int (to ``t_final``).
    """

    times: np.ndarray
    D: np.ndarray
    D_stderr: np.ndarray
    second_moments: np.ndarray
    mean: np.ndarray
    k: np.ndarray
    omega1: np.ndarray
    omega2: np.ndarray
    gamma1: np.ndarray
    gamma2: np.ndarray
    beta: float
    n_traj: int
    dt: float
    n_steps: int

    @property
    def covariance(self) -> np.ndarray:
        """Classical covariance σ = M − d dᵀ, shape (P, T, 4, 4)."""
        return self.second_moments - self.mean[..., :, None] * self.mean[..., None, :]


def linear_generator(k, omega1, omega2) -> np.ndarray:
    """A = [[−iω1, k/2], [k/2, −iω2]], the linear part ż = A z of the dimer (SPEC §6).

    Obtained from [k/2 − iω1] z1 + (k/2)(z2 − z1) = −iω1 z1 + (k/2) z2 (and likewise for z2).
    Broadcasts over the parameters; returns shape ``broadcast(...) + (2, 2)``, complex.
    """
    k, omega1, omega2 = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                              for v in (k, omega1, omega2)))
    a = np.empty(k.shape + (2, 2), dtype=complex)
    a[..., 0, 0] = -1j * omega1
    a[..., 0, 1] = 0.5 * k
    a[..., 1, 0] = 0.5 * k
    a[..., 1, 1] = -1j * omega2
    return a


def quadrature_generator(k, omega1, omega2) -> np.ndarray:
    """Real 4×4 generator G of ṙ = G r for the linear part, r = (x1, p1, x2, p2).

    From z_j = (x_j + i p_j)/√2: ẋ1 = ω1 p1 + (k/2) x2, ṗ1 = −ω1 x1 + (k/2) p2, and 1 ↔ 2.
    With γ = 0 and no noise, M(t) = e^{Gt} M(0) e^{Gᵀt} exactly (used by the tests).
    """
    k, omega1, omega2 = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                              for v in (k, omega1, omega2)))
    g = np.zeros(k.shape + (4, 4))
    g[..., 0, 1], g[..., 1, 0] = omega1, -omega1
    g[..., 2, 3], g[..., 3, 2] = omega2, -omega2
    for i, j in ((0, 2), (2, 0), (1, 3), (3, 1)):
        g[..., i, j] = 0.5 * k
    return g


def linear_propagator(k, omega1, omega2, t) -> np.ndarray:
    """exp(A t) in closed form, shape ``broadcast(k, ω1, ω2, t) + (2, 2)``.

    A = c I + B with c = −i(ω1 + ω2)/2 and the traceless B = [[iΔω/2, k/2], [k/2, −iΔω/2]],
    B² = μ² I with the real μ² = (k² − Δω²)/4. Hence
    exp(A t) = e^{ct} [cosh(μt) I + (sinh(μt)/μ) B], with cosh → cos and sinh(μt)/μ →
    sin(νt)/ν (ν² = −μ²) in the oscillating regime |k| < |Δω|. sinh(x)/x is evaluated by its
    series near x = 0, so the exceptional points k = ±Δω need no special case.
    """
    k, omega1, omega2, t = np.broadcast_arrays(*(np.asarray(v, dtype=float)
                                                 for v in (k, omega1, omega2, t)))
    dw = omega2 - omega1
    mu2 = 0.25 * (k * k - dw * dw)
    x = np.sqrt(np.abs(mu2)) * t
    small = x < 1e-4
    xs = np.where(small, 1.0, x)
    grow = mu2 >= 0
    ch = np.where(grow, np.cosh(x), np.cos(x))
    with np.errstate(over="ignore"):  # the unused branch of where() may overflow
        shx = np.where(grow, np.sinh(xs) / xs, np.sin(xs) / xs)
    # sinh(x)/x = 1 + x²/6 + x⁴/120 + O(x⁶), sin(x)/x the same with alternating signs
    sign = np.where(grow, 1.0, -1.0)
    shx = np.where(small, 1.0 + sign * x * x / 6.0 + x**4 / 120.0, shx)
    sh = shx * t
    phase = np.exp(-0.5j * (omega1 + omega2) * t)
    u = np.empty(k.shape + (2, 2), dtype=complex)
    u[..., 0, 0] = phase * (ch + 0.5j * dw * sh)
    u[..., 0, 1] = phase * (0.5 * k * sh)
    u[..., 1, 0] = u[..., 0, 1]
    u[..., 1, 1] = phase * (ch - 0.5j * dw * sh)
    return u


def thermal_abs2(omega, beta) -> np.ndarray:
    """⟨|z|²⟩ = 1/(β ω) of the classical thermal state ∝ e^{−β ω |z|²} (SPEC §6 Choice)."""
    return 1.0 / (np.asarray(beta, dtype=float) * np.asarray(omega, dtype=float))


def step_grid(dt: float, t_final: float, times=None) -> tuple[float, int, np.ndarray]:
    """Effective step, number of steps to ``t_final`` and step index of each output time.

    The step is h = t_final/n with n = ⌈t_final/dt⌉ (so h ≤ dt and t_final is hit exactly).
    Output times must lie on the grid m h (to 1e-9 relative) in [0, t_final].
    """
    if not (dt > 0 and t_final > 0):
        raise ValueError("dt and t_final must be positive")
    n_steps = max(1, math.ceil(t_final / dt * (1.0 - 1e-12)))
    h = t_final / n_steps
    times = np.atleast_1d(np.asarray([t_final] if times is None else times, dtype=float))
    if times.ndim != 1 or times.size == 0:
        raise ValueError("times must be a non-empty 1-D sequence")
    idx_f = times / h
    idx = np.rint(idx_f).astype(np.int64)
    if np.any(np.abs(idx_f - idx) > 1e-9 * max(1.0, n_steps)) or np.any(idx < 0) \
            or np.any(idx > n_steps):
        raise ValueError(f"times must be multiples of the step h = {h!r} within [0, {t_final}]")
    if np.any(np.diff(idx) <= 0):
        raise ValueError("times must be strictly increasing")
    return h, n_steps, idx


def _as_points(**params) -> dict[str, np.ndarray]:
    """Broadcast point parameters to a common 1-D shape (P,)."""
    arrays = np.broadcast_arrays(*(np.asarray(v, dtype=float) for v in params.values()))
    if arrays[0].ndim > 1:
        raise ValueError("point parameters must broadcast to at most one dimension")
    return {name: np.atleast_1d(a).copy() for name, a in zip(params, arrays, strict=True)}


def _point_key(k: float, omega1: float, omega2: float) -> tuple[int, ...]:
    """Stable integer key of a physical point: the IEEE-754 bits of (k, ω1, ω2).

    Adding 0.0 maps −0.0 to +0.0 so that both spellings of zero share a stream.
    """
    bits = (np.array([k, omega1, omega2], dtype=np.float64) + 0.0).view(np.uint64)
    return (_STREAM_TAG, *(int(b) for b in bits))


def _block_generator(seed: int, key: tuple[int, ...], block: int) -> np.random.Generator:
    ss = np.random.SeedSequence(seed, spawn_key=(*key, block))
    # SFC64: ~20 % faster normals than PCG64 here, and statistically sound for this use.
    return np.random.Generator(np.random.SFC64(ss))


def _block_sums(zf_block: np.ndarray, n_valid: int) -> np.ndarray:
    """Sums over the valid trajectories of one block (view (2, B, 2) of Re/Im of z1, z2).

    Returns Σr_i (4), Σr_i r_j for i ≤ j (10), and, with c = x1x2 + p1p2 and s = |r|² per
    trajectory, the block means c̄_b, s̄_b and centred sums Σ(c − c̄_b)², Σ(s − s̄_b)²,
    Σ(c − c̄_b)(s − s̄_b) (5), for the standard error of D. Centring inside the block avoids
    the cancellation of raw fourth moments once the amplitudes saturate (|z|² ~ k/γ). Each
    sum is a 1-D reduction over a freshly copied contiguous array, so the result depends
    only on the block's own data (bit-identical whatever else is integrated alongside it).
    """
    r = np.sqrt(2.0) * zf_block[:, :n_valid, :].transpose(0, 2, 1).reshape(4, n_valid)
    out = np.empty(_N_STATS)
    out[:4] = r.sum(axis=1)
    prods = {}
    for m, (i, j) in enumerate(_PAIRS):
        prods[i, j] = r[i] * r[j]
        out[4 + m] = prods[i, j].sum()
    c = prods[0, 2] + prods[1, 3]
    s = prods[0, 0] + prods[1, 1] + prods[2, 2] + prods[3, 3]
    out[14] = c.sum() / n_valid
    out[15] = s.sum() / n_valid
    c -= out[14]
    s -= out[15]
    out[16] = (c * c).sum()
    out[17] = (s * s).sum()
    out[18] = (c * s).sum()
    return out


class _Chunk:
    """Integrator state of U trajectory blocks of B slots: z has shape (2, U, B), complex.

    Hot-loop notes (measured, numpy 2.4, one core): every operation writes into preallocated
    arrays (no temporaries); the oscillator axis comes first so that z1 = z[0] and z2 = z[1]
    are contiguous, which halves the cost of the 2×2 linear step against a (U, 2, B) layout;
    the cubic step multiplies the complex array by a real factor (4× faster than
    broadcasting over the float view's last axis); normal deviates are drawn per block into a
    contiguous (U, 2, B) buffer, one generator call per block and step.
    """

    def __init__(self, k, omega1, omega2, gamma1, gamma2, beta, h, n_block, noise,
                 noise_scale, rngs):
        n_units = k.size
        self.rngs = rngs
        self.z = np.empty((2, n_units, n_block), dtype=complex)
        self.zf = self.z.view(np.float64).reshape(2, n_units, n_block, 2)
        self.t1 = np.empty((n_units, n_block), dtype=complex)
        self.t2 = np.empty((n_units, n_block), dtype=complex)
        self.s = np.empty((2, n_units, n_block))
        self.sq = np.empty((2, n_units, n_block, 2))
        # initial thermal state: z = √n̄ (a + ib)/√2 with a, b ~ N(0, 1) (SPEC §6 Choice);
        # each block draws (Re z1, Im z1) for its B trajectories, then (Re z2, Im z2)
        draw = np.empty((2, n_block, 2))
        for u, rng in enumerate(rngs):
            rng.standard_normal(out=draw)
            self.zf[:, u] = draw
        nbar = np.stack([thermal_abs2(omega1, beta), thermal_abs2(omega2, beta)])
        self.z *= np.sqrt(0.5 * nbar)[:, :, None]
        ph = linear_propagator(k, omega1, omega2, 0.5 * h)
        pf = linear_propagator(k, omega1, omega2, h)
        # exp(Aτ) is symmetric (A is), so the off-diagonal element is stored once
        pairs = ((0, 0), (0, 1), (1, 1))
        self.half = tuple(np.ascontiguousarray(ph[:, i, j, None]) for i, j in pairs)
        self.full = tuple(np.ascontiguousarray(pf[:, i, j, None]) for i, j in pairs)
        gam = np.stack([gamma1, gamma2])  # (2, U)
        self.cubic = bool(np.any(gam != 0))
        # the cubic flow is applied twice per step, for h/2 each: 2γ(h/2) = γh
        self.two_gamma_half_h = (h * gam)[:, :, None]
        # −2√γ ΔW with ΔW = √h N(0, 1); the noise buffer is (U, 2, B), one block per row
        sigma = (-2.0 * noise_scale * np.sqrt(gam * h)).T
        self.noise = noise if (noise_scale != 0 and np.any(sigma != 0)) else None
        if self.noise == "real":
            self.sigma = sigma[:, :, None]
            self.xi = np.empty((n_units, 2, n_block))
            self.xi_t = self.xi.transpose(1, 0, 2)  # (2, U, B) view, matches z
        elif self.noise == "complex":
            self.sigma = (sigma / np.sqrt(2.0))[:, :, None, None]
            self.xi = np.empty((n_units, 2, n_block, 2))
            self.xi_t = self.xi.transpose(1, 0, 2, 3)

    def linear(self, z: np.ndarray, prop) -> None:
        """z ← exp(Aτ) z in place (z1' = a z1 + b z2, z2' = b z1 + d z2)."""
        a, b, d = prop
        z1, z2 = z[0], z[1]
        np.multiply(z1, b, out=self.t1)
        np.multiply(z2, b, out=self.t2)
        np.multiply(z1, a, out=z1)
        np.add(z1, self.t2, out=z1)
        np.multiply(z2, d, out=z2)
        np.add(z2, self.t1, out=z2)

    def nonlinear_and_noise(self) -> None:
        """C(h/2) ∘ W(h) ∘ C(h/2): the middle of a step, between the linear half steps."""
        self.cubic_half_step()
        if self.noise is not None:
            self.noise_step()
        self.cubic_half_step()

    def cubic_half_step(self) -> None:
        """C(h/2): z_j ← z_j/√(1 + 2γ_j|z_j|² h/2), the exact flow of ż_j = −γ_j|z_j|² z_j."""
        if not self.cubic:
            return
        s = self.s
        np.multiply(self.zf, self.zf, out=self.sq)
        np.add(self.sq[..., 0], self.sq[..., 1], out=s)  # |z_j|²
        np.multiply(s, self.two_gamma_half_h, out=s)
        np.add(s, 1.0, out=s)
        np.sqrt(s, out=s)
        np.divide(1.0, s, out=s)
        np.multiply(self.z, s, out=self.z)

    def noise_step(self) -> None:
        """W(h): z_j ← z_j − 2i√γ_j ΔW_j, ΔW_j = √h N(0, 1) (real, or complex/√2 per part)."""
        xi = self.xi
        for u, rng in enumerate(self.rngs):
            rng.standard_normal(out=xi[u])
        np.multiply(xi, self.sigma, out=xi)
        if self.noise == "real":
            # −2i√γ ΔW with real ΔW only kicks the imaginary part (the p quadrature)
            imag = self.zf[..., 1]
            np.add(imag, self.xi_t, out=imag)
        else:
            np.add(self.zf, self.xi_t, out=self.zf)

    def block_view(self, z: np.ndarray, u: int) -> np.ndarray:
        """Re/Im of z1, z2 of block u as a (2, B, 2) float view of the state z."""
        return z.view(np.float64).reshape(z.shape + (2,))[:, u]


def simulate_D(k, omega1, omega2, *, gamma1, gamma2, beta: float, n_traj: int, dt: float,
               t_final: float, seed: int, noise: str = "real", noise_scale: float = 1.0,
               times: Sequence[float] | np.ndarray | None = None, traj_block: int = 4096,
               max_batch: int = 32768,
               progress: Callable[[int, int], None] | None = None) -> ClassicalDimerResult:
    """Integrate the stochastic Stuart–Landau dimer (SPEC §6) for many points at once.

    Parameters
    ----------
    k, omega1, omega2, gamma1, gamma2 : float or array
        Coupling, frequencies and nonlinear damping rates; broadcast to a common shape
        (P,) of grid points. Any point with ω_j ≤ 0 is rejected (thermal state undefined).
    beta : float
        Inverse temperature of the initial thermal state, ⟨|z_j|²⟩ = 1/(β ω_j).
    n_traj : int
        Trajectories per point.
    dt : float
        Requested step; the effective step is t_final/⌈t_final/dt⌉ (see :func:`step_grid`).
    t_final : float
        Defines the time grid; integration stops at the last output time.
    seed : int
        Root seed; see the module docstring for how streams are derived.
    noise : {"real", "complex"}
        Noise model (SPEC §6 Choice, default real).
    noise_scale : float
        Multiplies the noise amplitude 2√γ_j (1 = the model; 0 = deterministic dynamics from
        random thermal initial conditions, used in tests).
    times : sequence of float, optional
        Output times on the step grid, strictly increasing; default ``[t_final]``. 0 gives
        the sampled initial state.
    traj_block : int
        Trajectories per random stream (part of the stream definition: changing it changes
        the sample). The block size is min(n_traj, traj_block); a last partial block is
        padded with trajectories that are integrated but not counted.
    max_batch : int
        Memory bound: at most max(max_batch, block size) trajectory slots are integrated
        together (about 160 bytes each, so ~5 MB by default). Does not change results.
        The accumulated statistics take 152 bytes per (point, block, output time).
    progress : callable(i, n), optional
        Called after each batch with the number of batches done and the total.

    Returns
    -------
    ClassicalDimerResult
        D, its standard error, and the first and second moments at each output time.
    """
    if noise not in NOISE_KINDS:
        raise ValueError(f"noise must be one of {NOISE_KINDS}, got {noise!r}")
    n_traj = int(n_traj)
    if n_traj < 2:
        raise ValueError("n_traj must be at least 2")
    if int(traj_block) < 1 or int(max_batch) < 1:
        raise ValueError("traj_block and max_batch must be positive")
    if not beta > 0:
        raise ValueError("beta must be positive")
    pts = _as_points(k=k, omega1=omega1, omega2=omega2, gamma1=gamma1, gamma2=gamma2)
    if np.any(pts["omega1"] <= 0) or np.any(pts["omega2"] <= 0):
        raise ValueError("frequencies must be positive")
    if np.any(pts["gamma1"] < 0) or np.any(pts["gamma2"] < 0):
        raise ValueError("gamma must be non-negative")
    h, n_steps, out_idx = step_grid(dt, t_final, times)
    n_points, n_times = pts["k"].size, out_idx.size

    n_block = min(n_traj, int(traj_block))
    n_blocks = -(-n_traj // n_block)
    valid = [n_block] * (n_blocks - 1) + [n_traj - n_block * (n_blocks - 1)]
    units = [(p, b) for p in range(n_points) for b in range(n_blocks)]
    per_batch = max(1, int(max_batch) // n_block)
    batches = [units[i:i + per_batch] for i in range(0, len(units), per_batch)]
    keys = [_point_key(pts["k"][p], pts["omega1"][p], pts["omega2"][p])
            for p in range(n_points)]
    sums = np.zeros((n_points, n_blocks, n_times, _N_STATS))
    out_pos = {int(m): i for i, m in enumerate(out_idx)}
    last = int(out_idx[-1])

    for done, batch in enumerate(batches, start=1):
        sel = np.array([p for p, _ in batch])
        rngs = [_block_generator(int(seed), keys[p], b) for p, b in batch]
        ch = _Chunk(*(pts[n][sel] for n in ("k", "omega1", "omega2", "gamma1", "gamma2")),
                    float(beta), h, n_block, noise, float(noise_scale), rngs)

        def record(z: np.ndarray, m: int, ch=ch, batch=batch) -> None:
            for u, (p, b) in enumerate(batch):
                sums[p, b, out_pos[m]] = _block_sums(ch.block_view(z, u), valid[b])

        if 0 in out_pos:
            record(ch.z, 0)
        if last > 0:
            ch.linear(ch.z, ch.half)
        for m in range(1, last + 1):
            ch.nonlinear_and_noise()
            if m in out_pos:
                # finish the step on a copy, so the trajectory itself never depends on
                # which times are recorded
                y = ch.z.copy()
                ch.linear(y, ch.half)
                record(y, m)
            if m < last:
                ch.linear(ch.z, ch.full)
        if progress is not None:
            progress(done, len(batches))

    # blocks are combined in a fixed order, independently of the batching
    total = np.add.reduce(sums[..., :14], axis=1) / n_traj
    mean = total[..., :4]
    m2 = np.empty((n_points, n_times, 4, 4))
    for m, (i, j) in enumerate(_PAIRS):
        m2[..., i, j] = m2[..., j, i] = total[..., 4 + m]
    d, se = _sync_distance_with_error(total, sums[..., 14:], np.asarray(valid))
    return ClassicalDimerResult(
        times=out_idx * h, D=d, D_stderr=se, second_moments=m2, mean=mean,
        k=pts["k"], omega1=pts["omega1"], omega2=pts["omega2"], gamma1=pts["gamma1"],
        gamma2=pts["gamma2"], beta=float(beta), n_traj=n_traj, dt=h, n_steps=n_steps)


def _sync_distance_with_error(total: np.ndarray, block: np.ndarray,
                              n_valid: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """D and its delta-method standard error.

    ``total`` (P, T, 14): averaged first and raw second moments; ``block`` (P, n_blocks, T, 5):
    per-block means and centred sums of c = x1x2 + p1p2 and s = |r|² (see _block_sums);
    ``n_valid`` (n_blocks,): trajectories per block. D² = 1 − 2 c̄/s̄ (Eq. 2 with raw second
    moments). The ratio estimator R = c̄/s̄ has var R ≈ var(c − R s)/(N s̄²), so
    se(D²) = 2 se(R) and se(D) = se(D²)/(2D). Blocks are pooled with the parallel-variance
    formula (Chan et al.), e.g. S_cc = Σ_b [S_cc,b + n_b (c̄_b − c̄)²].
    """
    m = {pair: total[..., 4 + i] for i, pair in enumerate(_PAIRS)}
    cbar = m[0, 2] + m[1, 3]
    sbar = m[0, 0] + m[1, 1] + m[2, 2] + m[3, 3]
    ratio = cbar / sbar
    d2 = 1.0 - 2.0 * ratio
    d = np.sqrt(np.clip(d2, 0.0, None))
    n_traj = n_valid.sum()
    nb = n_valid[None, :, None]
    dc = block[..., 0] - cbar[:, None, :]
    ds = block[..., 1] - sbar[:, None, :]
    s_cc = np.add.reduce(block[..., 2] + nb * dc * dc, axis=1)
    s_ss = np.add.reduce(block[..., 3] + nb * ds * ds, axis=1)
    s_cs = np.add.reduce(block[..., 4] + nb * dc * ds, axis=1)
    var_resid = (s_cc - 2.0 * ratio * s_cs + ratio**2 * s_ss) / n_traj
    se_ratio = np.sqrt(np.clip(var_resid, 0.0, None) / n_traj) / sbar
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.where(d > 0, se_ratio / d, np.inf)
    return d, se
