"""Exact (block-Fock) solver of the dimer master equation, Eq. 8 (SPEC §5, §8).

Independent routes: a plain QuTiP ``mesolve`` of the full truncated linear Liouvillian; a direct
integration of the NONLINEAR Eq. 8 with operators built here from NumPy ladder matrices; the
exact stationarity of the thermal state at k = 0; the k → −k symmetry (a1 → −a1); Eq. 12; and
the no-jump sector bound of SPEC §5.
"""

import numpy as np
import pytest
import qutip
from scipy.integrate import solve_ivp
from scipy.sparse.linalg import expm_multiply

from conftest import paper_params
from qsync.dimer.diagnostics import no_jump_sector_weights, sector_growth_rates
from qsync.dimer.expmv import KrylovPropagator, TaylorPropagator
from qsync.dimer.model import DimerParams
from qsync.dimer.operators import dimer_operators, initial_state
from qsync.dimer.quantum import ExactSolver, solve_exact
from qsync.dimer.reference import linear_liouvillian
from qsync.phase_diagram.quantum import quantum_d_final
from qsync.thermal import bose_occupation

#: strong damping so that every term of Eq. 8 matters on short times
STRONG = paper_params(k=2.0, gamma1=0.05, gamma2=0.08, beta=0.2)
PAPER = paper_params()


def _fock_moments(rho, ops):
    return (
        qutip.expect(ops.n1, rho),
        qutip.expect(ops.n2, rho),
        (ops.c_op * rho).tr(),
    )


@pytest.mark.parametrize(
    ("params", "t_end", "truncation", "n_max"),
    [(STRONG, 1.5, "mode", 6), (PAPER.with_k(-5.0), 1.0, "mode", 6),
     (PAPER.with_k(1.0), 1.0, "mode", 6), (STRONG, 1.5, "total", 9),
     (PAPER.with_k(3.0), 1.0, "total", 9)],
    ids=["strong-damping-k2", "paper-k-5", "paper-k1", "total-strong-k2", "total-paper-k3"],
)
@pytest.mark.parametrize("propagator", ["taylor", "krylov"])
def test_block_solver_matches_full_mesolve(params, t_end, truncation, n_max, propagator):
    """Block solver = QuTiP mesolve of the full (n_max+1)^4 linear Liouvillian, normalized."""
    times = np.linspace(0.0, t_end, 7)
    ops = dimer_operators(params, n_max, truncation)
    opts = {"method": "vern9", "atol": 1e-13, "rtol": 1e-12, "nsteps": 10**6,
            "normalize_output": False, "store_states": True}
    res = qutip.mesolve(linear_liouvillian(ops), initial_state(params, n_max, truncation),
                        times, options=opts)
    solver = ExactSolver(params, n_max, truncation, propagator)
    ds = solve_exact(params, n_max, times, truncation=truncation, propagator=propagator)
    assert ds.attrs["propagator"].lower().startswith(
        {"taylor": "al-mohy", "krylov": "sidje"}[propagator])
    for (i, _t, x, log_tr), raw in zip(solver.evolve(times), res.states, strict=True):
        tr = raw.tr().real
        rho_ref = raw / tr
        assert log_tr == pytest.approx(np.log(tr), abs=1e-8)
        n1, n2, c = _fock_moments(rho_ref, ops)
        assert ds.n1[i] == pytest.approx(n1, abs=1e-7)
        assert ds.n2[i] == pytest.approx(n2, abs=1e-7)
        assert ds.c_real[i] + 1j * ds.c_imag[i] == pytest.approx(c, abs=1e-7)
        np.testing.assert_allclose(solver.density_matrix(x), rho_ref.full(), atol=1e-8)
    # the growth is real: otherwise the test would not exercise the normalization
    assert abs(ds.log_trace[-1]) > 0.1


