"""JobRunner: the background thread that runs due campaign runs and list imports.

It starts when there is work (`wake()`), looks for due work every POLL_SECONDS while any is pending (so
a moved clock is noticed too), sleeps while none is, and stops with `close()` (the app's close).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

POLL_SECONDS = 0.05
_log = logging.getLogger(__name__)


class JobRunner:
    def __init__(self, run_due: Callable[[], bool]):
        """`run_due()` runs what is due and answers whether work is still pending."""
        self._run_due = run_due
        self._wakeup = threading.Event()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._closed = False

    def wake(self) -> None:
        """There is (or may be) work: start the thread if needed and have it look now."""
        with self._lock:
            if self._closed:
                return
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="mockmarketo-jobs", daemon=True)
                self._thread.start()
        self._wakeup.set()

    def close(self) -> None:
        with self._lock:
            self._closed = True
            thread = self._thread
        self._wakeup.set()
        if thread is not None:
            thread.join(timeout=10)

    def _loop(self) -> None:
        while not self._closed:
            self._wakeup.clear()  # before looking: a wake() while looking is not lost
            try:
                pending = self._run_due()
            except Exception:  # noqa: BLE001 - one failing look must not stop the runner
                _log.exception("running due campaign runs and imports failed")
                pending = True
            if not self._closed:
                self._wakeup.wait(POLL_SECONDS if pending else None)
