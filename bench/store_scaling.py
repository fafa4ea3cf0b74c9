"""Store scaling: syncLead (new lead, existing lead) and getLead latency at 1k, 100k and 1M existing
leads, on a SQLite file and on PostgreSQL; per-call cost should not grow with the store (target: at most
1.3x from 1k to 1M). Leads are bulk-loaded straight into the tables; calls go through the whole WSGI app.

    python -m bench.store_scaling [--sizes 1000,100000,1000000] [--calls 300] [--postgres URL|none]
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
import uuid
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, text

from bench.inprocess_synclead import _call
from mockmarketo.app import MockMarketoApp
from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID, Settings
from mockmarketo.store import tables as t
from tests import soap_messages as sm

DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
FIRST_ID = 1000001


def bulk_load(app: MockMarketoApp, count: int, chunk: int = 20000) -> None:
    """`count` leads lead<N>@bench.example in the default instance, ids from FIRST_ID."""
    store = app.marketo.store
    with store.transaction("default", FIRST_ID) as repo:
        repo.lock()
    start = datetime(2026, 1, 1)
    attributes = json.dumps({"FirstName": "Bench", "LastName": "Lead"}, separators=(",", ":"))
    with store.engine.begin() as conn:
        for offset in range(0, count, chunk):
            rows = []
            for n in range(offset, min(count, offset + chunk)):
                moment = start + timedelta(seconds=n)
                rows.append({"instance": "default", "id": FIRST_ID + n, "email": f"lead{n}@bench.example",
                             "email_key": f"lead{n}@bench.example", "foreign_sys_person_id": f"F{n}",
                             "foreign_sys_type": "CUSTOM", "partition": "Default", "attributes": attributes,
                             "created_at": moment, "updated_at": moment})
            conn.execute(insert(t.leads), rows)
        conn.execute(t.instances.update().where(t.instances.c.name == "default")
                     .values(next_lead_id=FIRST_ID + count))
        if conn.dialect.name == "postgresql":
            conn.execute(text("ANALYZE leads"))
        else:
            conn.execute(text("ANALYZE"))


def median_us(app, bodies) -> float:
    times = []
    for body in bodies:
        start = time.perf_counter()
        status, _ = _call(app, body)
        times.append(time.perf_counter() - start)
        assert status.startswith("200"), status
    return statistics.median(times) * 1e6


def measure(app, size: int, calls: int) -> dict:
    header = sm.auth_header(DEFAULT_USER_ID, DEFAULT_SECRET_KEY)
    new = [sm.envelope(sm.sync_lead_body(sm.lead_record(f"new{uuid.uuid4().hex}@bench.example",
                                                        attributes={"City": "X"})), header).encode()
           for _ in range(calls)]
    existing = [sm.envelope(sm.sync_lead_body(sm.lead_record(f"lead{(i * 7919) % size}@bench.example",
                                                             attributes={"City": f"C{i}"})), header).encode()
                for i in range(calls)]
    get = [sm.envelope(sm.get_lead_body("EMAIL", f"lead{(i * 104729) % size}@bench.example"), header).encode()
           for i in range(calls)]
    return {"syncLead new": median_us(app, new), "syncLead existing": median_us(app, existing),
            "getLead": median_us(app, get)}


def run_backend(label: str, url_for_size, sizes: list[int], calls: int) -> list[tuple]:
    rows = []
    for size in sizes:
        url, cleanup = url_for_size(size)
        try:
            # loading and ANALYZE of a million leads take longer than a call may wait for the database
            app = MockMarketoApp(Settings(database_url=url, database_timeout_seconds=600))
            load_start = time.perf_counter()
            bulk_load(app, size)
            load_s = time.perf_counter() - load_start
            figures = measure(app, size, calls)
            app.close()
        finally:
            cleanup()
        rows.append((label, size, load_s, figures))
    return rows


def sqlite_urls(tmp: Path):
    def url_for(size):
        path = tmp / f"bench-{size}.db"
        return f"sqlite:///{path}", lambda: [p.unlink(missing_ok=True) for p in tmp.glob(f"bench-{size}.db*")]
    return url_for


def postgres_urls(admin_url: str):
    from sqlalchemy import create_engine

    def url_for(size):
        name = f"mockmarketo_bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"

        def cleanup():
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
        return url, cleanup
    return url_for


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,100000,1000000")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES, help="admin URL, or 'none'")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        rows += run_backend("SQLite file", sqlite_urls(Path(tmp)), sizes, args.calls)
    if args.postgres != "none":
        try:
            rows += run_backend("PostgreSQL", postgres_urls(args.postgres), sizes, args.calls)
        except Exception as err:  # noqa: BLE001 - a benchmark reports a missing backend and goes on
            print(f"PostgreSQL skipped: {type(err).__name__}: {str(err).splitlines()[0]}")
    print(f"store scaling: median µs per in-process call, {args.calls} calls each")
    print(f"{'backend':<13}{'leads':>9}{'load s':>8}{'syncLead new':>14}{'syncLead existing':>19}{'getLead':>9}")
    base = {}
    for label, size, load_s, figures in rows:
        base.setdefault(label, figures)
        print(f"{label:<13}{size:>9}{load_s:>8.1f}" + "".join(
            f"{figures[k]:>{w}.0f}" for k, w in (("syncLead new", 14), ("syncLead existing", 19), ("getLead", 9))))
    print("ratio largest/smallest store (target <= 1.3x):")
    for label in base:
        largest = [f for lbl, _, _, f in rows if lbl == label][-1]
        print(f"  {label:<13}" + "  ".join(f"{k} {largest[k] / base[label][k]:.2f}x" for k in base[label]))


if __name__ == "__main__":
    main()
