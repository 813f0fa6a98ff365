# qsync: regenerate Figs. 1-3 of Aifer, Thingna, Deffner, PRL 133, 020401 (2024).
# Run: snakemake --cores all   (see README for presets, the SLURM profile and tests)
from snakemake.utils import min_version

min_version("8.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"
include: "workflow/rules/states.smk"
include: "workflow/rules/fig1.smk"
include: "workflow/rules/dimer.smk"
include: "workflow/rules/sweep.smk"
include: "workflow/rules/extensive.smk"
include: "workflow/rules/speed_limit.smk"
include: "workflow/rules/ladder.smk"
include: "workflow/rules/summary.smk"


rule all:
    input:
        all_targets(),
    default_target: True
