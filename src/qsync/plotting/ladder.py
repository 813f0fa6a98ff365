"""The γ-ladder figure (issue 12): D and ⟨n1 + n2⟩ at the last time against the factor F."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from .style import apply_style, plt

_PLAIN = FuncFormatter(lambda x, _: f"{x:g}")
#: minor ticks of a log axis: label 2 and 5 times a power of ten (the axis may span < 1 decade)
_TWO_FIVE = FuncFormatter(lambda x, _: f"{x:g}" if f"{x:.0e}"[0] in "25" else "")

__all__ = ["draw_ladder"]

#: marker and horizontal offset (factor on F) of each method, so error bars do not overlap
_METHODS = {
    "exact": dict(marker="s", offset=1 / 1.07, label="exact block-Fock solver"),
    "jump_trajectories": dict(marker="o", offset=1.07, label="weighted jump trajectories"),
}


def _points(ax, ladder: xr.Dataset, name: str, method: str, k: float, color: str):
    """One method's values at the last time for one k: filled where converged, open where
    not (then the value is what the method gives, not a result)."""
    r = ladder.sel({"method": method, "k": k}).isel(time=-1)  # not sel(method=): a keyword
    f = ladder["F"].values * _METHODS[method]["offset"]
    y, err = r[name].values, r[f"{name}_stderr"].values
    ok = r["converged"].values.astype(bool)
    for sel, face in ((ok, color), (~ok, "white")):
        if not np.any(sel & np.isfinite(y)):
            continue
        ax.errorbar(f[sel], y[sel], yerr=np.where(err[sel] > 0, err[sel], np.nan),
                    marker=_METHODS[method]["marker"], ms=5, mfc=face, mec=color, color=color,
                    ls="none", capsize=2, lw=1)


def draw_ladder(ladder: xr.Dataset, saddle: dict | None = None):
    """Two panels against F (log axis, the paper's F = 1 to the right): (a) D(t_final),
    (b) ⟨n1 + n2⟩(t_final); one colour per k, squares exact solver, circles jump trajectories
    (error bars: one jackknife standard error), open markers where the method's own
    convergence check fails. ``saddle`` maps k to the large-N saddle's (D, N at F = 1) at the
    same time: drawn as dashed lines (D independent of F, N ∝ 1/F) out to F = 1."""
    apply_style()
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.1))
    t_last = float(ladder["time"].values[-1])
    for i, k in enumerate(ladder["k"].values):
        color = f"C{i}"
        for method in _METHODS:
            _points(axes[0], ladder, "D", method, k, color)
            _points(axes[1], ladder, "n_total", method, k, color)
        axes[0].plot([], [], color=color, lw=4, label=f"$k = {k:g}$")
        if saddle and float(k) in saddle:
            d_s, n_s = saddle[float(k)]
            span = np.geomspace(float(ladder["F"].max()), 1.0, 50)
            axes[0].plot(span, np.full_like(span, d_s), color=color, ls="--", lw=1)
            axes[1].plot(span, n_s / span, color=color, ls="--", lw=1)
    factors = ladder["F"].values
    if saddle:
        factors = np.append(factors, 1.0)
    for ax in axes:
        ax.set_xscale("log")
        ax.xaxis.set_major_locator(FixedLocator(factors))  # tick the rungs, plainly
        ax.xaxis.set_minor_locator(NullLocator())
        ax.xaxis.set_major_formatter(_PLAIN)
        ax.set_xlim(factors.max() * 1.6, factors.min() / 1.6)  # reversed: F = 1 to the right
        ax.set_xlabel(r"$F$ (both $\gamma_j \to F\gamma_j$; paper: $F = 1$)")
    axes[0].set_ylabel(rf"$D(t = {t_last:g})$")
    axes[1].set_ylabel(rf"$\langle n_1 + n_2\rangle(t = {t_last:g})$")
    axes[1].set_yscale("log")
    axes[1].yaxis.set_major_formatter(_PLAIN)
    axes[1].yaxis.set_minor_formatter(_TWO_FIVE)
    for style in _METHODS.values():
        axes[1].plot([], [], marker=style["marker"], color="0.3", ls="none", label=style["label"])
    axes[1].plot([], [], marker="o", mfc="white", mec="0.3", ls="none",
                 label="open: not converged")
    if saddle:
        axes[1].plot([], [], color="0.3", ls="--", lw=1, label=r"large-$N$ saddle (leading order)")
    axes[0].legend(loc="best", fontsize=7)
    axes[1].legend(loc="upper left", fontsize=7)
    axes[0].set_title("(a)", loc="left")
    axes[1].set_title("(b)", loc="left")
    return fig
