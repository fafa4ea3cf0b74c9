"""Opportunities and their person roles over SOAP: syncMObjects, getMObjects, deleteMObjects
(facts-more-ops §11.1-§11.3; choices for what the docs leave open are in docs/objects.md). Run on SQLite
and, under -m postgres, PostgreSQL."""

from __future__ import annotations

import base64

import pytest

from mockmarketo.domain.leads import Lead
from tests.conftest import store_leads
from tests.object_messages import association, delete_mobjects_body, get_mobjects_body, mobject, sync_mobjects_body

ANN, BOB = 1000001, 1000002
STATUS = "result/mObjStatusList/mObjStatus/"
OBJECT = "result/mObjectList/mObject/"


@pytest.fixture
def soap(soap):
    """Two leads: Ann (foreign id F-ANN) and Bob."""
    store_leads(soap.app, Lead(id=ANN, email="ann@example.com", foreign_sys_person_id="F-ANN",
                               foreign_sys_type="CUSTOM"), Lead(id=BOB, email="bob@example.com"))
    return soap


def sync(soap, *objects: str, operation: str | None = "UPSERT"):
    return soap.call(sync_mobjects_body(list(objects), operation))


def statuses(response) -> list[tuple]:
    return [(s.findtext("id"), s.findtext("status"), s.findtext("error"))
            for s in response.xml.iterfind(".//mObjStatusList/mObjStatus")]


def opportunity(key: str | None = None, **attributes) -> str:
    return mobject("Opportunity", external_key=("opportunityId", key) if key else None, attributes=attributes)


def role(opportunity_id: int, person_id: int, **attributes) -> str:
    return mobject("OpportunityPersonRole", attributes={"OpportunityId": opportunity_id, "PersonId": person_id,
                                                        **attributes})


def get(soap, type_name: str = "Opportunity", **params):
    return soap.call(get_mobjects_body(type_name, **params))


def ids(response) -> list[int]:
    return [int(i) for i in response.all_text(OBJECT + "id")]


def attributes_of(response) -> list[dict]:
    return [{a.findtext("name"): a.findtext("value") for a in o.iterfind("attribList/attrib")}
            for o in response.xml.iterfind(".//mObjectList/mObject")]


# ---- syncMObjects ----------------------------------------------------------------------------------------

def test_insert_creates_objects_with_ids_of_their_own_type(soap):
    response = sync(soap, opportunity(Name="A"), opportunity(Name="B"), role(1, ANN), operation="INSERT")
    assert statuses(response) == [("1", "CREATED", None), ("2", "CREATED", None), ("1", "CREATED", None)]


def test_insert_with_an_id_fails(soap):
    response = sync(soap, mobject("Opportunity", id=5, attributes={"Name": "A"}), operation="INSERT")
    assert statuses(response) == [
        ("5", "FAILED", "INSERT takes no id: Marketo assigns the ids of new Opportunity objects")]


def test_insert_of_an_external_key_that_exists_adds_a_second_object(soap):
    """External keys are not unique in Marketo (facts-more-ops §11)."""
    sync(soap, opportunity("K", Name="First"))
    response = sync(soap, opportunity("K", Name="Second"), operation="INSERT")
    assert statuses(response) == [("2", "CREATED", None)]


def test_the_most_recently_added_of_objects_sharing_an_external_key_is_the_one_updated_and_got(soap):
    sync(soap, opportunity("K", Name="First"), opportunity("K", Name="Second"), operation="INSERT")
    assert statuses(sync(soap, opportunity("K", Stage="Won"), operation="UPDATE")) == [("2", "UPDATED", None)]
    response = get(soap, external_key=("opportunityId", "K"))
    assert (ids(response), attributes_of(response)) == ([2], [{"Name": "Second", "Stage": "Won"}])