def _numpy_model(params, n_max):
    """H0, Hc and jumps built directly from truncated NumPy ladder matrices (not via QuTiP)."""
    a = np.diag(np.sqrt(np.arange(1, n_max + 1)), 1)
    eye = np.eye(n_max + 1)
    a1, a2 = np.kron(a, eye), np.kron(eye, a)
    num1, num2 = a1.T @ a1, a2.T @ a2
    ident = np.eye((n_max + 1) ** 2)
    h0 = params.omega1 * (num1 + 0.5 * ident) + params.omega2 * (num2 + 0.5 * ident)
    hc = 0.5 * params.k * (a1.T @ a2 + a2.T @ a1)
    gm, gp = params.gamma_minus, params.gamma_plus
    jumps = [np.sqrt(gm[0]) * a1 @ a1, np.sqrt(gp[0]) * a1.T @ a1.T,
             np.sqrt(gm[1]) * a2 @ a2, np.sqrt(gp[1]) * a2.T @ a2.T]
    return h0, hc, jumps, num1, num2, a1.T @ a2


def test_linear_then_normalize_equals_nonlinear_equation():
    """ρ̃/tr ρ̃ solves the nonlinear Eq. 8 itself (dense integration of Eq. 8, solve_ivp)."""
    params, n_max = STRONG.with_k(-3.0), 4
    h0, hc, jumps, *_ = _numpy_model(params, n_max)
    loss = sum(f.conj().T @ f for f in jumps)
    dim = (n_max + 1) ** 2

    def eq8(_t, y):
        rho = y.reshape(dim, dim)
        drho = (-1j * (h0 @ rho - rho @ h0) + hc @ rho + rho @ hc
                - 2.0 * np.trace(hc @ rho) * rho - 0.5 * (loss @ rho + rho @ loss))
        for f in jumps:
            drho += f @ rho @ f.conj().T
        return drho.ravel()

    times = np.linspace(0.0, 2.0, 5)
    rho0 = initial_state(params, n_max, truncation="mode").full()
    sol = solve_ivp(eq8, (0, 2.0), rho0.ravel().astype(complex), t_eval=times,
                    method="DOP853", rtol=1e-11, atol=1e-13)
    assert sol.success
    solver = ExactSolver(params, n_max, truncation="mode")
    for i, _t, x, _ in solver.evolve(times):
        np.testing.assert_allclose(solver.density_matrix(x), sol.y[:, i].reshape(dim, dim),
                                   atol=1e-8)
    # the nonlinear term was active: the state moved far from the initial one
    assert np.abs(sol.y[:, -1] - sol.y[:, 0]).max() > 0.05


def test_qutip_operators_match_numpy_construction():
    params, n_max = STRONG, 5
    ops = dimer_operators(params, n_max, truncation="mode")
    h0, hc, jumps, *_ = _numpy_model(params, n_max)
    np.testing.assert_allclose(ops.H0.full(), h0, atol=1e-12)
    np.testing.assert_allclose(ops.Hc.full(), hc, atol=1e-12)
    for f, g in zip(ops.jumps, jumps, strict=True):
        np.testing.assert_allclose(f.full(), g, atol=1e-12)


def test_k0_keeps_thermal_state_stationary():
    """k = 0, β0 = β: n_j = n̄(ω_j), c = 0, D = 1, χ = 0 for all times (paper γ, β)."""
    n_max = 30
    params = PAPER.with_k(0.0)
    times = np.array([0.0, 2.5, 10.0])
    ds = solve_exact(params, n_max, times, truncation="mode")
    # the truncated thermal state: exactly stationary (detailed balance of the truncated jumps)
    for j, name in enumerate(("n1", "n2")):
        x = params.beta0 * params.omegas[j]
        p = np.exp(-x * np.arange(n_max + 1))
        n_trunc = (np.arange(n_max + 1) * p).sum() / p.sum()
        np.testing.assert_allclose(ds[name], n_trunc, rtol=1e-10)
        # and the untruncated n̄ up to the tail weight of the cutoff
        np.testing.assert_allclose(ds[name], bose_occupation(params.beta, params.omegas[j]),
                                   rtol=3e-3)
    np.testing.assert_allclose(ds.c_real, 0.0, atol=1e-12)
    np.testing.assert_allclose(ds.c_imag, 0.0, atol=1e-12)
    np.testing.assert_allclose(ds.D, 1.0, atol=1e-12)
    # χ ≤ −ln(1 − tail) ≈ 6e-5 for a truncated Gibbs state; constant in time
    assert np.all(np.abs(ds.chi) < 1e-4)
    assert np.ptp(ds.chi.values) < 1e-9
    np.testing.assert_allclose(ds.L, ds.L[0], atol=1e-9)
    np.testing.assert_allclose(ds.log_trace, 0.0, atol=1e-10)


