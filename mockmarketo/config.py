"""Configuration: the TOML file, MOCKMARKETO_* environment variables and command-line options.

Precedence: command line > environment > config file > defaults. Every key is optional; an unknown key,
a value of the wrong type or an unreadable file is a ConfigError naming the key.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mockmarketo.access_log import LOG_FORMATS, LOG_LEVELS
from mockmarketo.domain.assets import Assets
from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.custom_object_types import CustomObjectType, CustomObjectTypes
from mockmarketo.domain.fields import ATTR_TYPES, STANDARD_FIELDS, FieldCatalogue
from mockmarketo.domain.leads import XS_INT_MAX
from mockmarketo.domain.limits import LimitSettings
from mockmarketo.domain.workspaces import AssignmentRules, Workspace, WorkspaceSetup

# Used when no user is configured; printed on start and documented in the README.
DEFAULT_USER_ID = "mockmarketo_1_DEFAULT0000000000000"
DEFAULT_SECRET_KEY = "mockmarketo-secret-key-0000000000000000"
DEFAULT_INSTANCE = "default"
DEFAULT_JOURNAL_SIZE = 1000
HTTP_SERVERS = ("gunicorn", "waitress")
# Reliability limits (README "Reliability and limits"): the defaults of [server] and [control] keys below
DEFAULT_LIMITS = {
    "connection_limit": 1000, "header_timeout_seconds": 10, "body_timeout_seconds": 30,
    "idle_timeout_seconds": 30, "database_timeout_seconds": 5,
    "journal_max_bytes": 64 * 1024 * 1024, "max_instances": 10_000, "max_injections": 100,
}
_SERVER_LIMITS = ("connection_limit", "header_timeout_seconds", "body_timeout_seconds", "idle_timeout_seconds",
                  "database_timeout_seconds")
_CONTROL_LIMITS = ("journal_max_bytes", "max_instances", "max_injections")


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
    # custom field -> its label in Marketo's UI (the table form of [fields]); others show their API name
    field_display_names: dict[str, str] = field(default_factory=dict)
    workspaces: WorkspaceSetup = field(default_factory=WorkspaceSetup)
    limits: LimitSettings = field(default_factory=LimitSettings)
    journal_size: int = DEFAULT_JOURNAL_SIZE
    control_token: str | None = None
    # [instance] time_zone: the zone activity times are shown in (IANA name)
    time_zone: str = "UTC"
    custom_objects: list[CustomObjectType] = field(default_factory=list)
    log_level: str = "info"
    log_format: str = "text"
    tls_cert: str | None = None
    tls_key: str | None = None
    tls_self_signed: bool = False
    # where each server option was set, for messages: "--port", "MOCKMARKETO_PORT", "<file>: server.port"
    sources: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    # [[programs]], [[lists]], [[campaigns]], [[channels]], [[tags]]: every instance's marketing assets
    assets: Assets = field(default_factory=Assets)
    # [campaign_runs] delay_ms: 0 runs requested campaigns within the call; more runs them that much later
    campaign_run_delay_ms: int = 0
    # [imports] duration_ms: how long an importToList job stays PROCESSING
    import_duration_ms: int = 0
    # reliability limits (DEFAULT_LIMITS); seconds may be fractions when set from Python
    connection_limit: int = DEFAULT_LIMITS["connection_limit"]
    header_timeout_seconds: float = DEFAULT_LIMITS["header_timeout_seconds"]
    body_timeout_seconds: float = DEFAULT_LIMITS["body_timeout_seconds"]
    idle_timeout_seconds: float = DEFAULT_LIMITS["idle_timeout_seconds"]
    database_timeout_seconds: float = DEFAULT_LIMITS["database_timeout_seconds"]
    journal_max_bytes: int = DEFAULT_LIMITS["journal_max_bytes"]
    max_instances: int = DEFAULT_LIMITS["max_instances"]
    max_injections: int = DEFAULT_LIMITS["max_injections"]

    def chosen_http_server(self) -> str:
        """The server to run: as set, else waitress for one process (the faster one in
        bench/http_throughput.py, docs/deployment.md) and gunicorn for several (waitress cannot), or for
        TLS (waitress does not serve it)."""
        return self.http_server or ("gunicorn" if self.workers > 1 or self.tls else "waitress")

    @property
    def tls(self) -> bool:
        return bool(self.tls_cert or self.tls_self_signed)

    def source(self, name: str) -> str:
        """Where the setting `name` came from, as a message names it (the key itself by default)."""
        return self.sources.get(name, name)

    @property
    def credentials(self) -> list[Credentials]:
        """The configured users, or the documented default pair when there are none."""
        return self.users or [Credentials(DEFAULT_USER_ID, DEFAULT_SECRET_KEY, DEFAULT_INSTANCE)]


# section -> key -> (python type(s), description used in messages)
_SCHEMA: dict[str, dict[str, tuple]] = {
    "server": {"host": (str,), "port": (int,), "database_url": (str,), "public_url": (str,),
               "max_request_bytes": (int,), "http_server": (str,), "workers": (int,), "threads": (int,),
               "log_level": (str,), "log_format": (str,),
               "tls_cert": (str,), "tls_key": (str,), "tls_self_signed": (bool,),
               **{key: (int,) for key in _SERVER_LIMITS}},
    "auth": {"max_clock_skew_seconds": (int,), "users": (list,)},
    "leads": {"first_id": (int,)},
    "fields": {},
    "workspaces": {"enabled": (bool,), "list": (list,)},
    "assignment_rules": {"field": (str,), "partitions": (dict,)},
    "limits": {"enabled": (bool,), "daily_quota": (int,), "rate_max_calls": (int,),
               "rate_window_seconds": (int,), "max_concurrent": (int,)},
    "control": {"token": (str,), "journal_size": (int,), **{key: (int,) for key in _CONTROL_LIMITS}},
    "instance": {"time_zone": (str,)},
    "custom_objects": {},  # an array of tables: custom_object_types()
    "campaign_runs": {"delay_ms": (int,)},
    "imports": {"duration_ms": (int,)},
}
# arrays of tables, checked entry by entry by asset_config (their entries refer to each other and to [fields])
ASSET_SECTIONS = ("programs", "lists", "campaigns", "channels", "tags")

# What PUT /_mock/config may change while the server runs: section -> keys (None: every key).
RUNTIME_KEYS: dict[str, frozenset | None] = {
    "auth": None, "fields": None, "workspaces": None, "assignment_rules": None, "limits": None,
    "control": frozenset({"journal_size"}),
    "instance": None,
    "custom_objects": None,
    "campaign_runs": None, "imports": None,
}


def _type_name(types: tuple) -> str:
    return {str: "a string", int: "an integer", bool: "true or false", list: "an array", dict: "a table"}[types[0]]


# Integers in the config are counts, sizes, seconds and ids: this bound keeps every one of them within
# what timedelta, deque and the database accept (a larger one failed half-way through PUT /_mock/config).


def _check(key: str, value: Any, types: tuple) -> Any:
    # bool is an int in Python; TOML keeps them apart and so do we
    if isinstance(value, bool) and bool not in types or not isinstance(value, types):
        raise ConfigError(f"{key}: expected {_type_name(types)}, got {value!r}")
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > XS_INT_MAX:
        raise ConfigError(f"{key}: expected at most {XS_INT_MAX}, got {value!r}")
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
    try:
        check_sections(data)
        runtime_settings(data)
    except ConfigError as err:
        raise ConfigError(f"config file {path}: {err}") from None
    return data


def check_sections(data: Any, runtime_only: bool = False) -> dict:
    """Check a config dict's sections, keys and value types, as the TOML loader does.

    `runtime_only` also refuses what cannot change while the server runs (PUT /_mock/config).
    """
    if not isinstance(data, dict):
        raise ConfigError(f"config: expected a table, got {data!r}")
    for section, value in data.items():
        if section not in _SCHEMA and section not in ASSET_SECTIONS:
            raise ConfigError(f"{section}: unknown key")
        if section == "fields":
            _check_fields(value)
        elif section == "custom_objects":
            custom_object_types(value)
        elif section in ASSET_SECTIONS:
            _check(section, value, (list,))
        else:
            _table(section, value, _SCHEMA[section])
        if runtime_only:
            if section not in RUNTIME_KEYS:
                raise ConfigError(f"{section}: cannot be changed at run time")
            for key in value:
                if RUNTIME_KEYS[section] is not None and key not in RUNTIME_KEYS[section]:
                    raise ConfigError(f"{section}.{key}: cannot be changed at run time")
    return data


def _check_fields(value: Any) -> None:
    """[fields]: `Name = "attrType"`, or the table form `Name = { type = "attrType", display_name = "Label" }`."""
    if not isinstance(value, dict):
        raise ConfigError(f"fields: expected a table, got {value!r}")
    for name, entry in value.items():
        if isinstance(entry, dict):
            _table(f"fields.{name}", entry, {"type": (str,), "display_name": (str,)})
            if "type" not in entry:
                raise ConfigError(f"fields.{name}.type: required")
            if "display_name" in entry and not entry["display_name"].strip():
                raise ConfigError(f"fields.{name}.display_name: expected a label, got an empty string")
            attr_type = entry["type"]
        else:
            attr_type = entry
        if not isinstance(attr_type, str) or attr_type not in ATTR_TYPES:
            raise ConfigError(f"fields.{name}: expected one of {', '.join(sorted(ATTR_TYPES))}, got {attr_type!r}")
        if name in STANDARD_FIELDS:
            raise ConfigError(f"fields.{name}: is a standard field already")


def custom_object_types(raw: Any) -> list[CustomObjectType]:
    """The [[custom_objects]] entries as checked types (domain.custom_object_types says what a type may be)."""
    _check("custom_objects", raw, (list,))
    types = []
    for index, entry in enumerate(raw):
        key = f"custom_objects[{index}]"
        _table(key, entry, {"name": (str,), "description": (str,), "link_field": (str,), "dedupe_fields": (list,),
                            "fields": (dict,)})
        for required in ("name", "link_field", "dedupe_fields"):
            if required not in entry:
                raise ConfigError(f"{key}.{required}: required")
        for item in entry["dedupe_fields"]:
            _check(f"{key}.dedupe_fields", item, (str,))
        for name, attr_type in entry.get("fields", {}).items():
            _check(f"{key}.fields.{name}", attr_type, (str,))
        try:
            types.append(CustomObjectType(entry["name"], entry["link_field"], tuple(entry["dedupe_fields"]),
                                          dict(entry.get("fields", {})), entry.get("description", "")))
        except ValueError as err:
            raise ConfigError(f"{key}.{err}") from None
    try:
        CustomObjectTypes(types)
    except ValueError as err:
        raise ConfigError(f"custom_objects: {err}") from None
    return types


def _field_types(fields: dict) -> dict[str, str]:
    return {name: entry["type"] if isinstance(entry, dict) else entry for name, entry in fields.items()}


def _field_display_names(fields: dict) -> dict[str, str]:
    return {name: entry["display_name"] for name, entry in fields.items()
            if isinstance(entry, dict) and "display_name" in entry}


def users_from(raw: list) -> list[Credentials]:
    """The [[auth.users]] entries as Credentials, each checked."""
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


def limit_settings(raw: dict) -> LimitSettings:
    """The [limits] section as LimitSettings; every number must be 1 or more."""
    for key in ("daily_quota", "rate_max_calls", "rate_window_seconds", "max_concurrent"):
        if key in raw and raw[key] < 1:
            raise ConfigError(f"limits.{key}: expected 1 or more, got {raw[key]}")
    return LimitSettings(**raw)


def time_zone(name: str) -> ZoneInfo:
    """The zone of an IANA name, or ConfigError naming instance.time_zone."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"instance.time_zone: expected a time zone name such as America/Chicago, got {name!r}") \
            from None


