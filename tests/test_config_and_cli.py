"""The TOML config, the environment, the command line, and the HTTP routes around the SOAP calls."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID, ConfigError, load_settings

REPO = Path(__file__).resolve().parents[1]

FULL_CONFIG = """
[server]
host = "0.0.0.0"
port = 9090
database_url = "sqlite:///x.db"
public_url = "http://mock.example:8080"

[auth]
max_clock_skew_seconds = 60

[[auth.users]]
user_id = "bigcorp1_461839624B16E06BA2D663"
secret_key = "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66"

[leads]
first_id = 5

[fields]
Favorite_Color__c = "string"
Lifetime_Value__c = "currency"
"""


def write(tmp_path, text):
    path = tmp_path / "mockmarketo.toml"
    path.write_text(text)
    return str(path)


def test_every_documented_key_is_read(tmp_path):
    settings = load_settings(write(tmp_path, FULL_CONFIG), environ={})
    assert (settings.host, settings.port, settings.database_url, settings.public_url,
            settings.max_clock_skew_seconds, settings.first_id, settings.custom_fields) == (
        "0.0.0.0", 9090, "sqlite:///x.db", "http://mock.example:8080", 60, 5,
        {"Favorite_Color__c": "string", "Lifetime_Value__c": "currency"})
    assert [u.user_id for u in settings.credentials] == ["bigcorp1_461839624B16E06BA2D663"]


def test_without_users_the_documented_default_pair_is_used():
    settings = load_settings(environ={})
    assert [(u.user_id, u.secret_key) for u in settings.credentials] == [(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)]


def test_environment_overrides_the_file_and_options_override_the_environment(tmp_path):
    environ = {"MOCKMARKETO_PORT": "7000", "MOCKMARKETO_HOST": "::1", "MOCKMARKETO_USER_ID": "env_user",
               "MOCKMARKETO_SECRET_KEY": "env_key", "MOCKMARKETO_CONFIG": write(tmp_path, FULL_CONFIG)}
    settings = load_settings(overrides={"port": 7001}, environ=environ)
    assert (settings.host, settings.port, settings.credentials[0].user_id) == ("::1", 7001, "env_user")


@pytest.mark.parametrize("text,message", [
    ("[server]\nfoo = 1\n", "server.foo: unknown key"),
    ("[nonsense]\n", "nonsense: unknown key"),
    ('[server]\nport = "80"\n', "server.port: expected an integer, got '80'"),
    ("[auth]\nmax_clock_skew_seconds = true\n", "auth.max_clock_skew_seconds: expected an integer, got True"),
    ('[fields]\nX__c = "colour"\n', "fields.X__c: expected one of"),
    ('[fields]\nFirstName = "string"\n', "fields.FirstName: is a standard field already"),
    ('[[auth.users]]\nuser_id = "u"\n', "auth.users[0].secret_key: required"),
    ('[[auth.users]]\nuser_id = "u"\nsecret_key = "k"\nrole = "x"\n', "auth.users[0].role: unknown key"),
    ("[server\n", "not valid TOML"),
])
def test_bad_config_is_one_line_naming_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), environ={})
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_unreadable_config_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError) as caught:
        load_settings(str(tmp_path / "missing.toml"), environ={})
    assert str(caught.value).startswith(f"config file {tmp_path / 'missing.toml'}: cannot be read")


def test_user_id_without_secret_key_is_a_config_error():
    with pytest.raises(ConfigError) as caught:
        load_settings(overrides={"user_id": "u"}, environ={})
    assert str(caught.value) == "user_id and secret_key: give both or neither"


def run_cli(*args, env=None, timeout=20):
    return subprocess.run([sys.executable, "-m", "mockmarketo", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})


def test_cli_bad_config_exits_2_with_one_line_naming_the_file(tmp_path):
    path = write(tmp_path, "[server]\nfoo = 1\n")
    result = run_cli("serve", "--config", path)
    assert (result.returncode, result.stderr) == (2, f"mockmarketo: config file {path}: server.foo: unknown key\n")


def test_cli_database_of_another_schema_version_exits_2(tmp_path):
    import sqlite3
    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("CREATE TABLE mockmarketo_schema (version INTEGER NOT NULL)")
        conn.execute("INSERT INTO mockmarketo_schema VALUES (99)")
    conn.close()
    result = run_cli("serve", "--port", "0", "--database-url", f"sqlite:///{db}")
    assert result.returncode == 2
    assert "has mockmarketo schema version 99; this mockmarketo uses version 2" in result.stderr


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_cli_serves_prints_its_banner_and_stops_on_sigterm():
    port = free_port()
    process = subprocess.Popen([sys.executable, "-m", "mockmarketo", "serve", "--port", str(port)],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=REPO,
                               env={**os.environ, "PYTHONPATH": str(REPO)})
    try:
        banner = [process.stdout.readline()]
        while not banner[-1].startswith("  log:"):
            banner.append(process.stdout.readline())
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=5) as response:
            assert response.status == 200
        process.send_signal(signal.SIGTERM)
        rest = process.stdout.read()
        process.wait(timeout=10)
    finally:
        process.kill() if process.poll() is None else None
        process.stdout.close()
    assert process.returncode == 0
    assert banner[0] == f"mockmarketo 0.1.0 listening on http://127.0.0.1:{port}\n"
    assert (banner[5], banner[6]) == (f"  user id:     {DEFAULT_USER_ID}\n",
                                      f"  secret key:  {DEFAULT_SECRET_KEY}   (the built-in default)\n")
    assert rest == "mockmarketo stopped\n"  # health checks are not logged


def test_python_dash_m_and_version():
    assert run_cli("--version").stdout == "mockmarketo 0.1.0\n"


# ---- HTTP routes ---------------------------------------------------------------------------------------

def test_wsdl_address_is_the_url_the_client_used(soap):
    response = soap.client.get("/soap/mktows/2_9?WSDL", base_url="http://mock.internal:8123")
    assert b'<soap:address location="http://mock.internal:8123/soap/mktows/2_9"/>' in response.get_data()


def test_wsdl_is_served_for_lower_case_query_and_any_version(soap):
    response = soap.client.get("/soap/mktows/3_1?wsdl", base_url="http://h")
    assert (response.status_code, response.headers["Content-Type"]) == (200, "text/xml; charset=utf-8")
    assert b'location="http://h/soap/mktows/3_1"' in response.get_data()


def test_wsdl_advertises_public_url_when_configured():
    from tests.conftest import SoapCaller, make_app
    caller = SoapCaller(make_app(public_url="https://mock.example:8443/"))
    body = caller.client.get("/soap/mktows/2_9?WSDL").get_data()
    assert b'<soap:address location="https://mock.example:8443/soap/mktows/2_9"/>' in body


def test_health_answers_200_json(soap):
    response = soap.client.get("/health")
    assert (response.status_code, response.json) == (200, {"status": "ok", "version": "0.1.0", "database": "ok"})


def test_unknown_path_answers_404_json(soap):
    response = soap.client.get("/soap/mktows/latest")
    assert (response.status_code, response.json) == (404, {"error": "no route for /soap/mktows/latest"})


def test_get_without_wsdl_answers_405_json(soap):
    assert soap.client.get("/soap/mktows/2_9").status_code == 405
