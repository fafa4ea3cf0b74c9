"""Codecs compiled once (each operation at its first call) from spyne's own type tree: a request element
decoded into the same model instances spyne's decoder (with MarketoSoap11's rules) makes, and a response
object encoded into the same bytes spyne + MarketoSoap11 write, without re-walking the models every call.

Each model class of every operation's request, headers and response is compiled into a closure: its
members by element name, their occurrence and nillability, the protocol's own value handlers
(`MarketoSoap11._from_unicode_handlers` / `_to_unicode_handlers`: strict booleans, int32, dateTime),
and the instance template spyne's constructor would fill. So an operation added to a family service is
covered without more work.

The compiled path only takes what it is sure to read or write exactly as spyne does; anything else
(a value spyne would refuse, a duplicate element, an xsi:type that is not a subtype, a processing
instruction, a value lxml would not write...) raises `Unhandled`, and the endpoint hands the call to
spyne's full path, which answers as it always did. Errors are always spyne's: the compiled path never
produces a fault of its own. tests/test_codec_differential.py holds the two paths to the same answers.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree
from spyne import ByteArray, ComplexModelBase
from spyne.const.xml import DEFAULT_NS
from spyne.descriptor import BODY_STYLE_WRAPPED
from spyne.model import SimpleModel, XmlAttribute, XmlData

from mockmarketo.soap.models import NS
from mockmarketo.soap.protocol import SOAP_ENV, XML_DECLARATION, XSI, envelope_parts

_XSI_TYPE = f"{{{XSI}}}type"
_XSI_NIL = f"{{{XSI}}}nil"
# what lxml writes as text without a complaint; anything else goes to spyne's path (which fails as it does)
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPE = re.compile("[&<>\r]")
_SPECIAL = re.compile("[&<>\r]|[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"}
_NIL = ' xsi:nil="true"/>'
_PREFIXES = {NS: "ns1:", "": ""}
_ENVELOPE_START = (f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}"', f' xmlns:xsi="{XSI}"',
                   f' xmlns:ns1="{NS}"><SOAP-ENV:Body>')
_ENVELOPE_END = "</SOAP-ENV:Body></SOAP-ENV:Envelope>\n"


class Unhandled(Exception):
    """The compiled path does not take this message; spyne's full path will."""


def _escaped(text: str) -> str:
    if not _SPECIAL.search(text):
        return text
    if _NOT_XML.search(text):
        raise Unhandled("text lxml would refuse")
    if _ESCAPE.search(text):
        return _ESCAPE.sub(lambda found: _ESCAPES[found.group()], text)
    return text


@dataclass
class DecodedCall:
    """What spyne's decoder would have put in the method context."""

    operation: _Operation
    in_header: object
    in_object: object
    header_doc: list | None
    body_doc: etree._Element


# what the journal reads of a response (as soap.summary.summarize_response does): every record status
# element (nil or not: _RECORD is noted for each), and these values, as (element, member)
_RECORDS = ("syncStatus", "syncCustomObjStatus", "mObjStatus")
_NOTED = {("syncStatus", "status"), ("syncCustomObjStatus", "status"), ("mObjStatus", "status"),
          ("syncStatus", "leadId"), ("leadRecord", "Id")}
_RECORD = ("record", "")


@dataclass
class Encoded:
    body: bytes
    noted: list[tuple[str, str]]  # _RECORD, and ("<element>.<member>", text) of _NOTED values, in order

    @property
    def statuses(self) -> list[str]:
        """The status text of every record status element written ("" when it has none)."""
        found: list[str] = []
        for what, text in self.noted:
            if what == "record":
                found.append("")
            elif what.endswith(".status") and found:
                found[-1] = text
        return found

    @property
    def lead_ids(self) -> list[int]:
        """The leads the response names, first seen first: syncStatus/leadId (unless that record FAILED;
        a record with no status counts, as soap.summary counts it) and leadRecord/Id."""
        named: list[str | None] = []  # in order; a FAILED record's leadId is taken back (None)
        status_of = None  # index in `named` of the syncStatus leadId being written
        for what, text in self.noted:
            if what == "record":
                status_of = None
            elif what == "syncStatus.leadId":
                status_of = len(named)
                named.append(text)
            elif what == "syncStatus.status":
                if text == "FAILED" and status_of is not None:
                    named[status_of] = None
                status_of = None
            elif what == "leadRecord.Id":
                named.append(text)
        return list(dict.fromkeys(int(text) for text in named if text and text.isdigit()))


class _EncodeState:
    __slots__ = ("parts", "nil", "noted")

    def __init__(self):
        self.parts: list[str] = []
        self.nil = False
        self.noted: list[tuple[str, str]] = []


