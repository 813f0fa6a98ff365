"""Exploratory probe (not validated): leading-order WKB of the Husimi Q function of the linear
dimer equation, Q ~ exp Σ(α, t), ∂_tΣ = H(α, ∂_αΣ) with all derivative orders of the
two-photon terms kept at leading order (docs/research/large-photon-solver.md, "A WKB probe").
Characteristics from the thermal Q (Σ0 = −Σ|α_j|²/(n̄_j + 1)); the maximum of Σ(·, t) is
sought over the starting point (|α1|, |α2|, relative phase) by Nelder–Mead from a given start.

    python wkb_probe.py F k t r1 r2 phase      e.g.  wkb_probe.py 100 1 1 4.2 3.5 0.77
"""
import sys

import numpy as np
from scipy.integrate import solve_ivp
from scipy.optimize import minimize

F, k, T = (float(x) for x in sys.argv[1:4])
start = [float(x) for x in sys.argv[4:7]]
w = np.array([2 * np.pi, 3 * np.pi])
beta = 0.05
g = np.array([0.00087, 0.0016]) * F
nb2 = 1 / np.expm1(beta * 2 * w)
gm, gp = g * (nb2 + 1), g * nb2
nth = 1 / np.expm1(beta * w)


def rhs(t, y):
    a = y[0:2] + 1j * y[2:4]
    p = y[4:6] + 1j * y[6:8]
    ac, pc = a.conj(), p.conj()
    u, ub = ac + p, a + pc
    ao, aoc, uo = a[::-1], ac[::-1], u[::-1]
    dh_dp = 1j * w * a + 0.5 * k * ao + gm * (2 * u * ub**2 - a**2 * u) - gp * a**2 * u
    dh_da = (1j * w * p + 0.5 * k * (uo + aoc) + gm * (2 * u**2 * ub - a * u**2 - ac**2 * ub)
             + gp * (2 * a * ac**2 - a * u**2 - ac**2 * ub))
    h = (np.sum(1j * w * (a * p - ac * pc))
         + 0.5 * k * (ac[0] * ub[1] + a[1] * u[0] + ac[1] * ub[0] + a[0] * u[1])
         + np.sum(gm * ((u * ub) ** 2 - 0.5 * a**2 * u**2 - 0.5 * ac**2 * ub**2))
         + np.sum(gp * (a**2 * ac**2 - 0.5 * a**2 * u**2 - 0.5 * ac**2 * ub**2)))
    adot, pdot = -dh_dp, dh_da
    sdot = 2 * np.real(np.sum(p * adot)) + h.real
    return np.concatenate([adot.real, adot.imag, pdot.real, pdot.imag, [sdot]])


def end_state(x):
    a0 = np.array([x[0], x[1] * np.exp(1j * x[2])])
    p0 = -a0.conj() / (nth + 1)
    y0 = np.concatenate([a0.real, a0.imag, p0.real, p0.imag, [-np.sum(abs(a0) ** 2 / (nth + 1))]])
    sol = solve_ivp(rhs, (0, T), y0, rtol=1e-9, atol=1e-9, method="DOP853")
    return sol.y[:, -1] if sol.status == 0 else None


def minus_sigma(x):
    y = None if min(x[0], x[1]) < 0 else end_state(x)
    return 1e9 if y is None or not np.isfinite(y[-1]) else -y[-1]


res = minimize(minus_sigma, start, method="Nelder-Mead",
               options=dict(xatol=1e-7, fatol=1e-10, maxiter=4000))
y = end_state(res.x)
a = y[0:2] + 1j * y[2:4]
n = float(np.sum(abs(a) ** 2))
d = np.sqrt(1 - 2 * np.real(a[0].conj() * a[1]) / n)
print(f"F = {F:g}, k = {k:g}, t = {T:g}: max Σ = {-res.fun:.4f} at start {res.x}, "
      f"|α|² = {n:.3f}, D = {d:.4f}, |∂Σ| at the end = {np.abs(y[4:6] + 1j * y[6:8])}")
