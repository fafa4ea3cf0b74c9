"""Files of the repository that users rely on besides the code: the licence, the Docker files."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
from mockmarketo.server import HttpServer

REPO = Path(__file__).resolve().parents[1]


def test_the_licence_is_the_mit_licence_pyproject_declares():
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["license"] == "MIT"
    assert (REPO / "LICENSE").read_text().startswith("MIT License\n")


def healthcheck(path: str) -> str:
    """The Python code of a file's health check."""
    return re.search(r'"python", "-c", "(.*)"\]', (REPO / path).read_text()).group(1)


def test_compose_checks_health_as_the_image_does():
    assert healthcheck("docker/compose.yaml") == healthcheck("docker/Dockerfile")


@pytest.fixture(scope="module")
def server():
    http = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    http.start_in_thread()
    yield http
    http.close()


def run_healthcheck(port: int) -> int:
    env = {**os.environ, "MOCKMARKETO_PORT": str(port)}
    env.pop("MOCKMARKETO_TLS_SELF_SIGNED", None)
    env.pop("MOCKMARKETO_TLS_CERT", None)
    return subprocess.run([sys.executable, "-c", healthcheck("docker/Dockerfile")], env=env,
                          capture_output=True, timeout=30).returncode


def test_the_images_health_check_follows_mockmarketo_port(server):
    assert run_healthcheck(server.port) == 0


def test_the_images_health_check_fails_when_nothing_answers_on_the_port(server):
    import socket
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        free = probe.getsockname()[1]
    assert run_healthcheck(free) != 0


def test_compose_never_suggests_scaling_while_it_publishes_a_fixed_host_port():
    compose = (REPO / "docker" / "compose.yaml").read_text()
    fixed_port = re.search(r'^\s+- "\d+:\d+"$', compose, re.M)
    assert not (fixed_port and "--scale" in compose)
