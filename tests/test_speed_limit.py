"""Rate of synchronization (Eq. 22) and speed limit (Eq. 23) along exact dimer runs (issue 14).

Independent routes: every term against dense full-space QuTiP operators with scipy.linalg.logm
(and S_{G,E} from explicit thermal sums); Eq. 22 against a centred difference of L(t) from the
solver, with the step halved (second order); L against the solver's own L; ρ = ρ0 at t = 0;
Spohn's inequality σ0 ≥ 0 (and that it is not automatic: it fails for β0 ≠ β); the exact
k → −k symmetry; Robertson–Schrödinger for the 1/4 form of Eq. 23.
"""

import numpy as np
import pytest
import qutip
import scipy.linalg as sla
from scipy.optimize import brentq

from qsync.dimer.model import DimerParams
from qsync.dimer.operators import dimer_operators, initial_state
from qsync.dimer.quantum import ExactSolver, solve_exact
from qsync.dimer.speed_limit import (
    TERM_DESCRIPTIONS,
    block_operators,
    centred_derivative,
    rate_terms,
    richardson_derivative,
    speed_limit_run,
    speed_limit_study,
    summarize,
)

TAU = 2.0 * np.pi


def _params(k, gamma_factor=1.0, beta=0.2, beta0=None):
    """Every field explicit (the defaults of DimerParams are going away)."""
    return DimerParams(omega1=TAU, omega2=1.5 * TAU, gamma1=0.05 * gamma_factor,
                       gamma2=0.08 * gamma_factor, beta=beta, k=float(k),
                       beta0=beta if beta0 is None else beta0)


#: strong two-photon damping, low temperature: converged at n1 + n2 <= 12
STRONG = _params(2.0, gamma_factor=10.0)


def _state_at(params, n_max, truncation, t):
    solver = ExactSolver(params, n_max, truncation, "taylor")
    *_, (_i, _t, x, _log_tr) = solver.evolve([0.0, t])
    return solver, x


def _gibbs_entropy_by_sums(energy, omegas, n_levels=4000):
    """S_{G,E} from explicit thermal distributions (no closed forms shared with qsync)."""
    n = np.arange(n_levels)

    def mode(beta, w):
        p = np.exp(-beta * w * n)
        p /= p.sum()
        return p

    def e_of(beta):
        return sum(w * (mode(beta, w) @ n + 0.5) for w in omegas)

    beta = brentq(lambda b: e_of(b) - energy, 1e-4, 50.0, xtol=1e-15, rtol=1e-15)
    s = 0.0
    for w in omegas:
        p = mode(beta, w)
        p = p[p > 0]
        s -= p @ np.log(p)
    return s


