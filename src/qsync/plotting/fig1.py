"""Fig. 1: χ against D for random two-mode Gaussian states, with the bounds Eqs. 12–13."""

from __future__ import annotations

import numpy as np
import xarray as xr
from matplotlib.colors import LogNorm

from ..bounds import (
    chi_inf_classical_two_mode,
    chi_min_classical_two_mode,
    chi_min_quantum_two_mode,
)
from .style import apply_style, plt

__all__ = ["draw_fig1", "draw_bounds"]

SQRT2 = np.sqrt(2.0)


def draw_bounds(ax, omega, d_max: float = SQRT2, derived: bool = True) -> None:
    """Eq. 12 (dashed), Eq. 13 (dotted) and the derived classical infimum (dash-dot)."""
    w1, w2 = float(omega[0]), float(omega[1])
    kap = min(w1, w2) / max(w1, w2)
    d = np.linspace(1e-3, d_max, 600)
    ax.plot(d, chi_min_quantum_two_mode(d, kap), "k--", lw=1.2,
            label=r"quantum bound, Eq. (12)")
    ax.plot(d, chi_min_classical_two_mode(d, kap), "k:", lw=1.5,
            label=r"classical bound, Eq. (13)")
    if derived:
        ax.plot(d, chi_inf_classical_two_mode(d, w1, w2), color="tab:red", ls="-.", lw=1.1,
                label="classical infimum (derived here)")


def draw_fig1(measures: xr.Dataset, hull: xr.Dataset, n_plot: int = 1000, plot_seed: int = 1,
              colormap: str = "viridis", chi_max: float | None = None):
    """Two panels, (a) quantum and (b) classical: ``n_plot`` states coloured by the photon
    number of the quantum state,
    the lower convex hull of all states (solid), Eqs. 12–13 and the derived infimum.

    Returns the matplotlib figure.
    """
    apply_style()
    omega = measures.attrs["omega"]
    kap = measures.attrs["kappa"]
    n_states = measures.sizes["state"]
    rng = np.random.default_rng(plot_seed)
    idx = np.sort(rng.choice(n_states, size=min(n_plot, n_states), replace=False))
    colour = measures["photon_number"].values[idx]
    fig, axes = plt.subplots(1, 2, figsize=(7.0, 3.1), sharey=True)
    if chi_max is None:
        chi_max = 6.0
    norm = LogNorm(vmin=max(colour.min(), 1e-3), vmax=max(colour.max(), 1e-2)) if len(idx) else None
    sc = None
    for ax, kind, title in zip(axes, ("quantum", "classical"),
                               ("(a) quantum states", "(b) classical densities"), strict=True):
        d = measures[f"D_{kind}"].values[idx]
        chi = measures[f"chi_{kind}"].values[idx]
        if len(idx):
            sc = ax.scatter(d, chi, c=colour, s=9, cmap=colormap, norm=norm, alpha=0.8,
                            edgecolors="none", rasterized=True, zorder=1)
        ax.plot(hull[f"D_{kind}"], hull[f"chi_{kind}"], "k-", lw=1.6, zorder=3,
                label=rf"lower convex hull $\tilde\chi_{{\min}}$ of all {_count(n_states)} states")
        draw_bounds(ax, omega)
        ax.axvline(SQRT2, color="0.5", lw=0.8, zorder=0)
        ax.text(SQRT2 + 0.03, 0.5 * chi_max, r"$D=\sqrt{2}$ (largest $D$)", rotation=90,
                ha="left", va="center", fontsize=7, color="0.35")
        ax.set_xlim(0, 1.5)
        ax.set_ylim(0, chi_max)
        ax.set_xlabel(r"synchronization distance $D$")
        ax.set_title(title, loc="left")
    axes[0].set_ylabel(r"ergotropy of synchronization $\chi$")
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncol=2)
    fig.suptitle(rf"Random two-mode Gaussian states, $\kappa = {kap:.3g}$", fontsize=10)
    if sc is not None:
        cb = fig.colorbar(sc, ax=axes, shrink=0.9, pad=0.01)
        cb.set_label(r"photon number $\langle n_1+n_2\rangle$ (quantum state)")
    return fig


def _count(n: int) -> str:
    """10⁶ as $10^{6}$, 20000 as $2\times10^{4}$."""
    exp = int(np.floor(np.log10(n)))
    mant = n / 10**exp
    if abs(mant - 1) < 1e-9:
        return rf"$10^{{{exp}}}$"
    return rf"${mant:g}\times10^{{{exp}}}$"
