"""The web console: server-rendered pages of one instance's state, at `/` for browsers and under
/_mock/ui/ — overview, request journal (live), leads, fault injections.

Every page reads and changes the state through the control API (console.control_client), with the
token the browser logged in with, so the console shows exactly what the control API and the pytest
helpers see. Plain HTML forms do the changes (POST, then a redirect); a little JavaScript of our own
(static/console.js) adds the live journal and copy buttons. Nothing is fetched from elsewhere.
"""

from __future__ import annotations

import json
import mimetypes
from datetime import datetime
from importlib import resources
from urllib.parse import urlencode, urlsplit

from jinja2 import Environment, PackageLoader, StrictUndefined
from werkzeug.exceptions import Forbidden, HTTPException, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.utils import redirect
from werkzeug.wrappers import Request, Response

from mockmarketo import __version__
from mockmarketo.config import DEFAULT_INSTANCE, DEFAULT_SECRET_KEY, DEFAULT_USER_ID
from mockmarketo.console.control_client import Answer, ControlClient
from mockmarketo.console.rest_equivalents import rest_equivalent
from mockmarketo.console.replay import curl_command
from mockmarketo.console.xml_view import highlight
from mockmarketo.control.api import ControlApi
from mockmarketo.control.faults import KINDS
from mockmarketo.control.journal import OUTCOMES
from mockmarketo.domain.errors import SHORT_TEXTS
from mockmarketo.domain.leads import FOREIGN_SYS_TYPES
from mockmarketo.soap.operations import EMULATED, OPERATIONS
from mockmarketo.testing import DEFAULT_VERSION

UI = "/_mock/ui"
TOKEN_COOKIE = "mockmarketo_console_token"
PAGE_SIZE = 50

# A lead's sections that other control routes fill: (element id, title, route, the route's lead filter);
# a route this server lacks shows "not available". The custom object types add one section each.
RELATED = (("activities", "Activity log", "activities", "lead"), ("lists", "List memberships", "lists", "lead"),
           ("campaign-runs", "Campaign runs", "campaign-runs", "lead"),
           ("opportunity-roles", "Opportunity roles", "mobjects/OpportunityPersonRole", "lead_id"))


class _NeedsLogin(Exception):
    """The control API answered 401: the browser has no token, or a wrong one."""


def wants_console(environ) -> bool:
    """Whether a request for `/` comes from a browser (it names text/html in Accept; curl's */* does not)."""
    accept = environ.get("HTTP_ACCEPT", "")
    return any(part.split(";")[0].strip().lower() == "text/html" for part in accept.split(","))


