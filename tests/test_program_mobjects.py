"""Program MObjects (facts-more-ops §11.1, §11.2): getMObjects of type Program over the programs of the
campaign family, by the criteria the WSDL comment lists, and syncMObjects UPDATE of a program's costs and
tags (channel included). The documented request/response pairs are in test_mobjects_wire.py."""

from __future__ import annotations

import pytest

from tests.object_messages import get_mobjects_body, sync_mobjects_body

PROGRAMS = [
    {"id": 1001, "name": "Spring Webinar", "channel": "Webinar", "tags": {"Content Channel": "SEM"},
     "tokens": {"{{my.topic}}": "APIs"}},
    {"id": 1002, "name": "Trade Show", "channel": "Tradeshow"},
    {"id": 1003, "name": "Blog Roll"},
]


@pytest.fixture
def soap(soap):
    assert soap.client.post("/_mock/programs", json=PROGRAMS).status_code == 201
    return soap


def program_ids(soap, *criteria: tuple[str, str, str]) -> list[int]:
    response = soap.call(get_mobjects_body("Program", criteria=list(criteria)))
    assert response.status == 200, response.body
    return [int(i) for i in response.all_text("result/mObjectList/mObject/id")]


def type_attributes(soap, program_id: int) -> list[tuple[str, dict]]:
    response = soap.call(get_mobjects_body("Program", id=program_id))
    return [(t.findtext("attrType"), {a.findtext("name"): a.findtext("value") for a in t.iterfind("attrList/attrib")})
            for t in response.xml.iterfind(".//mObject/typeAttribList/typeAttrib")]


def update(soap, program_id: int, *type_attribs: tuple[str, dict], operation: str = "UPDATE") -> tuple:
    xml = "".join(f"<typeAttrib><attrType>{kind}</attrType><attrList>" + "".join(
        f"<attrib><name>{n}</name><value>{v}</value></attrib>" for n, v in values.items()) + "</attrList></typeAttrib>"
        for kind, values in type_attribs)
    response = soap.call(sync_mobjects_body(
        [f"<mObject><type>Program</type><id>{program_id}</id><typeAttribList>{xml}</typeAttribList></mObject>"],
        operation))
    status = response.xml.find(".//mObjStatus")
    return status.findtext("id"), status.findtext("status"), status.findtext("error")


# ---- getMObjects ------------------------------------------------------------------------------------------

def test_without_criteria_every_program_is_answered_in_id_order(soap):
    assert program_ids(soap) == [1001, 1002, 1003]


@pytest.mark.parametrize(("criterion", "expected"), [
    (("Id", "GT", "1001"), [1002, 1003]),
    (("Name", "EQ", "trade show"), [1002]),
    (("Created At", "GE", "2020-01-01T00:00:00Z"), [1001, 1002, 1003]),
    (("Updated At", "LT", "2020-01-01T00:00:00Z"), []),
    (("Tag Type", "EQ", "Content Channel"), [1001]),
    (("Tag Value", "EQ", "Tradeshow"), [1002]),
    (("Tag Value", "NE", "Webinar"), [1002, 1003]),
    (("Workspace Id", "EQ", "1"), [1001, 1002, 1003]),
    (("Workspace Name", "EQ", "Default"), [1001, 1002, 1003]),
    (("CRM Id", "EQ", "701A"), []),
    (("Include Archive", "EQ", "true"), [1001, 1002, 1003]),
])
def test_each_documented_criterion_selects_programs(soap, criterion, expected):
    assert program_ids(soap, criterion) == expected


def test_a_program_answers_its_channel_tags_and_tokens_as_type_attributes(soap):
    assert type_attributes(soap, 1001) == [("Tag", {"Type": "Channel", "Value": "Webinar"}),
                                           ("Tag", {"Type": "Content Channel", "Value": "SEM"}),
                                           ("Token", {"Name": "{{my.topic}}", "Value": "APIs"})]


