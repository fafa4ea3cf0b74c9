"""The pytest plugin (entry point `pytest11`): fixtures that give each test a fresh, isolated Marketo.

- `marketo_server` (session): one mockmarketo server for the whole run, started in-process on an
  ephemeral port with the embedded in-memory database — or, with `--marketo-url URL` or the
  MOCKMARKETO_URL environment variable, an external server such as the Docker image (a control token
  comes from MOCKMARKETO_CONTROL_TOKEN). Under pytest-xdist each worker has its own. An external server
  that cannot be reached, or refuses the token, stops the run with one error naming the URL and where
  it came from. `--marketo-log` logs the in-process server's access log (a line per call, logger
  `mockmarketo.access`), which pytest shows with a failing test's captured log; it is off otherwise.
- `marketo` (function): a fresh instance on that server, with `.endpoint`, `.wsdl_url`, `.user_id`,
  `.secret_key` and the helpers of mockmarketo.testing.MarketoInstance (`seed`, `leads`, `lead`,
  `requests`, `fail_next`, `config`, ...). Tests never see each other's leads, even in parallel.
"""

from __future__ import annotations

import logging
import os

import pytest

from mockmarketo.testing import TOKEN_HINT, ControlApiError, MarketoInstance, MockMarketo, ServerUnreachable

ACCESS_LOGGER = "mockmarketo.access"


def pytest_addoption(parser):
    group = parser.getgroup("mockmarketo")
    group.addoption("--marketo-url", default=None,
                    help="use the mockmarketo server at this URL instead of starting one "
                         "(also MOCKMARKETO_URL; its control token from MOCKMARKETO_CONTROL_TOKEN)")
    group.addoption("--marketo-log", action="store_true", default=False,
                    help="log a line per call of the in-process mockmarketo server (logger "
                         "mockmarketo.access, shown with a failing test's captured log)")


def _external_url(config) -> tuple[str | None, str]:
    """The external server's URL, if one is named, and where it was named."""
    option = config.getoption("--marketo-url")
    return option or os.environ.get("MOCKMARKETO_URL"), "--marketo-url" if option else "MOCKMARKETO_URL"


def _problem_with(url: str, source: str) -> str | None:
    """Why the external server cannot serve the fixtures, in one line; None if it can."""
    token = os.environ.get("MOCKMARKETO_CONTROL_TOKEN")
    try:
        MockMarketo(url, token=token).request("GET", "/_mock/instances")
    except ServerUnreachable as error:
        return f"mockmarketo: {error} (the URL comes from {source})"
    except ControlApiError as error:
        if error.status == 401:
            why = ("refuses MOCKMARKETO_CONTROL_TOKEN: it is not the server's token" if token else
                   f"wants a control token: {TOKEN_HINT}")
        else:
            why = f"answered GET /_mock/instances with {error}: is it a mockmarketo server?"
        return f"mockmarketo: the server at {url} (from {source}) {why}"
    return None


def pytest_sessionstart(session):
    """An external server is checked once, before any test (and before pytest-xdist starts workers): one
    clear error for the run rather than one traceback per test."""
    config = session.config
    url, source = _external_url(config)
    if url and not hasattr(config, "workerinput") and not config.getoption("collectonly"):
        problem = _problem_with(url, source)
        if problem:
            raise pytest.UsageError(problem)


@pytest.fixture(scope="session")
def marketo_server(request):
    """A MockMarketo client of the server the `marketo` fixture uses."""
    url, _ = _external_url(request.config)
    if url:
        yield MockMarketo(url, token=os.environ.get("MOCKMARKETO_CONTROL_TOKEN"))
        return
    from mockmarketo.app import MockMarketoApp
    from mockmarketo.config import Settings
    from mockmarketo.server import HttpServer

    logger = logging.getLogger(ACCESS_LOGGER)
    level = logger.level
    # off unless asked, even when the project's own logging shows INFO records
    logger.setLevel(logging.INFO if request.config.getoption("--marketo-log") else logging.WARNING)
    http = HttpServer(MockMarketoApp(Settings()), "127.0.0.1", 0)
    http.start_in_thread()
    try:
        yield MockMarketo(http.base_url)
    finally:
        http.close()
        logger.setLevel(level)


@pytest.fixture
def marketo(marketo_server) -> MarketoInstance:
    """A fresh, isolated Marketo for this test."""
    instance = marketo_server.new_instance()
    yield instance
    try:
        instance.restore_config()
    finally:
        instance.delete()
