"""describeMObject of LeadRecord, Opportunity and OpportunityPersonRole (generated: facts-more-ops §11.4 has
no captured answer for them) and its faults. ActivityRecord and listMObjects are in test_mobjects_wire."""

from __future__ import annotations

import pytest

from mockmarketo.domain.fields import STANDARD_FIELDS
from tests.conftest import SoapCaller, make_app

FIELD = "result/metadata/fieldList/field"


def describe(soap, name: str):
    return soap.call(f"<ns1:paramsDescribeMObject><objectName>{name}</objectName></ns1:paramsDescribeMObject>")


def fields(response) -> dict[str, dict]:
    """Every field of the answer: name -> {child: text, or None when xsi:nil}."""
    return {f.findtext("name"): {child.tag: child.text for child in f if child.tag != "name"}
            for f in response.xml.iterfind(".//fieldList/field")}


@pytest.fixture
def custom_soap():
    """An instance with a custom lead field that has a UI label."""
    return SoapCaller(make_app(custom_fields={"Shoe_Size__c": "integer"},
                               field_display_names={"Shoe_Size__c": "Shoe Size"}))


def test_lead_record_lists_the_static_fields_then_every_lead_field_in_marketos_attribute_order(custom_soap):
    names = describe(custom_soap, "LeadRecord").all_text(FIELD + "/name")
    assert names[:6] == ["Id", "Email", "ForeignSysPersonId", "ForeignSysType", "Address", "AnnualRevenue"]
    assert names[-3:] == ["Unsubscribed", "UnsubscribedReason", "Website"]
    assert len(names) == 4 + len(STANDARD_FIELDS) - 1 + 1  # static, the standard fields but Email, the custom one


def test_lead_record_id_is_the_read_only_primary_key(custom_soap):
    assert fields(describe(custom_soap, "LeadRecord"))["Id"] == {
        "description": "Unique system id of Lead", "displayName": "Id", "sourceObject": "Lead",
        "dataType": "integer", "size": "10", "isReadonly": "true", "isUpdateBlocked": "true", "isName": None,
        "isPrimaryKey": "true", "isCustom": "false", "isDynamic": "false", "dynamicFieldRef": None,
        "updatedAt": "2010-01-01T00:00:00+00:00"}


def test_lead_record_attribute_fields_are_dynamic_with_their_label_and_attr_type(custom_soap):
    found = fields(describe(custom_soap, "LeadRecord"))
    assert found["FirstName"] == {
        "description": None, "displayName": "First Name", "sourceObject": "Lead", "dataType": "string",
        "size": "255", "isReadonly": "false", "isUpdateBlocked": "false", "isName": None, "isPrimaryKey": "false",
        "isCustom": "false", "isDynamic": "true", "dynamicFieldRef": "leadAttributeList",
        "updatedAt": "2010-01-01T00:00:00+00:00"}
    assert [found["Email"][k] for k in ("displayName", "dataType", "isDynamic")] == ["Email Address", "email", "false"]


def test_lead_record_includes_custom_fields_marked_custom(custom_soap):
    found = fields(describe(custom_soap, "LeadRecord"))["Shoe_Size__c"]
    assert [found[k] for k in ("displayName", "dataType", "isCustom", "isDynamic")] == [
        "Shoe Size", "integer", "true", "true"]


def test_lead_record_fields_kept_on_the_company_name_it_as_their_source(custom_soap):
    found = fields(describe(custom_soap, "LeadRecord"))
    assert [found[name]["sourceObject"] for name in ("Company", "AnnualRevenue", "City")] == [
        "Company", "Company", "Lead"]


def test_lead_record_follows_fields_changed_at_run_time(custom_soap):
    custom_soap.client.put("/_mock/config", json={"fields": {"Tier__c": "string"}})
    names = describe(custom_soap, "LeadRecord").all_text(FIELD + "/name")
    assert ("Tier__c" in names, "Shoe_Size__c" in names) == (True, False)


def test_lead_record_metadata(soap):
    response = describe(soap, "LeadRecord")
    assert [response.text(f"result/metadata/{name}") for name in ("name", "isCustom", "isVirtual", "updatedAt")] == [
        "LeadRecord", "false", "false", "2010-01-01T00:00:00+00:00"]


def test_opportunity_lists_id_times_and_its_attributes(soap):
    response = describe(soap, "Opportunity")
    assert response.all_text(FIELD + "/name") == [
        "id", "createdAt", "updatedAt", "Amount", "CloseDate", "Description", "ExpectedRevenue",
        "ExternalCreatedDate", "Fiscal", "FiscalQuarter", "FiscalYear", "ForecastCategoryName", "IsClosed", "IsWon",
        "LastActivityDate", "LeadSource", "Name", "NextStep", "Probability", "Quantity", "Stage", "Type"]
    found = fields(response)
    assert [found["CloseDate"][k] for k in ("displayName", "sourceObject", "dataType", "isName", "dynamicFieldRef")] \
        == ["Close Date", "Opportunity", "date", "false", "attribList"]
    assert found["Name"]["isName"] == "true"


def test_opportunity_person_role_lists_its_attributes(soap):
    assert describe(soap, "OpportunityPersonRole").all_text(FIELD + "/name") == [
        "id", "createdAt", "updatedAt", "OpportunityId", "PersonId", "Role", "ExternalCreatedDate", "IsPrimary"]


def test_object_names_are_matched_without_regard_to_case(soap):
    assert describe(soap, "leadrecord").text("result/metadata/name") == "LeadRecord"


@pytest.mark.parametrize("name", ["Program", "Lead", "Roadshow"])
def test_an_object_listMObjects_does_not_list_is_fault_20110(soap, name):
    response = describe(soap, name)
    assert (response.fault_code, response.fault_message) == (
        20110, f"describeMObject: unknown object {name!r} (known: ActivityRecord, LeadRecord, Opportunity, "
               "OpportunityPersonRole) (20110)")


def test_a_missing_object_name_is_fault_20109(soap):
    response = soap.call("<ns1:paramsDescribeMObject/>")
    assert (response.fault_code, response.fault_message) == (20109, "describeMObject: objectName is required (20109)")
