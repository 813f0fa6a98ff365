"""Fig. 2 at the paper's parameters from the exact solver (t ≤ t*) and the large-N saddle
(t > t*): χ–D trajectories and D(t), χ(t), with the saddle's error estimate."""

from __future__ import annotations

import numpy as np
import xarray as xr

from ..bounds import chi_min_classical_two_mode, chi_min_quantum_two_mode
from ..dimer.method_flags import METHOD_EXACT
from .fig2 import _colours, _pi_multiple, _plot_marked
from .style import apply_style, plt

__all__ = ["draw_fig2_large_n"]


def _chi_shown(r: xr.Dataset) -> np.ndarray:
    """χ where known (exact points), else its Gaussian lower bound (saddle points)."""
    return np.where(r["method_used"].values == METHOD_EXACT, r["chi"].values,
                    r["chi_gaussian"].values)


def draw_fig2_large_n(runs: xr.Dataset, hull: xr.Dataset, panel_b_k):
    """(a) χ against D for every k (dims k, time): solid where χ is the exact solver's, dotted
    where only its lower bound χ_G (saddle points) is known; Eqs. 12, 13 and the hull of the
    random states. (b) D(t) with the saddle's error band and (c) χ(t) (χ_G dotted) for
    ``panel_b_k``. Points that fail their method's check are hollow circles on a faint line."""
    apply_style()
    omega = [runs.attrs["omega1"], runs.attrs["omega2"]]
    kap = min(omega) / max(omega)
    colours = _colours(runs["k"].values)
    fig = plt.figure(figsize=(7.4, 4.4))
    grid = fig.add_gridspec(2, 2, width_ratios=(1.0, 1.0))
    ax_a = fig.add_subplot(grid[:, 0])
    ax_b = fig.add_subplot(grid[0, 1])
    ax_c = fig.add_subplot(grid[1, 1], sharex=ax_b)
    d = np.linspace(1e-3, np.sqrt(2), 400)
    ax_a.plot(d, chi_min_classical_two_mode(d, kap), "k:", lw=1.4, label="Eq. (13), classical")
    ax_a.plot(d, chi_min_quantum_two_mode(d, kap), "k--", lw=1.2, label="Eq. (12), quantum")
    ax_a.plot(hull["D_quantum"], hull["chi_quantum"], "k-", lw=1.2,
              label=rf"hull of random states, $\kappa={kap:.2g}$")
    chi_top = 3.0
    for k in runs["k"].values:
        r = runs.sel(k=k)
        bad = ~r["converged"].values
        exact = r["method_used"].values == METHOD_EXACT
        x, y = r["D"].values, _chi_shown(r)
        colour = colours[float(k)]
        _plot_marked(ax_a, np.where(exact, x, np.nan), y, bad, colour, "-", label=f"k = {k:g}")
        _plot_marked(ax_a, np.where(exact, np.nan, x), y, bad, colour, ":")
        if np.isfinite(y).any():
            chi_top = max(chi_top, 1.1 * float(np.nanmax(y)))
    ax_a.plot([], [], color="0.3", ls=":", label=r"$\chi_G \leq \chi$ (large-$N$ saddle)")
    ax_a.set_xlim(0, 1.45)
    ax_a.set_ylim(0, chi_top)
    ax_a.set_xlabel(r"synchronization distance $D$")
    ax_a.set_ylabel(r"ergotropy of synchronization $\chi$")
    ax_a.set_title("(a)", loc="left")
    fig.legend(*ax_a.get_legend_handles_labels(), loc="outside lower center", ncol=4,
               fontsize=7)

    t = runs["time"].values
    for k in panel_b_k:
        r = runs.sel(k=k)
        colour = colours[float(k)]
        bad = ~r["converged"].values
        dd, err = r["D"].values, r["D_error"].values
        band = np.isfinite(err) & np.isfinite(dd)
        ax_b.fill_between(t, np.where(band, dd - err, np.nan), np.where(band, dd + err, np.nan),
                          color=colour, alpha=0.3, lw=0)
        _plot_marked(ax_b, t, dd, bad, colour, "-", label=f"k = {k:g}")
        exact = r["method_used"].values == METHOD_EXACT
        y = _chi_shown(r)
        _plot_marked(ax_c, t, np.where(exact, y, np.nan), bad, colour, "-")
        _plot_marked(ax_c, t, np.where(exact, np.nan, y), bad, colour, ":")
    ax_b.plot([], [], ls="none", marker="o", mfc="none", mec="k", label="check fails")
    ax_b.set_ylabel(r"$D$ (band: error estimate)")
    ax_b.set_ylim(bottom=0)
    ax_b.set_title("(b)", loc="left")
    ax_b.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, borderaxespad=0)
    ax_b.tick_params(labelbottom=False)
    ax_c.plot([], [], "k-", label=r"$\chi$ (exact solver)")
    ax_c.plot([], [], "k:", label=r"$\chi_G \leq \chi$ (saddle)")
    ax_c.set_ylabel(r"$\chi$")
    ax_c.set_xlabel(r"time $t$ (linear to 1, then logarithmic)")
    ax_c.set_xscale("symlog", linthresh=1.0, linscale=1.5)
    ax_c.set_xlim(t[0], t[-1])
    ax_c.set_ylim(bottom=0)
    ax_c.set_title("(c)", loc="left")
    ax_c.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7, borderaxespad=0)
    fig.suptitle(rf"Quantum dimer, $\omega = ({_pi_multiple(omega[0])}, {_pi_multiple(omega[1])})$"
                 rf", $\gamma = ({runs.attrs['gamma1']:.2g}, {runs.attrs['gamma2']:.2g})$: exact "
                 rf"solver for $t \leq t^*$, large-$N$ saddle after", fontsize=9)
    return fig
