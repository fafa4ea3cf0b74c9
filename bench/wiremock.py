"""WireMock, the stub server most teams would otherwise reach for, serving a canned response on the
SOAP path: the standalone jar of the npm package `wiremock`, run with the machine's Java."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

WIREMOCK_VERSION = "3.13.2"
_CACHE = Path.home() / ".cache" / "mockmarketo-bench" / "wiremock"


def wiremock_jar() -> Path:
    """The jar, installed with npm into a cache folder on first use."""
    jars = list(_CACHE.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    if not jars:
        if shutil.which("npm") is None:
            raise RuntimeError("npm not found: apt-get install -y npm")
        _CACHE.mkdir(parents=True, exist_ok=True)
        subprocess.run(["npm", "install", "--silent", "--prefix", str(_CACHE), f"wiremock@{WIREMOCK_VERSION}"],
                       check=True, capture_output=True)
        jars = list(_CACHE.glob("node_modules/wiremock/build/wiremock-standalone-*.jar"))
    return jars[0]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class WireMock:
    """A running WireMock answering POST /soap/mktows/2_9 with `body` (a context manager)."""

    def __init__(self, body: bytes, workdir: Path):
        self.port = _free_port()
        self.root = workdir / "wiremock"
        (self.root / "mappings").mkdir(parents=True, exist_ok=True)
        (self.root / "mappings" / "sync_lead.json").write_text(json.dumps({
            "request": {"method": "POST", "urlPath": "/soap/mktows/2_9"},
            "response": {"status": 200, "body": body.decode("utf-8"),
                         "headers": {"Content-Type": "text/xml; charset=utf-8"}}}))
        self.endpoint = f"http://127.0.0.1:{self.port}/soap/mktows/2_9"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> WireMock:
        java = shutil.which("java")
        if java is None:
            raise RuntimeError("java not found: apt-get install -y default-jre-headless")
        self.process = subprocess.Popen(
            [java, "-jar", str(wiremock_jar()), "--port", str(self.port), "--bind-address", "127.0.0.1",
             "--root-dir", str(self.root), "--disable-banner", "--no-request-journal",
             "--async-response-enabled", "false"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/__admin/health", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise RuntimeError("WireMock did not start within 60 s")

    def __exit__(self, *_exc) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=20)
