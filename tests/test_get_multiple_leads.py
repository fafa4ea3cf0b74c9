"""getMultipleLeads: the three selectors, the legacy lastUpdatedAt, stream-position paging, batchSize,
includeAttributes and the response shape (facts §2.4, §5.3, §6, §7)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from mockmarketo.domain.assets import StaticList
from mockmarketo.domain.leads import Lead
from tests import soap_messages as sm
from tests.conftest import store_leads

FIRST = 1000001
T0 = datetime(2026, 3, 1, 12, 0, 0)  # naive UTC, as the store keeps times
T0_EPOCH = 1772366400  # T0 in epoch seconds
DAY = timedelta(days=1)
LEADS = "result/leadRecordList/leadRecord"


def iso(moment: datetime) -> str:
    return moment.isoformat() + "Z"


def seed(app, *updated: datetime, **attributes) -> list[int]:
    """One lead per update time (lead{i}@x.com, ids from FIRST), with the same attributes each."""
    leads = [Lead(id=0, email=f"lead{i}@x.com", attributes=dict(attributes), created_at=moment, updated_at=moment)
             for i, moment in enumerate(updated)]
    return [lead.id for lead in store_leads(app, *leads)]


def ids(response: sm.SoapResponse) -> list[int]:
    return [int(i) for i in response.all_text(f"{LEADS}/Id")]


def page(response: sm.SoapResponse) -> tuple[int, int, str]:
    """(returnCount, remainingCount, newStreamPosition) of a success response."""
    assert response.status == 200, response.body
    return (int(response.text("result/returnCount")), int(response.text("result/remainingCount")),
            response.text("result/newStreamPosition") or "")


def fault(response: sm.SoapResponse) -> tuple[int, int | None, str | None]:
    return response.status, response.fault_code, response.fault_message


# ---- LeadKeySelector ------------------------------------------------------------------------------

def test_key_selector_returns_the_leads_of_its_values_in_id_order(soap, app):
    seed(app, T0, T0, T0)
    response = soap.get_multiple(sm.lead_key_selector("EMAIL", ["lead2@x.com", "lead0@x.com"]))
    assert page(response) == (2, 0, "")
    assert ids(response) == [FIRST, FIRST + 2]


def test_key_selector_returns_every_lead_sharing_an_email(soap, app):
    store_leads(app, Lead(id=0, email="same@x.com"), Lead(id=0, email="same@x.com"))
    response = soap.get_multiple(sm.lead_key_selector("EMAIL", ["same@x.com"]))
    assert ids(response) == [FIRST, FIRST + 1]


def test_key_selector_lists_a_lead_named_twice_once(soap, app):
    seed(app, T0)
    response = soap.get_multiple(sm.lead_key_selector("IDNUM", [str(FIRST), str(FIRST)]))
    assert page(response) == (1, 0, "")
    assert ids(response) == [FIRST]


def test_key_selector_skips_values_that_match_no_lead(soap, app):
    seed(app, T0)
    response = soap.get_multiple(sm.lead_key_selector("EMAIL", ["nobody@x.com", "lead0@x.com"]))
    assert ids(response) == [FIRST]


def test_key_selector_matching_nothing_answers_count_0(soap):
    response = soap.get_multiple(sm.lead_key_selector("EMAIL", ["nobody@x.com"]))
    assert page(response) == (0, 0, "")
    assert ids(response) == []


def test_key_selector_by_sfdc_lead_id_finds_the_sfdc_foreign_id(soap, app):
    store_leads(app, Lead(id=0, email="a@x.com", foreign_sys_person_id="00Q1", foreign_sys_type="SFDC"))
    assert ids(soap.get_multiple(sm.lead_key_selector("SFDCLEADID", ["00Q1"]))) == [FIRST]


def test_key_selector_with_a_key_type_mockmarketo_does_not_hold_faults_20102(soap):
    response = soap.get_multiple(sm.lead_key_selector("SFDCACCOUNTID", ["001A"]))
    assert fault(response) == (500, 20102, "keyType SFDCACCOUNTID is not emulated by mockmarketo (20102)")


def test_key_selector_with_a_non_numeric_idnum_faults_20102(soap):
    response = soap.get_multiple(sm.lead_key_selector("IDNUM", ["abc"]))
    assert fault(response) == (500, 20102, "keyValue 'abc' is not a lead id (IDNUM) (20102)")


# ---- LastUpdateAtSelector and lastUpdatedAt -------------------------------------------------------

def test_update_selector_returns_leads_updated_within_its_bounds(soap, app):
    """Both bounds are inclusive."""
    seed(app, T0 - DAY, T0, T0 + DAY, T0 + 2 * DAY)
    response = soap.get_multiple(sm.last_update_selector(iso(T0), iso(T0 + DAY)))
    assert page(response) == (2, 0, "")
    assert ids(response) == [FIRST + 1, FIRST + 2]


def test_update_selector_without_latest_has_no_upper_bound(soap, app):
    seed(app, T0 - DAY, T0, T0 + DAY, T0 + 2 * DAY)
    assert ids(soap.get_multiple(sm.last_update_selector(iso(T0)))) == [FIRST + 1, FIRST + 2, FIRST + 3]


def test_update_selector_reads_times_with_an_offset(soap, app):
    """2026-03-01T04:00:00-08:00 is T0 (12:00 UTC): PHP clients send Los Angeles time (spyne-notes §6)."""
    seed(app, T0 - timedelta(seconds=1), T0)
    assert ids(soap.get_multiple(sm.last_update_selector("2026-03-01T04:00:00-08:00"))) == [FIRST + 1]


def test_update_selector_over_30_days_faults_20022(soap):
    """days between oldestUpdatedAt and latestUpdatedAt > 30 (facts §5.3)."""
    response = soap.get_multiple(sm.last_update_selector(iso(T0), iso(T0 + 30 * DAY + timedelta(seconds=1))))
    assert fault(response) == (500, 20022, 'Days between "oldestUpdatedAt" and "latestUpdatedAt" exceed 30: '
                                           "2026-03-01T12:00:00 to 2026-03-31T12:00:01 (20022)")


def test_update_selector_of_exactly_30_days_is_allowed(soap, app):
    seed(app, T0 + 30 * DAY)
    assert ids(soap.get_multiple(sm.last_update_selector(iso(T0), iso(T0 + 30 * DAY)))) == [FIRST]


def test_update_selector_without_oldest_faults_20109(soap):
    body = sm.get_multiple_leads_body(
        f'<leadSelector xsi:type="ns1:LastUpdateAtSelector"><latestUpdatedAt>{iso(T0)}</latestUpdatedAt></leadSelector>')
    assert fault(soap.call(body)) == (500, 20109, "LastUpdateAtSelector needs oldestUpdatedAt (20109)")


def test_last_updated_at_returns_leads_updated_since(soap, app):
    """The legacy top-level lastUpdatedAt: leads updated at or after it."""
    seed(app, T0 - DAY, T0, T0 + DAY)
    response = soap.get_multiple(last_updated_at=iso(T0))
    assert page(response) == (2, 0, "")
    assert ids(response) == [FIRST + 1, FIRST + 2]


def test_lead_selector_wins_over_last_updated_at(soap, app):
    seed(app, T0 - DAY, T0)
    response = soap.get_multiple(sm.lead_key_selector("EMAIL", ["lead0@x.com"]), last_updated_at=iso(T0))
    assert ids(response) == [FIRST]


# ---- StaticListSelector and missing selectors -----------------------------------------------------

def make_list(app, *lead_ids: int, name: str = "Newsletter", list_id: int = 42) -> None:
    """A static list of the default instance holding these leads."""
    app.marketo.marketing.add_assets("default", [StaticList(list_id, name)])
    app.marketo.marketing.add_list_members("default", list_id, list(lead_ids))


def test_static_list_selector_by_name_returns_the_members_in_id_order(soap, app):
    first, _, third = seed(app, T0, T0, T0)
    make_list(app, third, first)
    response = soap.get_multiple(sm.static_list_selector(name="newsletter"))
    assert (page(response), ids(response)) == ((2, 0, ""), [first, third])


def test_static_list_selector_by_id_returns_the_members(soap, app):
    first, second = seed(app, T0, T0)
    make_list(app, second)
    assert ids(soap.get_multiple(sm.static_list_selector(list_id=42))) == [second]


def test_static_list_selector_of_an_unknown_list_faults_20111(soap):
    """facts-more-ops §3/§16: 20111 List Not Found for a StaticListSelector naming no list."""
    response = soap.get_multiple(sm.static_list_selector(name="Nope"))
    assert fault(response) == (500, 20111, "ListKey specifies a list that does not exist: no static list with "
                                           "name 'Nope' (20111)")


def test_static_list_selector_pages_with_a_stream_position(soap, app):
    lead_ids = seed(app, T0, T0, T0)
    make_list(app, *lead_ids)
    first = soap.get_multiple(sm.static_list_selector(name="Newsletter"), batch_size=2)
    assert page(first) == (2, 1, f"id:{lead_ids[1]}:os:2:rc:1")
    second = soap.get_multiple(sm.static_list_selector(name="Newsletter"), batch_size=2,
                               stream_position=page(first)[2])
    assert (page(second), ids(second)) == ((1, 0, ""), [lead_ids[2]])


def test_static_list_selector_without_name_or_id_faults_20109(soap):
    response = soap.get_multiple(sm.static_list_selector())
    assert fault(response) == (500, 20109, "StaticListSelector needs staticListName or staticListId (20109)")


def test_no_selection_criteria_faults_20109(soap):
    response = soap.get_multiple(batch_size=10)
    assert fault(response) == (
        500, 20109, "No selection criteria found in request: send leadSelector or lastUpdatedAt (20109)")


def test_selector_without_xsi_type_faults_20110(soap):
    """LeadSelector is abstract: without xsi:type the request cannot say which selector it means."""
    response = soap.get_multiple("<leadSelector><keyType>EMAIL</keyType></leadSelector>")
    assert fault(response) == (500, 20110, "leadSelector must name its type with xsi:type: LeadKeySelector, "
                                           "LastUpdateAtSelector or StaticListSelector (20110)")


def test_selector_of_an_unknown_xsi_type_faults_20110(soap):
    response = soap.get_multiple('<leadSelector xsi:type="ns1:FancySelector"><x>1</x></leadSelector>')
    assert (response.status, response.fault_code) == (500, 20110)


# ---- paging ---------------------------------------------------------------------------------------

def test_key_selector_pages_through_three_pages(soap, app):
    """remainingCount counts what is left after the page; newStreamPosition is empty at the end (facts §6)."""
    seed(app, *[T0] * 7)
    selector = sm.lead_key_selector("EMAIL", [f"lead{i}@x.com" for i in range(7)])
    first = soap.get_multiple(selector, batch_size=3)
    assert (page(first), ids(first)) == ((3, 4, "id:1000003:os:3:rc:4"), [FIRST, FIRST + 1, FIRST + 2])
    second = soap.get_multiple(selector, batch_size=3, stream_position="id:1000003:os:3:rc:4")
    assert (page(second), ids(second)) == ((3, 1, "id:1000006:os:6:rc:1"), [FIRST + 3, FIRST + 4, FIRST + 5])
    third = soap.get_multiple(selector, batch_size=3, stream_position="id:1000006:os:6:rc:1")
    assert (page(third), ids(third)) == ((1, 0, ""), [FIRST + 6])


def test_update_selector_pages_through_three_pages(soap, app):
    """The position carries the range as Marketo's does (to/tl in epoch seconds)."""
    seed(app, *[T0 + timedelta(hours=h) for h in range(7)])
    selector = sm.last_update_selector(iso(T0), iso(T0 + DAY))
    marks = f"to:{T0_EPOCH}:tl:{T0_EPOCH + 86400}"
    first = soap.get_multiple(selector, batch_size=3)
    assert page(first) == (3, 4, f"id:1000003:{marks}:os:3:rc:4")
    second = soap.get_multiple(selector, batch_size=3, stream_position=page(first)[2])
    assert (page(second), ids(second)) == ((3, 1, f"id:1000006:{marks}:os:6:rc:1"), [FIRST + 3, FIRST + 4, FIRST + 5])
    third = soap.get_multiple(selector, batch_size=3, stream_position=page(second)[2])
    assert (page(third), ids(third)) == ((1, 0, ""), [FIRST + 6])