def test_k0_stationary_with_total_number_truncation():
    n_max = 40
    params = PAPER.with_k(0.0)
    ds = solve_exact(params, n_max, [0.0, 5.0, 10.0], truncation="total")
    n = np.arange(n_max + 1)
    p = np.exp(-params.beta0 * (params.omega1 * n[:, None] + params.omega2 * n[None, :]))
    p *= (n[:, None] + n[None, :]) <= n_max
    p /= p.sum()
    np.testing.assert_allclose(ds.n1, (p * n[:, None]).sum(), rtol=1e-10)
    np.testing.assert_allclose(ds.n2, (p * n[None, :]).sum(), rtol=1e-10)
    np.testing.assert_allclose(ds.D, 1.0, atol=1e-12)
    assert np.all(np.abs(ds.chi) < 1e-4)
    tops = p[(n[:, None] + n[None, :]) == n_max].sum()
    assert ds.truncation_weight[0] == pytest.approx(tops, rel=1e-10)


def test_per_mode_cutoff_creates_artificial_gain():
    """Cut sectors N > n_max of the per-mode cutoff grow; complete sectors of the same N decay.

    At the paper's parameters and k = 0.5 the complete-sector ("total") result oscillates with
    period 2π/√(Δω² − k²) ≈ 2: it is converged at whole periods (t = 2, 4, …, 10; the
    half-period peaks carry a heavy high-N tail and converge slowly), while the per-mode result
    follows its cutoff (n1 + n2 ≈ 1.8 n_max at t = 10).
    """
    from qsync.dimer.blocks import _csr

    params, n_max = PAPER.with_k(0.5), 40
    ops = dimer_operators(params, n_max, truncation="mode")
    K = _csr(ops.effective_hamiltonian())
    model = ExactSolver(params, n_max, truncation="mode").model
    cut = [np.max(np.linalg.eigvals(-1j * K[idx][:, idx].toarray()).real)
           for n, idx in zip(model.sectors, model.basis, strict=True) if n in (56, 64)]
    complete = sector_growth_rates(params, [56, 64])
    assert min(cut) > 3.0
    assert max(complete) < -1.0
    times = np.linspace(0.0, 10.0, 11)
    t40 = solve_exact(params, 40, times, truncation="total")
    t48 = solve_exact(params, 48, times, truncation="total")
    np.testing.assert_allclose(t40.D, t48.D, atol=3e-3)
    whole = slice(0, None, 2)  # t = 0, 2, ..., 10
    np.testing.assert_allclose(t40.D[whole], t48.D[whole], atol=2e-4)
    np.testing.assert_allclose((t40.n1 + t40.n2)[whole], (t48.n1 + t48.n2)[whole], rtol=2e-3)
    assert float(t48.n1[-1] + t48.n2[-1]) < 6.0
    m20 = solve_exact(params, 20, times, truncation="mode")
    assert float(m20.n1[-1] + m20.n2[-1]) > 25.0


