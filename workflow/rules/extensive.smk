# Issue 7 (beyond the paper): the extensive work cost of synchronizing N oscillators
# (Eqs. 11, 18-21), with random N-mode states (the wishart ensemble of SPEC §4, 2N x 2N).
# Per N: sample in seeded blocks -> D (Eq. 6), chi (Eq. 10) and the hull candidates' covariances
# -> lower convex hull in the (D, chi/N) plane; then one figure from all N.
# Sampling and measures share a rule: storing every covariance would take ~2 GB at the default
# size, so only the states that can lie on the hull are kept (src/qsync/extensive.py).
# Per-N rules get only per-N values (N from the wildcard, the sampling options common to all N),
# so adding an N runs that N and redraws the figure, nothing else.


rule extensive_measures:
    input:
        code=code_for("extensive_measures"),
    output:
        measures=f"{R}/extensive/measures_N{{n}}.nc",
        states=f"{R}/extensive/states_N{{n}}.nc",
    params:
        n_modes=lambda wc: int(wc.n),
        sampling={k: config["extensive"][k] for k in ("n_states", "seed", "scale", "kappa")},
    wildcard_constraints:
        n="[0-9]+",
    log:
        f"{R}/logs/extensive/measures_N{{n}}.log",
    benchmark:
        f"{R}/benchmarks/extensive/measures_N{{n}}.tsv"
    resources:
        mem_mb=1500,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/extensive_measures.py"


rule extensive_hull:
    input:
        measures=f"{R}/extensive/measures_N{{n}}.nc",
        states=f"{R}/extensive/states_N{{n}}.nc",
        code=code_for("extensive_hull"),
    output:
        f"{R}/extensive/hull_N{{n}}.nc",
    wildcard_constraints:
        n="[0-9]+",
    log:
        f"{R}/logs/extensive/hull_N{{n}}.log",
    benchmark:
        f"{R}/benchmarks/extensive/hull_N{{n}}.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/extensive_hull.py"


rule extensive_figure:
    input:
        hulls=expand(f"{R}/extensive/hull_N{{n}}.nc", n=config["extensive"]["n_modes"]),
        code=code_for("extensive_figure"),
    output:
        pdf=f"{F}/extensive.pdf",
        png=report(f"{F}/extensive.png", caption="../report/extensive.rst",
                   category="Figures"),
        provenance=f"{F}/extensive.provenance.json",
    params:
        plot={"n_modes": config["extensive"]["n_modes"], **config["extensive"]["plot"]},
    log:
        f"{R}/logs/extensive/figure.log",
    benchmark:
        f"{R}/benchmarks/extensive/figure.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/extensive_figure.py"
