"""syncMultipleLeads: per-record statuses, dedupEnabled, FAILED records, the 300 limit, the email-key
rule and the response shape (facts §2.4, §6, §7, §9.1)."""

from __future__ import annotations

import pytest

from mockmarketo.config import DEFAULT_INSTANCE
from mockmarketo.domain.leads import Lead
from mockmarketo.domain.workspaces import Workspace, WorkspaceSetup
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app, store_leads, stored_lead

FIRST = 1000001  # the first lead id of a fresh instance (Settings.first_id)
STATUS = "result/syncStatusList/syncStatus"


def statuses(response: sm.SoapResponse) -> list[tuple[int, str, str | None]]:
    """(leadId, status, error) of every syncStatus, in document order; error None when written nil."""
    found = response.xml.findall(f"{{{sm.SOAP_ENV}}}Body/*/{STATUS}")
    return [(int(s.findtext("leadId")), s.findtext("status"), _nil_or_text(s.find("error"))) for s in found]


def _nil_or_text(element):
    assert element is not None, "error must always be written (facts §7)"
    return None if element.get(f"{{{sm.XSI}}}nil") == "true" else element.text


def lead_count(app) -> int:
    with app.marketo.store.transaction(DEFAULT_INSTANCE, write=False) as repo:
        return repo.count()


def emails_of(soap: SoapCaller, email: str) -> int:
    """How many leads getLead finds for an email (0 when it answers 20103)."""
    response = soap.get_lead("EMAIL", email)
    return 0 if response.fault_code == 20103 else int(response.text("result/count"))


# ---- statuses -------------------------------------------------------------------------------------

def test_statuses_come_back_in_request_order(soap):
    """One syncStatus per record, in request order, each with its own new lead id (facts §6)."""
    response = soap.sync_multiple([sm.lead_record("c@x.com"), sm.lead_record("a@x.com"), sm.lead_record("b@x.com")])
    assert response.status == 200
    assert statuses(response) == [(FIRST, "CREATED", None), (FIRST + 1, "CREATED", None),
                                  (FIRST + 2, "CREATED", None)]


def test_existing_and_new_leads_give_updated_and_created(soap):
    """A record matching a lead is UPDATED, one matching none is CREATED (facts §9.1)."""
    soap.sync("known@x.com")
    response = soap.sync_multiple([sm.lead_record("new@x.com"), sm.lead_record("known@x.com")])
    assert statuses(response) == [(FIRST + 1, "CREATED", None), (FIRST, "UPDATED", None)]


def test_attributes_of_each_record_are_stored(soap, app):
    """Every record's attributes land on its own lead."""
    soap.sync_multiple([sm.lead_record("a@x.com", attributes={"FirstName": "Ann"}),
                        sm.lead_record("b@x.com", attributes={"FirstName": "Bob", "LeadScore": "7"})])
    assert stored_lead(app, FIRST).attributes == {"FirstName": "Ann"}
    assert stored_lead(app, FIRST + 1).attributes == {"FirstName": "Bob", "LeadScore": "7"}


def test_empty_record_list_answers_an_empty_status_list(soap):
    response = soap.sync_multiple([])
    assert response.status == 200
    assert statuses(response) == []


def test_missing_record_list_faults_20109(soap):
    response = soap.call("<ns1:paramsSyncMultipleLeads><dedupEnabled>true</dedupEnabled></ns1:paramsSyncMultipleLeads>")
    assert (response.status, response.fault_code) == (500, 20109)
    assert response.fault_message == "leadRecordList is required (20109)"


def test_wrong_signature_faults_20014(soap):
    response = soap.post(sm.envelope(sm.sync_multiple_leads_body([sm.lead_record("a@x.com")]),
                                     sm.auth_header(signature="0" * 40)))
    assert (response.status, response.fault_code) == (500, 20014)


# ---- dedupEnabled ---------------------------------------------------------------------------------