def test_breakdown_is_reported_not_returned():
    """k = 3 < Δω with complete sectors N ≤ 30: transient amplification ~e^{2αN} destroys all
    digits; the solver must return NaN from the breakdown time on, never garbage."""
    times = np.linspace(0.0, 4.0, 41)
    ds = solve_exact(PAPER.with_k(3.0), 30, times, truncation="total")
    tb = ds.attrs["breakdown_time"]
    assert 0.0 < tb < 4.0
    after = ds.time.values >= tb
    for name in ("n1", "D", "chi", "entropy", "truncation_weight", "min_eigenvalue"):
        assert np.all(np.isnan(ds[name].values[after]))
        assert np.all(np.isfinite(ds[name].values[~after]))
    assert np.all(ds.min_eigenvalue.values[~after] >= -1e-8)
    # the well-conditioned case reports no breakdown
    ok = solve_exact(PAPER.with_k(0.5), 20, times, truncation="total")
    assert np.isnan(ok.attrs["breakdown_time"])


def test_k_to_minus_k_symmetry():
    """a1 → −a1 maps k to −k: c → −c, D(−k)² = 2 − D(k)², n, χ, L unchanged (SPEC §5)."""
    n_max = 10
    times = np.linspace(0.0, 1.0, 6)
    plus = solve_exact(PAPER.with_k(3.0), n_max, times, truncation="mode")
    minus = solve_exact(PAPER.with_k(-3.0), n_max, times, truncation="mode")
    for name in ("n1", "n2", "chi", "chi_gaussian", "L", "entropy", "truncation_weight"):
        np.testing.assert_allclose(minus[name], plus[name], rtol=1e-9, atol=1e-11)
    np.testing.assert_allclose(minus.c_real, -plus.c_real, atol=1e-9)
    np.testing.assert_allclose(minus.c_imag, -plus.c_imag, atol=1e-9)
    np.testing.assert_allclose(minus.D**2, 2.0 - plus.D**2, atol=1e-9)
    # not trivially satisfied: the state moved
    assert np.abs(plus.D[-1] - 1.0) > 0.05


@pytest.mark.parametrize("k", [5.0, 1.0, -0.5, -3.0])
def test_chi_respects_eq12_bound(k):
    """Every trajectory point: χ ≥ −2 ln(e D/(√2 κ)) (Eq. 12), and χ ≥ χ_Gaussian."""
    params = PAPER.with_k(k)
    ds = solve_exact(params, 8, np.linspace(0.0, 3.0, 31), truncation="mode")
    kappa = params.kappa
    bound = -2.0 * np.log(np.e * ds.D / (np.sqrt(2.0) * kappa))
    assert np.all(ds.chi >= bound - 1e-10)
    # S(ρ) ≤ S(Gaussian with the same covariance)
    assert np.all(ds.chi >= ds.chi_gaussian - 1e-9)


def test_output_layout_and_state_sanity():
    params = PAPER.with_k(5.0)
    times = np.linspace(0.0, 0.5, 6)
    calls = []
    ds = solve_exact(params, 8, times, n_top=2, progress=lambda i, n: calls.append((i, n)),
                     truncation="mode")
    assert calls == [(i, len(times)) for i in range(len(times))]
    for name in ("n1", "n2", "c_real", "c_imag", "D", "chi", "chi_gaussian", "L",
                 "truncation_weight", "entropy", "energy", "log_trace", "min_eigenvalue"):
        assert ds[name].dims == ("time",)
        assert np.all(np.isfinite(ds[name]))
    for name in ("omega1", "omega2", "gamma1", "gamma2", "beta", "beta0", "k"):
        assert ds.attrs[name] == pytest.approx(getattr(params, name))
    assert (ds.attrs["n_max"], ds.attrs["n_top"], ds.attrs["method"]) == (8, 2, "exact")
    assert np.all(ds.min_eigenvalue > -1e-10)
    # k = 5 pushes the state into the top levels of an n_max = 8 cutoff
    assert ds.truncation_weight[-1] > 0.1
    energy = params.omega1 * (ds.n1 + 0.5) + params.omega2 * (ds.n2 + 0.5)
    np.testing.assert_allclose(ds.energy, energy, rtol=1e-12)


