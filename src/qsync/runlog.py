"""Logging set-up shared by the workflow scripts (progress goes to the rule's log file)."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable
from pathlib import Path

__all__ = ["get_logger", "progress_logger"]


def get_logger(name: str, log_path: str | Path | None = None) -> logging.Logger:
    """A logger writing to ``log_path`` (if given) and to stderr, one line per message."""
    logger = logging.getLogger(f"qsync.{name}")
    logger.setLevel(logging.INFO)
    logger.handlers.clear()
    fmt = logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    if log_path:
        Path(log_path).parent.mkdir(parents=True, exist_ok=True)
        handlers.append(logging.FileHandler(log_path, mode="w"))
    for h in handlers:
        h.setFormatter(fmt)
        logger.addHandler(h)
    logger.propagate = False

    def _log_uncaught(exc_type, exc, tb):  # so the rule's log says why the job failed
        logger.critical("job failed", exc_info=(exc_type, exc, tb))

    sys.excepthook = _log_uncaught
    return logger


def progress_logger(log: logging.Logger, what: str) -> Callable[[int, int], None]:
    """A ``progress(done, total)`` callback for long library calls: one log line per call,
    with the seconds elapsed since this function was called."""
    t0 = time.perf_counter()

    def progress(done: int, total: int) -> None:
        log.info("%s: %d of %d (%.1f s)", what, done, total, time.perf_counter() - t0)

    return progress
