"""HTTP front ends for the same app, side by side: syncLead of a new lead per request over HTTP (wrk,
loopback), one process on the in-memory database unless --database-url says otherwise, under each of
waitress (`mockmarketo serve`'s default), gunicorn (sync and gthread workers), granian (WSGI) and bjoern;
with the bare baseline (bench/baseline.py) under granian and WireMock's canned stub in the same run.
Each figure is the median of --repeat runs, the servers taking turns.

    apt-get install -y wrk libev-dev && pip install granian bjoern
    python -m bench.front_ends [--seconds 8] [--repeat 3] [--connections 16] [--only waitress,granian]
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.baseline import CANNED  # noqa: E402
from bench.http_throughput import Result, _wrk  # noqa: E402
from bench.wiremock import WireMock  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
_APP = "mockmarketo.app:create_app"
_BJOERN = "import bjoern, sys; from mockmarketo.app import create_app; bjoern.run(create_app(), '127.0.0.1', {port})"


def _commands(port: int, threads: int) -> dict[str, list[str]]:
    python = sys.executable
    return {
        "waitress": [python, "-m", "mockmarketo", "serve", "--host", "127.0.0.1", "--port", str(port),
                     "--threads", str(threads)],
        "gunicorn-sync": [python, "-m", "gunicorn", "-w", "1", "-k", "sync", "-b", f"127.0.0.1:{port}",
                          f"{_APP}()"],
        "gunicorn-gthread": [python, "-m", "gunicorn", "-w", "1", "-k", "gthread", "--threads", str(threads),
                             "-b", f"127.0.0.1:{port}", f"{_APP}()"],
        "granian": ["granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port), "--workers", "1",
                    "--blocking-threads", str(threads), "--factory", _APP],
        "bjoern": [python, "-c", _BJOERN.format(port=port)],
        "baseline-granian": ["granian", "--interface", "wsgi", "--host", "127.0.0.1", "--port", str(port),
                             "--workers", "1", "--blocking-threads", str(threads), "bench.front_ends_baseline:app"],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait(port: int, process: subprocess.Popen, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"server did not start: {process.args}")


def run(name: str, args, workdir: Path) -> Result:
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "MOCKMARKETO_DATABASE_URL": args.database_url}
    process = subprocess.Popen(_commands(port, args.threads)[name], cwd=REPO, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(port, process)
        return _wrk(f"http://127.0.0.1:{port}/soap/mktows/2_9", args.seconds, args.connections, args.wrk_threads,
                    workdir)
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8, help="threads per process (servers that have them)")
    parser.add_argument("--database-url", default="sqlite://")
    parser.add_argument("--only", help="comma-separated front ends")
    parser.add_argument("--no-wiremock", action="store_true")
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk not found: apt-get install -y wrk")
    names = args.only.split(",") if args.only else list(_commands(0, 1))
    results: dict[str, list[Result]] = {name: [] for name in names}
    stub: list[Result] = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for _ in range(args.repeat):
            for name in names:
                results[name].append(run(name, args, workdir))
            if not args.no_wiremock:
                with WireMock(CANNED, workdir) as wiremock:
                    stub.append(_wrk(wiremock.endpoint, args.seconds, args.connections, args.wrk_threads, workdir))
    wiremock_rps = statistics.median(r.requests_per_second for r in stub) if stub else None
    print(f"syncLead over HTTP, one process, {args.database_url}, wrk -c{args.connections} -d{args.seconds}s, "
          f"median of {args.repeat}")
    print(f"{'front end':<18}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'errors':>8}{'of WireMock':>13}")
    for name, runs in results.items():
        rps = statistics.median(r.requests_per_second for r in runs)
        share = f"{rps / wiremock_rps:.2f}" if wiremock_rps else "-"
        print(f"{name:<18}{rps:>9.0f}{statistics.median(r.p50_ms for r in runs):>9.1f}"
              f"{statistics.median(r.p99_ms for r in runs):>9.1f}{sum(r.errors for r in runs):>8}{share:>13}")
    if wiremock_rps:
        print(f"{'WireMock (canned)':<18}{wiremock_rps:>9.0f}{statistics.median(r.p50_ms for r in stub):>9.1f}"
              f"{statistics.median(r.p99_ms for r in stub):>9.1f}{sum(r.errors for r in stub):>8}{1:>13.2f}")


if __name__ == "__main__":
    main()
