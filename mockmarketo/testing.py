"""A Python client of mockmarketo's control API (`/_mock/`), for tests in pytest or anywhere else.

    from mockmarketo.testing import MockMarketo
    mock = MockMarketo("http://127.0.0.1:8080")          # a running server
    marketo = mock.new_instance()                         # fresh, isolated leads/journal/faults
    marketo.seed({"email": "ann@example.com", "attributes": {"FirstName": "Ann"}})
    marketo.seed_activity(email="ann@example.com", type="Visit Webpage", asset_name="Pricing")
    ... point the code under test at marketo.endpoint with marketo.user_id / marketo.secret_key ...
    assert marketo.lead(email="ann@example.com")["attributes"]["LastName"] == "Lee"
    assert [r["operation"] for r in marketo.requests()] == ["syncLead"]
    marketo.fail_next(20023)                              # the next call answers fault 20023

Signing calls in a test: `marketo.auth_header()` is a fresh, signed AuthenticationHeader (its `.values`
for a SOAP library, its `.xml` for a hand-written envelope), and `marketo.zeep_client()` a zeep client
whose calls are signed for you.

It uses only the standard library (zeep only for `zeep_client()`), so it adds nothing to a project's
dependencies.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any
from xml.sax.saxutils import escape

from mockmarketo.domain.auth import sign

DEFAULT_VERSION = "2_9"
MKTOWS_NAMESPACE = "http://www.marketo.com/mktows/"
_SOAP_HEADER = "{http://schemas.xmlsoap.org/soap/envelope/}Header"


class ControlApiError(RuntimeError):
    """The control API answered an error status."""

    def __init__(self, status: int, message: str):
        super().__init__(f"HTTP {status}: {message}")
        self.status = status
        self.message = message


class ServerUnreachable(ControlApiError):
    """No answer at all: the connection was refused or dropped, the host is unknown, or it timed out."""

    def __init__(self, base_url: str, reason: str):
        RuntimeError.__init__(self, f"cannot reach mockmarketo at {base_url}: {reason}")
        self.status = None
        self.message = str(self)


TOKEN_HINT = ("give the server's control token: MOCKMARKETO_CONTROL_TOKEN for the pytest plugin, "
              "MockMarketo(url, token=...) otherwise")


class MockMarketo:
    """A mockmarketo server, reached over HTTP."""

    def __init__(self, base_url: str, token: str | None = None, timeout: float = 30.0):
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def request(self, method: str, path: str, body: Any = None, **query) -> Any:
        """Call a control route; answers the decoded JSON (None for an empty body)."""
        params = {k: v for k, v in query.items() if v is not None}
        url = f"{self.base_url}{path}" + (f"?{urllib.parse.urlencode(params)}" if params else "")
        data = None if body is None else json.dumps(body).encode("utf-8")
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                payload = response.read()
        except urllib.error.HTTPError as err:
            payload = err.read()
            try:
                message = json.loads(payload).get("error", payload.decode("utf-8", "replace"))
            except (ValueError, AttributeError):
                message = payload.decode("utf-8", "replace")
            if err.code == 401:
                message = f"{message} ({TOKEN_HINT})"
            raise ControlApiError(err.code, message) from None
        except (urllib.error.URLError, OSError) as err:
            raise ServerUnreachable(self.base_url, str(getattr(err, "reason", None) or err)) from None
        return json.loads(payload) if payload else None

    def health(self) -> dict:
        return self.request("GET", "/health")

    def new_instance(self) -> MarketoInstance:
        """A fresh instance with its own credentials, leads, journal, faults and limit counters."""
        created = self.request("POST", "/_mock/instances")
        return MarketoInstance(self, created["instance"], created["user_id"], created["secret_key"])

    def instance(self, name: str, user_id: str, secret_key: str) -> MarketoInstance:
        """An existing instance, e.g. one named in the server's config."""
        return MarketoInstance(self, name, user_id, secret_key)


