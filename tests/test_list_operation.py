"""listOperation (facts-more-ops §4): ADDTOLIST, REMOVEFROMLIST, ISMEMBEROFLIST and 2_1's CLEARLIST on
static lists named by MKTOLISTNAME, the success/statusList shapes of the captured responses, strict mode,
the 1,000-lead limit, its faults, and the Add to List / Remove from List activities (§13)."""

from __future__ import annotations

import pytest

from tests import marketing_messages as mm
from tests import soap_messages as sm
from tests.marketing_messages import FIRST, activities, members


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def status(response: sm.SoapResponse) -> tuple[str, list[tuple[str, str]]]:
    """(success, [(keyValue, status)]) of a successListOperation."""
    assert response.status == 200, response.body
    return (response.text("result/success"),
            list(zip(response.all_text("result/statusList/leadStatus/leadKey/keyValue"),
                     response.all_text("result/statusList/leadStatus/status"))))


def fault(response: sm.SoapResponse) -> tuple[int, int | None, str | None]:
    return response.status, response.fault_code, response.fault_message


# markety's captured request to Marketo 2_4 (facts-more-ops §4): `strict` before `listKey`, out of order
MARKETY_ADD_TO_LIST = """<tns:paramsListOperation xmlns:tns="http://www.marketo.com/mktows/">
      <listOperation>ADDTOLIST</listOperation>
      <strict>false</strict>
      <listKey>
        <keyType>MKTOLISTNAME</keyType>
        <keyValue>Newsletter</keyValue>
      </listKey>
      <listMemberList>
        <leadKey>
          <keyType>IDNUM</keyType>
          <keyValue>1000001</keyValue>
        </leadKey>
      </listMemberList>
    </tns:paramsListOperation>"""

# facts-more-ops §4, the captured successful ADDTOLIST response
CAPTURED_SUCCESS = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successListOperation>
      <result>
        <success>true</success>
        <statusList xsi:nil="true"/>
      </result>
    </ns1:successListOperation>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §4, the captured ISMEMBEROFLIST failure (no xsi declared: nothing is nil)
CAPTURED_NOT_A_MEMBER = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successListOperation>
      <result>
        <success>false</success>
        <statusList>
          <leadStatus>
            <leadKey>
              <keyType>IDNUM</keyType>
              <keyValue>1000001</keyValue>
            </leadKey>
            <status>false</status>
          </leadStatus>
        </statusList>
      </result>
    </ns1:successListOperation>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


# ---- the captured shapes ---------------------------------------------------------------------------

def test_markety_add_to_list_answers_the_captured_success_byte_for_byte(soap, app):
    mm.sync(soap, "ann@example.com")
    response = soap.call(MARKETY_ADD_TO_LIST)
    assert (response.status, response.content_type) == (200, "text/xml; charset=utf-8")
    assert sm.canonical(response.body) == sm.canonical(CAPTURED_SUCCESS)
    assert members(app, 1001) == [FIRST]


def test_is_member_of_list_for_a_non_member_answers_the_captured_failure(soap):
    mm.sync(soap, "ann@example.com")
    response = soap.call(mm.list_operation("ISMEMBEROFLIST", "Newsletter", [FIRST]))
    assert sm.canonical(response.body) == sm.canonical(CAPTURED_NOT_A_MEMBER)


def test_is_member_of_list_lists_every_lead_and_succeeds_only_if_all_are_members(soap):
    """The doc sample: two leads, one member, success false, both statuses listed in request order."""
    outsider, member = mm.sync(soap, "a@example.com"), mm.sync(soap, "b@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [member]))
    response = soap.call(mm.list_operation("ISMEMBEROFLIST", "Newsletter", [outsider, member]))
    assert status(response) == ("false", [(str(outsider), "false"), (str(member), "true")])


def test_is_member_of_list_of_members_succeeds_with_their_statuses(soap):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead]))
    assert status(soap.call(mm.list_operation("ISMEMBEROFLIST", "Newsletter", [lead]))) == (
        "true", [(str(lead), "true")])


# ---- ADDTOLIST / REMOVEFROMLIST ----------------------------------------------------------------------

def test_adding_a_member_again_succeeds_and_changes_nothing(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead]))
    assert status(soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead]))) == ("true", [])
    assert [a.type for a in activities(app, lead)] == ["New Lead", "Add to List"]


def test_adding_an_unknown_lead_fails_for_that_key_only(soap, app):
    """Talend's test against a real instance: status false for the unknown id, no fault (§4)."""
    lead = mm.sync(soap, "a@example.com")
    response = soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead, 12345]))
    assert status(response) == ("false", [(str(lead), "true"), ("12345", "false")])
    assert members(app, 1001) == [lead]


def test_removing_a_member_succeeds_with_a_nil_status_list(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead]))
    response = soap.call(mm.list_operation("REMOVEFROMLIST", "Newsletter", [lead]))
    assert status(response) == ("true", [])
    assert response.xml.find(".//statusList").get(f"{{{sm.XSI}}}nil") == "true"
    assert members(app, 1001) == []


def test_removing_a_lead_that_is_not_a_member_fails(soap):
    lead = mm.sync(soap, "a@example.com")
    assert status(soap.call(mm.list_operation("REMOVEFROMLIST", "Newsletter", [lead]))) == (
        "false", [(str(lead), "false")])


def test_email_key_adds_every_lead_with_the_address(soap, app):
    first = mm.sync(soap, "same@example.com")
    soap.sync_multiple([sm.lead_record(email="same@example.com")], dedup="false")  # a second lead, id first + 1
    second = first + 1
    response = soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [("EMAIL", "SAME@example.com")]))
    assert status(response) == ("true", [])
    assert members(app, 1001) == [first, second]


