"""Marketo's API limits (facts §5.3 and soap-api.md): a daily quota, a sliding rate window and a cap on
concurrent calls, counted per instance.

Off unless `[limits] enabled = true`. Marketo's numbers are the defaults: 10,000 calls a day, reset at
midnight US Central (20015); more than 100 calls in the past 20 seconds (20023); more than 10 calls at
once (20024). The checks run in that order. A refused call is not counted, so a client that backs off
gets through again once the window has moved on.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from mockmarketo.domain.errors import MarketoError

# "resets 12:00AM CST" (facts §5.3): Marketo's day follows US Central time, daylight saving included.
MARKETO_DAY_ZONE = ZoneInfo("America/Chicago")


@dataclass(frozen=True)
class LimitSettings:
    enabled: bool = False
    daily_quota: int = 10_000
    rate_max_calls: int = 100
    rate_window_seconds: int = 20
    max_concurrent: int = 10


class CallLimiter:
    """The limit counters of one instance. Thread-safe; `clock` gives seconds since the epoch."""

    def __init__(self, settings: Callable[[], LimitSettings], clock: Callable[[], float] = time.time):
        self._settings = settings
        self._clock = clock
        self._lock = threading.Lock()
        self._day: date | None = None
        self._calls_today = 0
        self._recent: deque[float] = deque()
        self._in_flight = 0

    @contextmanager
    def call(self) -> Iterator[None]:
        """Count one call for its duration, or raise MarketoError 20015 / 20023 / 20024."""
        limits = self._settings()
        if not limits.enabled:
            yield
            return
        with self._lock:
            now = self._clock()
            self._roll(now, limits)
            if self._calls_today >= limits.daily_quota:
                raise MarketoError(20015, f"Number of calls today exceeded the subscription's quota of "
                                          f"{limits.daily_quota} calls")
            if len(self._recent) >= limits.rate_max_calls:
                raise MarketoError(20023, f"The number of calls in the past {limits.rate_window_seconds} "
                                          f"seconds was greater than {limits.rate_max_calls}")
            if self._in_flight >= limits.max_concurrent:
                raise MarketoError(20024, f"The number of concurrent calls was greater than "
                                          f"{limits.max_concurrent}")
            self._calls_today += 1
            self._recent.append(now)
            self._in_flight += 1
        try:
            yield
        finally:
            with self._lock:
                self._in_flight -= 1

    def counters(self) -> dict:
        """The counters as they stand now (calls today, calls in the current window, calls in flight)."""
        limits = self._settings()
        with self._lock:
            self._roll(self._clock(), limits)
            return {"calls_today": self._calls_today, "calls_in_window": len(self._recent),
                    "in_flight": self._in_flight}

    def reset(self) -> None:
        """Forget every counted call (calls in flight still finish and are released)."""
        with self._lock:
            self._day = None
            self._calls_today = 0
            self._recent.clear()

    def _roll(self, now: float, limits: LimitSettings) -> None:
        today = datetime.fromtimestamp(now, MARKETO_DAY_ZONE).date()
        if today != self._day:
            self._day = today
            self._calls_today = 0
        while self._recent and self._recent[0] <= now - limits.rate_window_seconds:
            self._recent.popleft()