def test_update_by_id_changes_the_given_attributes_and_an_empty_value_clears_one(soap):
    sync(soap, opportunity(Name="A", Stage="Open", Amount="10"))
    response = sync(soap, mobject("Opportunity", id=1, attributes={"Stage": "Won", "Amount": ""}),
                    operation="UPDATE")
    assert statuses(response) == [("1", "UPDATED", None)]
    assert attributes_of(get(soap, id=1)) == [{"Name": "A", "Stage": "Won"}]


def test_update_of_a_missing_id_fails(soap):
    assert statuses(sync(soap, mobject("Opportunity", id=9, attributes={"Name": "A"}), operation="UPDATE")) == [
        ("9", "FAILED", "Opportunity 9 not found")]


def test_update_of_a_missing_external_key_fails(soap):
    assert statuses(sync(soap, opportunity("K", Name="A"), operation="UPDATE")) == [
        ("0", "FAILED", "Opportunity with opportunityId = K not found")]


def test_update_without_id_or_external_key_fails(soap):
    assert statuses(sync(soap, opportunity(Name="A"), operation="UPDATE")) == [
        ("0", "FAILED", "UPDATE needs the id or the externalKey of the object")]


def test_upsert_by_external_key_creates_then_updates(soap):
    first = sync(soap, opportunity("K", Name="A"))
    second = sync(soap, opportunity("K", Name="B"))
    assert statuses(first) + statuses(second) == [("1", "CREATED", None), ("1", "UPDATED", None)]


def test_upsert_that_changes_nothing_is_unchanged(soap):
    sync(soap, opportunity("K", Name="A", Amount="5"))
    assert statuses(sync(soap, opportunity("K", name="A"))) == [("1", "UNCHANGED", None)]


def test_upsert_with_an_id_that_names_no_object_fails(soap):
    assert statuses(sync(soap, mobject("Opportunity", id=3, attributes={"Name": "A"}))) == [
        ("3", "FAILED", "Opportunity 3 not found")]


def test_the_status_echoes_the_external_key_as_sent(soap):
    response = sync(soap, opportunity("K", Name="A"))
    assert [(k.findtext("name"), k.findtext("value")) for k in
            response.xml.iterfind(".//mObjStatus/externalKey")] == [("opportunityId", "K")]


def test_attribute_names_are_matched_without_regard_to_case(soap):
    sync(soap, opportunity(name="A", closedate="2026-01-31"))
    assert attributes_of(get(soap)) == [{"CloseDate": "2026-01-31", "Name": "A"}]


def test_an_unknown_attribute_fails_naming_every_one(soap):
    response = sync(soap, opportunity(Name="A", Colour="red", Size="L"))
    assert statuses(response)[0][1:] == ("FAILED", "Unknown attribute of Opportunity: Colour, Size (known: Amount, "
                                                   "CloseDate, Description, ExpectedRevenue, ExternalCreatedDate, "
                                                   "Fiscal, FiscalQuarter, FiscalYear, ForecastCategoryName, "
                                                   "IsClosed, IsWon, LastActivityDate, LeadSource, Name, NextStep, "
                                                   "Probability, Quantity, Stage, Type)")


@pytest.mark.parametrize("name,value,expected", [("Amount", "lots", "a number"), ("CloseDate", "31/01/2026",
                         "a date (YYYY-MM-DD)"), ("IsWon", "maybe", "a boolean (1, 0, true or false)"),
                                                 ("FiscalYear", "2026.5", "an integer")])
def test_a_value_of_the_wrong_type_fails(soap, name, value, expected):
    response = sync(soap, opportunity(**{name: value}))
    assert statuses(response) == [("0", "FAILED", f"Value {value!r} of attribute {name} is not {expected}")]


def test_values_are_stored_as_lead_values_of_their_type_are(soap):
    sync(soap, opportunity(IsWon="true", FiscalYear=" 2026 ", Amount="501.00"))
    assert attributes_of(get(soap)) == [{"Amount": "501.00", "FiscalYear": "2026", "IsWon": "1"}]


