# Rate of synchronization (Eq. 22) and its speed limit (Eq. 23) along exact dimer runs
# (issue 14): one job per configured run, then one figure.

include: "speed_limit_common.smk"


rule speed_limit_run:
    input:
        code=code_for("speed_limit"),
    output:
        f"{R}/speed_limit/{{run}}.nc",
    params:
        run=lambda wc: speed_limit_run_params(wc.run),
    log:
        f"{R}/logs/speed_limit/{{run}}.log",
    benchmark:
        f"{R}/benchmarks/speed_limit/{{run}}.tsv"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=180,
    conda:
        ENV
    script:
        "../scripts/speed_limit.py"


rule speed_limit_figure:
    input:
        runs=lambda wc: [f"{R}/speed_limit/{name}.nc" for name in speed_limit_figure_runs()],
        code=code_for("speed_limit_figure"),
    output:
        pdf=f"{F}/speed_limit.pdf",
        png=f"{F}/speed_limit.png",
        provenance=f"{F}/speed_limit.provenance.json",
    params:
        names=lambda wc: speed_limit_figure_runs(),
        tolerance=config["speed_limit"]["truncation_tolerance"],
    log:
        f"{R}/logs/speed_limit_figure.log",
    benchmark:
        f"{R}/benchmarks/speed_limit_figure.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/speed_limit_figure.py"
