"""The request journal: every SOAP call of one instance, newest last, bounded so a long run cannot
exhaust memory: the oldest entries drop out past `journal_size` entries, or when all journals together
pass their byte budget (control.journal_budget)."""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime

OUTCOMES = ("success", "fault", "http500", "malformed", "drop")
from mockmarketo.control.journal_budget import JournalBudget, clip_entry, release_memory


def iso(moment: datetime) -> str:
    """A UTC time as ISO 8601 with `Z`."""
    return moment.isoformat().replace("+00:00", "Z")


@dataclass
class JournalEntry:
    time: datetime
    operation: str | None
    user_id: str | None
    workspace: str | None
    params: dict | None
    outcome: str  # one of OUTCOMES
    http_status: int | None
    statuses: list[str]
    fault_code: int | None
    fault_message: str | None
    injection: int | None
    duration_ms: float
    request_xml: str | None
    response_xml: str | None
    emails: list[str] = field(default_factory=list)
    seq: int = 0
    path: str | None = None
    request_headers: dict[str, str] = field(default_factory=dict)
    response_headers: dict[str, str] = field(default_factory=dict)
    # what the fault's text does not say, e.g. why authentication failed (never on the wire)
    reason: str | None = None
    lead_ids: list[int] = field(default_factory=list)  # leads the call created, updated or read

    def to_json(self) -> dict:
        return {
            "seq": self.seq, "time": iso(self.time), "operation": self.operation, "user_id": self.user_id,
            "workspace": self.workspace, "params": self.params, "outcome": self.outcome,
            "http_status": self.http_status, "statuses": self.statuses, "lead_ids": self.lead_ids,
            "fault_code": self.fault_code, "fault_message": self.fault_message, "reason": self.reason,
            "injection": self.injection,
            "duration_ms": round(self.duration_ms, 3), "request_xml": self.request_xml,
            "response_xml": self.response_xml,
            "path": self.path, "request_headers": self.request_headers,
            "response_headers": self.response_headers,
        }


class Journal:
    """A thread-safe ring of JournalEntry objects, within a byte budget it may share with other journals."""

    def __init__(self, size: int, budget: JournalBudget | None = None):
        self._budget = budget or JournalBudget()
        self._lock = self._budget.lock
        self._entries: deque[JournalEntry] = deque()
        self._bytes: deque[int] = deque()  # what each entry counts against the budget
        self._size = size
        self._seq = itertools.count(1)

    def add(self, entry: JournalEntry) -> None:
        size = clip_entry(entry)
        with self._lock:
            entry.seq = next(self._seq)
            self._entries.append(entry)
            self._bytes.append(size)
            self._budget.charge(self, size)
            while len(self._entries) > self._size:
                self.drop_oldest()
            self._budget.make_room()

    def drop_oldest(self) -> bool:
        """Drop the oldest entry, unless only the newest is left; call with the budget's lock held."""
        if len(self._entries) <= 1:
            return False
        self._entries.popleft()
        self._budget.charge(self, -self._bytes.popleft())
        return True

    def entries(self, *, operation: str | None = None, email: str | None = None, fault_code: int | None = None,
                since: datetime | None = None, outcome: str | None = None, after: int | None = None,
                before: int | None = None, limit: int | None = None) -> list[JournalEntry]:
        """The entries, oldest first, that match every filter given (email: any case; after/before: seq
        bounds, both exclusive); with `limit`, only the newest `limit` of them."""
        with self._lock:
            found = list(self._entries)
        email = email.lower() if email is not None else None
        matching = [e for e in found
                    if (operation is None or e.operation == operation)
                    and (email is None or email in (m.lower() for m in e.emails))
                    and (fault_code is None or e.fault_code == fault_code)
                    and (since is None or e.time >= since)
                    and (outcome is None or e.outcome == outcome)
                    and (after is None or e.seq > after)
                    and (before is None or e.seq < before)]
        return matching[-limit:] if limit is not None else matching

    def clear(self) -> None:
        with self._lock:
            freed = sum(self._bytes)
            self._entries.clear()
            self._bytes.clear()
            self._budget.charge(self, -freed)
        release_memory(freed)

    def resize(self, size: int) -> None:
        """Keep at most `size` entries from now on (the newest, when there are more)."""
        with self._lock:
            self._size = size
            while len(self._entries) > size:
                self.drop_oldest()

    @property
    def size(self) -> int:
        return self._size
