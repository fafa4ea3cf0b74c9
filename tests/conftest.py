"""Shared fixtures: an in-process mockmarketo app and a SOAP caller over werkzeug's test client.

Tests that use `database_url` (and so `app`, `soap`) run on a SQLite file and, under the `postgres`
marker, on a PostgreSQL database made for the test session and emptied after each test (issue 5).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from werkzeug.test import Client

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import DEFAULT_INSTANCE, Settings
from mockmarketo.domain.leads import Lead
from mockmarketo.soap import dispatch
from tests import databases
from tests import soap_messages as sm

ENDPOINT = "/soap/mktows/2_9"


class SoapCaller(sm.SoapCalls):
    """Posts envelopes to an app in process and returns SoapResponse objects."""

    def __init__(self, app: MockMarketoApp):
        self.app = app
        self.client = Client(app)

    def post(self, body: bytes | str, content_type: str = "text/xml; charset=utf-8",
             path: str = ENDPOINT, headers: dict | None = None) -> sm.SoapResponse:
        data = body.encode("utf-8") if isinstance(body, str) else body
        response = self.client.post(path, data=data, content_type=content_type, headers=headers or {})
        return sm.SoapResponse(response.status_code, response.headers.get("Content-Type", ""),
                               response.get_data())

    def sync_multiple(self, records: list[str], dedup: str | None = None) -> sm.SoapResponse:
        """syncMultipleLeads with records built by sm.lead_record."""
        return self.call(sm.sync_multiple_leads_body(records, dedup))

    def get_multiple(self, selector: str = "", **params) -> sm.SoapResponse:
        """getMultipleLeads; selector from sm.lead_key_selector & co., params as sm.get_multiple_leads_body."""
        return self.call(sm.get_multiple_leads_body(selector, **params))


# every app a test makes, closed when the test ends (Python 3.13 reports unclosed SQLite connections)
_OPEN_APPS: list[MockMarketoApp] = []


def make_app(clock=None, settings: Settings | None = None, **fields) -> MockMarketoApp:
    """An app on `settings`, or on Settings(**fields) (in-memory SQLite unless database_url is given),
    closed after the test."""
    app = MockMarketoApp(settings or Settings(**fields), **({"clock": clock} if clock is not None else {}))
    _OPEN_APPS.append(app)
    return app


@pytest.fixture(autouse=True)
def _both_soap_paths_agree():
    """The differential check (tests/test_codec_differential.py): every SOAP call a test makes in
    process is also decoded and encoded by spyne's full path, and the two must agree."""
    dispatch.CHECK = True
    dispatch.MISMATCHES.clear()
    yield
    assert not dispatch.MISMATCHES, "\n".join(dispatch.MISMATCHES)


@pytest.fixture(autouse=True)
def _close_apps_made_by_the_test():
    # apps of module- or session-scoped fixtures exist before this runs, and are theirs to close
    already_open = len(_OPEN_APPS)
    yield
    while len(_OPEN_APPS) > already_open:
        _OPEN_APPS.pop().close()


def store_leads(app: MockMarketoApp, *leads: Lead, instance: str = DEFAULT_INSTANCE) -> list[Lead]:
    """Write leads straight into the store (id 0 takes the next id; created_at/updated_at kept if set)."""
    marketo = app.marketo
    with marketo.store.transaction(instance, marketo.settings.first_id) as repo:
        return [repo.create(lead) for lead in leads]


def stored_lead(app: MockMarketoApp, lead_id: int, instance: str = DEFAULT_INSTANCE) -> Lead | None:
    with app.marketo.store.transaction(instance, write=False) as repo:
        return repo.by_id(lead_id)


@pytest.fixture(scope="session")
def postgres_database():
    """The URL of a throw-away PostgreSQL database for this test session, dropped at its end."""
    try:
        url = databases.create_database()
    except Exception as err:  # noqa: BLE001 - one line that says what to start
        pytest.fail(f"no PostgreSQL at {databases.ADMIN_URL} ({type(err).__name__}: {err}); start it with "
                    "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start", pytrace=False)
    yield url
    databases.drop_database(url)


# the `params` of a fixture that gives a database: SQLite by default, PostgreSQL under the postgres marker
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@contextmanager
def fresh_database(request, directory, *, own_postgres_database: bool = False) -> Iterator[str]:
    """An empty database for request.param: a SQLite file in directory; or the session's PostgreSQL
    database, emptied afterwards (a database of its own, dropped afterwards, for a wider-scoped fixture)."""
    if request.param == "sqlite":
        yield f"sqlite:///{directory}/mockmarketo.db"
        return
    if own_postgres_database:
        request.getfixturevalue("postgres_database")  # fails with its message when PostgreSQL is down
        url = databases.create_database()
        try:
            yield url
        finally:
            databases.drop_database(url)
        return
    url = request.getfixturevalue("postgres_database")
    try:
        yield url
    finally:
        databases.empty_database(url)


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    """A fresh, empty database for one test."""
    with fresh_database(request, tmp_path) as url:
        yield url


@pytest.fixture
def app(database_url):
    application = make_app(database_url=database_url)
    yield application
    application.close()


@pytest.fixture
def soap(app) -> SoapCaller:
    return SoapCaller(app)


@pytest.fixture
def client(app) -> Client:
    """werkzeug's test client of the app, for the control API's JSON routes."""
    return Client(app)
