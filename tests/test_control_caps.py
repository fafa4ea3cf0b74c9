"""The control API's own limits (reliability issue, items 7, 9 and 10): the control token cannot be
switched off by an empty variable, run-time instances are indexed and capped, fault injections are
capped and must be able to fire."""

from __future__ import annotations

import time

import pytest
from werkzeug.test import Client

from mockmarketo.cli import main
from mockmarketo.config import ConfigError, Settings, load_settings
from tests.conftest import make_app


# ---- item 7: the control token ----------------------------------------------------------------------------

def test_an_empty_control_token_variable_is_an_error_not_an_override(tmp_path):
    """Probe: MOCKMARKETO_CONTROL_TOKEN= silently switched off the config file's token (then PUT
    /_mock/config replacing the users was accepted)."""
    config = tmp_path / "mockmarketo.toml"
    config.write_text('[control]\ntoken = "from-the-file"\n')
    with pytest.raises(ConfigError) as refused:
        load_settings(str(config), environ={"MOCKMARKETO_CONTROL_TOKEN": ""})
    assert str(refused.value) == "MOCKMARKETO_CONTROL_TOKEN: set but empty; unset it, or give the token"


def test_an_empty_control_token_in_the_file_is_an_error(tmp_path):
    config = tmp_path / "mockmarketo.toml"
    config.write_text('[control]\ntoken = ""\n')
    with pytest.raises(ConfigError) as refused:
        load_settings(str(config), environ={})
    assert str(refused.value) == "control.token: expected a token, got an empty string (leave the key out for none)"


def test_serve_with_an_empty_control_token_variable_exits_2_with_one_line(capsys, monkeypatch):
    monkeypatch.setenv("MOCKMARKETO_CONTROL_TOKEN", "")
    monkeypatch.delenv("MOCKMARKETO_CONFIG", raising=False)
    assert main(["serve", "--port", "0"]) == 2
    assert capsys.readouterr().err == ("mockmarketo: MOCKMARKETO_CONTROL_TOKEN: set but empty; unset it, or give "
                                       "the token\n")


# ---- item 9: run-time instances ---------------------------------------------------------------------------

def test_run_time_instances_are_capped_with_409():
    client = Client(make_app(settings=Settings(max_instances=2)))
    assert [client.post("/_mock/instances").status_code for _ in range(2)] == [201, 201]
    refused = client.post("/_mock/instances")
    assert (refused.status_code, refused.json) == (409, {
        "error": "2 instances created at run time exist already (control.max_instances); delete the ones you no "
                 "longer need"})


def test_a_deleted_instance_makes_room_under_the_cap():
    client = Client(make_app(settings=Settings(max_instances=1)))
    name = client.post("/_mock/instances").json["instance"]
    client.delete("/_mock/instances", query_string={"instance": name})
    assert client.post("/_mock/instances").status_code == 201


def _seconds_per_call(client: Client, calls: int = 200) -> float:
    started = time.perf_counter()
    for _ in range(calls):
        client.get("/_mock/faults")
    return (time.perf_counter() - started) / calls


def test_control_calls_take_as_long_with_thousands_of_instances_as_with_one():
    """Probe: at 20,000 instances GET /_mock/faults took 28 ms, as every control call scanned all users."""
    app = make_app(settings=Settings(max_instances=10_000))
    client = Client(app)
    alone = min(_seconds_per_call(client) for _ in range(3))
    for _ in range(2_000):
        app.instances.create()
    crowded = min(_seconds_per_call(client) for _ in range(3))
    assert crowded < 2 * alone + 0.0002, (alone, crowded)


@pytest.mark.slow
def test_deleting_an_instance_takes_as_long_among_thousands_as_among_few():
    """Probe: deleting 20,000 instances did not finish in 7 minutes (each delete scanned every user)."""
    app = make_app(settings=Settings(max_instances=4_000))
    names = [app.instances.create().instance for _ in range(4_000)]
    started = time.perf_counter()
    for name in names[:500]:  # among 4,000 to 3,500
        app.instances.delete(name)
    among_many = time.perf_counter() - started
    for name in names[500:3_500]:
        app.instances.delete(name)
    started = time.perf_counter()
    for name in names[3_500:]:  # among 500 to none
        app.instances.delete(name)
    among_few = time.perf_counter() - started
    assert among_many < 3 * among_few, (among_many, among_few)
    assert app.marketo.run_time_instance_count() == 0


# ---- item 10: fault injections ----------------------------------------------------------------------------

def test_injections_are_capped_per_instance_with_409():
    """Probe: 50,000 injections took the server from 55 to 210 MiB and syncLead from 7 to 11 ms."""
    client = Client(make_app(settings=Settings(max_injections=3)))
    assert [client.post("/_mock/faults", json={"code": 20023}).status_code for _ in range(3)] == [201, 201, 201]
    refused = client.post("/_mock/faults", json={"code": 20023})
    assert (refused.status_code, refused.json) == (409, {
        "error": "this instance has 3 active injections, the most it may have (control.max_injections); clear "
                 "them with DELETE /_mock/faults"})
    client.delete("/_mock/faults")
    assert client.post("/_mock/faults", json={"code": 20023}).status_code == 201


def test_an_injection_of_probability_zero_is_refused():
    """It would never fire, and so never be used up and removed."""
    response = Client(make_app()).post("/_mock/faults", json={"code": 20023, "probability": 0})
    assert (response.status_code, response.json) == (
        400, {"error": "probability: expected more than 0 (and at most 1), got 0"})
