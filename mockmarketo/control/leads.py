"""Leads as the control API writes and reads them: JSON objects in, domain Leads out, and back.

    {"id": 1000001, "email": "a@example.com", "foreign_sys_person_id": null, "foreign_sys_type": null,
     "cookies": [], "partition": "Default", "attributes": {"FirstName": "Ada"},
     "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}

A seeded lead needs at least one identifier (id, email, foreign_sys_person_id or a cookie); attribute
names and values are checked against the field catalogue as syncLead checks them. `"activity": true`
(seeding only) gives the lead the New Lead activity syncLead would write; without it, none.
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

from mockmarketo.control.journal import iso
from mockmarketo.domain.auth import parse_timestamp
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import FOREIGN_SYS_TYPES, XS_INT_MAX, Lead
from mockmarketo.domain.workspaces import WorkspaceSetup
from mockmarketo.json_http import check_object

_KEYS = ("id", "email", "foreign_sys_person_id", "foreign_sys_type", "cookies", "partition", "attributes",
         "created_at", "updated_at", "activity")


class LeadJsonError(ValueError):
    """A lead object that cannot be seeded, described in one line."""


# what XML 1.0 cannot carry: a seeded value must come back in a SOAP response
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(where: str, value: str, error: type[Exception] = LeadJsonError) -> str:
    """`value` if XML can carry it; else `error` naming `where`."""
    found = _NOT_XML.search(value)
    if found:
        raise error(f"{where}: character U+{ord(found.group()):04X} cannot be sent in XML")
    return value


def lead_json(lead: Lead) -> dict:
    return {
        "id": lead.id, "email": lead.email, "foreign_sys_person_id": lead.foreign_sys_person_id,
        "foreign_sys_type": lead.foreign_sys_type, "cookies": list(lead.cookies), "partition": lead.partition,
        "attributes": dict(sorted(lead.attributes.items())),
        "created_at": time_json(lead.created_at), "updated_at": time_json(lead.updated_at),
    }


def time_json(moment: datetime | None) -> str | None:
    # the store keeps naive UTC times
    return None if moment is None else iso(moment.replace(tzinfo=timezone.utc))


def _string(where: str, key: str, value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise LeadJsonError(f"{where}.{key}: expected a non-empty string, got {value!r}")
    return xml_text(f"{where}.{key}", value)


def time_from_json(where: str, key: str, value, error: type[Exception] = LeadJsonError) -> datetime | None:
    """An ISO 8601 time of a JSON object as the store keeps it (naive UTC); None for null; else `error`."""
    if value is None:
        return None
    moment = parse_timestamp(value) if isinstance(value, str) else None
    try:
        if moment is not None:
            return moment.astimezone(timezone.utc).replace(tzinfo=None)
    except OverflowError:
        pass
    raise error(f"{where}.{key}: expected an ISO 8601 date and time, got {value!r}")


def json_value(where: str, value) -> str:
    """A field value of a JSON object as text: strings as they are, numbers as written, booleans as 1/0."""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, str):
        return xml_text(where, value)
    raise LeadJsonError(f"{where}: expected a string, number or boolean, got {value!r}")


def lead_from_json(payload, fields: FieldCatalogue, workspaces: WorkspaceSetup, where: str = "lead") -> Lead:
    """Check one lead object and make it a Lead to seed (id 0: the next id)."""
    check_object(payload, _KEYS, where, LeadJsonError)
    lead_id = payload.get("id")
    if lead_id is not None and (isinstance(lead_id, bool) or not isinstance(lead_id, int) or lead_id < 1):
        raise LeadJsonError(f"{where}.id: expected a positive integer, got {lead_id!r}")
    if lead_id is not None and lead_id > XS_INT_MAX:
        raise LeadJsonError(f"{where}.id: expected at most {XS_INT_MAX} (lead ids are xs:int), got {lead_id!r}")
    email = _string(where, "email", payload.get("email"))
    foreign_id = _string(where, "foreign_sys_person_id", payload.get("foreign_sys_person_id"))
    foreign_type = payload.get("foreign_sys_type")
    if foreign_id is not None and foreign_type not in FOREIGN_SYS_TYPES:
        raise LeadJsonError(f"{where}.foreign_sys_type: expected one of {', '.join(FOREIGN_SYS_TYPES)} with "
                            f"foreign_sys_person_id, got {foreign_type!r}")
    if foreign_id is None and foreign_type is not None:
        raise LeadJsonError(f"{where}.foreign_sys_type: given without foreign_sys_person_id")
    cookies = payload.get("cookies") or []
    if not isinstance(cookies, list):
        raise LeadJsonError(f"{where}.cookies: expected a list of strings, got {cookies!r}")
    cookies = [_string(where, "cookies", cookie) for cookie in cookies]
    if not isinstance(payload.get("activity", False), bool):
        raise LeadJsonError(f"{where}.activity: expected true or false, got {payload['activity']!r}")
    if lead_id is None and email is None and foreign_id is None and not cookies:
        raise LeadJsonError(f"{where}: needs an id, email, foreign_sys_person_id or cookie")
    partition = payload.get("partition", workspaces.default_workspace.primary_partition)
    if partition not in workspaces.partitions:
        raise LeadJsonError(f"{where}.partition: unknown partition {partition!r} (known: "
                            f"{', '.join(workspaces.partitions)})")
    attributes = payload.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise LeadJsonError(f"{where}.attributes: expected an object of field names and values")
    if "Email" in attributes:
        raise LeadJsonError(f"{where}.attributes.Email: give the email as the lead's \"email\"")
    unknown = fields.unknown(attributes)
    if unknown:
        raise LeadJsonError(f"{where}.attributes: unknown fields: {', '.join(unknown)}")
    values = {}
    for name, value in attributes.items():
        try:
            values[name] = fields.normalise(name, json_value(f"{where}.attributes.{name}", value))
        except MarketoError as error:
            raise LeadJsonError(f"{where}.attributes.{name}: {error.message}") from None
    return Lead(id=lead_id or 0, email=email, foreign_sys_person_id=foreign_id,
                foreign_sys_type=foreign_type if foreign_id is not None else None,
                attributes={name: value for name, value in values.items() if value != ""},
                cookies=cookies, partition=partition,
                created_at=time_from_json(where, "created_at", payload.get("created_at")),
                updated_at=time_from_json(where, "updated_at", payload.get("updated_at")))
