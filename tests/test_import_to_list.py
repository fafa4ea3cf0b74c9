"""importToList and getImportToListStatus (facts-more-ops §9): a header of display names and token
columns, CSV rows, UPSERTLEADS / LISTONLY, clearList, per-row failures counted, the PROCESSING ->
COMPLETE lifecycle with `[imports] duration_ms`, the activities per row, and the faults."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from tests import marketing_messages as mm
from tests import soap_messages as sm
from tests.conftest import SoapCaller
from tests.control_helpers import FakeClock
from tests.marketing_messages import FIRST, activities, members, runs

HEADER = "Last Name,First Name,Job Title,Company Name,Email Address"


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def fault(response: sm.SoapResponse) -> tuple[int, int | None, str | None]:
    return response.status, response.fault_code, response.fault_message


def imported(soap, rows: list[str], header: str = HEADER, **params) -> dict:
    """importToList, then its status: {element: text} of the status result."""
    response = soap.call(mm.import_to_list(header, rows, **params))
    assert (response.status, response.text("result/importStatus")) == (200, "PROCESSING"), response.body
    return state(soap)


def state(soap) -> dict:
    response = soap.call(mm.import_status())
    assert response.status == 200, response.body
    return {e.tag: e.text for e in response.xml.find(f"{{{sm.SOAP_ENV}}}Body/*/result")}


def lead(soap, email: str) -> dict:
    """The attributes of the lead with this email, as getLead returns them."""
    record = soap.get_lead("EMAIL", email).xml.find(".//leadRecord")
    return {a.findtext("attrName"): a.findtext("attrValue") for a in record.iter("attribute")}


# Marketo's documented request (facts-more-ops §9)
DOC_REQUEST = """<ns1:paramsImportToList>
      <programName>Webinar 2026</programName>
      <importFileHeader>Last Name,First Name,Job Title,Company Name,Email Address</importFileHeader>
      <importFileRows>
        <stringItem>Awesomesauce,Developer,Code Slinger,Marketo,dawesomesauce@marketo.com</stringItem>
        <stringItem>Doe,Jane,VP Marketing,Jane Consulting,jdoe@janeconsulting.com</stringItem>
      </importFileRows>
      <importListMode>UPSERTLEADS</importListMode>
      <listName>Newsletter</listName>
      <clearList>false</clearList>
      <campaignName>Weekly Digest</campaignName>
    </ns1:paramsImportToList>"""
DOC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successImportToList>
      <result>
        <importStatus>PROCESSING</importStatus>
      </result>
    </ns1:successImportToList>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


def test_documented_request_answers_processing_and_imports_both_rows(soap, app):
    response = soap.call(DOC_REQUEST)
    assert sm.canonical(response.body) == sm.canonical(DOC_RESPONSE)
    assert members(app, 1001) == [FIRST, FIRST + 1]
    assert lead(soap, "jdoe@janeconsulting.com") == {"Company": "Jane Consulting", "FirstName": "Jane",
                                                     "LastName": "Doe", "Title": "VP Marketing"}


def test_status_after_the_import_is_complete_with_its_counts(soap):
    status = imported(soap, ["Doe,Jane,VP,Acme,jane@example.com", "Roe,Rick,CTO,Acme,rick@example.com"])
    assert {k: v for k, v in status.items() if k not in ("startedTime", "endedTime")} == {
        "status": "COMPLETE", "estimatedTime": None, "estimatedRows": "2", "rowsImported": "2",
        "rowsFailed": "0", "rowsIgnored": "0", "importSummary": "2 imported, 0 failed, 0 ignored"}


def test_quoted_fields_keep_their_commas_and_quotes(soap):
    imported(soap, ['"Doe, Jr.",Jane,"VP ""Growth""",Acme,jane@example.com'])
    assert lead(soap, "jane@example.com")["LastName"] == "Doe, Jr."
    assert lead(soap, "jane@example.com")["Title"] == 'VP "Growth"'


def test_bad_rows_are_counted_and_named_not_fatal(soap, app):
    status = imported(soap, ["Doe,Jane,VP,Acme,jane@example.com", "Roe,Rick", "Poe,Ed,X,Y,", ""],
                      header="Last Name,First Name,Job Title,Company Name,Email Address")
    assert (status["rowsImported"], status["rowsFailed"], status["rowsIgnored"], status["importSummary"]) == (
        "1", "2", "1", "1 imported, 2 failed, 1 ignored. row 2: expected 5 values, got 2; row 3: no Email Address")
    assert members(app, 1001) == [FIRST]


