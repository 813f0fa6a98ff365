"""Tests of the classical stochastic Stuart–Landau dimer (SPEC §6, §8; paper after Fig. 2).

Every reference is computed by an independent route: scipy's matrix exponential of the
generators written from the printed equations, the exact cubic flow, the exact stationary
density of the noisy cubic oscillator, the exact k → −k symmetry, and qsync.gaussian's Eq. 2.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.linalg import expm
from scipy.special import exp1

from conftest import PAPER_MODEL
from qsync.gaussian import sync_distance
from qsync.phase_diagram.classical import classical_d_final
from qsync.stuart_landau import (
    linear_generator,
    linear_propagator,
    quadrature_generator,
    simulate_D,
    step_grid,
)

W1 = PAPER_MODEL["omega1"]
PAPER = {**{n: PAPER_MODEL[n] for n in ("gamma1", "gamma2", "beta")}, "t_final": 10.0}


def quadratures(z: np.ndarray) -> np.ndarray:
    """(..., 2) complex z → (..., 4) real r = (x1, p1, x2, p2), z = (x + ip)/√2."""
    return np.sqrt(2.0) * np.stack([z[..., 0].real, z[..., 0].imag, z[..., 1].real,
                                    z[..., 1].imag], axis=-1)


# ---------------------------------------------------------------- linear part (exact)

def test_generator_matches_printed_equations():
    """A z equals the printed right-hand side with γ = 0 and no noise, for random z."""
    rng = np.random.default_rng(0)
    for k, w2 in [(5.0, 3 * math.pi), (-1.3, 2.0), (0.0, 7.0)]:
        z = rng.standard_normal(2) + 1j * rng.standard_normal(2)
        dz = z[1] - z[0]
        rhs = np.array([(k / 2 - 1j * W1) * z[0] + k / 2 * dz,
                        (k / 2 - 1j * w2) * z[1] - k / 2 * dz])
        np.testing.assert_allclose(linear_generator(k, W1, w2) @ z, rhs, rtol=0, atol=1e-13)
        # the real 4×4 generator is the same vector field in quadratures
        np.testing.assert_allclose(quadrature_generator(k, W1, w2) @ quadratures(z),
                                   quadratures(rhs), rtol=0, atol=1e-12)


@pytest.mark.parametrize("t", [1e-3, 0.37, 10.0])
def test_propagator_matches_expm(t):
    """The closed form equals scipy's expm, including the exceptional points k = ±Δω."""
    dw = np.array([math.pi, math.pi, math.pi, math.pi, 1.0, -4.0, 2.0, 0.0, 0.5])
    k = np.array([5.0, -3.0, math.pi, -math.pi, 1.0 + 1e-9, 0.3, 0.0, 0.0, -0.5 + 1e-6])
    u = linear_propagator(k, W1, W1 + dw, t)
    ref = np.array([expm(a * t) for a in linear_generator(k, W1, W1 + dw)])
    scale = np.abs(ref).max(axis=(-2, -1), keepdims=True)
    np.testing.assert_allclose(u / scale, ref / scale, rtol=0, atol=1e-12)


LINEAR_POINTS = [(5.0, math.pi), (3.0, math.pi), (1.0, math.pi), (-3.0, 1.0),
                 (math.pi, math.pi), (0.3, 3.0), (-4.0, -1.3)]


def _linear_moments(k, w2, t, m0):
    e = expm(quadrature_generator(k, W1, w2) * t)
    return e @ m0 @ e.T


