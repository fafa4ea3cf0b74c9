"""PostgreSQL round trips per SOAP call (store.driver): a write transaction opens with BEGIN and the
instance's row lock in one round trip, reads once per lookup, and sends its writes with the COMMIT; a
read is one round trip. Counted at the TCP level by a proxy in front of the server."""

from __future__ import annotations

import pytest

from tests import databases
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app
from tests.round_trips import RoundTripCounter

pytestmark = pytest.mark.postgres


@pytest.fixture
def counted(postgres_database):
    proxy = RoundTripCounter(postgres_database)
    app = make_app(database_url=proxy.url)
    soap = SoapCaller(app)
    soap.sync("first@example.com")  # the instance exists, the pool holds a fresh connection
    proxy.reset()
    yield proxy, soap
    app.close()
    proxy.close()
    databases.empty_database(postgres_database)  # the next test starts on an empty database


def test_sync_lead_of_a_new_lead_takes_three_round_trips(counted):
    proxy, soap = counted

    response = soap.sync("new@example.com")

    assert (response.text(".//status"), proxy.round_trips) == ("CREATED", 3)


def test_sync_lead_of_an_existing_lead_takes_three_round_trips(counted):
    proxy, soap = counted

    response = soap.sync("first@example.com", attributes={"FirstName": "Ann"})

    assert (response.text(".//status"), proxy.round_trips) == ("UPDATED", 3)


def test_an_unknown_cookie_adds_its_lookup(counted):
    proxy, soap = counted

    response = soap.sync("first@example.com", cookie="id:561-HYG-937&token:_mch-example.com-1")

    # the lock; the cookie's lookup, then the email's (facts §9.1: the cookie is tried first); the COMMIT
    assert (response.text(".//status"), proxy.round_trips) == ("UPDATED", 4)


def test_get_lead_takes_one_round_trip(counted):
    proxy, soap = counted

    response = soap.get_lead("EMAIL", "first@example.com")

    assert (response.text(".//count"), proxy.round_trips) == ("1", 1)


def test_a_record_of_sync_multiple_leads_that_fails_before_its_lookup_costs_no_round_trip(counted):
    proxy, soap = counted

    response = soap.sync_multiple([sm.lead_record("a@example.com"),
                                   sm.lead_record("b@example.com", attributes={"NoSuchField": "x"})])

    # the lock; a@'s savepoint and lookup; a@'s writes with the COMMIT (b@'s savepoint is never sent)
    assert (response.all_text(".//status"), proxy.round_trips) == (["CREATED", "FAILED"], 3)


def test_commits_are_not_waited_for_on_disk_unless_the_url_says_so(postgres_database):
    """A test double's calls need not wait for PostgreSQL's disk flush (docs/deployment.md)."""
    def setting(url):
        app = make_app(database_url=url)
        with app.marketo.store.engine.connect() as conn:
            return conn.exec_driver_sql("SHOW synchronous_commit").scalar()

    restored = postgres_database + "?options=-c%20synchronous_commit%3Don"
    assert (setting(postgres_database), setting(restored)) == ("off", "on")