def test_list_name_matches_without_regard_to_case(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "newsLETTER", [lead]))
    assert members(app, 1001) == [lead]


# ---- strict ----------------------------------------------------------------------------------------

def test_strict_add_with_an_unknown_lead_faults_20103_and_adds_nobody(soap, app):
    lead = mm.sync(soap, "a@example.com")
    response = soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead, 12345], strict="true"))
    assert fault(response) == (500, 20103, "No lead found with IDNUM = 12345 (20103)")
    assert members(app, 1001) == []


def test_strict_remove_of_a_non_member_faults_20110_and_removes_nobody(soap, app):
    member, outsider = mm.sync(soap, "a@example.com"), mm.sync(soap, "b@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [member]))
    response = soap.call(mm.list_operation("REMOVEFROMLIST", "Newsletter", [member, outsider], strict="true"))
    assert fault(response) == (500, 20110, f"Lead IDNUM = {outsider} is not a member of list 'Newsletter' (20110)")
    assert members(app, 1001) == [member]


def test_strict_is_member_of_list_still_answers_statuses(soap):
    """Talend's testIsMemberOfList: strict true with an unknown id still returned statuses (§4)."""
    lead = mm.sync(soap, "a@example.com")
    response = soap.call(mm.list_operation("ISMEMBEROFLIST", "Newsletter", [lead, 12345], strict="true"))
    assert status(response) == ("false", [(str(lead), "false"), ("12345", "false")])


# ---- CLEARLIST and skipActivityLog (2_1) -------------------------------------------------------------

def test_clear_list_empties_the_list_without_member_keys(soap, app):
    first, second = mm.sync(soap, "a@example.com"), mm.sync(soap, "b@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [first, second]))
    response = soap.call(mm.list_operation("CLEARLIST", "Newsletter", keys=None))
    assert status(response) == ("true", [])
    assert members(app, 1001) == []
    assert [a.type for a in activities(app, first)] == ["New Lead", "Add to List", "Remove from List"]


def test_skip_activity_log_adds_without_an_activity(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead], skip_activity_log="true"))
    assert members(app, 1001) == [lead]
    assert [a.type for a in activities(app, lead)] == ["New Lead"]


# ---- activities (§13) ------------------------------------------------------------------------------

def test_add_to_list_activity_names_the_list(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead]))
    added = activities(app, lead)[-1]
    assert (added.type, added.asset_name, added.campaign, added.all_attributes()) == (
        "Add to List", "Newsletter", None, [("List ID", "1001"), ("Lead ID", str(lead))])


def test_remove_from_list_activity_names_the_list(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ADDTOLIST", "Attendees", [lead]))
    soap.call(mm.list_operation("REMOVEFROMLIST", "Attendees", [lead]))
    removed = activities(app, lead)[-1]
    assert (removed.type, removed.asset_name, removed.all_attributes()) == (
        "Remove from List", "Attendees", [("List ID", "1002"), ("Lead ID", str(lead))])


def test_is_member_of_list_writes_no_activity(soap, app):
    lead = mm.sync(soap, "a@example.com")
    soap.call(mm.list_operation("ISMEMBEROFLIST", "Newsletter", [lead]))
    assert [a.type for a in activities(app, lead)] == ["New Lead"]


# ---- faults ----------------------------------------------------------------------------------------

def test_unknown_list_faults_20111(soap):
    lead = mm.sync(soap, "a@example.com")
    response = soap.call(mm.list_operation("ADDTOLIST", "No Such List", [lead]))
    assert fault(response) == (500, 20111, "ListKey specifies a list that does not exist: no static list with "
                                           "name 'No Such List' (20111)")


@pytest.mark.parametrize("key_type", ["MKTOSALESUSERID", "SFDCLEADOWNERID"])
def test_list_keys_other_than_the_list_name_fault_20110(soap, key_type):
    response = soap.call(mm.list_operation("ADDTOLIST", "42", [FIRST], key_type=key_type))
    assert fault(response) == (500, 20110, f"listKey keyType '{key_type}' is not emulated by mockmarketo: name "
                                           "the static list with MKTOLISTNAME (20110)")


def test_unknown_list_operation_faults_20110(soap):
    response = soap.call(mm.list_operation("MOVETOLIST", "Newsletter", [FIRST]))
    assert fault(response) == (500, 20110, "listOperation 'MOVETOLIST' is not one of ADDTOLIST, REMOVEFROMLIST, "
                                           "ISMEMBEROFLIST, CLEARLIST (20110)")


def test_missing_list_key_faults_20109(soap):
    response = soap.call(mm.list_operation("ADDTOLIST", None, [FIRST]))
    assert fault(response) == (500, 20109, "listKey with keyType and keyValue is required (20109)")


def test_missing_member_list_faults_20109(soap):
    response = soap.call(mm.list_operation("ADDTOLIST", "Newsletter", keys=None))
    assert fault(response) == (500, 20109, "listMemberList is required (20109)")


def test_bad_lead_key_type_faults_20102(soap):
    response = soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [("NAME", "Ann")]))
    assert fault(response) == (500, 20102, "LeadKeyType 'NAME' is not valid (20102)")


def test_more_than_1000_lead_keys_fault_20110_and_add_nobody(soap, app):
    lead = mm.sync(soap, "a@example.com")
    response = soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead] * 1001))
    assert fault(response) == (500, 20110, "listMemberList holds 1001 lead keys; at most 1000 are allowed per "
                                           "call (20110)")
    assert members(app, 1001) == []


def test_1000_lead_keys_are_accepted(soap, app):
    lead = mm.sync(soap, "a@example.com")
    assert status(soap.call(mm.list_operation("ADDTOLIST", "Newsletter", [lead] * 1000))) == ("true", [])
    assert members(app, 1001) == [lead]
