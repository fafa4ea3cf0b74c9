"""getCampaignsForSource (facts-more-ops §7): the requestable campaigns of a source, filtered by name
(part or exact), ordered by full name then id, in the documented response shape."""

from __future__ import annotations

import pytest

from tests import marketing_messages as mm
from tests import soap_messages as sm

# the campaigns of the documented response (facts-more-ops §7), outside programs but the first, with
# campaigns that are not listed for MKTOWS
DOC_CAMPAIGNS = [
    (4240, "Fulfillment Email Trigger for Social App:"), (4038, "Fulfillment Email Trigger for Social App: 398"),
    (4040, "Fulfillment Email Trigger for Social App: 400"), (4242, "Fulfillment Email Trigger for Social App: 442"),
    (4335, "Fulfillment Email Trigger for Social App: 442"), (4477, "Fulfillment Email Trigger for Social App: 465"),
    (4239, "Sign-Up Email Trigger for Social App:"), (4037, "Sign-Up Email Trigger for Social App: 398"),
    (4039, "Sign-Up Email Trigger for Social App: 400"), (4241, "Sign-Up Email Trigger for Social App: 442"),
    (4334, "Sign-Up Email Trigger for Social App: 442"), (4476, "Sign-Up Email Trigger for Social App: 465")]
ASSETS = ('[[programs]]\nname = "ER Demo"\n'
          '[[campaigns]]\nid = 5000\nname = "Batch Trigger Cleanup"\n'
          '[[campaigns]]\nid = 5001\nname = "Sales Trigger"\nrequestable = true\nsource = ["SALES"]\n'
          + "".join(f'[[campaigns]]\nid = {cid}\nname = "{name}"\nrequestable = true\n'
                    + ('description = "Confirms a signup"\n' if cid == 4037 else "")
                    for cid, name in reversed(DOC_CAMPAIGNS))
          + '[[campaigns]]\nid = 3374\nname = "Triggered Campaign"\nprogram = "ER Demo"\nrequestable = true\n')


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url, toml=ASSETS)


def records(response: sm.SoapResponse) -> list[tuple[str, str]]:
    assert response.status == 200, response.body
    return list(zip(response.all_text("result/campaignRecordList/campaignRecord/id"),
                    response.all_text("result/campaignRecordList/campaignRecord/name")))


def test_documented_request_lists_the_matching_campaigns_by_name_then_id(soap):
    """The doc's request: name `Trigger`, exactName false; its answer's order (by name, ties by id)."""
    response = soap.call(mm.campaigns_for_source("MKTOWS", "Trigger", "false"))
    assert response.text("result/returnCount") == "13"
    assert records(response) == [("3374", "ER Demo.Triggered Campaign")] + [
        (str(cid), name) for cid, name in DOC_CAMPAIGNS]


def test_response_has_the_documented_shape(soap):
    response = soap.call(mm.campaigns_for_source("MKTOWS", "Triggered Campaign", "true"))
    expected = sm.marketo_response("""
        <ns1:successGetCampaignsForSource>
          <result>
            <returnCount>1</returnCount>
            <campaignRecordList>
              <campaignRecord><id>3374</id><name>ER Demo.Triggered Campaign</name><description /></campaignRecord>
            </campaignRecordList>
          </result>
        </ns1:successGetCampaignsForSource>""", xsi=False)
    assert sm.canonical(response.body) == sm.canonical(expected)


def test_description_is_written_when_the_campaign_has_one(soap):
    response = soap.call(mm.campaigns_for_source("MKTOWS", "Sign-Up Email Trigger for Social App: 398", "true"))
    assert response.all_text("result/campaignRecordList/campaignRecord/description") == ["Confirms a signup"]


def test_exact_name_matches_the_full_name_or_the_campaigns_own_name_in_any_case(soap):
    assert records(soap.call(mm.campaigns_for_source("MKTOWS", "er demo.triggered campaign", "true"))) == [
        ("3374", "ER Demo.Triggered Campaign")]
    assert records(soap.call(mm.campaigns_for_source("MKTOWS", "Triggered Campaign", "true"))) == [
        ("3374", "ER Demo.Triggered Campaign")]


def test_exact_name_does_not_match_a_part(soap):
    assert records(soap.call(mm.campaigns_for_source("MKTOWS", "Trigger", "true"))) == []


def test_only_source_lists_every_requestable_campaign_of_it(soap):
    """veeloinc sends only <source> (§7)."""
    response = soap.call(mm.campaigns_for_source("MKTOWS"))
    assert response.text("result/returnCount") == "13"


def test_empty_name_with_exact_name_is_no_filter(soap):
    """flickerbox sends name '' with exactName true (§7)."""
    assert soap.call(mm.campaigns_for_source("MKTOWS", "", "true")).text("result/returnCount") == "13"


def test_sales_lists_the_campaigns_for_sales_insight(soap):
    assert records(soap.call(mm.campaigns_for_source("SALES"))) == [("5001", "Sales Trigger")]


def test_batch_campaigns_are_not_listed(soap):
    assert records(soap.call(mm.campaigns_for_source("MKTOWS", "Cleanup"))) == []


def test_no_match_answers_count_0_and_an_empty_list(soap):
    response = soap.call(mm.campaigns_for_source("MKTOWS", "Nothing like it"))
    expected = sm.marketo_response("""
        <ns1:successGetCampaignsForSource><result>
          <returnCount>0</returnCount><campaignRecordList />
        </result></ns1:successGetCampaignsForSource>""", xsi=False)
    assert sm.canonical(response.body) == sm.canonical(expected)


def test_unknown_source_faults_20110(soap):
    response = soap.call(mm.campaigns_for_source("WEB"))
    assert (response.status, response.fault_code, response.fault_message) == (
        500, 20110, "source 'WEB' is not one of MKTOWS, SALES (20110)")


def test_campaign_added_at_run_time_is_listed(soap, client):
    client.post("/_mock/campaigns", json={"name": "Zz Added", "requestable": True})
    assert records(soap.call(mm.campaigns_for_source("MKTOWS", "zz added", "true"))) == [("5002", "Zz Added")]
