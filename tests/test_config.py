"""Config validation: defaults filled, every violation names its key, one source per value."""

import copy

import pytest
import yaml

from conftest import REPO
from qsync.config import ConfigError, load_config, validate_config

SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
CONFIG = REPO / "config" / "config.yaml"


def _load(name):
    return yaml.safe_load((REPO / "config" / name).read_text())


def test_shipped_configs_are_valid():
    cfg = load_config(CONFIG)
    assert cfg["sampling"]["n_states"] == 10**6
    test = load_config(CONFIG, overlays=[REPO / "config" / "test.yaml"])
    assert test["sampling"]["n_states"] < 10**5
    assert test["model"] == cfg["model"]


def test_defaults_are_filled():
    cfg = validate_config({"model": _load("config.yaml")["model"]}, SCHEMA)
    assert cfg["sampling"]["sampler"] == "wishart"
    assert cfg["sampling"]["wishart"]["scale"] == 10.0
    assert cfg["frequency_sets"]["fig1"]["omega"] == [1.0, 1.0]
    assert cfg["model"]["beta0"] is None


def test_model_has_no_defaults():
    """The paper's parameters are written once, in config/config.yaml, not in the schema."""
    with pytest.raises(ConfigError, match="model"):
        validate_config({}, SCHEMA)
    model = _load("config.yaml")["model"]
    del model["gamma1"]
    with pytest.raises(ConfigError, match=r"'gamma1' is a required property"):
        validate_config({"model": model}, SCHEMA)


def test_dimer_frequency_set_is_derived_from_the_model():
    cfg = load_config(CONFIG)
    model = cfg["model"]
    assert cfg["frequency_sets"]["dimer"]["omega"] == [model["omega1"], model["omega2"]]
    raw = _load("config.yaml")
    raw["model"]["omega2"] = 8.0
    assert validate_config(raw, SCHEMA)["frequency_sets"]["dimer"]["omega"][1] == 8.0
    raw["frequency_sets"]["dimer"] = {"omega": [model["omega1"], model["omega2"]]}
    with pytest.raises(ConfigError, match=r"frequency_sets[.]dimer[.]omega.*differs"):
        validate_config(raw, SCHEMA)


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
        validate_config({"model": _load("config.yaml")["model"], **config}, SCHEMA)


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("model: {beta: .nan}", "model.beta"),
        ("model: {gamma1: .inf}", "model.gamma1"),
        ("model: {beta0: -.inf}", "model.beta0"),
        ("sweep: {k: {min: .nan}}", "sweep.k.min"),
        ("dimer: {k_values: [5, .nan]}", "dimer.k_values.1"),
        ("sweep: {classical: {dt: .inf}}", "sweep.classical.dt"),
        ("frequency_sets: {fig1: {omega: [1.0, .nan]}}", "frequency_sets.fig1.omega.1"),
    ],
)
def test_non_finite_numbers_are_refused_by_name(yaml_text, key):
    """YAML's .nan and .inf are numbers to JSON Schema; they must not reach a job."""
    raw = _load("config.yaml")
    overlay = yaml.safe_load(yaml_text)
    merged = copy.deepcopy(raw)
    for section, values in overlay.items():
        merged[section] = {**merged.get(section, {}), **values}
    with pytest.raises(ConfigError, match=rf"key '{key.replace('.', '[.]')}': -?(nan|inf) is "
                                          r"not allowed \(every number must be finite\)"):
        validate_config(merged, SCHEMA)


@pytest.mark.parametrize(
    ("ladder", "message"),
    [
        ({"jumps": {"walkers": [96, 24]}}, r"ladder[.]jumps[.]walkers': \[96, 24\] must increase"),
        ({"jumps": {"walkers": [24, 24]}}, r"ladder[.]jumps[.]walkers"),
        ({"rungs": [{"F": 10, "n_max": [], "band_edges": [0, 8]},
                    {"F": 10, "n_max": [], "band_edges": [0, 8]}]},
         r"ladder[.]rungs': F values \[10, 10\] must be unique"),
        ({"rungs": [{"F": 10, "n_max": [40], "band_edges": [0, 8]}]},
         r"ladder[.]rungs[.]0[.]n_max': \[40\] must be two increasing cutoffs"),
        ({"rungs": [{"F": 10, "n_max": [60, 50], "band_edges": [0, 8]}]},
         r"ladder[.]rungs[.]0[.]n_max"),
        ({"rungs": [{"F": 10, "n_max": [], "band_edges": [0, 8, 8]}]},
         r"ladder[.]rungs[.]0[.]band_edges': \[0, 8, 8\] must increase"),
        ({"rungs": [{"F": 0, "n_max": [], "band_edges": [0, 8]}]}, r"ladder[.]rungs[.]0[.]F"),
    ],
)
def test_ladder_orderings_are_checked(ladder, message):
    """What the schema cannot say (issue 12): the bias check needs two increasing walker
    counts, the cutoff check two increasing cutoffs, rungs are named by a unique F."""
    with pytest.raises(ConfigError, match=message):
        validate_config({"model": _load("config.yaml")["model"], "ladder": ladder}, SCHEMA)


@pytest.mark.parametrize("quantum", [{"method": "large_n", "n_max_check": None},
                                     {"method": "large_n", "n_max": 40, "n_max_check": 40}])
def test_large_n_sweep_needs_a_second_cutoff(quantum):
    """The large-N sweep's exact points take their error estimate from a second cutoff."""
    sweep = {**_load("config.yaml")["sweep"]}
    sweep["quantum"] = {**sweep["quantum"], **quantum}
    with pytest.raises(ConfigError, match=r"sweep[.]quantum[.]n_max_check': (None|40) must be "
                                          r"a second cutoff"):
        validate_config({"model": _load("config.yaml")["model"], "sweep": sweep}, SCHEMA)
    sweep["quantum"]["n_max_check"] = 30
    validate_config({"model": _load("config.yaml")["model"], "sweep": sweep}, SCHEMA)