def test_dedup_absent_matches_by_email(soap):
    """dedupEnabled absent means true: a record without Id/ForeignSysPersonId is matched by Email (facts §9.1)."""
    soap.sync("a@x.com")
    assert statuses(soap.sync_multiple([sm.lead_record("a@x.com")])) == [(FIRST, "UPDATED", None)]
    assert emails_of(soap, "a@x.com") == 1


def test_dedup_nil_matches_by_email(soap):
    """dedupEnabled is nillable; nil counts as absent, i.e. true."""
    soap.sync("a@x.com")
    body = sm.sync_multiple_leads_body([sm.lead_record("a@x.com")]).replace(
        "</leadRecordList>", '</leadRecordList><dedupEnabled xsi:nil="true"/>')
    assert statuses(soap.call(body)) == [(FIRST, "UPDATED", None)]


def test_dedup_true_matches_by_email(soap):
    soap.sync("a@x.com")
    assert statuses(soap.sync_multiple([sm.lead_record("a@x.com")], dedup="true")) == [(FIRST, "UPDATED", None)]


def test_dedup_false_creates_a_duplicate_of_a_known_email(soap):
    """dedupEnabled false: no unique key, so a new lead even though the email is known (facts §9.1)."""
    soap.sync("a@x.com")
    assert statuses(soap.sync_multiple([sm.lead_record("a@x.com")], dedup="false")) == [(FIRST + 1, "CREATED", None)]
    assert emails_of(soap, "a@x.com") == 2


def test_dedup_false_creates_one_lead_per_record_of_one_email(soap):
    response = soap.sync_multiple([sm.lead_record("a@x.com"), sm.lead_record("a@x.com")], dedup="0")
    assert statuses(response) == [(FIRST, "CREATED", None), (FIRST + 1, "CREATED", None)]


def test_dedup_true_makes_later_record_of_one_email_update_the_first(soap):
    """Records are synced in order, so the second record of an email finds the lead the first created."""
    response = soap.sync_multiple([sm.lead_record("a@x.com"), sm.lead_record("A@x.com")])
    assert statuses(response) == [(FIRST, "CREATED", None), (FIRST, "UPDATED", None)]


def test_dedup_false_still_matches_by_id(soap):
    soap.sync("a@x.com")
    response = soap.sync_multiple([sm.lead_record(id=FIRST, attributes={"City": "Oslo"})], dedup="false")
    assert statuses(response) == [(FIRST, "UPDATED", None)]


def test_dedup_false_still_matches_by_foreign_id(soap):
    soap.sync("a@x.com", foreign_id="crm-1", foreign_type="CUSTOM")
    response = soap.sync_multiple([sm.lead_record(foreign_id="crm-1", foreign_type="CUSTOM")], dedup="false")
    assert statuses(response) == [(FIRST, "UPDATED", None)]


# ---- FAILED records -------------------------------------------------------------------------------

def test_unknown_attribute_fails_only_its_record(soap):
    """A record with an unknown field is FAILED with the error text; the others are synced (facts §9.1)."""
    response = soap.sync_multiple([sm.lead_record("a@x.com"),
                                   sm.lead_record("b@x.com", attributes={"pants": "blue"}),
                                   sm.lead_record("c@x.com")])
    assert statuses(response) == [
        (FIRST, "CREATED", None),
        (0, "FAILED", "syncMultipleLeads operation failed: unknown fields for import: pants"),
        (FIRST + 1, "CREATED", None),
    ]


def test_failed_record_leaves_no_lead(soap, app):
    soap.sync_multiple([sm.lead_record("b@x.com", attributes={"pants": "blue"})])
    assert emails_of(soap, "b@x.com") == 0
    assert lead_count(app) == 0