def test_last_updated_at_pages_with_its_time_in_the_position(soap, app):
    seed(app, T0, T0, T0)
    first = soap.get_multiple(last_updated_at=iso(T0), batch_size=2)
    assert page(first) == (2, 1, f"id:1000002:to:{T0_EPOCH}:os:2:rc:1")
    second = soap.get_multiple(last_updated_at=iso(T0), batch_size=2, stream_position=page(first)[2])
    assert (page(second), ids(second)) == ((1, 0, ""), [FIRST + 2])


def test_lead_created_during_paging_is_read_on_a_later_page(soap, app):
    """Paging goes by id: a lead added after the first page, with a higher id, still comes."""
    seed(app, T0, T0)
    first = soap.get_multiple(last_updated_at=iso(T0), batch_size=1)
    store_leads(app, Lead(id=0, email="late@x.com", created_at=T0, updated_at=T0))
    second = soap.get_multiple(last_updated_at=iso(T0), batch_size=1, stream_position=page(first)[2])
    assert page(second) == (1, 1, f"id:1000002:to:{T0_EPOCH}:os:2:rc:1")


@pytest.mark.parametrize("position", [
    "garbage", "id:x:os:0:rc:0", "id:1000003", "id:1000003:os:3", "os:3:id:1000003:rc:4", "id:1000003:os:3:rc:4:x",
])
def test_malformed_stream_position_faults_20122(soap, position):
    response = soap.get_multiple(sm.lead_key_selector("EMAIL", ["a@x.com"]), stream_position=position)
    assert fault(response) == (500, 20122, f"Stream position {position!r} is not one this selector issued (20122)")