def test_truncation_weight_of_initial_state():
    n_max, n_top = 12, 3
    params = PAPER
    ds = solve_exact(params, n_max, [0.0], n_top=n_top, truncation="mode")
    tops = []
    for w in params.omegas:
        p = np.exp(-params.beta0 * w * np.arange(n_max + 1))
        p /= p.sum()
        tops.append(p[n_max - n_top + 1:].sum())
    expected = 1.0 - (1.0 - tops[0]) * (1.0 - tops[1])
    assert ds.truncation_weight[0] == pytest.approx(expected, rel=1e-12)


def test_no_jump_sector_weights_bound_exact_sectors():
    """W_N(t) (SPEC §5) is a lower bound on tr ρ̃_N, with equality when γ = 0."""
    n_max = 14
    times = np.linspace(0.0, 1.0, 5)
    sectors = np.arange(0, n_max - 1)  # sectors whose K_N is untouched by the cutoff
    for params, exact in ((STRONG.with_k(1.5), False),
                          (paper_params(k=1.5, gamma1=0.0, gamma2=0.0, beta=0.2), True)):
        diag = no_jump_sector_weights(params, sectors, times)
        solver = ExactSolver(params, n_max, truncation="mode")
        # W_N uses the untruncated thermal prior: p(n) = p_trunc(n) · z_j (1 − e^{−β0 ω_j})
        z = [np.exp(-params.beta0 * w * np.arange(n_max + 1)).sum() for w in params.omegas]
        log_z_ratio = sum(np.log(zj * -np.expm1(-params.beta0 * w))
                          for zj, w in zip(z, params.omegas, strict=True))
        for i, _t, x, log_tr in solver.evolve(times):
            blocks = list(solver.model.blocks(solver.block_vector(x)))
            for j, n in enumerate(sectors):
                log_exact = np.log(np.trace(blocks[n]).real) + log_tr + log_z_ratio
                lw = float(diag.log_weight[i, j])
                if exact:
                    assert lw == pytest.approx(log_exact, abs=1e-8)
                else:
                    assert lw <= log_exact + 1e-9


def test_taylor_propagator_matches_scipy():
    rng = np.random.default_rng(1)
    params = STRONG
    solver = ExactSolver(params, 6, truncation="mode")
    x = solver.x0 + 0.01 * rng.normal(size=solver.x0.shape)
    prop = TaylorPropagator(solver.embedding.B)
    for h in (0.01, 0.3, 2.0):
        np.testing.assert_allclose(prop.apply(x, h), expm_multiply(solver.embedding.B * h, x),
                                   rtol=1e-12, atol=1e-14)


#: the converged preset's regime: γ × 3000, where ‖A‖ ~ γ n_max² makes the generator stiff
PRESET_LIKE = paper_params(gamma1=PAPER.gamma1 * 3000, gamma2=PAPER.gamma2 * 3000, k=5.0)


@pytest.mark.parametrize("params", [STRONG, PRESET_LIKE], ids=["strong", "preset-like"])
def test_krylov_propagator_matches_scipy(params):
    """Sidje's Arnoldi steps = SciPy's expm_multiply (Al-Mohy & Higham), stiff case included."""
    rng = np.random.default_rng(2)
    solver = ExactSolver(params, 8, "total")
    B = solver.embedding.B
    x = solver.x0 + 0.01 * rng.normal(size=solver.x0.shape)
    prop = KrylovPropagator(B, m=20)
    for h in (0.01, 0.3, 2.0):
        ref = expm_multiply(B * h, x)
        got = prop.apply(x, h)
        assert np.abs(got - ref).max() <= 1e-10 * np.abs(ref).max()
    # stiff: the adaptive steps are far longer than the Taylor rule's θ/‖A‖₁
    if params is PRESET_LIKE:
        norm1 = float(abs(B).sum(axis=0).max())
        assert prop.substeps < 2.0 * norm1 / 8.5


