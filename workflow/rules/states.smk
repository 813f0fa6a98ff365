# Fig. 1 data stages: random states -> (D, chi) per frequency set -> lower convex hull.


rule sample_states:
    input:
        code=code_for("sample_states"),
    output:
        f"{R}/states.nc",
    params:
        sampling=sampler_params(),
    log:
        f"{R}/logs/sample_states.log",
    benchmark:
        f"{R}/benchmarks/sample_states.tsv"
    resources:
        mem_mb=4000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/sample_states.py"


rule measures:
    input:
        states=f"{R}/states.nc",
        code=code_for("measures"),
    output:
        f"{R}/measures/{{fset}}.nc",
    params:
        omega=lambda wc: config["frequency_sets"][wc.fset]["omega"],
    log:
        f"{R}/logs/measures/{{fset}}.log",
    benchmark:
        f"{R}/benchmarks/measures/{{fset}}.tsv"
    resources:
        mem_mb=4000,
        runtime=20,
    conda:
        ENV
    script:
        "../scripts/measures.py"


rule hull:
    input:
        measures=f"{R}/measures/{{fset}}.nc",
        code=code_for("hull"),
    output:
        f"{R}/hull/{{fset}}.nc",
    log:
        f"{R}/logs/hull/{{fset}}.log",
    benchmark:
        f"{R}/benchmarks/hull/{{fset}}.tsv"
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/hull.py"
