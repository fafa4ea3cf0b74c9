"""SoapCalls: the SOAP endpoint as the test double runs it. For each call it finds the caller's
instance (from mktowsUserId; the default instance for unknown or unreadable callers), counts the call
against the instance's limits, answers an injected fault if one fires, else dispatches to the
endpoint, and writes the call to the instance's journal. Only a call whose signature checks counts
against limits and fires injections: a call naming someone else's user id is journaled there, but
cannot spend that instance's quota or its injected faults."""

from __future__ import annotations

import time
from contextlib import nullcontext
from datetime import datetime, timezone

from mockmarketo import access_log
from mockmarketo.control.api import MASK
from mockmarketo.control.faults import DropConnection, Injection
from mockmarketo.control.instances import Instances
from mockmarketo.control.journal import JournalEntry
from mockmarketo.control.journal_budget import release_memory
from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap.dispatch import SoapAnswer, fault_answer
from mockmarketo.soap.endpoint import SoapEndpoint
from mockmarketo.soap.faults import CONTENT_TYPE, DIAGNOSTICS, note_reason, truncated_success
from mockmarketo.soap.summary import RequestSummary, summarize_envelope, summarize_response

HTTP500_BODY = b"Internal Server Error\n"
# HTTP credentials a client may send to a proxy in front of Marketo: the journal names them, never their values
_MASKED_HEADERS = ("Authorization", "Proxy-Authorization")


# A journal entry keeps at most this much of each raw message, so that 1,000 entries of 2 MiB requests
# cannot hold gigabytes; its other texts are cut shorter (control.journal_budget).
JOURNAL_XML_BYTES = 64 * 1024


def request_headers(environ) -> dict[str, str]:
    """The HTTP headers of a WSGI request as a client sent them (credentials masked)."""
    headers = {"Content-Type": environ.get("CONTENT_TYPE"), "Content-Length": environ.get("CONTENT_LENGTH")}
    headers.update((key[5:].replace("_", "-").title(), value) for key, value in environ.items()
                   if key.startswith("HTTP_"))
    return {name: MASK if name in _MASKED_HEADERS else value
            for name, value in headers.items() if value not in (None, "")}


def _decode(body: bytes | None) -> str | None:
    if body is None:
        return None
    if len(body) <= JOURNAL_XML_BYTES:
        return body.decode("utf-8", "replace")
    kept = body[:JOURNAL_XML_BYTES].decode("utf-8", "ignore")
    return f"{kept}... [{len(body) - JOURNAL_XML_BYTES} more bytes not kept]"


class _Answer:
    """A response in the making: status, headers and body, handed to start_response at the end; and
    what the journal takes from it (the fault answered, the sync statuses, the lead ids) when the call knows them."""

    def __init__(self):
        self.status = "500 Internal Server Error"
        self.headers: list = []
        self.body = b""
        self.error: MarketoError | None = None
        self.statuses: list[str] | None = None
        self.lead_ids: list[int] | None = None

    def set(self, status: str, content_type: str, body: bytes) -> None:
        self.status, self.body = status, body
        self.headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]

    def take(self, answer: SoapAnswer) -> None:
        self.status, self.headers, self.body = answer.status, answer.headers, answer.body
        self.error, self.statuses, self.lead_ids = answer.error, answer.statuses, answer.lead_ids

    @property
    def code(self) -> int:
        return int(self.status.split(" ", 1)[0])


