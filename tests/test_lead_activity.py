"""getLeadActivity (facts-more-ops §2, §1.2): one lead's activities, newest first, on the wire as Marketo's
docs show them, with its key types, type filters, batch size and stream positions."""

from __future__ import annotations

from datetime import datetime

import pytest
from werkzeug.test import Client

from mockmarketo.domain import activity_stream
from tests import soap_messages as sm
from tests.activity_helpers import next_activity_id, seed_activity, seed_lead, store_clock
from tests.conftest import SoapCaller, make_app

# facts-more-ops §2, Marketo's verbatim request
DOC_REQUEST = """<ns1:paramsGetLeadActivity>
      <leadKey>
        <keyType>EMAIL</keyType>
        <keyValue>leademail@company.com</keyValue>
      </leadKey>
      <activityFilter>
        <includeTypes>
          <activityType>VisitWebpage</activityType>
          <activityType>FillOutForm</activityType>
        </includeTypes>
      </activityFilter>
      <startPosition>
        <latestCreatedAt />
        <offset />
      </startPosition>
      <batchSize>10</batchSize>
    </ns1:paramsGetLeadActivity>"""

# facts-more-ops §2, Marketo's verbatim response with its first record; of the nine records the doc
# leaves out, none is here, so the counts are 1 and 0 and the offset names the one record.
DOC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successGetLeadActivity>
      <leadActivityList>
        <returnCount>1</returnCount>
        <remainingCount>0</remainingCount>
        <newStartPosition>
          <latestCreatedAt>2013-07-31T21:33:59-05:00</latestCreatedAt>
          <oldestCreatedAt xsi:nil="true" />
          <activityCreatedAt xsi:nil="true" />
          <offset>ID:1030680</offset>
        </newStartPosition>
        <activityRecordList>
          <activityRecord>
            <id>1030680</id>
            <activityDateTime>2013-07-09T16:44:28-05:00</activityDateTime>
            <activityType>Visit Webpage</activityType>
            <mktgAssetName>ClickDemo</mktgAssetName>
            <activityAttributes>
              <attribute><attrName>Webpage ID</attrName><attrType xsi:nil="true" /><attrValue>2547</attrValue></attribute>
              <attribute><attrName>Webpage URL</attrName><attrType xsi:nil="true" /><attrValue>/ClickDemo.html</attrValue></attribute>
              <attribute><attrName>Query Parameters</attrName><attrType xsi:nil="true" /><attrValue>aliId=26419</attrValue></attribute>
              <attribute><attrName>Referrer URL</attrName><attrType xsi:nil="true" /><attrValue>http://localhost/~tkaufman/index.php</attrValue></attribute>
              <attribute><attrName>Client IP Address</attrName><attrType xsi:nil="true" /><attrValue>12.234.36.130</attrValue></attribute>
              <attribute><attrName>User Agent</attrName><attrType xsi:nil="true" /><attrValue>Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_3) AppleWebKit/536.28.10 (KHTML, like Gecko) Version/6.0.3 Safari/536.28.10</attrValue></attribute>
              <attribute><attrName>Message Id</attrName><attrType xsi:nil="true" /><attrValue>44490</attrValue></attribute>
              <attribute><attrName>Created At</attrName><attrType xsi:nil="true" /><attrValue>2013-07-09 16:44:28</attrValue></attribute>
              <attribute><attrName>Lead ID</attrName><attrType xsi:nil="true" /><attrValue>1089965</attrValue></attribute>
            </activityAttributes>
            <campaign />
            <personName xsi:nil="true" />
            <mktPersonId>1089965</mktPersonId>
            <foreignSysId xsi:nil="true" />
            <orgName xsi:nil="true" />
            <foreignSysOrgId xsi:nil="true" />
          </activityRecord>
        </activityRecordList>
      </leadActivityList>
    </ns1:successGetLeadActivity>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

