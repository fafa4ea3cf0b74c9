"""In-process syncLead per call: mockmarketo's full WSGI app (spyne dispatch, auth, store write on the
default in-memory SQLite) against the bare werkzeug + lxml baseline (bench/baseline.py) handling the same
envelope, both called directly as WSGI apps in this process. Prints both and the ratio (target <= 3x).

Then what the activity log costs syncLead: the same calls with activity writing switched off in this
harness (ActivityLog.add stores nothing), in the same run. Each call writes one activity: a New Lead for
a new lead, one Change Data Value (LastName) for the existing one.

    python -m bench.inprocess_synclead [--calls 3000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from contextlib import contextmanager
from unittest import mock

from mockmarketo.app import MockMarketoApp
from mockmarketo.domain.activities import ActivityLog
from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID, Settings
from tests import soap_messages as sm

from bench.baseline import make_baseline_app


def _environ(body: bytes) -> dict:
    return {"REQUEST_METHOD": "POST", "PATH_INFO": "/soap/mktows/2_9", "QUERY_STRING": "",
            "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(), "wsgi.multithread": False,
            "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0)}


def _call(app, body: bytes) -> str:
    status = []
    chunks = app(_environ(body), lambda s, h, e=None: status.append(s))
    b"".join(chunks)
    return status[0]


def per_call_us(app, bodies: list[bytes], clock=time.perf_counter) -> float:
    start = clock()
    for body in bodies:
        _call(app, body)
    return (clock() - start) / len(bodies) * 1e6


def envelopes(calls: int, *, new_leads: bool) -> list[bytes]:
    header = sm.auth_header(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)
    return [sm.envelope(sm.sync_lead_body(sm.lead_record(
        f"lead{i if new_leads else 0}@example.com", attributes={"FirstName": "Bench", "LastName": f"L{i}"})),
        header).encode() for i in range(calls)]


@contextmanager
def activity_log_off():
    """Activities are built as usual but not stored."""
    with mock.patch.object(ActivityLog, "add", lambda self, activity: activity):
        yield


def mock_per_call_us(calls: int, *, new_leads: bool, clock=time.perf_counter) -> float:
    app = MockMarketoApp(Settings())
    try:
        assert _call(app, envelopes(1, new_leads=False)[0]).startswith("200")
        return per_call_us(app, envelopes(calls, new_leads=new_leads), clock)
    finally:
        app.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    baseline = make_baseline_app(DEFAULT_SECRET_KEY)
    rows = []
    for label, new_leads in (("syncLead, new leads", True), ("syncLead, existing lead", False)):
        mock_runs, base_runs = [], []
        for _ in range(args.repeat):
            mock_runs.append(mock_per_call_us(args.calls, new_leads=new_leads))
            base_runs.append(per_call_us(baseline, envelopes(args.calls, new_leads=new_leads)))
        mocked, base = statistics.median(mock_runs), statistics.median(base_runs)
        rows.append((label, mocked, base, mocked / base))
    print(f"in-process WSGI call, {args.calls} calls x {args.repeat} runs (median)")
    print(f"{'case':<26}{'mockmarketo µs':>16}{'baseline µs':>14}{'ratio':>8}  target <= 3.0x")
    for label, mocked, base, ratio in rows:
        print(f"{label:<26}{mocked:>16.0f}{base:>14.0f}{ratio:>7.1f}x")

    # CPU time of this process: the call is CPU-bound in-process work (in-memory SQLite), and CPU time is
    # far less disturbed than wall time by other work on the machine
    print(f"\nwhat the activity log costs syncLead, {args.calls} calls x {args.repeat} runs "
          "(median CPU time per call, runs alternate)")
    print(f"{'case':<26}{'log on µs':>12}{'log off µs':>12}{'cost µs':>10}{'cost':>8}")
    for label, new_leads in (("syncLead, new leads", True), ("syncLead, existing lead", False)):
        on_runs, off_runs = [], []
        for _ in range(args.repeat):
            on_runs.append(mock_per_call_us(args.calls, new_leads=new_leads, clock=time.process_time))
            with activity_log_off():
                off_runs.append(mock_per_call_us(args.calls, new_leads=new_leads, clock=time.process_time))
        on, off = statistics.median(on_runs), statistics.median(off_runs)
        print(f"{label:<26}{on:>12.0f}{off:>12.0f}{on - off:>10.0f}{(on - off) / off:>7.0%}")


if __name__ == "__main__":
    main()