def test_a_criterion_programs_do_not_have_is_fault_20110_naming_the_known_ones(soap):
    response = soap.call(get_mobjects_body("Program", criteria=[("Stage", "EQ", "Won")]))
    assert (response.fault_code, response.fault_message) == (
        20110, "mObjCriteria: Program has no attribute 'Stage' (known: Id, Name, CRM Id, Created At, Updated At, "
               "Tag Type, Tag Value, Workspace Id, Workspace Name, Include Archive) (20110)")


def test_include_archive_must_be_a_boolean(soap):
    response = soap.call(get_mobjects_body("Program", criteria=[("Include Archive", "EQ", "maybe")]))
    assert response.fault_code == 20110


# ---- syncMObjects UPDATE ----------------------------------------------------------------------------------

def test_a_cost_without_id_is_added_with_the_next_cost_id(soap):
    assert update(soap, 1003, ("Cost", {"Month": "2026-04", "Amount": "500", "Note": "Booth"})) == (
        "1003", "UPDATED", None)
    assert type_attributes(soap, 1003) == [("Cost", {"Id": "1", "Month": "2026-04-01", "Amount": "500",
                                                     "Note": "Booth"})]


def test_a_cost_naming_an_existing_cost_id_replaces_it(soap):
    update(soap, 1003, ("Cost", {"Month": "2026-04", "Amount": "500"}))
    assert update(soap, 1003, ("Cost", {"Id": "1", "Month": "2026-05", "Amount": "750"}))[1] == "UPDATED"
    assert soap.client.get("/_mock/programs").json[2]["costs"] == [
        {"id": 1, "month": "2026-05", "amount": "750", "note": ""}]


def test_a_tag_of_type_channel_sets_the_channel(soap):
    assert update(soap, 1003, ("Tag", {"Type": "Channel", "Value": "blog"}))[1] == "UPDATED"
    assert soap.client.get("/_mock/programs").json[2]["channel"] == "Blog"


def test_a_tag_sets_a_tag_of_an_existing_tag_type(soap):
    assert update(soap, 1003, ("Tag", {"Type": "Content Channel", "Value": "Email"}))[1] == "UPDATED"
    assert soap.client.get("/_mock/programs").json[2]["tags"] == {"Content Channel": "Email"}


def test_setting_what_the_program_already_has_is_unchanged(soap):
    assert update(soap, 1002, ("Tag", {"Type": "Channel", "Value": "Tradeshow"})) == ("1002", "UNCHANGED", None)


@pytest.mark.parametrize(("type_attrib", "error"), [
    (("Tag", {"Type": "Channel", "Value": "Podcast"}), "Tag: no channel 'Podcast' (known: Blog, Tradeshow, Webinar)"),
    (("Tag", {"Type": "Mood", "Value": "Happy"}), "Tag: no tag type 'Mood'"),
    (("Cost", {"Month": "April", "Amount": "5"}), "Cost: Month is required as YYYY-MM, got 'April'"),
    (("Cost", {"Month": "2026-04"}), "Cost: Amount is required as a number, got ''"),
    (("Token", {"Name": "{{my.topic}}", "Value": "x"}), "typeAttrib 'Token': a Program takes Cost and Tag"),
])
def test_a_bad_type_attribute_fails_the_program_and_changes_nothing(soap, type_attrib, error):
    assert update(soap, 1002, ("Cost", {"Month": "2026-04", "Amount": "5"}), type_attrib) == ("1002", "FAILED", error)
    assert soap.client.get("/_mock/programs").json[1]["costs"] == []


def test_an_unknown_program_fails(soap):
    assert update(soap, 999, ("Cost", {"Month": "2026-04", "Amount": "5"})) == ("999", "FAILED",
                                                                                "Program 999 not found")


@pytest.mark.parametrize("operation", ["INSERT", "UPSERT"])
def test_programs_take_update_only(soap, operation):
    assert update(soap, 1002, ("Cost", {"Month": "2026-04", "Amount": "5"}), operation=operation)[1:] == (
        "FAILED", f"Program MObjects take UPDATE only, not {operation}")
