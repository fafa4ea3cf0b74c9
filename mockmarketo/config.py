"""Configuration: the TOML file, MOCKMARKETO_* environment variables and command-line options.

Precedence: command line > environment > config file > defaults. Every key is optional; an unknown key,
a value of the wrong type or an unreadable file is a ConfigError naming the key.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.fields import ATTR_TYPES, STANDARD_FIELDS
from mockmarketo.domain.workspaces import AssignmentRules, Workspace, WorkspaceSetup

# Used when no user is configured; printed on start and documented in the README.
DEFAULT_USER_ID = "mockmarketo_1_DEFAULT0000000000000"
DEFAULT_SECRET_KEY = "mockmarketo-secret-key-0000000000000000"
DEFAULT_INSTANCE = "default"
HTTP_SERVERS = ("gunicorn", "waitress")


class ConfigError(ValueError):
    """A configuration problem, described in one line that names the key."""


@dataclass
class Settings:
    host: str = "127.0.0.1"
    port: int = 8080
    database_url: str = "sqlite://"
    public_url: str | None = None
    http_server: str | None = None  # None: chosen by chosen_http_server()
    workers: int = 1
    threads: int = 8
    max_request_bytes: int = 2 * 1024 * 1024
    max_clock_skew_seconds: int = 900
    users: list[Credentials] = field(default_factory=list)
    first_id: int = 1000001
    custom_fields: dict[str, str] = field(default_factory=dict)
    workspaces: WorkspaceSetup = field(default_factory=WorkspaceSetup)

    def chosen_http_server(self) -> str:
        """The server to run: as set, else waitress for one process (the faster one in
        bench/http_throughput.py, docs/deployment.md) and gunicorn for several (waitress cannot)."""
        return self.http_server or ("gunicorn" if self.workers > 1 else "waitress")

    @property
    def credentials(self) -> list[Credentials]:
        """The configured users, or the documented default pair when there are none."""
        return self.users or [Credentials(DEFAULT_USER_ID, DEFAULT_SECRET_KEY, DEFAULT_INSTANCE)]


# section -> key -> (python type(s), description used in messages)
_SCHEMA: dict[str, dict[str, tuple]] = {
    "server": {"host": (str,), "port": (int,), "database_url": (str,), "public_url": (str,),
               "max_request_bytes": (int,), "http_server": (str,), "workers": (int,), "threads": (int,)},
    "auth": {"max_clock_skew_seconds": (int,), "users": (list,)},
    "leads": {"first_id": (int,)},
    "fields": {},
    "workspaces": {"enabled": (bool,), "list": (list,)},
    "assignment_rules": {"field": (str,), "partitions": (dict,)},
}


def _type_name(types: tuple) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", list: "an array", dict: "a table"}[types[0]]


def _check(key: str, value: Any, types: tuple) -> Any:
    # bool is an int in Python; TOML keeps them apart and so do we
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise ConfigError(f"{key}: expected {_type_name(types)}, got {value!r}")
    return value


def _table(key: str, value: Any, allowed: dict[str, tuple]) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{key}: expected a table, got {value!r}")
    for name, item in value.items():
        if name not in allowed:
            raise ConfigError(f"{key}.{name}: unknown key")
        _check(f"{key}.{name}", item, allowed[name])
    return value


def load_file(path: str | os.PathLike) -> dict:
    """Read and check a TOML config file into a plain dict of sections."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise ConfigError(f"config file {path}: cannot be read ({err.strerror or err})") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"config file {path}: not valid TOML ({err})") from None
    for section, value in data.items():
        if section not in _SCHEMA:
            raise ConfigError(f"{section}: unknown key")
        if section == "fields":
            _check_fields(value)
        else:
            _table(section, value, _SCHEMA[section])
    return data


def _check_fields(value: Any) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"fields: expected a table, got {value!r}")
    for name, attr_type in value.items():
        if not isinstance(attr_type, str) or attr_type not in ATTR_TYPES:
            raise ConfigError(f"fields.{name}: expected one of {', '.join(sorted(ATTR_TYPES))}, got {attr_type!r}")
        if name in STANDARD_FIELDS:
            raise ConfigError(f"fields.{name}: is a standard field already")


def _users(raw: list) -> list[Credentials]:
    users = []
    for index, entry in enumerate(raw):
        key = f"auth.users[{index}]"
        _table(key, entry, {"user_id": (str,), "secret_key": (str,), "instance": (str,)})
        for required in ("user_id", "secret_key"):
            if not entry.get(required):
                raise ConfigError(f"{key}.{required}: required")
        users.append(Credentials(entry["user_id"], entry["secret_key"], entry.get("instance", DEFAULT_INSTANCE)))
    seen = set()
    for user in users:
        if user.user_id in seen:
            raise ConfigError(f"auth.users: user_id {user.user_id!r} is listed twice")
        seen.add(user.user_id)
    return users


