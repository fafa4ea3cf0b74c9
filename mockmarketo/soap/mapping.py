"""Between wire objects (spyne models) and domain objects: requests in, lead records out."""

from __future__ import annotations

from mockmarketo.domain.batch import RejectedRecord
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import attribute_sort_key
from mockmarketo.domain.leads import Lead, LeadChanges
from mockmarketo.domain.selection import KeySelector, LeadQuery, ListSelector, UpdatedSelector
from mockmarketo.soap import models as m


def lead_changes(record: m.LeadRecord | None) -> LeadChanges:
    """A request LeadRecord as domain LeadChanges; attributes without a name are refused (20109)."""
    if record is None:
        raise MarketoError(20109, "leadRecord is required")
    attributes = []
    attribute_list = record.leadAttributeList
    for attribute in (attribute_list.attribute or []) if attribute_list is not None else []:
        if attribute is None or not attribute.attrName:
            raise MarketoError(20109, "attribute without attrName")
        value = attribute.attrValue
        attributes.append((attribute.attrName, "" if value is None else value))
    return LeadChanges(
        id=record.Id,
        email=_text(record.Email),
        foreign_sys_person_id=_text(record.ForeignSysPersonId),
        foreign_sys_type=_text(record.ForeignSysType),
        attributes=attributes,
    )


def batch_records(record_list: m.ArrayOfLeadRecord) -> list[LeadChanges | RejectedRecord]:
    """syncMultipleLeads' records in request order; one that cannot be read is kept as a RejectedRecord,
    so that it is reported FAILED in its place instead of failing the call."""
    records: list[LeadChanges | RejectedRecord] = []
    for record in record_list.leadRecord or []:
        try:
            records.append(lead_changes(record))
        except MarketoError as error:
            records.append(RejectedRecord(record.Id if record is not None else None, error))
    return records


# Marketo's own message for this case (facts §5.1), with what to send
_NO_CRITERIA = "No selection criteria found in request: send leadSelector or lastUpdatedAt"


def lead_query(request: m.ParamsGetMultipleLeads | None) -> LeadQuery:
    """A getMultipleLeads request as a domain LeadQuery. leadSelector wins over the legacy lastUpdatedAt."""
    if request is None:
        raise MarketoError(20109, _NO_CRITERIA)
    include = request.includeAttributes
    return LeadQuery(
        selector=_selector(request),
        stream_position=request.streamPosition,
        batch_size=request.batchSize,
        include_attributes=tuple(name.strip() for name in strings(include) if name.strip()),
    )


def _selector(request: m.ParamsGetMultipleLeads):
    selector = lead_selector(request.leadSelector)
    if selector is None:
        if request.lastUpdatedAt is None:
            raise MarketoError(20109, _NO_CRITERIA)
        return UpdatedSelector(oldest=request.lastUpdatedAt)
    return selector


def lead_selector(selector: m.LeadSelector | None):
    """A request's leadSelector as a domain selector (domain.selection); None when absent."""
    if selector is None:
        return None
    if isinstance(selector, m.LeadKeySelector):
        if not selector.keyType:
            raise MarketoError(20101, "LeadKeySelector needs a keyType")
        return KeySelector(selector.keyType, tuple(strings(selector.keyValues)))
    if isinstance(selector, m.LastUpdateAtSelector):
        if selector.oldestUpdatedAt is None:
            raise MarketoError(20109, "LastUpdateAtSelector needs oldestUpdatedAt")
        return UpdatedSelector(oldest=selector.oldestUpdatedAt, latest=selector.latestUpdatedAt)
    if isinstance(selector, m.StaticListSelector):
        return ListSelector(name=_text(selector.staticListName), list_id=selector.staticListId)
    raise MarketoError(20110, "leadSelector must name its type with xsi:type: LeadKeySelector, "
                              "LastUpdateAtSelector or StaticListSelector")


def lead_key(key: m.LeadKey | None) -> tuple[str, str]:
    """A request's leadKey as (keyType, keyValue): 20101 without a keyType, 20109 without a keyValue."""
    if key is None or not key.keyType:
        raise MarketoError(20101, "LeadKey is required but was not provided")
    if key.keyValue is None:
        raise MarketoError(20109, "keyValue is required")
    return key.keyType, key.keyValue


def strings(array: m.ArrayOfString | None) -> list[str]:
    """The stringItems of an ArrayOfString (none for an absent one)."""
    return [item for item in (array.stringItem or []) if item is not None] if array is not None else []


def _text(value: str | None) -> str | None:
    """Empty or blank key elements count as absent, as an empty marketoCookie does."""
    if value is None:
        return None
    value = value.strip()
    return value or None


def lead_record(lead: Lead, attribute_type) -> m.LeadRecord:
    """A stored lead as Marketo returns it (facts §7): Email outside the list, every non-empty attribute
    with its attrType, sorted as Marketo sorts them."""
    names = sorted((n for n, v in lead.attributes.items() if v != ""), key=attribute_sort_key)
    attributes = [m.Attribute(attrName=name, attrType=attribute_type(name), attrValue=lead.attributes[name])
                  for name in names]
    return m.LeadRecord(
        Id=lead.id,
        Email=lead.email,
        ForeignSysPersonId=lead.foreign_sys_person_id,
        ForeignSysType=lead.foreign_sys_type,
        leadAttributeList=m.ArrayOfAttribute(attribute=attributes),
    )
