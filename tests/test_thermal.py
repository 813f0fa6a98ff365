"""Thermal (Gibbs) states of H0 = Σ_j ω_j (n_j + ½): library formulas vs direct sums over
Fock levels, and the inversion E → β_E against the forward map."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import logsumexp

from qsync.ergotropy import chi_from_entropy
from qsync.thermal import (
    beta_from_energy,
    bose_occupation,
    classical_gibbs_beta,
    gibbs_entropy,
    log_partition,
    thermal_energy,
)

EPS = np.finfo(float).eps
FREQS = [(1.0, 1.0), (1.0, 1.7), (2 * np.pi, 3 * np.pi), (0.3, 1.0, 4.2)]
FREQ_IDS = ["1,1", "1,1.7", "2pi,3pi", "3 modes"]
BETAS = np.geomspace(1e-3, 20.0, 241)


# ---------------------------------------------------------------------------------------------
# Direct sums over Fock levels (one mode), truncated where q^n < 1e-20
# ---------------------------------------------------------------------------------------------


def fock_sums(beta: float, omega: float) -> dict[str, float]:
    """ln Z, ⟨n⟩, ⟨H⟩ and S of one mode from p_n = e^{−βω(n+½)}/Z, n = 0, 1, 2, ..."""
    x = beta * omega
    n_max = int(np.ceil(47.0 / x)) + 10  # e^{−x n_max} < 1e-20
    n = np.arange(n_max, dtype=float)
    log_w = -x * (n + 0.5)
    log_z = logsumexp(log_w)
    log_p = log_w - log_z
    p = np.exp(log_p)
    return {
        "log_z": float(log_z),
        "nbar": float(np.sum(n * p)),
        "energy": float(omega * np.sum((n + 0.5) * p)),
        "entropy": float(-np.sum(p * log_p)),
    }


def test_single_mode_vs_fock_sums():
    for omega in (0.3, 1.0, 2 * np.pi):
        for beta in (1e-3, 0.05, 1.0, 7.0):
            ref = fock_sums(beta, omega)
            assert bose_occupation(beta, omega) == pytest.approx(ref["nbar"], rel=1e-10)
            assert thermal_energy(beta, [omega]) == pytest.approx(ref["energy"], rel=1e-10)
            assert gibbs_entropy(beta, [omega]) == pytest.approx(ref["entropy"], rel=1e-10,
                                                                 abs=1e-14)
            assert log_partition(beta, [omega]) == pytest.approx(ref["log_z"], rel=1e-10,
                                                                 abs=1e-12)


@pytest.mark.parametrize("omegas", FREQS, ids=FREQ_IDS)
def test_multimode_vs_fock_sums(omegas):
    betas = np.array([1e-3, 0.02, 0.4, 3.0, 20.0])
    refs = [[fock_sums(b, w) for w in omegas] for b in betas]
    for key, fn in [("energy", thermal_energy), ("entropy", gibbs_entropy),
                    ("log_z", log_partition)]:
        expected = np.array([sum(r[key] for r in row) for row in refs])
        np.testing.assert_allclose(fn(betas, omegas), expected, rtol=1e-10, atol=1e-13)


@pytest.mark.parametrize("beta", [0.3, 1.0, 4.0])
def test_two_mode_joint_sum(beta):
    """Gibbs state on the joint two-mode Fock grid (no additivity assumed)."""
    omegas = (1.0, 1.7)
    n_max = int(np.ceil(47.0 / (beta * min(omegas))))
    n1, n2 = np.meshgrid(np.arange(n_max), np.arange(n_max), indexing="ij")
    levels = omegas[0] * (n1 + 0.5) + omegas[1] * (n2 + 0.5)
    log_w = -beta * levels
    log_z = logsumexp(log_w)
    p = np.exp(log_w - log_z)
    assert log_partition(beta, omegas) == pytest.approx(log_z, rel=1e-12)
    assert thermal_energy(beta, omegas) == pytest.approx(np.sum(p * levels), rel=1e-12)
    assert gibbs_entropy(beta, omegas) == pytest.approx(-np.sum(p * (log_w - log_z)), rel=1e-11)


@pytest.mark.parametrize("omegas", FREQS, ids=FREQ_IDS)
def test_thermodynamic_identities(omegas):
    """S = β E + ln Z, and dS/dE = β along the Gibbs family."""
    np.testing.assert_allclose(gibbs_entropy(BETAS, omegas),
                               BETAS * thermal_energy(BETAS, omegas) + log_partition(BETAS, omegas),
                               rtol=1e-10, atol=1e-12)
    beta = np.array([0.01, 0.3, 2.0])
    h = 1e-5 * beta
    ds = gibbs_entropy(beta + h, omegas) - gibbs_entropy(beta - h, omegas)
    de = thermal_energy(beta + h, omegas) - thermal_energy(beta - h, omegas)
    np.testing.assert_allclose(ds / de, beta, rtol=1e-6)


def test_ground_state_limits():
    omegas = (1.0, 1.7)
    assert bose_occupation(np.inf, 1.0) == 0.0
    assert thermal_energy(np.inf, omegas) == pytest.approx(1.35, rel=1e-15)
    assert gibbs_entropy(np.inf, omegas) == 0.0
    assert gibbs_entropy(800.0, omegas) == 0.0
    assert log_partition(800.0, omegas) == pytest.approx(-800.0 * 1.35, rel=1e-15)


# ---------------------------------------------------------------------------------------------
# E → β_E
# ---------------------------------------------------------------------------------------------


def energy_derivative(beta, omegas):
    """dE/dβ = −Σ (ω²/4) / sinh²(βω/2), written independently of the library."""
    b = np.asarray(beta)[..., None]
    w = np.asarray(omegas)
    return -np.sum(w**2 / (4 * np.sinh(b * w / 2) ** 2), axis=-1)


@pytest.mark.parametrize("omegas", FREQS, ids=FREQ_IDS)
def test_beta_from_energy_inverts_thermal_energy(omegas):
    """Round trip over β ∈ [1e-3, 20]. The forward map is evaluated in double precision, so
    E(β) carries a rounding error ~eps·E; the inversion can only recover β to
    eps·cond, cond = E/(β |dE/dβ|) (≈ e^{βω}/(βω) at low temperature). Required: backward
    error ≤ 1e-12 E everywhere, forward error ≤ 1e-10 + 8 eps cond, and ≤ 1e-10 wherever
    eps·cond < 1e-12. Where E rounds to E0, β = inf is the correct answer."""
    energy = thermal_energy(BETAS, omegas)
    beta = beta_from_energy(energy, omegas)
    assert beta.shape == BETAS.shape
    above = energy - 0.5 * np.sum(omegas) > 0  # E distinguishable from E0 in floating point
    assert np.all(np.isinf(beta[~above]))
    assert np.all(np.isfinite(beta[above]))
    b, e, b_true = beta[above], energy[above], BETAS[above]
    np.testing.assert_allclose(thermal_energy(b, omegas), e, rtol=1e-12, atol=0)
    cond = e / (b_true * np.abs(energy_derivative(b_true, omegas)))
    rel_err = np.abs(b - b_true) / b_true
    assert np.all(rel_err <= 1e-10 + 8 * EPS * cond), np.max(rel_err / (1e-10 + 8 * EPS * cond))
    well = EPS * cond < 1e-12
    assert well.sum() > 100
    assert np.all(rel_err[well] <= 1e-10)


def test_beta_from_energy_equal_frequencies_closed_form():
    """Equal frequencies: E = N ω (n̄ + ½) gives β = ln(1 + 1/n̄)/ω exactly."""
    omegas = np.full(3, 2.5)
    nbar = np.geomspace(1e-6, 1e3, 50)
    energy = 3 * 2.5 * (nbar + 0.5)
    np.testing.assert_allclose(beta_from_energy(energy, omegas), np.log1p(1 / nbar) / 2.5,
                               rtol=1e-11)


def test_beta_from_energy_ground_and_below():
    omegas = np.array([1.0, 1.7])
    e0 = 1.35
    out = beta_from_energy(np.array([e0, e0 - 0.1, 0.0, e0 * (1 + 1e-3)]), omegas)
    assert np.isinf(out[0]) and np.isinf(out[1]) and np.isinf(out[2])
    assert np.isfinite(out[3]) and out[3] > 0
    assert np.isinf(beta_from_energy(e0, omegas))
    assert np.ndim(beta_from_energy(2.0, omegas)) == 0


def test_beta_from_energy_shapes_and_validation():
    omegas = (1.0, 1.7)
    betas = np.array([[0.1, 1.0, 3.0], [0.5, 2.0, np.inf]])
    out = beta_from_energy(thermal_energy(betas, omegas), omegas)
    assert out.shape == (2, 3)
    np.testing.assert_allclose(out[np.isfinite(betas)], betas[np.isfinite(betas)], rtol=1e-10)
    assert np.isinf(out[1, 2])
    with pytest.raises(ValueError):
        beta_from_energy(2.0, [1.0, -1.0])
    with pytest.raises(ValueError):
        beta_from_energy(2.0, [[1.0, 1.0]])


def test_high_and_low_temperature_asymptotics():
    omegas = np.array([1.0, 1.7])
    # classical limit: E ≈ N/β (+ O(β ω²)); low temperature: n̄ ≈ e^{−βω}
    e = 2 / 1e-6
    assert beta_from_energy(e, omegas) == pytest.approx(1e-6, rel=1e-6)
    assert bose_occupation(30.0, 1.0) == pytest.approx(np.exp(-30.0), rel=1e-12)


def test_chi_from_entropy_zero_on_gibbs_states():
    for omegas in FREQS:
        betas = np.array([1e-3, 0.1, 1.0, 5.0])
        chi = chi_from_entropy(gibbs_entropy(betas, omegas), thermal_energy(betas, omegas),
                               omegas)
        assert np.all(np.abs(chi) <= 1e-10 * np.maximum(1, gibbs_entropy(betas, omegas)))


def test_chi_from_entropy_lower_entropy_costs():
    """χ = S_G(E) − S: at fixed energy, lowering the entropy by δ raises χ by δ."""
    omegas = (1.0, 1.7)
    e = thermal_energy(0.7, omegas)
    s_g = gibbs_entropy(0.7, omegas)
    assert chi_from_entropy(s_g - 0.25, e, omegas) == pytest.approx(0.25, rel=1e-10)


def test_classical_gibbs_beta():
    np.testing.assert_allclose(classical_gibbs_beta(np.array([2.0, 8.0]), 2), [1.0, 0.25])
