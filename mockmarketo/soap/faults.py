"""Marketo's SOAP fault, and the one mapping from every error (spyne's own included) to it (facts §5).

Shape: faultcode SOAP-ENV:Client (SOAP-ENV:Server for internal errors 10001/20011), faultstring
"<code> - <short text>", detail/ns1:serviceException with name, message "<long text> (<code>)" and
code; no faultactor; HTTP 500. The error table of docs/behaviour.md lists the mapping below.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from spyne import Fault

from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap.operations import NOT_EMULATED, operation_of_element
from mockmarketo.store import DatabaseUnavailable

HTTP_STATUS = "500 Internal Server Error"
CONTENT_TYPE = "text/xml; charset=utf-8"  # of every SOAP answer, success or fault
# WSGI environ key of a dict a caller may put there (control.calls does): the reason of the fault a request
# got is noted in it, for the journal and the access log; the wire never shows it
DIAGNOSTICS = "mockmarketo.diagnostics"


class MarketoFault(Fault):
    """A spyne Fault carrying a domain MarketoError through spyne's error path."""

    def __init__(self, error: MarketoError):
        super().__init__("Server" if error.is_server_error else "Client", str(error))
        self.error = error


def _resource_not_found(fault: Fault) -> MarketoError:
    # spyne: "Requested resource '{ns}paramsGetLeadActivity' not found"
    text = str(fault.faultstring)
    element = text.split("'")[1] if text.count("'") >= 2 else text
    local_name = element.rsplit("}", 1)[-1]
    operation = operation_of_element(local_name)
    if operation in NOT_EMULATED:
        return MarketoError(20019, f"Operation {operation} is not emulated by mockmarketo")
    return MarketoError(20019, f"Operation for body element {local_name!r} is not defined in the Marketo API WSDL")


def marketo_error_for(error: BaseException) -> MarketoError:
    """Translate anything raised while handling a request into the MarketoError the caller sees."""
    if isinstance(error, MarketoFault):
        return error.error
    if isinstance(error, MarketoError):
        return error
    if isinstance(error, Fault):
        code = str(error.faultcode)
        text = str(error.faultstring)
        if code.endswith("ResourceNotFound"):
            return _resource_not_found(error)
        if code.endswith("ValidationError"):
            return MarketoError(20110, f"Invalid parameter value: {text}")
        if code.endswith("RequestTooLong"):
            return MarketoError(20012, "Request body is larger than the server accepts")
        if code.startswith("Client"):
            return MarketoError(20012, f"Request not understood: {text}")
    return MarketoError(10001, "Internal error")


def internal_error(raised: BaseException) -> MarketoError:
    """Marketo's 10001 for an unexpected exception, with what was raised as its reason."""
    detail = (str(raised).splitlines() or [""])[0][:200]
    return MarketoError(10001, "Internal error", reason=f"internal error: {type(raised).__name__}"
                                                        + (f": {detail}" if detail else ""))


def note_reason(environ, error: MarketoError) -> None:
    """Note why a request got `error`, where the environ offers a place for it (see DIAGNOSTICS)."""
    notes = environ.get(DIAGNOSTICS) if environ is not None else None
    if notes is not None and error.reason:
        notes["reason"] = error.reason

def database_fault(error: DatabaseUnavailable) -> MarketoError:
    """A database that cannot serve the call (down, too slow, locked, its file gone): 20011, Marketo's
    "API service failure", a Server fault clients retry."""
    return MarketoError(20011, f"Database unavailable: {error.reason}")


def fault_xml(error: MarketoError) -> bytes:
    """The whole response body of a fault, byte for byte as Marketo wrote it (modulo whitespace)."""
    faultcode = "SOAP-ENV:Server" if error.is_server_error else "SOAP-ENV:Client"
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">'
        "<SOAP-ENV:Body><SOAP-ENV:Fault>"
        f"<faultcode>{faultcode}</faultcode>"
        f"<faultstring>{error.code} - {escape(error.short_text)}</faultstring>"
        '<detail><ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">'
        "<name>mktServiceException</name>"
        f"<message>{escape(error.message)} ({error.code})</message>"
        f"<code>{error.code}</code>"
        "</ns1:serviceException></detail>"
        "</SOAP-ENV:Fault></SOAP-ENV:Body></SOAP-ENV:Envelope>\n"
    ).encode("utf-8")


def truncated_success(operation: str | None) -> bytes:
    """The start of a success envelope, cut off inside an element: a malformed answer to inject."""
    element = "success" + (operation[0].upper() + operation[1:] if operation else "")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope '
            'xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" '
            f'xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body><ns1:{element}><result><leadId>10'
            ).encode("utf-8")
