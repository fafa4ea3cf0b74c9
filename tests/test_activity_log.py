"""The activity log that lead writes leave (facts-more-ops §1.2, §13): a New Lead for a created lead, one
Change Data Value per changed field for an updated one, in the instance's time zone, ids from one
sequence per instance, committed with the change."""

from __future__ import annotations

from datetime import datetime

import pytest

from mockmarketo.config import ConfigError, check_sections, settings_from
from mockmarketo.domain.activities import Activity, ActivityLog, activity_type
from tests import soap_messages as sm
from tests.conftest import make_app


def _activities(app, *lead_ids, instance="default"):
    with app.marketo.store.transaction(instance, write=False) as repo:
        return sorted(repo.activities.of_leads(list(lead_ids)), key=lambda activity: activity.id)


def _sync(soap, email, **attributes):
    response = soap.call(sm.sync_lead_body(sm.lead_record(email=email, attributes=attributes)))
    assert response.status == 200, response.body
    return int(response.text("result/leadId"))


def test_created_lead_gets_one_new_lead_activity_from_the_web_service_api(app, soap):
    lead_id = _sync(soap, "ann@example.com", FirstName="Ann")
    [activity] = _activities(app, lead_id)
    assert (activity.type, activity.asset_name, activity.campaign) == ("New Lead", "", None)
    created = activity.at.strftime("%Y-%m-%d")
    assert activity.all_attributes() == [("Source Type", "Web service API"), ("Source Info", "Web service API"),
                                         ("Created Date", created), ("Lead ID", str(lead_id))]


def test_update_writes_one_change_data_value_per_changed_field_in_request_order(app, soap):
    lead_id = _sync(soap, "ann@example.com", FirstName="George", LastName="of the Jungle")
    _sync(soap, "ann@example.com", LastName="Kaufman", FirstName="Travis")
    changes = _activities(app, lead_id)[1:]
    assert [(a.type, a.asset_name, a.all_attributes()) for a in changes] == [
        ("Change Data Value", "Last Name", [("Attribute Name", "Last Name"), ("Old Value", "of the Jungle"),
                                            ("New Value", "Kaufman"), ("Reason", "SOAP API"),
                                            ("Lead ID", str(lead_id))]),
        ("Change Data Value", "First Name", [("Attribute Name", "First Name"), ("Old Value", "George"),
                                             ("New Value", "Travis"), ("Reason", "SOAP API"),
                                             ("Lead ID", str(lead_id))]),
    ]


def test_unchanged_value_writes_no_activity(app, soap):
    lead_id = _sync(soap, "ann@example.com", FirstName="Ann")
    _sync(soap, "ann@example.com", FirstName="Ann")
    assert [a.type for a in _activities(app, lead_id)] == ["New Lead"]


def test_value_set_on_an_empty_field_has_an_empty_old_value(app, soap):
    lead_id = _sync(soap, "ann@example.com")
    _sync(soap, "ann@example.com", LeadScore="25")
    assert _activities(app, lead_id)[1].attributes[:3] == [
        ("Attribute Name", "Lead Score"), ("Old Value", ""), ("New Value", "25")]


def test_activity_ids_come_from_one_sequence_per_instance(app, soap):
    first = _sync(soap, "ann@example.com")
    second = _sync(soap, "bob@example.com")
    _sync(soap, "ann@example.com", FirstName="Ann")
    assert [a.id for a in _activities(app, first, second)] == [1, 2, 3]


def test_failed_record_of_a_batch_leaves_no_activity_and_takes_no_id(app, soap):
    response = soap.sync_multiple([sm.lead_record(email="a@example.com"),
                                   sm.lead_record(email="b@example.com", attributes={"NoSuchField": "x"}),
                                   sm.lead_record(email="c@example.com")])
    assert response.status == 200
    with app.marketo.store.transaction("default", write=False) as repo:
        ids = [lead.id for lead in repo.all(order_by_id=True)]
    assert [(a.id, a.type) for a in _activities(app, *ids)] == [(1, "New Lead"), (2, "New Lead")]


def test_created_date_is_the_day_in_the_instance_time_zone():
    app = make_app(settings=settings_from(check_sections({"instance": {"time_zone": "America/Chicago"}}),
                                          environ={}))
    with app.marketo.store.transaction("default") as repo:
        log = ActivityLog(repo.activities, app.marketo.fields, app.marketo.zone)
        activity = log.new_lead(7, datetime(2026, 3, 1, 3, 30))  # 21:30 on Feb 28th in Chicago
    assert activity.attributes[2] == ("Created Date", "2026-02-28")


def test_unknown_time_zone_is_refused_naming_the_key():
    with pytest.raises(ConfigError) as caught:
        settings_from(check_sections({"instance": {"time_zone": "Mars/Olympus"}}), environ={})
    assert str(caught.value) == ("instance.time_zone: expected a time zone name such as America/Chicago, "
                                 "got 'Mars/Olympus'")


@pytest.mark.parametrize(("name", "display"), [("ChangeDataValue", "Change Data Value"),
                                               ("change data value", "Change Data Value"),
                                               ("PushLeadToSales", "Sync Lead to SFDC"), ("Nope", None)])
def test_activity_type_is_found_by_token_or_display_name(name, display):
    assert activity_type(name) == display


def test_lead_id_is_the_last_attribute_and_follows_the_lead():
    activity = Activity(lead_id=5, type="Visit Webpage", at=datetime(2026, 1, 1),
                        attributes=[("Webpage ID", "2547")])
    activity.lead_id = 9
    assert activity.all_attributes() == [("Webpage ID", "2547"), ("Lead ID", "9")]
