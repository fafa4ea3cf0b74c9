"""The pytest plugin (entry point `pytest11`): fixtures that give each test a fresh, isolated Marketo.

- `marketo_server` (session): one mockmarketo server for the whole run, started in-process on an
  ephemeral port with the embedded in-memory database — or, with `--marketo-url URL` or the
  MOCKMARKETO_URL environment variable, an external server such as the Docker image (a control token
  comes from MOCKMARKETO_CONTROL_TOKEN). Under pytest-xdist each worker has its own.
- `marketo` (function): a fresh instance on that server, with `.endpoint`, `.wsdl_url`, `.user_id`,
  `.secret_key` and the helpers of mockmarketo.testing.MarketoInstance (`seed`, `leads`, `lead`,
  `requests`, `fail_next`, `config`, ...). Tests never see each other's leads, even in parallel.
"""

from __future__ import annotations

import os

import pytest

from mockmarketo.testing import MarketoInstance, MockMarketo


def pytest_addoption(parser):
    group = parser.getgroup("mockmarketo")
    group.addoption("--marketo-url", default=None,
                    help="use the mockmarketo server at this URL instead of starting one "
                         "(also MOCKMARKETO_URL)")


@pytest.fixture(scope="session")
def marketo_server(request):
    """A MockMarketo client of the server the `marketo` fixture uses."""
    url = request.config.getoption("--marketo-url") or os.environ.get("MOCKMARKETO_URL")
    token = os.environ.get("MOCKMARKETO_CONTROL_TOKEN")
    if url:
        server = MockMarketo(url, token=token)
        server.health()
        yield server
        return
    from mockmarketo.app import MockMarketoApp
    from mockmarketo.config import Settings
    from mockmarketo.server import HttpServer

    http = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    http.start_in_thread()
    try:
        yield MockMarketo(http.base_url)
    finally:
        http.close()


@pytest.fixture
def marketo(marketo_server) -> MarketoInstance:
    """A fresh, isolated Marketo for this test."""
    instance = marketo_server.new_instance()
    yield instance
    try:
        instance.restore_config()
    finally:
        instance.delete()
