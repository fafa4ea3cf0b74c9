"""The marketing assets in the config file: [[programs]], [[lists]], [[campaigns]], [[channels]], [[tags]],
[campaign_runs] and [imports], every key checked at start with one line naming it."""

from __future__ import annotations

import tomllib

import pytest

from mockmarketo.config import ConfigError, check_sections, settings_from
from mockmarketo.domain.assets import DEFAULT_CHANNELS, Campaign, FlowStep, StaticList
from tests.marketing_messages import ASSETS
from tests.test_config_and_cli import run_cli, write

# the issue's example, verbatim
ISSUE_EXAMPLE = """
[[programs]]
name = "Webinar 2026"
channel = "Webinar"                      # one of the channels (getChannels)
tags = { Region = "EMEA" }               # tag type -> value (getTags)
tokens = { "{{my.topic}}" = "default" }  # the program's My Tokens

[[lists]]                                # static lists; `program` set = a list inside a program (importToList)
id = 1001
name = "Newsletter"
program = "Webinar 2026"                 # optional

[[campaigns]]
id = 4496
name = "Send Confirmation"
program = "Webinar 2026"
description = "…"
source = ["MKTOWS"]                      # which getCampaignsForSource sources list it (MKTOWS, SALES)
requestable = true                       # its trigger is "Campaign is Requested": requestCampaign may run it
flow = [ { change_field = { field = "LeadScore", value = "+10" } }, { add_to_list = "Newsletter" },
         { send_email = "Confirmation Email" } ]
"""


def settings(toml: str):
    return settings_from(check_sections(tomllib.loads(toml)), environ={})


def refused(toml: str) -> str:
    with pytest.raises(ConfigError) as caught:
        settings(toml)
    return str(caught.value)


def test_issue_example_gives_the_assets_it_describes():
    assets = settings(ISSUE_EXAMPLE).assets
    [program] = assets.programs
    assert (program.id, program.name, program.channel, program.tags, program.tokens) == (
        1001, "Webinar 2026", "Webinar", {"Region": "EMEA"}, {"{{my.topic}}": "default"})
    assert assets.lists == (StaticList(1001, "Newsletter", "Webinar 2026"),)
    assert assets.campaigns == (Campaign(
        4496, "Send Confirmation", "Webinar 2026", "…", True, ("MKTOWS",), None,
        (FlowStep("change_field", "+10", "LeadScore"), FlowStep("add_to_list", "Newsletter"),
         FlowStep("send_email", "Confirmation Email"))),)
    assert (assets.channels, assets.tags) == (DEFAULT_CHANNELS, None)


def test_no_asset_sections_means_no_assets_and_marketos_channels():
    assets = settings("").assets
    assert (assets.programs, assets.lists, assets.campaigns, assets.channels) == ((), (), (), DEFAULT_CHANNELS)


def test_ids_left_out_are_the_next_free_ones_after_those_given():
    assets = settings('[[lists]]\nname = "A"\n[[lists]]\nid = 1001\nname = "B"\n[[lists]]\nname = "C"\n').assets
    assert [(item.id, item.name) for item in assets.lists] == [(1001, "B"), (1002, "A"), (1003, "C")]


def test_run_delay_and_import_duration_are_read():
    read = settings("[campaign_runs]\ndelay_ms = 250\n[imports]\nduration_ms = 60000\n")
    assert (read.campaign_run_delay_ms, read.import_duration_ms) == (250, 60000)


