"""The control API: JSON over HTTP under /_mock/, on the same app and port as the SOAP endpoint.

Routes (every one takes `?instance=NAME`, default: the first configured user's instance):

    POST   /_mock/reset        drop the instance's leads, journal, injected faults and limit counters
    GET    /_mock/leads        the instance's leads (filters: email, id, partition)
    POST   /_mock/leads        seed one lead object or a list of them
    GET    /_mock/requests     the request journal, newest last (filters: operation, email, fault_code, since)
    DELETE /_mock/requests     clear the journal
    GET    /_mock/faults       the active fault injections
    POST   /_mock/faults       add a fault injection (see control.faults)
    DELETE /_mock/faults       clear the injections
    GET    /_mock/limits       the limit settings and the instance's counters
    GET    /_mock/config       the run-time config (secret keys masked)
    PUT    /_mock/config       change the run-time config, checked as the config file is
    GET    /_mock/instances    the instances
    POST   /_mock/instances    create an instance with fresh credentials
    DELETE /_mock/instances    delete an instance created at run time (?instance= required)

With a control token configured, every route needs `Authorization: Bearer <token>`. Every error is
`{"error": "<one line>"}` with a 4xx status (503 when the database is unavailable).
"""

from __future__ import annotations

import hmac
import json
import threading

from werkzeug.wrappers import Request

from mockmarketo.config import ConfigError, runtime_config, with_runtime_changes
from mockmarketo.control.faults import InjectionError, TooManyInjections
from mockmarketo.control.instances import Instances, UnknownInstance
from mockmarketo.control.journal import JournalEntry
from mockmarketo.control.leads import LeadJsonError, lead_from_json, lead_json
from mockmarketo.domain.auth import parse_timestamp
from mockmarketo.domain.seeding import SeedConflict
from mockmarketo.json_http import JsonArray, json_response
from mockmarketo.request_body import BodyTooLarge, read_body
from mockmarketo.marketo import Marketo
from mockmarketo.store import DatabaseUnavailable

PREFIX = "/_mock/"
MASK = "********"


class ControlError(Exception):
    """An answer other than success: an HTTP status and a one-line message."""

    def __init__(self, status: int, message: str, headers=()):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers


