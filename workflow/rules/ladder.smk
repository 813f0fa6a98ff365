# The gamma-ladder (issue 12): every rung (F, k) by the exact solver at two cutoffs and by
# weighted jump trajectories at two walker counts (one job per replica group), one gathered
# file and one figure.

include: "ladder_common.smk"


rule ladder_exact:
    input:
        code=code_for("ladder_exact"),
    output:
        f"{R}/ladder/exact/F_{{factor}}/k_{{k}}/nmax_{{n_max}}.nc",
    params:
        run=ladder_exact_params,
    log:
        f"{R}/logs/ladder/exact/F_{{factor}}/k_{{k}}/nmax_{{n_max}}.log",
    benchmark:
        f"{R}/benchmarks/ladder/exact/F_{{factor}}/k_{{k}}/nmax_{{n_max}}.tsv"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/ladder_exact.py"


rule ladder_jumps:
    input:
        code=code_for("ladder_jumps"),
    output:
        f"{R}/ladder/jumps/F_{{factor}}/k_{{k}}/walkers_{{walkers}}/replicas_{{i}}.nc",
    params:
        run=ladder_jump_params,
    log:
        f"{R}/logs/ladder/jumps/F_{{factor}}/k_{{k}}/walkers_{{walkers}}/replicas_{{i}}.log",
    benchmark:
        f"{R}/benchmarks/ladder/jumps/F_{{factor}}/k_{{k}}/walkers_{{walkers}}/replicas_{{i}}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=120,
    conda:
        ENV
    script:
        "../scripts/ladder_jumps.py"


rule ladder_gather:
    input:
        runs=ladder_inputs,
        code=code_for("ladder_gather"),
    output:
        f"{R}/ladder.nc",
    params:
        layout=lambda wc: ladder_layout(),
        model=config["model"],
        k_values=config["ladder"]["k_values"],
        criteria=config["ladder"]["criteria"],
    log:
        f"{R}/logs/ladder_gather.log",
    benchmark:
        f"{R}/benchmarks/ladder_gather.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/ladder_gather.py"


rule ladder_figure:
    input:
        ladder=f"{R}/ladder.nc",
        large_n=lambda wc: ([large_n_path(k) for k in config["ladder"]["k_values"]
                             if k in config["dimer"]["k_values"]] if LARGE_N else []),
        code=code_for("ladder_figure"),
    output:
        pdf=f"{F}/ladder.pdf",
        png=f"{F}/ladder.png",
        provenance=f"{F}/ladder.provenance.json",
    log:
        f"{R}/logs/ladder_figure.log",
    benchmark:
        f"{R}/benchmarks/ladder_figure.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/ladder_figure.py"
