"""Example: testing a signup handler that syncs the new user to Marketo, adds them to the newsletter list
and requests the confirmation campaign, which sends the confirmation email.

The code under test is `signup()`, a zeep client of Marketo's SOAP API. Each test sets up the Marketo
it needs (a program, a static list, a requestable campaign) through the `marketo` fixture, and asserts
what the integration did through its helpers: the lead, the list's members and the campaign runs.
"""

import hashlib
import hmac
from datetime import datetime, timezone

import pytest
import zeep


# ---- the code under test ---------------------------------------------------------------------------------
class Marketo:
    def __init__(self, endpoint, user_id, secret_key):
        client = zeep.Client(endpoint + "?WSDL")
        self.service = client.create_service("{http://www.marketo.com/mktows/}MktowsApiSoapBinding", endpoint)
        self.user_id, self.secret_key = user_id, secret_key

    def headers(self):
        timestamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        signature = hmac.new(self.secret_key.encode(), (timestamp + self.user_id).encode(), hashlib.sha1).hexdigest()
        return {"authentication": {"mktowsUserId": self.user_id, "requestSignature": signature,
                                   "requestTimestamp": timestamp}}

    def campaign_id(self, name):
        """The id of the requestable campaign with this (program-qualified) name."""
        result = self.service.getCampaignsForSource(source="MKTOWS", name=name, exactName=True,
                                                    _soapheaders=self.headers())
        if result.returnCount == 0:
            raise LookupError(f"Marketo has no requestable campaign {name!r}")
        return result.campaignRecordList.campaignRecord[0].id


def signup(marketo, email, first_name, topic):
    lead = {"Email": email, "leadAttributeList": {"attribute": [{"attrName": "FirstName", "attrValue": first_name}]}}
    lead_id = marketo.service.syncLead(leadRecord=lead, returnLead=False, _soapheaders=marketo.headers()).leadId
    lead_key = {"leadKey": [{"keyType": "IDNUM", "keyValue": str(lead_id)}]}
    marketo.service.listOperation(listOperation="ADDTOLIST", listKey={"keyType": "MKTOLISTNAME", "keyValue": "Newsletter"},
                                  listMemberList=lead_key, strict=False, _soapheaders=marketo.headers())
    marketo.service.requestCampaign(
        source="MKTOWS", campaignId=marketo.campaign_id("Onboarding.Send Confirmation"), leadList=lead_key,
        programTokenList={"attrib": [{"name": "{{my.topic}}", "value": topic}]}, _soapheaders=marketo.headers())
    return lead_id


# ---- the tests -------------------------------------------------------------------------------------------
@pytest.fixture
def onboarding(marketo):
    """The Marketo set-up the handler expects, as an admin would make it in Marketo's UI."""
    marketo.add_program(name="Onboarding", channel="Blog", tokens={"{{my.topic}}": "our product"})
    marketo.add_list(name="Newsletter")
    marketo.add_campaign(name="Send Confirmation", program="Onboarding", requestable=True,
                         flow=[{"change_field": {"field": "LeadScore", "value": "+10"}},
                               {"send_email": "Welcome to {{my.topic}}"}])
    return marketo


def test_signup_syncs_the_lead_lists_it_and_requests_the_confirmation(onboarding):
    marketo = onboarding
    lead_id = signup(Marketo(marketo.endpoint, marketo.user_id, marketo.secret_key), "ann@example.com", "Ann",
                     "the webinar")

    assert marketo.lead(email="ann@example.com")["attributes"] == {"FirstName": "Ann", "LeadScore": "10"}
    assert marketo.list_members("Newsletter") == [lead_id]
    [run] = marketo.campaign_runs(lead=lead_id)
    assert (run["name"], run["source"], run["tokens"]["{{my.topic}}"], run["outcome"]) == (
        "Onboarding.Send Confirmation", "request", "the webinar", "done")


def test_signup_of_a_known_user_requests_the_campaign_again(onboarding):
    marketo = onboarding
    client = Marketo(marketo.endpoint, marketo.user_id, marketo.secret_key)
    first = signup(client, "bob@example.com", "Bob", "pricing")
    second = signup(client, "bob@example.com", "Bob", "support")

    assert first == second
    assert marketo.list_members("Newsletter") == [first]
    assert [run["tokens"]["{{my.topic}}"] for run in marketo.campaign_runs(lead=first)] == ["pricing", "support"]
    assert marketo.lead(email="bob@example.com")["attributes"]["LeadScore"] == "20"


def test_signup_fails_loudly_when_the_campaign_is_missing(marketo):
    marketo.add_list(name="Newsletter")

    with pytest.raises(LookupError, match="no requestable campaign 'Onboarding.Send Confirmation'"):
        signup(Marketo(marketo.endpoint, marketo.user_id, marketo.secret_key), "cy@example.com", "Cy", "x")
    assert marketo.campaign_runs() == []
