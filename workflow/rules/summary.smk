# What the README states about a run: its numbers (results/summary.json) computed from the
# result files, and copies of its figures for the README (output.docs), with provenance.


rule summary:
    input:
        unpack(summary_inputs),
    output:
        f"{R}/summary.json",
    params:
        k_values=config["dimer"]["k_values"],
        fig2_tolerance=config["dimer"]["truncation_tolerance"],
        fig3={key: config["fig3"][key]
              for key in ("truncation_tolerance", "cutoff_tolerance", "error_tolerance")},
        d_values=config["extensive"]["plot"]["d_values"],
        speed_limit={"runs": config["speed_limit"]["figure_runs"],
                     "tolerance": config["speed_limit"]["truncation_tolerance"]},
        output=config["output"],
    log:
        f"{R}/logs/summary.log",
    resources:
        mem_mb=1000,
        runtime=10,
    conda:
        ENV
    script:
        "../scripts/summary.py"


rule readme_copies:
    input:
        summary=f"{R}/summary.json",
        figures=[f"{F}/{name}.png" for name in PUBLISHED_FIGURES],
        provenance=[f"{F}/{name}.provenance.json" for name in PUBLISHED_FIGURES],
        code=code_for("readme_copies"),
    output:
        summary=f"{DOCS}/summary.json",
        figures=[f"{DOCS}/{name}.png" for name in PUBLISHED_FIGURES],
        provenance=[f"{DOCS}/{name}.provenance.json"
                    for name in ("summary", *PUBLISHED_FIGURES)],
    log:
        f"{R}/logs/readme_copies.log",
    resources:
        mem_mb=500,
        runtime=5,
    conda:
        ENV
    script:
        "../scripts/readme_copies.py"
