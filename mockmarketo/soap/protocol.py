"""MarketoSoap11: spyne's SOAP 1.1 protocol, made to read and write exactly what Marketo did.

In: booleans are `true|false|1|0` only; xs:int values must fit 32 bits and dateTimes must be real
moments (anything else is a validation error, mapped to 20110). An element the WSDL allows once may
appear once (20110), `xsi:type` may only name a subtype of the declared type (20110; an xs:anySimpleType
element takes any XML Schema type), and the envelope must have one Body with exactly one request element
(else a SoapError, mapped to 20012). spyne's SOAP-encoding `href`/`id` references are not resolved:
Marketo's binding is document/literal.
Out: `SOAP-ENV`/`ns1` prefixes, `xsi` declared only when used, a double-quoted XML declaration,
no SOAP Header, and every fault rendered by soap.faults in Marketo's shape (facts §5, §7).
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timezone

from lxml import etree
from spyne import Boolean, DateTime, Fault, Integer32
from spyne.error import ValidationError
from spyne.protocol.soap import Soap11
from spyne.protocol.xml import XmlDocument

from mockmarketo.soap.faults import MarketoFault, fault_xml, marketo_error_for, note_reason
from mockmarketo.soap.models import NS

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
_XS = "http://www.w3.org/2001/XMLSchema"
XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'
_NSMAP = {"SOAP-ENV": SOAP_ENV, "xsi": XSI, "ns1": NS}
_XSI_TYPE = f"{{{XSI}}}type"
_XSI_NIL = f"{{{XSI}}}nil"
_INT32 = (-2**31, 2**31 - 1)


def _soap_error(message: str) -> Fault:
    return Fault("Client.SoapError", message)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def envelope_parts(envelope) -> tuple[list | None, etree._Element]:
    """The Header's children (None without a Header) and the one request element of the Body."""
    if envelope.tag != f"{{{SOAP_ENV}}}Envelope":
        raise _soap_error(f"No {{{SOAP_ENV}}}Envelope element was found!")
    children = [child for child in envelope if isinstance(child.tag, str)]
    headers = [child for child in children if child.tag == f"{{{SOAP_ENV}}}Header"]
    bodies = [child for child in children if child.tag == f"{{{SOAP_ENV}}}Body"]
    if len(headers) > 1 or len(bodies) > 1:
        raise _soap_error("The envelope must have at most one Header and exactly one Body")
    if not bodies:
        raise _soap_error("The envelope has no Body")
    body = bodies[0]
    requests = [child for child in body if isinstance(child.tag, str)]
    if (body.text or "").strip() or any((child.tail or "").strip() for child in body):
        raise _soap_error("The Body must hold one request element, not text")
    if len(requests) != 1:
        raise _soap_error(f"The Body must hold exactly one request element, not {len(requests)}")
    if requests[0].tag == f"{{{SOAP_ENV}}}Fault":
        raise _soap_error("A Fault is not a request")
    header = [child for child in headers[0] if isinstance(child.tag, str)] if headers else None
    for name in ("AuthenticationHeader", "MktowsContextHeader"):
        # spyne would take the last of several; soap.summary (journal, limits, injections) would take none
        if header is not None and sum(child.tag == f"{{{NS}}}{name}" for child in header) > 1:
            raise _soap_error(f"The Header must hold at most one {name}")
    return header, requests[0]


def _strict_boolean(_cls, text):
    value = (text or "").strip().lower()
    if value in ("true", "1"):
        return True
    if value in ("false", "0"):
        return False
    raise ValidationError(text, "%r is not a boolean (true, false, 1 or 0)")


def _drop_attributes(element) -> None:
    """Drop every XML attribute but xsi:type and xsi:nil: the WSDL defines none. spyne reads a child's
    attribute named like a member of its parent as an XML-attribute member and fails, and reads
    attributes with lxml's items(), which takes quadratic time (50,000 attributes: 4 s)."""
    attributes = element.attrib
    if not len(attributes):
        return
    keep = {name: element.get(name) for name in (_XSI_TYPE, _XSI_NIL) if element.get(name) is not None}
    if len(attributes) != len(keep):
        attributes.clear()
        attributes.update(keep)


def _int32(parse):
    def handler(cls, text, *args, **kwargs):
        value = parse(cls, text, *args, **kwargs)
        if value is not None and not _INT32[0] <= value <= _INT32[1]:
            raise ValidationError(text, "%r is not an xs:int (-2147483648 to 2147483647)")
        return value
    return handler


def _moment(parse):
    def handler(cls, text, *args, **kwargs):
        try:
            value = parse(cls, text, *args, **kwargs)
            if value is not None and value.tzinfo is not None:
                value.astimezone(timezone.utc)
        except (ValueError, OverflowError):
            raise ValidationError(text, "%r is not a date and time") from None
        return value
    return handler


