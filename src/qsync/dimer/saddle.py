"""The dimer at large photon number: the leading-order saddle point of the Husimi function.

Where the undamped dynamics would diverge (t > t*, SPEC §5b) the normalized state of Eq. 8 holds
N ~ k/γ photons (hundreds to ~10⁴ at the paper's parameters). Write the Husimi function of the
linear equation's ρ̃ as Q(α, t) = e^{Σ(α, t)} and keep the leading order in 1/N of its equation
of motion, every derivative order of the two-photon terms included (∂_α Q → π Q, π = ∂Σ/∂α;
docs/research/large-photon-solver.md, "A WKB probe"). With u = α* + π:

    ∂_t Σ = H(α, π),
    H = Σ_j iω_j (α_j π_j − c.c.) + (k/2)[α1* ū2 + α2 u1 + α2* ū1 + α1 u2]
        + Σ_j γ_j⁻ [|u_j|⁴ − Re(α_j² u_j²)] + Σ_j γ_j⁺ [|α_j|⁴ − Re(α_j² u_j²)],

from the Q-representation rules aρ → (α + ∂_{α*})Q, ρa† → (α* + ∂_α)Q, a†ρ → α*Q, ρa → αQ
applied to dρ̃/dt = −i[H0, ρ̃] + {Hc, ρ̃} + Σ_F D[F]ρ̃ (Hc of Eq. 25). At π = 0, H = 2k Re(α1*α2)
= 2⟨Hc⟩ of a coherent state (the weight's growth) and the damping terms vanish (trace
preservation).

The state at time t sits, to leading order, at the maximum α*(t) of Σ(·, t): a coherent state
averaged over the common phase. α*(t) is the end of the characteristic (α̇ = −∂H/∂π,
π̇ = ∂H/∂α, Σ̇ = 2 Re(π α̇) + H) that starts on the thermal Husimi function
(π(0) = −α*(0)/(n̄_j + 1)) and ends with π(t) = 0: a two-point boundary-value problem, solved by
collocation (:func:`scipy.integrate.solve_bvp`) with continuation in k and in t. The global
phase symmetry makes one end condition redundant (the charge Im Σ_j α_jπ_j is conserved and
vanishes at t = 0); it is replaced by fixing the phase of α1(0).

Scaling: with α = x/√γ̄ and Σ = S/γ̄ (γ̄ the mean of γ1, γ2) the problem in (x, S) depends on γ
only through γ1/γ2. So D(t) at leading order does not depend on a common factor of the γ (the
γ-ladder's F) and N ∝ 1/F: the paper's parameters are the large-N end of the ladder. The
corrections are O(1/N); the exact solver on the ladder measured (D_exact − D_saddle)·N between
1.3 and 4 and N_exact − N_saddle ≈ 3.5 photons where it converges (README, "The γ-ladder").

Before t* the maximum sits at α = 0 (no macroscopic state: the leading order says nothing about
D), and a non-trivial maximum bifurcates from it at the divergence time of the undamped
dynamics, :func:`undamped_divergence_time` (an independent closed form; the tests check that the
two coincide). For |k| below the threshold (0.596 at the paper's ω, β) there is none before
t = 10 and this method does not apply: the exact solver converges there.

After a relaxation time the optimal characteristic has a long plateau (a turnpike) and the end
point no longer moves; once two consecutive output times agree to ``stationary_tol`` the value
is carried forward (``stationary_from``), which also keeps the collocation mesh bounded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import xarray as xr
from scipy.integrate import solve_bvp, solve_ivp
from scipy.linalg import expm

from .model import DimerParams
from .moments import moments_dataset

__all__ = ["SaddleSettings", "SaddleFailure", "undamped_divergence_time", "solve_saddle"]


#: Collocation tolerance of the seed and the continuation in k: a loose tolerance there can
#: land on a spurious solution (seen at 1e-4 for k < 0); the output times use ``bvp_tol``.
_SEED_TOL = 1e-6


class SaddleFailure(RuntimeError):
    """The boundary-value problem did not converge where a non-trivial saddle must exist."""


@dataclass(frozen=True, kw_only=True)
class SaddleSettings:
    """Numerical controls of :func:`solve_saddle`.

    Parameters
    ----------
    bvp_tol : float
        Collocation tolerance of :func:`scipy.integrate.solve_bvp` (relative residual).
    max_nodes : int
        Largest collocation mesh.
    stationary_tol : float
        Relative change of D and N between consecutive output times below which the state is
        taken as stationary and carried forward.
    stationary_fallback : float
        If the collocation fails (mesh limit: the turnpike grows with t) after the last step
        changed D and N by less than this (relative), the state is carried forward from there
        and the change is recorded (``stationary_fallback_change``); otherwise it is an error.
    error_coefficient : float
        c in the error estimate |D − D_saddle| ≤ c/N and |⟨n1 + n2⟩ − N_saddle| ≤ c (the
        O(1/N) corrections of the leading order; **Choice**, above every (D_exact − D)·N the
        exact solver measured where it converges: 1.3–4 on the γ-ladder at Δω = π, 2.6–9.1 at
        γ × 1000 across Δω, docs/research/scripts/saddle_c_across_delta_omega.py).
    k_step : float
        Continuation step in k from the seed coupling.
    t_step : float
        Largest continuation step in t: between output times farther apart the problem is
        solved at intermediate times too (not returned; the stationarity check runs on them).
        (At Δω = −4, k = 2 output times 1.0 apart lost the saddle, 0.5 apart took 90 CPU-s,
        0.25 apart 4 CPU-s.)
    guess_nodes : int
        Each solve starts from the previous solution on at most about this many of its nodes
        (every m-th). :func:`scipy.integrate.solve_bvp` only adds nodes, and along the
        turnpike the inherited mesh doubled at every step (188 000 nodes and 31 CPU-s per
        solve at k = 0.5, Δω = −4, t = 4.25; thinned: 8 000 nodes, the same D to 10⁻⁶).
    """

    bvp_tol: float = 1e-4
    max_nodes: int = 300_000
    stationary_tol: float = 1e-6
    stationary_fallback: float = 1e-4
    error_coefficient: float = 10.0
    k_step: float = 0.25
    t_step: float = 0.25
    guess_nodes: int = 5000

    def __post_init__(self):
        for name in ("bvp_tol", "stationary_tol", "stationary_fallback", "error_coefficient",
                     "k_step", "t_step", "guess_nodes"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")


def undamped_divergence_time(params: DimerParams, t_max: float, n_grid: int = 2001) -> float:
    """First time at which tr ρ̃ would diverge without the two-photon damping (SPEC §5b).

    Under H0 + iHc a coherent state stays coherent, α(t) = e^{−iMt}α with
    M = diag(ω1, ω2) + i(k/2)σx, and gains weight e^{|α(t)|² − |α|²}. The thermal state's
    P-function ∝ e^{−Σ|α_j|²/n̄_j} then gives a finite trace as long as
    diag(e^{β0 ω_j}) − e^{iM†t}e^{−iMt} is positive definite. Returns the first t ≤ t_max where
    it is not (bisected to 1e-10), or ``inf``.
    """
    m = np.diag(params.omegas).astype(complex) + 0.5j * params.k * np.array([[0, 1], [1, 0]])
    weight = np.diag(np.exp(params.beta0 * params.omegas))

    def margin(t):
        u = expm(-1j * m * t)
        return float(np.linalg.eigvalsh(weight - u.conj().T @ u)[0])

    grid = np.linspace(0.0, t_max, n_grid)
    values = np.array([margin(t) for t in grid[1:]])
    bad = np.flatnonzero(values <= 0)
    if bad.size == 0:
        return float("inf")
    lo, hi = grid[bad[0]], grid[bad[0] + 1]
    while hi - lo > 1e-10:
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if margin(mid) <= 0 else (mid, hi)
    return float(hi)


class _Problem:
    """The characteristic equations in scaled variables x = α√γ̄, S = γ̄Σ, in the frame
    rotating at ω̄ = (ω1 + ω2)/2 (a symmetry: it removes the fast common rotation and leaves
    moduli and the relative phase unchanged)."""

    def __init__(self, params: DimerParams):
        self.params = params
        self.gamma_scale = float(params.gammas.mean())
        if not self.gamma_scale > 0:
            raise ValueError("the saddle needs two-photon damping (γ > 0)")
        self.w = (params.omegas - params.omegas.mean())[:, None]
        self.gm = (params.gamma_minus / self.gamma_scale)[:, None]
        self.gp = (params.gamma_plus / self.gamma_scale)[:, None]
        self.inv_q = 1.0 / (params.nbar0 + 1.0)  # thermal Husimi: S0 = −Σ|x_j|²/(n̄_j + 1)

    def rhs(self, k: float, horizon: float) -> Callable:
        w, gm, gp = self.w, self.gm, self.gp

        def f(_s, y):
            a = y[0:2] + 1j * y[2:4]
            p = y[4:6] + 1j * y[6:8]
            ac, pc = a.conj(), p.conj()
            u, ub = ac + p, a + pc
            ao, aoc, uo = a[::-1], ac[::-1], u[::-1]
            dh_dp = 1j * w * a + 0.5 * k * ao + gm * (2 * u * ub**2 - a**2 * u) - gp * a**2 * u
            dh_da = (1j * w * p + 0.5 * k * (uo + aoc)
                     + gm * (2 * u**2 * ub - a * u**2 - ac**2 * ub)
                     + gp * (2 * a * ac**2 - a * u**2 - ac**2 * ub))
            h = (np.sum(1j * w * (a * p - ac * pc), axis=0)
                 + 0.5 * k * (ac[0] * ub[1] + a[1] * u[0] + ac[1] * ub[0] + a[0] * u[1])
                 + np.sum(gm * ((u * ub) ** 2 - 0.5 * a**2 * u**2 - 0.5 * ac**2 * ub**2), axis=0)
                 + np.sum(gp * (a**2 * ac**2 - 0.5 * a**2 * u**2 - 0.5 * ac**2 * ub**2), axis=0))
            adot, pdot = -dh_dp, dh_da
            sdot = 2 * np.real(np.sum(p * adot, axis=0)) + h.real
            return horizon * np.vstack([adot.real, adot.imag, pdot.real, pdot.imag, sdot[None]])

        return f

    def bc(self, ya, yb):
        a0 = ya[0:2] + 1j * ya[2:4]
        p0 = ya[4:6] + 1j * ya[6:8]
        a1 = yb[0:2] + 1j * yb[2:4]
        p1 = yb[4:6] + 1j * yb[6:8]
        r0 = p0 + a0.conj() * self.inv_q
        return np.array([r0[0].real, r0[0].imag, r0[1].real, r0[1].imag, ya[2],
                         p1[1].real, p1[1].imag, (a1[0] * p1[0]).real,
                         ya[8] + np.sum(np.abs(a0) ** 2 * self.inv_q)])

    def start(self, x0) -> np.ndarray:
        """Initial vector on the thermal Husimi manifold from (|x1|, |x2|, relative phase)."""
        a0 = np.array([x0[0], x0[1] * np.exp(1j * x0[2])])
        p0 = -a0.conj() * self.inv_q
        return np.concatenate([a0.real, a0.imag, p0.real, p0.imag,
                               [-np.sum(np.abs(a0) ** 2 * self.inv_q)]])

    def shoot(self, k: float, horizon: float, x0, n_out: int = 0):
        f = self.rhs(k, horizon)
        s = np.linspace(0.0, 1.0, n_out) if n_out else None
        sol = solve_ivp(lambda t, y: f(t, y[:, None])[:, 0], (0.0, 1.0), self.start(x0),
                        t_eval=s, rtol=1e-9, atol=1e-9, method="DOP853")
        return sol if sol.status == 0 else None

    def solve(self, k: float, horizon: float, mesh, y_guess, tol, max_nodes,
              guess_nodes: int | None = None):
        if guess_nodes is not None and len(mesh) > guess_nodes:
            keep = np.r_[np.arange(0, len(mesh) - 1, int(np.ceil(len(mesh) / guess_nodes))),
                         len(mesh) - 1]
            mesh, y_guess = mesh[keep], y_guess[:, keep]
        with np.errstate(all="ignore"):  # failed Newton steps overflow; judged by the caller
            return solve_bvp(self.rhs(k, horizon), self.bc, mesh, y_guess, tol=tol,
                             max_nodes=max_nodes)


def _end_point(y_end: np.ndarray):
    a = y_end[0:2] + 1j * y_end[2:4]
    return a, float(np.abs(y_end[4:6] + 1j * y_end[6:8]).max())


def _seed(problem: _Problem, k: float, horizon: float, settings: SaddleSettings):
    """A first saddle for coupling ``k`` and time ``horizon``: the boundary-value problem from
    constant initial guesses (|x1| = |x2| = 2, then 1; eight relative phases) on the thermal
    Husimi manifold, until one converges to a non-trivial end point with S > 0. (Shooting
    characteristics and maximizing S over their start is unreliable: many blow up.) At the
    paper's parameters every converging guess gives the same solution (checked for k = ±1:
    41 and 40 of 72 guesses, one S each); the continuation that follows keeps that branch."""
    mesh = np.linspace(0.0, 1.0, 50)
    for radius in (2.0, 1.0):
        for phase in np.linspace(0.0, 2 * np.pi, 8, endpoint=False):
            guess = np.repeat(problem.start((radius, radius, phase))[:, None], mesh.size, axis=1)
            sol = problem.solve(k, horizon, mesh, guess, _SEED_TOL, 20_000)
            if _is_nontrivial(sol) and sol.y[-1, -1] > 0:
                return sol.x, sol.y
    raise SaddleFailure(f"no non-trivial saddle found for the seed k = {k:g}, t = {horizon:g}")


def _is_nontrivial(sol) -> bool:
    a, _ = _end_point(sol.y[:, -1])
    return sol.status == 0 and bool(np.sum(np.abs(a) ** 2) > 1e-6)


def solve_saddle(params: DimerParams, times, settings: SaddleSettings | None = None,
                 progress: Callable[[int, int], None] | None = None) -> xr.Dataset:
    """Leading-order large-N state of the dimer at each output time (see the module docstring).

    Parameters
    ----------
    params : DimerParams
        Model parameters (β0 = β or not; γ1, γ2 > 0).
    times : array_like
        Non-decreasing output times ≥ 0.
    settings : SaddleSettings, optional
        Numerical controls and the error coefficient.
    progress : callable, optional
        Called as ``progress(i, n)`` after each output time.

    Returns
    -------
    xarray.Dataset
        On ``time``: the layout of the other dimer solvers (:func:`.moments.moments_dataset`)
        for the phase-averaged coherent state |α*(t)⟩ (n_j = |α_j|², c = α1*α2; ``chi`` is NaN:
        only its Gaussian lower bound ``chi_gaussian`` is known), with ``D`` the leading-order
        value √(1 − 2 Re c/N) (independent of a common γ factor), plus ``D_error`` =
        c_err/N, ``n_total`` = N, ``n_total_error`` = c_err, ``log_trace`` = Σ(α*, t)
        (the leading order of ln tr ρ̃) and ``saddle`` (True where a
        non-trivial maximum exists). Every variable is NaN where ``saddle`` is False.
        Attributes: the parameters, method='saddle', ``divergence_time`` (closed form),
        ``bifurcation_time`` (first output time with a saddle), ``stationary_from``,
        ``max_bvp_residual`` and the settings.
    """
    settings = settings or SaddleSettings()
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or len(times) == 0 or times[0] < 0 or np.any(np.diff(times) < 0):
        raise ValueError("times must be a non-empty, non-decreasing 1-D array of times >= 0")
    problem = _Problem(params)
    # the continuation runs on a grid with steps ≤ t_step (the output times among them), so
    # that the stationarity check sees steps that small too
    output_times = times
    times, keep = _refined(output_times, settings.t_step)
    n_t = len(times)
    t_star = undamped_divergence_time(params, float(times[-1]))
    ends = np.full((n_t, 9), np.nan)
    residual = np.zeros(n_t)
    stationary_from = fallback_change = np.nan
    active = np.flatnonzero(times > t_star)
    t_end = float(times[-1])
    if active.size:
        k = float(params.k)
        # seed at |k| = 1 (or k itself when smaller), where the seed search is reliable, then
        # continue in k along horizons t*(k) + 0.6/|k| (long enough for a developed saddle,
        # short enough to keep the collocation mesh small), then to the first output time
        k_seed = float(np.sign(k) * min(abs(k), 1.0))
        if not np.isfinite(undamped_divergence_time(params.with_k(k_seed), 10.0 * t_end + 10)):
            k_seed = k

        def horizon(kk):
            star = undamped_divergence_time(params.with_k(kk), 10.0 * t_end + 10)
            return float(star + 0.6 / abs(kk))

        mesh, y = _seed(problem, k_seed, horizon(k_seed), settings)
        n_steps = int(np.ceil(abs(k - k_seed) / settings.k_step))
        path = [(kk, horizon(kk)) for kk in np.linspace(k_seed, k, n_steps + 1)[1:]]
        h_end = path[-1][1] if path else horizon(k_seed)
        target = float(times[active[0]]) if times[active[0]] > h_end else float(
            times[np.searchsorted(times, h_end, side="right") - 1])
        m = int(np.ceil(abs(h_end - target) / 0.1))
        path += [(k, h) for h in np.linspace(h_end, target, m + 1)[1:]]
        for kk, h in path:
            sol = problem.solve(kk, h, mesh, y, min(settings.bvp_tol, _SEED_TOL),
                                settings.max_nodes, settings.guess_nodes)
            if not _is_nontrivial(sol):
                raise SaddleFailure(f"continuation lost the saddle at k = {kk:g}, t = {h:g}")
            mesh, y = sol.x, sol.y
        horizon0 = target
        start = int(np.searchsorted(times, horizon0))
        mesh_at_start, y_at_start = mesh, y
        # forward in time from the seed horizon, then backward towards the bifurcation
        for order in (range(start, n_t), range(start - 1, active[0] - 1, -1)):
            mesh, y = mesh_at_start, y_at_start
            previous, last_change = None, np.inf
            for i in order:
                if order.step > 0 and np.isfinite(stationary_from):
                    ends[i] = ends[i - 1]
                    ends[i, 8] += _growth(problem, k, ends[i - 1]) * (times[i] - times[i - 1])
                    continue
                sol = problem.solve(k, float(times[i]), mesh, y, settings.bvp_tol,
                                    settings.max_nodes, settings.guess_nodes)
                if not _is_nontrivial(sol):
                    if order.step < 0:
                        break  # backward: the maximum has collapsed onto α = 0 (near t*)
                    if last_change <= settings.stationary_fallback:
                        # the turnpike grew too long for the mesh: the end point had stopped
                        # moving to this tolerance, so it is carried forward (recorded)
                        stationary_from = float(times[i - 1])
                        fallback_change = last_change
                        ends[i] = ends[i - 1]
                        ends[i, 8] += _growth(problem, k, ends[i - 1]) * (times[i] - times[i - 1])
                        continue
                    raise SaddleFailure(f"lost the saddle at t = {times[i]:g}, k = {k:g}")
                mesh, y = sol.x, sol.y
                ends[i] = y[:, -1]
                residual[i] = float(np.max(sol.rms_residuals))
                current = _measures(ends[i])
                if order.step > 0 and previous is not None:
                    last_change = float(np.max(np.abs(current - previous) / np.abs(current)))
                    if last_change <= settings.stationary_tol:
                        stationary_from = float(times[i])
                previous = current
                if progress is not None:
                    progress(i, n_t)
    ds = _dataset(params, output_times, ends[keep], residual[keep], problem, settings, t_star,
                  stationary_from)
    ds.attrs["stationary_fallback_change"] = fallback_change
    return ds


def _refined(times: np.ndarray, t_step: float) -> tuple[np.ndarray, np.ndarray]:
    """A grid that contains ``times`` and has no gap wider than ``t_step``, and the indices of
    ``times`` in it."""
    pieces = [times[:1]]
    for a, b in zip(times[:-1], times[1:], strict=True):
        m = max(int(np.ceil((b - a) / t_step - 1e-9)), 1)
        pieces.append(np.linspace(a, b, m + 1)[1:] if b > a else np.array([b]))
    fine = np.unique(np.concatenate(pieces))
    return fine, np.searchsorted(fine, times)


def _measures(y_end: np.ndarray) -> np.ndarray:
    a, _ = _end_point(y_end)
    n = np.sum(np.abs(a) ** 2)
    return np.array([n, 1 - 2 * np.real(a[0].conj() * a[1]) / n])


def _growth(problem: _Problem, k: float, y_end: np.ndarray) -> float:
    """dS/dt at a stationary end point: H(x*, 0) = 2k Re(x1* x2) (the HJ equation at π = 0)."""
    a, _ = _end_point(y_end)
    return float(2 * k * np.real(a[0].conj() * a[1]))


def _dataset(params, times, ends, residual, problem, settings, t_star, stationary_from):
    scale = problem.gamma_scale
    a = (ends[:, 0:2] + 1j * ends[:, 2:4]) / np.sqrt(scale)  # back to physical α
    ok = np.isfinite(ends[:, 0])
    n1, n2 = np.abs(a[:, 0]) ** 2, np.abs(a[:, 1]) ** 2
    c = a[:, 0].conj() * a[:, 1]
    n_total = n1 + n2
    with np.errstate(invalid="ignore", divide="ignore"):
        d_lead = np.sqrt(np.clip(1 - 2 * c.real / n_total, 0, None))
    nan = np.full(len(times), np.nan)
    first = float(times[ok][0]) if ok.any() else np.nan
    attrs = {
        "method": "saddle",
        "divergence_time": t_star,
        "bifurcation_time": first,
        "stationary_from": stationary_from,
        "max_bvp_residual": float(residual.max()),
        "bvp_tol": settings.bvp_tol,
        "stationary_tol": settings.stationary_tol,
        "error_coefficient": settings.error_coefficient,
    }
    ds = moments_dataset(params, times, n1, n2, c, nan, np.where(ok, 0.0, np.nan),
                         ends[:, 8] / scale, attrs,
                         extra={"n_total": n_total,
                                "D_error": settings.error_coefficient / n_total,
                                "n_total_error": np.where(ok, settings.error_coefficient, np.nan)})
    ds["D"] = ("time", np.where(ok, d_lead, np.nan),
               {"description": "leading-order D = sqrt(1 - 2 Re c / N) at the saddle, Eq. 2"})
    ds["saddle"] = ("time", ok, {"description": "a non-trivial maximum of the Husimi exponent "
                                 "exists (t > t*)"})
    for name, text in (("n_total", "N = |alpha1|^2 + |alpha2|^2 at the saddle (leading order)"),
                       ("D_error", "estimated O(1/N) error of D: error_coefficient / N"),
                       ("n_total_error", "estimated O(1) error of n_total: error_coefficient"),
                       ("log_trace", "leading order of ln tr(rho~): Sigma at the saddle"),
                       ("truncation_weight", "0: no Fock truncation (saddle)")):
        ds[name].attrs["description"] = text
    return ds
