"""Rate of synchronization (Eq. 22) against its speed limit (Eq. 23) along exact dimer runs."""

from __future__ import annotations

import numpy as np
import xarray as xr

from .style import apply_style, plt

__all__ = ["draw_speed_limit"]

#: line styles of the curves, shared by the panels and the legend
_STYLES = {
    "Ldot_eq22_symmetrized": dict(
        color="C0", ls="-", lw=1.4,
        label=r"$\dot L$, Eq. (22), $C=\frac{1}{2}\langle\{H_c,H_0\}\rangle-\dots$"),
    "Ldot_eq22_printed": dict(
        color="0.45", ls=":", lw=1.2,
        label=r"$\dot L$, Eq. (22) printed, $C=\frac{1}{2}\langle H_cH_0\rangle-\dots$"),
    "Ldot_numeric": dict(color="k", ls="none", marker=".", ms=2.5,
                         label=r"$\dot L$, centred difference of $L(t)$"),
    "bound_eq23_rs": dict(color="C3", ls="--", lw=1.2,
                          label=r"Eq. (23) bound, commutator weight $\frac{1}{4}$"),
    "bound_eq23_printed": dict(color="C1", ls="-.", lw=1.2,
                               label=r"Eq. (23) bound as printed, weight $\frac{1}{2}$"),
}


#: end of the linear part of the symmetric-log time axis
_T_LIN = 0.1


def _marker_subset(t, n=60):
    """About n indices evenly spread along the symmetric-log time axis."""
    u = np.arcsinh(np.asarray(t) / _T_LIN)
    return np.unique(np.searchsorted(u, np.linspace(u[0], u[-1], n)).clip(0, len(t) - 1))


def _shade_unconverged(ax, t, bad):
    """Grey background where the run's top-sector weight exceeds the tolerance."""
    if not bad.any():
        return
    edges = np.flatnonzero(np.diff(np.r_[0, bad.astype(int), 0]))
    for a, b in zip(edges[::2], edges[1::2], strict=True):
        ax.axvspan(t[a], t[min(b, len(t) - 1)], color="0.85", lw=0, zorder=0)


def draw_speed_limit(runs: dict[str, xr.Dataset], tolerance: float):
    """One column per k and two rows per run: (top) L̇ from Eq. 22 (both covariance forms) and
    from the centred difference of L(t), with the Eq. 23 bound (both commutator weights);
    (bottom) the margin bound − L̇ (Eq. 22, symmetrized). Symmetric-log axes: the bound is an
    order of magnitude above L̇, and the strongly damped runs settle by t ~ 0.3. Grey
    background: truncation weight above ``tolerance``."""
    apply_style()
    n_col = max(len(ds["k"]) for ds in runs.values())
    n_row = 2 * len(runs)
    fig, axes = plt.subplots(n_row, n_col, figsize=(1.9 * n_col + 0.6, 1.75 * n_row),
                             squeeze=False)
    for r, (name, ds) in enumerate(runs.items()):
        t = ds["time"].values
        for c in range(n_col):
            top, bottom = axes[2 * r, c], axes[2 * r + 1, c]
            if c >= len(ds["k"]):
                top.set_visible(False)
                bottom.set_visible(False)
                continue
            one = ds.isel(k=c)
            k = float(one["k"])
            bad = one["truncation_weight"].values > tolerance
            for ax in (top, bottom):
                _shade_unconverged(ax, t, bad)
                ax.set_yscale("symlog", linthresh=1.0)
                # strong damping settles within t ~ 0.3, the paper's runs oscillate to t = 10:
                # linear near 0, logarithmic beyond, shows both
                ax.set_xscale("symlog", linthresh=_T_LIN, linscale=0.6)
                ax.set_xlim(t[0], t[-1])
                ax.axhline(0.0, color="0.6", lw=0.6)
            for var, style in _STYLES.items():
                y = one[var].values
                if var == "Ldot_numeric":
                    top.plot(t[_marker_subset(t)], y[_marker_subset(t)], **style)
                else:
                    top.plot(t, y, **style)
            for form, var in (("rs", "margin_eq23_rs"), ("printed", "margin_eq23_printed")):
                style = {key: v for key, v in _STYLES[f"bound_eq23_{form}"].items()
                         if key != "label"}
                bottom.plot(t, one[var].values, **style)
            top.set_title(f"{name}: k = {k:g}", fontsize=8)
            if c == 0:
                top.set_ylabel(r"$\dot L$, bound")
                bottom.set_ylabel("margin")
            bottom.set_xlabel(r"$t$")
    handles = [plt.Line2D([], [], **style) for style in _STYLES.values()]
    handles.append(plt.Rectangle((0, 0), 1, 1, color="0.85", label=f"truncation weight > "
                                 f"{tolerance:g}"))
    fig.legend(handles=handles, loc="outside lower center", ncol=3, fontsize=7)
    return fig
