"""Helpers for the tests of the list, campaign, import, channel and tag operations: an app with the
marketing assets of ASSETS, request bodies of each operation (the shapes of facts-more-ops §4–§12), and
readers of the store."""

from __future__ import annotations

import tomllib
from xml.sax.saxutils import escape

from mockmarketo.config import check_sections, settings_from
from mockmarketo.domain.activities import Activity
from tests.conftest import make_app

FIRST = 1000001  # the first lead id

# the assets most tests use: a program with tokens, a list in it and one outside, a requestable campaign
# with a flow of three steps, a batch campaign over the list, and a campaign for Sales Insight only
ASSETS = """
[[programs]]
name = "Webinar 2026"
channel = "Webinar"
tags = { Region = "EMEA" }
tokens = { "{{my.topic}}" = "Pricing", "{{my.host}}" = "Ann" }

[[lists]]
id = 1001
name = "Newsletter"
program = "Webinar 2026"

[[lists]]
id = 1002
name = "Attendees"

[[campaigns]]
id = 4496
name = "Send Confirmation"
program = "Webinar 2026"
description = "Confirms a registration"
requestable = true
flow = [ { change_field = { field = "LeadScore", value = "+10" } }, { add_to_list = "Newsletter" },
         { send_email = "Confirmation about {{my.topic}}" } ]

[[campaigns]]
id = 4497
name = "Weekly Digest"
program = "Webinar 2026"
smart_list = "Newsletter"
flow = [ { change_field = { field = "Title", value = "Reader of {{my.topic}}" } } ]

[[campaigns]]
id = 4498
name = "Sales Follow-up"
source = ["SALES"]
requestable = true
"""


def settings_of(toml: str = ASSETS, **fields):
    settings = settings_from(check_sections(tomllib.loads(toml)), environ={})
    for name, value in fields.items():
        setattr(settings, name, value)
    return settings


def marketing_app(database_url: str, toml: str = ASSETS, clock=None, **fields):
    """An app on the database with the assets of `toml` (and Settings fields set as given)."""
    return make_app(clock, settings=settings_of(toml, database_url=database_url, **fields))


def activities(app, *lead_ids: int, instance: str = "default") -> list[Activity]:
    """The activities of these leads, oldest id first."""
    with app.marketo.store.transaction(instance, write=False) as repo:
        return sorted(repo.activities.of_leads(list(lead_ids)), key=lambda activity: activity.id)


def members(app, list_id: int, instance: str = "default") -> list[int]:
    with app.marketo.store.transaction(instance, write=False) as repo:
        return repo.marketing.members.members(list_id)


def runs(app, instance: str = "default"):
    with app.marketo.store.transaction(instance, write=False) as repo:
        return repo.marketing.runs.all()


def sync(soap, email: str, **attributes) -> int:
    """syncLead of one email; the lead id."""
    from tests import soap_messages as sm

    response = soap.call(sm.sync_lead_body(sm.lead_record(email, attributes=attributes or None)))
    assert response.status == 200, response.body
    return int(response.text("result/leadId"))


def _element(name: str, value) -> str:
    return "" if value is None else f"<{name}>{escape(str(value))}</{name}>"


def lead_keys(tag: str, keys) -> str:
    """An ArrayOfLeadKey: keys are lead ids (IDNUM) or (keyType, keyValue) pairs."""
    pairs = [("IDNUM", key) if isinstance(key, int) else key for key in keys]
    return f"<{tag}>" + "".join(f"<leadKey><keyType>{t}</keyType><keyValue>{escape(str(v))}</keyValue></leadKey>"
                                for t, v in pairs) + f"</{tag}>"


def token_list(tokens: dict) -> str:
    return "<programTokenList>" + "".join(
        f"<attrib><name>{escape(n)}</name><value>{escape(v)}</value></attrib>" for n, v in tokens.items()
    ) + "</programTokenList>"


def list_operation(operation: str, list_name: str | None, keys=(), *, strict: str | None = "false",
                   key_type: str = "MKTOLISTNAME", skip_activity_log: str | None = None) -> str:
    list_key = (f"<listKey><keyType>{key_type}</keyType><keyValue>{escape(list_name)}</keyValue></listKey>"
                if list_name is not None else "")
    members = lead_keys("listMemberList", keys) if keys is not None else ""
    return (f"<ns1:paramsListOperation><listOperation>{operation}</listOperation>{list_key}{members}"
            f"{_element('strict', strict)}{_element('skipActivityLog', skip_activity_log)}</ns1:paramsListOperation>")


def request_campaign(keys=None, *, source: str | None = "MKTOWS", campaign_id: int | None = None,
                     program: str | None = None, campaign: str | None = None, tokens: dict | None = None) -> str:
    return ("<ns1:paramsRequestCampaign>" + _element("source", source) + _element("campaignId", campaign_id)
            + (lead_keys("leadList", keys) if keys is not None else "") + _element("programName", program)
            + _element("campaignName", campaign) + (token_list(tokens) if tokens is not None else "")
            + "</ns1:paramsRequestCampaign>")


def schedule_campaign(program: str | None, campaign: str | None, *, run_at: str | None = None,
                      clone_to: str | None = None, tokens: dict | None = None) -> str:
    return ("<ns1:paramsScheduleCampaign>" + _element("programName", program) + _element("campaignName", campaign)
            + _element("campaignRunAt", run_at) + _element("cloneToProgramName", clone_to)
            + (token_list(tokens) if tokens is not None else "") + "</ns1:paramsScheduleCampaign>")


def campaigns_for_source(source: str | None = "MKTOWS", name: str | None = None, exact: str | None = None) -> str:
    return ("<ns1:paramsGetCampaignsForSource>" + _element("source", source) + _element("name", name)
            + _element("exactName", exact) + "</ns1:paramsGetCampaignsForSource>")


def import_to_list(header: str | None, rows: list[str] | None, *, program: str | None = "Webinar 2026",
                   list_name: str | None = "Newsletter", mode: str | None = "UPSERTLEADS",
                   clear: str | None = "false", campaign: str | None = None) -> str:
    row_xml = ("<importFileRows>" + "".join(f"<stringItem>{escape(row)}</stringItem>" for row in rows)
               + "</importFileRows>") if rows is not None else ""
    return ("<ns1:paramsImportToList>" + _element("programName", program) + _element("importFileHeader", header)
            + row_xml + _element("importListMode", mode) + _element("listName", list_name)
            + _element("clearList", clear) + _element("campaignName", campaign) + "</ns1:paramsImportToList>")


def import_status(program: str | None = "Webinar 2026", list_name: str | None = "Newsletter") -> str:
    return ("<ns1:paramsGetImportToListStatus>" + _element("programName", program)
            + _element("listName", list_name) + "</ns1:paramsGetImportToListStatus>")
