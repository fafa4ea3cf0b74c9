"""Running a campaign: its flow steps, in order, for each lead of the run, each recorded in the activity
log as Marketo records it (facts-more-ops §13), with the campaign's full name as `campaign`:

- change_field: a Change Data Value (Reason `Changed by Smart Campaign <program>.<campaign> action
  Change Data Value`, then Step ID and Choice Number). A value `+N` or `-N` adds to a numeric field
  (integer, score, float, currency, percent), as a score change does; otherwise the value is set.
- add_to_list / remove_from_list: an Add to List / Remove from List (List ID, Campaign; Channel: the
  program's channel, on removal), only when membership changes.
- send_email: a Send Email (Campaign Run ID, Step ID), the email's name as asset name.
- delete_lead: a Delete Lead, then the lead is deleted (with its list memberships); later steps skip it.

My Tokens (`{{my.name}}`, any case) in a step's text are replaced with the run's values; a token the run
does not define stays as written. A step that cannot apply to a lead (an unknown field or list, a value
the field refuses) is skipped for that lead, leaving no trace, and noted in the run's `errors`.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from mockmarketo.domain.activities import Activity
from mockmarketo.domain.assets import (
    ADD_TO_LIST, CHANGE_FIELD, DELETE_LEAD, REMOVE_FROM_LIST, SEND_EMAIL, Campaign, FlowStep,
)
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.jobs import DONE, FAILED, SCHEDULE, CampaignRun
from mockmarketo.domain.leads import Lead
from mockmarketo.domain.static_lists import add_members, find_list, remove_members

_TOKEN = re.compile(r"\{\{my\.[^{}]+\}\}", re.IGNORECASE)
_INCREMENT = re.compile(r"^[+-]\s*\d+(\.\d+)?$")
_NUMERIC_TYPES = ("integer", "score", "float", "currency", "percent")


def resolve(text: str, tokens: dict[str, str]) -> str:
    """`text` with every My Token the run defines replaced by its value."""
    if "{{" not in text:
        return text
    by_name = {name.lower(): value for name, value in tokens.items()}
    return _TOKEN.sub(lambda found: by_name.get(found.group().lower(), found.group()), text)


def execute_run(ctx, run: CampaignRun) -> CampaignRun:
    """Run a pending campaign run now (ctx.now) and store its outcome."""
    campaign = ctx.assets.campaign(run.campaign_id)
    run.ran_at = ctx.now
    if campaign is None:
        run.status = FAILED
        run.errors.append(f"campaign {run.campaign_id} no longer exists")
        ctx.repo.marketing.runs.save(run)
        return run
    if run.source == SCHEDULE:
        run.leads = _smart_list_leads(ctx, campaign, run)
    lead_tokens = ctx.repo.marketing.runs.take_lead_tokens(campaign.id)
    for lead_id in run.leads:
        lead = ctx.repo.by_id(lead_id)
        if lead is None:
            run.errors.append(f"lead {lead_id}: no longer exists")
            continue
        tokens = {**run.tokens, **lead_tokens.get(lead_id, {})}
        for number, step in enumerate(campaign.flow, 1):
            try:
                with ctx.repo.savepoint():
                    lead = _STEPS[step.action](ctx, campaign, run, lead, step, number, tokens)
            except MarketoError as error:
                run.errors.append(f"lead {lead_id}, step {number} ({step.action}): {error.message}")
            if lead is None:
                break
    run.status = DONE
    ctx.repo.marketing.runs.save(run)
    return run


def _smart_list_leads(ctx, campaign: Campaign, run: CampaignRun) -> list[int]:
    if campaign.smart_list is None:
        return [lead.id for lead in ctx.repo.all(order_by_id=True)]
    static_list = ctx.assets.static_list(campaign.smart_list)
    if static_list is None:
        run.errors.append(f"smart list: no static list {campaign.smart_list!r}")
        return []
    return ctx.members.members(static_list.id)


def _change_field(ctx, campaign: Campaign, run, lead: Lead, step: FlowStep, number: int, tokens) -> Lead:
    fields = ctx.fields
    if step.field not in fields:
        raise MarketoError(20105, f"no lead field {step.field!r}")
    old = (lead.email or "") if step.field == "Email" else lead.attributes.get(step.field, "")
    value = resolve(step.value, tokens)
    if _INCREMENT.match(value) and fields.type_of(step.field) in _NUMERIC_TYPES:
        value = _add(old, value.replace(" ", ""), fields.type_of(step.field))
    new = fields.normalise(step.field, value)
    if step.field == "Email":
        lead.email = new or None
    elif new == "":
        lead.attributes.pop(step.field, None)
    else:
        lead.attributes[step.field] = new
    ctx.repo.save(lead)
    ctx.log.data_changed(lead.id, ctx.now, [(step.field, old, new)],
                         reason=f"Changed by Smart Campaign {campaign.full_name} action Change Data Value",
                         campaign=campaign.full_name, extra=[("Step ID", str(number)), ("Choice Number", "0")])
    return lead


def _add(old: str, change: str, attr_type: str) -> str:
    try:
        total = Decimal(old or "0") + Decimal(change)
    except InvalidOperation:
        raise MarketoError(20106, f"cannot add {change} to {old!r}") from None
    return str(int(total)) if attr_type in ("integer", "score") else str(total)


def _add_to_list(ctx, campaign: Campaign, run, lead: Lead, step: FlowStep, number: int, tokens) -> Lead:
    add_members(ctx, find_list(ctx.assets, resolve(step.value, tokens)), [lead.id], campaign)
    return lead


def _remove_from_list(ctx, campaign: Campaign, run, lead: Lead, step: FlowStep, number: int, tokens) -> Lead:
    remove_members(ctx, find_list(ctx.assets, resolve(step.value, tokens)), [lead.id], campaign)
    return lead


def _send_email(ctx, campaign: Campaign, run, lead: Lead, step: FlowStep, number: int, tokens) -> Lead:
    ctx.log.add(Activity(lead.id, "Send Email", ctx.now, [("Campaign Run ID", str(run.id)), ("Step ID", str(number))],
                         asset_name=resolve(step.value, tokens), campaign=campaign.full_name))
    return lead


def _delete_lead(ctx, campaign: Campaign, run, lead: Lead, step: FlowStep, number: int, tokens) -> None:
    ctx.log.add(Activity(lead.id, "Delete Lead", ctx.now, [], asset_name="", campaign=campaign.full_name))
    ctx.repo.delete([lead.id])
    return None


_STEPS = {CHANGE_FIELD: _change_field, ADD_TO_LIST: _add_to_list, REMOVE_FROM_LIST: _remove_from_list,
          SEND_EMAIL: _send_email, DELETE_LEAD: _delete_lead}
