"""What `mockmarketo` says when something is wrong: one line, naming what to change (issue "A newcomer's
first hour"): no command, a misspelt option, a bad variable or config key, an address that is none, a
database URL it cannot open, a port in use (the same line for waitress and gunicorn)."""

from __future__ import annotations

import socket

import pytest

from mockmarketo.cli import main
from mockmarketo.config import ConfigError, load_settings
from mockmarketo.store import DatabaseUrlError
from mockmarketo.store.urls import check_database_url


@pytest.fixture(autouse=True)
def _no_settings_from_the_environment(monkeypatch):
    for name in ("MOCKMARKETO_DATABASE_URL", "MOCKMARKETO_CONFIG", "MOCKMARKETO_HTTP_SERVER", "MOCKMARKETO_PORT",
                 "MOCKMARKETO_HOST", "MOCKMARKETO_WORKERS"):
        monkeypatch.delenv(name, raising=False)


def test_no_command_shows_the_help(capsys):
    assert main([]) == 2
    out = capsys.readouterr().out
    assert out.startswith("usage: mockmarketo [-h] [--version] command ...")
    assert "serve     run the mock server" in out


def test_a_misspelt_option_suggests_the_right_one(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["serve", "--prot", "1234"])
    assert stopped.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "mockmarketo: error: unrecognized arguments: --prot 1234 (did you mean --port?)")


def test_serve_help_says_how_the_control_api_is_guarded(capsys):
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    help_text = capsys.readouterr().out
    assert "MOCKMARKETO_CONTROL_TOKEN or [control] token in the config file" in help_text


def test_a_bad_variable_is_named():
    with pytest.raises(ConfigError) as caught:
        load_settings(environ={"MOCKMARKETO_PORT": "abc"})
    assert str(caught.value) == "MOCKMARKETO_PORT: expected an integer, got 'abc'"


def test_a_bad_option_is_named():
    with pytest.raises(ConfigError) as caught:
        load_settings(overrides={"port": 70000}, environ={})
    assert str(caught.value) == "--port: expected 0 to 65535, got 70000"


@pytest.mark.parametrize("content,message", [
    ("[server]\nport = 70000\n", "server.port: expected 0 to 65535, got 70000"),
    ('[[auth.users]]\nuser_id = "u"\n', "auth.users[0].secret_key: required"),
])
def test_a_bad_value_in_the_config_file_names_the_file(tmp_path, content, message):
    path = tmp_path / "mock.toml"
    path.write_text(content)
    with pytest.raises(ConfigError) as caught:
        load_settings(str(path), environ={})
    assert str(caught.value) == f"config file {path}: {message}"


def test_a_host_that_is_no_address_says_so(capsys):
    assert main(["serve", "--host", "999.1.1.1", "--port", "0"]) == 2
    assert capsys.readouterr().err == "mockmarketo: --host: '999.1.1.1' is not an IP address\n"


@pytest.fixture
def port_in_use():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


@pytest.mark.parametrize("options", [(), ("--workers", "2")], ids=["waitress", "gunicorn"])
def test_a_port_in_use_is_one_line_and_exit_2_on_either_server(capsys, tmp_path, port_in_use, options):
    code = main(["serve", "--port", str(port_in_use), "--database-url", f"sqlite:///{tmp_path}/m.db", *options])
    assert (code, capsys.readouterr().err) == (
        2, f"mockmarketo: cannot listen on 127.0.0.1:{port_in_use}: Address already in use\n")


# ---- database URLs --------------------------------------------------------------------------------------

@pytest.mark.parametrize("url,message", [
    ("postgres://u:pw@db/x", "postgres:// is not supported; PostgreSQL URLs name the psycopg driver: "
                             "postgresql+psycopg://user:password@host:5432/dbname"),
    ("postgresql://u:pw@db/x", "postgresql:// is not supported; PostgreSQL URLs name the psycopg driver: "
                               "postgresql+psycopg://user:password@host:5432/dbname"),
    ("foo://bar", "foo:// is not a database mockmarketo supports; use sqlite:// (in memory), "
                  "sqlite:///relative/path.db, sqlite:////absolute/path.db or "
                  "postgresql+psycopg://user:password@host:5432/dbname"),
    ("not a url", "'not a url' is not a database URL; use sqlite:// (in memory), sqlite:///relative/path.db, "
                  "sqlite:////absolute/path.db or postgresql+psycopg://user:password@host:5432/dbname"),
])
def test_an_unsupported_database_url_names_the_forms_that_work(url, message):
    with pytest.raises(DatabaseUrlError) as caught:
        check_database_url(url)
    assert str(caught.value) == message


def test_a_sqlite_file_in_a_missing_folder_names_the_folder(tmp_path):
    with pytest.raises(DatabaseUrlError) as caught:
        check_database_url(f"sqlite:///{tmp_path}/missing/leads.db")
    assert str(caught.value) == (f"the folder {tmp_path}/missing of the SQLite file {tmp_path}/missing/leads.db "
                                 "does not exist")


def test_postgresql_without_its_driver_says_what_to_install(monkeypatch):
    import importlib.util
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "psycopg" else find_spec(name, *a))
    with pytest.raises(DatabaseUrlError) as caught:
        check_database_url("postgresql+psycopg://u:pw@db/x")
    assert str(caught.value) == ("the PostgreSQL driver psycopg is not installed: pip install "
                                 "'mockmarketo[postgres]' (or pip install 'psycopg[binary]')")


@pytest.mark.parametrize("url", ["sqlite://", "sqlite:///:memory:", "sqlite:///relative.db",
                                 "postgresql+psycopg://u:pw@db/x"])
def test_supported_database_urls_pass(url):
    check_database_url(url)


def test_serve_names_where_the_bad_database_url_came_from_without_its_password(capsys, monkeypatch):
    monkeypatch.setenv("MOCKMARKETO_DATABASE_URL", "postgres://user:hunter2@db/x")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("mockmarketo: MOCKMARKETO_DATABASE_URL: postgres:// is not supported; ")
    assert "hunter2" not in err
