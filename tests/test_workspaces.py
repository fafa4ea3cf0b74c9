"""Workspaces, lead partitions and assignment rules (facts §9.1; issue 3's six rules)."""

from __future__ import annotations

import pytest

from mockmarketo.config import ConfigError, workspace_setup
from mockmarketo.store import LeadStore
from tests.conftest import SoapCaller, make_app

WORKSPACES = {
    "enabled": True,
    "list": [
        {"name": "Default", "primary_partition": "Default"},
        {"name": "EMEA", "primary_partition": "EMEA Leads", "partitions": ["EMEA Leads", "EMEA Partners"]},
    ],
}
RULES = {"field": "Country", "partitions": {"Germany": "EMEA Leads", "France": "EMEA Partners"}}


@pytest.fixture
def soap():
    app = make_app(workspaces=workspace_setup(WORKSPACES, RULES))
    yield SoapCaller(app)
    app.close()


@pytest.fixture
def disabled():
    app = make_app()
    yield SoapCaller(app)
    app.close()


def partition_of(caller: SoapCaller, lead_id: int) -> str:
    """The lead's partition, read from the store (it is not part of the SOAP LeadRecord)."""
    store: LeadStore = caller.app.marketo.store
    with store.transaction("default", write=False) as repo:
        return repo.by_id(lead_id).partition


def lead_id(response) -> int:
    return int(response.text("result/leadId"))


# Rule 1
def test_new_lead_with_header_qualifying_for_a_rule_goes_to_the_rules_partition(soap):
    response = soap.sync("de@example.com", workspace="Default", attributes={"Country": "France"})
    assert partition_of(soap, lead_id(response)) == "EMEA Partners"


def test_new_lead_with_header_and_no_rule_goes_to_the_workspaces_primary_partition(soap):
    response = soap.sync("uk@example.com", workspace="EMEA", attributes={"Country": "UK"})
    assert partition_of(soap, lead_id(response)) == "EMEA Leads"


# Rule 2
@pytest.mark.parametrize("key", ["id", "foreign_id", "cookie"])
def test_lead_matched_by_unique_key_outside_the_primary_partition_is_refused(soap, key):
    created = soap.sync("x@example.com", foreign_id="SF-1", foreign_type="SFDC", cookie="tok-1",
                        workspace="EMEA")
    keys = {"id": {"id": lead_id(created)}, "foreign_id": {"foreign_id": "SF-1", "foreign_type": "SFDC"},
            "cookie": {"cookie": "tok-1"}}[key]
    response = soap.sync(workspace="Default", attributes={"City": "Paris"}, **keys)
    assert response.fault_code == 20106
    assert "is in partition 'EMEA Leads', not in 'Default', the primary partition of workspace 'Default'" in \
        response.fault_message
    assert soap.get_lead("IDNUM", str(lead_id(created))).all_text(
        "result/leadRecordList/leadRecord/leadAttributeList/attribute/attrName") == []


def test_lead_matched_by_id_in_the_primary_partition_is_updated(soap):
    created = soap.sync("x@example.com", workspace="EMEA")
    response = soap.sync(id=lead_id(created), workspace="emea", attributes={"City": "Berlin"})
    assert response.text("result/syncStatus/status") == "UPDATED"


# Rule 3
def test_lead_matched_by_email_is_updated_in_its_partition_whatever_the_workspace(soap):
    created = soap.sync("mail@example.com", workspace="EMEA")
    response = soap.sync("mail@example.com", workspace="Default", attributes={"City": "Rome"})
    assert response.text("result/syncStatus/status") == "UPDATED"
    assert partition_of(soap, lead_id(created)) == "EMEA Leads"


# Rule 4
def test_new_lead_without_header_goes_to_the_rules_partition(soap):
    response = soap.sync("de@example.com", attributes={"Country": "Germany"})
    assert partition_of(soap, lead_id(response)) == "EMEA Leads"


def test_new_lead_without_header_and_no_rule_goes_to_defaults_primary_partition(soap):
    response = soap.sync("us@example.com", attributes={"Country": "USA"})
    assert partition_of(soap, lead_id(response)) == "Default"


# Rule 5
def test_existing_lead_without_header_is_updated_in_its_partition(soap):
    created = soap.sync("p@example.com", workspace="EMEA")
    response = soap.sync(id=lead_id(created), attributes={"City": "Madrid"})
    assert response.text("result/syncStatus/status") == "UPDATED"
    assert partition_of(soap, lead_id(created)) == "EMEA Leads"


# Rule 6
def test_without_workspaces_the_target_workspace_must_be_default(disabled):
    response = disabled.sync("a@example.com", workspace="EMEA")
    assert (response.fault_code, response.fault_message) == (
        20110, "Workspaces are not enabled: targetWorkspace must be 'Default', not 'EMEA' (20110)")


def test_without_workspaces_default_in_any_case_is_accepted(disabled):
    """§3: Talend and Marketo's own sample send "default" in lower case."""
    assert disabled.sync("a@example.com", workspace="default").text("result/syncStatus/status") == "CREATED"


def test_without_workspaces_no_header_is_needed(disabled):
    response = disabled.sync("a@example.com")
    assert partition_of(disabled, lead_id(response)) == "Default"


def test_unknown_workspace_is_fault_20110(soap):
    response = soap.sync("a@example.com", workspace="APAC")
    assert (response.fault_code, response.fault_message) == (20110, "Unknown workspace: 'APAC' (20110)")


def test_workspace_names_compare_case_insensitively(soap):
    response = soap.sync("ci@example.com", workspace="eMeA")
    assert partition_of(soap, lead_id(response)) == "EMEA Leads"


def test_get_lead_answers_leads_of_every_partition(soap):
    soap.sync("emea@example.com", workspace="EMEA")
    assert soap.get_lead("EMAIL", "emea@example.com").text("result/count") == "1"


# Validation
@pytest.mark.parametrize("workspaces,rules,message", [
    ({"list": [{"name": "A", "primary_partition": "P", "partitions": ["Q"]}]}, {},
     "workspaces.list: primary_partition 'P' of workspace 'A' is not in its partitions"),
    ({"list": [{"name": "A"}, {"name": "a"}]}, {}, "workspaces.list: workspace 'a' is listed twice"),
    ({}, {"field": "Country", "partitions": {"Spain": "Nowhere"}},
     "assignment_rules.partitions: 'Spain' names unknown partition 'Nowhere'"),
    ({"list": [{"name": "A", "partitions": ["A", "A"]}]}, {}, "workspaces.list: workspace 'A' lists a partition twice"),
    ({"list": [{"name": "A", "colour": "red"}]}, {}, "workspaces.list[0].colour: unknown key"),
])
def test_invalid_workspace_config_is_one_clear_line(workspaces, rules, message):
    with pytest.raises(ConfigError) as caught:
        workspace_setup(workspaces, rules)
    assert str(caught.value) == message