def test_krylov_invariant_subspace_and_errors():
    """A vector in a small invariant subspace (happy breakdown) and invalid input."""
    import scipy.sparse as sp
    A = sp.diags([-1.0, -2.0, -3.0, -4.0]).tocsr()
    prop = KrylovPropagator(A, m=10)
    x = np.array([1.0, 1.0, 0.0, 0.0])
    np.testing.assert_allclose(prop.apply(x, 0.7), np.exp([-0.7, -1.4, 0.0, 0.0]) * x,
                               rtol=1e-13)
    with pytest.raises(TypeError, match="real generator"):
        KrylovPropagator(A * 1j)
    with pytest.raises(ValueError, match="forward"):
        prop.apply(x, -1.0)
    with pytest.raises(ValueError, match="unknown propagator"):
        ExactSolver(STRONG, 4, propagator="pade")


def test_krylov_and_taylor_solutions_agree_in_the_preset_regime():
    """The whole run (normalization, 21 output times) is the same with either propagator."""
    times = np.linspace(0.0, 2.0, 21)
    a = solve_exact(PRESET_LIKE, 14, times, truncation="total", propagator="taylor")
    b = solve_exact(PRESET_LIKE, 14, times, truncation="total", propagator="krylov")
    for name in ("D", "chi", "n1", "n2", "truncation_weight", "log_trace"):
        np.testing.assert_allclose(b[name], a[name], rtol=1e-9, atol=1e-11, err_msg=name)
    # the regime is really stiff and really dynamic
    assert float(a.D[-1]) < float(a.D[0]) - 0.1


def test_sweep_cutoff_check_is_the_change_of_D_between_cutoffs():
    """quantum_d_final's cutoff_change = |D(n_max) − D(n_max_check)| of direct runs, both signs."""
    p = PRESET_LIKE
    model = {"omega1": p.omega1, "gamma1": p.gamma1, "gamma2": p.gamma2, "beta": p.beta,
             "beta0": None}
    dw = np.array([-0.5, 1.0])
    ds = quantum_d_final(np.array([1.0]), np.array([-1.0, 1.0]), dw, model, 0.5, "exact", 6,
                       truncation="total", n_times=3, propagator="krylov", n_max_check=9)
    assert ds.attrs["n_max_check"] == 9
    for j, w in enumerate(dw):
        q = DimerParams(omega1=p.omega1, omega2=p.omega1 + w, gamma1=p.gamma1,
                        gamma2=p.gamma2, beta=p.beta, k=1.0)
        d6, d9 = (float(solve_exact(q, n, [0.0, 0.25, 0.5], truncation="total").D[-1])
                  for n in (6, 9))
        assert ds.D.sel(k=1.0)[j] == pytest.approx(d6, abs=1e-10)
        assert ds.cutoff_change.sel(k=1.0)[j] == pytest.approx(abs(d6 - d9), abs=1e-10)
        minus = abs(np.sqrt(2 - d6**2) - np.sqrt(2 - d9**2))
        assert ds.cutoff_change.sel(k=-1.0)[j] == pytest.approx(minus, abs=1e-10)
        assert abs(d6 - d9) > 1e-6  # the small cutoffs really differ
    with pytest.raises(ValueError, match="exact solver"):
        quantum_d_final(np.array([1.0]), np.array([1.0]), dw, model, 0.5, "closure", None,
                      n_max_check=9)


def test_krylov_passes_overflow_to_the_caller():
    """A non-finite vector comes back as is (ExactSolver's trace check then reports it)."""
    import scipy.sparse as sp
    prop = KrylovPropagator(sp.diags([-1.0, 2.0]).tocsr(), m=2)
    out = prop.apply(np.array([np.inf, 1.0]), 1.0)
    assert not np.all(np.isfinite(out))
