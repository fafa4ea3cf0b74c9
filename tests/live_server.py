"""`mockmarketo serve` (or another app served the same way) as a child process on a free port, for the
slow tests and bench/."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
_LISTENING = re.compile(r"listening on (https?://\S+)")


class ServerProcess:
    """One `python -m mockmarketo serve --port 0 ...` process; `base_url` once started."""

    def __init__(self, database_url: str, *args: str, command: list[str] | None = None):
        """`mockmarketo serve` on database_url with extra args; or `command`, which prints the same line."""
        if command is None:
            command = [sys.executable, "-m", "mockmarketo", "serve", "--database-url", database_url]
        self.args = [*command, "--host", "127.0.0.1", "--port", "0", *args]
        self.process: subprocess.Popen | None = None
        self.base_url: str | None = None
        self.output: list[str] = []
        self._lines: queue.Queue[str | None] = queue.Queue()
        self._drainer: threading.Thread | None = None

    @property
    def endpoint(self) -> str:
        return f"{self.base_url}/soap/mktows/2_9"

    def start(self, timeout: float = 30) -> ServerProcess:
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")]))}
        self.process = subprocess.Popen(self.args, cwd=REPO, env=env, stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self._drainer = threading.Thread(target=self._drain, daemon=True)
        self._drainer.start()
        while True:
            try:
                line = self._lines.get(timeout=timeout)
            except queue.Empty:
                self.kill()
                raise RuntimeError(f"server did not start within {timeout}s: {''.join(self.output)}") from None
            if line is None:
                self.process.wait()
                raise RuntimeError(f"server exited with {self.process.returncode}: {''.join(self.output)}")
            found = _LISTENING.search(line)
            if found:
                self.base_url = found.group(1)
            if self.base_url and line.startswith("  log:"):  # the banner's last line: it is all printed
                return self

    def _drain(self) -> None:
        for line in self.process.stdout:
            self.output.append(line)
            self._lines.put(line)
        self._lines.put(None)

    def stop(self, timeout: float = 10) -> int:
        """SIGTERM, then wait; returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            raise

    def kill(self) -> None:
        """SIGKILL the server and everything it started (gunicorn workers too)."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def close(self) -> None:
        """Kill the server if it still runs (idempotent)."""
        if self.process is not None:
            self.kill()
            self._drainer.join(timeout=10)  # it reads to the end of the output; closing under it fails
            self.process.stdout.close()

    def __enter__(self) -> ServerProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.close()
