"""The journals' shared byte budget, and how much of a call one journal entry keeps.

Every instance's journal keeps its newest `journal_size` entries, and all journals together hold at most
`journal_max_bytes` ([control], default 64 MiB). Every text of an entry but its raw request and
response (at most JOURNAL_XML_BYTES of each, see control.calls) is cut at JOURNAL_VALUE_CHARS, with a
marker saying how much was cut: the params, user id, fault message, headers, whatever a client chose.
An entry counts the characters of all its texts, and ENTRY_OVERHEAD. When an
entry would take the journals past the budget, the oldest entries of the journal holding the most bytes
are dropped first, so one busy or hostile client (calls with an unknown user id land in the default
instance's journal) cannot push other instances' entries out. The newest entry is always kept.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import dataclasses
import threading

JOURNAL_VALUE_CHARS = 4096
ENTRY_OVERHEAD = 1024
RAW_FIELDS = ("request_xml", "response_xml")  # cut to JOURNAL_XML_BYTES by control.calls
_RELEASE_AFTER_BYTES = 1 << 20


def clipped(value):
    """A JSON value with every string longer than JOURNAL_VALUE_CHARS cut, marked."""
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


def clip_entry(entry) -> int:
    """Cut every text of a journal entry (a dataclass) but its raw XML; answer what it counts against the
    budget. Every field is covered, whatever fields the entry gains."""
    size = ENTRY_OVERHEAD
    for field in dataclasses.fields(entry):
        value = getattr(entry, field.name)
        if field.name not in RAW_FIELDS:
            value = clipped(value)
            setattr(entry, field.name, value)
        size += _chars(value)
    return size


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
