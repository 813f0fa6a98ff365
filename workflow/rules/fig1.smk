# Fig. 1: chi against D for the random states, with the bounds Eqs. (12)-(13).


rule fig1:
    input:
        measures=lambda wc: f"{R}/measures/{config['fig1']['frequency_set']}.nc",
        hull=lambda wc: f"{R}/hull/{config['fig1']['frequency_set']}.nc",
        code=code_for("fig1"),
    output:
        pdf=f"{F}/fig1.pdf",
        png=report(f"{F}/fig1.png", caption="../report/fig1.rst", category="Figures"),
        provenance=f"{F}/fig1.provenance.json",
    params:
        plot=config["fig1"],
    log:
        f"{R}/logs/fig1.log",
    benchmark:
        f"{R}/benchmarks/fig1.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/fig1.py"
