"""Issue 7 figure: the extensive cost χ/N of synchronizing N oscillators (Eqs. 11, 18–21).

(a) quantum and (b) classical random N-mode states: the lower convex hull of each sample
in the (D, χ/N) plane, the bound divided by N (Eq. 11 quantum; the exact classical infimum of
SPEC §3 for equal frequencies), the N → ∞ asymptote (Eq. 19, Eq. 21) and the product Gibbs
state (χ = 0 at D² = 2(1 − 1/N), for any frequencies); an inset in (a) zooms on the region
where samples and Gibbs states fall below Eq. 11. (c) χ_min(N, κ, D)/N against N for a few D,
with the asymptotes and the classical infimum.
"""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

from ..bounds import (
    chi_inf_classical_equal,
    chi_min_asymptotic_classical,
    chi_min_asymptotic_quantum,
    chi_min_quantum,
    gibbs_distance,
)
from .style import apply_style, plt

__all__ = ["draw_extensive"]

SQRT2 = np.sqrt(2.0)


def _count(n: int) -> str:
    exp = int(np.floor(np.log10(n)))
    mant = n / 10**exp
    return rf"$10^{{{exp}}}$" if abs(mant - 1) < 1e-9 else rf"${mant:g}\times10^{{{exp}}}$"


def draw_extensive(hulls: list[xr.Dataset], d_values=(0.1, 0.3, 0.5), n_max: int = 10_000,
                   colormap: str = "viridis", chi_per_mode_range=(-0.6, 6.5),
                   zoom=(1.1, 1.43, -0.1, 0.8)):
    """The three-panel figure from the per-N hull datasets (sorted by N here).

    ``zoom`` = (D_min, D_max, χ/N_min, χ/N_max) of the inset in (a).

    Returns the matplotlib figure.
    """
    apply_style()
    hulls = sorted(hulls, key=lambda h: int(h.attrs["n_modes"]))
    kappas = {float(h.attrs["kappa"]) for h in hulls}
    if len(kappas) != 1:
        raise ValueError(f"the hull files disagree on kappa: {sorted(kappas)}")
    kap = kappas.pop()
    equal = kap == 1.0
    ns = [int(h.attrs["n_modes"]) for h in hulls]
    cmap = plt.get_cmap(colormap)
    colours = {n: cmap(0.85 * i / max(len(ns) - 1, 1)) for i, n in enumerate(ns)}

    fig = plt.figure(figsize=(7.0, 6.6))
    grid = fig.add_gridspec(3, 2, height_ratios=[1.0, 0.12, 0.95])
    ax_q = fig.add_subplot(grid[0, 0])
    ax_c = fig.add_subplot(grid[0, 1], sharey=ax_q)
    ax_leg = fig.add_subplot(grid[1, :])
    ax_leg.axis("off")
    ax_n = fig.add_subplot(grid[2, :])

    d = np.linspace(1e-3, SQRT2, 800)
    def draw_kind(ax, kind, small=False):
        """Hulls, the bound / N, the Gibbs states and the N → ∞ asymptote of one kind."""
        for h, n in zip(hulls, ns, strict=True):
            c = colours[n]
            ax.plot(h[f"D_{kind}"], h[f"chi_per_mode_{kind}"], "-", color=c, lw=1.6, zorder=3)
            if kind == "quantum":
                ax.plot(d, chi_min_quantum(d, n, kap) / n, "--", color=c, lw=1.0, zorder=2)
            elif equal:
                ax.plot(d, chi_inf_classical_equal(d, n) / n, "-.", color=c, lw=1.0, zorder=2)
            ax.plot(gibbs_distance(n), 0.0, "o", ms=3.5 if small else 4.5, mfc="white", mec=c,
                    mew=1.2, zorder=4, clip_on=small)
        asym = (chi_min_asymptotic_quantum(d, 1, kap) if kind == "quantum"
                else chi_min_asymptotic_classical(d, 1, kap))
        ax.plot(d, asym, color="k", ls=(0, (1, 1)), lw=1.6, zorder=2)
        ax.axhline(0.0, color="0.6", lw=0.6, zorder=0)
        ax.axvline(SQRT2, color="0.6", lw=0.8, zorder=0)

    for ax, kind in ((ax_q, "quantum"), (ax_c, "classical")):
        draw_kind(ax, kind)
        ax.set_xlim(0, 1.5)
        ax.set_ylim(*chi_per_mode_range)
        ax.set_xlabel(r"synchronization distance $D$ (Eq. 6)")
    # zoom on the region where the samples (and the Gibbs states) fall below Eq. (11)
    inset = ax_q.inset_axes([0.585, 0.45, 0.395, 0.52])
    draw_kind(inset, "quantum", small=True)
    inset.set_xlim(*zoom[:2])
    inset.set_ylim(*zoom[2:])
    inset.tick_params(labelsize=6, length=2, pad=1.5)
    ax_q.add_patch(Rectangle((zoom[0], zoom[2]), zoom[1] - zoom[0], zoom[3] - zoom[2],
                             fill=False, edgecolor="0.45", lw=0.7, zorder=5))
    ax_q.set_ylabel(r"ergotropy per oscillator $\chi/N$")
    ax_c.tick_params(labelleft=False)
    n_states = int(hulls[0].attrs["n_states"])
    ax_q.set_title(rf"(a) quantum states, {_count(n_states)} per $N$", loc="left")
    ax_c.set_title(r"(b) classical densities of the same $H$", loc="left")

    # (a)/(b): colours of N inside (b), the line styles in a strip below both panels
    n_handles = [Line2D([], [], color=colours[n], lw=1.6, label=rf"$N={n}$") for n in ns]
    ax_c.legend(handles=n_handles, loc="upper right", bbox_to_anchor=(0.9, 1.0), ncol=2,
                handlelength=1.4, columnspacing=0.9)
    styles = [Line2D([], [], color="0.3", lw=1.6, label="lower convex hull of the sample"),
              Line2D([], [], ls="none", marker="o", ms=4.5, mfc="white", mec="0.3",
                     label=r"product Gibbs state ($\chi=0$)")]
    styles.append(Line2D([], [], color="0.3", ls="--", lw=1.0, label=r"(a) Eq. (11)$/N$"))
    if equal:
        styles.append(Line2D([], [], color="0.3", ls="-.", lw=1.0,
                             label=r"(b) classical infimum$/N$ (SPEC §3)"))
    styles.append(Line2D([], [], color="k", ls=(0, (1, 1)), lw=1.6,
                         label=r"$N\to\infty$: (a) Eq. (19)$/N$, (b) Eq. (21)$/N$"))
    ax_leg.legend(handles=styles, loc="center", ncol=3, handlelength=2.2, columnspacing=1.0)

    # (c): the bounds per oscillator against N
    n_axis = np.unique(np.round(np.geomspace(2, n_max, 400)).astype(int))
    palette = plt.get_cmap("tab10")
    lo, hi = 0.0, 0.0
    for i, dv in enumerate(d_values):
        c = palette(i + 1)
        chi_n = np.array([chi_min_quantum(dv, int(n), kap) for n in n_axis]) / n_axis
        ax_n.plot(n_axis, chi_n, "-", color=c, lw=1.5)
        lo, hi = min(lo, chi_n.min()), max(hi, chi_min_asymptotic_quantum(dv, 1, kap))
        marks = np.array([chi_min_quantum(dv, n, kap) / n for n in ns])
        ax_n.plot(ns, marks, "o", color=c, ms=3.5, zorder=4)
        ax_n.axhline(chi_min_asymptotic_quantum(dv, 1, kap), color=c, ls="--", lw=1.0)
        ax_n.axhline(chi_min_asymptotic_classical(dv, 1, kap), color=c, ls=":", lw=1.3)
        if equal:
            ax_n.plot(n_axis, chi_inf_classical_equal(dv, n_axis) / n_axis, "-.", color=c,
                      lw=1.0)
        ax_n.text(n_max * 1.08, chi_min_asymptotic_quantum(dv, 1, kap), rf"$D={dv:g}$",
                  color=c, va="center", ha="left", fontsize=8)
    ax_n.set_xscale("log")
    ax_n.set_xlim(2, n_max)
    span = hi - lo
    ax_n.set_ylim(lo - 0.3 * span, hi + 0.06 * span)  # room for the legend below the curves
    ax_n.set_xlabel(r"number of oscillators $N$")
    ax_n.set_ylabel(r"$\chi_{\min}(N,\kappa,D)/N$")
    ax_n.set_title(r"(c) the bounds per oscillator against $N$", loc="left")
    handles = [Line2D([], [], color="0.3", lw=1.5, marker="o", ms=3.5,
                      label=r"Eq. (11)$/N$ (dots: the $N$ sampled above)"),
               Line2D([], [], color="0.3", ls="--", lw=1.0,
                      label=r"Eq. (19)$/N$ (quantum, $N\to\infty$)"),
               Line2D([], [], color="0.3", ls=":", lw=1.3,
                      label=r"Eq. (21)$/N$ (classical, $N\to\infty$)")]
    if equal:
        handles.append(Line2D([], [], color="0.3", ls="-.", lw=1.0,
                              label="classical infimum$/N$ (derived, SPEC §3)"))
    ax_n.legend(handles=handles, loc="lower right", ncol=2)
    suffix = (r"equal frequencies ($\kappa=1$)" if equal else
              rf"$\omega_j$ evenly spaced in $[\kappa, 1]$, $\kappa={kap:.3g}$")
    fig.suptitle(rf"Extensive cost of synchronizing $N$ oscillators, {suffix}", fontsize=10)
    return fig
