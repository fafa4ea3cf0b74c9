"""Smart campaigns from the API's side: requestCampaign, scheduleCampaign, getCampaignsForSource
(facts-more-ops §5–§7). What a run does to its leads is domain.flows.

requestCampaign takes one of two parameter sets: `campaignId`, or `programName` + `campaignName`; both
ids and names, or a campaignName without its program, is 20110. Leniencies real clients rely on: a
missing `source` is MKTOWS, tokens may come with a campaignId (they then apply to the campaign's
program). The campaign must exist (20113) and be requestable from the call's source (its trigger
"Campaign is Requested" lists it; else 20110). Lead keys: at least one (20101), at most 100 used (more
are ignored, as Marketo documents); keys that name no lead are skipped. Each lead gets a "Request
Campaign" activity at once; the run follows `[campaign_runs] delay_ms` later (0: within the call).

scheduleCampaign runs a batch campaign (not requestable; a requestable one is 20110) of a program, now
or at `campaignRunAt`, over its smart list's members (every lead without one). `cloneToProgramName`
first copies the program under that name with its campaigns (which keep using the original's static
lists) and schedules the copy's campaign.

My Tokens of a run: the program's, overridden by the call's `programTokenList` (names `{{my.name}}`,
else 20110), overridden per lead by those an importToList left for the campaign.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import datetime, timedelta

from mockmarketo.domain.activities import Activity
from mockmarketo.domain.assets import MKTOWS, SALES, SOURCES, Campaign, Program, is_token_name
from mockmarketo.domain.catalogue import AssetCatalogue, AssetError
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.flows import execute_run
from mockmarketo.domain.jobs import REQUEST, SCHEDULE, CampaignRun
from mockmarketo.domain.lookup import find_by_key
from mockmarketo.domain.activities import naive_utc as _store_time  # naive UTC, as the store keeps times

MAX_LEADS = 100
REQUEST_CAMPAIGN = "Request Campaign"
# the Source attribute of a Request Campaign activity, per requestCampaign source
SOURCE_NAMES = {MKTOWS: "Web Service API", SALES: "Sales Insight"}

Pairs = list[tuple[str | None, str | None]]


@dataclass(frozen=True)
class CampaignRequest:
    source: str | None
    campaign_id: int | None
    program_name: str | None
    campaign_name: str | None
    lead_keys: Pairs | None  # (keyType, keyValue) as sent
    tokens: Pairs | None  # (name, value) as sent


@dataclass(frozen=True)
class ScheduleRequest:
    program_name: str | None
    campaign_name: str | None
    run_at: datetime | None
    clone_to: str | None
    tokens: Pairs | None


def _given(text: str | None) -> str | None:
    return text.strip() or None if text is not None else None


def check_source(source: str | None) -> str:
    """The source named (a missing one is MKTOWS); 20110 for one of neither MKTOWS nor SALES."""
    source = _given(source) or MKTOWS
    if source not in SOURCES:
        raise MarketoError(20110, f"source {source!r} is not one of {', '.join(SOURCES)}")
    return source


def run_tokens(program: Program | None, tokens: Pairs | None) -> dict[str, str]:
    """The program's My Tokens overridden by the call's; 20110 for a name not written `{{my.name}}`."""
    merged = dict(program.tokens) if program is not None else {}
    for name, value in tokens or []:
        name = (name or "").strip()
        if not is_token_name(name):
            raise MarketoError(20110, f"programTokenList: token name {name!r} is not of the form {{{{my.name}}}}")
        existing = next((key for key in merged if key.lower() == name.lower()), name)
        merged[existing] = value or ""
    return merged


def _program_of(ctx, campaign: Campaign) -> Program | None:
    return ctx.assets.program(campaign.program) if campaign.program else None


# -- requestCampaign -------------------------------------------------------------------------------------

def request_campaign(ctx, request: CampaignRequest, delay: timedelta = timedelta()) -> CampaignRun:
    source = check_source(request.source)
    campaign = _requested_campaign(ctx.assets, request)
    if not campaign.requestable or source not in campaign.sources:
        raise MarketoError(20110, f"Campaign {campaign.id} ({campaign.full_name}) cannot be requested from "
                                  f"{SOURCE_NAMES[source]}: its trigger is not 'Campaign is Requested' with "
                                  "that source")
    lead_ids = _requested_leads(ctx.repo, request.lead_keys)
    now = ctx.now
    run = CampaignRun(campaign.id, campaign.full_name, campaign.program, REQUEST, lead_ids,
                      run_tokens(_program_of(ctx, campaign), request.tokens), now, now + delay)
    for lead_id in lead_ids:
        ctx.log.add(Activity(lead_id, REQUEST_CAMPAIGN, now,
                             [("Campaign ID", str(campaign.id)), ("Source", SOURCE_NAMES[source])],
                             asset_name=campaign.full_name, campaign=campaign.full_name))
    ctx.repo.marketing.runs.add(run)
    if not delay:
        execute_run(ctx, run)
    return run


def _requested_campaign(assets: AssetCatalogue, request: CampaignRequest) -> Campaign:
    program, name = _given(request.program_name), _given(request.campaign_name)
    if request.campaign_id is not None:
        if name is not None:
            raise MarketoError(20110, "Give campaignId or campaignName (with programName), not both")
        found = assets.campaign(request.campaign_id)
        if found is None:
            raise MarketoError(20113, f"Campaign {request.campaign_id} does not exist")
        return found
    if name is None:
        raise MarketoError(20109, "campaignId, or programName and campaignName, is required")
    if program is None:
        raise MarketoError(20110, "campaignName needs the programName of its program")
    return _campaign_named(assets, program, name)


def _campaign_named(assets: AssetCatalogue, program: str, name: str) -> Campaign:
    if assets.program(program) is None:
        raise MarketoError(20113, f"Campaign {name!r} does not exist: there is no program {program!r}")
    found = assets.campaign_named(program, name)
    if found is None:
        raise MarketoError(20113, f"Campaign {name!r} does not exist in program {program!r}")
    return found


def _requested_leads(repo, keys: Pairs | None) -> list[int]:
    if not keys:
        raise MarketoError(20101, "LeadKey is required but was not provided: leadList holds no leadKey")
    found: dict[int, None] = {}
    for key_type, key_value in keys[:MAX_LEADS]:
        if not key_type:
            raise MarketoError(20101, "LeadKey is required but was not provided: a leadKey has no keyType")
        if key_value is None:
            raise MarketoError(20109, "keyValue is required")
        for lead in find_by_key(repo, key_type.strip(), key_value):
            found.setdefault(lead.id)
    return list(found)


# -- scheduleCampaign ------------------------------------------------------------------------------------

def schedule_campaign(ctx, request: ScheduleRequest) -> CampaignRun:
    program_name, name = _given(request.program_name), _given(request.campaign_name)
    if program_name is None or name is None:
        raise MarketoError(20109, "programName and campaignName are required")
    campaign = _campaign_named(ctx.assets, program_name, name)
    if campaign.requestable:
        raise MarketoError(20110, f"Campaign {campaign.full_name} is a trigger campaign ('Campaign is "
                                  "Requested'); scheduleCampaign runs batch campaigns")
    clone_to = _given(request.clone_to)
    if clone_to is not None:
        campaign = _clone(ctx, ctx.assets.program(program_name), clone_to, campaign)
    now = ctx.now
    due = max(_store_time(request.run_at) or now, now)
    run = CampaignRun(campaign.id, campaign.full_name, campaign.program, SCHEDULE, [],
                      run_tokens(_program_of(ctx, campaign), request.tokens), now, due)
    ctx.repo.marketing.runs.add(run)
    if due <= now:
        execute_run(ctx, run)
    return run


def _clone(ctx, program: Program, name: str, campaign: Campaign) -> Campaign:
    """Copy the program under a new name with its campaigns; the copy of `campaign`."""
    copy = dataclasses.replace(program, id=0, name=name, costs=[], created_at=None, updated_at=None,
                               tags=dict(program.tags), tokens=dict(program.tokens))
    try:
        ctx.assets.add(copy, ctx.now)
    except AssetError as error:
        raise MarketoError(20110, f"cloneToProgramName {name!r}: {error}") from None
    cloned = None
    for original in [c for c in ctx.assets.campaigns() if c.program and c.program.lower() == program.name.lower()]:
        twin = ctx.assets.add(dataclasses.replace(original, id=0, program=name))
        if original.id == campaign.id:
            cloned = twin
    return cloned


# -- getCampaignsForSource -------------------------------------------------------------------------------

def campaigns_for_source(assets: AssetCatalogue, source: str | None, name: str | None,
                         exact: bool | None) -> list[Campaign]:
    """The campaigns requestCampaign may run from `source`, by full name then id. `name` (empty: no
    filter) matches a part of the full name, or with `exact` the full name or the campaign's own name;
    both without regard to case."""
    source = check_source(source)
    wanted = (name or "").strip().lower()
    found = [c for c in assets.campaigns() if c.requestable and source in c.sources]
    if wanted and exact:
        found = [c for c in found if wanted in (c.full_name.lower(), c.name.lower())]
    elif wanted:
        found = [c for c in found if wanted in c.full_name.lower()]
    return sorted(found, key=lambda c: (c.full_name.lower(), c.id))