def _brute_force(params, n_max, truncation, rho_full):
    """Every term from dense matrices of the retained space, straight from the formulas."""
    ops = dimer_operators(params, n_max, truncation)
    keep = np.flatnonzero(ops.kept)
    rho_q = qutip.Qobj(rho_full, dims=ops.H0.dims)
    # D[ρ] = Σ FρF† − ½{F†F, ρ}, with QuTiP's own dissipator superoperator
    d_rho = sum(qutip.vector_to_operator(qutip.lindblad_dissipator(f) *
                                         qutip.operator_to_vector(rho_q)) for f in ops.jumps)

    def cut(m):
        m = m.full() if isinstance(m, qutip.Qobj) else m
        return m[np.ix_(keep, keep)]

    rho, h0, hc, drho = cut(rho_full), cut(ops.H0), cut(ops.Hc), cut(d_rho)
    rho0 = cut(initial_state(params, n_max, truncation))
    log_rho, log_rho0 = sla.logm(rho), sla.logm(rho0)
    ex = lambda a: np.trace(a @ rho)  # noqa: E731
    e_h0, e_hc = ex(h0).real, ex(hc).real
    s = -np.trace(rho @ log_rho).real
    var_h0 = ex(h0 @ h0).real - e_h0**2
    var_hc = ex(hc @ hc).real - e_hc**2
    comm = ex(h0 @ hc - hc @ h0)
    cov_sym = 0.5 * ex(hc @ h0 + h0 @ hc).real - e_hc * e_h0
    cov_printed = 0.5 * ex(hc @ h0).real - e_hc * e_h0
    entropy_term = 2.0 * np.trace((hc - e_hc * np.eye(len(keep))) @ rho @ log_rho).real
    sigma0 = -np.trace(drho @ (log_rho - log_rho0)).real
    capacity = np.trace(rho @ log_rho @ log_rho).real - s**2
    s_ge = _gibbs_entropy_by_sums(e_h0, params.omegas)
    beta0 = params.beta0
    out = {
        "L": np.trace(rho @ (log_rho - log_rho0)).real,
        "entropy": s,
        "energy": e_h0,
        "mean_Hc": e_hc,
        "var_H0": var_h0,
        "var_Hc": var_hc,
        "capacity": capacity,
        "gibbs_entropy_E": s_ge,
        "commutator_abs": abs(comm),
        "cov_symmetrized": cov_sym,
        "cov_printed": cov_printed,
        "entropy_term": entropy_term,
        "sigma0": sigma0,
        "Ldot_eq22_symmetrized": entropy_term + 2 * beta0 * cov_sym - sigma0,
        "Ldot_eq22_printed": entropy_term + 2 * beta0 * cov_printed - sigma0,
        "bound_entropy_term": 2 * np.sqrt(var_hc) * np.sqrt(capacity + s_ge**2),
        "bound_entropy_term_tight": 2 * np.sqrt(var_hc) * np.sqrt(capacity),
        "bound_cov_arg_printed": var_h0 * var_hc - 0.5 * abs(comm) ** 2,
        "bound_cov_arg_rs": var_h0 * var_hc - 0.25 * abs(comm) ** 2,
    }
    for form in ("printed", "rs"):
        arg = out[f"bound_cov_arg_{form}"]
        out[f"bound_cov_term_{form}"] = 2 * beta0 * np.sqrt(arg) if arg >= 0 else np.nan
        out[f"bound_eq23_{form}"] = (out["bound_entropy_term"] + out[f"bound_cov_term_{form}"]
                                     - sigma0)
        out[f"margin_eq23_{form}"] = out[f"bound_eq23_{form}"] - out["Ldot_eq22_symmetrized"]
    return out


@pytest.mark.parametrize(("truncation", "n_max", "k", "t"),
                         [("total", 7, 2.0, 0.3), ("mode", 4, -3.0, 0.2)])
def test_every_term_matches_dense_brute_force(truncation, n_max, k, t):
    """Blockwise terms = dense full-space formulas with logm, to 1e-8."""
    params = _params(k, gamma_factor=2.0, beta=0.1)
    solver, x = _state_at(params, n_max, truncation, t)
    terms = rate_terms(list(solver.model.blocks(solver.block_vector(x))),
                       block_operators(solver.model, solver.ops), params.beta0, params.omegas)
    ref = _brute_force(params, n_max, truncation, solver.density_matrix(x))
    assert ref["commutator_abs"] > 1e-3 and abs(ref["cov_symmetrized"]) > 1e-3  # not trivial
    assert set(ref) <= set(terms)
    for name, want in ref.items():
        assert terms[name] == pytest.approx(want, rel=1e-8, abs=1e-10, nan_ok=True), name


def _l_dot(params, n_max, h, t_end=0.4):
    times = np.arange(0.0, t_end + h / 2, h)
    return speed_limit_run(params, n_max, times, truncation="total", propagator="taylor")


