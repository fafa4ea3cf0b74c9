"""MarketoSoap11: spyne's SOAP 1.1 protocol, made to read and write exactly what Marketo did.

In: booleans are `true|false|1|0` only (anything else is a validation error, mapped to 20110).
Out: `SOAP-ENV`/`ns1` prefixes, `xsi` declared only when used, a double-quoted XML declaration,
no SOAP Header, and every fault rendered by soap.faults in Marketo's shape (facts §5, §7).
"""

from __future__ import annotations

from lxml import etree
from spyne import Boolean
from spyne.error import ValidationError
from spyne.protocol.soap import Soap11

from mockmarketo.soap.faults import MarketoFault, fault_xml, marketo_error_for
from mockmarketo.soap.models import NS

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NSMAP = {"SOAP-ENV": SOAP_ENV, "xsi": XSI, "ns1": NS}


def _strict_boolean(_cls, text):
    value = (text or "").strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValidationError(text, "%r is not a boolean (true, false, 1 or 0)")


class MarketoSoap11(Soap11):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validator", None)
        super().__init__(*args, **kwargs)
        self._from_unicode_handlers[Boolean] = _strict_boolean
        self._from_bytes_handlers[Boolean] = _strict_boolean

    def serialize(self, ctx, message):
        if ctx.out_error is not None:
            ctx.out_document = None
            ctx.out_error = MarketoFault(marketo_error_for(ctx.out_error))
            return
        super().serialize(ctx, message)
        # Move the body into an envelope with Marketo's prefixes; lxml re-uses them for the subtree.
        body = ctx.out_document.find(f"{{{SOAP_ENV}}}Body")
        envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap=_NSMAP)
        new_body = etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body")
        new_body.extend(body)
        etree.cleanup_namespaces(envelope, top_nsmap=_NSMAP)
        ctx.out_document = envelope

    def create_out_string(self, ctx, charset=None):
        if ctx.out_document is None:
            ctx.out_string = [fault_xml(ctx.out_error.error)]
            return
        ctx.out_string = [XML_DECLARATION + etree.tostring(ctx.out_document, encoding="UTF-8",
                                                           xml_declaration=False) + b"\n"]
