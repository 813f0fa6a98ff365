"""Config validation: defaults filled, every violation names its key."""

import pytest
import yaml

from conftest import REPO
from qsync.config import ConfigError, validate_config

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"


def _load(name):
    return yaml.safe_load((REPO / "config" / name).read_text())


def test_shipped_configs_are_valid():
    cfg = validate_config(_load("config.yaml"), SCHEMA)
    assert cfg["sampling"]["n_states"] == 10**6
    test = validate_config(_load("test.yaml"), SCHEMA)
    assert test["sampling"]["n_states"] < 10**5


def test_defaults_are_filled():
    cfg = validate_config({}, SCHEMA)
    assert cfg["sampling"]["sampler"] == "wishart"
    assert cfg["sampling"]["wishart"]["scale"] == 10.0
    assert cfg["frequency_sets"]["fig1"]["omega"] == [1.0, 1.0]


@pytest.mark.parametrize(
    ("config", "needle"),
    [
        ({"sampling": {"n_states": "many"}}, "sampling.n_states"),
        ({"sampling": {"n_states": -5}}, "sampling.n_states"),
        ({"sampling": {"seed": 1.5}}, "sampling.seed"),
        ({"sampling": {"n_sates": 10}}, "sampling.n_sates"),
        ({"bogus": 1}, "bogus"),
        ({"sampling": {"sampler": "gauss"}}, "sampling.sampler"),
        ({"frequency_sets": {"a": {"omega": [1.0, -1.0]}}}, "frequency_sets.a.omega"),
    ],
)
def test_bad_values_name_the_key(config, needle):
    with pytest.raises(ConfigError, match=rf"{needle.replace('.', '[.]')}"):
        validate_config(config, SCHEMA)