def test_key_selector_position_used_with_an_update_selector_faults_20122(soap):
    response = soap.get_multiple(sm.last_update_selector(iso(T0)), stream_position="id:1000003:os:3:rc:4")
    assert (response.status, response.fault_code) == (500, 20122)


def test_position_of_another_time_range_faults_20122(soap):
    response = soap.get_multiple(sm.last_update_selector(iso(T0)),
                                 stream_position=f"id:1000003:to:{T0_EPOCH - 1}:os:3:rc:4")
    assert fault(response) == (
        500, 20122, f"Stream position 'id:1000003:to:{T0_EPOCH - 1}:os:3:rc:4' was issued for another update "
                    "time range (20122)")


def test_update_time_position_for_a_static_list_faults_20122(soap, app):
    make_list(app, name="L")
    response = soap.get_multiple(sm.static_list_selector(name="L"), stream_position="id:1:to:5:os:1:rc:1")
    assert (response.status, response.fault_code) == (500, 20122)


def test_empty_stream_position_starts_at_the_beginning(soap, app):
    seed(app, T0, T0)
    assert ids(soap.get_multiple(sm.lead_key_selector("EMAIL", ["lead0@x.com"]), stream_position="")) == [FIRST]


def test_nil_stream_position_starts_at_the_beginning(soap, app):
    seed(app, T0)
    body = sm.get_multiple_leads_body(sm.lead_key_selector("EMAIL", ["lead0@x.com"])).replace(
        "</leadSelector>", '</leadSelector><streamPosition xsi:nil="true"/>')
    assert ids(soap.call(body)) == [FIRST]


