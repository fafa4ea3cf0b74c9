"""Every benchmark in one command, each printing its table with the baseline measured in the same run:

    python -m bench            # about 6-8 minutes on 2 cores; needs wrk, Java and npm for WireMock,
                               # PostgreSQL on 127.0.0.1:5432 for the PostgreSQL rows

1. in-process calls (compiled and spyne paths) vs bare lxml baselines (bench/inprocess_synclead.py)
2. HTTP front ends for the same app, one process, vs WireMock      (bench/front_ends.py)
3. HTTP throughput and latency vs the baseline and WireMock        (bench/http_throughput.py)
4. store scaling from 1k to 1M leads, SQLite file and PostgreSQL    (bench/store_scaling.py)
5. pytest fixture costs and the memory of a server with 1M leads   (bench/fixture_costs.py)
6. web console page loads with 1,000 journal entries and 100k leads (bench/console_pages.py)
"""

from __future__ import annotations

import subprocess
import sys
import time

STEPS = [
    ["bench.inprocess_synclead", "--calls", "3000", "--repeat", "3"],
    ["bench.front_ends", "--seconds", "6", "--repeat", "3"],
    ["bench.http_throughput", "--seconds", "8"],
    ["bench.store_scaling", "--sizes", "1000,100000,1000000", "--calls", "300"],
    ["bench.fixture_costs", "--rounds", "200", "--leads", "1000000"],
    ["bench.console_pages", "--leads", "100000", "--journal", "1000", "--loads", "20"],
]


def main() -> int:
    failed = 0
    for module, *args in STEPS:
        started = time.monotonic()
        print(f"\n### {module} {' '.join(args)}", flush=True)
        result = subprocess.run([sys.executable, "-m", module, *args])
        failed += result.returncode != 0
        print(f"({time.monotonic() - started:.0f} s)", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
