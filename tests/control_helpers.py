"""Helpers for the control-API tests: an app with an injectable clock, a JSON client, signed calls as
any user."""

from __future__ import annotations

from datetime import datetime, timezone

from werkzeug.test import Client

from mockmarketo.app import MockMarketoApp
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app


class FakeClock:
    """A clock the test moves by hand (seconds since the epoch)."""

    def __init__(self, moment: datetime = datetime(2026, 3, 2, 12, 0, tzinfo=timezone.utc)):
        self.now = moment.timestamp()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def control_app(clock=None, **settings) -> MockMarketoApp:
    return make_app(clock, **settings)


def sync_as(soap: SoapCaller, user_id: str, secret_key: str, email: str, **record) -> sm.SoapResponse:
    """syncLead of one email, signed as the given user."""
    return soap.call(sm.sync_lead_body(sm.lead_record(email, **record)), header=sm.auth_header(user_id, secret_key))


def get_lead_as(soap: SoapCaller, user_id: str, secret_key: str, email: str) -> sm.SoapResponse:
    return soap.call(sm.get_lead_body("EMAIL", email), header=sm.auth_header(user_id, secret_key))


def json_client(app) -> Client:
    return Client(app)
