# Phase-diagram sweeps (Fig. 3): D at t_final over the (k, delta_omega) plane, in chunks of
# k rows so that jobs run in parallel locally or on a cluster.


rule sweep_chunk:
    input:
        code=lambda wc: code_for(f"sweep_chunk_{wc.kind}"),
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
        "../scripts/sweep_chunk_{wildcards.kind}.py"


rule classical_dt_check:
    input:
        code=code_for("classical_dt_check"),
    output:
        f"{R}/sweep/classical_dt_check.nc",
    params:
        check=lambda wc: {
            **config["sweep"]["classical_dt_check"], "t_final": config["sweep"]["t_final"],
            "dt_sweep": config["sweep"]["classical"]["dt"],
            **{key: config["sweep"]["classical"][key] for key in ("seed", "noise")},
            "model": {key: config["model"][key] for key in ("omega1", "gamma1", "gamma2",
                                                            "beta")}},
    log:
        f"{R}/logs/sweep/classical_dt_check.log",
    benchmark:
        f"{R}/benchmarks/sweep/classical_dt_check.tsv"
    resources:
        mem_mb=2000,
        runtime=30,
    conda:
        ENV
    script:
        "../scripts/classical_dt_check.py"


rule sweep_gather:
    input:
        chunks=lambda wc: sweep_chunk_paths(wc.kind),
        code=code_for("sweep_gather"),
    output:
        f"{R}/sweep/{{kind}}.nc",
    params:
        k=lambda wc: sweep_axes(wc.kind)[0].tolist(),
        sweep=lambda wc: {**{key: config["sweep"][key] for key in ("k", "delta_omega", "t_final")},
                          wc.kind: _without_split(config["sweep"][wc.kind])},
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
        code=code_for("fig3"),
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