def test_type_attributes_of_an_opportunity_fail(soap):
    body = sync_mobjects_body([opportunity(Name="A")]).replace(
        "</attribList>", "</attribList><typeAttribList><typeAttrib><attrType>Cost</attrType></typeAttrib>"
                         "</typeAttribList>")
    assert statuses(soap.call(body)) == [("0", "FAILED", "typeAttribList applies to Program MObjects only")]


def test_a_role_needs_its_opportunity_and_person(soap):
    response = sync(soap, mobject("OpportunityPersonRole", attributes={"Role": "Buyer"}))
    assert statuses(response) == [
        ("0", "FAILED", "Missing required attribute of OpportunityPersonRole: OpportunityId, PersonId")]


def test_a_role_of_no_lead_fails(soap):
    sync(soap, opportunity(Name="A"))
    assert statuses(sync(soap, role(1, 999))) == [("0", "FAILED", "No lead found with PersonId = 999")]


def test_a_role_of_no_opportunity_fails(soap):
    assert statuses(sync(soap, role(4, ANN))) == [("0", "FAILED", "No Opportunity found with OpportunityId = 4")]


@pytest.mark.parametrize("lead_key", [("FSPID", "F-ANN"), ("ForeignSysPersonId", "F-ANN"), ("Email", "ann@example.com"),
                                      ("Id", str(ANN))])
def test_a_role_takes_its_lead_and_opportunity_from_associations(soap, lead_key):
    sync(soap, opportunity("K", Name="A"))
    response = sync(soap, mobject("OpportunityPersonRole", attributes={"Role": "Buyer"}, associations=[
        association("Lead", external_key=lead_key), association("Opportunity", external_key=("opportunityId", "K"))]))
    assert statuses(response) == [("1", "CREATED", None)]
    assert attributes_of(get(soap, "OpportunityPersonRole")) == [
        {"OpportunityId": "1", "PersonId": str(ANN), "Role": "Buyer"}]


def test_an_association_naming_nothing_fails(soap):
    response = sync(soap, mobject("OpportunityPersonRole", associations=[association("Lead", id=999)]))
    assert statuses(response) == [("0", "FAILED", "No Lead 999 found")]


def test_a_lead_external_key_of_another_name_fails(soap):
    response = sync(soap, mobject("OpportunityPersonRole", associations=[
        association("Lead", external_key=("SFDCID", "x"))]))
    assert statuses(response) == [
        ("0", "FAILED", "a Lead's externalKey name must be FSPID, ForeignSysPersonId, Email or Id, not 'SFDCID'")]


def test_an_attribute_and_an_association_that_disagree_fail(soap):
    sync(soap, opportunity(Name="A"))
    response = sync(soap, mobject("OpportunityPersonRole", attributes={"OpportunityId": 1, "PersonId": BOB},
                                  associations=[association("Lead", id=ANN)]))
    assert statuses(response) == [("0", "FAILED", "PersonId 1000002 and the Lead association (1000001) disagree")]


def test_an_association_the_type_does_not_take_fails(soap):
    response = sync(soap, mobject("Opportunity", associations=[association("Lead", id=ANN)]))
    assert statuses(response) == [("0", "FAILED", "Opportunity takes no Lead association (it takes: Company)")]


def test_the_company_of_an_opportunity_is_kept_and_returned(soap):
    sync(soap, mobject("Opportunity", attributes={"Name": "A"}, associations=[
        association("Company", external_key=("cAccountFSID", "C123"))]))
    [company] = get(soap).xml.iterfind(".//mObject/associationList/mObjAssociation")
    assert (company.findtext("mObjType"), company.findtext("id"), company.findtext("externalKey/name"),
            company.findtext("externalKey/value")) == ("Company", None, "cAccountFSID", "C123")


def test_a_failing_object_leaves_the_others_synced(soap):
    response = sync(soap, opportunity(Name="A"), opportunity(Colour="x"), opportunity(Name="C"))
    assert [s[1] for s in statuses(response)] == ["CREATED", "FAILED", "CREATED"]
    assert ids(get(soap)) == [1, 2]


