"""Rate of synchronization (Eq. 22) and its speed limit (Eq. 23) on exact dimer trajectories.

The departure from the initial product Gibbs state ρ0 (β0) is L = S(ρ‖ρ0) (Eq. 14). Along Eq. 8,
dρ/dt = −i[H0, ρ] + {Hc, ρ} − 2⟨Hc⟩ρ + D[ρ], and since tr ρ̇ = 0,
L̇ = tr{ρ̇ (ln ρ − ln ρ0)} with ln ρ0 = −β0 H0 − ln Z0:

- the −i[H0, ρ] part gives nothing (ρ commutes with ln ρ, H0 with ln ρ0);
- the {Hc, ρ} − 2⟨Hc⟩ρ part gives 2 tr{(Hc − ⟨Hc⟩)ρ ln ρ} + β0(⟨{Hc, H0}⟩ − 2⟨Hc⟩⟨H0⟩);
- the dissipator gives −σ0, σ0 = −tr{D[ρ](ln ρ − ln ρ0)} (Spohn: ≥ 0 when ρ0 is stationary
  under D, i.e. β0 = β).

So Eq. 22 holds with the SYMMETRIZED covariance C = ½⟨{Hc, H0}⟩ − ⟨Hc⟩⟨H0⟩ (SPEC §5b). The
paper prints C_CE = ½⟨HcH0⟩ − ⟨Hc⟩⟨H0⟩, which is complex whenever ⟨[H0, Hc]⟩ ≠ 0 and whose real
part is short of the symmetrized one by ½ Re⟨HcH0⟩; both are stored (``printed``: the real part
of the printed expression), neither is silently preferred.

Eq. 23 bounds the two positive terms by Cauchy–Schwarz:
tr{(Hc − ⟨Hc⟩)ρ ln ρ} ≤ Δ_C √tr{ρ(ln ρ)²} = Δ_C √(𝓔 + S²) ≤ Δ_C √(𝓔 + S_{G,E}²), since the Gibbs
state at the same energy maximizes S; and C² ≤ Δ_E²Δ_C² − ¼|⟨[H0, Hc]⟩|² (Robertson–Schrödinger,
for the symmetrized C). The paper prints ½ in place of ¼, which no inequality guarantees: both are
stored (``printed`` with ½, ``rs`` with ¼). Δ_E² is taken as the variance of H0 (the paper writes
"the variance of Ĥ"; only H0 makes the Cauchy–Schwarz step for C work). The tighter first term
2Δ_C √𝓔 (mean-subtracted surprisal) is stored too, for information.

Everything is evaluated blockwise in the total photon number N = n1 + n2: ρ, ln ρ, ln ρ0, H0 and
Hc are block diagonal, and the dissipator enters through its adjoint,
tr{D[ρ]X} = tr{ρ D†[X]} with D†[X]_N = Σ_F F_{N'←N}† X_{N'} F_{N'←N} − ½{(Σ_F F†F)_N, X_N},
N' = N ∓ 2, which never leaves the blocks. ln ρ comes from the eigendecomposition of each block;
eigenvalues below the rounding level of their block (s_N ε max λ_N) are raised to that level,
and ``clipped_weight`` reports the weight of the blocks where this happened (high, nearly empty
sectors whose smallest eigenvalues are below what double precision resolves).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
import xarray as xr

from ..thermal import beta_from_energy, gibbs_entropy
from .blocks import BlockModel
from .model import DimerParams, dimer_params
from .quantum import ExactSolver, NumericalBreakdown

__all__ = [
    "BlockOperators",
    "block_operators",
    "rate_terms",
    "centred_derivative",
    "richardson_derivative",
    "summarize",
    "speed_limit_study",
    "speed_limit_run",
    "TERM_DESCRIPTIONS",
]

#: Variables of :func:`rate_terms` and :func:`speed_limit_run`, with their meaning.
TERM_DESCRIPTIONS = {
    "L": "S(rho||rho0), Eq. 14, rho0 = the initial (truncated) product Gibbs state at beta0",
    "entropy": "von Neumann entropy S(rho)",
    "energy": "<H0> (zero-point energy included)",
    "mean_Hc": "<Hc>",
    "var_H0": "Delta_E^2 = variance of H0 (Eq. 23)",
    "var_Hc": "Delta_C^2 = variance of Hc (Eq. 23)",
    "capacity": "capacity of entanglement tr{rho (ln rho)^2} - S^2 (Eq. 23)",
    "gibbs_entropy_E": "S_{G,E}: entropy of the uncoupled Gibbs state with energy <H0> (Eq. 23)",
    "commutator_abs": "|<[H0, Hc]>|",
    "cov_symmetrized": "C = (1/2)<{Hc, H0}> - <Hc><H0> (follows from Eq. 8)",
    "cov_printed": "C_CE as printed, Re[(1/2)<Hc H0>] - <Hc><H0> (Eq. 22 text)",
    "entropy_term": "2 tr{(Hc - <Hc>) rho ln rho}, first term of Eq. 22",
    "sigma0": "-tr{D[rho](ln rho - ln rho0)}, entropy production of the uncoupled system",
    "Ldot_eq22_symmetrized": "Eq. 22 with the symmetrized covariance",
    "Ldot_eq22_printed": "Eq. 22 with the printed C_CE",
    "bound_entropy_term": "2 Delta_C sqrt(capacity + S_{G,E}^2), first term of Eq. 23",
    "bound_entropy_term_tight": "2 Delta_C sqrt(capacity) (Cauchy-Schwarz, mean subtracted)",
    "bound_cov_arg_printed": "Delta_E^2 Delta_C^2 - (1/2)|<[H0, Hc]>|^2 (as printed)",
    "bound_cov_arg_rs": "Delta_E^2 Delta_C^2 - (1/4)|<[H0, Hc]>|^2 (Robertson-Schroedinger)",
    "bound_cov_term_printed": "2 beta0 sqrt(bound_cov_arg_printed), NaN if the argument < 0",
    "bound_cov_term_rs": "2 beta0 sqrt(bound_cov_arg_rs)",
    "bound_eq23_printed": "Eq. 23 right-hand side as printed (commutator weight 1/2)",
    "bound_eq23_rs": "Eq. 23 right-hand side with the Robertson-Schroedinger weight 1/4",
    "margin_eq23_printed": "bound_eq23_printed - Ldot_eq22_symmetrized (< 0: Eq. 23 violated)",
    "margin_eq23_rs": "bound_eq23_rs - Ldot_eq22_symmetrized (< 0: Eq. 23 violated)",
    "min_eigenvalue": "smallest eigenvalue of rho (ln rho needs it > 0)",
    "clipped_weight": "weight of the blocks with eigenvalues below rounding (raised to it)",
    "Ldot_numeric": "centred finite difference of L(t) on the output grid (2nd order)",
    "truncation_weight": "population in the top n_top photon-number sectors",
}


def _to_csr(op) -> sp.csr_matrix:
    """A QuTiP operator (or a sparse matrix) as SciPy CSR."""
    if sp.issparse(op):
        return sp.csr_matrix(op)
    return sp.csr_matrix(op.to("csr").data_as("csr_matrix"))


@dataclass(frozen=True)
class BlockOperators:
    """The operators of Eqs. 22–23 cut into the photon-number blocks of a :class:`BlockModel`.

    Attributes
    ----------
    h0 : tuple of ndarray
        Diagonal of H0 in each block (H0 is diagonal in the Fock basis).
    hc : tuple of ndarray
        Dense Hc block (Eq. 25 conserves N).
    log_rho0 : tuple of ndarray
        Diagonal of ln ρ0 in each block, from the solver's own initial state (so that L = 0 and
        σ0 = 0 exactly at t = 0, whatever the truncation).
    loss : tuple of ndarray
        Dense (Σ_F F†F) block.
    jumps : tuple of (int, int, ndarray)
        (source block, target block, F restricted to target × source) for every jump operator
        and every block it does not annihilate.
    """

    h0: tuple
    hc: tuple
    log_rho0: tuple
    loss: tuple
    jumps: tuple


def block_operators(model: BlockModel, ops) -> BlockOperators:
    """Cut H0, Hc, the jumps and ln ρ0 into the blocks of ``model``.

    Parameters
    ----------
    model : BlockModel
        Block layout and initial state (``ExactSolver.model``).
    ops : DimerOperators
        The truncated operators the model was built from (``ExactSolver.ops``).
    """
    h0_full = _to_csr(ops.H0)
    hc_full = _to_csr(ops.Hc)
    jumps_full = [_to_csr(f) for f in ops.jumps]
    pos = {int(n): b for b, n in enumerate(model.sectors)}
    charge = ops.total_number
    h0, hc, log_rho0, loss, jumps = [], [], [], [], []
    for b, (idx, rho0_b) in enumerate(zip(model.basis, model.blocks(model.rho0), strict=True)):
        h0_b = h0_full[idx][:, idx]
        if abs(h0_b - sp.diags(h0_b.diagonal())).sum() > 0:
            raise ValueError("H0 must be diagonal in the Fock basis")
        h0.append(h0_b.diagonal().real.copy())
        hc.append(hc_full[idx][:, idx].toarray())
        log_rho0.append(np.log(np.diag(rho0_b).real))
        loss_b = np.zeros((len(idx), len(idx)), dtype=complex)
        for f in jumps_full:
            column = f[:, idx].tocoo()
            hit = np.abs(column.data) > 0
            if not hit.any():  # a zero rate, or the jump leaves the retained space
                continue
            sectors = np.unique(charge[column.row[hit]])
            if len(sectors) != 1 or int(sectors[0]) not in pos:
                raise ValueError("a jump must map one retained sector onto one other")
            target = pos[int(sectors[0])]
            dense = f[model.basis[target]][:, idx].toarray()
            jumps.append((b, target, dense))
            loss_b += dense.conj().T @ dense
        loss.append(loss_b)
    return BlockOperators(h0=tuple(h0), hc=tuple(hc), log_rho0=tuple(log_rho0),
                          loss=tuple(loss), jumps=tuple(jumps))


def _block_eig(rho_b: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """Eigenvalues and eigenvectors of a Hermitian block; ``None`` vectors for a diagonal block
    (then ln ρ is the diagonal of logarithms exactly, which makes L(0) = σ0(0) = 0 exactly)."""
    off = rho_b - np.diag(np.diag(rho_b))
    if not np.any(off):
        return np.diag(rho_b).real.copy(), None
    return np.linalg.eigh(0.5 * (rho_b + rho_b.conj().T))


def _from_eig(values: np.ndarray, vecs: np.ndarray | None) -> np.ndarray:
    """V diag(values) V† (or diag(values) for a diagonal block)."""
    if vecs is None:
        return np.diag(values).astype(complex)
    return (vecs * values) @ vecs.conj().T


def rate_terms(rho_blocks, bops: BlockOperators, beta0: float, omegas) -> dict[str, float]:
    """Every term of Eqs. 22 and 23 for one block-diagonal state.

    Parameters
    ----------
    rho_blocks : sequence of ndarray
        The normalized blocks ρ_N (``BlockModel.blocks``), in the order of ``bops``.
    bops : BlockOperators
        Blocked operators (:func:`block_operators`).
    beta0 : float
        Inverse temperature of ρ0 (Eq. 14).
    omegas : array_like
        (ω1, ω2), for S_{G,E} (Eq. 23).

    Returns
    -------
    dict
        Floats keyed as in :data:`TERM_DESCRIPTIONS` (without ``Ldot_numeric`` and
        ``truncation_weight``, which need the trajectory).
    """
    rho_blocks = [np.asarray(r) for r in rho_blocks]
    eigs, clipped_weight, lam_min = [], 0.0, np.inf
    positive = True
    for r in rho_blocks:
        lam, vecs = _block_eig(r)
        lam_min = min(lam_min, float(lam.min()))
        top = float(np.abs(lam).max())
        # eigenvalues below the block's rounding level carry no information; their logarithm
        # would (a sign flip makes ln ρ undefined), so they are raised to that level and the
        # weight of the blocks concerned is reported
        floor = len(lam) * np.finfo(float).eps * top
        low = lam < floor
        if low.any():
            clipped_weight += float(lam.sum())
            lam = np.maximum(lam, floor)
        positive &= top > 0
        eigs.append((lam, vecs))
    # first pass: the means, so that every (co)variance below is a centred sum (the products
    # ⟨Hc⟩⟨H0⟩ are O(10³) at production cutoffs, the covariances much smaller)
    mean_h0 = mean_hc = 0.0
    entropy = 0.0
    for r, h0, hc, (lam, _) in zip(rho_blocks, bops.h0, bops.hc, eigs, strict=True):
        p = np.diag(r).real
        mean_h0 += float(p @ h0)
        mean_hc += float(np.einsum("ij,ji->", hc, r).real)
        if positive:
            entropy -= float(lam @ np.log(lam))
    var_h0 = var_hc = cov_sym = hc_h0_real = 0.0
    hc_h0_imag = 0.0
    capacity = entropy_term = big_l = 0.0
    logs = []
    for r, h0, hc, (lam, vecs), lr0 in zip(rho_blocks, bops.h0, bops.hc, eigs, bops.log_rho0,
                                           strict=True):
        s = len(h0)
        p = np.diag(r).real
        dh0 = h0 - mean_h0
        dhc = hc - mean_hc * np.eye(s)
        var_h0 += float(p @ dh0**2)
        var_hc += float(np.einsum("ij,jk,ki->", dhc, dhc, r).real)
        # tr{ΔHc ΔH0 ρ} = Σ_ij ΔHc_ij ΔH0_j ρ_ji; its real part is the symmetrized covariance
        # and its imaginary part is ⟨[Hc, H0]⟩/(2i)
        z = np.einsum("ij,j,ji->", dhc, dh0, r)
        cov_sym += float(z.real)
        hc_h0_imag += float(z.imag)
        hc_h0_real += float(np.einsum("ij,j,ji->", hc, h0, r).real)
        if positive:
            log_lam = np.log(lam)
            ln_rho = _from_eig(log_lam, vecs)
            x = ln_rho - np.diag(lr0)
            logs.append(x)
            big_l += float(np.einsum("ij,ji->", r, x).real)
            capacity += float(lam @ (log_lam + entropy) ** 2)
            entropy_term += 2.0 * float(
                np.einsum("ij,ji->", dhc, _from_eig(lam * log_lam, vecs)).real)
    nan = float("nan")
    if positive:
        # σ0 = −tr{ρ D†[X]}, X = ln ρ − ln ρ0, block by block
        adj = [-0.5 * (loss @ x + x @ loss) for loss, x in zip(bops.loss, logs, strict=True)]
        for src, tgt, f in bops.jumps:
            adj[src] = adj[src] + f.conj().T @ logs[tgt] @ f
        sigma0 = -sum(float(np.einsum("ij,ji->", r, a).real)
                      for r, a in zip(rho_blocks, adj, strict=True))
    else:
        big_l = entropy = capacity = entropy_term = sigma0 = nan
    commutator_abs = 2.0 * abs(hc_h0_imag)  # ⟨[H0, Hc]⟩ = −2i Im⟨ΔHc ΔH0⟩
    cov_printed = 0.5 * hc_h0_real - mean_hc * mean_h0
    s_ge = float(gibbs_entropy(beta_from_energy(mean_h0, np.asarray(omegas, float)),
                               np.asarray(omegas, float)))
    delta_c = np.sqrt(max(var_hc, 0.0))
    arg_printed = var_h0 * var_hc - 0.5 * commutator_abs**2
    arg_rs = var_h0 * var_hc - 0.25 * commutator_abs**2
    out = {
        "L": big_l,
        "entropy": entropy,
        "energy": mean_h0,
        "mean_Hc": mean_hc,
        "var_H0": var_h0,
        "var_Hc": var_hc,
        "capacity": capacity,
        "gibbs_entropy_E": s_ge,
        "commutator_abs": commutator_abs,
        "cov_symmetrized": cov_sym,
        "cov_printed": cov_printed,
        "entropy_term": entropy_term,
        "sigma0": sigma0,
        "Ldot_eq22_symmetrized": entropy_term + 2.0 * beta0 * cov_sym - sigma0,
        "Ldot_eq22_printed": entropy_term + 2.0 * beta0 * cov_printed - sigma0,
        "bound_entropy_term": 2.0 * delta_c * np.sqrt(capacity + s_ge**2),
        "bound_entropy_term_tight": 2.0 * delta_c * np.sqrt(max(capacity, 0.0))
        if np.isfinite(capacity) else nan,
        "bound_cov_arg_printed": arg_printed,
        "bound_cov_arg_rs": arg_rs,
        "bound_cov_term_printed": 2.0 * beta0 * np.sqrt(arg_printed) if arg_printed >= 0 else nan,
        "bound_cov_term_rs": 2.0 * beta0 * np.sqrt(arg_rs) if arg_rs >= 0 else nan,
        "min_eigenvalue": lam_min,
        "clipped_weight": clipped_weight,
    }
    for form in ("printed", "rs"):
        out[f"bound_eq23_{form}"] = (out["bound_entropy_term"] + out[f"bound_cov_term_{form}"]
                                     - sigma0)
        out[f"margin_eq23_{form}"] = out[f"bound_eq23_{form}"] - out["Ldot_eq22_symmetrized"]
    return {key: float(val) for key, val in out.items()}


def centred_derivative(y, t) -> np.ndarray:
    """dy/dt on the grid t: centred differences inside, second-order one-sided at the ends.

    Second order on uniform and smoothly non-uniform grids (``numpy.gradient``); used to check
    Eq. 22 against L(t) itself.
    """
    return np.gradient(np.asarray(y, float), np.asarray(t, float), edge_order=2)


def speed_limit_run(
    params: DimerParams,
    n_max: int,
    times,
    *,
    truncation: str,
    propagator: str = "taylor",
    n_top: int = 1,
    progress: Callable[[int, int], None] | None = None,
    positivity_tol: float = 1e-8,
) -> xr.Dataset:
    """Evaluate Eqs. 22 and 23 along the exact solution of Eq. 8 (:class:`.ExactSolver`).

    Parameters
    ----------
    params : DimerParams
        Model parameters (Eqs. 8, 25); ρ0 is the product Gibbs state at ``params.beta0``.
    n_max : int
        Fock cutoff (on n1 + n2 for ``truncation="total"``).
    times : array_like
        Strictly increasing output times starting at 0 or later; L̇ is also differentiated
        numerically on this grid, so it must resolve L(t).
    truncation : str
        ``"total"`` (complete photon-number sectors; use it) or ``"mode"``. No default on
        purpose: the library default of the solver is changing.
    propagator : str
        ``"taylor"`` or ``"krylov"`` (see :func:`.solve_exact`).
    n_top : int
        Sectors counted in ``truncation_weight``.
    progress : callable, optional
        ``progress(i, n_times)`` after each output time.
    positivity_tol : float
        As in :func:`.solve_exact`: numerical breakdown is declared at the first output time
        where ρ has an eigenvalue below −positivity_tol (rounding errors amplified by the
        non-normal transients of SPEC §5b), or where ρ̃ lost its trace.

    Returns
    -------
    xarray.Dataset
        Dimension ``time``; the variables of :data:`TERM_DESCRIPTIONS`. From a numerical
        breakdown on every variable is NaN and ``breakdown_time`` records the time.
        Attributes: the parameters, n_max, n_top, truncation, propagator, breakdown_time.
    """
    times = np.asarray(times, dtype=float)
    if times.ndim != 1 or len(times) < 3 or times[0] < 0 or np.any(np.diff(times) <= 0):
        raise ValueError("times must be >= 0, strictly increasing, at least 3 of them")
    if not 1 <= n_top <= n_max:
        raise ValueError("need 1 <= n_top <= n_max")
    solver = ExactSolver(params, n_max, truncation, propagator)
    bops = block_operators(solver.model, solver.ops)
    w_top = solver.top_weight_weights(n_top)
    names = [k for k in TERM_DESCRIPTIONS if k not in ("Ldot_numeric", "truncation_weight")]
    data = {name: np.full(len(times), np.nan) for name in names}
    data["truncation_weight"] = np.full(len(times), np.nan)
    breakdown = np.nan
    last = -1
    steps = solver.evolve(times, progress)
    try:
        for i, _t, x, _log_tr in steps:
            blocks = list(solver.model.blocks(solver.block_vector(x)))
            terms = rate_terms(blocks, bops, params.beta0, params.omegas)
            if terms["min_eigenvalue"] < -positivity_tol:
                breakdown = float(times[i])
                break
            for name, val in terms.items():
                data[name][i] = val
            data["truncation_weight"][i] = float(w_top @ x)
            last = i
    except NumericalBreakdown:
        breakdown = float(times[last + 1])
    finally:
        steps.close()
    data["Ldot_numeric"] = centred_derivative(data["L"], times)
    ds = xr.Dataset(
        {name: ("time", val, {"description": TERM_DESCRIPTIONS[name]})
         for name, val in data.items()},
        coords={"time": times},
    )
    ds.attrs.update(params.to_attrs())
    ds.attrs.update({"n_max": int(n_max), "n_top": int(n_top), "truncation": truncation,
                     "propagator": solver.propagator.description,
                     "breakdown_time": float(breakdown),
                     "positivity_tol": float(positivity_tol),
                     "equations": "Eq. 22 (rate of synchronization), Eq. 23 (speed limit)"})
    return ds


def speed_limit_study(
    model: dict,
    k_values,
    n_max: int,
    times,
    *,
    truncation: str,
    gamma_factor: float = 1.0,
    propagator: str = "taylor",
    n_top: int = 1,
    progress: Callable[[float, int, int], None] | None = None,
    positivity_tol: float = 1e-8,
) -> xr.Dataset:
    """:func:`speed_limit_run` for each k, stacked along a ``k`` dimension (dims k, time).

    Each |k| is solved once: a1 → −a1 maps the dynamics at −k onto that at k with c → −c
    (SPEC §5), which leaves ρ's spectrum, ⟨H0⟩, ⟨Hc²⟩ − ⟨Hc⟩², ⟨{Hc, H0}⟩ and every other term
    here unchanged (tests/test_speed_limit.py checks it on independent runs), so the −k rows
    are copies. ``progress(k, i, n_times)`` is called after each output time.
    """
    runs, solved = [], {}
    for k in k_values:
        if abs(float(k)) not in solved:
            params = dimer_params(model, abs(float(k)), gamma_factor)
            step = None if progress is None else (lambda i, n, k=k: progress(abs(float(k)), i, n))
            solved[abs(float(k))] = speed_limit_run(
                params, n_max, times, truncation=truncation, propagator=propagator,
                n_top=n_top, progress=step, positivity_tol=positivity_tol)
        runs.append(solved[abs(float(k))])
    ks = np.asarray([float(k) for k in k_values])
    ds = xr.concat(runs, dim=xr.DataArray(ks, dims="k", name="k"), combine_attrs="drop_conflicts")
    ds.attrs["breakdown_times"] = np.asarray([r.attrs["breakdown_time"] for r in runs])
    ds.attrs["gamma_factor"] = float(gamma_factor)
    return ds


def richardson_derivative(y, t) -> np.ndarray:
    """dy/dt at interior points of a UNIFORM grid to fourth order, (4 D_h − D_2h)/3, with D_h
    the centred difference of step h; NaN within two points of the ends.

    The gap between this and the second-order ``Ldot_numeric`` measures the latter's
    discretization error, so a residual against Eq. 22 can be told apart from it.
    """
    y, t = np.asarray(y, float), np.asarray(t, float)
    h = np.diff(t)
    if not np.allclose(h, h[0], rtol=1e-9, atol=0):
        raise ValueError("richardson_derivative needs a uniform grid")
    out = np.full_like(y, np.nan)
    d_h = (y[3:-1] - y[1:-3]) / (2 * h[0])
    d_2h = (y[4:] - y[:-4]) / (4 * h[0])
    out[2:-2] = (4 * d_h - d_2h) / 3
    return out


def summarize(ds: xr.Dataset, tolerance: float) -> xr.Dataset:
    """Per k: how well Eq. 22 and Eq. 23 hold along a run of :func:`speed_limit_study`.

    Only points whose truncation weight is ≤ ``tolerance`` (converged in the cutoff) and that
    are not end points of the grid (one-sided differences) enter the Eq. 22 comparison; Eq. 23
    margins are reported over converged points. Relative differences are relative to the
    run's largest |L̇| (pointwise ratios explode where L̇ crosses zero); the pointwise ratio
    is also given where |L̇| ≥ 1 % of that largest value.

    Returns
    -------
    xarray.Dataset
        Dimension ``k``. For ``form`` in (symmetrized, printed): ``eq22_{form}_rel`` (max
        |numeric − Eq. 22| / max |L̇|), ``eq22_{form}_rel_richardson`` (same against the
        fourth-order derivative), ``eq22_{form}_pointwise``; for ``form`` in (printed, rs):
        ``eq23_{form}_min_margin``, its time, its value relative to the bound, the number of
        violations (margin < 0) and of undefined bounds (negative square-root argument);
        and descriptors of the speed of synchronization: max L̇ and its time, L at the end,
        the first time L reaches half its final value, and the time averages of each term.
    """
    t = ds["time"].values
    rows = []
    for k in ds["k"].values:
        one = ds.sel(k=k)
        ok = np.isfinite(one["L"].values) & (one["truncation_weight"].values <= tolerance)
        inner = ok.copy()
        inner[[0, -1]] = False
        rich = richardson_derivative(one["L"].values, t)
        exact = one["Ldot_eq22_symmetrized"].values
        scale = np.nanmax(np.abs(np.where(ok, exact, np.nan))) if ok.any() else np.nan
        row = {"max_truncation_weight": float(np.nanmax(one["truncation_weight"].values)),
               "converged_fraction": float(ok.mean())}
        big = inner & (np.abs(exact) >= 0.01 * scale)
        for form in ("symmetrized", "printed"):
            eq22 = one[f"Ldot_eq22_{form}"].values
            diff = np.abs(one["Ldot_numeric"].values - eq22)
            row[f"eq22_{form}_rel"] = float(np.max(diff[inner]) / scale) if inner.any() else np.nan
            sel = inner & np.isfinite(rich)
            row[f"eq22_{form}_rel_richardson"] = (
                float(np.max(np.abs(rich - eq22)[sel]) / scale) if sel.any() else np.nan)
            row[f"eq22_{form}_pointwise"] = (
                float(np.max(diff[big] / np.abs(exact[big]))) if big.any() else np.nan)
        for form in ("printed", "rs"):
            margin = one[f"margin_eq23_{form}"].values
            bound = one[f"bound_eq23_{form}"].values
            arg = one[f"bound_cov_arg_{form}"].values
            fin = ok & np.isfinite(margin)
            i = np.flatnonzero(fin)[np.argmin(margin[fin])] if fin.any() else None
            row[f"eq23_{form}_min_margin"] = float(margin[i]) if i is not None else np.nan
            row[f"eq23_{form}_t_min_margin"] = float(t[i]) if i is not None else np.nan
            row[f"eq23_{form}_min_margin_rel"] = (float(margin[i] / abs(bound[i]))
                                                  if i is not None else np.nan)
            row[f"eq23_{form}_violations"] = int(np.sum(fin & (margin < 0)))
            row[f"eq23_{form}_undefined"] = int(np.sum(ok & (arg < 0)))
        l_val = one["L"].values
        j = int(np.nanargmax(np.where(ok, exact, -np.inf))) if ok.any() else 0
        row["max_Ldot"] = float(exact[j])
        row["t_max_Ldot"] = float(t[j])
        row["L_final"] = float(l_val[-1])
        half = np.flatnonzero(l_val >= 0.5 * l_val[-1])
        row["t_half_L"] = float(t[half[0]]) if half.size else np.nan
        for name in ("entropy_term", "sigma0", "bound_entropy_term", "bound_cov_term_rs",
                     "bound_eq23_rs", "Ldot_eq22_symmetrized", "var_Hc", "commutator_abs"):
            row[f"mean_{name}"] = float(np.nanmean(np.where(ok, one[name].values, np.nan)))
        row["mean_2beta0_cov_symmetrized"] = float(np.nanmean(np.where(
            ok, 2 * one.attrs.get("beta0", ds.attrs.get("beta0")) * one["cov_symmetrized"].values,
            np.nan)))
        rows.append(row)
    return xr.Dataset({key: ("k", np.asarray([r[key] for r in rows]))
                       for key in rows[0]}, coords={"k": ds["k"].values})
