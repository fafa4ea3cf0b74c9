"""What `mockmarketo serve` prints on start (mockmarketo.banner): where everything is, and never a
configured secret key (CI logs are often public)."""

from __future__ import annotations

from mockmarketo.banner import banner_lines
from mockmarketo.config import DEFAULT_SECRET_KEY, load_settings, settings_from
from mockmarketo.tls import Certificate

URL = "http://127.0.0.1:8080"


def line(lines: list[str], label: str) -> str:
    [found] = [text for text in lines if text.startswith(f"  {label}:")]
    return found


def test_the_built_in_default_key_is_printed_and_said_to_be_the_default():
    lines = banner_lines(load_settings(environ={}), URL)
    assert line(lines, "secret key") == f"  secret key:  {DEFAULT_SECRET_KEY}   (the built-in default)"


def test_a_key_from_the_command_line_is_not_printed_but_its_source_is():
    lines = banner_lines(load_settings(overrides={"user_id": "ci_user", "secret_key": "hunter2"}, environ={}), URL)
    assert (line(lines, "user id"), line(lines, "secret key")) == (
        "  user id:     ci_user", "  secret key:  (not shown; from --secret-key)")
    assert not any("hunter2" in text for text in lines)


def test_a_key_from_the_environment_names_the_variable():
    settings = load_settings(environ={"MOCKMARKETO_USER_ID": "u", "MOCKMARKETO_SECRET_KEY": "hunter2"})
    assert line(banner_lines(settings, URL), "secret key") == (
        "  secret key:  (not shown; from MOCKMARKETO_SECRET_KEY)")


def test_a_key_from_the_config_file_names_the_file(tmp_path):
    path = tmp_path / "mock.toml"
    path.write_text('[[auth.users]]\nuser_id = "u"\nsecret_key = "hunter2"\n')
    assert line(banner_lines(load_settings(str(path), environ={}), URL), "secret key") == (
        f"  secret key:  (not shown; from config file {path}: auth.users[0].secret_key)")


def test_a_server_bound_to_every_interface_says_so():
    lines = banner_lines(load_settings(overrides={"host": "0.0.0.0"}, environ={}), URL)
    assert lines[:2] == [
        "mockmarketo 0.1.0 listening on http://127.0.0.1:8080",
        "  bound to:    0.0.0.0:8080 (every IPv4 interface; the URLs below are this machine's)"]


def test_a_server_bound_to_one_address_prints_no_bound_to_line():
    assert not any(text.startswith("  bound to:") for text in banner_lines(load_settings(environ={}), URL))


def test_the_control_api_health_and_whether_a_token_guards_it_are_named():
    open_lines = banner_lines(load_settings(environ={}), URL)
    guarded = banner_lines(settings_from({"control": {"token": "t"}}, environ={}), URL)
    assert (line(open_lines, "control API"), line(open_lines, "health"), line(guarded, "control API")) == (
        "  control API: http://127.0.0.1:8080/_mock/   (open: no control token set (MOCKMARKETO_CONTROL_TOKEN))",
        "  health:      http://127.0.0.1:8080/health",
        "  control API: http://127.0.0.1:8080/_mock/   (needs Authorization: Bearer <token>, the control token)")


def test_a_database_password_is_not_printed():
    settings = load_settings(overrides={"database_url": "postgresql+psycopg://u:hunter2@db/x"}, environ={})
    assert line(banner_lines(settings, URL), "database") == "  database:    postgresql+psycopg://u:***@db/x"


def test_a_self_signed_certificate_names_the_ca_file_to_trust():
    lines = banner_lines(load_settings(environ={}), "https://127.0.0.1:8443",
                         Certificate("/t/cert.pem", "/t/key.pem", "/t/ca.pem"))
    assert line(lines, "TLS") == "  TLS:         self-signed; clients trust the CA file /t/ca.pem"