def test_more_than_100_objects_is_fault_20110_and_nothing_is_written(soap):
    response = sync(soap, *[opportunity(Name=str(n)) for n in range(101)])
    assert (response.fault_code, response.fault_message) == (
        20110, "syncMObjects: mObjectList holds 101 objects; at most 100 are allowed (20110)")
    assert ids(get(soap)) == []


def test_missing_operation_is_fault_20109(soap):
    response = sync(soap, opportunity(Name="A"), operation=None)
    assert (response.fault_code, response.fault_message) == (
        20109, "syncMObjects: operation is required (INSERT, UPDATE or UPSERT) (20109)")


def test_an_unknown_operation_is_fault_20110(soap):
    assert sync(soap, opportunity(Name="A"), operation="MERGE").fault_code == 20110


def test_an_unknown_type_is_fault_20110_and_nothing_is_written(soap):
    response = sync(soap, opportunity(Name="A"), mobject("Lead", attributes={"Name": "x"}))
    assert (response.fault_code, response.fault_message) == (
        20110, "syncMObjects: unknown MObject type 'Lead' (known: Opportunity, OpportunityPersonRole, Program) (20110)")
    assert ids(get(soap)) == []


def test_missing_object_list_is_fault_20109(soap):
    response = soap.call("<ns1:paramsSyncMObjects><operation>UPSERT</operation></ns1:paramsSyncMObjects>")
    assert (response.fault_code, response.fault_message) == (20109, "syncMObjects: mObjectList is required (20109)")


def test_the_journal_lists_the_statuses(soap):
    sync(soap, opportunity(Name="A"), opportunity(Colour="x"))
    [entry] = soap.client.get("/_mock/requests?operation=syncMObjects").json
    assert entry["statuses"] == ["CREATED", "FAILED"]


# ---- getMObjects -----------------------------------------------------------------------------------------

@pytest.fixture
def pipeline(soap):
    """Three opportunities (1 Alpha 100 Open, 2 beta 250 Won, 3 Gamma without amount) and roles: Ann in 1
    and 2, Bob in 3."""
    sync(soap, opportunity("K1", Name="Alpha", Amount="100", Stage="Open", CloseDate="2026-01-15"),
         opportunity("K2", Name="beta", Amount="250", Stage="Won", CloseDate="2026-03-01"),
         opportunity("K3", Name="Gamma", Stage="Open"),
         role(1, ANN, Role="Buyer"), role(2, ANN), role(3, BOB, IsPrimary="true"))
    return soap


@pytest.mark.parametrize("criterion,expected", [
    (("Amount", "EQ", "250"), [2]), (("Amount", "NE", "250.00"), [1, 3]), (("Amount", "LT", "250"), [1]),
    (("Amount", "LE", "250"), [1, 2]), (("Amount", "GT", "99.5"), [1, 2]), (("Amount", "GE", "250"), [2]),
    (("CloseDate", "LT", "2026-02-01"), [1]), (("Name", "EQ", "BETA"), [2]), (("Name", "LT", "b"), [1]),
    (("Id", "LE", "2"), [1, 2]), (("Stage", "NE", "Won"), [1, 3]), (("Created At", "GE", "2000-01-01"), [1, 2, 3]),
    (("Updated At", "LT", "2000-01-01T00:00:00Z"), []), (("close date", "GT", "2026-01-15"), [2]),
])
def test_criteria_compare_by_the_attributes_type(pipeline, criterion, expected):
    assert ids(get(pipeline, criteria=[criterion])) == expected


def test_criteria_are_anded(pipeline):
    assert ids(get(pipeline, criteria=[("Stage", "EQ", "Open"), ("Amount", "GT", "0")])) == [1]


