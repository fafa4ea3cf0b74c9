"""syncLead's matching rule and side effects, on the domain and store alone (facts §9.1–§9.4)."""

from __future__ import annotations

import pytest

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import LeadChanges
from mockmarketo.domain.sync import sync_lead
from mockmarketo.domain.workspaces import WorkspaceSetup
from mockmarketo.store import LeadStore

FIRST_ID = 1000001


@pytest.fixture
def store():
    lead_store = LeadStore("sqlite://")
    yield lead_store
    lead_store.close()


@pytest.fixture
def sync(store):
    fields = FieldCatalogue({"Favorite_Color__c": "string"})

    def run(cookie=None, **changes):
        with store.transaction("default", FIRST_ID) as repo:
            return sync_lead(repo, fields, WorkspaceSetup().placement(None), LeadChanges(**changes), cookie)
    return run


def stored(store, lead_id):
    with store.transaction("default", write=False) as repo:
        return repo.by_id(lead_id)


def test_no_key_match_creates_a_lead_with_the_first_id(sync):
    outcome = sync(email="new@example.com")
    assert (outcome.status, outcome.lead.id, outcome.lead.email) == ("CREATED", FIRST_ID, "new@example.com")


def test_ids_are_assigned_in_sequence(sync):
    assert [sync(email=f"n{i}@example.com").lead.id for i in range(3)] == [FIRST_ID, FIRST_ID + 1, FIRST_ID + 2]


def test_email_match_updates_the_lead(sync, store):
    created = sync(email="a@example.com", attributes=[("FirstName", "Ann")]).lead
    outcome = sync(email="a@example.com", attributes=[("LastName", "Lee")])
    assert (outcome.status, outcome.lead.id) == ("UPDATED", created.id)
    assert stored(store, created.id).attributes == {"FirstName": "Ann", "LastName": "Lee"}


def test_email_match_ignores_case(sync):
    created = sync(email="Mixed@Example.com").lead
    assert sync(email="mixed@example.COM").lead.id == created.id


def test_email_alone_updates_the_most_recently_created_of_duplicates(sync, store):
    """§9.2: Marketo uses the most recently added lead when several share an email."""
    with store.transaction("default", FIRST_ID) as repo:
        from mockmarketo.domain.leads import Lead
        repo.create(Lead(id=0, email="dup@example.com"))
        newest = repo.create(Lead(id=0, email="dup@example.com"))
    assert sync(email="dup@example.com", attributes=[("City", "Paris")]).lead.id == newest.id


def test_id_takes_precedence_over_email(sync):
    first = sync(email="first@example.com").lead
    second = sync(email="second@example.com").lead
    outcome = sync(id=first.id, email="second@example.com")
    assert (outcome.status, outcome.lead.id) == ("UPDATED", first.id)
    assert outcome.lead.id != second.id


def test_id_match_with_email_updates_the_email(sync, store):
    lead = sync(email="old@example.com").lead
    sync(id=lead.id, email="new@example.com")
    assert stored(store, lead.id).email == "new@example.com"


def test_id_and_foreign_id_id_wins_and_the_foreign_id_is_updated(sync, store):
    """§9.1: with Id and ForeignSysPersonId, Id wins and the lead's foreign id is updated."""
    lead = sync(email="a@example.com", foreign_sys_person_id="SF-1", foreign_sys_type="SFDC").lead
    sync(id=lead.id, foreign_sys_person_id="SF-2", foreign_sys_type="CUSTOM")
    updated = stored(store, lead.id)
    assert (updated.foreign_sys_person_id, updated.foreign_sys_type) == ("SF-2", "CUSTOM")