VISIT_ATTRIBUTES = {
    "Webpage ID": "2547", "Webpage URL": "/ClickDemo.html", "Query Parameters": "aliId=26419",
    "Referrer URL": "http://localhost/~tkaufman/index.php", "Client IP Address": "12.234.36.130",
    "User Agent": "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_8_3) AppleWebKit/536.28.10 (KHTML, like Gecko) "
                  "Version/6.0.3 Safari/536.28.10",
    "Message Id": "44490", "Created At": "2013-07-09 16:44:28"}

# facts-more-ops §2, the doc's New Lead record of a lead made through the web-service API (request: IDNUM
# 318815, includeTypes NewLead, no batchSize). Its newStartPosition (dates nil, offset "1") is another
# backend's; the mock's is the one of the first sample, so it is replaced here.
DOC_NEW_LEAD_RESPONSE = """<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
   <SOAP-ENV:Body>
      <ns1:successGetLeadActivity>
         <leadActivityList>
            <returnCount>1</returnCount>
            <remainingCount>0</remainingCount>
            <newStartPosition>
               <latestCreatedAt>2015-09-04T16:07:17-05:00</latestCreatedAt>
               <oldestCreatedAt xsi:nil="true"/>
               <activityCreatedAt xsi:nil="true"/>
               <offset>ID:12025714</offset>
            </newStartPosition>
            <activityRecordList>
               <activityRecord>
                  <id>12025714</id>
                  <activityDateTime>2015-09-04T16:07:16-05:00</activityDateTime>
                  <activityType>New Lead</activityType>
                  <mktgAssetName/>
                  <activityAttributes>
                     <attribute><attrName>Source Type</attrName><attrType xsi:nil="true"/><attrValue>Web service API</attrValue></attribute>
                     <attribute><attrName>Source Info</attrName><attrType xsi:nil="true"/><attrValue>Web service API</attrValue></attribute>
                     <attribute><attrName>Created Date</attrName><attrType xsi:nil="true"/><attrValue>2015-09-04</attrValue></attribute>
                     <attribute><attrName>Lead ID</attrName><attrType xsi:nil="true"/><attrValue>318815</attrValue></attribute>
                  </activityAttributes>
                  <campaign/>
                  <personName xsi:nil="true"/>
                  <mktPersonId>318815</mktPersonId>
                  <foreignSysId xsi:nil="true"/>
                  <orgName xsi:nil="true"/>
                  <foreignSysOrgId xsi:nil="true"/>
               </activityRecord>
            </activityRecordList>
         </leadActivityList>
      </ns1:successGetLeadActivity>
   </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


@pytest.fixture
def chicago(database_url):
    """An instance in Marketo's own time zone (the docs' samples are in US Central time)."""
    return make_app(database_url=database_url, time_zone="America/Chicago", first_id=1089965)


def _call_clock(monkeypatch, moment: datetime) -> None:
    """The time getLeadActivity takes as `now` (naive UTC)."""
    monkeypatch.setattr(activity_stream, "utc_now", lambda: moment)


def _lead_activity(soap, key_value="ann@example.com", key_type="EMAIL", **params):
    return soap.call(sm.get_lead_activity_body(key_type, key_value, **params))


def _ids(response) -> list[str]:
    return response.all_text("leadActivityList/activityRecordList/activityRecord/id")


def _types(response) -> list[str]:
    return response.all_text("leadActivityList/activityRecordList/activityRecord/activityType")


# ---- Marketo's documented samples ------------------------------------------------------------------

def test_documented_request_answers_the_documented_record_byte_for_byte(chicago, monkeypatch):
    seed_lead(chicago, email="leademail@company.com")
    next_activity_id(chicago, 1030680)
    seed_activity(chicago, email="leademail@company.com", type="Visit Webpage", asset_name="ClickDemo",
                  at="2013-07-09T16:44:28-05:00", attributes=VISIT_ATTRIBUTES)
    _call_clock(monkeypatch, datetime(2013, 8, 1, 2, 33, 58, 400000))  # 21:33:58.4 in Chicago
    response = SoapCaller(chicago).call(DOC_REQUEST)
    assert (response.status, response.content_type) == (200, "text/xml; charset=utf-8")
    assert sm.canonical(response.body) == sm.canonical(DOC_RESPONSE)


def test_lead_made_by_synclead_has_the_documented_new_lead_record(database_url, monkeypatch):
    app = make_app(database_url=database_url, time_zone="America/Chicago", first_id=318815)
    next_activity_id(app, 12025714)
    store_clock(monkeypatch, datetime(2015, 9, 4, 21, 7, 16))
    soap = SoapCaller(app)
    assert soap.sync("new@example.com").status == 200
    _call_clock(monkeypatch, datetime(2015, 9, 4, 21, 7, 16, 500000))
    response = _lead_activity(soap, "318815", "IDNUM", activity_filter=sm.activity_filter(include=["NewLead"]))
    assert sm.canonical(response.body) == sm.canonical(DOC_NEW_LEAD_RESPONSE)


# ---- the lead and its activities --------------------------------------------------------------------

def test_activities_come_newest_first(soap):
    soap.sync("ann@example.com", attributes={"FirstName": "Ann"})
    soap.sync("ann@example.com", attributes={"FirstName": "Anne"})
    response = _lead_activity(soap)
    assert (_ids(response), _types(response)) == (["2", "1"], ["Change Data Value", "New Lead"])


def test_only_the_named_leads_activities_are_returned(soap):
    soap.sync("ann@example.com")
    soap.sync("bob@example.com")
    response = _lead_activity(soap, "bob@example.com")
    assert response.all_text("leadActivityList/activityRecordList/activityRecord/mktPersonId") == ["1000002"]


def test_seeded_activities_sort_by_their_time_not_their_id(app, soap):
    seed_lead(app, email="ann@example.com")
    seed_activity(app, email="ann@example.com", type="OpenEmail", at="2026-01-02T00:00:00Z")
    seed_activity(app, email="ann@example.com", type="ClickEmail", at="2026-01-03T00:00:00Z")
    seed_activity(app, email="ann@example.com", type="SendEmail", at="2026-01-01T00:00:00Z")
    assert _types(_lead_activity(soap)) == ["Click Email", "Open Email", "Send Email"]


def test_email_shared_by_several_leads_names_the_most_recently_created(app, soap):
    seed_lead(app, email="same@example.com", created_at="2026-01-01T00:00:00Z", activity=True)
    seed_lead(app, email="same@example.com", created_at="2026-02-01T00:00:00Z", activity=True)
    response = _lead_activity(soap, "same@example.com")
    assert response.all_text("leadActivityList/activityRecordList/activityRecord/mktPersonId") == ["1000002"]


@pytest.mark.parametrize(("key_type", "key_value"), [("IDNUM", "1000001"), ("COOKIE", "id:561-HYG-937&token:x"),
                                                     ("SFDCLEADID", "00Q1"), ("SFDCCONTACTID", "00Q1")])
def test_every_key_type_that_names_a_person_finds_the_lead(app, soap, key_type, key_value):
    seed_lead(app, email="ann@example.com", cookies=["id:561-HYG-937&token:x"], foreign_sys_person_id="00Q1",
              foreign_sys_type="SFDC", activity=True)
    assert _ids(_lead_activity(soap, key_value, key_type)) == ["1"]


@pytest.mark.parametrize("key_type", ["LEADOWNEREMAIL", "SFDCACCOUNTID", "SFDCLEADOWNERID", "SFDCOPPTYID"])
def test_key_types_naming_owners_accounts_or_opportunities_are_fault_20102_naming_them(soap, key_type):
    response = _lead_activity(soap, "x", key_type)
    assert (response.fault_code, response.fault_message) == (
        20102, f"keyType {key_type} is not emulated by mockmarketo (20102)")


def test_unknown_lead_is_fault_20103_with_marketos_message(soap):
    response = _lead_activity(soap, "nobody@example.com")
    assert (response.fault_code, response.fault_message) == (
        20103, "No lead found with EMAIL = nobody@example.com (20103)")


def test_missing_lead_key_is_fault_20101(soap):
    response = soap.call("<ns1:paramsGetLeadActivity><batchSize>5</batchSize></ns1:paramsGetLeadActivity>")
    assert response.fault_code == 20101


def test_lead_without_activities_answers_an_empty_list_and_an_offset_element(app, soap):
    seed_lead(app, email="ann@example.com")
    response = _lead_activity(soap)
    assert (response.text("leadActivityList/returnCount"), response.text("leadActivityList/remainingCount"),
            response.text("leadActivityList/newStartPosition/offset")) == ("0", "0", None)
    assert response.xml.find(f"{{{sm.SOAP_ENV}}}Body/*/leadActivityList/newStartPosition/offset") is not None
    assert list(response.xml.find(f"{{{sm.SOAP_ENV}}}Body/*/leadActivityList/activityRecordList")) == []


def test_activity_of_a_campaign_names_it_and_other_records_have_an_empty_campaign(app, soap):
    seed_lead(app, email="ann@example.com", activity=True)
    seed_activity(app, email="ann@example.com", type="SendEmail", campaign="Welcome")
    assert response_campaigns(_lead_activity(soap)) == ["Welcome", None]


def response_campaigns(response) -> list[str | None]:
    return response.all_text("leadActivityList/activityRecordList/activityRecord/campaign")


def test_times_are_shown_in_the_instance_time_zone_and_created_date_is_local(database_url, monkeypatch):
    app = make_app(database_url=database_url, time_zone="Asia/Tokyo")
    store_clock(monkeypatch, datetime(2026, 3, 1, 20, 30, 15, 999999))
    soap = SoapCaller(app)
    soap.sync("ann@example.com")
    response = _lead_activity(soap)
    record = "leadActivityList/activityRecordList/activityRecord"
    assert response.text(f"{record}/activityDateTime") == "2026-03-02T05:30:15+09:00"
    assert response.all_text(f"{record}/activityAttributes/attribute/attrValue")[2] == "2026-03-02"


# ---- filters ----------------------------------------------------------------------------------------

def _lead_with_three_types(app):
    seed_lead(app, email="ann@example.com", activity=True)
    seed_activity(app, email="ann@example.com", type="VisitWebpage")
    seed_activity(app, email="ann@example.com", type="FillOutForm")


def test_include_types_keeps_only_those_types(app, soap):
    _lead_with_three_types(app)
    response = _lead_activity(soap, activity_filter=sm.activity_filter(include=["VisitWebpage", "NewLead"]))
    assert _types(response) == ["Visit Webpage", "New Lead"]


def test_exclude_types_drops_those_types(app, soap):
    _lead_with_three_types(app)
    response = _lead_activity(soap, activity_filter=sm.activity_filter(exclude=["VisitWebpage"]))
    assert _types(response) == ["Fill Out Form", "New Lead"]


def test_empty_filter_elements_filter_nothing(app, soap):
    _lead_with_three_types(app)
    response = _lead_activity(soap, activity_filter="<activityFilter><includeTypes/></activityFilter>",
                              start_position="<startPosition/>")
    assert _types(response) == ["Fill Out Form", "Visit Webpage", "New Lead"]


def test_include_and_exclude_together_is_fault_20110(app, soap):
    _lead_with_three_types(app)
    response = _lead_activity(soap, activity_filter=sm.activity_filter(include=["NewLead"], exclude=["FillOutForm"]))
    assert (response.fault_code, response.fault_message) == (
        20110, "activityFilter takes includeTypes or excludeTypes, not both (20110)")


@pytest.mark.parametrize("token", ["Visit Webpage", "visitwebpage", "Bogus"])
def test_a_type_that_is_not_a_wsdl_token_is_fault_20107(app, soap, token):
    _lead_with_three_types(app)
    response = _lead_activity(soap, activity_filter=sm.activity_filter(include=[token]))
    assert (response.fault_code, response.fault_message) == (
        20107, f"LeadActivityFilter contains a bad activity type: {token!r} (activityType takes a WSDL token "
               "such as VisitWebpage) (20107)")


# ---- batch size and paging --------------------------------------------------------------------------

def _lead_with_visits(app, count: int):
    seed_lead(app, email="ann@example.com")
    response = Client(app).post("/_mock/activities", json=[
        {"email": "ann@example.com", "type": "VisitWebpage", "at": f"2026-01-01T00:{i // 60:02d}:{i % 60:02d}Z"}
        for i in range(count)])
    assert response.status_code == 201


def test_batch_size_limits_the_page_and_remaining_count_says_how_many_are_left(app, soap):
    _lead_with_visits(app, 5)
    response = _lead_activity(soap, batch_size=2)
    assert (_ids(response), response.text("leadActivityList/remainingCount"),
            response.text("leadActivityList/newStartPosition/offset")) == (["5", "4"], "3", "ID:4")


def test_batch_size_is_capped_at_100_and_is_100_when_absent(app, soap):
    _lead_with_visits(app, 101)
    assert [len(_ids(_lead_activity(soap, batch_size=size))) for size in (1000, None)] == [100, 100]


def test_batch_size_below_one_is_fault_20110(app, soap):
    _lead_with_visits(app, 1)
    assert _lead_activity(soap, batch_size=0).fault_code == 20110


def test_new_start_position_passed_back_resumes_exactly_where_the_page_ended(app, soap):
    _lead_with_visits(app, 5)
    first = _lead_activity(soap, batch_size=2)
    position = first.xml.find(f"{{{sm.SOAP_ENV}}}Body/*/leadActivityList/newStartPosition")
    start = sm.start_position(latest=position.findtext("latestCreatedAt"), offset=position.findtext("offset"))
    second = _lead_activity(soap, batch_size=2, start_position=start)
    third = _lead_activity(soap, batch_size=2, start_position=sm.start_position(offset="ID:2"))
    assert (_ids(second), _ids(third), third.text("leadActivityList/remainingCount")) == (
        ["3", "2"], ["1"], "0")


def test_new_activities_do_not_shift_the_pages_of_a_stream(app, soap):
    _lead_with_visits(app, 3)
    first = _lead_activity(soap, batch_size=2)
    seed_activity(app, email="ann@example.com", type="OpenEmail")
    second = _lead_activity(soap, batch_size=2, start_position=sm.start_position(offset="ID:2"))
    assert (_ids(first), _ids(second)) == (["3", "2"], ["1"])


def test_latest_created_at_is_an_inclusive_upper_bound(app, soap):
    _lead_with_visits(app, 3)  # at 00:00:00, 00:00:01, 00:00:02
    response = _lead_activity(soap, start_position=sm.start_position(latest="2026-01-01T00:00:01Z"))
    assert (_ids(response), response.text("leadActivityList/newStartPosition/latestCreatedAt")) == (
        ["2", "1"], "2026-01-01T00:00:01+00:00")


def test_oldest_created_at_is_an_inclusive_lower_bound(app, soap):
    _lead_with_visits(app, 3)
    response = _lead_activity(soap, start_position=sm.start_position(oldest="2026-01-01T00:00:01+00:00"))
    assert _ids(response) == ["3", "2"]


def test_page_after_the_last_answers_nothing_and_keeps_the_offset(app, soap):
    _lead_with_visits(app, 1)
    response = _lead_activity(soap, start_position=sm.start_position(offset="ID:1"))
    assert (response.text("leadActivityList/returnCount"),
            response.text("leadActivityList/newStartPosition/offset")) == ("0", "ID:1")


@pytest.mark.parametrize("offset", ["1", "ID:", "ID:x", "id:1", "ID:99", "ID:99999999999"])
def test_offset_not_issued_by_the_instance_is_fault_20122(app, soap, offset):
    _lead_with_visits(app, 1)
    response = _lead_activity(soap, start_position=sm.start_position(offset=offset))
    assert (response.fault_code, response.fault_message) == (
        20122, f"Stream position offset {offset!r} is not one this instance issued (ID:<activity id>) (20122)")