# ---- batchSize ------------------------------------------------------------------------------------

def test_default_batch_size_is_1000(soap, app):
    seed(app, *[T0] * 1001)
    assert page(soap.get_multiple(last_updated_at=iso(T0))) == (1000, 1, f"id:1001000:to:{T0_EPOCH}:os:1000:rc:1")


def test_batch_size_over_1000_is_lowered_to_1000(soap, app):
    seed(app, *[T0] * 1001)
    assert page(soap.get_multiple(last_updated_at=iso(T0), batch_size=5000))[:2] == (1000, 1)


def test_batch_size_0_faults_20110(soap):
    response = soap.get_multiple(last_updated_at=iso(T0), batch_size=0)
    assert fault(response) == (500, 20110, "batchSize must be at least 1, not 0 (20110)")


# ---- includeAttributes ----------------------------------------------------------------------------

def attribute_names(response: sm.SoapResponse) -> list[str]:
    return response.all_text(f"{LEADS}/leadAttributeList/attribute/attrName")


def test_include_attributes_limits_the_attributes_returned(soap, app):
    seed(app, T0, FirstName="Ann", LastName="Lee", City="Oslo")
    response = soap.get_multiple(last_updated_at=iso(T0), include_attributes=["FirstName", "City", "Email"])
    assert attribute_names(response) == ["City", "FirstName"]
    assert response.text(f"{LEADS}/Email") == "lead0@x.com"


