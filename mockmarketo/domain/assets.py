"""An instance's marketing assets: programs, static lists, smart campaigns with their flows, channels and tags.

Marketo users make these in the admin UI. mockmarketo takes them from the config file (`[[programs]]`,
`[[lists]]`, `[[campaigns]]`, `[[channels]]`, `[[tags]]`: every instance has those) and from the control
API (one instance each, gone with the instance's reset): `Assets` is the configured set,
`AssetCatalogue` an instance's whole set inside one store transaction.

Names: program names are unique in an instance, static-list names too, campaign names within their
program (campaigns outside programs may share a name); all compare without regard to case. A campaign in a program is known to Marketo by its full
name `<program>.<campaign>` (getCampaignsForSource lists it so, activities name it so).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

MKTOWS = "MKTOWS"
SALES = "SALES"
SOURCES = (MKTOWS, SALES)
FIRST_ASSET_ID = 1001
_MY_TOKEN = re.compile(r"^\{\{my\.[^{}]+\}\}$", re.IGNORECASE)

# What a flow step does to each lead (the keys of a `flow` entry).
CHANGE_FIELD = "change_field"
ADD_TO_LIST = "add_to_list"
REMOVE_FROM_LIST = "remove_from_list"
SEND_EMAIL = "send_email"
DELETE_LEAD = "delete_lead"
STEP_ACTIONS = (CHANGE_FIELD, ADD_TO_LIST, REMOVE_FROM_LIST, SEND_EMAIL, DELETE_LEAD)


def is_token_name(name: str) -> bool:
    """Whether `name` is written as Marketo writes a My Token: `{{my.name}}`."""
    return bool(_MY_TOKEN.match(name.strip()))


@dataclass
class ProgramCost:
    """One period cost of a program (Marketo's Cost typeAttrib: Id, Month, Amount, Note)."""

    month: str  # YYYY-MM
    amount: str
    note: str = ""
    id: int = 0


@dataclass
class Program:
    id: int
    name: str
    description: str = ""
    type: str = "Marketing Program"
    channel: str | None = None
    tags: dict[str, str] = field(default_factory=dict)  # tag type -> value
    tokens: dict[str, str] = field(default_factory=dict)  # My Token "{{my.name}}" -> value
    costs: list[ProgramCost] = field(default_factory=list)
    workspace: str = "Default"
    created_at: datetime | None = None  # naive UTC, as the store keeps times
    updated_at: datetime | None = None


@dataclass
class StaticList:
    id: int
    name: str
    program: str | None = None  # the program the list lives in (importToList needs one)


@dataclass(frozen=True)
class FlowStep:
    """One step of a campaign's flow. `value`: the new field value (change_field), the list
    (add_to_list, remove_from_list) or the email (send_email); My Tokens in it are resolved per run."""

    action: str
    value: str = ""
    field: str | None = None  # change_field only


@dataclass
class Campaign:
    id: int
    name: str
    program: str | None = None
    description: str = ""
    # requestable: its trigger is "Campaign is Requested" (requestCampaign runs it, getCampaignsForSource
    # lists it for `sources`); otherwise a batch campaign, which scheduleCampaign runs
    requestable: bool = False
    sources: tuple[str, ...] = (MKTOWS,)
    # batch campaigns: the static list whose members a run processes (its smart list); None: every lead
    smart_list: str | None = None
    flow: tuple[FlowStep, ...] = ()

    @property
    def full_name(self) -> str:
        return f"{self.program}.{self.name}" if self.program else self.name


@dataclass(frozen=True)
class ChannelStatus:
    """A progression status of a channel; `attributes` are channel-specific (Webinar Behavior, ...)."""

    name: str
    step: int
    success: bool
    attributes: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Channel:
    name: str
    statuses: tuple[ChannelStatus, ...] = ()


@dataclass(frozen=True)
class TagType:
    type: str
    values: tuple[str, ...] = ()


def _statuses(*rows) -> tuple[ChannelStatus, ...]:
    return tuple(ChannelStatus(name, step, success, tuple(attributes.items()))
                 for name, step, success, attributes in rows)


# The channels of Marketo's getChannels sample (its Blog, Tradeshow and Webinar, with their statuses):
# an instance has these unless the config lists its own.
DEFAULT_CHANNELS: tuple[Channel, ...] = (
    Channel("Blog", _statuses(("Visited", 10, False, {}), ("Engaged", 20, True, {}),
                              ("Subscribed", 30, True, {}))),
    Channel("Tradeshow", _statuses(("Invited", 10, False, {"Check-in Status": "None"}),
                                   ("Attended Show", 20, False, {"Check-in Status": "Attended"}),
                                   ("Visited Booth", 30, True, {"Check-in Status": "None"}),
                                   ("Engaged", 40, True, {"Check-in Status": "None"}))),
    Channel("Webinar", _statuses(("Downloaded", 5, True, {}), ("Invited", 10, False, {}),
                                 ("Pending Approval", 20, False, {}), ("Rejected", 30, False, {}),
                                 ("Wait Listed", 30, False, {}),
                                 ("Registered", 40, False, {"Webinar Behavior": "Registered"}),
                                 ("No Show", 50, False, {"Webinar Behavior": "No Show"}),
                                 ("Attended", 70, True, {"Webinar Behavior": "Attended"}),
                                 ("Attended On-demand", 75, True, {"Webinar Behavior": "Attended On-demand"}))),
)


# The tag types Marketo's getTags sample shows (with the values it shows): an instance has these, and the
# tags its programs use, unless the config lists its own.
DEFAULT_TAGS: tuple[TagType, ...] = (
    TagType("Regions", ("North", "South")), TagType("Author"), TagType("Products"), TagType("Cost Center"),
    TagType("Content Channel", ("SEM", "Email", "Website")),
)


@dataclass(frozen=True)
class Assets:
    """The configured assets, which every instance has. `tags` None: the config lists none, so the tag
    types are Marketo's (DEFAULT_TAGS) and those the programs use."""

    programs: tuple[Program, ...] = ()
    lists: tuple[StaticList, ...] = ()
    campaigns: tuple[Campaign, ...] = ()
    channels: tuple[Channel, ...] = DEFAULT_CHANNELS
    tags: tuple[TagType, ...] | None = None


# -- assets as plain data (the config file's keys; the control API's JSON; the store's rows) -------------

PROGRAM, LIST, CAMPAIGN = "program", "list", "campaign"


def asset_data(asset: Program | StaticList | Campaign) -> dict:
    """An asset as plain data, with the config file's keys."""
    if isinstance(asset, Program):
        return {"id": asset.id, "name": asset.name, "description": asset.description, "type": asset.type,
                "channel": asset.channel, "tags": dict(asset.tags), "tokens": dict(asset.tokens),
                "costs": [{"id": c.id, "month": c.month, "amount": c.amount, "note": c.note} for c in asset.costs],
                "workspace": asset.workspace}
    if isinstance(asset, StaticList):
        return {"id": asset.id, "name": asset.name, "program": asset.program}
    return {"id": asset.id, "name": asset.name, "program": asset.program, "description": asset.description,
            "requestable": asset.requestable, "source": list(asset.sources), "smart_list": asset.smart_list,
            "flow": [_step_data(step) for step in asset.flow]}


def _step_data(step: FlowStep) -> dict:
    if step.action == CHANGE_FIELD:
        return {CHANGE_FIELD: {"field": step.field, "value": step.value}}
    return {step.action: True if step.action == DELETE_LEAD else step.value}


def asset_from_data(kind: str, data: dict) -> Program | StaticList | Campaign:
    """The asset of plain data made by asset_data (or checked by the config reader)."""
    if kind == PROGRAM:
        costs = [ProgramCost(c["month"], c["amount"], c.get("note", ""), c.get("id", 0))
                 for c in data.get("costs", [])]
        return Program(data["id"], data["name"], data.get("description", ""),
                       data.get("type", "Marketing Program"), data.get("channel"), dict(data.get("tags", {})),
                       dict(data.get("tokens", {})), costs, data.get("workspace", "Default"))
    if kind == LIST:
        return StaticList(data["id"], data["name"], data.get("program"))
    return Campaign(data["id"], data["name"], data.get("program"), data.get("description", ""),
                    data.get("requestable", False), tuple(data.get("source", (MKTOWS,))), data.get("smart_list"),
                    tuple(_step(entry) for entry in data.get("flow", [])))


def _step(entry: dict) -> FlowStep:
    [(action, value)] = entry.items()
    if action == CHANGE_FIELD:
        return FlowStep(action, value["value"], value["field"])
    return FlowStep(action, "" if action == DELETE_LEAD else value)
