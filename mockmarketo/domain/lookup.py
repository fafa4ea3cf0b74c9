"""Finding leads by a LeadKey (getLead, getMultipleLeads' LeadKeySelector; facts §2.4, §9.5)."""

from __future__ import annotations

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import XS_INT_MAX, Lead

# keyType -> foreign system type whose ForeignSysPersonId the key value is
SFDC_PERSON_KEYS = {"SFDCLEADID": "SFDC", "SFDCCONTACTID": "SFDC"}
# In Marketo's enumeration, but naming accounts, opportunities or owners, which mockmarketo does not hold.
UNSUPPORTED_KEY_TYPES = ("LEADOWNEREMAIL", "SFDCACCOUNTID", "SFDCLEADOWNERID", "SFDCOPPTYID")
# Lead ids are xs:int in the WSDL: a number outside it names no lead.


def find_by_key(repo, key_type: str, key_value: str) -> list[Lead]:
    """Every lead the key names, newest first (several only for EMAIL); empty when none matches."""
    value = key_value.strip()
    if key_type == "IDNUM":
        try:
            lead_id = int(value)
        except ValueError:
            raise MarketoError(20102, f"keyValue {key_value!r} is not a lead id (IDNUM)") from None
        found = repo.by_id(lead_id) if 0 < lead_id <= XS_INT_MAX else None
        return [found] if found else []
    if key_type == "EMAIL":
        return repo.by_email(value) if value else []
    if key_type == "COOKIE":
        found = repo.by_cookie(value)
        return [found] if found else []
    if key_type in SFDC_PERSON_KEYS:
        found = repo.by_foreign_id(value, SFDC_PERSON_KEYS[key_type])
        return [found] if found else []
    if key_type in UNSUPPORTED_KEY_TYPES:
        raise MarketoError(20102, f"keyType {key_type} is not emulated by mockmarketo")
    raise MarketoError(20102, f"LeadKeyType {key_type!r} is not valid")


def get_lead(repo, key_type: str, key_value: str) -> list[Lead]:
    """getLead: the matches, or 20103 with Marketo's message (facts §5.1)."""
    found = find_by_key(repo, key_type, key_value)
    if not found:
        raise MarketoError(20103, f"No lead found with {key_type} = {key_value}")
    return found
