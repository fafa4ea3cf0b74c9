"""syncLead and getLead over SOAP on each store backend (issue 5, "PostgreSQL": the same behaviour as
SQLite). The `soap` fixture runs these on a SQLite file, and on PostgreSQL under the postgres marker."""

from __future__ import annotations


def test_second_sync_of_an_email_updates_the_lead_the_first_created(soap):
    first = soap.sync("same@example.com", attributes={"FirstName": "Ann"})
    second = soap.sync("SAME@example.com", attributes={"FirstName": "Anna"})
    assert [(r.text("result/syncStatus/status"), r.text("result/leadId")) for r in (first, second)] == [
        ("CREATED", "1000001"), ("UPDATED", "1000001")]


def test_get_lead_by_email_returns_the_synced_attributes(soap):
    soap.sync("ann@example.com", attributes={"FirstName": "Ann", "LastName": "Lee"})
    found = soap.get_lead("EMAIL", "ann@example.com")
    assert (found.all_text("result/leadRecordList/leadRecord/leadAttributeList/attribute/attrName"),
            found.all_text("result/leadRecordList/leadRecord/leadAttributeList/attribute/attrValue")) == (
        ["FirstName", "LastName"], ["Ann", "Lee"])


def test_foreign_id_of_another_lead_is_refused_with_20106(soap):
    # every identifier but Email is a unique key (facts §9.1)
    soap.sync("a@example.com", foreign_id="F-1", foreign_type="CUSTOM")
    soap.sync("b@example.com")
    refused = soap.sync(id=1000002, foreign_id="F-1", foreign_type="CUSTOM")
    assert refused.fault_code == 20106


def test_get_lead_of_an_unknown_id_is_20103(soap):
    assert soap.get_lead("IDNUM", "1000001").fault_code == 20103