class ControlApi:
    """WSGI app for every path under /_mock/."""

    def __init__(self, marketo: Marketo, instances: Instances):
        self.marketo = marketo
        self.instances = instances
        self._config_lock = threading.Lock()
        self._routes = {
            "reset": {"POST": self.reset},
            "leads": {"GET": self.get_leads, "POST": self.seed_leads},
            "requests": {"GET": self.get_requests, "DELETE": self.clear_requests},
            "faults": {"GET": self.get_faults, "POST": self.add_fault, "DELETE": self.clear_faults},
            "limits": {"GET": self.get_limits},
            "config": {"GET": self.get_config, "PUT": self.put_config},
            "instances": {"GET": self.get_instances, "POST": self.create_instance,
                          "DELETE": self.delete_instance},
        }

    def __call__(self, environ, start_response):
        request = Request(environ)
        try:
            self._authorize(request)
            name = request.path[len(PREFIX):].strip("/") if request.path.startswith(PREFIX) else ""
            methods = self._routes.get(name)
            if methods is None:
                raise ControlError(404, f"no control route {request.path}")
            if name != "leads" and self.marketo.settings.workers > 1:
                # journal, injections, counters, run-time instances and config live in one process's memory
                raise ControlError(409, f"{request.path} needs a server of one process: this one runs "
                                        f"{self.marketo.settings.workers} workers, each with its own state "
                                        "(use --workers 1 and more --threads)")
            handler = methods.get(request.method)
            if handler is None:
                allowed = ", ".join(methods)
                raise ControlError(405, f"{request.method} is not allowed on {request.path} (allowed: {allowed})",
                                   [("Allow", allowed)])
            status, payload = handler(request)
            return json_response(start_response, status, payload)
        except ControlError as error:
            return json_response(start_response, error.status, {"error": error.message}, error.headers)
        except DatabaseUnavailable as error:
            return json_response(start_response, 503, {"error": f"database unavailable: {error.reason}"})
        except Exception as error:  # noqa: BLE001 - a JSON answer, never a traceback
            return json_response(start_response, 500, {"error": f"internal error: {type(error).__name__}"})

    # -- helpers -------------------------------------------------------------------------------------

    def _authorize(self, request: Request) -> None:
        token = self.marketo.settings.control_token
        if not token:
            return
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise ControlError(401, "the control API needs the header Authorization: Bearer <token>",
                               [("WWW-Authenticate", 'Bearer realm="mockmarketo"')])

    def _instance_name(self, request: Request) -> str:
        return self._state(request).name

    def _state(self, request: Request):
        name = request.args.get("instance")
        try:
            return self.instances.get(name)
        except UnknownInstance:
            raise ControlError(404, f"no instance {name!r}") from None

    @staticmethod
    def _args(request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
        for key in request.args:
            if key != "instance" and key not in allowed:
                known = ", ".join(("instance", *allowed))
                raise ControlError(400, f"unknown query parameter {key!r} (known: {known})")
        return {key: request.args[key] for key in allowed if key in request.args}

    def _body(self, request: Request, required: bool = True):
        try:
            data = read_body(request.environ, self.marketo.settings.max_request_bytes)
        except BodyTooLarge as error:
            raise ControlError(413, f"request body is {error}") from None
        if not data.strip():
            if required:
                raise ControlError(400, "request body is empty; expected JSON")
            return None
        try:
            return json.loads(data)
        except (ValueError, UnicodeDecodeError) as err:
            raise ControlError(400, f"request body is not valid JSON: {err}") from None
        except RecursionError:
            raise ControlError(400, "request body is not valid JSON: nested too deeply") from None

    @staticmethod
    def _int(name: str, value: str) -> int:
        try:
            return int(value)
        except ValueError:
            raise ControlError(400, f"{name}: expected an integer, got {value!r}") from None

    # -- routes --------------------------------------------------------------------------------------

    def reset(self, request: Request):
        self._args(request, ())
        name = self._instance_name(request)
        self.instances.reset(name)
        return 200, {"reset": name}

    def get_leads(self, request: Request):
        args = self._args(request, ("email", "id", "partition"))
        name = self._instance_name(request)
        lead_id = self._int("id", args["id"]) if "id" in args else None
        leads = self.marketo.leads(name, email=args.get("email"), lead_id=lead_id,
                                   partition=args.get("partition"))
        return 200, [lead_json(lead) for lead in leads]

    def seed_leads(self, request: Request):
        self._args(request, ())
        name = self._instance_name(request)
        payload = self._body(request)
        items = payload if isinstance(payload, list) else [payload]
        settings = self.marketo.settings
        try:
            leads = [lead_from_json(item, self.marketo.fields, settings.workspaces,
                                    f"lead[{index}]" if isinstance(payload, list) else "lead")
                     for index, item in enumerate(items)]
            created = self.marketo.seed_leads(name, leads)
        except LeadJsonError as error:
            raise ControlError(400, str(error)) from None
        except SeedConflict as error:
            raise ControlError(409, str(error)) from None
        answer = [lead_json(lead) for lead in created]
        return 201, answer if isinstance(payload, list) else answer[0]

    def get_requests(self, request: Request):
        args = self._args(request, ("operation", "email", "fault_code", "since"))
        state = self._state(request)
        since = None
        if "since" in args:
            since = parse_timestamp(args["since"])
            if since is None:
                raise ControlError(400, f"since: expected an ISO 8601 date and time, got {args['since']!r}")
        fault_code = self._int("fault_code", args["fault_code"]) if "fault_code" in args else None
        entries = state.journal.entries(operation=args.get("operation"), email=args.get("email"),
                                        fault_code=fault_code, since=since)
        return 200, JsonArray(entries, JournalEntry.to_json)  # streamed: a full journal is megabytes

    def clear_requests(self, request: Request):
        self._args(request, ())
        self._state(request).journal.clear()
        return 200, {"cleared": "requests"}

    def get_faults(self, request: Request):
        self._args(request, ())
        return 200, [injection.to_json() for injection in self._state(request).faults.active()]

    def add_fault(self, request: Request):
        self._args(request, ())
        state = self._state(request)
        try:
            injection = state.faults.add(self._body(request))
        except InjectionError as error:
            raise ControlError(400, str(error)) from None
        except TooManyInjections as error:
            raise ControlError(409, str(error)) from None
        return 201, injection.to_json()

    def clear_faults(self, request: Request):
        self._args(request, ())
        self._state(request).faults.clear()
        return 200, {"cleared": "faults"}

    def get_limits(self, request: Request):
        self._args(request, ())
        state = self._state(request)
        limits = self.marketo.settings.limits
        return 200, {"enabled": limits.enabled, "daily_quota": limits.daily_quota,
                     "rate_max_calls": limits.rate_max_calls, "rate_window_seconds": limits.rate_window_seconds,
                     "max_concurrent": limits.max_concurrent, **state.limiter.counters()}

    def _config_json(self) -> dict:
        config = runtime_config(self.marketo.settings)
        for user in config["auth"]["users"]:
            user["secret_key"] = MASK
        config["control"]["token_required"] = bool(self.marketo.settings.control_token)
        return config

    def get_config(self, request: Request):
        self._args(request, ())
        self._state(request)
        return 200, self._config_json()

    def put_config(self, request: Request):
        self._args(request, ())
        self._state(request)
        changes = self._body(request)
        auth = changes.get("auth") if isinstance(changes, dict) else None
        users = auth.get("users") if isinstance(auth, dict) else None
        for index, user in enumerate(users if isinstance(users, list) else []):
            if isinstance(user, dict) and user.get("secret_key") == MASK:
                raise ControlError(400, f"auth.users[{index}].secret_key: give the real secret key, not the "
                                        "mask GET shows")
        with self._config_lock:  # two PUTs at once must not each undo the other's change
            try:
                settings = with_runtime_changes(self.marketo.settings, changes)
            except ConfigError as error:
                raise ControlError(400, str(error)) from None
            self.marketo.reconfigure(settings)
            self.instances.resize_journals(settings.journal_size)
        return 200, self._config_json()

    def get_instances(self, request: Request):
        self._args(request, ())
        return 200, [{"instance": name, "created_at_run_time": created, "default": name == self.instances.default}
                     for name, created in self.marketo.instances().items()]

    def create_instance(self, request: Request):
        self._args(request, ())
        payload = self._body(request, required=False) or {}
        if not isinstance(payload, dict) or set(payload) - {"instance"}:
            raise ControlError(400, 'expected no body or {"instance": "<name>"}')
        name = payload.get("instance")
        if name is not None and (not isinstance(name, str) or not name.strip() or len(name) > 100):
            raise ControlError(400, f"instance: expected a name of 1 to 100 characters, got {name!r}")
        try:
            credentials = self.instances.create(name)
        except ValueError as error:
            raise ControlError(409, str(error)) from None
        return 201, {"instance": credentials.instance, "user_id": credentials.user_id,
                     "secret_key": credentials.secret_key}

    def delete_instance(self, request: Request):
        self._args(request, ())
        name = request.args.get("instance")
        if name is None:
            raise ControlError(400, "instance: name the instance to delete with ?instance=")
        try:
            self.instances.delete(name)
        except UnknownInstance:
            raise ControlError(404, f"no instance {name!r}") from None
        except ValueError as error:
            raise ControlError(409, str(error)) from None
        return 200, {"deleted": name}
