"""Syncing lead records into the store: syncLead's create-or-update, with the matching rule applied
(syncMultipleLeads runs it once per record, see domain.batch), and the activities it writes (a New Lead,
or a Change Data Value per changed field: domain.activities)."""

from __future__ import annotations

from datetime import timezone, tzinfo

from mockmarketo.domain.activities import REASON_SOAP_API, SOURCE_WEB_SERVICE, ActivityLog
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import XS_INT_MAX, Lead, LeadChanges, SyncOutcome
from mockmarketo.domain.matching import BY_ID, find_lead
from mockmarketo.domain.workspaces import Placement


def validated_attributes(fields: FieldCatalogue, changes: LeadChanges, operation: str) -> dict[str, str]:
    """The record's attributes as stored values, or 20105 naming every unknown field (facts §5.1)."""
    unknown = fields.unknown(name for name, _ in changes.attributes)
    if unknown:
        raise MarketoError(20105, f"{operation} operation failed: unknown fields for import: {', '.join(unknown)}")
    return {name: fields.normalise(name, value) for name, value in changes.attributes}


def sync_lead(repo, fields: FieldCatalogue, placement: Placement, changes: LeadChanges,
              cookie: str | None = None, *, operation: str = "syncLead",
              email_key_updates: bool = True, dedup: bool = True, zone: tzinfo = timezone.utc,
              source: str = SOURCE_WEB_SERVICE, reason: str = REASON_SOAP_API) -> SyncOutcome:
    """Create or update the lead `changes` means, inside the caller's write transaction.

    `email_key_updates=False` is syncMultipleLeads' rule: an Email used as a key does not change the
    email of a lead matched by another key unless Email is also in the attribute list (facts §9.1).
    `dedup=False` is its dedupEnabled false: Email is not a match key, so a record that no unique key
    matches always makes a new lead. `zone` is the instance's time zone, for the activities' dates;
    `source` and `reason` name the change in them (importToList's differ from the SOAP API's).
    """
    log = ActivityLog(repo.activities, fields, zone)
    cookie = cookie.strip() if cookie else None
    attributes = validated_attributes(fields, changes, operation)
    email = attributes.pop("Email", None)
    if email is None and email_key_updates:
        email = changes.email
    match = find_lead(repo, changes, cookie, by_email=dedup)

    if match.lead is None:
        lead = Lead(
            id=0,
            email=email if email is not None else changes.email,
            foreign_sys_person_id=changes.foreign_sys_person_id,
            foreign_sys_type=changes.foreign_sys_type if changes.foreign_sys_person_id is not None else None,
            attributes={name: value for name, value in attributes.items() if value != ""},
            cookies=[cookie] if cookie else [],
            partition=placement.partition_for_new_lead(attributes),
        )
        # (find_lead found no lead with this foreign id, so it is free)
        if repo.lock() > XS_INT_MAX:
            raise MarketoError(20106, f"{operation} operation failed: lead ids are exhausted (the next would "
                                      f"exceed {XS_INT_MAX}, the largest xs:int)")
        created = repo.create(lead)
        log.new_lead(created.id, created.created_at, source)
        return SyncOutcome(created, "CREATED")

    lead = match.lead
    placement.check_existing_lead(lead, match.key)
    changed: list[tuple[str, str, str]] = []  # (field, old value, new value), in request order
    if email is not None:
        changed.append(("Email", lead.email or "", email))
        lead.email = email
    if changes.foreign_sys_person_id is not None and (
            match.key == BY_ID or lead.foreign_sys_person_id != changes.foreign_sys_person_id):
        lead.foreign_sys_person_id = changes.foreign_sys_person_id
        lead.foreign_sys_type = changes.foreign_sys_type
        _check_foreign_id_free(repo, lead)
    for name, value in attributes.items():
        changed.append((name, lead.attributes.get(name, ""), value))
        if value == "":
            lead.attributes.pop(name, None)
        else:
            lead.attributes[name] = value
    if cookie and cookie not in lead.cookies:
        lead.cookies.append(cookie)
    saved = repo.save(lead)
    log.data_changed(saved.id, saved.updated_at, changed, reason=reason)
    return SyncOutcome(saved, "UPDATED")


def _check_foreign_id_free(repo, lead: Lead) -> None:
    if lead.foreign_sys_person_id is None:
        return
    holder = repo.by_foreign_id(lead.foreign_sys_person_id)
    if holder is not None and holder.id != lead.id:
        raise MarketoError(
            20106, f"ForeignSysPersonId {lead.foreign_sys_person_id} already belongs to lead {holder.id}")