def test_no_damping_no_noise_is_exact_linear_evolution():
    """γ = 0 (noise amplitude 2√γ = 0): M(t) = e^{Gt} M(0) e^{Gᵀt} for the sampled M(0)."""
    k = np.array([p[0] for p in LINEAR_POINTS])
    w2 = W1 + np.array([p[1] for p in LINEAR_POINTS])
    times = [0.0, 0.5, 2.5, 5.0, 10.0]
    res = simulate_D(k, W1, w2, gamma1=0.0, gamma2=0.0, beta=PAPER["beta"], n_traj=400,
                     dt=0.05, t_final=10.0, seed=3, times=times)
    np.testing.assert_allclose(res.times, times, rtol=0, atol=1e-12)
    for p in range(k.size):
        m0 = res.second_moments[p, 0]
        for it, t in enumerate(times):
            m = _linear_moments(k[p], w2[p], t, m0)
            scale = np.trace(m)
            np.testing.assert_allclose(res.second_moments[p, it] / scale, m / scale,
                                       rtol=0, atol=1e-11)
            d_ref = math.sqrt(1.0 - 2.0 * (m[0, 2] + m[1, 3]) / np.trace(m))
            assert abs(res.D[p, it] - d_ref) < 1e-10


def test_initial_state_and_population_average():
    """Sampled thermal state and D(t) agree with the population (exact) values within MC error.

    Also checks that the reported standard error is calibrated (spread over seeds).
    """
    k, w2, beta = 1.0, 3 * math.pi, PAPER["beta"]
    m0 = np.diag([1 / (beta * W1)] * 2 + [1 / (beta * w2)] * 2)
    m = _linear_moments(k, w2, 5.0, m0)
    d_exact = math.sqrt(1.0 - 2.0 * (m[0, 2] + m[1, 3]) / np.trace(m))
    runs = [simulate_D(k, W1, w2, gamma1=0.0, gamma2=0.0, beta=beta, n_traj=2000, dt=0.05,
                       t_final=5.0, seed=s, times=[0.0, 5.0]) for s in range(12)]
    m_init = np.mean([r.second_moments[0, 0] for r in runs], axis=0)
    n_total = sum(r.n_traj for r in runs)
    # Gaussian sampling errors: se⟨r_i²⟩ = √2 M_ii/√N, se⟨r_i r_j⟩ = √(M_ii M_jj)/√N
    se = np.sqrt(np.outer(np.diag(m0), np.diag(m0)) * (1 + np.eye(4)) / n_total)
    assert np.all(np.abs(m_init - m0) < 5 * se), (m_init - m0) / se
    d = np.array([r.D[0, 1] for r in runs])
    se = np.array([r.D_stderr[0, 1] for r in runs])
    assert abs(d.mean() - d_exact) < 4 * se.mean() / math.sqrt(len(runs))
    assert 0.5 < d.std(ddof=1) / se.mean() < 1.8


def test_D_is_eq2_of_the_moments():
    """D equals qsync.gaussian.sync_distance (Eq. 2) applied to the returned moments."""
    res = simulate_D([2.0, -0.7], W1, W1 + np.array([1.0, 2.0]), n_traj=300, dt=0.05,
                     seed=1, times=[0.0, 1.0, 3.0], **{**PAPER, "t_final": 3.0})
    np.testing.assert_allclose(res.D, sync_distance(res.second_moments), rtol=0, atol=1e-13)
    cov = res.covariance
    np.testing.assert_allclose(cov, np.swapaxes(cov, -1, -2), rtol=0, atol=1e-12)


# ---------------------------------------------------------------- nonlinear part and noise

def test_cubic_damping_is_exact():
    """k = 0, no noise: |z|² → |z0|²/(1 + 2γ|z0|² t), averaged over the exponential |z0|²."""
    gamma, beta, t = 0.5, 0.5, 2.0
    w = np.array([W1, 3 * math.pi])
    res = simulate_D(0.0, w[0], w[1], gamma1=gamma, gamma2=gamma, beta=beta, n_traj=20000,
                     dt=0.1, t_final=t, seed=4, noise_scale=0.0)
    m = res.second_moments[0, -1]
    got = np.array([m[0, 0] + m[1, 1], m[2, 2] + m[3, 3]]) / 2
    # E[u/(1 + a u)] for u ~ Exp(mean n): (1 − e^{x} E1(x) x)/a with x = 1/(a n)
    a, n = 2 * gamma * t, 1 / (beta * w)
    x = 1 / (a * n)
    expected = (1 - x * np.exp(x) * exp1(x)) / a
    np.testing.assert_allclose(got, expected, rtol=0.02)
    # and it is far from the undamped value n, so a wrong damping factor would fail
    assert np.all(expected < 0.6 * n)