def workspace_setup(workspaces: dict, rules: dict) -> WorkspaceSetup:
    """Build and validate the workspace model of the [workspaces] and [assignment_rules] sections."""
    listed = []
    for index, entry in enumerate(workspaces.get("list", [])):
        key = f"workspaces.list[{index}]"
        _table(key, entry, {"name": (str,), "primary_partition": (str,), "partitions": (list,)})
        if not entry.get("name"):
            raise ConfigError(f"{key}.name: required")
        primary = entry.get("primary_partition", entry["name"])
        partitions = entry.get("partitions", [primary])
        for item in partitions:
            _check(f"{key}.partitions", item, (str,))
        listed.append(Workspace(entry["name"], primary, tuple(partitions)))
    for value, partition in rules.get("partitions", {}).items():
        _check(f"assignment_rules.partitions.{value}", partition, (str,))
    try:
        return WorkspaceSetup(
            enabled=workspaces.get("enabled", False), workspaces=listed,
            rules=AssignmentRules(rules.get("field"), dict(rules.get("partitions", {}))))
    except ValueError as err:
        raise ConfigError(str(err)) from None


_ENV = {
    "host": "MOCKMARKETO_HOST",
    "port": "MOCKMARKETO_PORT",
    "database_url": "MOCKMARKETO_DATABASE_URL",
    "config": "MOCKMARKETO_CONFIG",
    "user_id": "MOCKMARKETO_USER_ID",
    "secret_key": "MOCKMARKETO_SECRET_KEY",
    "http_server": "MOCKMARKETO_HTTP_SERVER",
    "workers": "MOCKMARKETO_WORKERS",
    "threads": "MOCKMARKETO_THREADS",
}


def settings_from(data: dict, overrides: dict | None = None, environ: dict | None = None) -> Settings:
    """Settings from a checked config dict, then the environment, then explicit overrides (CLI)."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    server, auth, leads = data.get("server", {}), data.get("auth", {}), data.get("leads", {})
    settings = Settings(
        host=server.get("host", "127.0.0.1"),
        port=server.get("port", 8080),
        database_url=server.get("database_url", "sqlite://"),
        public_url=server.get("public_url"),
        http_server=server.get("http_server"),
        workers=server.get("workers", 1),
        threads=server.get("threads", 8),
        max_request_bytes=server.get("max_request_bytes", 2 * 1024 * 1024),
        max_clock_skew_seconds=auth.get("max_clock_skew_seconds", 900),
        users=_users(auth.get("users", [])),
        first_id=leads.get("first_id", 1000001),
        custom_fields=dict(data.get("fields", {})),
        workspaces=workspace_setup(data.get("workspaces", {}), data.get("assignment_rules", {})),
    )
    for name in ("host", "port", "database_url", "http_server", "workers", "threads"):
        value = overrides.get(name, environ.get(_ENV[name]))
        if value is not None:
            setattr(settings, name, value)
    for name in ("port", "workers", "threads"):
        try:
            setattr(settings, name, int(getattr(settings, name)))
        except ValueError:
            raise ConfigError(f"{name}: expected an integer, got {getattr(settings, name)!r}") from None
    if not 0 <= settings.port <= 65535:
        raise ConfigError(f"port: expected 0 to 65535, got {settings.port}")
    for name in ("workers", "threads"):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{name}: expected 1 or more, got {getattr(settings, name)}")
    if settings.http_server is not None and settings.http_server not in HTTP_SERVERS:
        raise ConfigError(f"http_server: expected one of {', '.join(HTTP_SERVERS)}, got {settings.http_server!r}")
    if settings.max_clock_skew_seconds < 0:
        raise ConfigError("auth.max_clock_skew_seconds: expected 0 or more")
    if settings.max_request_bytes < 1024:
        raise ConfigError("server.max_request_bytes: expected at least 1024")
    user_id = overrides.get("user_id", environ.get(_ENV["user_id"]))
    secret_key = overrides.get("secret_key", environ.get(_ENV["secret_key"]))
    if (user_id is None) != (secret_key is None):
        raise ConfigError("user_id and secret_key: give both or neither")
    if user_id is not None:
        settings.users = [u for u in settings.users if u.user_id != user_id]
        settings.users.insert(0, Credentials(user_id, secret_key, DEFAULT_INSTANCE))
    return settings


def load_settings(config_path: str | None = None, overrides: dict | None = None,
                  environ: dict | None = None) -> Settings:
    """Settings as `mockmarketo serve` sees them."""
    environ = os.environ if environ is None else environ
    path = config_path or environ.get(_ENV["config"])
    data = load_file(Path(path)) if path else {}
    return settings_from(data, overrides, environ)
