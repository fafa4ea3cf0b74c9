"""Between wire objects (spyne models) and domain objects: requests in, lead records out."""

from __future__ import annotations

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import attribute_sort_key
from mockmarketo.domain.leads import Lead, LeadChanges
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
