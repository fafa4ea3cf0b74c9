"""Building signed SOAP envelopes and reading responses, for the tests (the shapes of facts §3)."""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

from lxml import etree

from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID
from mockmarketo.domain.auth import sign

NS = "http://www.marketo.com/mktows/"
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def now_timestamp() -> str:
    return datetime.now(timezone.utc).astimezone().isoformat(timespec="seconds")


def auth_header(user_id: str = DEFAULT_USER_ID, secret_key: str = DEFAULT_SECRET_KEY,
                timestamp: str | None = None, signature: str | None = None) -> str:
    timestamp = timestamp if timestamp is not None else now_timestamp()
    signature = signature if signature is not None else sign(secret_key, timestamp, user_id)
    return (f"<ns1:AuthenticationHeader><mktowsUserId>{escape(user_id)}</mktowsUserId>"
            f"<requestSignature>{escape(signature)}</requestSignature>"
            f"<requestTimestamp>{escape(timestamp)}</requestTimestamp></ns1:AuthenticationHeader>")


def envelope(body: str, header: str | None = None, *, extra_headers: str = "") -> str:
    header = auth_header() if header is None else header
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}" xmlns:ns1="{NS}" xmlns:xsi="{XSI}">'
            f"<SOAP-ENV:Header>{header}{extra_headers}</SOAP-ENV:Header>"
            f"<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>")


def lead_record(email: str | None = None, *, id: int | None = None, foreign_id: str | None = None,
                foreign_type: str | None = None, attributes: dict | list | None = None) -> str:
    parts = []
    if id is not None:
        parts.append(f"<Id>{id}</Id>")
    if email is not None:
        parts.append(f"<Email>{escape(email)}</Email>")
    if foreign_id is not None:
        parts.append(f"<ForeignSysPersonId>{escape(foreign_id)}</ForeignSysPersonId>")
    if foreign_type is not None:
        parts.append(f"<ForeignSysType>{escape(foreign_type)}</ForeignSysType>")
    if attributes is not None:
        items = attributes.items() if isinstance(attributes, dict) else attributes
        parts.append("<leadAttributeList>" + "".join(
            f"<attribute><attrName>{escape(n)}</attrName><attrValue>{escape(str(v))}</attrValue></attribute>"
            for n, v in items) + "</leadAttributeList>")
    return "<leadRecord>" + "".join(parts) + "</leadRecord>"


def sync_lead_body(record: str, return_lead: str = "false", cookie: str | None = None) -> str:
    cookie_xml = f"<marketoCookie>{escape(cookie)}</marketoCookie>" if cookie is not None else ""
    return f"<ns1:paramsSyncLead>{record}<returnLead>{return_lead}</returnLead>{cookie_xml}</ns1:paramsSyncLead>"


def get_lead_body(key_type: str, key_value: str) -> str:
    return (f"<ns1:paramsGetLead><leadKey><keyType>{key_type}</keyType>"
            f"<keyValue>{escape(key_value)}</keyValue></leadKey></ns1:paramsGetLead>")


def sync_multiple_leads_body(records: list[str], dedup: str | None = None) -> str:
    dedup_xml = f"<dedupEnabled>{dedup}</dedupEnabled>" if dedup is not None else ""
    return (f"<ns1:paramsSyncMultipleLeads><leadRecordList>{''.join(records)}</leadRecordList>"
            f"{dedup_xml}</ns1:paramsSyncMultipleLeads>")


def string_array(tag: str, items: list[str]) -> str:
    return f"<{tag}>" + "".join(f"<stringItem>{escape(i)}</stringItem>" for i in items) + f"</{tag}>"


def lead_key_selector(key_type: str, values: list[str]) -> str:
    return (f'<leadSelector xsi:type="ns1:LeadKeySelector"><keyType>{key_type}</keyType>'
            f'{string_array("keyValues", values)}</leadSelector>')


def last_update_selector(oldest: str, latest: str | None = None) -> str:
    latest_xml = f"<latestUpdatedAt>{latest}</latestUpdatedAt>" if latest is not None else ""
    return (f'<leadSelector xsi:type="ns1:LastUpdateAtSelector">{latest_xml}'
            f"<oldestUpdatedAt>{oldest}</oldestUpdatedAt></leadSelector>")


def static_list_selector(name: str | None = None, list_id: int | None = None) -> str:
    name_xml = f"<staticListName>{escape(name)}</staticListName>" if name is not None else ""
    id_xml = f"<staticListId>{list_id}</staticListId>" if list_id is not None else ""
    return f'<leadSelector xsi:type="ns1:StaticListSelector">{name_xml}{id_xml}</leadSelector>'


def get_multiple_leads_body(selector: str = "", *, last_updated_at: str | None = None,
                            stream_position: str | None = None, batch_size: int | None = None,
                            include_attributes: list[str] | None = None) -> str:
    parts = [selector]
    if last_updated_at is not None:
        parts.append(f"<lastUpdatedAt>{last_updated_at}</lastUpdatedAt>")
    if stream_position is not None:
        parts.append(f"<streamPosition>{escape(stream_position)}</streamPosition>")
    if batch_size is not None:
        parts.append(f"<batchSize>{batch_size}</batchSize>")
    if include_attributes is not None:
        parts.append(string_array("includeAttributes", include_attributes))
    return f"<ns1:paramsGetMultipleLeads>{''.join(parts)}</ns1:paramsGetMultipleLeads>"


def activity_filter(include: list[str] | None = None, exclude: list[str] | None = None) -> str:
    def types(tag, tokens):
        return "" if tokens is None else \
            f"<{tag}>" + "".join(f"<activityType>{escape(t)}</activityType>" for t in tokens) + f"</{tag}>"
    return f"<activityFilter>{types('includeTypes', include)}{types('excludeTypes', exclude)}</activityFilter>"


