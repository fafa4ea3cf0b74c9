"""importToList and getImportToListStatus (facts-more-ops §9): a CSV import into a static list of a
program, done in the background.

The call checks what it can at once and answers PROCESSING: the program (20111), the list, which must be
in that program (20111), the mode (UPSERTLEADS or LISTONLY, 20110), the campaign the token columns are
for (a campaign of the same program, 20113; needed when the header has token columns, 20109). The header
is one CSV line of field display names (`Email Address`, `First Name`; API names are accepted too) and
My Token columns (`{{my.name}}`); an unknown or repeated column is 20110, and an `Email Address` column
is required (20110): rows are matched to leads by email, as Marketo's list import does. One import into
a list at a time (another while it is PROCESSING: 20110).

The job is done when `[imports] duration_ms` has passed (a status call or the background runner does
it): `clearList` empties the list first; then each row (a CSV line, quoted fields allowed) is imported
on its own, so a bad row is counted, never fatal:
- UPSERTLEADS: the lead with the row's email is updated (the most recently created one), or created;
  empty cells change nothing. New leads get a New Lead, changes a Change Data Value, both with
  `List import` as source/reason. The lead is added to the list.
- LISTONLY: the lead with the row's email is added to the list, its fields untouched; a row whose email
  names no lead is ignored.
- a row with the wrong number of cells, no email or a value its field refuses fails; a blank row is
  ignored.
Token cells are kept for the lead's next run of the campaign. getImportToListStatus then answers
COMPLETE with rowsImported / rowsFailed / rowsIgnored and an importSummary naming the failed rows.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import timedelta

from mockmarketo.domain.assets import StaticList, is_token_name
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.jobs import COMPLETE, PROCESSING, ListImport
from mockmarketo.domain.leads import LeadChanges
from mockmarketo.domain.static_lists import add_members, remove_members
from mockmarketo.domain.sync import sync_lead

UPSERT, LIST_ONLY = "UPSERTLEADS", "LISTONLY"
MODES = (UPSERT, LIST_ONLY)
LIST_IMPORT = "List import"
_SUMMARY_ERRORS = 10


@dataclass(frozen=True)
class ImportRequest:
    program_name: str | None
    list_name: str | None
    header: str | None
    rows: list[str | None] | None
    mode: str | None
    clear_list: bool | None
    campaign_name: str | None


def _csv(line: str) -> list[str]:
    return next(csv.reader([line], skipinitialspace=True), [])


def _program_list(ctx, program_name: str | None, list_name: str | None) -> StaticList:
    program_name, list_name = (program_name or "").strip(), (list_name or "").strip()
    if not program_name or not list_name:
        raise MarketoError(20109, "programName and listName are required")
    program = ctx.assets.program(program_name)
    if program is None:
        raise MarketoError(20111, f"There is no program {program_name!r}")
    found = ctx.assets.static_list(list_name)
    if found is None or (found.program or "").lower() != program.name.lower():
        raise MarketoError(20111, f"ListKey specifies a list that does not exist: no static list {list_name!r} "
                                  f"in program {program.name!r}")
    return found


def import_to_list(ctx, request: ImportRequest, duration: timedelta = timedelta()) -> ListImport:
    static_list = _program_list(ctx, request.program_name, request.list_name)
    mode = (request.mode or "").strip()
    if not mode:
        raise MarketoError(20109, "importListMode is required")
    if mode not in MODES:
        raise MarketoError(20110, f"importListMode {mode!r} is not one of {', '.join(MODES)}")
    columns = _columns(ctx.fields, request.header)
    campaign_id = _token_campaign(ctx, static_list, columns, request.campaign_name)
    latest = ctx.repo.marketing.imports.latest(static_list.id)
    if latest is not None and latest.status == PROCESSING and latest.due_at > ctx.now:
        raise MarketoError(20110, f"An import into list {static_list.name!r} is still PROCESSING")
    now = ctx.now
    job = ListImport(static_list.program, static_list.id, static_list.name, columns,
                     [row if row is not None else "" for row in request.rows or []], mode,
                     bool(request.clear_list), campaign_id, now, now + duration)
    ctx.repo.marketing.imports.add(job)
    if not duration:
        process_import(ctx, job)
    return job


def _columns(fields, header: str | None) -> list[str]:
    if header is None or not header.strip():
        raise MarketoError(20109, "importFileHeader is required")
    columns = []
    for label in (cell.strip() for cell in _csv(header)):
        column = label if is_token_name(label) else fields.by_display_name(label)
        if column is None:
            raise MarketoError(20110, f"importFileHeader: no lead field is called {label!r} (the header names "
                                      "fields by their display names, e.g. Email Address)")
        if column in columns:
            raise MarketoError(20110, f"importFileHeader: column {label!r} is given twice")
        columns.append(column)
    if "Email" not in columns:
        raise MarketoError(20110, "importFileHeader needs an Email Address column: rows are matched to leads "
                                  "by email")
    return columns


def _token_campaign(ctx, static_list: StaticList, columns: list[str], name: str | None) -> int | None:
    name = (name or "").strip()
    if not name:
        if any(is_token_name(column) for column in columns):
            raise MarketoError(20109, "campaignName is required with My Token columns: the tokens are for "
                                      "that campaign's next run")
        return None
    campaign = ctx.assets.campaign_named(static_list.program, name)
    if campaign is None:
        raise MarketoError(20113, f"Campaign {name!r} does not exist in program {static_list.program!r}")
    return campaign.id


def import_status(ctx, program_name: str | None, list_name: str | None) -> ListImport:
    """The last import into the list, done first if it is due."""
    static_list = _program_list(ctx, program_name, list_name)
    job = ctx.repo.marketing.imports.latest(static_list.id)
    if job is None:
        raise MarketoError(20110, f"No import into list {static_list.name!r} of program {static_list.program!r} "
                                  "has been made")
    if job.status == PROCESSING and job.due_at <= ctx.now:
        process_import(ctx, job)
    return job


def process_import(ctx, job: ListImport) -> ListImport:
    """Import the job's rows now and store it COMPLETE."""
    static_list = ctx.assets.static_list(list_id=job.list_id) or StaticList(job.list_id, job.list_name)
    if job.clear_list:
        remove_members(ctx, static_list, ctx.members.members(static_list.id))
    errors = []
    for number, row in enumerate(job.rows, 1):
        if not row.strip():
            job.ignored += 1
            continue
        try:
            with ctx.repo.savepoint():
                imported = _import_row(ctx, job, static_list, _csv(row))
        except MarketoError as error:
            job.failed += 1
            errors.append(f"row {number}: {error.message}")
        else:
            if imported:
                job.imported += 1
            else:
                job.ignored += 1
    job.status, job.ended_at = COMPLETE, ctx.now
    job.summary = f"{job.imported} imported, {job.failed} failed, {job.ignored} ignored"
    if errors:
        more = len(errors) - _SUMMARY_ERRORS
        job.summary += ". " + "; ".join(errors[:_SUMMARY_ERRORS]) + (f"; {more} more" if more > 0 else "")
    ctx.repo.marketing.imports.save(job)
    return job


def _import_row(ctx, job: ListImport, static_list: StaticList, cells: list[str]) -> bool:
    """Import one row; False if it is ignored."""
    if len(cells) != len(job.columns):
        raise MarketoError(20110, f"expected {len(job.columns)} values, got {len(cells)}")
    values = dict(zip(job.columns, (cell.strip() for cell in cells)))
    email = values.pop("Email")
    if not email:
        raise MarketoError(20110, "no Email Address")
    tokens = {name: values.pop(name) for name in list(values) if is_token_name(name)}
    if job.mode == UPSERT:
        changes = LeadChanges(email=email, attributes=[(name, value) for name, value in values.items() if value])
        lead = sync_lead(ctx.repo, ctx.fields, ctx.placement, changes, operation="importToList",
                         zone=ctx.log.zone, source=LIST_IMPORT, reason=LIST_IMPORT).lead
    else:
        leads = ctx.repo.by_email(email)
        if not leads:
            return False
        lead = leads[0]
    add_members(ctx, static_list, [lead.id])
    if tokens and job.campaign_id is not None:
        ctx.repo.marketing.runs.set_lead_tokens(job.campaign_id, lead.id, tokens)
    return True