def test_value_a_field_refuses_fails_its_row_and_leaves_no_trace(soap, app):
    status = imported(soap, ["ann@example.com,12", "bob@example.com,many"], header="Email Address,Lead Score")
    assert (status["rowsImported"], status["rowsFailed"]) == ("1", "1")
    assert "row 2: Value 'many' of field LeadScore is not an integer" in status["importSummary"]
    assert soap.get_lead("EMAIL", "bob@example.com").fault_code == 20103


def test_upsert_updates_the_lead_with_the_rows_email_and_ignores_empty_cells(soap, app):
    existing = mm.sync(soap, "ann@example.com", FirstName="Ann", Title="CEO")
    imported(soap, ["ANN@example.com,Annie,"], header="Email Address,First Name,Job Title")
    assert lead(soap, "ann@example.com") == {"FirstName": "Annie", "Title": "CEO"}
    assert members(app, 1001) == [existing]


def test_list_only_adds_existing_leads_without_changing_them_and_ignores_unknown_emails(soap, app):
    existing = mm.sync(soap, "ann@example.com", FirstName="Ann")
    status = imported(soap, ["ann@example.com,Annie", "new@example.com,New"], header="Email Address,First Name",
                      mode="LISTONLY")
    assert (status["rowsImported"], status["rowsIgnored"]) == ("1", "1")
    assert lead(soap, "ann@example.com") == {"FirstName": "Ann"}
    assert soap.get_lead("EMAIL", "new@example.com").fault_code == 20103
    assert members(app, 1001) == [existing]