def start_position(*, latest: str | None = None, oldest: str | None = None, activity: str | None = None,
                   offset: str | None = None) -> str:
    parts = [f"<{tag}>{escape(value)}</{tag}>" for tag, value in (
        ("latestCreatedAt", latest), ("oldestCreatedAt", oldest), ("activityCreatedAt", activity),
        ("offset", offset)) if value is not None]
    return "<startPosition>" + "".join(parts) + "</startPosition>"


def get_lead_activity_body(key_type: str, key_value: str, *, activity_filter: str = "",
                           start_position: str = "", batch_size: int | None = None) -> str:
    batch = f"<batchSize>{batch_size}</batchSize>" if batch_size is not None else ""
    return (f"<ns1:paramsGetLeadActivity><leadKey><keyType>{key_type}</keyType>"
            f"<keyValue>{escape(key_value)}</keyValue></leadKey>{activity_filter}{start_position}{batch}"
            "</ns1:paramsGetLeadActivity>")


def get_lead_changes_body(start_position: str, *, activity_filter: str = "", names: list[str] | None = None,
                          batch_size: int | None = None, selector: str = "") -> str:
    batch = f"<batchSize>{batch_size}</batchSize>" if batch_size is not None else ""
    name_filter = string_array("activityNameFilter", names) if names is not None else ""
    return (f"<ns1:paramsGetLeadChanges>{start_position}{activity_filter}{name_filter}{batch}{selector}"
            "</ns1:paramsGetLeadChanges>")


def key_list(tag: str, *pairs: tuple[str, str]) -> str:
    return f"<{tag}>" + "".join(f"<attribute><attrName>{escape(name)}</attrName><attrValue>{escape(str(value))}"
                                "</attrValue></attribute>" for name, value in pairs) + f"</{tag}>"


def merge_leads_body(winner: tuple[str, str], *losers: tuple[str, str], extra: str = "") -> str:
    """mergeLeads with one key pair for the winner and one keyList per loser."""
    return (f"<ns1:paramsMergeLeads>{key_list('winningLeadKeyList', winner)}<losingLeadKeyLists>"
            + "".join(key_list("keyList", loser) for loser in losers)
            + f"</losingLeadKeyLists>{extra}</ns1:paramsMergeLeads>")


def workspace_header(name: str) -> str:
    return f"<ns1:MktowsContextHeader><targetWorkspace>{escape(name)}</targetWorkspace></ns1:MktowsContextHeader>"


def canonical(document: bytes | str) -> bytes:
    """C14N of a document with whitespace-only text dropped: equal for documents that differ only in
    indentation, `<a/>` versus `<a></a>`, and attribute quoting (prefixes and namespaces still count)."""
    data = document.encode("utf-8") if isinstance(document, str) else document
    parser = etree.XMLParser(remove_blank_text=True)
    return etree.tostring(etree.fromstring(data.strip(), parser), method="c14n")


def marketo_response(body: str, *, xsi: bool = True) -> str:
    """A success response as Marketo wrote it (facts §7) around a body element copied from facts §6;
    `xmlns:xsi` is declared only when the body uses it."""
    xsi_xmlns = f' xmlns:xsi="{XSI}"' if xsi else ""
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{SOAP_ENV}"{xsi_xmlns} xmlns:ns1="{NS}">'
            f"<SOAP-ENV:Body>{body}</SOAP-ENV:Body></SOAP-ENV:Envelope>")


@dataclass
class SoapResponse:
    status: int
    content_type: str
    body: bytes

    @property
    def xml(self) -> etree._Element:
        return etree.fromstring(self.body)

    @property
    def fault_code(self) -> int | None:
        code = self.xml.find(".//detail/{%s}serviceException/code" % NS)
        return None if code is None else int(code.text)

    @property
    def fault_message(self) -> str | None:
        message = self.xml.find(".//detail/{%s}serviceException/message" % NS)
        return None if message is None else message.text

    def text(self, path: str) -> str | None:
        """Text of the first element at an ElementTree path below the Body's first child."""
        found = self.xml.find(f"{{{SOAP_ENV}}}Body/*/{path}")
        return None if found is None else found.text

    def all_text(self, path: str) -> list[str]:
        return [e.text for e in self.xml.findall(f"{{{SOAP_ENV}}}Body/*/{path}")]


class SoapCalls:
    """The calls the tests make, on top of a `post(envelope)` that subclasses provide."""

    def post(self, body: bytes | str) -> SoapResponse:
        raise NotImplementedError

    def call(self, body: str, header: str | None = None, extra_headers: str = "") -> SoapResponse:
        return self.post(envelope(body, header, extra_headers=extra_headers))

    def sync(self, email: str | None = None, *, return_lead: str = "false", cookie: str | None = None,
             workspace: str | None = None, **record) -> SoapResponse:
        extra = workspace_header(workspace) if workspace is not None else ""
        return self.call(sync_lead_body(lead_record(email, **record), return_lead, cookie), extra_headers=extra)

    def get_lead(self, key_type: str, key_value: str) -> SoapResponse:
        return self.call(get_lead_body(key_type, key_value))


class HttpSoapCaller(SoapCalls):
    """Posts envelopes to a running server over one keep-alive HTTP connection (one per thread)."""

    def __init__(self, endpoint_url: str, timeout: float = 30):
        parts = urlsplit(endpoint_url)
        self.path = parts.path
        self.connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)

    def post(self, body: bytes | str) -> SoapResponse:
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.connection.request("POST", self.path, data, {"Content-Type": "text/xml; charset=utf-8"})
        response = self.connection.getresponse()
        return SoapResponse(response.status, response.getheader("Content-Type", ""), response.read())

    def close(self) -> None:
        self.connection.close()
