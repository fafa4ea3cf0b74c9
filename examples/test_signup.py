"""Example: testing a signup flow that pushes new users to Marketo with syncLead.

The code under test is `signup()`: it calls Marketo through zeep, retrying once when Marketo
answers 20023 (rate limit). The `marketo` fixture (the pytest plugin mockmarketo installs) gives each
test a fresh, isolated Marketo over real HTTP.
"""

import hashlib
import hmac
from datetime import datetime, timezone

import pytest
import zeep


# ---- the code under test ---------------------------------------------------------------------------------
def marketo_client(endpoint, user_id, secret_key):
    client = zeep.Client(endpoint + "?WSDL")
    service = client.create_service("{http://www.marketo.com/mktows/}MktowsApiSoapBinding", endpoint)

    def headers():
        timestamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        signature = hmac.new(secret_key.encode(), (timestamp + user_id).encode(), hashlib.sha1).hexdigest()
        return {"authentication": {"mktowsUserId": user_id, "requestSignature": signature,
                                   "requestTimestamp": timestamp}}
    return service, headers


def signup(endpoint, user_id, secret_key, email, first_name):
    service, headers = marketo_client(endpoint, user_id, secret_key)
    lead = {"Email": email, "leadAttributeList": {"attribute": [
        {"attrName": "FirstName", "attrValue": first_name},
        {"attrName": "LeadSource", "attrValue": "Website signup"}]}}
    for attempt in range(2):
        try:
            result = service.syncLead(leadRecord=lead, returnLead=False, _soapheaders=headers())
            return result.leadId
        except zeep.exceptions.Fault as fault:
            code = fault.detail.find(".//code").text if fault.detail is not None else None
            if code != "20023" or attempt == 1:
                raise


# ---- the tests -------------------------------------------------------------------------------------------
def test_signup_creates_the_lead_in_marketo(marketo):
    lead_id = signup(marketo.endpoint, marketo.user_id, marketo.secret_key, "ann@example.com", "Ann")

    lead = marketo.lead(email="ann@example.com")
    assert lead["id"] == lead_id
    assert lead["attributes"] == {"FirstName": "Ann", "LeadSource": "Website signup"}


def test_signup_updates_a_lead_that_marketo_already_knows(marketo):
    marketo.seed(email="bob@example.com", attributes={"LastName": "Builder"})

    signup(marketo.endpoint, marketo.user_id, marketo.secret_key, "bob@example.com", "Bob")

    [call] = marketo.requests(operation="syncLead")
    assert call["statuses"] == ["UPDATED"]
    assert marketo.lead(email="bob@example.com")["attributes"]["LastName"] == "Builder"


def test_signup_retries_once_when_marketo_rate_limits(marketo):
    marketo.fail_next(20023, operation="syncLead")

    signup(marketo.endpoint, marketo.user_id, marketo.secret_key, "cy@example.com", "Cy")

    assert [(c["outcome"], c["fault_code"]) for c in marketo.requests()] == [
        ("fault", 20023), ("success", None)]
    assert len(marketo.leads(email="cy@example.com")) == 1


def test_signup_gives_up_after_two_rate_limits(marketo):
    marketo.fail_next(20023, operation="syncLead", times=2)

    with pytest.raises(zeep.exceptions.Fault):
        signup(marketo.endpoint, marketo.user_id, marketo.secret_key, "dee@example.com", "Dee")
    assert marketo.leads(email="dee@example.com") == []
