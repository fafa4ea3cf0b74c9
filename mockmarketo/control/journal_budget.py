"""The journals' shared byte budget, and how much of a call one journal entry keeps.

Every instance's journal keeps its newest `journal_size` entries, and all journals together hold at most
`journal_max_bytes` ([control], default 64 MiB): an entry counts the characters of its raw request and
response (at most JOURNAL_XML_BYTES of each, see control.calls), of its params (each string value cut at
JOURNAL_VALUE_CHARS, with a marker saying how much was cut) and ENTRY_OVERHEAD for the rest. When an
entry would take the journals past the budget, the oldest entries of the journal holding the most bytes
are dropped first, so one busy or hostile client (calls with an unknown user id land in the default
instance's journal) cannot push other instances' entries out. The newest entry is always kept.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import threading

JOURNAL_VALUE_CHARS = 4096
ENTRY_OVERHEAD = 1024
_RELEASE_AFTER_BYTES = 1 << 20


def clipped(value):
    """A JSON value (the params of a call) with every string longer than JOURNAL_VALUE_CHARS cut, marked."""
    if isinstance(value, str):
        if len(value) <= JOURNAL_VALUE_CHARS:
            return value
        return f"{value[:JOURNAL_VALUE_CHARS]}... [{len(value) - JOURNAL_VALUE_CHARS} more characters not kept]"
    if isinstance(value, dict):
        return {clipped(key): clipped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clipped(item) for item in value]
    return value


def _chars(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, dict):
        return sum(_chars(key) + _chars(item) + 16 for key, item in value.items())
    if isinstance(value, list):
        return sum(_chars(item) + 8 for item in value)
    return 8


def entry_bytes(entry) -> int:
    """What a journal entry counts against the budget."""
    texts = (entry.request_xml, entry.response_xml, entry.user_id, entry.workspace, entry.fault_message)
    return ENTRY_OVERHEAD + sum(len(text or "") for text in texts) + _chars(entry.params) + _chars(entry.emails)


class JournalBudget:
    """The bytes every journal holds, against one limit. Journals change only under `lock`."""

    def __init__(self, max_bytes: int | None = None):
        self.max_bytes = max_bytes
        self.lock = threading.RLock()
        self.total = 0
        self._held: dict[object, int] = {}  # journal -> its bytes

    def charge(self, journal, size: int) -> None:
        """Count `size` more (or, negative, fewer) bytes held by `journal`; call under `lock`."""
        held = self._held.get(journal, 0) + size
        if held > 0:
            self._held[journal] = held
        else:
            self._held.pop(journal, None)
        self.total += size

    def make_room(self) -> None:
        """Drop oldest entries of the fullest journals until the total is within the limit; under `lock`."""
        while self.max_bytes is not None and self.total > self.max_bytes and self._held:
            fullest = max(self._held, key=self._held.__getitem__)
            if not fullest.drop_oldest():
                break  # only its newest entry is left, and that one stays

    def held_by(self, journal) -> int:
        with self.lock:
            return self._held.get(journal, 0)


def release_memory(freed: int) -> None:
    """After `freed` bytes were dropped, hand free memory back to the operating system (glibc keeps
    freed memory of many mid-sized strings in its heap otherwise)."""
    if freed >= _RELEASE_AFTER_BYTES and _malloc_trim is not None:
        _malloc_trim(0)


def _find_malloc_trim():
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


_malloc_trim = _find_malloc_trim()