def test_failed_update_leaves_the_lead_unchanged(soap, app):
    """A FAILED record matching a lead does not change it, not even partly."""
    soap.sync("a@x.com", attributes={"City": "Oslo"})
    soap.sync_multiple([sm.lead_record("a@x.com", attributes={"City": "Rome", "LeadScore": "many"})])
    lead = stored_lead(app, FIRST)
    assert lead.attributes == {"City": "Oslo"}


def test_unknown_id_fails_with_that_id(soap):
    """leadId of a FAILED record is the Id it named (mockmarketo's choice; facts §12)."""
    response = soap.sync_multiple([sm.lead_record(id=4242, attributes={"City": "Oslo"})])
    assert statuses(response) == [(4242, "FAILED", "No lead found with IDNUM = 4242")]


def test_bad_value_fails_the_record(soap):
    response = soap.sync_multiple([sm.lead_record("a@x.com", attributes={"LeadScore": "many"})])
    assert statuses(response) == [(0, "FAILED", "Value 'many' of field LeadScore is not an integer")]


def test_foreign_id_without_type_fails_the_record(soap):
    response = soap.sync_multiple([sm.lead_record("a@x.com", foreign_id="crm-1")])
    assert statuses(response) == [
        (0, "FAILED", "ForeignSysType must be specified when ForeignSysPersonId is present")]


def test_attribute_without_name_fails_the_record(soap):
    """A record the SOAP layer cannot read is FAILED in its place, the batch goes on."""
    response = soap.sync_multiple([sm.lead_record("a@x.com", id=None, attributes=[("", "x")]),
                                   sm.lead_record("b@x.com")])
    assert statuses(response) == [(0, "FAILED", "attribute without attrName"), (FIRST, "CREATED", None)]


def test_failed_record_takes_no_lead_id(soap):
    """A failed create gives back the id it took: the next new lead gets the id the failed one would have."""
    soap.sync_multiple([sm.lead_record("a@x.com", attributes={"pants": "x"})])
    assert statuses(soap.sync_multiple([sm.lead_record("b@x.com")])) == [(FIRST, "CREATED", None)]


def test_savepoint_undoes_writes_made_inside_it(app):
    """The mechanism behind FAILED records: a repository savepoint rolls back its own writes only."""
    with app.marketo.store.transaction(DEFAULT_INSTANCE, app.marketo.settings.first_id) as repo:
        repo.create(Lead(id=0, email="kept@x.com"))
        with pytest.raises(RuntimeError):
            with repo.savepoint():
                repo.create(Lead(id=0, email="undone@x.com"))
                raise RuntimeError("record failed")
        repo.create(Lead(id=0, email="after@x.com"))
    with app.marketo.store.transaction(DEFAULT_INSTANCE, write=False) as repo:
        assert [(lead.id, lead.email) for lead in repo.all(order_by_id=True)] == [
            (FIRST, "kept@x.com"), (FIRST + 1, "after@x.com")]


# ---- batch size -----------------------------------------------------------------------------------

def test_300_records_are_synced(soap, app):
    """Marketo's batch limit is 300 records (facts §9.1)."""
    response = soap.sync_multiple([sm.lead_record(f"lead{i}@x.com") for i in range(300)])
    assert response.status == 200
    assert len(statuses(response)) == 300
    assert lead_count(app) == 300


def test_301_records_fault_20110_and_write_nothing(soap, app):
    response = soap.sync_multiple([sm.lead_record(f"lead{i}@x.com") for i in range(301)])
    assert (response.status, response.fault_code) == (500, 20110)
    assert response.fault_message == (
        "syncMultipleLeads: leadRecordList holds 301 lead records; at most 300 are allowed (20110)")
    assert lead_count(app) == 0


# ---- the email-key rule ---------------------------------------------------------------------------

def test_email_key_does_not_change_email_of_lead_matched_by_id(soap, app):
    """"If Email is also present as a key, it will not be updated unless it is specified in the list of
    attributes" (facts §9.1)."""
    soap.sync("old@x.com")
    response = soap.sync_multiple([sm.lead_record("new@x.com", id=FIRST)])
    assert statuses(response) == [(FIRST, "UPDATED", None)]
    assert stored_lead(app, FIRST).email == "old@x.com"