def runtime_settings(data: dict) -> dict:
    """The Settings attributes of the run-time sections (see RUNTIME_KEYS) of a checked config dict."""
    auth, control = data.get("auth", {}), data.get("control", {})
    skew = auth.get("max_clock_skew_seconds", 900)
    if skew < 0:
        raise ConfigError("auth.max_clock_skew_seconds: expected 0 or more")
    journal_size = control.get("journal_size", DEFAULT_JOURNAL_SIZE)
    if journal_size < 1:
        raise ConfigError(f"control.journal_size: expected 1 or more, got {journal_size}")
    delays = {"campaign_runs.delay_ms": data.get("campaign_runs", {}).get("delay_ms", 0),
              "imports.duration_ms": data.get("imports", {}).get("duration_ms", 0)}
    for key, value in delays.items():
        if value < 0:
            raise ConfigError(f"{key}: expected 0 or more, got {value}")
    return {
        "max_clock_skew_seconds": skew,
        "users": users_from(auth.get("users", [])),
        "custom_fields": _field_types(data.get("fields", {})),
        "field_display_names": _field_display_names(data.get("fields", {})),
        "workspaces": workspace_setup(data.get("workspaces", {}), data.get("assignment_rules", {})),
        "limits": limit_settings(data.get("limits", {})),
        "journal_size": journal_size,
        "time_zone": time_zone(data.get("instance", {}).get("time_zone", "UTC")).key,
        "custom_objects": custom_object_types(data.get("custom_objects", [])),
        "campaign_run_delay_ms": delays["campaign_runs.delay_ms"],
        "import_duration_ms": delays["imports.duration_ms"],
    }


