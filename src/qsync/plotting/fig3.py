"""Fig. 3: D at t_final over the (k, Δω) plane, quantum and classical."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib import patheffects
from matplotlib.collections import PatchCollection
from matplotlib.patches import Patch, Rectangle

from ..dimer.convergence import unconverged_points
from ..dimer.method_flags import METHOD_SADDLE
from .style import apply_style, plt

__all__ = ["draw_fig3"]


#: a grey rim around the white boundary lines, so that they show on light colours and in the
#: legend's white box alike
_outline = patheffects.withStroke(linewidth=2.6, foreground="0.35")


def _edges(x: np.ndarray) -> np.ndarray:
    if len(x) == 1:
        return np.array([x[0] - 0.5, x[0] + 0.5])
    mid = 0.5 * (x[1:] + x[:-1])
    return np.r_[x[0] - (mid[0] - x[0]), mid, x[-1] + (x[-1] - mid[-1])]


def draw_fig3(quantum: xr.Dataset, classical: xr.Dataset, tolerance: float,
              colormap: str = "viridis", cutoff_tolerance: float = 1e-3,
              error_tolerance: float = 0.02):
    """(a) quantum and (b) classical D(t_final) on one colour scale [0, √2], with the classical
    boundaries k = ±Δω (dashed). Quantum points whose truncation weight exceeds
    ``tolerance`` (unconverged in the Fock cutoff), whose D changes by more than
    ``cutoff_tolerance`` between the two cutoffs (if the sweep has ``cutoff_change``), whose
    exact run broke down in double precision (white: no value) or whose closure blew up are
    hatched. The large-N sweep (method 'large_n') hatches points whose error estimate exceeds
    ``error_tolerance`` (or exact points above the truncation tolerance) and draws the line
    between its exact points and its saddle points (the divergence time t* = t_final)."""
    apply_style()
    fig, axes = plt.subplots(1, 2, figsize=(7.2, 3.3), sharey=True)
    mesh = None
    for ax, ds, title in zip(axes, (quantum, classical), ("(a) quantum", "(b) classical"),
                             strict=True):
        k, dw = ds["k"].values, ds["delta_omega"].values
        ke, we = _edges(k), _edges(dw)
        mesh = ax.pcolormesh(ke, we, ds["D"].values.T, cmap=colormap, vmin=0, vmax=np.sqrt(2),
                             shading="flat", rasterized=True)
        line = np.array([min(ke[0], -we[-1]), max(ke[-1], we[-1])])
        ax.plot(line, line, "w--", lw=1.1, path_effects=[_outline])
        ax.plot(line, -line, "w--", lw=1.1, path_effects=[_outline])
        ax.set_xlim(ke[0], ke[-1])
        ax.set_ylim(we[0], we[-1])
        ax.set_xlabel(r"coupling $k$")
        ax.set_title(title, loc="left")
    axes[0].set_ylabel(r"$\Delta\omega = \omega_2 - \omega_1$")
    bad = unconverged_points(quantum, tolerance, cutoff_tolerance, error_tolerance)
    large_n = quantum.attrs.get("method") == "large_n"
    # drawn exactly as on the maps
    handles = [plt.Line2D([], [], color="w", ls="--", lw=1.1, label=r"$k = \pm\Delta\omega$",
                          path_effects=[_outline])]
    if bad.any():
        ke, we = _edges(quantum["k"].values), _edges(quantum["delta_omega"].values)
        cells = [Rectangle((ke[i], we[j]), ke[i + 1] - ke[i], we[j + 1] - we[j])
                 for i, j in zip(*np.nonzero(bad), strict=True)]
        axes[0].add_collection(PatchCollection(cells, facecolor=(1, 1, 1, 0.3),
                                               edgecolor=(0, 0, 0, 0.6), hatch="////",
                                               linewidth=0))
        what = f"truncation weight > {tolerance:g} or breakdown"
        if "cutoff_change" in quantum:
            what = (f"$|\\Delta D| > {cutoff_tolerance:g}$ between $n_{{\\max}} = "
                    f"{quantum.attrs['n_max']}, {quantum.attrs['n_max_check']}$, "
                    f"truncation weight > {tolerance:g} or breakdown")
        if quantum.attrs.get("method") == "closure":
            what = "closure blew up"
        if large_n:
            what = (f"error estimate $> {error_tolerance:g}$, truncation weight $> {tolerance:g}$"
                    " or no solution")
        handles.append(Patch(facecolor="0.8", edgecolor="k", hatch="////",
                             label=f"quantum unconverged ({what})"))
    if large_n:  # where the method switches: the divergence time t* reaches t_final
        saddle = (quantum["method_used"].values == METHOD_SADDLE).astype(float)
        if 0 < saddle.sum() < saddle.size:
            axes[0].contour(quantum["k"].values, quantum["delta_omega"].values, saddle.T,
                            levels=[0.5], colors="w", linewidths=1.0, linestyles=":",
                            path_effects=[_outline])
            handles.append(plt.Line2D([], [], color="w", ls=":", lw=1.0, path_effects=[_outline],
                                      label=r"$t^* = t$ (exact solver | large-$N$ saddle)"))
    cb = fig.colorbar(mesh, ax=axes, shrink=0.9, pad=0.01)
    cb.set_label(rf"$D$ at $t = {quantum.attrs.get('t_final', 10):g}$")
    fig.legend(handles=handles, loc="outside lower center", ncol=2)
    method = quantum.attrs.get("method", "?")
    cut = rf", $n_{{\max}} = {quantum.attrs['n_max']}$" if method == "exact" else ""
    solver = f"{method} solver{cut}"
    if large_n:
        solver = (rf"large-$N$ saddle where $t^* < t$, exact solver ($n_{{\max}} = "
                  rf"{quantum.attrs['n_max']}$) elsewhere")
    fig.suptitle(f"Synchronization distance after t = {quantum.attrs.get('t_final', 10):g} "
                 f"(quantum: {solver})", fontsize=10)
    return fig