@dataclass(frozen=True)
class AuthHeader:
    """A signed AuthenticationHeader: the lower-case hex HMAC-SHA1 of requestTimestamp + mktowsUserId
    with the secret key, as Marketo's clients compute it."""

    user_id: str
    signature: str
    timestamp: str

    @property
    def values(self) -> dict[str, str]:
        """The header's fields by their WSDL names, e.g. zeep's
        `_soapheaders={"authentication": header.values}`."""
        return {"mktowsUserId": self.user_id, "requestSignature": self.signature,
                "requestTimestamp": self.timestamp}

    @property
    def xml(self) -> str:
        """The header element, ready to put in a SOAP envelope's `<SOAP-ENV:Header>`."""
        fields = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in self.values.items())
        return f'<ns1:AuthenticationHeader xmlns:ns1="{MKTOWS_NAMESPACE}">{fields}</ns1:AuthenticationHeader>'

    def element(self):
        """The header as an lxml element (zeep's `_soapheaders=[...]`, or any lxml-based client)."""
        from lxml import etree

        return etree.fromstring(self.xml)


@dataclass
class MarketoInstance:
    """One isolated Marketo on a mockmarketo server, with helpers to seed, inspect and break it."""

    server: MockMarketo
    name: str
    user_id: str
    secret_key: str
    version: str = DEFAULT_VERSION
    _config_before: dict = field(default_factory=dict, repr=False)

    @property
    def endpoint(self) -> str:
        return f"{self.server.base_url}/soap/mktows/{self.version}"

    @property
    def wsdl_url(self) -> str:
        return f"{self.endpoint}?WSDL"

    # signing SOAP calls
    def auth_header(self, timestamp: str | None = None) -> AuthHeader:
        """A signed AuthenticationHeader for this instance's user, for `timestamp` (default: now, in UTC,
        ISO 8601). A header is valid for `auth.max_clock_skew_seconds` (15 minutes): sign each call."""
        timestamp = timestamp or datetime.now(timezone.utc).isoformat(timespec="seconds")
        return AuthHeader(self.user_id, sign(self.secret_key, timestamp, self.user_id), timestamp)

    def zeep_client(self, **options):
        """A zeep Client of this instance's WSDL (zeep must be installed): `client.service.syncLead(...)`
        calls this instance, each call signed with a fresh AuthenticationHeader (unless the call passes
        its own in `_soapheaders`). `options` go to zeep.Client."""
        try:
            import zeep
        except ImportError:
            raise RuntimeError("zeep_client() needs zeep: pip install zeep") from None
        instance = self

        class _Signer(zeep.Plugin):
            def egress(self, envelope, http_headers, operation, binding_options):
                header = envelope.find(_SOAP_HEADER)
                if header is None:
                    header = envelope.makeelement(_SOAP_HEADER)
                    envelope.insert(0, header)
                if not any(str(child.tag).endswith("}AuthenticationHeader") for child in header):
                    header.append(instance.auth_header().element())
                return envelope, http_headers

        plugins = [*options.pop("plugins", []), _Signer()]
        return zeep.Client(self.wsdl_url, plugins=plugins, **options)

    def _call(self, method: str, route: str, body: Any = None, **query) -> Any:
        return self.server.request(method, f"/_mock/{route}", body, instance=self.name, **query)

    # state
    def reset(self) -> None:
        """Drop leads, activities, journal, injected faults and limit counters (the config stays)."""
        self._call("POST", "reset")

    def seed(self, *leads: dict, **lead) -> list[dict]:
        """Store leads given as dicts, or one lead as keywords: seed(email="a@b.c", attributes={...})."""
        batch = list(leads) + ([lead] if lead else [])
        if len(batch) == 1:
            return [self._call("POST", "leads", batch[0])]
        return self._call("POST", "leads", batch)

    def leads(self, **filters) -> list[dict]:
        """Every lead, or those matching `email`, `id` or `partition`."""
        return self._call("GET", "leads", **filters)

    def lead(self, *, email: str | None = None, id: int | None = None) -> dict | None:
        """The lead with this id, or the most recently created one with this email; None if none."""
        if email is None and id is None:
            raise TypeError("lead() needs email= or id=")
        found = self.leads(email=email, id=id)
        if not found:
            return None
        return max(found, key=lambda lead: (datetime.fromisoformat(lead["created_at"].replace("Z", "+00:00")),
                                            lead["id"]))

    # custom objects and MObjects
    def custom_objects(self, object_type: str, *, lead_id: int | None = None) -> list[dict]:
        """The records of a custom object type (of one lead), in key order:
        `[{"keys": {"MKTOID": 1000001, "rid": "r1"}, "attributes": {"city": "Paris"}, ...}]`."""
        return self._call("GET", f"custom-objects/{urllib.parse.quote(object_type)}", lead_id=lead_id)

    def seed_custom_objects(self, object_type: str, *records: dict) -> list[dict]:
        """Store records given as `{"keys": {...}, "attributes": {...}}` (checked as a syncCustomObjects
        INSERT; all or none)."""
        return self._call("POST", f"custom-objects/{urllib.parse.quote(object_type)}", list(records))

    def add_custom_object_type(self, name: str, *, dedupe_fields: list[str], fields: dict[str, str] | None = None,
                               link_field: str = "MKTOID", description: str = "") -> dict:
        """Declare a custom object type, as a `[[custom_objects]]` entry of the config file does (the config
        is server-wide: the pytest fixture removes it again when the test ends)."""
        types = self.config()["custom_objects"]
        types.append({"name": name, "description": description, "link_field": link_field,
                      "dedupe_fields": list(dedupe_fields), "fields": dict(fields or {})})
        return self.config(custom_objects=types)

    def mobjects(self, object_type: str) -> list[dict]:
        """The objects of an MObject type (`Opportunity`, `OpportunityPersonRole`), ascending id."""
        return self._call("GET", f"mobjects/{urllib.parse.quote(object_type)}")

    def seed_mobjects(self, object_type: str, *objects: dict) -> list[dict]:
        """Store MObjects given as `{"external_key": {"name": ..., "value": ...}, "attributes": {...},
        "associations": [...]}` (checked as a syncMObjects INSERT, an `id` allowed; all or none)."""
        return self._call("POST", f"mobjects/{urllib.parse.quote(object_type)}", list(objects))

    # activity log
    def activities(self, **filters) -> list[dict]:
        """The activity log, oldest first; filters: `lead` (id), `email`, `type` (display name or WSDL
        token), `since` (ISO 8601)."""
        return self._call("GET", "activities", **filters)

    def seed_activity(self, activity: dict | None = None, /, **fields) -> dict:
        """Store one activity, given as a dict or as keywords: seed_activity(email="a@b.c",
        type="Visit Webpage", asset_name="Pricing", attributes={"Webpage URL": "/pricing"}).
        `attributes` may be a dict (in order) or a list of {"name", "value"}; answers the stored activity."""
        body = {**(activity or {}), **fields}
        if isinstance(body.get("attributes"), dict):
            body["attributes"] = [{"name": name, "value": value} for name, value in body["attributes"].items()]
        return self._call("POST", "activities", body)

    def clear_activities(self) -> None:
        self._call("DELETE", "activities")

    # journal
    def requests(self, **filters) -> list[dict]:
        """The request journal, oldest first; filters: operation, email, fault_code, since."""
        return self._call("GET", "requests", **filters)

    def clear_requests(self) -> None:
        self._call("DELETE", "requests")

    # faults
    def fail_next(self, code: int | None = None, *, operation: str | None = None, times: int = 1,
                  **options) -> dict:
        """Make the next `times` calls (of `operation`, or any) fail with Marketo fault `code`, or with
        `kind="http500" | "malformed" | "drop"`, optionally after `delay_ms`; `probability` and `seed`
        make it random but repeatable."""
        injection = {"times": times, **options}
        if code is not None:
            injection["code"] = code
        if operation is not None:
            injection["operation"] = operation
        return self._call("POST", "faults", injection)

    def faults(self) -> list[dict]:
        return self._call("GET", "faults")

    def clear_faults(self) -> None:
        self._call("DELETE", "faults")

    # configuration
    def config(self, **sections) -> dict:
        """The run-time configuration; with keyword arguments (sections of the config file, e.g.
        `limits={"enabled": True, "rate_max_calls": 5}`), change those first. The configuration is the
        server's, shared by every instance: `restore_config()` (called by the pytest fixture) puts
        back what this object changed, except users (their secret keys cannot be read back)."""
        if sections:
            before = self._call("GET", "config")
            for name in sections:
                if name in before and name not in self._config_before:
                    self._config_before[name] = before[name]
            return self._call("PUT", "config", sections)
        return self._call("GET", "config")

    def restore_config(self) -> None:
        if not self._config_before:
            return
        saved = dict(self._config_before)
        if "auth" in saved:
            saved["auth"] = {k: v for k, v in saved["auth"].items() if k != "users"}
        if "control" in saved:
            saved["control"] = {k: v for k, v in saved["control"].items() if k == "journal_size"}
        self._call("PUT", "config", saved)
        self._config_before.clear()

    def delete(self) -> None:
        """Delete this instance and everything in it (instances created at run time only)."""
        self.server.request("DELETE", "/_mock/instances", instance=self.name)

    # marketing assets (the config file's keys), list members and campaign runs
    def add_program(self, **program) -> dict:
        """Add a program: add_program(name="Webinar 2026", channel="Webinar", tokens={"{{my.topic}}": "AI"})."""
        return self._call("POST", "programs", program)

    def programs(self) -> list[dict]:
        return self._call("GET", "programs")

    def add_list(self, **static_list) -> dict:
        """Add a static list: add_list(name="Newsletter", program="Webinar 2026")."""
        return self._call("POST", "lists", static_list)

    def lists(self) -> list[dict]:
        return self._call("GET", "lists")

    def add_campaign(self, **campaign) -> dict:
        """Add a smart campaign: add_campaign(name="Confirm", program="Webinar 2026", requestable=True,
        flow=[{"send_email": "Confirmation"}])."""
        return self._call("POST", "campaigns", campaign)

    def campaigns(self) -> list[dict]:
        return self._call("GET", "campaigns")

    def _list_id(self, static_list: int | str) -> int:
        if isinstance(static_list, int):
            return static_list
        for found in self.lists():
            if found["name"].lower() == static_list.lower():
                return found["id"]
        raise ControlApiError(404, f"no static list named {static_list!r}")

    def list_members(self, static_list: int | str) -> list[int]:
        """The ids of the leads in a static list (given by id or name), ascending."""
        return self._call("GET", f"lists/{self._list_id(static_list)}/members")

    def add_to_list(self, static_list: int | str, *lead_ids: int) -> list[int]:
        """Put leads in a static list (no activities are written); the ids added."""
        return self._call("POST", f"lists/{self._list_id(static_list)}/members", list(lead_ids))["added"]

    def campaign_runs(self, campaign: int | None = None, lead: int | None = None) -> list[dict]:
        """The campaign runs, oldest first, of one campaign (id) and/or one lead (id): each with
        `campaign`, `name`, `program`, `source` (request or schedule), `leads`, `tokens`, `at`, `outcome`."""
        return self._call("GET", "campaign-runs", campaign=campaign, lead=lead)

    def run_pending(self) -> dict:
        """Run every pending campaign run and list import now, whatever time it is due."""
        return self._call("POST", "run-pending")
