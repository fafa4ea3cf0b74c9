"""pytest fixture costs and memory: server start (to first /health answer), a fresh instance per test
(create + delete), a reset, and the resident memory of a server holding 1M leads in its default
in-memory database. Targets: per-test reset <= 5 ms, server start <= 300 ms.

    python -m bench.fixture_costs [--rounds 200] [--leads 1000000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import urllib.request

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
from mockmarketo.server import HttpServer
from mockmarketo.testing import MockMarketo

_RSS_PROBE = """
import resource, sys
from bench.store_scaling import bulk_load
from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
def rss_mib():
    with open("/proc/self/status") as f:
        return int(next(l for l in f if l.startswith("VmRSS")).split()[1]) / 1024
app = MockMarketoApp(Settings())
empty = rss_mib()
bulk_load(app, int(sys.argv[1]))
print(f"{empty:.0f} {rss_mib():.0f}")
"""


def server_start_ms() -> float:
    start = time.perf_counter()
    server = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    server.start_in_thread()
    with urllib.request.urlopen(f"{server.base_url}/health", timeout=5) as response:
        response.read()
    elapsed = (time.perf_counter() - start) * 1000
    server.close()
    return elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--leads", type=int, default=1_000_000)
    args = parser.parse_args(argv)
    starts = [server_start_ms() for _ in range(10)]
    server = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    server.start_in_thread()
    client = MockMarketo(server.base_url)
    per_test, resets = [], []
    for _ in range(args.rounds):
        start = time.perf_counter()
        instance = client.new_instance()
        instance.seed(email="a@example.com")
        t0 = time.perf_counter()
        instance.reset()
        resets.append((time.perf_counter() - t0) * 1000)
        instance.delete()
        per_test.append((time.perf_counter() - start) * 1000)
    server.close()
    probe = subprocess.run([sys.executable, "-c", _RSS_PROBE, str(args.leads)], capture_output=True, text=True,
                           check=True)
    empty_mib, full_mib = (float(x) for x in probe.stdout.split())
    print("pytest fixture costs (median of runs)")
    print(f"  server start to first answer     {statistics.median(starts):8.1f} ms   (target <= 300 ms)")
    print(f"  reset of an instance             {statistics.median(resets):8.2f} ms   (target <= 5 ms)")
    print(f"  fresh instance per test          {statistics.median(per_test):8.2f} ms   "
          "(create, seed one lead, reset, delete)")
    print(f"  server RSS, empty                {empty_mib:8.0f} MiB")
    print(f"  server RSS, {args.leads:,} leads      {full_mib:8.0f} MiB   (in-memory SQLite)")


if __name__ == "__main__":
    main()
