"""Console page loads: each page of the web console with a full journal (1,000 entries by default) and
100,000 leads, rendered in process through the whole WSGI app (control API, templates). Lists are paged,
so a page should cost about the same as on an empty mock (target: under 50 ms each).

    python -m bench.console_pages [--leads 100000] [--journal 1000] [--loads 20]
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from werkzeug.test import Client

from bench.inprocess_synclead import _call
from bench.store_scaling import FIRST_ID, bulk_load
from mockmarketo.app import MockMarketoApp
from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID, Settings
from tests import soap_messages as sm

HTML = {"Accept": "text/html"}


def fill_journal(app: MockMarketoApp, calls: int, leads: int) -> None:
    """`calls` SOAP calls of the default user: syncLead of existing leads, getLead, and some faults."""
    header = sm.auth_header(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)
    for i in range(calls):
        email = f"lead{(i * 7919) % leads}@bench.example"
        body = (sm.sync_lead_body(sm.lead_record(email, attributes={"City": f"C{i}"})) if i % 3 == 0 else
                sm.get_lead_body("EMAIL", email if i % 3 == 1 else f"nobody{i}@bench.example"))
        _call(app, sm.envelope(body, header).encode())


def pages(leads: int, newest_seq: int) -> list[tuple[str, str]]:
    middle = FIRST_ID + leads // 2
    return [
        ("overview", "/_mock/ui/"),
        ("requests, newest 50", "/_mock/ui/requests"),
        ("requests, older page", f"/_mock/ui/requests?before={newest_seq // 2}"),
        ("requests, filtered by fault code", "/_mock/ui/requests?fault_code=20103"),
        ("live rows, nothing new", f"/_mock/ui/requests/rows?after={newest_seq}"),
        ("one call (pretty-printed XML)", f"/_mock/ui/requests/{newest_seq}"),
        ("leads, first 50", "/_mock/ui/leads"),
        ("leads, page in the middle", f"/_mock/ui/leads?after={middle}"),
        ("lead search by email", f"/_mock/ui/leads?q=lead{leads // 3}@bench.example"),
        ("one lead", f"/_mock/ui/leads/{middle}"),
        ("faults", "/_mock/ui/faults"),
    ]


def median_ms(client: Client, path: str, loads: int) -> float:
    times = []
    for _ in range(loads):
        start = time.perf_counter()
        response = client.get(path, headers=HTML)
        response.get_data()
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, (path, response.status_code)
    return statistics.median(times) * 1000


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--leads", type=int, default=100_000)
    parser.add_argument("--journal", type=int, default=1000)
    parser.add_argument("--loads", type=int, default=20)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'console.db'}", journal_size=args.journal)
        empty = MockMarketoApp(Settings())
        app = MockMarketoApp(settings)
        try:
            bulk_load(app, args.leads)
            bulk_load(empty, 60)
            fill_journal(app, args.journal, args.leads)
            fill_journal(empty, 3, 60)
            big = pages(args.leads, app.instances.get().journal.entries()[-1].seq)
            small = pages(60, empty.instances.get().journal.entries()[-1].seq)
            print(f"console pages: median ms per page load, {args.loads} loads each, in process")
            print(f"{'page':<36}{f'{args.leads:,} leads, {args.journal:,} calls':>30}{'60 leads, 3 calls':>20}")
            for (label, path), (_, small_path) in zip(big, small):
                print(f"{label:<36}{median_ms(Client(app), path, args.loads):>30.1f}"
                      f"{median_ms(Client(empty), small_path, args.loads):>20.1f}")
        finally:
            app.close()
            empty.close()


if __name__ == "__main__":
    main()