class SoapCalls:
    """WSGI app for SOAP POSTs: limits, injected faults and the journal around a SoapEndpoint."""

    def __init__(self, endpoint: SoapEndpoint, instances: Instances):
        self.endpoint = endpoint
        self.instances = instances

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        at = datetime.fromtimestamp(self.instances.clock(), timezone.utc)
        answer: _Answer | None = _Answer()
        injection = None
        document = None
        diagnostics = environ[DIAGNOSTICS] = {}
        try:
            body = self.endpoint.read_body(environ)
        except MarketoError as error:
            body = None
            answer.take(fault_answer(error))
        if body is not None:
            # parsed once: routing, the journal's summary and the call itself read this tree
            document = self.endpoint.parse(body)
            request = summarize_envelope(document, now=len(body) > JOURNAL_XML_BYTES)
        else:
            request = RequestSummary()
        state, _known_user = self.instances.of_user(request.user_id)
        try:
            if body is not None:
                authenticated = self._authenticated(request)
                with state.limiter.call() if authenticated else nullcontext():
                    injection = state.faults.pick(request.operation) if authenticated else None
                    self._answer(environ, body, document, request, injection, answer)
        except MarketoError as error:
            note_reason(environ, error)
            answer.take(fault_answer(error))
        except DropConnection:
            answer = None
            raise
        finally:
            entry = self._entry(at, started, request, body, answer, injection, diagnostics.get("reason"))
            entry.path, entry.request_headers = environ.get("PATH_INFO"), request_headers(environ)
            state.journal.add(entry)
            access_log.soap_call(state.name, entry)
            if body is not None:
                release_memory(len(body))  # a request of megabytes leaves as much behind in the heap
        start_response(answer.status, answer.headers)
        return [answer.body]

    def _authenticated(self, request: RequestSummary) -> bool:
        """Whether the request's AuthenticationHeader checks (the operation checks it again, and answers)."""
        try:
            self.endpoint.marketo.authenticate(request.user_id, request.signature, request.timestamp)
        except MarketoError:
            return False
        return True

    def _answer(self, environ, body: bytes, document, request: RequestSummary, injection: Injection | None,
                answer: _Answer) -> None:
        if injection is not None and injection.delay_ms:
            time.sleep(injection.delay_ms / 1000)
        kind = injection.kind if injection is not None else None
        if kind == "fault":
            answer.take(fault_answer(injection.error))
        elif kind == "http500":
            answer.set("500 Internal Server Error", "text/plain; charset=utf-8", HTTP500_BODY)
        elif kind == "malformed":
            answer.set("200 OK", CONTENT_TYPE, truncated_success(request.operation))
        elif kind == "drop":
            raise DropConnection(f"injection {injection.id}: drop the connection")
        else:  # no injection, or a delay only: the call runs
            answer.take(self.endpoint.answer(body, document, environ[DIAGNOSTICS]))
            if answer.error is not None:
                note_reason(environ, answer.error)

    @staticmethod
    def _entry(at: datetime, started: float, request: RequestSummary, body: bytes | None,
               answer: _Answer | None, injection: Injection | None, reason: str | None) -> JournalEntry:
        kind = injection.kind if injection is not None else None
        if answer is None:
            outcome = "drop"
        elif kind in ("http500", "malformed"):
            outcome = kind
        else:
            outcome = "success" if answer.code == 200 else "fault"
        statuses, lead_ids, fault_code, fault_message = [], [], None, None
        if outcome in ("success", "fault"):
            # from the call's outcome; the response is parsed only when spyne's path answered
            if answer.error is not None:
                fault_code, fault_message = answer.error.code, answer.error.message
            elif answer.statuses is not None and answer.lead_ids is not None:
                statuses, lead_ids = answer.statuses, answer.lead_ids
            else:
                response = summarize_response(answer.body)
                statuses, lead_ids = response.statuses, response.lead_ids
                fault_code, fault_message = response.fault_code, response.fault_message
        return JournalEntry(
            time=at, operation=request.operation, user_id=request.user_id, workspace=request.workspace,
            params=request.params, emails=request.emails, outcome=outcome, http_status=answer.code if answer is not None else None,
            statuses=statuses, lead_ids=lead_ids, fault_code=fault_code, fault_message=fault_message,
            reason=reason, injection=injection.id if injection is not None else None,
            duration_ms=(time.perf_counter() - started) * 1000,
            request_xml=_decode(body), response_xml=_decode(answer.body) if answer is not None else None,
            response_headers=dict(answer.headers) if answer is not None else {})
