"""What the server writes to stderr: one line per incident, never a traceback, and the same message at
most once per RATE_LIMIT_SECONDS.

`configure()` (called by `mockmarketo serve`) puts one handler on the root logger, so that the
libraries' logs (waitress's "Task queue depth is 1" under load, SQLAlchemy's pool errors during a
database outage, spyne's unexpected errors) take the same shape as mockmarketo's own. A repeated
message (same logger, same text before its arguments are filled in) is counted while it is held back;
the next line of it that gets through says how many were held back.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable

RATE_LIMIT_SECONDS = 60.0
LINE_LIMIT = 500  # characters of one message (an error may quote a whole request)
LOGGER = "mockmarketo"


def one_line(error: BaseException) -> str:
    """An exception as `Type: first line of its message`."""
    text = (str(error).strip().splitlines() or [""])[0]
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


class OneLineFormatter(logging.Formatter):
    """`mockmarketo: <level>: <message>`, the exception (if any) as one line instead of a traceback."""

    def format(self, record: logging.LogRecord) -> str:
        message = " ".join(record.getMessage().split())
        if record.exc_info and record.exc_info[1] is not None:
            message = f"{message} ({one_line(record.exc_info[1])})"
        if len(message) > LINE_LIMIT:
            message = message[:LINE_LIMIT] + "..."
        held = getattr(record, "held_back", 0)
        if held:
            message += f" [{held} more like this in the last {RATE_LIMIT_SECONDS:g} s not shown]"
        return f"mockmarketo: {record.levelname.lower()}: {message}"


class RateLimit(logging.Filter):
    """Lets a message through at most once per `interval` seconds; counts the ones held back."""

    def __init__(self, interval: float = RATE_LIMIT_SECONDS, clock: Callable[[], float] = time.monotonic):
        super().__init__()
        self.interval = interval
        self.clock = clock
        self._lock = threading.Lock()
        self._seen: dict[tuple[str, str], tuple[float, int]] = {}  # key -> (last shown, held back since)

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = self.clock()
        with self._lock:
            shown, held = self._seen.get(key, (None, 0))
            if shown is not None and now - shown < self.interval:
                self._seen[key] = (shown, held + 1)
                return False
            if len(self._seen) > 10_000:  # many distinct messages: forget the old ones
                self._seen.clear()
            self._seen[key] = (now, 0)
        record.held_back = held
        return True


def configure(stream=None, level: int = logging.INFO) -> logging.Handler:
    """Route every log record through one rate-limited, one-line handler on stderr (or `stream`)."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(OneLineFormatter())
    handler.addFilter(RateLimit())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "mockmarketo", False)]:
        root.removeHandler(old)
    handler.mockmarketo = True
    root.addHandler(handler)
    root.setLevel(logging.WARNING)
    logging.getLogger(LOGGER).setLevel(level)
    return handler


def logger(name: str = "") -> logging.Logger:
    """mockmarketo's logger, or one of its children (`logger("database")`)."""
    return logging.getLogger(f"{LOGGER}.{name}" if name else LOGGER)