def test_foreign_id_and_email_foreign_id_wins_and_the_email_is_updated(sync, store):
    """§9.1: ForeignSysPersonId + Email without Id: the foreign id wins and Email is updated."""
    by_foreign = sync(email="one@example.com", foreign_sys_person_id="SF-1", foreign_sys_type="SFDC").lead
    other = sync(email="two@example.com").lead
    outcome = sync(email="two@example.com", foreign_sys_person_id="SF-1", foreign_sys_type="SFDC")
    assert outcome.lead.id == by_foreign.id
    assert stored(store, by_foreign.id).email == "two@example.com"
    assert stored(store, other.id).email == "two@example.com"


def test_unknown_foreign_id_falls_back_to_email_and_sets_the_foreign_id(sync, store):
    lead = sync(email="crm@example.com").lead
    outcome = sync(email="crm@example.com", foreign_sys_person_id="SF-9", foreign_sys_type="SFDC")
    assert (outcome.status, outcome.lead.id) == ("UPDATED", lead.id)
    assert stored(store, lead.id).foreign_sys_person_id == "SF-9"


def test_id_matching_no_lead_is_fault_20103_and_creates_nothing(sync, store):
    """§9.3 (open question): a non-existent Id is refused rather than creating a lead."""
    with pytest.raises(MarketoError) as caught:
        sync(id=4242, email="x@example.com")
    assert (caught.value.code, caught.value.message) == (20103, "No lead found with IDNUM = 4242")
    with store.transaction("default", write=False) as repo:
        assert repo.count() == 0


def test_foreign_id_without_foreign_sys_type_is_fault_20109(sync):
    with pytest.raises(MarketoError) as caught:
        sync(email="a@example.com", foreign_sys_person_id="SF-1")
    assert (caught.value.code, caught.value.message) == (
        20109, "ForeignSysType must be specified when ForeignSysPersonId is present")


def test_invalid_foreign_sys_type_is_fault_20110(sync):
    with pytest.raises(MarketoError) as caught:
        sync(email="a@example.com", foreign_sys_person_id="SF-1", foreign_sys_type="ORACLE")
    assert (caught.value.code, caught.value.message) == (
        20110, "ForeignSysType 'ORACLE' is not one of CUSTOM, SFDC, NETSUITE")


def test_foreign_id_held_by_another_lead_is_fault_20106(sync):
    sync(email="a@example.com", foreign_sys_person_id="SF-1", foreign_sys_type="SFDC")
    other = sync(email="b@example.com").lead
    with pytest.raises(MarketoError) as caught:
        sync(id=other.id, foreign_sys_person_id="SF-1", foreign_sys_type="SFDC")
    assert caught.value.code == 20106


def test_unknown_attribute_is_fault_20105_naming_it_and_writes_nothing(sync, store):
    """§5.1 verbatim message; §9.3: no lead is written."""
    with pytest.raises(MarketoError) as caught:
        sync(email="a@example.com", attributes=[("FirstName", "A"), ("pants", "x"), ("shirt", "y")])
    assert (caught.value.code, caught.value.message) == (
        20105, "syncLead operation failed: unknown fields for import: pants, shirt")
    with store.transaction("default", write=False) as repo:
        assert repo.count() == 0


def test_custom_fields_from_the_config_are_accepted(sync):
    assert sync(email="a@example.com", attributes=[("Favorite_Color__c", "blue")]).lead.attributes == {
        "Favorite_Color__c": "blue"}


def test_attribute_names_are_case_sensitive(sync):
    with pytest.raises(MarketoError) as caught:
        sync(email="a@example.com", attributes=[("firstname", "A")])
    assert caught.value.code == 20105


def test_email_attribute_sets_the_email_of_a_new_lead(sync):
    """§9.3: an Email attribute inside leadAttributeList sets the lead's email."""
    lead = sync(attributes=[("Email", "attr@example.com"), ("FirstName", "A")]).lead
    assert (lead.email, lead.attributes) == ("attr@example.com", {"FirstName": "A"})


def test_email_attribute_is_a_match_key_when_the_element_is_absent(sync):
    lead = sync(email="attr@example.com").lead
    assert sync(attributes=[("Email", "attr@example.com")]).lead.id == lead.id