def runtime_config(settings: Settings) -> dict:
    """The run-time sections of the settings, in the config file's shape (secret keys included)."""
    workspaces = settings.workspaces
    rules = {"partitions": dict(workspaces.rules.partitions)}
    if workspaces.rules.field is not None:
        rules["field"] = workspaces.rules.field
    return {
        "auth": {
            "max_clock_skew_seconds": settings.max_clock_skew_seconds,
            "users": [{"user_id": u.user_id, "secret_key": u.secret_key, "instance": u.instance}
                      for u in settings.users],
        },
        "fields": {name: {"type": attr_type, "display_name": settings.field_display_names[name]}
                   if name in settings.field_display_names else attr_type
                   for name, attr_type in settings.custom_fields.items()},
        "workspaces": {
            "enabled": workspaces.enabled,
            "list": [{"name": w.name, "primary_partition": w.primary_partition, "partitions": list(w.partitions)}
                     for w in workspaces.workspaces],
        },
        "assignment_rules": rules,
        "limits": dataclasses.asdict(settings.limits),
        "control": {"journal_size": settings.journal_size},
        "instance": {"time_zone": settings.time_zone},
        "custom_objects": [object_type.to_config() for object_type in settings.custom_objects],
        "campaign_runs": {"delay_ms": settings.campaign_run_delay_ms},
        "imports": {"duration_ms": settings.import_duration_ms},
    }