@pytest.mark.parametrize("noise", ["complex", "real"])
def test_stationary_state_of_noisy_cubic_oscillator(noise):
    """k = 0, γ = 1: ⟨|z|²⟩ relaxes to 2/√π, from the stationary density ∝ exp(−|z|⁴/4).

    With complex noise the density is exact; with real noise it holds after averaging over
    the fast rotation (ω ≫ γ). The sequence C(h) W(h) (first order) is 3.5 % off here.
    """
    res = simulate_D(0.0, W1, 3 * math.pi, gamma1=1.0, gamma2=1.0, beta=0.2, n_traj=20000,
                     dt=0.02, t_final=5.0, seed=5, noise=noise)
    m = res.second_moments[0, -1]
    got = np.array([m[0, 0] + m[1, 1], m[2, 2] + m[3, 3]]) / 2
    np.testing.assert_allclose(got, 2 / math.sqrt(math.pi), rtol=0.015)


DT_POINTS = [(5.0, math.pi), (3.0, 1.0), (-4.0, 1.3), (4.2, 4.0), (1.0, math.pi), (0.3, 3.0)]


def test_dt_convergence_paper_parameters():
    """D(t = 10) converges in dt (fixed seed: identical initial states, SPEC §6, §8)."""
    k = np.array([p[0] for p in DT_POINTS])
    w2 = W1 + np.array([p[1] for p in DT_POINTS])
    common = dict(n_traj=1000, seed=11, **PAPER)
    # deterministic part: second order, tiny errors
    det = {dt: simulate_D(k, W1, w2, dt=dt, noise_scale=0.0, **common).D[:, 0]
           for dt in (0.04, 0.02, 0.01)}
    e1 = np.abs(det[0.04] - det[0.01]).max()
    e2 = np.abs(det[0.02] - det[0.01]).max()
    assert e2 < 3e-5 and e1 < 1.5e-4
    assert e1 / e2 > 3.0  # 5 for an exactly second-order error
    # with noise: halving dt changes D by much less than the Monte Carlo error
    a = simulate_D(k, W1, w2, dt=0.02, **common)
    b = simulate_D(k, W1, w2, dt=0.01, **common)
    diff = np.abs(a.D - b.D)[:, 0]
    assert np.all(diff < np.maximum(2e-4, b.D_stderr[:, 0])), (diff, b.D_stderr[:, 0])


# ---------------------------------------------------------------- physics of Fig. 3(b)

def test_sync_boundary_and_anti_synchronization():
    """Sync for k > |Δω|, D ≈ 1 for |k| ≪ |Δω|, anti-sync (D → √2) for k < −|Δω|."""
    inside = [(3.0, 1.0), (4.0, -1.3), (5.0, math.pi)]
    outside = [(0.3, 3.0), (-0.3, -3.0), (0.5, -4.0)]
    anti = [(-3.0, 1.0), (-4.0, -1.3), (-5.0, math.pi)]
    pts = inside + outside + anti
    res = simulate_D([p[0] for p in pts], W1, W1 + np.array([p[1] for p in pts]),
                     n_traj=1000, dt=0.02, seed=2, **PAPER)
    d = res.D[:, 0]
    assert np.all(d[:3] < 0.5), d
    assert np.all(np.abs(d[3:6] - 1.0) < 0.1), d
    assert np.all(d[6:] > 1.3), d


def test_k_to_minus_k_symmetry():
    """z1 → −z1 maps k to −k (noise and initial state are symmetric): D(−k)² = 2 − D(k)²."""
    k = np.array([1.0, 3.0, 5.0, 2.0])
    dw = np.array([math.pi, math.pi, math.pi, -1.0])
    res = simulate_D(np.concatenate([k, -k]), W1, W1 + np.concatenate([dw, dw]),
                     n_traj=2000, dt=0.02, seed=8, **PAPER)
    d, se = res.D[:, 0], res.D_stderr[:, 0]
    n = k.size
    total = d[:n] ** 2 + d[n:] ** 2
    err = 2 * np.hypot(d[:n] * se[:n], d[n:] * se[n:])
    assert np.all(np.abs(total - 2.0) < 4 * err + 1e-3), (total, err)