def test_include_attributes_compares_names_without_case(soap, app):
    seed(app, T0, FirstName="Ann", LastName="Lee")
    assert attribute_names(soap.get_multiple(last_updated_at=iso(T0), include_attributes=["lastname"])) == ["LastName"]


def test_empty_include_attributes_returns_every_attribute(soap, app):
    seed(app, T0, FirstName="Ann", LastName="Lee")
    response = soap.get_multiple(last_updated_at=iso(T0), include_attributes=[])
    assert attribute_names(response) == ["FirstName", "LastName"]


# ---- wire shape -----------------------------------------------------------------------------------

def test_response_matches_marketo_example(soap, app):
    """The docs' first getMultipleLeads page (Marketo's getMultipleLeads tutorial, facts §6), with its
    request: same leads, same range, batchSize 2, 24 more leads in range -> the same stream position.
    (The docs' leadAttributeList also carries a stray xsi:nil="true" beside its children; left out.)"""
    in_range = datetime(2014, 2, 13, 12, 0, 0)
    store_leads(
        app,
        Lead(id=84105, email="eimang@marketo.com", attributes={"FirstName": "French", "LastName": "Lead",
                                                                "City": "Paris"}, updated_at=in_range),
        Lead(id=1089965, email="t@t.com", attributes={"FirstName": "George", "LastName": "of the Jungle"},
             updated_at=in_range),
        *[Lead(id=0, email=f"more{i}@x.com", updated_at=in_range) for i in range(24)],
    )
    selector = sm.last_update_selector("2014-02-12T11:51:08.713-08:00", "2014-02-13T11:51:08.710-08:00")
    response = soap.get_multiple(selector, batch_size=2, include_attributes=["FirstName", "LastName", "Email"])
    expected = sm.marketo_response("""
        <ns1:successGetMultipleLeads>
          <result>
            <returnCount>2</returnCount><remainingCount>24</remainingCount><newStreamPosition>id:1089965:to:1392234668:tl:1392321068:os:2:rc:24</newStreamPosition><leadRecordList>
              <leadRecord>
                <Id>84105</Id>
                <Email>eimang@marketo.com</Email>
                <ForeignSysPersonId xsi:nil="true" />
                <ForeignSysType xsi:nil="true" />
                <leadAttributeList>
                  <attribute><attrName>FirstName</attrName><attrType>string</attrType><attrValue>French</attrValue></attribute>
                  <attribute><attrName>LastName</attrName><attrType>string</attrType><attrValue>Lead</attrValue></attribute>
                </leadAttributeList>
              </leadRecord>
              <leadRecord>
                <Id>1089965</Id>
                <Email>t@t.com</Email>
                <ForeignSysPersonId xsi:nil="true" />
                <ForeignSysType xsi:nil="true" />
                <leadAttributeList>
                  <attribute><attrName>FirstName</attrName><attrType>string</attrType><attrValue>George</attrValue></attribute>
                  <attribute><attrName>LastName</attrName><attrType>string</attrType><attrValue>of the Jungle</attrValue></attribute>
                </leadAttributeList>
              </leadRecord>
            </leadRecordList>
          </result>
        </ns1:successGetMultipleLeads>""")
    assert sm.canonical(response.body) == sm.canonical(expected)


def test_last_page_writes_an_empty_stream_position(soap, app):
    """`<newStreamPosition />` at the end (facts §6): present and empty, not nil."""
    make_list(app, name="L")
    response = soap.get_multiple(sm.static_list_selector(name="L"))
    expected = sm.marketo_response("""
        <ns1:successGetMultipleLeads><result>
          <returnCount>0</returnCount><remainingCount>0</remainingCount><newStreamPosition />
          <leadRecordList />
        </result></ns1:successGetMultipleLeads>""", xsi=False)
    assert sm.canonical(response.body) == sm.canonical(expected)
