"""Shared fixtures: an in-process mockmarketo app and a SOAP caller over werkzeug's test client."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import DEFAULT_INSTANCE, Settings
from mockmarketo.domain.leads import Lead
from tests import soap_messages as sm

ENDPOINT = "/soap/mktows/2_9"


class SoapCaller:
    """Posts envelopes to an app and returns SoapResponse objects."""

    def __init__(self, app: MockMarketoApp):
        self.app = app
        self.client = Client(app)

    def post(self, body: bytes | str, content_type: str = "text/xml; charset=utf-8",
             path: str = ENDPOINT, headers: dict | None = None) -> sm.SoapResponse:
        data = body.encode("utf-8") if isinstance(body, str) else body
        response = self.client.post(path, data=data, content_type=content_type, headers=headers or {})
        return sm.SoapResponse(response.status_code, response.headers.get("Content-Type", ""),
                               response.get_data())

    def call(self, body: str, header: str | None = None, extra_headers: str = "") -> sm.SoapResponse:
        return self.post(sm.envelope(body, header, extra_headers=extra_headers))

    def sync(self, email: str | None = None, *, return_lead: str = "false", cookie: str | None = None,
             workspace: str | None = None, **record) -> sm.SoapResponse:
        extra = sm.workspace_header(workspace) if workspace is not None else ""
        return self.call(sm.sync_lead_body(sm.lead_record(email, **record), return_lead, cookie),
                         extra_headers=extra)

    def get_lead(self, key_type: str, key_value: str) -> sm.SoapResponse:
        return self.call(sm.get_lead_body(key_type, key_value))

    def sync_multiple(self, records: list[str], dedup: str | None = None) -> sm.SoapResponse:
        """syncMultipleLeads with records built by sm.lead_record."""
        return self.call(sm.sync_multiple_leads_body(records, dedup))

    def get_multiple(self, selector: str = "", **params) -> sm.SoapResponse:
        """getMultipleLeads; selector from sm.lead_key_selector & co., params as sm.get_multiple_leads_body."""
        return self.call(sm.get_multiple_leads_body(selector, **params))


def make_app(**settings) -> MockMarketoApp:
    return MockMarketoApp(Settings(**settings))


def store_leads(app: MockMarketoApp, *leads: Lead, instance: str = DEFAULT_INSTANCE) -> list[Lead]:
    """Write leads straight into the store (id 0 takes the next id; created_at/updated_at kept if set)."""
    marketo = app.marketo
    with marketo.store.transaction(instance, marketo.settings.first_id) as repo:
        return [repo.create(lead) for lead in leads]


def stored_lead(app: MockMarketoApp, lead_id: int, instance: str = DEFAULT_INSTANCE) -> Lead | None:
    with app.marketo.store.transaction(instance, write=False) as repo:
        return repo.by_id(lead_id)


@pytest.fixture
def app():
    application = make_app()
    yield application
    application.close()


@pytest.fixture
def soap(app) -> SoapCaller:
    return SoapCaller(app)