class _Operation:
    __slots__ = ("descriptor", "headers", "body", "root_open", "root_close", "root_empty", "encode")

    def __init__(self, descriptor, headers, body, root_tag, encode):
        self.descriptor = descriptor
        self.headers = headers  # [(element tag, decoder)], in the descriptor's header order
        self.body = body
        self.root_open, self.root_close, self.root_empty = f"<{root_tag}>", f"</{root_tag}>", f"<{root_tag}/>"
        self.encode = encode


class Codecs:
    """The compiled decoders and encoders of every operation of a spyne Application."""

    def __init__(self, application, *, now: bool = False):
        """Each operation is compiled on its first call (making the app stays as quick as it was: the
        pytest plugin starts a server per session), or all of them `now`."""
        self._protocol = application.in_protocol
        self._classes = application.interface.classes
        self._decoders: dict[type, Callable] = {}
        self._encoders: dict[tuple, Callable] = {}
        self._operations: dict[str, _Operation | None] = {}
        self._descriptors = {tag: descriptors[0] for tag, descriptors in
                             application.interface.service_method_map.items()
                             if len(descriptors) == 1}  # (spyne's fan-out is no mktows shape)
        self._compiling = threading.Lock()
        if now:
            for tag in self._descriptors:
                self.operation(tag)

    def operation(self, tag: str) -> _Operation | None:
        """The compiled operation whose request element is `tag`; None for no operation."""
        try:
            return self._operations[tag]
        except KeyError:
            with self._compiling:
                if tag not in self._operations:
                    descriptor = self._descriptors.get(tag)
                    self._operations[tag] = self._compile_operation(descriptor) if descriptor else None
            return self._operations[tag]

    # -- compiling -----------------------------------------------------------------------------------

    def _attrs(self, cls):
        return self._protocol.get_cls_attrs(cls)

    def _compile_operation(self, descriptor) -> _Operation:
        header_classes = descriptor.in_header
        if header_classes is not None and not isinstance(header_classes, (list, tuple)):
            header_classes = (header_classes,)
        headers = None if header_classes is None else [
            ("{%s}%s" % (cls.__namespace__, cls.__type_name__), self._element_decoder(cls))
            for cls in header_classes]
        body = self._element_decoder(descriptor.in_message)
        out = descriptor.out_message
        encode = None
        root_tag = None
        if descriptor.body_style is not BODY_STYLE_WRAPPED:
            sub_ns = out.Attributes.sub_ns
            if sub_ns is None:
                sub_ns = out.get_namespace()
            if sub_ns is DEFAULT_NS:
                sub_ns = NS
            name = out.Attributes.sub_name or out.get_type_name()
            if sub_ns in _PREFIXES and issubclass(out, ComplexModelBase):
                root_tag = _PREFIXES[sub_ns] + name
                encode = self._members_encoder(out, name)
        return _Operation(descriptor, headers, body, root_tag, encode)

    def _element_decoder(self, cls) -> Callable:
        """from_element(cls, element) as MarketoSoap11 does it: xsi:nil, xsi:type, then the class's own."""
        default = self._attrs(cls).default
        declared = getattr(cls, "__orig__", None) or cls
        body = self._body_decoder(cls)
        classes = self._classes
        body_decoder = self._body_decoder

        def decode(element):
            if len(element.attrib):
                if element.get(_XSI_NIL):
                    return default
                xsi_type = element.get(_XSI_TYPE)
                if xsi_type is not None:
                    prefix, colon, name = xsi_type.partition(":")
                    if not colon:
                        prefix, name = None, xsi_type
                    if not name or ":" in name:
                        raise Unhandled("xsi:type")
                    namespace = element.nsmap.get(prefix)
                    named = classes.get(f"{{{namespace}}}{name}") if namespace else None
                    if named is None or not issubclass(named, ComplexModelBase):
                        raise Unhandled("xsi:type")
                    if issubclass(named, declared) and named is not declared:
                        return body_decoder(named)(element)
                    if not issubclass(declared, named):
                        raise Unhandled("xsi:type")
            return body(element)

        return decode

    def _body_decoder(self, cls) -> Callable:
        found = self._decoders.get(cls)
        if found is None:
            compiled: list[Callable] = []
            # while it compiles, a recursive type refers to itself through this
            self._decoders[cls] = lambda element: compiled[0](element)
            compiled.append(self._compile_body_decoder(cls))
            found = self._decoders[cls] = compiled[0]
        return found

    def _compile_body_decoder(self, cls) -> Callable:
        protocol = self._protocol
        handler = protocol.deserialization_handlers[cls]
        name = getattr(handler, "__name__", "")
        if issubclass(cls, ComplexModelBase):
            return self._complex_decoder(cls) if name == "complex_from_element" else _refuse
        attrs = self._attrs(cls)
        empty_is_none = attrs.empty_is_none
        parse = protocol._from_unicode_handlers[cls]
        if name == "unicode_from_element":
            def decode_text(element):
                text = element.text or ""
                if not text and empty_is_none:
                    return None
                return parse(cls, text)
            return _guarded(decode_text)
        if name in ("base_from_element", "byte_array_from_element"):
            extra = (protocol.binary_encoding,) if name == "byte_array_from_element" else ()

            def decode_value(element):
                text = element.text
                if text is None or (not text and empty_is_none):
                    return None
                return parse(cls, text, *extra)
            return _guarded(decode_value)
        return _refuse

    def _complex_decoder(self, cls) -> Callable:
        attrs = self._attrs(cls)
        members = cls.get_flat_type_info(cls)
        # spyne looks a child up in _type_info_alt too, by local name and by tag; its keys for unqualified
        # members are "{}name", which no lxml tag or local name is
        alternatives = getattr(cls, "_type_info_alt", None) or {}
        if attrs._xml_tag_body_as is not None or any(
                not (key.startswith("{}") and key[2:] in members) for key in alternatives):
            return _refuse
        table = {}
        for key, member in members.items():
            member_attrs = self._attrs(member)
            if issubclass(member, (XmlAttribute, XmlData)) or member_attrs.read_only:
                return _refuse
            table[key] = (key, member_attrs.max_occurs > 1, self._element_decoder(member))
        make = cls.__orig__ or cls
        template = dict(make().__dict__)
        if any(value is not None for value in template.values()):
            return _refuse
        new = make.__new__

        def decode(element):
            instance = new(make)
            values = instance.__dict__
            values.update(template)
            seen = set()
            for child in element:
                tag = child.tag
                if tag.__class__ is not str:
                    if isinstance(child, etree._Comment):
                        continue
                    raise Unhandled("not an element")
                entry = table.get(tag.rpartition("}")[2])
                if entry is None:
                    continue
                key, many, decode_member = entry
                if many:
                    items = values[key]
                    if items is None:
                        items = values[key] = []
                    items.append(decode_member(child))
                else:
                    if key in seen:
                        raise Unhandled("duplicate element")  # spyne answers 20110
                    seen.add(key)
                    values[key] = decode_member(child)
            return instance

        return decode

    def _members_encoder(self, cls, element_name: str) -> Callable | None:
        """Writes the members of a complex value (not the element itself), as _get_members_etree does."""
        local_name = element_name.rpartition(":")[2]
        key = (cls, local_name if any(local_name == noted for noted, _ in _NOTED) else None)
        if key in self._encoders:
            return self._encoders[key]
        self._encoders[key] = None  # recursive types are not compiled
        members = []
        chain = []
        current = cls
        while current is not None:
            chain.append(current)
            current = getattr(current, "__extends__", None)
        for owner in reversed(chain):
            for name, member in owner._type_info.items():
                member_attrs = member.Attributes
                protocol_attrs = self._attrs(member)
                if protocol_attrs.exc:
                    continue
                if issubclass(member, (XmlAttribute, XmlData)) or protocol_attrs.default is not None:
                    return None
                sub_ns = member_attrs.sub_ns
                if sub_ns is None:
                    sub_ns = owner.get_namespace()
                if sub_ns not in _PREFIXES:
                    return None
                tag = _PREFIXES[sub_ns] + (member_attrs.sub_name or name)
                noted = f"{local_name}.{name}" if (local_name, name) in _NOTED else None
                write = self._value_encoder(member, tag, noted=noted)
                if write is None:
                    return None
                record = (member_attrs.sub_name or name) in _RECORDS
                if record:
                    write = _noting_record(write)
                members.append((name, member_attrs.max_occurs > 1, member_attrs.min_occurs > 0, write,
                                f"<{tag}{_NIL}", record))

        def encode(value, state):
            parts = state.parts
            for name, many, required, write, nil, record in members:
                item = getattr(value, name, None)
                if item is not None:
                    if many:
                        if item.__class__ is not list and item.__class__ is not tuple:
                            raise Unhandled("not a list")
                        for one in item:
                            if one is None:
                                if record:
                                    state.noted.append(_RECORD)
                                parts.append(nil)
                                state.nil = True
                            else:
                                write(one, state)
                    else:
                        write(item, state)
                elif required:
                    if record:
                        state.noted.append(_RECORD)
                    parts.append(nil)
                    state.nil = True

        self._encoders[key] = encode
        return encode

    def _value_encoder(self, cls, tag: str, noted: str | None = None) -> Callable | None:
        """Writes one non-None value of `cls` as the element `tag`."""
        if issubclass(cls, ComplexModelBase):
            if self._protocol.serialization_handlers[cls].__name__ != "complex_to_parent":
                return None
            members = self._members_encoder(cls, tag)
            if members is None:
                return None
            opened, closed, empty = f"<{tag}>", f"</{tag}>", f"<{tag}/>"

            def write_complex(value, state):
                if value.__class__ in (list, tuple, dict):
                    raise Unhandled("value as a sequence")
                parts = state.parts
                mark = len(parts)
                parts.append(opened)
                members(value, state)
                if len(parts) == mark + 1:
                    parts[mark] = empty
                else:
                    parts.append(closed)
            return write_complex
        if not issubclass(cls, SimpleModel) or issubclass(cls, ByteArray) \
                or self._protocol.serialization_handlers[cls].__name__ not in ("modelbase_to_parent",):
            return None
        to_text = self._protocol._to_unicode_handlers[cls]
        opened, closed = f"<{tag}>", f"</{tag}>"
        # spyne's handler, inlined where it is plain: str values as they are, ints as str(int)
        attrs = self._attrs(cls)
        plain_text = attrs.str_format is None and attrs.format is None
        same_type = {"unicode_to_unicode": str, "integer_to_unicode": int}.get(
            getattr(to_text, "__name__", ""), None) if plain_text else None

        def write_simple(value, state):
            if value.__class__ is same_type:
                text = value if same_type is str else str(value)
            else:
                text = to_text(cls, value)
            if text.__class__ is not str:
                raise Unhandled("not text")
            if noted is not None:
                state.noted.append((noted, text))
            state.parts.append(f"{opened}{_escaped(text)}{closed}")
        return write_simple

    # -- the calls -----------------------------------------------------------------------------------

    def decode(self, envelope) -> DecodedCall:
        """The call an envelope makes, decoded; Unhandled when spyne's path must take it."""
        try:
            header_doc, body_doc = envelope_parts(envelope)
        except Exception:  # noqa: BLE001 - spyne answers the envelope's faults
            raise Unhandled("envelope") from None
        operation = self.operation(body_doc.tag)
        if operation is None:
            raise Unhandled("no operation")
        in_header = None
        try:
            if header_doc is not None and operation.headers is not None:
                present = {element.tag: element for element in header_doc}
                values = []
                for tag, decode in operation.headers:
                    element = present.get(tag)
                    values.append(decode(element) if element is not None else None)
                in_header = values[0] if len(values) == 1 else values
            in_object = operation.body(body_doc)
        except Unhandled:
            raise
        except Exception:  # noqa: BLE001
            raise Unhandled("value") from None
        return DecodedCall(operation, in_header, in_object, header_doc, body_doc)

    @staticmethod
    def encode(call: DecodedCall, result) -> Encoded:
        """The response body spyne would write for `result`, the call's success; Unhandled when spyne must
        write it."""
        operation = call.operation
        if operation.encode is None or result is None \
                or result.__class__ in (list, tuple, dict):
            raise Unhandled("response")
        state = _EncodeState()
        parts = state.parts
        parts.append(operation.root_open)
        operation.encode(result, state)
        if len(parts) == 1:
            parts[0] = operation.root_empty
        else:
            parts.append(operation.root_close)
        start = _ENVELOPE_START[0] + (_ENVELOPE_START[1] if state.nil else "") + _ENVELOPE_START[2]
        try:
            text = start + "".join(parts) + _ENVELOPE_END
            return Encoded(XML_DECLARATION + text.encode("utf-8"), state.noted)
        except UnicodeEncodeError:
            raise Unhandled("not UTF-8") from None


def _noting_record(write: Callable) -> Callable:
    def write_record(value, state):
        state.noted.append(_RECORD)
        write(value, state)
    return write_record


def _refuse(element):
    raise Unhandled("type")


def _guarded(decode: Callable) -> Callable:
    # a value handler may raise anything (ValidationError, ValueError...): spyne's path answers it
    def guarded(element):
        if len(element):
            # spyne reads the text before the first child; so do we, but a child element inside a
            # simple value is rare enough to leave to spyne
            raise Unhandled("element inside a value")
        try:
            return decode(element)
        except Exception:  # noqa: BLE001
            raise Unhandled("value") from None
    return guarded