def test_an_unknown_criteria_attribute_is_fault_20110(pipeline):
    response = get(pipeline, criteria=[("Colour", "EQ", "red")])
    assert (response.fault_code, response.fault_message) == (
        20110, "mObjCriteria: Opportunity has no attribute 'Colour' (known: Id, Created At, Updated At, Amount, "
               "CloseDate, Description, ExpectedRevenue, ExternalCreatedDate, Fiscal, FiscalQuarter, FiscalYear, "
               "ForecastCategoryName, IsClosed, IsWon, LastActivityDate, LeadSource, Name, NextStep, Probability, "
               "Quantity, Stage, Type) (20110)")


def test_an_unknown_comparison_is_fault_20110(pipeline):
    response = get(pipeline, criteria=[("Amount", "LIKE", "1")])
    assert (response.fault_code, response.fault_message) == (
        20110, "mObjCriteria Amount: comparison must be one of EQ, NE, LT, LE, GT, GE, not 'LIKE' (20110)")


def test_a_criteria_value_of_the_wrong_type_is_fault_20110(pipeline):
    response = get(pipeline, criteria=[("Amount", "GT", "lots")])
    assert (response.fault_code, response.fault_message) == (
        20110, "mObjCriteria Amount: 'lots' is not a number (20110)")


def test_a_criteria_value_sent_with_an_xsi_type_is_read(pipeline):
    """attrValue is xs:anySimpleType: stub clients send `xsi:type="xs:int"` and the like."""
    body = get_mobjects_body("Opportunity", criteria=[("Amount", "GT", "200")]).replace(
        "<attrValue>", '<attrValue xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:int">')
    assert ids(pipeline.call(body)) == [2]


def test_get_by_id(pipeline):
    response = get(pipeline, id=2)
    assert (ids(response), attributes_of(response)) == ([2], [{"Amount": "250", "CloseDate": "2026-03-01",
                                                               "Name": "beta", "Stage": "Won"}])


def test_get_by_an_id_that_names_nothing_is_empty(pipeline):
    response = get(pipeline, id=99)
    assert (response.text("result/returnCount"), response.text("result/hasMore"), ids(response)) == (
        "0", "false", [])


def test_objects_carry_type_external_key_and_times(pipeline):
    [found] = get(pipeline, id=1).xml.iterfind(".//mObjectList/mObject")
    assert [child.tag for child in found] == ["type", "id", "externalKey", "createdAt", "updatedAt", "attribList"]
    assert (found.findtext("type"), found.findtext("externalKey/value")) == ("Opportunity", "K1")
    assert found.findtext("createdAt").endswith("+00:00") and "." not in found.findtext("createdAt")


def test_roles_of_a_lead_by_association(pipeline):
    assert ids(get(pipeline, "OpportunityPersonRole", associations=[association("Lead", id=ANN)])) == [1, 2]


def test_roles_of_an_opportunity_by_its_external_key(pipeline):
    response = get(pipeline, "OpportunityPersonRole",
                   associations=[association("Opportunity", external_key=("opportunityId", "K3"))])
    assert attributes_of(response) == [{"IsPrimary": "1", "OpportunityId": "3", "PersonId": str(BOB)}]


def test_opportunities_of_a_lead_are_found_through_its_roles(pipeline):
    response = get(pipeline, associations=[association("Lead", external_key=("Email", "ann@example.com"))])
    assert ids(response) == [1, 2]


def test_opportunities_of_a_company(soap):
    sync(soap, *[mobject("Opportunity", attributes={"Name": n}, associations=[
        association("Company", external_key=("cAccountFSID", c))]) for n, c in (("A", "C1"), ("B", "C2"))])
    response = get(soap, associations=[association("Company", external_key=("caccountfsid", "C2"))])
    assert attributes_of(response) == [{"Name": "B"}]


def test_an_association_naming_nothing_selects_nothing(pipeline):
    assert ids(get(pipeline, associations=[association("Lead", id=999)])) == []