def with_runtime_changes(settings: Settings, changes: Any) -> Settings:
    """New settings with run-time changes applied (PUT /_mock/config), checked as the loader checks a file.

    A key given replaces that key; keys not given stay. `fields` is one table: it replaces every
    custom field; `custom_objects` is one list: it replaces every custom object type.
    """
    check_sections(changes, runtime_only=True)
    merged = runtime_config(settings)
    for section, value in changes.items():
        if section == "fields":
            merged["fields"] = dict(value)
        elif section == "custom_objects":
            merged["custom_objects"] = list(value)
        else:
            merged[section].update(value)
    return dataclasses.replace(settings, **runtime_settings(merged))


_ENV = {
    "host": "MOCKMARKETO_HOST",
    "port": "MOCKMARKETO_PORT",
    "database_url": "MOCKMARKETO_DATABASE_URL",
    "config": "MOCKMARKETO_CONFIG",
    "user_id": "MOCKMARKETO_USER_ID",
    "secret_key": "MOCKMARKETO_SECRET_KEY",
    "control_token": "MOCKMARKETO_CONTROL_TOKEN",
    "http_server": "MOCKMARKETO_HTTP_SERVER",
    "workers": "MOCKMARKETO_WORKERS",
    "threads": "MOCKMARKETO_THREADS",
    "log_level": "MOCKMARKETO_LOG_LEVEL",
    "log_format": "MOCKMARKETO_LOG_FORMAT",
    "tls_cert": "MOCKMARKETO_TLS_CERT",
    "tls_key": "MOCKMARKETO_TLS_KEY",
    "tls_self_signed": "MOCKMARKETO_TLS_SELF_SIGNED",
}
# the settings the command line and the environment can give, and the [server] key of each
_SERVER_OPTIONS = ("host", "port", "database_url", "http_server", "workers", "threads", "log_level", "log_format",
                   "tls_cert", "tls_key", "tls_self_signed")
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off", "")


