"""One SOAP call on the compiled path: the parsed envelope decoded by soap.codec, spyne's own service
function called through its descriptor's call_wrapper (as spyne's Application.process_request does),
and the result encoded by soap.codec, or the fault rendered by soap.faults.

`CompiledDispatch.answer` returns None when the compiled codecs do not take the request: the endpoint
then runs spyne's full path, which decodes, calls and encodes as it always did. A result the compiled
encoder does not take is encoded by spyne's serializer instead (the function is never called twice).

With `CHECK` on (the test suite turns it on: tests/conftest.py), every call is also decoded and encoded
by spyne, and any difference between the two paths is recorded in `MISMATCHES`.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from spyne import Fault, MethodContext
from spyne.descriptor import BODY_STYLE_BARE, BODY_STYLE_EMPTY
from spyne.protocol import ProtocolBase

from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap.codec import Codecs, DecodedCall, Unhandled
from mockmarketo.soap.faults import CONTENT_TYPE, HTTP_STATUS, fault_xml, internal_error, marketo_error_for
from mockmarketo.soap.summary import summarize_response

HTTP_OK = "200 OK"

# the differential check (tests only): decode and encode every compiled call by spyne too
CHECK = False
MISMATCHES: list[str] = []


@dataclass
class SoapAnswer:
    """An answer to a SOAP call, and what the journal needs to know of it."""

    status: str
    body: bytes
    error: MarketoError | None = None  # the fault answered, if any
    statuses: list[str] | None = None  # record status texts of a success; None when not known
    lead_ids: list[int] | None = None  # the leads a success names (soap.codec.Encoded.lead_ids); None when not known
    headers: list = field(default_factory=list)

    def __post_init__(self):
        if not self.headers:
            self.headers = [("Content-Type", CONTENT_TYPE), ("Content-Length", str(len(self.body)))]


class CallContext:
    """What the operations read of spyne's MethodContext (it costs ~25 µs to make one)."""

    __slots__ = ("app", "descriptor", "function", "service_class", "in_header", "in_object",
                 "in_header_doc", "in_body_doc", "in_document", "method_request_string", "udc")

    def __init__(self, app, call: DecodedCall, document):
        descriptor = call.operation.descriptor
        self.app = app
        self.descriptor = descriptor
        self.function = descriptor.function
        self.service_class = descriptor.service_class
        self.in_header = call.in_header
        self.in_header_doc = call.header_doc
        self.in_body_doc = call.body_doc
        self.in_document = document
        self.method_request_string = call.body_doc.tag
        self.udc = None
        in_object = call.in_object
        if descriptor.body_style is BODY_STYLE_BARE:
            in_object = [in_object]
        elif descriptor.body_style is BODY_STYLE_EMPTY:
            in_object = []
        self.in_object = in_object


def fault_answer(error: MarketoError) -> SoapAnswer:
    return SoapAnswer(HTTP_STATUS, fault_xml(error), error=error)


