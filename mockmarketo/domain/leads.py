"""The lead as the domain sees it, and what a caller asks to sync into one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

FOREIGN_SYS_TYPES = ("CUSTOM", "SFDC", "NETSUITE")
DEFAULT_PARTITION = "Default"
XS_INT_MAX = 2**31 - 1  # the largest xs:int: lead ids and every int on the wire


@dataclass
class Lead:
    """A stored lead. `attributes` holds every field value except Email, which is `email`."""

    id: int
    email: str | None = None
    foreign_sys_person_id: str | None = None
    foreign_sys_type: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    cookies: list[str] = field(default_factory=list)
    partition: str = DEFAULT_PARTITION
    created_at: datetime | None = None
    updated_at: datetime | None = None


@dataclass
class LeadChanges:
    """One lead record of a sync call: its keys and attributes, as sent (unknown names included).

    A key left as None was absent or nil on the wire. `attributes` keeps the order and repeats of the
    request; the last value of a repeated name wins.
    """

    id: int | None = None
    email: str | None = None
    foreign_sys_person_id: str | None = None
    foreign_sys_type: str | None = None
    attributes: list[tuple[str, str]] = field(default_factory=list)


@dataclass(frozen=True)
class SyncOutcome:
    """The result of syncing one lead: the stored lead and whether it was created or updated."""

    lead: Lead
    status: str  # "CREATED" or "UPDATED"
