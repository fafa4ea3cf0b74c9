"""What a SOAP request and response say, for routing and the request journal, read before and after
dispatch: the operation, the caller's user id (with the signature and timestamp that go with it), the
target workspace, the parameters as JSON, the emails they name; and a response's sync statuses, the lead
ids it names, or its fault. The headers are read as spyne reads them, in Marketo's namespace only (one of
each, else the protocol refuses the request), so that the call is journaled, counted and injected on the
instance of the very header that authenticates it.

A request is summarised from the envelope the endpoint parsed once (`summarize_envelope`); its
parameters and emails are turned into JSON only when someone reads them (the journal's readers).
Never raises: an unreadable message gives a summary of Nones.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field

from lxml import etree

from mockmarketo.soap.models import NS
from mockmarketo.soap.operations import operation_of_element

_SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
_XSI_NIL = "{http://www.w3.org/2001/XMLSchema-instance}nil"
# entities are never expanded and nothing is fetched (the endpoint refuses DOCTYPEs before this anyway);
# one parser per thread, as lxml wants
_PARSERS = threading.local()
# the ArrayOf* elements of the WSDL other than attribute lists: always a list in the JSON
_ARRAYS = ("leadRecordList", "syncStatusList", "keyValues", "includeAttributes",
           "includeTypes", "excludeTypes", "activityNameFilter", "losingLeadKeyLists",
           "customObjList", "customObjKeyLists", "mObjectList", "mObjCriteriaList", "mObjAssociationList")
# the per-record status elements whose `status` the journal lists
_STATUS_ELEMENTS = ("syncStatus", "syncCustomObjStatus", "mObjStatus")
# the elements a response summary reads, in any namespace
_SUMMARY_TAGS = tuple(f"{{*}}{name}" for name in (*_STATUS_ELEMENTS, "leadRecord", "serviceException"))


class RequestSummary:
    """operation, user_id, signature, timestamp, workspace; and params and emails, made from the request element on first use."""

    __slots__ = ("operation", "user_id", "signature", "timestamp", "workspace", "_element", "_params", "_emails")

    def __init__(self, operation: str | None = None, user_id: str | None = None, signature: str | None = None,
                 timestamp: str | None = None, workspace: str | None = None, element=None):
        self.operation, self.user_id, self.workspace = operation, user_id, workspace
        self.signature, self.timestamp = signature, timestamp
        self._element = element
        self._params: dict | None = None
        self._emails: list[str] = []

    def _resolve(self) -> None:
        if self._element is not None:
            value = to_json(self._element)
            self._params = value if isinstance(value, dict) else {}
            self._emails = emails_in(self._params)
            self._element = None  # the tree is not kept once its JSON is made

    @property
    def params(self) -> dict | None:
        self._resolve()
        return self._params

    @property
    def emails(self) -> list[str]:
        self._resolve()
        return self._emails


@dataclass
class ResponseSummary:
    statuses: list[str] = field(default_factory=list)
    lead_ids: list[int] = field(default_factory=list)  # leads the call created, updated or read
    fault_code: int | None = None
    fault_message: str | None = None


def _local(element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _children(element) -> list:
    return [child for child in element if isinstance(child.tag, str)]


def _child(element, name: str):
    """The first child element named `name` (any namespace)."""
    if element is None:
        return None
    for child in element:
        tag = child.tag
        if isinstance(tag, str) and tag.rpartition("}")[2] == name:
            return child
    return None


def marketo_header(header, name: str):
    """The one child `name` of a SOAP Header in Marketo's namespace; None if there is none, or several."""
    if header is None:
        return None
    found = [child for child in header if child.tag == f"{{{NS}}}{name}"]
    return found[0] if len(found) == 1 else None


def _parse(body: bytes):
    try:
        parser = getattr(_PARSERS, "parser", None)
        if parser is None:
            parser = _PARSERS.parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                                                       huge_tree=False)
        return etree.fromstring(body, parser)
    except (etree.XMLSyntaxError, ValueError):
        return None