# ---------------------------------------------------------------- determinism and API

def test_same_seed_identical_other_seed_different():
    kw = dict(n_traj=200, dt=0.05, **PAPER)
    a = simulate_D([1.0, 4.0], W1, W1 + 2.0, seed=9, **kw)
    b = simulate_D([1.0, 4.0], W1, W1 + 2.0, seed=9, **kw)
    c = simulate_D([1.0, 4.0], W1, W1 + 2.0, seed=10, **kw)
    assert np.array_equal(a.D, b.D) and np.array_equal(a.second_moments, b.second_moments)
    assert not np.any(a.D == c.D)


def test_chunking_and_batching_do_not_change_results():
    """Row-by-row sweeps, any max_batch and extra output times give bit-identical D."""
    kv, dwv = np.array([-2.0, 0.5, 3.0]), np.array([-1.0, 0.0, 2.5])
    kw = dict(omega1=W1, n_traj=300, dt=0.05, seed=12, traj_block=128, **PAPER)
    full = classical_d_final(kv, dwv, **kw)
    rows = [classical_d_final(kv[i:i + 1], dwv, max_batch=1, **kw) for i in range(kv.size)]
    assert np.array_equal(np.concatenate([r.D.values for r in rows]), full.D.values)
    assert np.array_equal(np.concatenate([r.D_stderr.values for r in rows]),
                          full.D_stderr.values)
    kk, ww = np.meshgrid(kv, dwv, indexing="ij")
    args = (kk.ravel()[::-1], W1, W1 + ww.ravel()[::-1])
    sim = dict(n_traj=300, dt=0.05, seed=12, traj_block=128, **PAPER)
    for mb in (100, 256, 1000, 10**6):
        r = simulate_D(*args, max_batch=mb, times=[0.0, 5.0, 10.0], **sim)
        assert np.array_equal(r.D[::-1, -1], full.D.values.ravel())
    # a block size that divides nothing changes the sample, but it is still a valid one
    other = classical_d_final(kv, dwv, **{**kw, "traj_block": 1000})
    assert not np.array_equal(other.D.values, full.D.values)


def test_sweep_dataset_layout():
    kv, dwv = np.array([-1.0, 2.0]), np.array([-3.0, 0.5, 1.0])
    calls = []
    ds = classical_d_final(kv, dwv, omega1=W1, n_traj=64, dt=0.1, seed=0, max_batch=128,
                 progress=lambda i, n: calls.append((i, n)), **PAPER)
    assert ds.D.dims == ("k", "delta_omega") and ds.D.shape == (2, 3)
    assert set(ds.data_vars) == {"D", "D_stderr", "n_traj"}
    assert np.all(ds.n_traj.values == 64)
    np.testing.assert_allclose(ds.omega2.values, W1 + dwv)
    for name in ("omega1", "gamma1", "gamma2", "beta", "t_final", "dt", "seed", "noise"):
        assert name in ds.attrs
    assert calls[-1] == (3, 3) and len(calls) == 3
    r = simulate_D(2.0, W1, W1 + 0.5, n_traj=64, dt=0.1, seed=0, **PAPER)
    assert r.D[0, 0] == ds.D.sel(k=2.0, delta_omega=0.5).item()


def test_step_grid_and_validation():
    h, n, idx = step_grid(0.03, 10.0, [0.0, 5.0, 10.0])
    assert n == 334 and h == 10.0 / 334 and idx.tolist() == [0, 167, 334]
    with pytest.raises(ValueError):
        step_grid(0.1, 10.0, [0.05])
    with pytest.raises(ValueError):
        simulate_D(1.0, W1, W1, n_traj=10, dt=0.1, seed=0, noise="pink", **PAPER)
    with pytest.raises(ValueError):
        simulate_D(1.0, W1, -1.0, n_traj=10, dt=0.1, seed=0, **PAPER)
