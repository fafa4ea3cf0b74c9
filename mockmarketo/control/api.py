"""The control API: JSON over HTTP under /_mock/, on the same app and port as the SOAP endpoint.

Routes (every one takes `?instance=NAME`, default: the first configured user's instance):

    GET    /_mock/             what runs here: version, endpoint, WSDL, these routes, the docs (mockmarketo.index)
    POST   /_mock/reset        drop the instance's leads, activities, journal, injected faults and limit counters
    GET    /_mock/leads        the instance's leads (filters: email, id, partition, foreign_sys_person_id;
                               paging: after, limit)
    POST   /_mock/leads        seed one lead object or a list of them
    GET    /_mock/activities   the instance's activity log (see control.activities; POST seeds, DELETE clears)
    GET    /_mock/requests     the request journal, newest last (filters: operation, email, fault_code, since,
                               outcome; paging: after, before, limit)
    DELETE /_mock/requests     clear the journal
    GET    /_mock/faults       the active fault injections
    POST   /_mock/faults       add a fault injection (see control.faults)
    DELETE /_mock/faults       clear the injections (?id=N: remove that one)
    GET    /_mock/limits       the limit settings and the instance's counters
    GET    /_mock/config       the run-time config (secret keys masked)
    PUT    /_mock/config       change the run-time config, checked as the config file is
    GET    /_mock/instances    the instances
    POST   /_mock/instances    create an instance with fresh credentials
    DELETE /_mock/instances    delete an instance created at run time (?instance= required)
    GET    /_mock/custom-objects/<type>   the records of a custom object type (control.custom_objects);
    POST, DELETE                          seed records, delete them all
    GET    /_mock/mobjects/<type>         the Opportunity or OpportunityPersonRole objects (control.mobjects);
    POST, DELETE                          seed objects, delete them all

and the marketing routes of control.marketing (programs, lists and their members, campaigns,
campaign-runs, run-pending).

With a control token configured, every route needs `Authorization: Bearer <token>`. Every error is
`{"error": "<one line>"}` with a 4xx status (503 when the database is unavailable). Mistakes are refused,
never ignored: a body on a route that takes none, an unknown or repeated query parameter, a filter value
that can match nothing (`_one_of`), an unknown instance wherever one is named (404).
"""

from __future__ import annotations

import difflib
import hmac
import json
import re
import threading
import time
from collections.abc import Iterable

from werkzeug.wrappers import Request

from mockmarketo import access_log, index
from mockmarketo.config import ConfigError, runtime_config, with_runtime_changes
from mockmarketo.control import custom_objects, mobjects
from mockmarketo.control.faults import InjectionError, TooManyInjections
from mockmarketo.control.instances import Instances, UnknownInstance
from mockmarketo.control.journal import OUTCOMES, JournalEntry
from mockmarketo.control.leads import LeadJsonError, lead_from_json, lead_json
from mockmarketo.domain.auth import parse_timestamp
from mockmarketo.domain.errors import SHORT_TEXTS
from mockmarketo.domain.leads import XS_INT_MAX
from mockmarketo.domain.seeding import SeedConflict
from mockmarketo.json_http import JsonArray, json_response
from mockmarketo.request_body import BodyTooLarge, read_body
from mockmarketo.marketo import Marketo
from mockmarketo.soap.operations import OPERATIONS
from mockmarketo.store import DatabaseUnavailable

PREFIX = "/_mock/"
MASK = "********"
# routes whose state is the database, which every worker process shares
DATABASE_ROUTES = {"leads", "activities", custom_objects.ROUTE, mobjects.ROUTE,
                   "programs", "lists", "campaigns", "campaign-runs", "run-pending"}