class CompiledDispatch:
    def __init__(self, server):
        """`server`: the spyne WsgiApplication whose Application this dispatches for."""
        self._server = server
        self._application = server.app
        self.codecs = Codecs(server.app)
        self.stats: Counter = Counter()  # compiled, spyne (decoded by spyne), spyne-encoded

    def answer(self, body: bytes, document) -> SoapAnswer | None:
        """The answer to a checked, parsed request, or None when spyne's path must take it."""
        if document is None:
            self.stats["spyne"] += 1
            return None
        try:
            call = self.codecs.decode(document)
        except Unhandled:
            self.stats["spyne"] += 1
            return None
        spyne_ctx = self.check_decode(body, call) if CHECK else None
        ctx = CallContext(self._application, call, document)
        try:
            result = call.operation.descriptor.service_class.call_wrapper(ctx)
        except Exception as error:  # noqa: BLE001 - spyne's process_request turns any of them into a fault
            self.stats["compiled"] += 1
            return fault_answer(marketo_error_for(error) if isinstance(error, Fault) else internal_error(error))
        try:
            encoded = self.codecs.encode(call, result)
        except Unhandled:
            self.stats["spyne-encoded"] += 1
            return self._spyne_encode(call, result)
        self.stats["compiled"] += 1
        if spyne_ctx is not None:
            self.check_encode(spyne_ctx, result, encoded)
        return SoapAnswer(HTTP_OK, encoded.body, statuses=encoded.statuses, lead_ids=encoded.lead_ids)

    def spyne_context(self, descriptor):
        ctx = MethodContext(self._server, MethodContext.SERVER)
        ctx.descriptor = descriptor
        return ctx

    def _spyne_encode(self, call: DecodedCall, result) -> SoapAnswer:
        ctx = self.spyne_context(call.operation.descriptor)
        try:
            body = self._spyne_body(ctx, result)
        except Exception:  # noqa: BLE001 - as spyne's WSGI server: an unwritable result is a Server fault
            return fault_answer(marketo_error_for(Fault("Server")))
        return SoapAnswer(HTTP_OK, body)

    def _spyne_body(self, ctx, result) -> bytes:
        protocol = self._application.out_protocol
        ctx.out_object = [result]
        ctx.out_error = None
        protocol.serialize(ctx, ProtocolBase.RESPONSE)
        protocol.create_out_string(ctx)
        return b"".join(ctx.out_string)

    # -- the differential check (CHECK) --------------------------------------------------------------

    def check_decode(self, body: bytes, call: DecodedCall):
        """Decode `body` by spyne too and record any difference from `call`; spyne's context, or None."""
        ctx = MethodContext(self._server, MethodContext.SERVER)
        ctx.in_string = [body]
        contexts = self._server.generate_contexts(ctx)
        spyne_ctx = contexts[0]
        if spyne_ctx.in_error is None:
            self._server.get_in_object(spyne_ctx)
        if spyne_ctx.in_error is not None:
            MISMATCHES.append(f"compiled decoder took a request spyne refuses ({spyne_ctx.in_error}): {body[:2000]!r}")
            return None
        if spyne_ctx.descriptor is not call.operation.descriptor:
            MISMATCHES.append(f"compiled decoder chose another operation: {body[:2000]!r}")
            return None
        for what, spyne_value, compiled_value in (("header", spyne_ctx.in_header, call.in_header),
                                                  ("body", spyne_ctx.in_object, call.in_object)):
            difference = difference_between(spyne_value, compiled_value)
            if difference:
                MISMATCHES.append(f"decoded {what} differs at {difference}: {body[:2000]!r}")
        return spyne_ctx

    def check_encode(self, spyne_ctx, result, encoded) -> None:
        """Encode `result` by spyne too (in its context) and record any difference from `encoded`, whose
        statuses and lead ids must be those the journal would read in the body."""
        compiled = encoded.body
        try:
            expected = self._spyne_body(spyne_ctx, result)
        except Exception as error:  # noqa: BLE001
            MISMATCHES.append(f"spyne could not encode what the compiled encoder wrote ({error!r}): {compiled!r}")
            return
        if expected != compiled:
            MISMATCHES.append(f"encoded answers differ:\nspyne    {expected!r}\ncompiled {compiled!r}")
            return
        read = summarize_response(compiled)
        if (read.statuses, read.lead_ids) != (encoded.statuses, encoded.lead_ids):
            MISMATCHES.append(f"noted statuses and lead ids differ: {encoded.statuses} {encoded.lead_ids} noted, "
                              f"{read.statuses} {read.lead_ids} in the body {compiled!r}")


def difference_between(a, b, path: str = "") -> str | None:
    """Where two decoded values differ (type, member, list item or value), or None when they are the same."""
    if type(a) is not type(b):
        return f"{path or '.'}: {type(a).__name__} != {type(b).__name__}"
    if isinstance(a, (list, tuple)):
        if len(a) != len(b):
            return f"{path}: {len(a)} items != {len(b)}"
        for index, (x, y) in enumerate(zip(a, b)):
            found = difference_between(x, y, f"{path}[{index}]")
            if found:
                return found
        return None
    if hasattr(a, "__dict__") and not isinstance(a, type):
        if a.__dict__.keys() != b.__dict__.keys():
            return f"{path}: members {sorted(a.__dict__)} != {sorted(b.__dict__)}"
        for key in a.__dict__:
            found = difference_between(a.__dict__[key], b.__dict__[key], f"{path}.{key}")
            if found:
                return found
        return None
    if a != b or repr(a) != repr(b):
        return f"{path}: {a!r} != {b!r}"
    return None