@pytest.mark.parametrize(("toml", "message"), [
    (ASSETS + '[[campaigns]]\nname = "X"\nflow = [ { send_sms = "Hi" } ]\n',
     "campaigns[3].flow[0]: unknown step 'send_sms' (known: change_field, add_to_list, remove_from_list, "
     "send_email, delete_lead)"),
    ('[[campaigns]]\nname = "X"\nflow = [ { add_to_list = "Nope" } ]\n',
     "campaigns[0].flow[0].add_to_list: no static list 'Nope'"),
    ('[[campaigns]]\nname = "X"\nflow = [ { change_field = { field = "Shoe", value = "9" } } ]\n',
     "campaigns[0].flow[0].change_field.field: no lead field 'Shoe'"),
    ('[[campaigns]]\nname = "X"\nflow = [ { change_field = { field = "LeadScore" } } ]\n',
     "campaigns[0].flow[0].change_field.value: required"),
    ('[[campaigns]]\nname = "X"\nflow = [ { delete_lead = false } ]\n',
     "campaigns[0].flow[0].delete_lead: expected true, got False"),
    ('[[campaigns]]\nname = "X"\nflow = [ { send_email = "A", add_to_list = "B" } ]\n',
     "campaigns[0].flow[0]: expected a table of one step (change_field, add_to_list, remove_from_list, "
     "send_email, delete_lead), got {'send_email': 'A', 'add_to_list': 'B'}"),
    ('[[campaigns]]\nname = "X"\nsource = ["WEB"]\n', "campaigns[0].source: expected MKTOWS or SALES, got 'WEB'"),
    ('[[campaigns]]\nname = "X"\nprogram = "Nope"\n', "campaigns[0].program: no program 'Nope'"),
    ('[[campaigns]]\nname = "X"\nsmart_list = "Nope"\n', "campaigns[0].smart_list: no static list 'Nope'"),
    ('[[campaigns]]\nname = "X"\nrequestable = "yes"\n', "campaigns[0].requestable: expected true or false, got 'yes'"),
    ('[[campaigns]]\nid = 5\n', "campaigns[0].name: required"),
    ('[[campaigns]]\nname = "X"\ntrigger = "web"\n', "campaigns[0].trigger: unknown key"),
    ('[[programs]]\nname = "P"\n[[campaigns]]\nname = "X"\nprogram = "P"\n[[campaigns]]\nname = "x"\nprogram = "p"\n',
     "campaigns[1].name: 'x' is taken by campaign 1001 in program 'p'"),
    ('[[lists]]\nid = 7\nname = "A"\n[[lists]]\nid = 7\nname = "B"\n', "lists[1].id: 7 is taken by list 'A'"),
    ('[[lists]]\nname = "A"\n[[lists]]\nname = "a"\n', "lists[1].name: 'a' is taken by list 1001"),
    ('[[lists]]\nname = "A"\nprogram = "Nope"\n', "lists[0].program: no program 'Nope'"),
    ('[[lists]]\nid = 0\nname = "A"\n', "lists[0].id: expected 1 or more, got 0"),
    ('[[programs]]\nname = "P"\nchannel = "Podcast"\n',
     "programs[0].channel: no channel 'Podcast' (known: Blog, Tradeshow, Webinar)"),
    ('[[programs]]\nname = "P"\ntokens = { topic = "AI" }\n',
     "programs[0].tokens: token name 'topic' is not of the form {{my.name}}"),
    ('[[programs]]\nname = "P"\ncosts = [ { month = "2026-13", amount = 5 } ]\n',
     "programs[0].costs[0].month: expected YYYY-MM, got '2026-13'"),
    ('[[programs]]\nname = ""\n', "programs[0].name: expected a non-empty string, got ''"),
    ('[[tags]]\ntype = "Region"\nvalues = ["NA"]\n[[programs]]\nname = "P"\ntags = { Region = "EMEA" }\n',
     "programs[0].tags.Region: 'EMEA' is not one of NA"),
    ('[[tags]]\ntype = "Region"\n[[programs]]\nname = "P"\ntags = { Product = "X" }\n',
     "programs[0].tags.Product: no such tag type"),
    ('[[channels]]\nname = "Blog"\n[[channels]]\nname = "blog"\n', "channels[1]: 'blog' is listed twice"),
    ('[[channels]]\nname = "Blog"\nstatuses = [ { name = "Read" } ]\n', "channels[0].statuses[0].step: required"),
    ('[[tags]]\ntype = "Region"\nvalues = [1]\n', "tags[0].values: expected a string, got 1"),
    ("[campaigns]\ndelay_ms = 5\n", "campaigns: expected an array, got {'delay_ms': 5}"),
    ("[campaign_runs]\ndelay_ms = -1\n", "campaign_runs.delay_ms: expected 0 or more, got -1"),
    ("[imports]\nduration = 5\n", "imports.duration: unknown key"),
])
def test_bad_asset_config_is_refused_with_one_line_naming_the_key(toml, message):
    assert refused(toml) == message


def test_lists_and_campaigns_may_refer_to_assets_listed_after_them_in_the_file():
    assets = settings('[[campaigns]]\nname = "C"\nprogram = "P"\nsmart_list = "L"\n'
                      '[[lists]]\nname = "L"\n[[programs]]\nname = "P"\n').assets
    assert (assets.campaigns[0].program, assets.campaigns[0].smart_list) == ("P", "L")


def test_flow_may_name_a_list_by_a_my_token():
    assert settings('[[campaigns]]\nname = "C"\nflow = [ { add_to_list = "{{my.list}}" } ]\n').assets.campaigns


def test_asset_sections_cannot_change_at_run_time():
    with pytest.raises(ConfigError) as caught:
        check_sections({"programs": []}, runtime_only=True)
    assert str(caught.value) == "programs: cannot be changed at run time"


def test_cli_exits_2_with_one_line_for_a_bad_flow_step(tmp_path):
    result = run_cli("serve", "--config", write(tmp_path, '[[campaigns]]\nname = "X"\nflow = [ { send_sms = "Hi" } ]\n'))
    assert (result.returncode, result.stderr) == (
        2, "mockmarketo: campaigns[0].flow[0]: unknown step 'send_sms' (known: change_field, add_to_list, "
           "remove_from_list, send_email, delete_lead)\n")
