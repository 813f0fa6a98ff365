"""qsync: reproducible figures for "Energetic Cost for Speedy Synchronization in
Non-Hermitian Quantum Dynamics" (Aifer, Thingna, Deffner, PRL 133, 020401, 2024).

The library is pure: no Snakemake imports. Equation numbers (Eq. N) refer to the paper.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("qsync")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