def test_eq22_symmetrized_is_the_derivative_of_L_to_second_order():
    """Centred difference of L(t) → Eq. 22 (symmetrized C) as h², on a converged case."""
    coarse, fine = _l_dot(STRONG, 12, 0.02), _l_dot(STRONG, 12, 0.01)
    assert float(fine["truncation_weight"].max()) < 1e-5  # converged in the cutoff
    common = np.round(np.arange(0.04, 0.361, 0.02), 10)
    err = [float(abs(ds["Ldot_numeric"] - ds["Ldot_eq22_symmetrized"])
                 .sel(time=common, method="nearest").max()) for ds in (coarse, fine)]
    scale = float(abs(fine["Ldot_eq22_symmetrized"]).max())
    assert scale > 1.0
    assert err[1] < 1e-3 * scale
    assert 3.0 < err[0] / err[1] < 5.0  # second order: halving h divides the error by 4


def test_printed_covariance_does_not_give_the_derivative():
    """The printed C_CE = ½⟨HcH0⟩ − ⟨Hc⟩⟨H0⟩ misses L̇ by far more than the difference error."""
    ds = _l_dot(STRONG, 12, 0.01)
    inner = ds.isel(time=slice(2, -2))
    err_sym = float(abs(inner["Ldot_numeric"] - inner["Ldot_eq22_symmetrized"]).max())
    err_printed = float(abs(inner["Ldot_numeric"] - inner["Ldot_eq22_printed"]).max())
    assert err_printed > 100 * err_sym


def test_L_matches_the_solver_up_to_the_tail_of_rho0():
    """L here is relative to the retained ρ0; the solver's uses the untruncated ln Z0. They
    differ by the constant ln Z0 − ln Z0' = −L_solver(0)."""
    params = _params(3.0, gamma_factor=3.0, beta=0.05)
    times = np.linspace(0.0, 0.3, 7)
    ds = speed_limit_run(params, 10, times, truncation="total", propagator="krylov")
    ref = solve_exact(params, 10, times, truncation="total", propagator="krylov")
    offset = -float(ref["L"][0])
    assert -offset > 1e-3  # the truncation matters at this β, so the check is not vacuous
    np.testing.assert_allclose(ds["L"] - ref["L"], offset, rtol=0, atol=1e-10)
    np.testing.assert_allclose(ds["entropy"], ref["entropy"], rtol=1e-10)


@pytest.mark.parametrize("truncation", ["total", "mode"])
def test_initial_state_has_L_and_sigma0_exactly_zero(truncation):
    """ρ(0) = ρ0: L = 0 and σ0 = 0 exactly (not merely to rounding)."""
    params = _params(3.0, beta=0.05)
    solver = ExactSolver(params, 8, truncation, "taylor")
    terms = rate_terms(list(solver.model.blocks(solver.block_vector(solver.x0))),
                       block_operators(solver.model, solver.ops), params.beta0, params.omegas)
    assert terms["L"] == 0.0
    assert terms["sigma0"] == 0.0
    assert terms["Ldot_eq22_symmetrized"] == 0.0  # ρ0 is diagonal, Hc has no diagonal


def test_sigma0_nonnegative_along_a_trajectory_only_when_beta0_equals_beta():
    """Spohn: σ0 ≥ 0 when ρ0 is stationary under D (β0 = β); not for another β0."""
    times = np.linspace(0.0, 1.0, 21)
    ds = speed_limit_run(_params(3.0, gamma_factor=3.0, beta=0.05), 10, times,
                         truncation="total", propagator="krylov")
    assert float(ds["sigma0"].max()) > 1.0
    assert float(ds["sigma0"].min()) >= -1e-12
    other = speed_limit_run(_params(3.0, gamma_factor=3.0, beta=0.05, beta0=0.1), 10, times,
                            truncation="total", propagator="krylov")
    assert float(other["sigma0"].min()) < -1e-3


def test_terms_are_invariant_under_k_to_minus_k():
    """a1 → −a1 maps the run at −k onto the run at k and leaves every term unchanged."""
    times = np.linspace(0.0, 0.5, 6)
    plus, minus = (speed_limit_run(_params(k, gamma_factor=3.0, beta=0.1), 8, times,
                                   truncation="total", propagator="taylor") for k in (2.5, -2.5))
    for name in TERM_DESCRIPTIONS:
        np.testing.assert_allclose(minus[name], plus[name], rtol=1e-9, atol=1e-11,
                                   err_msg=name)


