"""Configuration validation against the workflow's JSON schema, with defaults filled in."""

from __future__ import annotations

import copy
from pathlib import Path

import jsonschema
import yaml

__all__ = ["ConfigError", "load_schema", "validate_config"]


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


def validate_config(config: dict, schema: dict | str | Path) -> dict:
    """Validate ``config`` and return a copy with schema defaults filled in.

    Raises
    ------
    ConfigError
        Listing every violation, each naming the dotted key path, e.g.
        ``key 'sampling.n_states': -5 is less than the minimum of 1``.
    """
    if not isinstance(schema, dict):
        schema = load_schema(schema)
    config = copy.deepcopy(dict(config))
    _fill_defaults(config, schema)
    validator = jsonschema.Draft202012Validator(schema)
    errors = sorted(validator.iter_errors(config), key=lambda e: list(e.absolute_path))
    if errors:
        lines = [f"  - {_key_of(e)}: {e.message}" for e in errors]
        raise ConfigError("invalid configuration:\n" + "\n".join(lines))
    return config
