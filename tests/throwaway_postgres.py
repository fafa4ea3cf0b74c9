"""A PostgreSQL cluster of a test's own (initdb and pg_ctl as the postgres user, in a temporary directory,
on a free loopback port), for tests that stall or stop the server: never the machine's shared cluster,
which other tests use at the same time."""

from __future__ import annotations

import glob
import os
import pwd
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest


def _bin_dir() -> str | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
    return os.path.dirname(found[-1]) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class ThrowawayPostgres:
    def __init__(self):
        bin_dir = _bin_dir()
        if bin_dir is None or os.geteuid() != 0:
            pytest.skip("needs PostgreSQL's server binaries and root (to run them as the postgres user)")
        self.bin_dir = bin_dir
        self.port = _free_port()
        self.directory = Path(tempfile.mkdtemp(prefix="mockmarketo-pg-"))
        self.data = self.directory / "data"
        postgres = pwd.getpwnam("postgres")
        os.chown(self.directory, postgres.pw_uid, postgres.pw_gid)

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *command: str) -> None:
        line = " ".join(shlex.quote(part) for part in command)
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", line], check=True, capture_output=True, timeout=60)

    def start(self) -> ThrowawayPostgres:
        if not self.data.exists():
            self._as_postgres(f"{self.bin_dir}/initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust",
                              "--no-sync")
        options = f"-p {self.port} -k {self.directory} -c listen_addresses=127.0.0.1 -c fsync=off"
        self._as_postgres(f"{self.bin_dir}/pg_ctl", "-D", str(self.data), "-o", options, "-l",
                          str(self.directory / "log"), "-w", "-t", "30", "start")
        return self

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.thaw()
            self._as_postgres(f"{self.bin_dir}/pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def _pids(self) -> list[int]:
        """The postmaster and every process it started (one per connection, and its helpers)."""
        postmaster = int((self.data / "postmaster.pid").read_text().split()[0])
        children = []
        for stat in glob.glob("/proc/[0-9]*/stat"):
            try:
                fields = Path(stat).read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == postmaster:
                children.append(int(stat.split("/")[2]))
        return [postmaster, *children]

    def freeze(self) -> None:
        """SIGSTOP the whole server: connections stay open, nothing answers."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        self._signal(signal.SIGCONT)

    def _signal(self, signum: int) -> None:
        for pid in self._pids():
            try:
                os.kill(pid, signum)
            except ProcessLookupError:  # a connection's process that ended meanwhile
                pass

    def close(self) -> None:
        try:
            self.stop()
        finally:
            shutil.rmtree(self.directory, ignore_errors=True)