def test_eq23_with_the_robertson_schroedinger_weight_bounds_eq22():
    """With the commutator weight ¼, Eq. 23 ≥ Eq. 22 (symmetrized) holds by construction."""
    times = np.linspace(0.0, 1.0, 21)
    ds = speed_limit_run(_params(-3.0, gamma_factor=3.0, beta=0.05), 10, times,
                         truncation="total", propagator="krylov")
    assert float(ds["margin_eq23_rs"].min()) >= 0.0
    assert float(ds["bound_cov_arg_rs"].min()) >= float((ds["cov_symmetrized"] ** 2).min())


def test_centred_derivative_is_exact_for_quadratics_and_rejects_bad_grids():
    t = np.linspace(0.0, 1.0, 11)
    np.testing.assert_allclose(centred_derivative(3 * t**2 - t, t), 6 * t - 1, atol=1e-12)
    with pytest.raises(ValueError):
        speed_limit_run(STRONG, 6, [0.0, 0.1, 0.1, 0.2], truncation="total")


def test_richardson_derivative_is_exact_for_quartics():
    t = np.linspace(0.0, 1.0, 21)
    d = richardson_derivative(t**4 - 2 * t**3, t)
    np.testing.assert_allclose(d[2:-2], (4 * t**3 - 6 * t**2)[2:-2], atol=1e-10)
    assert np.isnan(d[:2]).all() and np.isnan(d[-2:]).all()
    with pytest.raises(ValueError):
        richardson_derivative(t, t**2)


def test_summary_counts_what_the_run_shows():
    """summarize() on a small stacked run: its numbers are those of the raw variables."""
    times = np.linspace(0.0, 0.4, 41)
    model = {"omega1": TAU, "omega2": 1.5 * TAU, "gamma1": 0.05, "gamma2": 0.08, "beta": 0.2,
             "beta0": None}
    ds = speed_limit_study(model, [2.0, 0.5], 12, times, truncation="total", gamma_factor=10.0)
    assert ds["L"].dims == ("k", "time")
    s = summarize(ds, tolerance=1e-3)
    one = ds.sel(k=2.0)
    assert s["eq23_rs_violations"].sel(k=2.0) == int((one["margin_eq23_rs"] < 0).sum())
    assert s["eq23_rs_min_margin"].sel(k=2.0) == pytest.approx(
        float(one["margin_eq23_rs"].min()))
    # the fourth-order derivative removes most of the second-order difference's residual
    assert float(s["eq22_symmetrized_rel_richardson"].max()) < 0.1 * float(
        s["eq22_symmetrized_rel"].max())
    assert float(s["eq22_printed_rel"].min()) > 0.1
    # larger |k| drives L faster here
    assert s["max_Ldot"].sel(k=2.0) > s["max_Ldot"].sel(k=0.5)


def test_positivity_breakdown_makes_the_rest_nan():
    """A state failing the positivity check ends the run: NaN from there, time recorded.
    (A negative tolerance, between the smallest eigenvalues at t1 and t2, makes the check fail
    first at t2: it exercises the path cheaply.)"""
    times = np.linspace(0.0, 0.2, 5)
    ok = speed_limit_run(STRONG, 6, times, truncation="total")
    assert np.isnan(ok.attrs["breakdown_time"]) and np.isfinite(ok["L"]).all()
    lam = ok["min_eigenvalue"].values
    assert lam[2] < lam[:2].min()  # precondition of the construction below
    tol = -0.5 * (lam[2] + lam[:2].min())
    bad = speed_limit_run(STRONG, 6, times, truncation="total", positivity_tol=tol)
    assert bad.attrs["breakdown_time"] == times[2]
    assert np.isnan(bad["L"][2:]).all() and np.isfinite(bad["L"][:2]).all()
