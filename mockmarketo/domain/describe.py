"""describeMObject and listMObjects: the metadata of ActivityRecord, LeadRecord, Opportunity and
OpportunityPersonRole (facts-more-ops §11.4, §11.5).

ActivityRecord is Marketo's documented answer, field by field. LeadRecord is made from the instance's
field catalogue, custom fields included: Id, Email, ForeignSysPersonId and ForeignSysType are the static
members of LeadRecord, every other field a dynamic one of its leadAttributeList, with its UI label as
displayName and its attrType as dataType (what schema-guessing clients such as embulk read). Opportunity
and OpportunityPersonRole are made from their entries in domain.mobject_types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timezone

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import STANDARD_FIELDS, FieldCatalogue, attribute_sort_key
from mockmarketo.domain.mobject_types import LISTED, TYPES, MObjectType

# every updatedAt of Marketo's documented metadata
UPDATED_AT = datetime(2010, 1, 1, tzinfo=timezone.utc)
# standard lead fields that Marketo keeps on the lead's company
COMPANY_FIELDS = frozenset({"AnnualRevenue", "BillingCity", "BillingCountry", "BillingPostalCode", "BillingState",
                            "BillingStreet", "Company", "Industry", "MainPhone", "NumberOfEmployees", "SICCode",
                            "Site", "Website"})
_SIZES = {"string": 255, "email": 255, "url": 255, "phone": 255, "reference": 255, "integer": 10, "score": 10}


@dataclass(frozen=True)
class FieldMetadata:
    name: str
    data_type: str
    description: str | None = None
    display_name: str | None = None
    source_object: str | None = None
    size: int | None = None
    is_readonly: bool = False
    is_update_blocked: bool = False
    is_name: bool | None = False
    is_primary_key: bool = False
    is_custom: bool = False
    is_dynamic: bool = False
    dynamic_field_ref: str | None = None
    updated_at: datetime = UPDATED_AT


@dataclass(frozen=True)
class ObjectMetadata:
    name: str
    description: str | None
    is_custom: bool
    is_virtual: bool
    fields: list[FieldMetadata]
    updated_at: datetime = UPDATED_AT


def _event_field(name, description, source, data_type, size, is_name=False, is_primary_key=False):
    return FieldMetadata(name, data_type, description, None, source, size, is_readonly=True,
                         is_update_blocked=True, is_name=is_name, is_primary_key=is_primary_key)


# Marketo's describeMObject(ActivityRecord), verbatim
ACTIVITY_RECORD = ObjectMetadata(
    "ActivityRecord", "Composite object composed of fields from Event, Campaign, Lead, and Company",
    is_custom=False, is_virtual=True, fields=[
        _event_field("id", "Unique system id of Event", "Event", "integer", 10, is_primary_key=True),
        _event_field("activityDateTime", "Event timestamp", "Event", "dateTime", None),
        _event_field("activityType", "Name of Event", "Event", "string", 255, is_name=True),
        _event_field("mktgAssetName", "Name of email, landing page, or object field", "Event", "string", 255),
        _event_field("activityAttributes", "Array of name / value pairs of dynamic event attributes", "Event",
                     "Array", None),
        _event_field("campaign", "Name of Campaign that caused the Event", "Campaign", "string", 255),
        _event_field("personName", "Name of Lead that owns the Event", "Lead", "string", 255),
        _event_field("mktPersonId", "Unique system id of Lead", "Lead", "integer", 10),
        _event_field("foreignSysId", "Unique foreign system id of Lead", "Lead", "string", 50),
        _event_field("orgName", "Name of Company associated to the Lead", "Company", "string", 255),
        _event_field("foreignSysOrgId", "Unique foreign system id of Company", "Company", "string", 50),
    ])


def describe(object_name: str | None, fields: FieldCatalogue) -> ObjectMetadata:
    """The metadata of a listed object (name compared without regard to case); 20109/20110 otherwise."""
    if object_name is None or not object_name.strip():
        raise MarketoError(20109, "describeMObject: objectName is required")
    name = next((listed for listed in LISTED if listed.lower() == object_name.strip().lower()), None)
    if name is None:
        raise MarketoError(20110, f"describeMObject: unknown object {object_name!r} (known: {', '.join(LISTED)})")
    if name == "ActivityRecord":
        return ACTIVITY_RECORD
    if name == "LeadRecord":
        return lead_record(fields)
    return mobject(TYPES[name])


def lead_record(fields: FieldCatalogue) -> ObjectMetadata:
    static = [
        FieldMetadata("Id", "integer", "Unique system id of Lead", "Id", "Lead", 10, is_readonly=True,
                      is_update_blocked=True, is_name=None, is_primary_key=True),
        FieldMetadata("Email", "email", None, fields.display_name("Email"), "Lead", 255, is_name=None),
        FieldMetadata("ForeignSysPersonId", "string", "Unique foreign system id of Lead", "ForeignSysPersonId",
                      "Lead", 255, is_name=None),
        FieldMetadata("ForeignSysType", "string", "Foreign system of ForeignSysPersonId (CUSTOM, SFDC, NETSUITE)",
                      "ForeignSysType", "Lead", 255, is_name=None),
    ]
    dynamic = [
        FieldMetadata(name, fields.type_of(name), None, fields.display_name(name),
                      "Company" if name in COMPANY_FIELDS else "Lead", _SIZES.get(fields.type_of(name)),
                      is_name=None, is_custom=name not in STANDARD_FIELDS, is_dynamic=True,
                      dynamic_field_ref="leadAttributeList")
        for name in sorted((n for n in fields.names() if n != "Email"), key=attribute_sort_key)
    ]
    return ObjectMetadata("LeadRecord", "Lead record: Id, Email, ForeignSysPersonId, ForeignSysType and the fields "
                                        "of leadAttributeList", is_custom=False, is_virtual=False,
                          fields=static + dynamic)


def _label(name: str) -> str:
    """`CloseDate` -> `Close Date`."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


def mobject(object_type: MObjectType) -> ObjectMetadata:
    name = object_type.name
    static = [
        FieldMetadata("id", "integer", f"Unique system id of {name}", "Id", name, 10, is_readonly=True,
                      is_update_blocked=True, is_primary_key=True),
        FieldMetadata("createdAt", "datetime", "When the object was created", "Created At", name, None,
                      is_readonly=True, is_update_blocked=True),
        FieldMetadata("updatedAt", "datetime", "When the object was last updated", "Updated At", name, None,
                      is_readonly=True, is_update_blocked=True),
    ]
    dynamic = [FieldMetadata(field, attr_type, None, _label(field), name, _SIZES.get(attr_type),
                             is_name=field == "Name", is_dynamic=True, dynamic_field_ref="attribList")
               for field, attr_type in object_type.fields.items()]
    return ObjectMetadata(name, object_type.description, is_custom=False, is_virtual=False, fields=static + dynamic)
