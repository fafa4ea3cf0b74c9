"""The [limits] and [control] sections of the config file, and the run-time config helpers."""

from __future__ import annotations

import pytest

from mockmarketo.config import (
    ConfigError, Settings, load_settings, runtime_config, settings_from, with_runtime_changes,
)
from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.limits import LimitSettings


def _load(tmp_path, text: str, environ: dict | None = None) -> Settings:
    path = tmp_path / "mockmarketo.toml"
    path.write_text(text)
    return load_settings(str(path), environ=environ or {})


def test_limits_section_enables_marketo_defaults(tmp_path):
    assert _load(tmp_path, "[limits]\nenabled = true\n").limits == LimitSettings(True, 10_000, 100, 20, 10)


def test_limits_section_overrides_numbers(tmp_path):
    settings = _load(tmp_path, "[limits]\nenabled = true\ndaily_quota = 50\nrate_max_calls = 5\n"
                               "rate_window_seconds = 2\nmax_concurrent = 3\n")
    assert settings.limits == LimitSettings(True, 50, 5, 2, 3)


def test_limits_off_without_the_section(tmp_path):
    assert _load(tmp_path, "").limits.enabled is False


def test_unknown_limits_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"^config file .*mockmarketo\.toml: limits\.quota: unknown key$"):
        _load(tmp_path, "[limits]\nquota = 5\n")


def test_limit_below_one_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"^config file .*mockmarketo\.toml: limits\.max_concurrent: expected 1 or more, got 0$"):
        _load(tmp_path, "[limits]\nmax_concurrent = 0\n")


def test_control_section_sets_token_and_journal_size(tmp_path):
    settings = _load(tmp_path, '[control]\ntoken = "abc"\njournal_size = 10\n')
    assert (settings.control_token, settings.journal_size) == ("abc", 10)


def test_journal_size_defaults_to_1000(tmp_path):
    assert _load(tmp_path, "").journal_size == 1000


def test_unknown_control_key_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"^config file .*mockmarketo\.toml: control\.secret: unknown key$"):
        _load(tmp_path, '[control]\nsecret = "x"\n')


def test_token_from_environment_beats_the_file(tmp_path):
    settings = _load(tmp_path, '[control]\ntoken = "file"\n', {"MOCKMARKETO_CONTROL_TOKEN": "env"})
    assert settings.control_token == "env"


def test_runtime_config_round_trips_through_the_loader():
    settings = settings_from({
        "auth": {"users": [{"user_id": "u", "secret_key": "k", "instance": "i"}], "max_clock_skew_seconds": 5},
        "fields": {"X__c": "integer"},
        "workspaces": {"enabled": True, "list": [{"name": "W", "primary_partition": "P", "partitions": ["P"]}]},
        "assignment_rules": {"field": "Country", "partitions": {"France": "P"}},
        "limits": {"enabled": True, "daily_quota": 3},
        "control": {"journal_size": 7},
    }, environ={})
    again = settings_from(runtime_config(settings), environ={})
    assert runtime_config(again) == runtime_config(settings)


def test_with_runtime_changes_leaves_the_original_untouched():
    settings = Settings(users=[Credentials("u", "k")])
    changed = with_runtime_changes(settings, {"auth": {"max_clock_skew_seconds": 1}})
    assert (settings.max_clock_skew_seconds, changed.max_clock_skew_seconds) == (900, 1)
    assert changed.users == settings.users