def test_an_association_the_type_does_not_have_is_fault_20110(pipeline):
    response = get(pipeline, "OpportunityPersonRole", associations=[association("Company", id=1)])
    assert (response.fault_code, response.fault_message) == (
        20110, "mObjAssociation: OpportunityPersonRole has no Company association (it has: Lead, Opportunity) (20110)")


def test_batches_of_100_with_has_more_and_a_stream_position(soap):
    for start in range(0, 250, 100):
        sync(soap, *[opportunity(Name=str(n)) for n in range(start, min(start + 100, 250))])
    pages, position = [], None
    for _ in range(3):
        response = get(soap, stream_position=position)
        position = response.text("result/newStreamPosition")
        pages.append((len(ids(response)), response.text("result/hasMore"), ids(response)[:1]))
    assert pages == [(100, "true", [1]), (100, "true", [101]), (50, "false", [201])]


def test_a_stream_position_of_other_criteria_is_fault_20122(pipeline):
    position = get(pipeline, criteria=[("Stage", "EQ", "Open")]).text("result/newStreamPosition")
    response = get(pipeline, criteria=[("Stage", "EQ", "Won")], stream_position=position)
    assert (response.fault_code, response.fault_message) == (
        20122, f"Stream position {position!r} was issued for other criteria (20122)")


@pytest.mark.parametrize("position", ["not base64!", base64.b64encode(b"[1]").decode(),
                                      base64.b64encode(b'{"type":"Opportunity","after":-1}').decode()])
def test_a_stream_position_getMObjects_did_not_issue_is_fault_20122(pipeline, position):
    response = get(pipeline, stream_position=position)
    assert (response.fault_code, response.fault_message) == (
        20122, f"Stream position {position!r} is not one getMObjects issued for Opportunity (20122)")


def test_get_without_a_type_is_fault_20109(soap):
    response = soap.call("<ns1:paramsGetMObjects/>")
    assert (response.fault_code, response.fault_message) == (20109, "getMObjects: type is required (20109)")


def test_get_of_an_unknown_type_is_fault_20110(soap):
    assert get(soap, "Company").fault_code == 20110


def test_type_names_are_matched_without_regard_to_case(pipeline):
    assert ids(get(pipeline, "opportunity")) == [1, 2, 3]


# ---- deleteMObjects --------------------------------------------------------------------------------------

def delete(soap, *objects: str):
    return soap.call(delete_mobjects_body(list(objects)))


def test_deleting_an_opportunity_deletes_its_roles(pipeline):
    response = delete(pipeline, mobject("Opportunity", id=1))
    assert statuses(response) == [("1", "DELETED", None)]
    assert (ids(get(pipeline)), ids(get(pipeline, "OpportunityPersonRole"))) == ([2, 3], [2, 3])


def test_deleting_an_object_that_does_not_exist_is_unchanged(pipeline):
    assert statuses(delete(pipeline, mobject("Opportunity", id=9))) == [("9", "UNCHANGED", "Opportunity 9 not found")]


def test_delete_by_external_key(pipeline):
    response = delete(pipeline, opportunity("K2"))
    assert statuses(response) == [("2", "DELETED", None)]


def test_delete_without_id_or_external_key_fails(pipeline):
    assert statuses(delete(pipeline, mobject("Opportunity"))) == [
        ("0", "FAILED", "deleteMObjects needs the id or the externalKey of the object")]


def test_deleted_ids_are_not_given_again(pipeline):
    delete(pipeline, mobject("Opportunity", id=3))
    assert statuses(sync(pipeline, opportunity(Name="New"))) == [("4", "CREATED", None)]


def test_programs_cannot_be_deleted(soap):
    response = delete(soap, mobject("Program", id=1))
    assert (response.fault_code, response.fault_message) == (
        20110,
        "deleteMObjects: Program MObjects cannot be deleted (only Opportunity and OpportunityPersonRole) (20110)")


def test_delete_without_object_list_is_fault_20109(soap):
    assert soap.call("<ns1:paramsDeleteMObjects/>").fault_code == 20109