def to_json(element):
    """An element as JSON: text for a leaf, None for xsi:nil, a dict of children otherwise (repeated
    names become lists); an attribute list becomes {attrName: attrValue}."""
    if element.get(_XSI_NIL) in ("true", "1"):
        return None
    children = _children(element)
    if not children:
        return element.text or ""
    if all(_local(c) == "attribute" and _child(c, "attrName") is not None for c in children):
        return {_child(c, "attrName").text or "": _text_of(_child(c, "attrValue")) for c in children}
    if _local(element) in _ARRAYS:
        return [to_json(c) for c in children]
    result: dict = {}
    repeated: set[str] = set()
    for child in children:
        name, value = _local(child), to_json(child)
        if name not in result:
            result[name] = value
            continue
        if name not in repeated:
            repeated.add(name)
            result[name] = [result[name]]
        result[name].append(value)
    return result


def _text_of(element) -> str | None:
    if element is None or element.get(_XSI_NIL) in ("true", "1"):
        return None
    return element.text or ""


def emails_in(value) -> list[str]:
    """Every email a request's parameters name: Email elements, Email attributes, EMAIL lead keys."""
    found: list[str] = []
    if isinstance(value, list):
        for item in value:
            found.extend(emails_in(item))
    elif isinstance(value, dict):
        for name, item in value.items():
            if name == "Email" and isinstance(item, str) and item:
                found.append(item)
            else:
                found.extend(emails_in(item))
        if str(value.get("keyType", "")).upper() == "EMAIL":
            for name in ("keyValue", "keyValues"):
                item = value.get(name)
                found.extend([item] if isinstance(item, str) else
                             [v for v in item if isinstance(v, str)] if isinstance(item, list) else
                             [v for v in item.values() if isinstance(v, str)] if isinstance(item, dict) else [])
    return list(dict.fromkeys(found))


def summarize_request(body: bytes) -> RequestSummary:
    summary = summarize_envelope(_parse(body))
    summary._resolve()
    return summary


def summarize_envelope(root, *, now: bool = False) -> RequestSummary:
    """The summary of a parsed request (None: not well-formed); its params are made when first read,
    or `now` (the tree is then not kept: for large requests)."""
    if root is None or _local(root) != "Envelope":
        return RequestSummary()
    header = _child(root, "Header")
    auth = marketo_header(header, "AuthenticationHeader")
    body_element = _child(root, "Body")
    params = next((child for child in body_element if isinstance(child.tag, str)), None) \
        if body_element is not None else None
    summary = RequestSummary(
        operation_of_element(_local(params)) if params is not None else None,
        _text_of(_child(auth, "mktowsUserId")),
        _text_of(_child(auth, "requestSignature")),
        _text_of(_child(auth, "requestTimestamp")),
        _text_of(_child(marketo_header(header, "MktowsContextHeader"), "targetWorkspace")),
        params)
    if now:
        summary._resolve()
    return summary


def summarize_response(body: bytes) -> ResponseSummary:
    """A response's sync statuses, fault, and the ids of the leads it names (syncStatus/leadId and
    leadRecord/Id, first seen first)."""
    root = _parse(body)
    summary = ResponseSummary()
    if root is None:
        return summary
    lead_ids: dict[int, None] = {}
    for element in root.iter(*_SUMMARY_TAGS):
        name = _local(element)
        if name in _STATUS_ELEMENTS:
            status = _text_of(_child(element, "status"))
            summary.statuses.append(status or "")
            lead_id = _text_of(_child(element, "leadId")) if name == "syncStatus" else None
            # a FAILED record of syncMultipleLeads names its Id (or 0) but touched no lead
            if status != "FAILED" and lead_id and lead_id.isdigit():
                lead_ids[int(lead_id)] = None
        elif name == "leadRecord":
            lead_id = _text_of(_child(element, "Id"))
            if lead_id and lead_id.isdigit():
                lead_ids[int(lead_id)] = None
        else:
            code = _text_of(_child(element, "code"))
            summary.fault_code = int(code) if code and code.strip().isdigit() else None
            message = _text_of(_child(element, "message"))
            suffix = f" ({summary.fault_code})"
            if message is not None and message.endswith(suffix):
                message = message[: -len(suffix)]
            summary.fault_message = message
    summary.lead_ids = list(lead_ids)
    return summary
