"""Shared fixtures: an in-process mockmarketo app and a SOAP caller over werkzeug's test client."""

from __future__ import annotations

import pytest
from werkzeug.test import Client

from mockmarketo.app import MockMarketoApp
from mockmarketo.config import Settings
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


def make_app(**settings) -> MockMarketoApp:
    return MockMarketoApp(Settings(**settings))


@pytest.fixture
def app():
    application = make_app()
    yield application
    application.close()


@pytest.fixture
def soap(app) -> SoapCaller:
    return SoapCaller(app)
