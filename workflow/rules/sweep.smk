# Phase-diagram sweeps (Fig. 3): D at t_final over the (k, delta_omega) plane, in chunks of
# k rows so that jobs run in parallel locally or on a cluster.


rule sweep_chunk:
    input:
        code=lambda wc: lib("sweep", "classical") if wc.kind == "classical" else lib(
            "sweep", "dimer/sweep", "dimer/runs", "dimer/quantum", "dimer/blocks",
            "dimer/expmv", "dimer/closure", "dimer/moments", "dimer/model"),
    output:
        f"{R}/sweep/{{kind}}/chunk_{{i}}.nc",
    params:
        chunk=sweep_chunk_params,
    log:
        f"{R}/logs/sweep/{{kind}}/chunk_{{i}}.log",
    benchmark:
        f"{R}/benchmarks/sweep/{{kind}}/chunk_{{i}}.tsv"
    threads: 1
    resources:
        mem_mb=2000,
        runtime=lambda wc: 60 if wc.kind == "quantum" else 20,
    conda:
        ENV
    script:
        "../scripts/sweep_chunk.py"


rule sweep_gather:
    input:
        chunks=lambda wc: sweep_chunk_paths(wc.kind),
        code=lib("sweep"),
    output:
        f"{R}/sweep/{{kind}}.nc",
    params:
        k=lambda wc: sweep_axes()[0].tolist(),
        sweep=lambda wc: {key: config["sweep"][key]
                          for key in ("k", "delta_omega", "t_final", wc.kind)},
    log:
        f"{R}/logs/sweep/{{kind}}_gather.log",
    benchmark:
        f"{R}/benchmarks/sweep/{{kind}}_gather.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/sweep_gather.py"


rule fig3:
    input:
        quantum=f"{R}/sweep/quantum.nc",
        classical=f"{R}/sweep/classical.nc",
        code=lib("plotting/fig3", "plotting/style"),
    output:
        pdf=f"{F}/fig3.pdf",
        png=report(f"{F}/fig3.png", caption="../report/fig3.rst", category="Figures"),
        provenance=f"{F}/fig3.provenance.json",
    params:
        plot=config["fig3"],
    log:
        f"{R}/logs/fig3.log",
    benchmark:
        f"{R}/benchmarks/fig3.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/fig3.py"
