"""Configuration validation against the workflow's JSON schema, with defaults filled in."""

from __future__ import annotations

import copy
import math
from pathlib import Path

import jsonschema
import yaml

__all__ = ["ConfigError", "load_config", "load_schema", "validate_config"]


class ConfigError(ValueError):
    """The configuration does not match the schema; the message names the offending key."""


def load_schema(path: str | Path) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def _fill_defaults(instance, schema):
    if not isinstance(instance, dict) or schema.get("type") != "object":
        return
    for key, sub in schema.get("properties", {}).items():
        if key not in instance and "default" in sub:
            instance[key] = copy.deepcopy(sub["default"])
        if key in instance:
            _fill_defaults(instance[key], sub)
    extra = schema.get("additionalProperties")
    if isinstance(extra, dict):
        for key, value in instance.items():
            if key not in schema.get("properties", {}):
                _fill_defaults(value, extra)


def _key_of(error: jsonschema.ValidationError) -> str:
    path = ".".join(str(p) for p in error.absolute_path)
    if error.validator == "additionalProperties":
        unexpected = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        names = ", ".join(f"{path}.{u}" if path else u for u in unexpected)
        return f"unknown key(s) {names}"
    if error.validator == "required":
        return f"missing key in '{path or '<top level>'}'"
    return f"key '{path}'" if path else "top level"


def _non_finite(instance, path=()) -> list[tuple[str, float]]:
    """(dotted key, value) of every NaN or infinite number (JSON Schema's ``number`` admits
    them)."""
    if isinstance(instance, float) and not math.isfinite(instance):
        return [(".".join(str(p) for p in path), instance)]
    if isinstance(instance, dict):
        items = instance.items()
    elif isinstance(instance, list | tuple):
        items = enumerate(instance)
    else:
        return []
    return [key for k, v in items for key in _non_finite(v, (*path, k))]


def _derived(config: dict) -> list[str]:
    """Fill and check the values derived from others; return the violations.

    The dimer's frequency set (Fig. 2(a)'s hull) is the model's (ω1, ω2): one source only.
    """
    lines = _ladder_violations(config.get("ladder", {}))
    lines += _sweep_violations(config.get("sweep", {}))
    model, sets = config.get("model", {}), config.get("frequency_sets", {})
    if not {"omega1", "omega2"} <= set(model) or not isinstance(sets, dict):
        return lines
    omega = [model["omega1"], model["omega2"]]
    dimer = sets.setdefault("dimer", {"omega": omega})
    if isinstance(dimer, dict) and dimer.get("omega") != omega:
        lines.append(f"  - key 'frequency_sets.dimer.omega': {dimer.get('omega')} differs "
                     f"from [model.omega1, model.omega2] = {omega}; leave it out (it is "
                     f"derived from 'model')")
    return lines


def _increasing(values) -> bool:
    return all(b > a for a, b in zip(values[:-1], values[1:], strict=True))


def _sweep_violations(sweep: dict) -> list[str]:
    """The large-N sweep's exact points need a second cutoff (its change is their error); the
    quantum panel's stride must keep both ends of each axis."""
    lines = []
    quantum = sweep.get("quantum", {})
    check = quantum.get("n_max_check")
    if quantum.get("method") == "large_n" and (check is None or check == quantum.get("n_max")):
        lines.append(f"  - key 'sweep.quantum.n_max_check': {check} must be a second cutoff, "
                     f"other than n_max = {quantum.get('n_max')}, with method large_n (the "
                     f"change of D between the two is the exact points' error estimate)")
    stride = quantum.get("stride", 1)
    for axis in ("k", "delta_omega"):
        n = sweep.get(axis, {}).get("n", 1)
        if isinstance(stride, int) and stride > 1 and (n - 1) % stride:
            lines.append(f"  - key 'sweep.quantum.stride': {stride} must divide "
                         f"sweep.{axis}.n - 1 = {n - 1} (the quantum panel keeps both ends)")
    return lines


def _ladder_violations(ladder: dict) -> list[str]:
    """What the schema cannot say about the γ-ladder: orderings and unique rungs."""
    lines = []
    walkers = ladder.get("jumps", {}).get("walkers", [])
    if not _increasing(walkers):
        lines.append(f"  - key 'ladder.jumps.walkers': {walkers} must increase (the smaller "
                     f"population checks the larger's bias)")
    factors = [r.get("F") for r in ladder.get("rungs", [])]
    if len(set(factors)) != len(factors):
        lines.append(f"  - key 'ladder.rungs': F values {factors} must be unique")
    for i, rung in enumerate(ladder.get("rungs", [])):
        n_max, edges = rung.get("n_max", []), rung.get("band_edges", [])
        if len(n_max) not in (0, 2) or not _increasing(n_max):
            lines.append(f"  - key 'ladder.rungs.{i}.n_max': {n_max} must be two increasing "
                         f"cutoffs, or [] (no exact run on this rung)")
        if not _increasing(edges):
            lines.append(f"  - key 'ladder.rungs.{i}.band_edges': {edges} must increase")
    return lines


def validate_config(config: dict, schema: dict | str | Path) -> dict:
    """Validate ``config`` and return a copy with schema defaults filled in.

    Besides the schema, every number must be finite (YAML's ``.nan`` and ``.inf`` are refused)
    and ``frequency_sets.dimer`` is derived from ``model`` (filled in when absent).

    Raises
    ------
    ConfigError
        Listing every violation, each naming the dotted key path, e.g.
        ``key 'sampling.n_states': -5 is less than the minimum of 1``.
    """
    if not isinstance(schema, dict):
        schema = load_schema(schema)
    config = copy.deepcopy(dict(config))
    lines = [f"  - key '{key}': {value!r} is not allowed (every number must be finite)"
             for key, value in _non_finite(config)]
    _fill_defaults(config, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    lines += [f"  - {_key_of(e)}: {e.message}" for e in errors]
    if not lines:
        lines = _derived(config)
    if lines:
        raise ConfigError("invalid configuration:\n" + "\n".join(lines))
    return config


def load_config(path: str | Path, schema: str | Path | None = None,
                overlays: tuple[str | Path, ...] = ()) -> dict:
    """Read a config file (``config/config.yaml``), deep-merge ``overlays`` over it as
    Snakemake's ``--configfile`` does, and validate it (schema defaults filled in).

    ``schema`` defaults to ``workflow/schemas/config.schema.yaml`` next to the config's folder.
    This is how tests and benchmarks get the paper's parameters: from the config, the one
    place they are written.
    """
    path = Path(path)
    with open(path) as fh:
        config = yaml.safe_load(fh)
    for overlay in overlays:
        with open(overlay) as fh:
            _deep_update(config, yaml.safe_load(fh) or {})
    if schema is None:
        schema = path.resolve().parent.parent / "workflow" / "schemas" / "config.schema.yaml"
    return validate_config(config, schema)


def _deep_update(base: dict, new: dict) -> None:
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _deep_update(base[key], value)
        else:
            base[key] = value
