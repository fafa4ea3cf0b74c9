"""In-process cost of a call: mockmarketo's full WSGI app (routing, journal, limits, dispatch, auth, the
store on the default in-memory SQLite) on its compiled path and on spyne's full path
(`SoapEndpoint.compiled = False`), against a bare werkzeug + lxml baseline handling the same envelope,
all called directly as WSGI apps in this process, timed in process CPU time. One row per case, each with its own baseline:

- syncLead of a new lead, and of an existing lead: bench/baseline.py's syncLead app (reads the Email
  and attributes, answers a canned successSyncLead);
- getLead of one lead, syncMultipleLeads of 100 new leads, getMultipleLeads of 100 leads: a baseline
  that reads every element of the request and answers mockmarketo's own answer, canned.

Target: <= 4x the baseline.

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
from collections.abc import Callable
from contextlib import contextmanager
from unittest import mock

from mockmarketo.app import MockMarketoApp
from mockmarketo.domain.activities import ActivityLog
from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID, Settings
from tests import soap_messages as sm

from bench.baseline import make_baseline_app, make_reading_baseline_app

TARGET = 4.0


def _environ(body: bytes) -> dict:
    return {"REQUEST_METHOD": "POST", "PATH_INFO": "/soap/mktows/2_9", "QUERY_STRING": "",
            "CONTENT_TYPE": "text/xml; charset=utf-8", "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080", "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body), "wsgi.errors": io.StringIO(), "wsgi.multithread": False,
            "wsgi.multiprocess": False, "wsgi.run_once": False, "wsgi.version": (1, 0)}


def _call(app, body: bytes) -> tuple[str, bytes]:
    status = []
    chunks = app(_environ(body), lambda s, h, e=None: status.append(s))
    return status[0], b"".join(chunks)


def per_call_us(app, bodies: list[bytes]) -> float:
    """CPU time of this process per call: on a shared machine, wall time measures the neighbours too."""
    start = time.process_time()
    for body in bodies:
        _call(app, body)
    return (time.process_time() - start) / len(bodies) * 1e6


def _envelope(body: str) -> bytes:
    return sm.envelope(body, sm.auth_header(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)).encode()


def _record(email: str, i: int) -> str:
    return sm.lead_record(email, attributes={"FirstName": "Bench", "LastName": f"L{i}", "City": "Lyon"})


def envelopes(calls: int, *, new_leads: bool) -> list[bytes]:
    return [_envelope(sm.sync_lead_body(_record(f"lead{i if new_leads else 0}@example.com", i)))
            for i in range(calls)]


def _seeded(app) -> None:
    """100 leads (and lead0@example.com) for the reading cases."""
    _call(app, _envelope(sm.sync_multiple_leads_body([_record(f"seed{i}@example.com", i) for i in range(100)])))
    _call(app, envelopes(1, new_leads=False)[0])


# name -> (request bodies for `calls` calls, whether the store is seeded first, the baseline)
CASES: dict[str, tuple[Callable[[int], list[bytes]], bool, str]] = {
    "syncLead, new leads": (lambda n: envelopes(n, new_leads=True), False, "syncLead"),
    "syncLead, existing lead": (lambda n: envelopes(n, new_leads=False), True, "syncLead"),
    "getLead, 1 lead": (lambda n: [_envelope(sm.get_lead_body("EMAIL", "lead0@example.com"))] * n, True, "read"),
    "syncMultipleLeads, 100 new": (lambda n: [_envelope(sm.sync_multiple_leads_body(
        [_record(f"m{c}-{i}@example.com", i) for i in range(100)])) for c in range(n)], False, "read"),
    "getMultipleLeads, 100 leads": (lambda n: [_envelope(sm.get_multiple_leads_body(
        sm.last_update_selector("2000-01-01T00:00:00Z"), batch_size=100))] * n, True, "read"),
}


def measure(name: str, calls: int, compiled: bool) -> tuple[float, bytes]:
    make_bodies, seeded, _ = CASES[name]
    app = MockMarketoApp(Settings())
    app.soap.compiled = compiled
    try:
        if seeded:
            _seeded(app)
        bodies = make_bodies(calls)
        status, answer = _call(app, bodies[0])
        assert status.startswith("200"), answer[:500]
        return per_call_us(app, bodies[1:]), answer
    finally:
        app.close()


@contextmanager
def activity_log_off():
    """Activities are built as usual but not stored."""
    with mock.patch.object(ActivityLog, "add", lambda self, activity: activity):
        yield


def mock_per_call_us(calls: int, *, new_leads: bool) -> float:
    app = MockMarketoApp(Settings())
    try:
        assert _call(app, envelopes(1, new_leads=False)[0])[0].startswith("200")
        return per_call_us(app, envelopes(calls, new_leads=new_leads))
    finally:
        app.close()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000, help="per single-lead case; batch cases make 1/20")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", help="comma-separated case names (default: all)")
    args = parser.parse_args(argv)
    names = [n.strip() for n in args.only.split(",")] if args.only else list(CASES)
    rows = []
    for name in names:
        calls = args.calls if "100" not in name else max(args.calls // 20, 20)
        mock_runs, spyne_runs, base_runs = [], [], []
        for _ in range(args.repeat):
            mock, answer = measure(name, calls, compiled=True)
            mock_runs.append(mock)
            spyne_runs.append(measure(name, calls, compiled=False)[0])
            baseline = make_baseline_app(DEFAULT_SECRET_KEY) if CASES[name][2] == "syncLead" \
                else make_reading_baseline_app(DEFAULT_SECRET_KEY, answer)
            base_runs.append(per_call_us(baseline, CASES[name][0](calls)))
        mock, spyne, base = (statistics.median(runs) for runs in (mock_runs, spyne_runs, base_runs))
        rows.append((name, mock, spyne, base))
    print(f"in-process WSGI call, median of {args.repeat} runs")
    print(f"{'case':<30}{'mockmarketo µs':>15}{'spyne path µs':>15}{'baseline µs':>13}{'ratio':>8}"
          f"{'spyne ratio':>12}  target <= {TARGET:.0f}x")
    for name, mock, spyne, base in rows:
        print(f"{name:<30}{mock:>15.0f}{spyne:>15.0f}{base:>13.0f}{mock / base:>7.1f}x{spyne / base:>11.1f}x",
              flush=True)

    # the call is CPU-bound in-process work (in-memory SQLite): CPU time, as above
    print(f"\nwhat the activity log costs syncLead, {args.calls} calls x {args.repeat} runs "
          "(median CPU time per call, runs alternate)")
    print(f"{'case':<26}{'log on µs':>12}{'log off µs':>12}{'cost µs':>10}{'cost':>8}")
    for label, new_leads in (("syncLead, new leads", True), ("syncLead, existing lead", False)):
        on_runs, off_runs = [], []
        for _ in range(args.repeat):
            on_runs.append(mock_per_call_us(args.calls, new_leads=new_leads))
            with activity_log_off():
                off_runs.append(mock_per_call_us(args.calls, new_leads=new_leads))
        on, off = statistics.median(on_runs), statistics.median(off_runs)
        print(f"{label:<26}{on:>12.0f}{off:>12.0f}{on - off:>10.0f}{(on - off) / off:>7.0%}")


if __name__ == "__main__":
    main()
