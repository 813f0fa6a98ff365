# Quantum dimer (Fig. 2): one job per k, a cutoff study, and the figures.


rule dimer_run:
    input:
        code=code_for("dimer_run"),
    output:
        f"{R}/dimer/{{method}}/k_{{k}}.nc",
    params:
        run=lambda wc: dimer_run_params(wc.method),
    log:
        f"{R}/logs/dimer/{{method}}/k_{{k}}.log",
    benchmark:
        f"{R}/benchmarks/dimer/{{method}}/k_{{k}}.tsv"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/dimer_run.py"


rule dimer_convergence_run:
    input:
        code=rules.dimer_run.input.code,
    output:
        f"{R}/dimer/convergence/nmax_{{n_max}}/k_{{k}}.nc",
    params:
        run=lambda wc: dimer_run_params("exact", wc.n_max),
    log:
        f"{R}/logs/dimer/convergence/nmax_{{n_max}}/k_{{k}}.log",
    benchmark:
        f"{R}/benchmarks/dimer/convergence/nmax_{{n_max}}/k_{{k}}.tsv"
    threads: 1
    resources:
        mem_mb=3000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/dimer_run.py"


rule dimer_convergence:
    input:
        runs=lambda wc: [convergence_path(n, k)
                         for n in config["dimer"]["convergence"]["n_max"]
                         for k in config["dimer"]["convergence"]["k_values"]],
        code=code_for("dimer_convergence"),
    output:
        data=f"{R}/dimer/convergence.nc",
        pdf=f"{F}/dimer_convergence.pdf",
        png=report(f"{F}/dimer_convergence.png", caption="../report/dimer_convergence.rst",
                   category="Figures"),
        provenance=f"{F}/dimer_convergence.provenance.json",
    params:
        n_max=config["dimer"]["convergence"]["n_max"],
        k_values=config["dimer"]["convergence"]["k_values"],
        tolerance=config["dimer"]["truncation_tolerance"],
    log:
        f"{R}/logs/dimer_convergence.log",
    benchmark:
        f"{R}/benchmarks/dimer_convergence.tsv"
    resources:
        mem_mb=2000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/dimer_convergence.py"


rule fig2:
    input:
        runs=lambda wc: [dimer_run_path(k) for k in config["dimer"]["k_values"]],
        hull=lambda wc: f"{R}/hull/{config['fig2']['frequency_set']}.nc",
        code=code_for("fig2"),
    output:
        pdf=f"{F}/fig2.pdf",
        png=report(f"{F}/fig2.png", caption="../report/fig2.rst", category="Figures"),
        provenance=f"{F}/fig2.provenance.json",
    params:
        k_values=config["dimer"]["k_values"],
        plot=config["fig2"],
        tolerance=config["dimer"]["truncation_tolerance"],
    log:
        f"{R}/logs/fig2.log",
    benchmark:
        f"{R}/benchmarks/fig2.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/fig2.py"


rule dimer_large_n:
    input:
        code=code_for("dimer_large_n"),
    output:
        f"{R}/dimer/large_n/k_{{k}}.nc",
    params:
        run=lambda wc: large_n_params(),
    log:
        f"{R}/logs/dimer/large_n/k_{{k}}.log",
    benchmark:
        f"{R}/benchmarks/dimer/large_n/k_{{k}}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=60,
    conda:
        ENV
    script:
        "../scripts/dimer_large_n.py"


rule fig2_large_n:
    input:
        runs=lambda wc: [large_n_path(k) for k in config["dimer"]["k_values"]],
        hull=lambda wc: f"{R}/hull/{config['fig2']['frequency_set']}.nc",
        code=code_for("fig2_large_n"),
    output:
        pdf=f"{F}/fig2_large_n.pdf",
        png=report(f"{F}/fig2_large_n.png", caption="../report/fig2_large_n.rst",
                   category="Figures"),
        provenance=f"{F}/fig2_large_n.provenance.json",
    params:
        k_values=config["dimer"]["k_values"],
        plot=config["fig2"],
    log:
        f"{R}/logs/fig2_large_n.log",
    benchmark:
        f"{R}/benchmarks/fig2_large_n.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/fig2_large_n.py"