def test_no_keys_at_all_creates_a_lead(sync):
    """§9.3: only attributes, no key: a new lead is created."""
    outcome = sync(attributes=[("FirstName", "Nobody")])
    assert (outcome.status, outcome.lead.email) == ("CREATED", None)


def test_empty_value_clears_an_attribute(sync, store):
    lead = sync(email="a@example.com", attributes=[("City", "Paris")]).lead
    sync(email="a@example.com", attributes=[("City", "")])
    assert stored(store, lead.id).attributes == {}


def test_boolean_values_are_stored_as_1_and_0(sync):
    """§7: booleans come back as 1/0."""
    lead = sync(email="a@example.com", attributes=[("DoNotCall", "true"), ("Unsubscribed", "0")]).lead
    assert lead.attributes == {"DoNotCall": "1", "Unsubscribed": "0"}


@pytest.mark.parametrize("name,value,expected", [
    ("LeadScore", "abc", "Value 'abc' of field LeadScore is not an integer"),
    ("AnnualRevenue", "lots", "Value 'lots' of field AnnualRevenue is not a number"),
    ("DoNotCall", "maybe", "Value 'maybe' of field DoNotCall is not a boolean (1, 0, true or false)"),
    ("DateofBirth", "31/12/1999", "Value '31/12/1999' of field DateofBirth is not a date (YYYY-MM-DD)"),
])
def test_value_of_the_wrong_type_is_fault_20106(sync, name, value, expected):
    with pytest.raises(MarketoError) as caught:
        sync(email="a@example.com", attributes=[(name, value)])
    assert (caught.value.code, caught.value.message) == (20106, expected)


def test_new_cookie_attaches_to_the_created_lead(sync, store):
    lead = sync(email="a@example.com", cookie="id:561-HYG-937&token:_mch-a").lead
    assert stored(store, lead.id).cookies == ["id:561-HYG-937&token:_mch-a"]


def test_known_cookie_alone_updates_its_lead(sync, store):
    lead = sync(email="a@example.com", cookie="tok-1").lead
    outcome = sync(cookie="tok-1", attributes=[("City", "Rome")])
    assert (outcome.status, outcome.lead.id) == ("UPDATED", lead.id)


def test_anonymous_lead_becomes_known_when_its_cookie_comes_with_an_email(sync, store):
    """§9.4: an anonymous lead (cookie, no email) becomes known on a later call with cookie and email."""
    anonymous = sync(cookie="tok-anon", attributes=[("City", "Oslo")]).lead
    assert anonymous.email is None
    outcome = sync(email="known@example.com", cookie="tok-anon")
    assert (outcome.status, outcome.lead.id) == ("UPDATED", anonymous.id)
    assert stored(store, anonymous.id).email == "known@example.com"


def test_cookie_takes_precedence_over_email(sync):
    by_cookie = sync(email="c@example.com", cookie="tok-c").lead
    sync(email="e@example.com")
    assert sync(email="e@example.com", cookie="tok-c").lead.id == by_cookie.id


def test_new_cookie_attaches_to_the_lead_matched_by_email(sync, store):
    lead = sync(email="a@example.com").lead
    sync(email="a@example.com", cookie="tok-new")
    assert stored(store, lead.id).cookies == ["tok-new"]


def test_failed_call_leaves_no_trace(sync, store):
    lead = sync(email="a@example.com", attributes=[("City", "Paris")]).lead
    with pytest.raises(MarketoError):
        sync(email="a@example.com", attributes=[("City", "Rome"), ("LeadScore", "x")])
    assert stored(store, lead.id).attributes == {"City": "Paris"}


def test_cookie_of_another_lead_moves_to_the_lead_matched_by_id(sync, store):
    first = sync(email="a@example.com", cookie="tok-shared").lead
    second = sync(email="b@example.com").lead
    sync(id=second.id, cookie="tok-shared")
    assert (stored(store, first.id).cookies, stored(store, second.id).cookies) == ([], ["tok-shared"])
