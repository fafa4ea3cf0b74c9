"""getChannels and getTags (facts-more-ops §12): Marketo's default channels or the configured ones, with
their progression statuses, and the tag types, each with its filter."""

from __future__ import annotations

import pytest

from tests import marketing_messages as mm
from tests import soap_messages as sm
from tests.conftest import SoapCaller

CONFIGURED = """
[[channels]]
name = "Roadshow"
statuses = [ { name = "Invited", step = 10 },
             { name = "Attended", step = 30, success = true, attributes = { "Check-in Status" = "Attended" } } ]

[[tags]]
type = "Regions"
values = ["North", "South", "East"]

[[tags]]
type = "Content Channel"
values = ["SEM", "Email", "Website"]

[[programs]]
name = "Tour"
channel = "Roadshow"
tags = { Regions = "North" }
"""


@pytest.fixture
def app(database_url):
    return mm.marketing_app(database_url)


def channels(response: sm.SoapResponse) -> dict[str, list[list[tuple[str, str]]]]:
    assert response.status == 200, response.body
    return {status.findtext("tagValue"): [[(a.findtext("name"), a.findtext("value")) for a in item.iter("attrib")]
                                          for item in status.iter("progressionStatus")]
            for status in response.xml.iter("tagStatus")}


def tags(response: sm.SoapResponse) -> list[tuple[str, list[str]]]:
    assert response.status == 200, response.body
    return [(tag.findtext("type"), [v.text for v in tag.iter("stringItem")]) for tag in response.xml.iter("tag")]


def channels_body(*names: str) -> str:
    values = sm.string_array("values", list(names))
    return f"<ns1:paramsGetChannels><tag>{values}</tag></ns1:paramsGetChannels>"


def tags_body(*filters: tuple[str, list[str]]) -> str:
    return ("<ns1:paramsGetTags><tagList>" + "".join(
        f"<tag><type>{name}</type>{sm.string_array('values', values)}</tag>" for name, values in filters)
        + "</tagList></ns1:paramsGetTags>")


# Marketo's documented request (facts-more-ops §12.1) and the part of its response shown in full
DOC_REQUEST = channels_body("Webinar", "Blog", "Tradeshow")
DOC_BLOG = """<tagStatus>
            <tagValue>Blog</tagValue>
            <statusList>
              <progressionStatusItem>
                <progressionStatus>
                  <attrib><name>Status</name><value>Engaged</value></attrib>
                  <attrib><name>Step</name><value>20</value></attrib>
                  <attrib><name>Success</name><value>true</value></attrib>
                </progressionStatus>
              </progressionStatusItem>
              <progressionStatusItem>
                <progressionStatus>
                  <attrib><name>Status</name><value>Subscribed</value></attrib>
                  <attrib><name>Step</name><value>30</value></attrib>
                  <attrib><name>Success</name><value>true</value></attrib>
                </progressionStatus>
              </progressionStatusItem>
              <progressionStatusItem>
                <progressionStatus>
                  <attrib><name>Status</name><value>Visited</value></attrib>
                  <attrib><name>Step</name><value>10</value></attrib>
                  <attrib><name>Success</name><value>false</value></attrib>
                </progressionStatus>
              </progressionStatusItem>
            </statusList>
          </tagStatus>"""


def test_documented_request_answers_the_channels_by_name_with_blog_as_documented(soap):
    response = soap.call(DOC_REQUEST)
    assert list(channels(response)) == ["Blog", "Tradeshow", "Webinar"]
    blog = sm.canonical(sm.marketo_response(f"<ns1:successGetChannels><result><tags>{DOC_BLOG}</tags></result>"
                                            "</ns1:successGetChannels>", xsi=False))
    assert sm.canonical(soap.call(channels_body("Blog")).body) == blog


def test_statuses_come_by_name_with_their_channel_attributes(soap):
    webinar = channels(soap.call(channels_body("Webinar")))["Webinar"]
    assert [dict(status)["Status"] for status in webinar] == [
        "Attended", "Attended On-demand", "Downloaded", "Invited", "No Show", "Pending Approval", "Registered",
        "Rejected", "Wait Listed"]
    assert webinar[0] == [("Status", "Attended"), ("Step", "70"), ("Webinar Behavior", "Attended"),
                          ("Success", "true")]


def test_without_a_tag_every_channel_is_answered(soap):
    assert list(channels(soap.call("<ns1:paramsGetChannels/>"))) == ["Blog", "Tradeshow", "Webinar"]


def test_unknown_channel_in_the_filter_is_left_out(soap):
    assert list(channels(soap.call(channels_body("webinar", "Podcast")))) == ["Webinar"]


def test_configured_channels_replace_marketos_defaults(database_url):
    soap = SoapCaller(mm.marketing_app(database_url, toml=CONFIGURED))
    assert channels(soap.call("<ns1:paramsGetChannels/>")) == {"Roadshow": [
        [("Status", "Attended"), ("Step", "30"), ("Check-in Status", "Attended"), ("Success", "true")],
        [("Status", "Invited"), ("Step", "10"), ("Success", "false")]]}


def test_tags_are_the_configured_types_in_order(database_url):
    soap = SoapCaller(mm.marketing_app(database_url, toml=CONFIGURED))
    expected = sm.marketo_response("""
        <ns1:successGetTags><result><tagList>
          <tag><type>Regions</type><values><stringItem>North</stringItem><stringItem>South</stringItem>
            <stringItem>East</stringItem></values></tag>
          <tag><type>Content Channel</type><values><stringItem>SEM</stringItem><stringItem>Email</stringItem>
            <stringItem>Website</stringItem></values></tag>
        </tagList></result></ns1:successGetTags>""", xsi=False)
    assert sm.canonical(soap.call("<ns1:paramsGetTags/>").body) == sm.canonical(expected)


def test_tag_filter_keeps_the_named_types_and_values(database_url):
    """The documented request: type Content Channel, values SEM and Email (§12.2)."""
    soap = SoapCaller(mm.marketing_app(database_url, toml=CONFIGURED))
    assert tags(soap.call(tags_body(("Content Channel", ["SEM", "Email"])))) == [("Content Channel", ["SEM", "Email"])]


def test_tag_filter_without_values_keeps_every_value_of_the_type(database_url):
    soap = SoapCaller(mm.marketing_app(database_url, toml=CONFIGURED))
    assert tags(soap.call(tags_body(("regions", [])))) == [("Regions", ["North", "South", "East"])]


def test_without_configured_tags_the_tags_are_marketos_then_those_the_programs_use(soap, client):
    client.post("/_mock/programs", json={"name": "Spring", "tags": {"Region": "NA", "Regions": "West"}})
    assert tags(soap.call("<ns1:paramsGetTags/>")) == [
        ("Regions", ["North", "South", "West"]), ("Author", []), ("Products", []), ("Cost Center", []),
        ("Content Channel", ["SEM", "Email", "Website"]), ("Region", ["EMEA", "NA"])]


def test_documented_tag_request_answers_from_marketos_tags(soap):
    """The documented request (§12.2) on an instance without [[tags]]."""
    assert tags(soap.call(tags_body(("Content Channel", ["SEM", "Email"])))) == [("Content Channel", ["SEM", "Email"])]
