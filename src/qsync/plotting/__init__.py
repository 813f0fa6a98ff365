"""Figures of the paper (matplotlib), drawn from the pipeline's NetCDF files."""