def test_email_key_does_not_change_email_of_lead_matched_by_foreign_id(soap, app):
    soap.sync("old@x.com", foreign_id="crm-1", foreign_type="SFDC")
    soap.sync_multiple([sm.lead_record("new@x.com", foreign_id="crm-1", foreign_type="SFDC")])
    assert stored_lead(app, FIRST).email == "old@x.com"


def test_email_attribute_changes_email_of_lead_matched_by_id(soap, app):
    soap.sync("old@x.com")
    soap.sync_multiple([sm.lead_record("old@x.com", id=FIRST, attributes={"Email": "new@x.com"})])
    assert stored_lead(app, FIRST).email == "new@x.com"


def test_email_key_is_the_email_of_a_new_lead(soap, app):
    soap.sync_multiple([sm.lead_record("new@x.com", foreign_id="crm-9", foreign_type="CUSTOM")])
    lead = stored_lead(app, FIRST)
    assert (lead.email, lead.foreign_sys_person_id, lead.foreign_sys_type) == ("new@x.com", "crm-9", "CUSTOM")


def test_id_wins_and_foreign_id_is_updated(soap, app):
    """Id beats ForeignSysPersonId, which is then updated on the lead (facts §9.1)."""
    soap.sync("a@x.com")
    soap.sync_multiple([sm.lead_record(id=FIRST, foreign_id="crm-2", foreign_type="NETSUITE")])
    lead = stored_lead(app, FIRST)
    assert (lead.foreign_sys_person_id, lead.foreign_sys_type) == ("crm-2", "NETSUITE")


# ---- placement ------------------------------------------------------------------------------------

def test_new_leads_go_to_the_default_workspace_primary_partition():
    """No MktowsContextHeader on this operation (WSDL): new leads go where a header-less syncLead puts them."""
    setup = WorkspaceSetup(enabled=True, workspaces=[Workspace("Default", "Main", ("Main",)),
                                                      Workspace("Europe", "EU", ("EU",))])
    application = make_app(workspaces=setup)
    try:
        SoapCaller(application).sync_multiple([sm.lead_record("a@x.com")])
        assert stored_lead(application, FIRST).partition == "Main"
    finally:
        application.close()


# ---- wire shape -----------------------------------------------------------------------------------

def test_response_matches_marketo_example(soap):
    """The docs' successSyncMultipleLeads (facts §6), modulo whitespace and ids, in the envelope of §7."""
    store_leads(soap.app, Lead(id=1090239, email="one@x.com"), Lead(id=1090240, email="two@x.com"))
    response = soap.sync_multiple([sm.lead_record(id=1090240), sm.lead_record(id=1090239)])
    expected = sm.marketo_response("""
        <ns1:successSyncMultipleLeads>
          <result>
            <syncStatusList>
              <syncStatus><leadId>1090240</leadId><status>UPDATED</status><error xsi:nil="true" /></syncStatus>
              <syncStatus><leadId>1090239</leadId><status>UPDATED</status><error xsi:nil="true" /></syncStatus>
            </syncStatusList>
          </result>
        </ns1:successSyncMultipleLeads>""")
    assert response.content_type == "text/xml; charset=utf-8"
    assert response.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert sm.canonical(response.body) == sm.canonical(expected)


def test_failed_status_is_written_with_its_error(soap):
    response = soap.sync_multiple([sm.lead_record(id=7)])
    expected = sm.marketo_response("""
        <ns1:successSyncMultipleLeads><result><syncStatusList>
          <syncStatus><leadId>7</leadId><status>FAILED</status><error>No lead found with IDNUM = 7</error></syncStatus>
        </syncStatusList></result></ns1:successSyncMultipleLeads>""", xsi=False)
    assert sm.canonical(response.body) == sm.canonical(expected)