def _number(text: str):
    """A form field as a JSON number when it is one, else the text (the control API names the mistake)."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


def _clock(iso: str | None) -> str:
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    return moment.strftime("%H:%M:%S.") + f"{moment.microsecond // 1000:03d}"


class _Visit:
    """One browser request: its token, its instance, and the control calls made for it."""

    def __init__(self, console: Console, request: Request):
        self.console = console
        self.request = request
        self.token = request.cookies.get(TOKEN_COOKIE) or None
        self.instance = (request.values.get("instance") or "").strip() or None

    def call(self, method: str, route: str, body=None, **query) -> Answer:
        answer = self.console.client.call(method, route, token=self.token, instance=self.instance, body=body,
                                          **{key: value for key, value in query.items() if value not in ("", None)})
        if answer.status == 401:
            raise _NeedsLogin()
        return answer

    def link(self, path: str, **params) -> str:
        """A console URL keeping the instance the browser looks at."""
        query = {key: value for key, value in params.items() if value not in ("", None)}
        if self.instance:
            query["instance"] = self.instance
        return path + (f"?{urlencode(query)}" if query else "")


class Console:
    """WSGI app of the console's pages (registered by app.MockMarketoApp)."""

    def __init__(self, control: ControlApi):
        self.client = ControlClient(control)
        self.marketo = control.marketo
        self.templates = Environment(loader=PackageLoader("mockmarketo.console", "templates"), autoescape=True,
                                     undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.templates.filters.update(clock=_clock, highlight=highlight,
                                      pretty_json=lambda value: json.dumps(value, indent=2, ensure_ascii=False))
        get, post = ["GET"], ["POST"]
        self.urls = Map([
            Rule("/", endpoint="overview", methods=get),
            Rule(f"{UI}/", endpoint="overview", methods=get),
            Rule(f"{UI}/requests", endpoint="requests", methods=get),
            Rule(f"{UI}/requests/rows", endpoint="request_rows", methods=get),
            Rule(f"{UI}/requests/<int:seq>", endpoint="request_detail", methods=get),
            Rule(f"{UI}/leads", endpoint="leads", methods=get),
            Rule(f"{UI}/leads", endpoint="seed_lead", methods=post),
            Rule(f"{UI}/leads/<int:lead_id>", endpoint="lead", methods=get),
            Rule(f"{UI}/faults", endpoint="faults", methods=get),
            Rule(f"{UI}/faults", endpoint="add_fault", methods=post),
            Rule(f"{UI}/faults/<int:injection_id>/remove", endpoint="remove_fault", methods=post),
            Rule(f"{UI}/login", endpoint="login", methods=["GET", "POST"]),
            Rule(f"{UI}/logout", endpoint="logout", methods=post),
            Rule(f"{UI}/static/<name>", endpoint="static", methods=get),
        ])

    def __call__(self, environ, start_response):
        request = Request(environ)
        visit = _Visit(self, request)
        try:
            endpoint, values = self.urls.bind_to_environ(environ).match()
            if request.method == "POST" and endpoint != "login":
                self._check_origin(request)
            response = getattr(self, endpoint)(visit, **values)
        except _NeedsLogin:
            if request.path == f"{UI}/requests/rows":
                response = Response("log in again", status=401, mimetype="text/plain")
            else:
                response = redirect(f"{UI}/login?{urlencode({'next': request.full_path.rstrip('?')})}", 303)
        except HTTPException as error:
            response = error.get_response() if error.code in (301, 302, 303, 307, 308) else \
                self._page(visit, "error.html", error.code, title=error.name, message=error.description)
        except Exception as error:  # noqa: BLE001 - a page that says what broke, never a traceback
            response = Response(f"mockmarketo console: internal error ({type(error).__name__})", status=500,
                                mimetype="text/plain")
        return response(environ, start_response)

    # -- helpers -------------------------------------------------------------------------------------

    @staticmethod
    def _check_origin(request: Request) -> None:
        """A form POST must come from a page of this server (browsers send Origin on every POST)."""
        origin = request.headers.get("Origin")
        if origin and origin != "null" and urlsplit(origin).netloc != request.host:
            raise Forbidden(f"a console form was posted from {origin}, not from this server")

    def _page(self, visit: _Visit, template: str, status: int = 200, **context) -> Response:
        instances = self.client.call("GET", "instances", token=visit.token)
        context.setdefault("nav", None)
        html = self.templates.get_template(template).render(
            visit=visit, link=visit.link, ui=UI, version=__version__,
            instances=instances.data if instances.ok else [], logged_in=bool(visit.token), **context)
        return Response(html, status=status, mimetype="text/html")

    def _filters(self, visit: _Visit) -> dict[str, str]:
        args = visit.request.args
        return {name: args.get(name, "").strip() for name in ("operation", "outcome", "fault_code", "email")}

    # -- pages ---------------------------------------------------------------------------------------

    def overview(self, visit: _Visit) -> Response:
        config, limits = visit.call("GET", "config"), visit.call("GET", "limits")
        endpoint = f"{visit.request.host_url}soap/mktows/{DEFAULT_VERSION}"
        users = config.data["auth"]["users"] if config.ok else []
        if config.ok and not users:  # no user configured: the built-in default is the one that can call
            users = [{"user_id": DEFAULT_USER_ID, "secret_key": "", "instance": DEFAULT_INSTANCE}]
        builtin = self.marketo.authenticator.users.get(DEFAULT_USER_ID)
        for user in users:
            # only the built-in default key is shown: it is public anyway; configured keys stay masked
            shown = user["user_id"] == DEFAULT_USER_ID and builtin is not None and \
                builtin.secret_key == DEFAULT_SECRET_KEY
            user["shown_secret"] = DEFAULT_SECRET_KEY if shown else None
        return self._page(visit, "overview.html", nav="overview", config=config, limits=limits, users=users,
                          endpoint=endpoint, wsdl=f"{endpoint}?WSDL", emulated=EMULATED)

    def requests(self, visit: _Visit) -> Response:
        filters = self._filters(visit)
        before = visit.request.args.get("before", "").strip()
        answer = visit.call("GET", "requests", limit=PAGE_SIZE, before=before, **filters)
        entries = list(reversed(answer.data)) if answer.ok else []
        return self._page(visit, "requests.html", nav="requests", answer=answer, entries=entries, filters=filters,
                          before=before, operations=OPERATIONS, outcomes=OUTCOMES,
                          rows_url=visit.link(f"{UI}/requests/rows", **filters),
                          after=entries[0]["seq"] if entries else 0,
                          older=entries[-1]["seq"] if len(entries) == PAGE_SIZE else None,
                          rest_of=self._rest_of)

    def request_rows(self, visit: _Visit) -> Response:
        """The rows of calls newer than ?after=SEQ, newest first, for the live journal."""
        after = visit.request.args.get("after", "0")
        answer = visit.call("GET", "requests", limit=PAGE_SIZE, after=after, **self._filters(visit))
        if not answer.ok:
            return Response(answer.error, status=answer.status, mimetype="text/plain")
        entries = list(reversed(answer.data))
        html = self.templates.get_template("request_rows.html").render(
            entries=entries, link=visit.link, ui=UI, rest_of=self._rest_of)
        response = Response(html, mimetype="text/html")
        response.headers["X-Last-Seq"] = str(entries[0]["seq"] if entries else after)
        response.headers["Cache-Control"] = "no-store"
        return response

    @staticmethod
    def _rest_of(entry: dict):
        return rest_equivalent(entry.get("operation"), entry.get("params"))

    def request_detail(self, visit: _Visit, seq: int) -> Response:
        answer = visit.call("GET", "requests", after=seq - 1, before=seq + 1)
        if answer.ok and not answer.data:
            raise NotFound(f"Call {seq} is not in this instance's journal (it was cleared, or newer calls "
                           "pushed it out).")
        entry = answer.data[0] if answer.ok else None
        return self._page(visit, "request.html", nav="requests", answer=answer, entry=entry, seq=seq,
                          rest=self._rest_of(entry) if entry else None,
                          curl=curl_command(entry, visit.request.host_url) if entry else "")

    def leads(self, visit: _Visit, form_error: str | None = None, status: int = 200) -> Response:
        args = visit.request.args
        query, by = args.get("q", "").strip(), args.get("by", "auto")
        if query:
            if by == "auto":
                by = "id" if query.isdigit() else "email" if "@" in query else "foreign_sys_person_id"
            answer = visit.call("GET", "leads", limit=PAGE_SIZE, **{by: query})
        else:
            answer = visit.call("GET", "leads", limit=PAGE_SIZE, after=args.get("after", "").strip())
        found = answer.data if answer.ok else []
        config = visit.call("GET", "config")
        partitions = [p for w in config.data["workspaces"]["list"] for p in w["partitions"]] if config.ok else []
        return self._page(visit, "leads.html", status, nav="leads", answer=answer, leads=found, query=query,
                          by=args.get("by", "auto"),
                          more=found[-1]["id"] if len(found) == PAGE_SIZE and not query else None,
                          form=visit.request.form, form_error=form_error, partitions=partitions,
                          foreign_types=FOREIGN_SYS_TYPES)

    def seed_lead(self, visit: _Visit) -> Response:
        form = visit.request.form
        lead: dict = {}
        for key in ("email", "foreign_sys_person_id", "foreign_sys_type", "partition"):
            if form.get(key, "").strip():
                lead[key] = form[key].strip()
        if form.get("cookie", "").strip():
            lead["cookies"] = [form["cookie"].strip()]
        attributes = {name: form[key].strip() for key, name in (("first_name", "FirstName"),
                                                                 ("last_name", "LastName"))
                      if form.get(key, "").strip()}
        if form.get("attributes", "").strip():
            try:
                extra = json.loads(form["attributes"])
            except ValueError as error:
                return self.leads(visit, f"attributes: not a JSON object ({error})", 400)
            if not isinstance(extra, dict):
                return self.leads(visit, "attributes: expected a JSON object of field names and values", 400)
            attributes.update(extra)
        if attributes:
            lead["attributes"] = attributes
        if "foreign_sys_person_id" not in lead:
            lead.pop("foreign_sys_type", None)
        answer = visit.call("POST", "leads", body=lead)
        if not answer.ok:
            return self.leads(visit, answer.error, answer.status)
        return redirect(visit.link(f"{UI}/leads/{answer.data['id']}", seeded=1), 303)

    def lead(self, visit: _Visit, lead_id: int) -> Response:
        answer = visit.call("GET", "leads", id=lead_id)
        if answer.ok and not answer.data:
            raise NotFound(f"This instance has no lead {lead_id}.")
        lead = answer.data[0] if answer.ok else None
        related = []
        if lead is not None:
            for key, title, route, lead_filter in (*RELATED, *self._custom_object_sections(visit)):
                found = visit.call("GET", route, **{lead_filter: lead_id})
                related.append({"key": key, "title": title, "route": route, "answer": found,
                                "available": found.status not in (404, 405)})
        calls = visit.call("GET", "requests", email=lead["email"], limit=10) if lead and lead["email"] else None
        return self._page(visit, "lead.html", nav="leads", answer=answer, lead=lead, related=related,
                          calls=list(reversed(calls.data)) if calls is not None and calls.ok else [],
                          seeded=visit.request.args.get("seeded"))

    @staticmethod
    def _custom_object_sections(visit: _Visit) -> list[tuple[str, str, str, str]]:
        """A lead page section for each configured custom object type (the run-time config names them)."""
        config = visit.call("GET", "config")
        names = [object_type["name"] for object_type in config.data.get("custom_objects", [])] if config.ok else []
        return [(f"custom-objects-{name}", f"Custom objects: {name}", f"custom-objects/{name}", "lead_id")
                for name in names]

    def faults(self, visit: _Visit, form_error: str | None = None, status: int = 200) -> Response:
        answer = visit.call("GET", "faults")
        return self._page(visit, "faults.html", status, nav="faults", answer=answer,
                          injections=answer.data if answer.ok else [], operations=OPERATIONS, kinds=KINDS,
                          codes=sorted(SHORT_TEXTS.items()), form=visit.request.form, form_error=form_error,
                          added=visit.request.args.get("added"), removed=visit.request.args.get("removed"))

    def add_fault(self, visit: _Visit) -> Response:
        form = visit.request.form
        kind = form.get("kind", "fault")
        injection: dict = {"kind": kind}
        if form.get("operation"):
            injection["operation"] = form["operation"]
        if kind == "fault":
            injection["code"] = _number(form.get("code", ""))
            if form.get("message", "").strip():
                injection["message"] = form["message"].strip()
        for key in ("times", "probability", "seed", "delay_ms"):
            if form.get(key, "").strip():
                injection[key] = _number(form[key].strip())
        answer = visit.call("POST", "faults", body=injection)
        if not answer.ok:
            return self.faults(visit, answer.error, answer.status)
        return redirect(visit.link(f"{UI}/faults", added=answer.data["id"]), 303)

    def remove_fault(self, visit: _Visit, injection_id: int) -> Response:
        answer = visit.call("DELETE", "faults", id=injection_id)
        if not answer.ok:
            return self.faults(visit, answer.error, answer.status)
        return redirect(visit.link(f"{UI}/faults", removed=injection_id), 303)

    # -- the token -----------------------------------------------------------------------------------

    def login(self, visit: _Visit) -> Response:
        request = visit.request
        target = request.values.get("next", f"{UI}/")
        if not target.startswith("/") or target.startswith("//"):
            target = f"{UI}/"  # never a redirect to another site
        error = None
        if request.method == "POST":
            token = request.form.get("token", "")
            if self.client.call("GET", "instances", token=token).ok:
                response = redirect(target, 303)
                response.set_cookie(TOKEN_COOKIE, token, httponly=True, samesite="Strict", path="/",
                                    secure=request.scheme == "https")
                return response
            error = "That is not the control token of this server."
        token_required = bool(self.marketo.settings.control_token)
        html = self.templates.get_template("login.html").render(
            ui=UI, version=__version__, target=target, error=error, token_required=token_required)
        return Response(html, status=401 if error else 200, mimetype="text/html")

    def logout(self, visit: _Visit) -> Response:
        response = redirect(f"{UI}/login", 303)
        response.delete_cookie(TOKEN_COOKIE, path="/")
        return response

    def static(self, visit: _Visit, name: str) -> Response:
        if name not in ("console.css", "console.js"):
            raise NotFound()
        data = resources.files("mockmarketo.console").joinpath("static", name).read_bytes()
        response = Response(data, mimetype=mimetypes.guess_type(name)[0])
        response.headers["Cache-Control"] = "no-cache"
        return response
