"""The matching rule of syncLead: which stored lead a lead record means (facts §9.1–§9.4).

Keys are tried in Marketo's precedence, Id > ForeignSysPersonId > marketoCookie > Email:
- Id is a unique key that must exist: an Id that matches no lead is fault 20103, never a new lead.
- ForeignSysPersonId is a unique key; when it matches no lead, the lower keys are tried and the lead
  found (or created) gets this foreign id.
- A known cookie means its lead; an unknown cookie is attached to whichever lead the call syncs.
- Email is not unique: of several leads with the email, the most recently created one is meant.
- No match means a new lead.
syncMultipleLeads with dedupEnabled false skips the Email key (facts §9.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import FOREIGN_SYS_TYPES, Lead, LeadChanges

BY_ID = "Id"
BY_FOREIGN_ID = "ForeignSysPersonId"
BY_COOKIE = "marketoCookie"
BY_EMAIL = "Email"


@dataclass(frozen=True)
class Match:
    """The lead a record matched (None: a new lead is to be made) and the key that matched it."""

    lead: Lead | None
    key: str | None


def check_keys(changes: LeadChanges) -> None:
    """Refuse key combinations Marketo refuses, before anything is looked up."""
    if changes.foreign_sys_person_id is not None and changes.foreign_sys_type is None:
        raise MarketoError(20109, "ForeignSysType must be specified when ForeignSysPersonId is present")
    if changes.foreign_sys_type is not None and changes.foreign_sys_type not in FOREIGN_SYS_TYPES:
        raise MarketoError(
            20110, f"ForeignSysType {changes.foreign_sys_type!r} is not one of {', '.join(FOREIGN_SYS_TYPES)}")


def find_lead(repo, changes: LeadChanges, cookie: str | None, *, by_email: bool = True) -> Match:
    """Apply the precedence to the stored leads of `repo` (a store.LeadRepository).

    `by_email=False` (syncMultipleLeads with dedupEnabled false) never matches by Email: a record no
    unique key matches is a new lead, even if leads with its email exist.
    """
    check_keys(changes)
    if changes.id is not None:
        lead = repo.by_id(changes.id)
        if lead is None:
            raise MarketoError(20103, f"No lead found with IDNUM = {changes.id}")
        return Match(lead, BY_ID)
    if changes.foreign_sys_person_id is not None:
        lead = repo.by_foreign_id(changes.foreign_sys_person_id)
        if lead is not None:
            return Match(lead, BY_FOREIGN_ID)
    if cookie:
        lead = repo.by_cookie(cookie)
        if lead is not None:
            return Match(lead, BY_COOKIE)
    email = changes.email if changes.email is not None else _email_attribute(changes)
    if email and by_email:
        leads = repo.by_email(email)
        if leads:
            return Match(leads[0], BY_EMAIL)
    return Match(None, None)


def _email_attribute(changes: LeadChanges) -> str | None:
    """An `Email` attribute in the list counts as the Email key when the element is absent (facts §9.3)."""
    found = None
    for name, value in changes.attributes:
        if name == "Email":
            found = value
    return found