# routes that answer the same from every worker process: the index, and the state kept in the database
PROCESS_INDEPENDENT_ROUTES = {"", *DATABASE_ROUTES}


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
            "": {"GET": self.index},
            "reset": {"POST": self.reset},
            "leads": {"GET": self.get_leads, "POST": self.seed_leads},
            "requests": {"GET": self.get_requests, "DELETE": self.clear_requests},
            "faults": {"GET": self.get_faults, "POST": self.add_fault, "DELETE": self.clear_faults},
            "limits": {"GET": self.get_limits},
            "config": {"GET": self.get_config, "PUT": self.put_config},
            "instances": {"GET": self.get_instances, "POST": self.create_instance,
                          "DELETE": self.delete_instance},
        }
        # routes with a path parameter are registered as "<name>/*"
        self._routes.update(custom_objects.routes(self))
        self._routes.update(mobjects.routes(self))
        from mockmarketo.control import activities  # (it imports this module)
        self._routes.update(activities.routes(self))
        from mockmarketo.control.marketing import MarketingRoutes  # it raises this module's ControlError

        self._routes.update(MarketingRoutes(self).routes())

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        request = Request(environ)
        status, payload, headers = self._answer(request)
        query = request.query_string.decode("latin-1")
        access_log.control_call(request.method, request.path + (f"?{query}" if query else ""), status,
                                (time.perf_counter() - started) * 1000,
                                payload.get("error") if status >= 400 and isinstance(payload, dict) else None)
        return json_response(start_response, status, payload, headers)

    def _answer(self, request: Request) -> tuple[int, object, list]:
        """The route's answer: status, JSON payload and extra headers."""
        try:
            self._authorize(request)
            name = request.path[len(PREFIX):].strip("/") if request.path.startswith(PREFIX) else ""
            # a route with a path parameter is found by its pattern: lists/<id>/members, custom-objects/*
            route = name if name in self._routes else re.sub(r"(?<=/)\d+(?=/|$)", "<id>", name)
            if route not in self._routes and "/" in name:
                route = name.split("/", 1)[0] + "/*"
            methods = self._routes.get(route)
            if methods is None:
                raise ControlError(404, f"no control route {request.path}")
            if route.split("/", 1)[0] not in PROCESS_INDEPENDENT_ROUTES and self.marketo.settings.workers > 1:
                # journal, injections, counters, run-time instances and config live in one process's memory
                raise ControlError(409, f"{request.path} needs a server of one process: this one runs "
                                        f"{self.marketo.settings.workers} workers, each with its own state "
                                        "(use --workers 1 and more --threads)")
            handler = methods.get(request.method)
            if handler is None:
                allowed = ", ".join(methods)
                raise ControlError(405, f"{request.method} is not allowed on {request.path} (allowed: {allowed})",
                                   [("Allow", allowed)])
            if request.method in ("GET", "HEAD", "DELETE"):
                self._no_body(request)
            status, payload = handler(request)
            return status, payload, []
        except ControlError as error:
            return error.status, {"error": error.message}, list(error.headers)
        except DatabaseUnavailable as error:
            return 503, {"error": f"database unavailable: {error.reason}"}, []
        except Exception as error:  # noqa: BLE001 - a JSON answer, never a traceback
            return 500, {"error": f"internal error: {type(error).__name__}"}, []

    def route_table(self) -> dict[str, list[str]]:
        """Every control route's path and methods."""
        return {PREFIX + name: list(methods) for name, methods in self._routes.items()}

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

    def _args(self, request: Request, allowed: tuple[str, ...]) -> dict[str, str]:
        """The query parameters `allowed` (and `instance`), each given once; 400 for any other, a repeated
        one, or an empty filter (leave a filter out to match everything); 404 for an unknown instance."""
        for key in request.args:
            if key != "instance" and key not in allowed:
                known = ", ".join(("instance", *allowed))
                raise ControlError(400, f"unknown query parameter {key!r} (known: {known})")
            values = request.args.getlist(key)
            if len(values) > 1:
                raise ControlError(400, f"{key}: given {len(values)} times; give it once")
            if not values[0].strip():
                raise ControlError(400, f"{key}: empty; leave it out to match everything")
        if "instance" in request.args:
            self._state(request)
        return {key: request.args[key] for key in allowed if key in request.args}

    @staticmethod
    def _one_of(name: str, value: str, allowed: Iterable[str], what: str) -> str:
        """`value` if it is one of `allowed`; else 400 with the likely intended values, so that a typo in a
        filter is an error rather than an empty answer that reads as "nothing happened"."""
        allowed = list(allowed)
        if value in allowed:
            return value
        close = [a for a in allowed if a.lower() == value.lower()] or difflib.get_close_matches(value, allowed, 3)
        hint = f"did you mean {' or '.join(map(repr, close))}?" if close else f"known: {', '.join(allowed)}"
        raise ControlError(400, f"{name}: {value!r} is not {what} ({hint})")

    def _raw_body(self, request: Request) -> bytes:
        try:
            return read_body(request.environ, self.marketo.settings.max_request_bytes)
        except BodyTooLarge as error:
            raise ControlError(413, f"request body is {error}") from None

    def _no_body(self, request: Request) -> None:
        """Refuse a body on a route that takes none: ignoring it hid mistakes such as
        `{"instance": "x"}` sent where `?instance=x` was meant."""
        if self._raw_body(request).strip():
            raise ControlError(400, f"{request.method} {request.path} takes no request body (the instance and "
                                    "filters go in the query string, e.g. ?instance=NAME)")

    def _body(self, request: Request, required: bool = True):
        data = self._raw_body(request)
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

    @classmethod
    def _paging(cls, args: dict[str, str], *names: str) -> dict[str, int | None]:
        """The paging parameters among `names` (after, before: 0 or more; limit: 1 or more), None if absent."""
        found = {}
        for name in names:
            value = cls._int(name, args[name]) if name in args else None
            low = 1 if name == "limit" else 0
            if value is not None and value < low:
                raise ControlError(400, f"{name}: expected {low} or more, got {value}")
            found[name] = value
        return found

    # -- routes --------------------------------------------------------------------------------------

    def index(self, request: Request):
        self._args(request, ())
        return 200, index.index(request.environ, self.route_table(), bool(self.marketo.settings.control_token))

    def reset(self, request: Request):
        self._args(request, ())
        self._no_body(request)
        name = self._instance_name(request)
        self.instances.reset(name)
        return 200, {"reset": name}

    def get_leads(self, request: Request):
        args = self._args(request, ("email", "id", "partition", "foreign_sys_person_id", "after", "limit"))
        name = self._instance_name(request)
        lead_id = self._int("id", args["id"]) if "id" in args else None
        paging = self._paging(args, "after", "limit")
        if lead_id is not None and not 0 < lead_id <= XS_INT_MAX:
            raise ControlError(400, f"id: expected a lead id, 1 to {XS_INT_MAX}, got {lead_id}")
        if "partition" in args:
            self._one_of("partition", args["partition"], self.marketo.settings.workspaces.partitions,
                         "a partition of the configured workspaces")
        leads = self.marketo.leads(name, email=args.get("email"), lead_id=lead_id,
                                   partition=args.get("partition"), foreign_id=args.get("foreign_sys_person_id"),
                                   after_id=paging["after"], limit=paging["limit"])
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
            created = self.marketo.seed_leads(name, leads, [item.get("activity") is True for item in items])
        except LeadJsonError as error:
            raise ControlError(400, str(error)) from None
        except SeedConflict as error:
            raise ControlError(409, str(error)) from None
        answer = [lead_json(lead) for lead in created]
        return 201, answer if isinstance(payload, list) else answer[0]

    def get_requests(self, request: Request):
        args = self._args(request, ("operation", "email", "fault_code", "since", "outcome", "after", "before",
                                    "limit"))
        state = self._state(request)
        since = None
        if "since" in args:
            since = parse_timestamp(args["since"])
            if since is None:
                raise ControlError(400, f"since: expected an ISO 8601 date and time, got {args['since']!r}")
        if "operation" in args:
            self._one_of("operation", args["operation"], OPERATIONS, "an operation of Marketo's WSDL")
        fault_code = self._int("fault_code", args["fault_code"]) if "fault_code" in args else None
        if "outcome" in args:
            self._one_of("outcome", args["outcome"], OUTCOMES, "an outcome of a call")
        if fault_code is not None and fault_code not in SHORT_TEXTS:
            raise ControlError(400, f"fault_code: {fault_code} is not a Marketo error code (known: "
                                    f"{', '.join(map(str, sorted(SHORT_TEXTS)))})")
        entries = state.journal.entries(operation=args.get("operation"), email=args.get("email"),
                                        fault_code=fault_code, since=since, outcome=args.get("outcome"),
                                        **self._paging(args, "after", "before", "limit"))
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
        args = self._args(request, ("id",))
        state = self._state(request)
        if "id" in args:
            injection_id = self._int("id", args["id"])
            if not state.faults.remove(injection_id):
                raise ControlError(404, f"no active fault injection {injection_id}")
            return 200, {"removed": injection_id}
        state.faults.clear()
        return 200, {"cleared": "faults"}

    def get_limits(self, request: Request):
        self._args(request, ())
        state = self._state(request)
        limits = self.marketo.settings.limits
        return 200, {"enabled": limits.enabled, "daily_quota": limits.daily_quota,
                     "rate_max_calls": limits.rate_max_calls, "rate_window_seconds": limits.rate_window_seconds,
                     "max_concurrent": limits.max_concurrent, **state.limiter.counters()}

    def _config_json(self) -> dict:
        """The run-time config; `auth.users` lists every user that can call (secret keys masked), with its
        origin: the built-in `default` pair (no user configured), `configured`, or `run_time`."""
        settings = self.marketo.settings
        config = runtime_config(settings)
        configured = {user.user_id for user in settings.credentials}
        config["auth"]["users"] = [
            {"user_id": user.user_id, "secret_key": MASK, "instance": user.instance,
             "origin": "run_time" if user.user_id not in configured else "configured" if settings.users
             else "default"}
            for user in sorted(self.marketo.authenticator.users.values(),
                               key=lambda user: user.user_id not in configured)]
        config["control"]["token_required"] = bool(settings.control_token)
        return config

    def get_config(self, request: Request):
        self._args(request, ())
        return 200, self._config_json()

    def put_config(self, request: Request):
        self._args(request, ())
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
        if "instance" in request.args:
            raise ControlError(400, 'POST /_mock/instances creates an instance: name it in the body, '
                                    '{"instance": "NAME"}, not with ?instance=')
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