class MarketoSoap11(Soap11):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("validator", None)
        super().__init__(*args, **kwargs)
        for handlers in (self._from_unicode_handlers, self._from_bytes_handlers):
            handlers[Boolean] = _strict_boolean
            handlers[Integer32] = _int32(handlers[Integer32])
            handlers[DateTime] = _moment(handlers[DateTime])
        self._cls_attrs: dict = {}
        self._parsers = threading.local()

    def create_in_document(self, ctx, charset=None):
        # The endpoint has read, checked and UTF-8-decoded the body (endpoint.read_body); spyne's own
        # version would build a new parser per call and index every id attribute (XMLID) for SOAP
        # references, which document/literal never uses.
        try:
            root = etree.fromstring(b"".join(ctx.in_string), self._parser())
        except (etree.XMLSyntaxError, ValueError) as error:
            raise Fault("Client.XMLSyntaxError", str(error)) from None
        ctx.in_document = (root, {})

    def parse(self, body: bytes):
        """A checked, UTF-8 request body as an element tree; None when it is not well-formed."""
        try:
            return etree.fromstring(body, self._parser())
        except (etree.XMLSyntaxError, ValueError):
            return None

    def _parser(self) -> etree.XMLParser:
        """One parser per thread (lxml parsers must not be shared between threads), with spyne's safe
        settings: no entities resolved, no DTD loaded, nothing fetched, no huge trees."""
        parser = getattr(self._parsers, "parser", None)
        if parser is None:
            parser = self._parsers.parser = etree.XMLParser(**self.parser_kwargs)
        return parser

    def get_cls_attrs(self, cls):
        # spyne's own lookup formats a debug message with the size of its weak cache on every one of the
        # ~65 lookups a call makes (~1/4 of spyne's time); our model classes live as long as the process
        try:
            return self._cls_attrs[cls]
        except KeyError:
            attrs = self._cls_attrs[cls] = super().get_cls_attrs(cls)
            return attrs

    def decompose_incoming_envelope(self, ctx, message=XmlDocument.REQUEST):
        envelope, _ids = ctx.in_document
        ctx.in_document = envelope
        ctx.in_header_doc, ctx.in_body_doc = envelope_parts(envelope)
        ctx.method_request_string = ctx.in_body_doc.tag
        self.validate_body(ctx, message)

    def from_element(self, ctx, cls, element):
        xsi_type = element.get(_XSI_TYPE)
        if xsi_type is not None and not element.get(_XSI_NIL):
            self._check_xsi_type(ctx, cls, element, xsi_type)
        return super().from_element(ctx, cls, element)

    @staticmethod
    def _check_xsi_type(ctx, cls, element, xsi_type: str) -> None:
        """Let spyne substitute a subtype (LeadSelector's); parse the declared type when xsi:type names
        it or a base of it; refuse any other type (spyne would build an object of that type instead).
        An xs:anySimpleType member (MObjCriteria's attrValue) takes every XML Schema type: JAX-WS writes
        its Object-typed value with xsi:type="xs:string" (or xs:int, ...); it is read as text."""
        prefix, _, name = xsi_type.rpartition(":")
        namespace = element.nsmap.get(prefix or None)
        declared = getattr(cls, "__orig__", None) or cls
        if namespace == _XS and declared.get_type_name() == "anySimpleType":
            del element.attrib[_XSI_TYPE]
            return
        named = ctx.app.interface.classes.get(f"{{{namespace}}}{name}") if namespace else None
        if named is None:
            return  # spyne refuses an unknown type itself
        if issubclass(named, declared) and named is not declared:
            return
        if issubclass(declared, named):
            del element.attrib[_XSI_TYPE]
            return
        raise Fault("Client.ValidationError", f"xsi:type {xsi_type} is not a {declared.get_type_name()}")

    def complex_from_element(self, ctx, cls, elt):
        members = cls.get_flat_type_info(cls)
        counts = Counter()
        _drop_attributes(elt)
        for child in elt:
            if not isinstance(child.tag, str):
                continue
            key = _local(child.tag)
            if key in members:
                counts[key] += 1
                _drop_attributes(child)
        for key, count in counts.items():
            if count > 1 and self.get_cls_attrs(members[key]).max_occurs == 1:
                raise Fault("Client.ValidationError",
                            f"{_local(elt.tag)} has {count} {key} elements; the WSDL allows one")
        return super().complex_from_element(ctx, cls, elt)

    def serialize(self, ctx, message):
        if ctx.out_error is not None:
            ctx.out_document = None
            error = marketo_error_for(ctx.out_error)
            note_reason(getattr(ctx.transport, "req_env", None), error)
            ctx.out_error = MarketoFault(error)
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
