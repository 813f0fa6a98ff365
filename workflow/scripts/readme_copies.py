"""Rule readme_copies: the run's summary and figures, copied to the README's folder with
their provenance (docs/runs/<run>/ for the shipped configurations)."""

from qsync.publish import publish_copy
from qsync.runlog import get_logger

sm = snakemake  # noqa: F821 - injected by Snakemake
log = get_logger("readme_copies", sm.log[0])
publish_copy(sm.input.summary, sm.output.summary, None)
for src, prov, dest in zip(sm.input.figures, sm.input.provenance, sm.output.figures,
                           strict=True):
    publish_copy(src, dest, prov)
    log.info("copied %s -> %s", src, dest)
