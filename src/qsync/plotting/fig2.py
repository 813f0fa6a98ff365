"""Fig. 2: quantum dimer trajectories in the χ–D plane, and D(t), χ(t)."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..bounds import chi_min_classical_two_mode, chi_min_quantum_two_mode
from ..dimer.convergence import unconverged_times
from .style import apply_style, plt

__all__ = ["draw_fig2", "draw_convergence"]


def _pi_multiple(omega: float) -> str:
    """ω as a LaTeX multiple of π when it is one (2π, 3π/2), else to four digits."""
    for den in (1, 2, 3, 4):
        num = omega / np.pi * den
        if abs(num - round(num)) < 1e-9 and round(num) != 0:
            num = round(num)
            top = r"\pi" if num == 1 else rf"{num}\pi"
            return top if den == 1 else rf"{top}/{den}"
    return f"{omega:.4g}"


def _colours(k_values):
    """One distinct colour per k (a qualitative palette: seven k values must be told apart)."""
    cmap = plt.get_cmap("tab10")
    return {float(k): cmap(i % 10) for i, k in enumerate(k_values)}


def _split(mask):
    """Index runs where ``mask`` holds, as slices (extended by one point to join lines)."""
    idx = np.flatnonzero(mask)
    if idx.size == 0:
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    starts = np.r_[idx[0], idx[breaks + 1]]
    stops = np.r_[idx[breaks], idx[-1]]
    return [slice(a, b + 1) for a, b in zip(starts, stops, strict=True)]


def _plot_marked(ax, x, y, bad, colour, ls, label=None, marker_every=8):
    """Line where the run is converged; hollow markers and a faint line where it is not."""
    good = ~bad & np.isfinite(x) & np.isfinite(y)
    first = True
    for sl in _split(good):
        ax.plot(x[sl], y[sl], color=colour, ls=ls, lw=1.5, label=label if first else None)
        first = False
    for sl in _split(bad & np.isfinite(x) & np.isfinite(y)):
        lo = max(sl.start - 1, 0)
        ax.plot(x[lo:sl.stop], y[lo:sl.stop], color=colour, ls=ls, lw=0.8, alpha=0.45)
        ax.plot(x[sl][::marker_every], y[sl][::marker_every], ls="none", marker="o", ms=3.2,
                mfc="none", mec=colour, mew=0.8)
    if first and label:
        ax.plot([], [], color=colour, ls=ls, label=label)


def draw_fig2(runs: xr.Dataset, hull: xr.Dataset, panel_b_k, tolerance: float):
    """(a) χ against D for every k in ``runs`` (dims k, time), with Eq. 13 (dotted), Eq. 12
    (dashed) and the hull of the random states at the dimer's κ (solid); (b) D(t) (solid) and
    χ(t) (dashed) for ``panel_b_k``. Points whose truncation weight exceeds ``tolerance`` are
    drawn as hollow circles on a faint line."""
    apply_style()
    omega = [runs.attrs["omega1"], runs.attrs["omega2"]]
    kap = min(omega) / max(omega)
    colours = _colours(runs["k"].values)
    fig, (ax_a, ax_b) = plt.subplots(1, 2, figsize=(7.2, 3.6))
    d = np.linspace(1e-3, np.sqrt(2), 400)
    ax_a.plot(d, chi_min_classical_two_mode(d, kap), "k:", lw=1.4, label="Eq. (13), classical")
    ax_a.plot(d, chi_min_quantum_two_mode(d, kap), "k--", lw=1.2, label="Eq. (12), quantum")
    ax_a.plot(hull["D_quantum"], hull["chi_quantum"], "k-", lw=1.2,
              label=rf"hull of random states, $\kappa={kap:.2g}$")
    chi_all = []
    for k in runs["k"].values:
        r = runs.sel(k=k)
        bad = unconverged_times(r, tolerance)
        x, y = r["D"].values, r["chi"].values
        chi_all.append(y[np.isfinite(y)])
        _plot_marked(ax_a, x, y, bad, colours[float(k)], "-", label=f"k = {k:g}")
    chi_top = max(3.0, 1.1 * max((c.max() for c in chi_all if c.size), default=1.0))
    ax_a.set_xlim(0, 1.45)
    ax_a.set_ylim(0, chi_top)
    ax_a.set_xlabel(r"synchronization distance $D$")
    ax_a.set_ylabel(r"ergotropy of synchronization $\chi$")
    ax_a.set_title("(a)", loc="left")
    fig.legend(*ax_a.get_legend_handles_labels(), loc="outside lower center", ncol=5,
               fontsize=7)

    t = runs["time"].values
    for k in panel_b_k:
        r = runs.sel(k=k)
        bad = unconverged_times(r, tolerance)
        _plot_marked(ax_b, t, r["D"].values, bad, colours[float(k)], "-", label=f"k = {k:g}")
        _plot_marked(ax_b, t, r["chi"].values, bad, colours[float(k)], "--")
    ax_b.plot([], [], "k-", label=r"$D$")
    ax_b.plot([], [], "k--", label=r"$\chi$")
    ax_b.plot([], [], ls="none", marker="o", mfc="none", mec="k",
              label=f"truncation weight > {tolerance:g}")
    ax_b.set_xlabel(r"time $t$")
    ax_b.set_ylabel(r"$D$ (solid), $\chi$ (dashed)")
    ax_b.set_xlim(t[0], t[-1])
    ax_b.set_ylim(bottom=0)
    ax_b.set_title("(b)", loc="left")
    # outside the axes: the curves can sit anywhere in the panel, depending on k and γ
    ax_b.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, borderaxespad=0)
    method = runs.attrs.get("method", "?")
    cut = f", $n_{{\\max}}={runs.attrs['n_max']}$" if method == "exact" else ""
    fig.suptitle(rf"Quantum dimer, $\omega = ({_pi_multiple(omega[0])}, {_pi_multiple(omega[1])})$"
                 rf", {method} solver{cut}", fontsize=10)
    return fig


def draw_convergence(study: xr.Dataset, tolerance: float):
    """D(t) and χ(t) for each k (columns) at every cutoff n_max (colours)."""
    apply_style()
    ks = study["k"].values
    cutoffs = study["n_max"].values
    fig, axes = plt.subplots(2, len(ks), figsize=(2.0 * len(ks) + 0.6, 4.0), sharex=True,
                             squeeze=False)
    cmap = plt.get_cmap("viridis")
    t = study["time"].values
    for j, k in enumerate(ks):
        for i, n in enumerate(cutoffs):
            r = study.sel(k=k, n_max=n)
            colour = cmap(i / max(len(cutoffs) - 1, 1))
            bad = unconverged_times(r, tolerance)
            lab = rf"$n_{{\max}}={n}$" if j == 0 else None
            _plot_marked(axes[0, j], t, r["D"].values, bad, colour, "-", label=lab)
            _plot_marked(axes[1, j], t, r["chi"].values, bad, colour, "-")
        axes[0, j].set_title(f"k = {k:g}")
        axes[1, j].set_xlabel("time $t$")
    axes[0, 0].set_ylabel("$D$")
    axes[1, 0].set_ylabel(r"$\chi$")
    axes[0, 0].plot([], [], ls="none", marker="o", mfc="none", mec="k",
                    label=f"trunc. weight > {tolerance:g}")
    fig.legend(*axes[0, 0].get_legend_handles_labels(), loc="outside lower center",
               ncol=len(cutoffs) + 1)
    fig.suptitle("Exact dimer solver: dependence on the Fock cutoff", fontsize=10)
    return fig
