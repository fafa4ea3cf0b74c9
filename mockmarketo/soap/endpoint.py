"""The SOAP endpoint as a WSGI application: request guards, spyne dispatch, and the WSDL.

Guards run before spyne so that no request can reach it in a form it mishandles (facts and
spyne-notes §9): an empty body, a body over the size limit, a multipart body (SOAP with attachments:
Marketo's API takes none, and spyne's MIME code fails on odd parts), a body that does not decode in
its encoding, and any DOCTYPE (spyne would silently truncate entity references) are answered with a
Marketo fault here. A body in another encoding than UTF-8 (a BOM, else the Content-Type charset, else
the XML declaration says which, as XML's rules have it) is handed on as UTF-8, so the DOCTYPE check
sees the text whatever its encoding.
"""

from __future__ import annotations

import codecs
import io
import logging
import re

import spyne.const
from spyne import Application
from spyne.server.wsgi import WsgiApplication
from werkzeug.http import parse_options_header

from mockmarketo.domain.errors import MarketoError
from mockmarketo.marketo import Marketo
from mockmarketo.request_body import BodyTooLarge, read_body
from mockmarketo.soap.dispatch import CompiledDispatch, SoapAnswer, fault_answer
from mockmarketo.soap.faults import CONTENT_TYPE, DIAGNOSTICS, internal_error
from mockmarketo.soap.models import NS
from mockmarketo.soap.protocol import MarketoSoap11
from mockmarketo.soap.service import services
from mockmarketo.soap.wsdl import wsdl_for

_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_DECLARED_ENCODING = re.compile(rb"""^\s*<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']""")
_DECLARATION = re.compile(r"""^<\?xml[^>]*\?>""")
_UTF8 = codecs.lookup("utf-8").name
_XML_HEADERS = [("Content-Type", CONTENT_TYPE)]

# spyne logs every fault with a traceback, and malformed requests with their whole body (which may
# hold a signature); mockmarketo reports errors to the caller instead.
for _name in ("spyne", "spyne.application", "spyne.protocol", "spyne.server"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)

# spyne runs a full gc.collect() when a request closes, at most once a second, to release uploaded
# files; mockmarketo takes no file uploads, and a full collection over a large heap stalls requests.
spyne.const.MIN_GC_INTERVAL = float("inf")


def _content_type(environ) -> tuple[str, str | None]:
    """The media type (lower case) and charset parameter of the request's Content-Type."""
    media_type, options = parse_options_header(environ.get("CONTENT_TYPE") or "text/xml")
    return media_type.lower(), options.get("charset")


def _as_utf8(body: bytes, charset: str | None) -> bytes:
    """The body as UTF-8 bytes, or MarketoError 20012 when its encoding is unknown or it does not decode."""
    encoding, start = None, 0
    for bom, name in _BOMS:
        if body.startswith(bom):
            encoding, start = name, len(bom)
            break
    declared = _DECLARED_ENCODING.match(body)
    declared_name = declared.group(1).decode("ascii") if declared else None
    if encoding is None:
        encoding = charset or declared_name or "utf-8"
    try:
        codec = codecs.lookup(encoding)
    except LookupError:
        raise MarketoError(20012, f"Request encoding {encoding!r} is not known") from None
    try:
        text = body[start:].decode(codec.name)
    except UnicodeDecodeError as error:
        raise MarketoError(20012, f"Request body is not valid {encoding}: byte {error.start} "
                                  f"cannot be decoded") from None
    declares_utf8 = declared_name is None or declared_name.lower().replace("_", "-") in ("utf-8", "utf8")
    if codec.name == _UTF8 and start == 0 and declares_utf8:
        return body
    # the declaration would name the old encoding; lxml reads the UTF-8 bytes without one
    return _DECLARATION.sub("", text.lstrip(), count=1).encode("utf-8")


class SoapEndpoint:
    """The endpoint's two halves, used by control.calls.SoapCalls: `read_body` (the guards) and `answer`
    (the compiled path of soap.dispatch, else spyne's); and the WSDL for GET ?WSDL."""

    def __init__(self, marketo: Marketo):
        self.marketo = marketo
        self.max_request_bytes = marketo.settings.max_request_bytes
        application = Application(services(), tns=NS, name="mktows",
                                  in_protocol=MarketoSoap11(), out_protocol=MarketoSoap11())
        application.marketo = marketo
        self._spyne = WsgiApplication(application, max_content_length=self.max_request_bytes)
        self._protocol = application.in_protocol
        self.dispatch = CompiledDispatch(self._spyne)
        self.compiled = True  # False: every call takes spyne's full path (the differential test, bench)

    def address(self, environ, endpoint_url: str) -> str:
        """The SOAP address the WSDL advertises: the URL the client used, or `public_url` when configured."""
        public = self.marketo.settings.public_url
        return public.rstrip("/") + environ.get("PATH_INFO", "") if public else endpoint_url

    def wsdl(self, start_response, address: str):
        body = wsdl_for(address)
        start_response("200 OK", [*_XML_HEADERS, ("Content-Length", str(len(body)))])
        return [body]

    def read_body(self, environ) -> bytes:
        """The request body, or MarketoError 20012 when it is too large or empty."""
        try:
            body = read_body(environ, self.max_request_bytes)
        except BodyTooLarge:
            raise MarketoError(20012, f"Request body is larger than {self.max_request_bytes} bytes") from None
        if not body.strip():
            raise MarketoError(20012, "Request body is empty")
        media_type, charset = _content_type(environ)
        if media_type.startswith("multipart/"):
            raise MarketoError(20012, f"Request must be a SOAP envelope, not a {media_type} message")
        body = _as_utf8(body, charset)
        if _DOCTYPE.search(body):
            raise MarketoError(20012, "Request must not contain a DOCTYPE (SOAP 1.1 forbids DTDs)")
        return body

    def parse(self, body: bytes):
        """The envelope of a checked request body, parsed once for routing, dispatch and the journal;
        None when it is not well-formed XML (spyne's path answers that)."""
        return self._protocol.parse(body)

    def answer(self, body: bytes, document=None, diagnostics: dict | None = None) -> SoapAnswer:
        """The answer to a checked request body (and its parsed `document`, if the caller has it);
        never raises. The reason of a fault is in the answer's error, or noted in `diagnostics` (a dict,
        see soap.faults.DIAGNOSTICS) when spyne's path answered."""
        try:
            if document is None:
                document = self.parse(body)
            found = self.dispatch.answer(body, document) if self.compiled else None
            return found if found is not None else self._spyne_answer(body, diagnostics)
        except Exception as raised:  # noqa: BLE001 - the client gets a fault, never a traceback
            return fault_answer(internal_error(raised))

    def _spyne_answer(self, body: bytes, diagnostics: dict | None) -> SoapAnswer:
        """spyne's full path: parse, decode, call, encode (the reason of a fault noted in `diagnostics`)."""
        environ = {"REQUEST_METHOD": "POST", "PATH_INFO": "/", "QUERY_STRING": "", "SERVER_NAME": "localhost",
                   "SERVER_PORT": "80", "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
                   "CONTENT_LENGTH": str(len(body)),
                   "CONTENT_TYPE": "text/xml; charset=utf-8"}  # read_body made the body UTF-8
        if diagnostics is not None:
            environ[DIAGNOSTICS] = diagnostics
        started = []
        chunks = list(self._spyne(environ, lambda status, headers, exc_info=None: started.append((status, headers))))
        status, headers = started[0]
        return SoapAnswer(status, b"".join(chunks), headers=list(headers))