def settings_from(data: dict, overrides: dict | None = None, environ: dict | None = None,
                  config_path: str | None = None) -> Settings:
    """Settings from a checked config dict (read from `config_path`, if named), then the environment,
    then explicit overrides (CLI). A bad value is a ConfigError naming where it came from."""
    environ = os.environ if environ is None else environ
    overrides = {k: v for k, v in (overrides or {}).items() if v is not None}
    server, leads = data.get("server", {}), data.get("leads", {})
    settings = Settings(
        host=server.get("host", "127.0.0.1"),
        port=server.get("port", 8080),
        database_url=server.get("database_url", "sqlite://"),
        public_url=server.get("public_url"),
        http_server=server.get("http_server"),
        workers=server.get("workers", 1),
        threads=server.get("threads", 8),
        max_request_bytes=server.get("max_request_bytes", 2 * 1024 * 1024),
        log_level=server.get("log_level", "info"),
        log_format=server.get("log_format", "text"),
        tls_cert=server.get("tls_cert"),
        tls_key=server.get("tls_key"),
        tls_self_signed=server.get("tls_self_signed", False),
        first_id=leads.get("first_id", 1000001),
        control_token=data.get("control", {}).get("token") or None,
        **runtime_settings(data),
        **_limits(server, data.get("control", {})),
    )
    settings.assets = _assets(data, settings)
    if data.get("control", {}).get("token") == "":
        raise ConfigError("control.token: expected a token, got an empty string (leave the key out for none)")
    if environ.get(_ENV["control_token"]) == "":
        # an empty variable must not silently switch off a token set in the config file
        raise ConfigError(f"{_ENV['control_token']}: set but empty; unset it, or give the token")
    in_file = f"config file {config_path}: " if config_path else ""
    settings.sources = {name: f"{in_file}server.{name}" for name in server}
    for name in (*_SERVER_OPTIONS, "control_token"):
        if name in overrides:
            value, source = overrides[name], "--" + name.replace("_", "-")
        elif environ.get(_ENV[name]) is not None:
            value, source = environ[_ENV[name]], _ENV[name]
        else:
            continue
        setattr(settings, name, value)
        settings.sources[name] = source
    for name in ("port", "workers", "threads"):
        try:
            setattr(settings, name, int(getattr(settings, name)))
        except ValueError:
            raise ConfigError(f"{settings.source(name)}: expected an integer, got {getattr(settings, name)!r}") from None
    if isinstance(settings.tls_self_signed, str):
        if settings.tls_self_signed.strip().lower() not in _TRUE + _FALSE:
            raise ConfigError(f"{settings.source('tls_self_signed')}: expected true or false, got "
                              f"{settings.tls_self_signed!r}")
        settings.tls_self_signed = settings.tls_self_signed.strip().lower() in _TRUE
    if not 0 <= settings.port <= 65535:
        raise ConfigError(f"{settings.source('port')}: expected 0 to 65535, got {settings.port}")
    for name in ("workers", "threads"):
        if getattr(settings, name) < 1:
            raise ConfigError(f"{settings.source(name)}: expected 1 or more, got {getattr(settings, name)}")
    if settings.http_server is not None and settings.http_server not in HTTP_SERVERS:
        raise ConfigError(f"{settings.source('http_server')}: expected one of {', '.join(HTTP_SERVERS)}, got "
                          f"{settings.http_server!r}")
    settings.log_level = settings.log_level.lower()
    for name, allowed in (("log_level", LOG_LEVELS), ("log_format", LOG_FORMATS)):
        if getattr(settings, name) not in allowed:
            raise ConfigError(f"{settings.source(name)}: expected one of {', '.join(allowed)}, got "
                              f"{getattr(settings, name)!r}")
    if bool(settings.tls_cert) != bool(settings.tls_key):
        raise ConfigError("tls_cert and tls_key: give both (the certificate and its private key) or neither")
    if settings.tls_cert and settings.tls_self_signed:
        raise ConfigError("tls_self_signed: makes its own certificate; give it or tls_cert and tls_key, not both")
    if settings.first_id < 1:
        raise ConfigError(f"{in_file}leads.first_id: expected 1 or more, got {settings.first_id}")
    if settings.max_request_bytes < 1024:
        raise ConfigError(f"{in_file}server.max_request_bytes: expected at least 1024")
    user_id = overrides.get("user_id", environ.get(_ENV["user_id"]))
    secret_key = overrides.get("secret_key", environ.get(_ENV["secret_key"]))
    if (user_id is None) != (secret_key is None):
        raise ConfigError("user_id and secret_key: give both or neither")
    if user_id is not None:
        settings.users = [u for u in settings.users if u.user_id != user_id]
        settings.users.insert(0, Credentials(user_id, secret_key, DEFAULT_INSTANCE))
        settings.sources["secret_key"] = "--secret-key" if "secret_key" in overrides else _ENV["secret_key"]
    elif settings.users:
        settings.sources["secret_key"] = f"{in_file}auth.users[0].secret_key"
    return settings


def _assets(data: dict, settings: Settings) -> Assets:
    from mockmarketo.asset_config import configured_assets  # it reads entries with this module's checks

    return configured_assets(data, FieldCatalogue(settings.custom_fields, settings.field_display_names))


def _limits(server: dict, control: dict) -> dict:
    """The reliability limits of [server] and [control] (DEFAULT_LIMITS), each 1 or more."""
    limits = {}
    for section, keys, given in (("server", _SERVER_LIMITS, server), ("control", _CONTROL_LIMITS, control)):
        for key in keys:
            value = given.get(key, DEFAULT_LIMITS[key])
            if value < 1:
                raise ConfigError(f"{section}.{key}: expected 1 or more, got {value}")
            limits[key] = value
    return limits


def load_settings(config_path: str | None = None, overrides: dict | None = None,
                  environ: dict | None = None) -> Settings:
    """Settings as `mockmarketo serve` sees them."""
    environ = os.environ if environ is None else environ
    path = config_path or environ.get(_ENV["config"])
    data = load_file(Path(path)) if path else {}
    return settings_from(data, overrides, environ, path)
