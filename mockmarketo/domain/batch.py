"""syncMultipleLeads: syncLead's create-or-update for up to 300 records in one call (facts §9.1).

Each record is synced with `sync.sync_lead` under syncMultipleLeads' two rules:
- an Email used as a key is not written unless Email is also in the attribute list;
- `dedupEnabled` false: Email is not a match key, so a record without a matching Id or
  ForeignSysPersonId always makes a new lead (duplicates allowed); true (the default): Email
  matches as in syncLead.
Each record runs in its own savepoint. A record that fails (unknown attribute, bad value, unknown Id,
ForeignSysPersonId without ForeignSysType, …) is reported FAILED with the error's text and leaves no
trace; the records before and after it are synced as if it had not been sent. Statuses come back in
request order. A FAILED record's leadId is the Id it named, else 0 (Marketo's value is not documented;
facts §12).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timezone, tzinfo

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import LeadChanges
from mockmarketo.domain.sync import sync_lead
from mockmarketo.domain.workspaces import Placement

OPERATION = "syncMultipleLeads"
MAX_RECORDS = 300


@dataclass(frozen=True)
class RejectedRecord:
    """A record the protocol layer could not read into LeadChanges: reported FAILED in its place."""

    id: int | None
    error: MarketoError


@dataclass(frozen=True)
class RecordStatus:
    """One syncStatus of the answer."""

    lead_id: int
    status: str  # CREATED, UPDATED or FAILED
    error: str | None = None


def check_batch_size(count: int) -> None:
    """More than 300 records is refused as a whole (20110), before anything is written."""
    if count > MAX_RECORDS:
        raise MarketoError(
            20110, f"{OPERATION}: leadRecordList holds {count} lead records; at most {MAX_RECORDS} are allowed")


def sync_multiple_leads(repo, fields: FieldCatalogue, placement: Placement,
                        records: Sequence[LeadChanges | RejectedRecord], dedup: bool = True,
                        zone: tzinfo = timezone.utc) -> list[RecordStatus]:
    """Sync every record inside the caller's write transaction, each in a savepoint of its own."""
    check_batch_size(len(records))
    statuses = []
    for record in records:
        if isinstance(record, RejectedRecord):
            statuses.append(_failed(record.id, record.error))
            continue
        try:
            with repo.savepoint():
                outcome = sync_lead(repo, fields, placement, record, operation=OPERATION,
                                    email_key_updates=False, dedup=dedup, zone=zone)
        except MarketoError as error:
            statuses.append(_failed(record.id, error))
        else:
            statuses.append(RecordStatus(outcome.lead.id, outcome.status))
    return statuses


def _failed(lead_id: int | None, error: MarketoError) -> RecordStatus:
    return RecordStatus(lead_id or 0, "FAILED", error.message)
