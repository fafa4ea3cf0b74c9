"""README's "Reliability and limits" states every limit with its default and the setting that changes
it (reliability issue, "Done when"); the config file accepts each setting as written there."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from mockmarketo.config import _SERVER_LIMITS, DEFAULT_LIMITS, load_settings

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()
SECTION = README.split("## Reliability and limits", 1)[1].split("\n## ", 1)[0]


def test_the_example_config_holds_every_limit_at_its_default():
    example = tomllib.loads(re.search(r"```toml\n(.*?)```", SECTION, re.S).group(1))
    assert {**example["server"], **example["control"]} == DEFAULT_LIMITS


def test_the_table_names_every_limit_setting_with_its_section():
    for key in DEFAULT_LIMITS:
        section = "server" if key in _SERVER_LIMITS else "control"
        assert f"`[{section}] {key}`" in SECTION, key


def test_the_example_config_loads(tmp_path):
    config = tmp_path / "mockmarketo.toml"
    config.write_text(re.search(r"```toml\n(.*?)```", SECTION, re.S).group(1))
    settings = load_settings(str(config), environ={})
    assert {key: getattr(settings, key) for key in DEFAULT_LIMITS} == DEFAULT_LIMITS
