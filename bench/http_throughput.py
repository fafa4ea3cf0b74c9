"""HTTP throughput of syncLead: mockmarketo in each server configuration against a bare baseline app,
and against WireMock serving a canned successSyncLead stub.

For every (server, workers, threads) below it starts `mockmarketo serve` on a new SQLite file (or on
--database-url) and bench/baseline.py behind the same server, drives each with wrk for --seconds
(every request a signed syncLead of a new email, so every call creates a lead), and prints req/s,
p50/p99 latency and the ratio to the baseline. The shipped configuration (the first) is also measured
with every request updating one existing lead, and WireMock (the standalone jar of the npm package
`wiremock`, run with Java) answers the same requests with a canned stub: the tool most teams would
otherwise use. With --repeat N each figure is the median of N runs. Loopback only.

    apt-get install -y wrk default-jre-headless
    python -m bench.http_throughput [--seconds 10] [--connections 16] [--repeat 1]
                                    [--database-url URL] [--only gunicorn:1:8,waitress:1:8] [--no-wiremock]
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.baseline import CANNED  # noqa: E402
from bench.wiremock import WireMock  # noqa: E402
from mockmarketo.store.lead_store import is_sqlite_memory  # noqa: E402
from tests import soap_messages as sm  # noqa: E402
from tests.live_server import ServerProcess  # noqa: E402

CONFIGURATIONS = [  # (server, workers, threads); the first is `mockmarketo serve`'s default
    ("waitress", 1, 8),
    ("gunicorn", 1, 8),
    ("gunicorn", 2, 4),
    ("gunicorn", 4, 4),
]
EMAIL_MARK = "{{EMAIL}}"
WRK_SCRIPT = """
local prefix = [==[{prefix}]==]
local suffix = [==[{suffix}]==]
local existing = {existing}
local counter = 0
local count = 0
function setup(thread) count = count + 1; thread:set("tid", count) end
request = function()
  counter = counter + 1
  local email = "bench-" .. tid .. "-" .. counter .. "@example.com"
  if existing then email = "bench-existing@example.com" end
  return wrk.format("POST", nil, {{["Content-Type"] = "text/xml; charset=utf-8"}}, prefix .. email .. suffix)
end
"""


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def _ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def _wrk(endpoint: str, seconds: int, connections: int, threads: int, workdir: Path,
         existing: bool = False) -> Result:
    # signed now: the timestamp stays inside the 900 s skew window for the whole run
    prefix, suffix = sm.envelope(sm.sync_lead_body(sm.lead_record(EMAIL_MARK))).split(EMAIL_MARK)
    script = workdir / "sync_lead.lua"
    script.write_text(WRK_SCRIPT.format(prefix=prefix, suffix=suffix, existing="true" if existing else "false"))
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency",
                          "-s", str(script), endpoint], capture_output=True, text=True, check=True).stdout
    latency = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", out, re.M))
    if len(latency) != 2:
        raise SystemExit(f"unexpected wrk output:\n{out}")
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    failed = (int(errors.group(1)) if errors else 0) + (sum(map(int, socket_errors.groups())) if socket_errors else 0)
    return Result(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), _ms(latency["50"]),
                  _ms(latency["99"]), failed)


def _check(server: ServerProcess) -> None:
    caller = sm.HttpSoapCaller(server.endpoint)
    try:
        reply = caller.sync("warmup@example.com")
    finally:
        caller.close()
    if reply.status != 200:
        raise SystemExit(f"{server.endpoint} answered {reply.status}: {reply.body[:300]!r}")


def _measure(server: ServerProcess, args, workdir: Path, existing: bool = False) -> Result:
    with server:
        _check(server)
        return _wrk(server.endpoint, args.seconds, args.connections, args.wrk_threads, workdir, existing)


def _median(results: list[Result]) -> Result:
    return Result(statistics.median(r.requests_per_second for r in results),
                  statistics.median(r.p50_ms for r in results), statistics.median(r.p99_ms for r in results),
                  sum(r.errors for r in results))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--database-url", help="default: a new SQLite file per configuration and run")
    parser.add_argument("--only", help="comma-separated server:workers:threads, e.g. gunicorn:1:8,waitress:1:8")
    parser.add_argument("--no-wiremock", action="store_true", help="skip the WireMock comparison")
    args = parser.parse_args()
    configurations = CONFIGURATIONS
    if args.only:
        configurations = [(name, int(w), int(t)) for name, w, t in
                          (item.split(":") for item in args.only.split(","))]
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    if args.database_url and is_sqlite_memory(args.database_url):
        # refused: an in-memory database lives in one process
        configurations = [c for c in configurations if c[1] == 1]
    print(f"syncLead over HTTP, wrk -t{args.wrk_threads} -c{args.connections} -d{args.seconds}s, "
          f"each request creates a lead; database: {args.database_url or 'new SQLite file each'}; "
          f"median of {args.repeat}")
    mocks: dict[tuple, list[Result]] = {c: [] for c in configurations}
    bases: dict[tuple, list[Result]] = {c: [] for c in configurations}
    existing: list[Result] = []
    wiremock: list[Result] = []
    shipped = configurations[0]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for run in range(args.repeat):
            for index, (name, workers, threads) in enumerate(configurations):
                options = ["--http-server", name, "--workers", str(workers), "--threads", str(threads)]
                url = args.database_url or f"sqlite:///{workdir}/bench{run}-{index}.db"
                mocks[name, workers, threads].append(_measure(ServerProcess(url, *options), args, workdir))
                if (name, workers, threads) == shipped:
                    url = args.database_url or f"sqlite:///{workdir}/bench{run}-{index}-existing.db"
                    existing.append(_measure(ServerProcess(url, *options), args, workdir, existing=True))
                baseline = ServerProcess("", *options, command=[sys.executable, "-m", "bench.baseline"])
                bases[name, workers, threads].append(_measure(baseline, args, workdir))
            if not args.no_wiremock:
                with WireMock(CANNED, workdir) as stub:
                    wiremock.append(_wrk(stub.endpoint, args.seconds, args.connections, args.wrk_threads, workdir))
    print(f"{'server':<10}{'workers':>8}{'threads':>8}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}"
          f"{'baseline req/s':>16}{'ratio':>7}")
    for (name, workers, threads), results in mocks.items():
        mock, base = _median(results), _median(bases[name, workers, threads])
        print(f"{name:<10}{workers:>8}{threads:>8}{mock.requests_per_second:>10.0f}{mock.p50_ms:>9.1f}"
              f"{mock.p99_ms:>9.1f}{mock.errors:>8}{base.requests_per_second:>16.0f}"
              f"{mock.requests_per_second / base.requests_per_second:>7.2f}", flush=True)
    base = _median(bases[shipped])
    update = _median(existing)
    print(f"shipped configuration ({shipped[0]} {shipped[1]}x{shipped[2]}), every call updating one lead: "
          f"{update.requests_per_second:.0f} req/s, p50 {update.p50_ms:.1f} ms, p99 {update.p99_ms:.1f} ms, "
          f"{update.requests_per_second / base.requests_per_second:.2f} of the baseline")
    if wiremock:
        stub = _median(wiremock)
        mock = _median(mocks[shipped])
        print(f"WireMock canned successSyncLead stub: {stub.requests_per_second:.0f} req/s, p50 {stub.p50_ms:.1f} ms, "
              f"p99 {stub.p99_ms:.1f} ms; mockmarketo (creating leads) is {mock.requests_per_second / stub.requests_per_second:.2f} "
              f"of it, the bare baseline {base.requests_per_second / stub.requests_per_second:.2f}")


if __name__ == "__main__":
    main()