def test_clear_list_empties_the_list_first(soap, app):
    old = mm.sync(soap, "old@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [old]))
    imported(soap, ["new@example.com"], header="Email Address", clear="true")
    assert members(app, 1001) == [old + 1]


def test_api_names_are_accepted_in_the_header(soap):
    imported(soap, ["ann@example.com,Ann"], header="Email,FirstName")
    assert lead(soap, "ann@example.com") == {"FirstName": "Ann"}


def test_rows_write_new_lead_change_data_value_and_add_to_list_as_a_list_import(soap, app):
    existing = mm.sync(soap, "ann@example.com", FirstName="Ann")
    imported(soap, ["ann@example.com,Annie", "bob@example.com,Bob"], header="Email Address,First Name")
    updated = [(a.type, a.attributes) for a in activities(app, existing)[1:]]
    assert updated == [
        ("Change Data Value", [("Attribute Name", "First Name"), ("Old Value", "Ann"), ("New Value", "Annie"),
                               ("Reason", "List import")]),
        ("Add to List", [("List ID", "1001")])]
    created = [(a.type, a.attributes[:2]) for a in activities(app, existing + 1)]
    assert created == [("New Lead", [("Source Type", "List import"), ("Source Info", "List import")]),
                       ("Add to List", [("List ID", "1001")])]


def test_token_columns_are_used_by_the_campaigns_next_run_only(soap, app):
    """Token priority (§6): importToList per-lead tokens > scheduleCampaign tokens > program My Tokens."""
    imported(soap, ["ann@example.com,Cloud", "bob@example.com,"], header="Email Address,{{my.topic}}",
             campaign="Weekly Digest")
    for _ in range(2):
        soap.call(mm.schedule_campaign("Webinar 2026", "Weekly Digest", tokens={"{{my.topic}}": "Scheduled"}))
    titles = [a.attributes[2][1] for a in activities(app, FIRST) if a.type == "Change Data Value"]
    assert titles == ["Reader of Cloud", "Reader of Scheduled"]
    assert [a.attributes[2][1] for a in activities(app, FIRST + 1) if a.type == "Change Data Value"] == [
        "Reader of ", "Reader of Scheduled"]


# ---- the lifecycle with a duration ([imports] duration_ms) ------------------------------------------

@pytest.fixture
def clock():
    return FakeClock(datetime(2013, 8, 5, 22, 58, 10, tzinfo=timezone.utc))


@pytest.fixture
def slow_soap(database_url, clock):
    app = mm.marketing_app(database_url, clock=clock, import_duration_ms=60_000,
                           time_zone="America/Chicago")
    app.marketo.marketing.runner.close()  # the test moves time itself
    return SoapCaller(app)


def test_status_is_processing_until_the_duration_has_passed(slow_soap, clock):
    """The documented status response while PROCESSING (§9), in the instance's time zone."""
    slow_soap.call(mm.import_to_list(HEADER, ["Doe,Jane,VP,Acme,jane@example.com",
                                              "Roe,Rick,CTO,Acme,rick@example.com"]))
    expected = sm.marketo_response("""
        <ns1:successGetImportToListStatus>
          <result>
            <status>PROCESSING</status>
            <startedTime>2013-08-05T17:58:10-05:00</startedTime>
            <endedTime xsi:nil="true" />
            <estimatedTime xsi:nil="true" />
            <estimatedRows>2</estimatedRows>
            <rowsImported>0</rowsImported>
            <rowsFailed>0</rowsFailed>
            <rowsIgnored>0</rowsIgnored>
            <importSummary xsi:nil="true" />
          </result>
        </ns1:successGetImportToListStatus>""")
    assert sm.canonical(slow_soap.call(mm.import_status()).body) == sm.canonical(expected)
    assert slow_soap.get_lead("EMAIL", "jane@example.com").fault_code == 20103
    clock.advance(60)
    status = state(slow_soap)
    assert (status["status"], status["endedTime"], status["rowsImported"]) == (
        "COMPLETE", "2013-08-05T17:59:10-05:00", "2")


def test_second_import_while_one_is_processing_faults_20110(slow_soap):
    slow_soap.call(mm.import_to_list(HEADER, []))
    response = slow_soap.call(mm.import_to_list(HEADER, []))
    assert fault(response) == (500, 20110, "An import into list 'Newsletter' is still PROCESSING (20110)")


def test_run_pending_finishes_an_import_at_once(slow_soap):
    slow_soap.call(mm.import_to_list("Email Address", ["ann@example.com"]))
    done = slow_soap.client.post("/_mock/run-pending").json["imports"]
    assert [(job["status"], job["imported"]) for job in done] == [("COMPLETE", 1)]
    assert state(slow_soap)["status"] == "COMPLETE"


# ---- faults ----------------------------------------------------------------------------------------

def test_unknown_header_column_faults_20110(soap):
    response = soap.call(mm.import_to_list("Email Address,Shoe Size", ["a@example.com,9"]))
    assert fault(response) == (500, 20110, "importFileHeader: no lead field is called 'Shoe Size' (the header "
                                           "names fields by their display names, e.g. Email Address) (20110)")


def test_header_without_email_faults_20110(soap):
    response = soap.call(mm.import_to_list("First Name", ["Ann"]))
    assert fault(response) == (500, 20110, "importFileHeader needs an Email Address column: rows are matched to "
                                           "leads by email (20110)")


def test_repeated_header_column_faults_20110(soap):
    assert soap.call(mm.import_to_list("Email Address,Email", ["a,b"])).fault_code == 20110


def test_unknown_program_faults_20111(soap):
    response = soap.call(mm.import_to_list(HEADER, [], program="Nope"))
    assert fault(response) == (500, 20111, "There is no program 'Nope' (20111)")


def test_list_outside_the_program_faults_20111(soap):
    response = soap.call(mm.import_to_list(HEADER, [], list_name="Attendees"))
    assert fault(response) == (500, 20111, "ListKey specifies a list that does not exist: no static list "
                                           "'Attendees' in program 'Webinar 2026' (20111)")


def test_unknown_mode_faults_20110(soap):
    assert soap.call(mm.import_to_list(HEADER, [], mode="MERGE")).fault_code == 20110


def test_missing_mode_faults_20109(soap):
    assert soap.call(mm.import_to_list(HEADER, [], mode=None)).fault_code == 20109


def test_missing_header_faults_20109(soap):
    assert soap.call(mm.import_to_list(None, ["a@example.com"])).fault_code == 20109


def test_token_columns_without_campaign_fault_20109(soap):
    response = soap.call(mm.import_to_list("Email Address,{{my.topic}}", ["a@example.com,AI"]))
    assert fault(response) == (500, 20109, "campaignName is required with My Token columns: the tokens are for "
                                           "that campaign's next run (20109)")


def test_campaign_of_another_program_faults_20113(soap):
    assert soap.call(mm.import_to_list(HEADER, [], campaign="Sales Follow-up")).fault_code == 20113


def test_missing_clear_list_and_campaign_are_accepted(soap, app):
    imported(soap, ["a@example.com"], header="Email Address", clear=None, campaign=None)
    assert members(app, 1001) == [FIRST]


def test_status_of_a_list_never_imported_into_faults_20110(soap):
    response = soap.call(mm.import_status())
    assert fault(response) == (500, 20110, "No import into list 'Newsletter' of program 'Webinar 2026' has been "
                                           "made (20110)")


def test_status_without_program_or_list_faults_20109(soap):
    assert soap.call(mm.import_status(list_name=None)).fault_code == 20109


def test_nothing_is_run_by_an_import(soap, app):
    imported(soap, ["a@example.com"], header="Email Address")
    assert runs(app) == []
