"""The [[custom_objects]] section: custom object types checked at start (one-line ConfigError naming the
key), and read and changed at run time under /_mock/config."""

from __future__ import annotations

import pytest

from mockmarketo.config import ConfigError, check_sections, load_settings, settings_from
from mockmarketo.domain.custom_object_types import CustomObjectType
from mockmarketo.domain.leads import Lead
from tests.conftest import SoapCaller, make_app, store_leads
from tests.control_helpers import json_client
from tests.object_messages import ROADSHOW, custom_obj, get_custom_objects_body, sync_custom_objects_body

ROADSHOW_TOML = '''
[[custom_objects]]
name = "RoadShow"
description = "Road show visits"
link_field = "MKTOID"
dedupe_fields = ["MKTOID", "rid"]
[custom_objects.fields]
rid = "integer"
city = "string"
zip = "string"
'''


def _load(tmp_path, text: str):
    path = tmp_path / "mockmarketo.toml"
    path.write_text(text)
    return load_settings(str(path), environ={})


def test_a_custom_object_type_is_read_from_the_config_file(tmp_path):
    assert _load(tmp_path, ROADSHOW_TOML).custom_objects == [CustomObjectType(
        "RoadShow", "MKTOID", ("MKTOID", "rid"), {"rid": "integer", "city": "string", "zip": "string"},
        "Road show visits")]


def test_no_section_means_no_custom_object_types(tmp_path):
    assert _load(tmp_path, "").custom_objects == []


def _type(**changes) -> dict:
    """The Roadshow entry with some keys changed (a value of None leaves the key out)."""
    entry = {**ROADSHOW, **changes}
    return {key: value for key, value in entry.items() if value is not None}


def _settings_of(data: dict):
    return settings_from(check_sections(data), environ={})


def _settings(*entries):
    return _settings_of({"custom_objects": list(entries)})


@pytest.mark.parametrize("entry,message", [
    (_type(name=None), "custom_objects[0].name: required"),
    (_type(name="Road Show"), "custom_objects[0].name: expected up to 100 letters, digits and _ starting with a "
                              "letter, got 'Road Show'"),
    (_type(name=7), "custom_objects[0].name: expected a string, got 7"),
    (_type(colour="red"), "custom_objects[0].colour: unknown key"),
    (_type(link_field=None), "custom_objects[0].link_field: required"),
    (_type(link_field=" ", dedupe_fields=["rid"]), "custom_objects[0].link_field: expected a field name, got an "
                                                   "empty string"),
    (_type(dedupe_fields=None), "custom_objects[0].dedupe_fields: required"),
    (_type(dedupe_fields=[]), "custom_objects[0].dedupe_fields: expected at least one field"),
    (_type(dedupe_fields=["rid", "rid"]), "custom_objects[0].dedupe_fields: a field is listed twice"),
    (_type(dedupe_fields=["MKTOID", "nope"]), "custom_objects[0].dedupe_fields: 'nope' is neither the link field "
                                              "nor one of the fields"),
    (_type(dedupe_fields=["MKTOID", 7]), "custom_objects[0].dedupe_fields: expected a string, got 7"),
    (_type(fields={"rid": "colour"}, dedupe_fields=["MKTOID"]),
     "custom_objects[0].fields.rid: expected one of boolean, currency, date, datetime, email, float, formula, "
     "integer, percent, phone, reference, score, string, text, textarea, url, got 'colour'"),
    (_type(fields={"rid": 1}), "custom_objects[0].fields.rid: expected a string, got 1"),
    (_type(fields={**ROADSHOW["fields"], "MKTOID": "integer"}),
     "custom_objects[0].fields.MKTOID: is the link field (the lead's id) already"),
    (_type(fields={f"f{n}": "string" for n in range(51)}, dedupe_fields=["MKTOID"]),
     "custom_objects[0].fields: at most 50 fields, got 51"),
    (_type(description=["x"]), "custom_objects[0].description: expected a string, got ['x']"),
])
def test_a_bad_custom_object_type_is_one_line_naming_the_key(entry, message):
    with pytest.raises(ConfigError) as error:
        _settings(entry)
    assert str(error.value) == message


def test_custom_objects_must_be_an_array_of_tables():
    with pytest.raises(ConfigError) as error:
        _settings_of({"custom_objects": {"name": "RoadShow"}})
    assert str(error.value) == "custom_objects: expected an array, got {'name': 'RoadShow'}"


def test_two_types_whose_names_differ_only_in_case_are_refused():
    with pytest.raises(ConfigError) as error:
        _settings(ROADSHOW, _type(name="ROADSHOW"))
    assert str(error.value) == ("custom_objects: name 'ROADSHOW' is listed twice (names compare without regard "
                                "to case)")


def test_a_bad_type_in_the_file_stops_the_cli_with_exit_status_2(tmp_path):
    from tests.test_config_and_cli import run_cli
    config = tmp_path / "bad.toml"
    config.write_text(ROADSHOW_TOML.replace('dedupe_fields = ["MKTOID", "rid"]', 'dedupe_fields = ["MKTOID", "x"]'))
    result = run_cli("serve", "--port", "0", "--config", str(config))
    assert result.returncode == 2
    assert "custom_objects[0].dedupe_fields: 'x' is neither the link field nor one of the fields" in result.stderr


# ---- at run time ---------------------------------------------------------------------------------------

def test_get_config_shows_the_types_in_the_config_files_shape(tmp_path):
    client = json_client(make_app(settings=_load(tmp_path, ROADSHOW_TOML)))
    assert client.get("/_mock/config").json["custom_objects"] == [{
        "name": "RoadShow", "description": "Road show visits", "link_field": "MKTOID",
        "dedupe_fields": ["MKTOID", "rid"], "fields": {"rid": "integer", "city": "string", "zip": "string"}}]


def test_a_type_put_at_run_time_is_served_at_once():
    app = make_app()
    store_leads(app, Lead(id=1000001))
    response = json_client(app).put("/_mock/config", json={"custom_objects": [ROADSHOW]})
    assert response.status_code == 200
    sync = SoapCaller(app).call(sync_custom_objects_body("roadshow", [custom_obj({"MKTOID": 1000001, "rid": "r"})]))
    assert sync.text("result/syncCustomObjStatusList/syncCustomObjStatus/status") == "CREATED"


def test_a_bad_type_put_at_run_time_is_400_and_changes_nothing():
    client = json_client(make_app())
    response = client.put("/_mock/config", json={"custom_objects": [_type(dedupe_fields=[])]})
    assert response.status_code == 400
    assert response.json == {"error": "custom_objects[0].dedupe_fields: expected at least one field"}
    assert client.get("/_mock/config").json["custom_objects"] == []


def test_records_of_a_type_whose_keys_change_at_run_time_are_no_longer_seen():
    """Records are read back only under the link and dedupe fields they were written with."""
    app = make_app(settings=_settings(ROADSHOW))
    store_leads(app, Lead(id=1000001))
    soap = SoapCaller(app)
    soap.call(sync_custom_objects_body("Roadshow", [custom_obj({"MKTOID": 1000001, "rid": "r"})]))
    json_client(app).put("/_mock/config", json={"custom_objects": [_type(dedupe_fields=["rid"])]})
    assert soap.call(get_custom_objects_body("Roadshow")).text("result/returnCount") == "0"
    json_client(app).put("/_mock/config", json={"custom_objects": [ROADSHOW]})
    assert soap.call(get_custom_objects_body("Roadshow")).text("result/returnCount") == "1"
