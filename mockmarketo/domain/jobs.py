"""The work a call leaves to be done at a later time: campaign runs and list imports.

A CampaignRun is made by requestCampaign (source `request`) or scheduleCampaign (`schedule`); it is
`pending` until its due time, then `done` (`errors` lists the flow steps that could not apply) or
`failed` (its campaign vanished). A ListImport is made by importToList; it is PROCESSING until its due
time, then COMPLETE with its counts. Times are naive UTC, as the store keeps them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

PENDING, DONE, FAILED = "pending", "done", "failed"
REQUEST, SCHEDULE = "request", "schedule"
PROCESSING, COMPLETE = "PROCESSING", "COMPLETE"


@dataclass
class CampaignRun:
    campaign_id: int
    campaign: str  # the campaign's full name
    program: str | None
    source: str  # REQUEST or SCHEDULE
    leads: list[int]  # requests: the leads asked for; schedules: the smart list's, once run
    tokens: dict[str, str]  # My Tokens of this run: the program's, overridden by the call's
    created_at: datetime
    due_at: datetime
    status: str = PENDING
    ran_at: datetime | None = None
    errors: list[str] = field(default_factory=list)
    id: int = 0


@dataclass
class ListImport:
    program: str
    list_id: int
    list_name: str
    columns: list[str]  # per header column: a field's API name, or a My Token "{{my.name}}"
    rows: list[str]  # the CSV rows as sent
    mode: str  # UPSERTLEADS or LISTONLY
    clear_list: bool
    campaign_id: int | None  # the campaign the token columns are for
    started_at: datetime
    due_at: datetime
    status: str = PROCESSING
    ended_at: datetime | None = None
    imported: int = 0
    failed: int = 0
    ignored: int = 0
    summary: str | None = None
    id: int = 0
