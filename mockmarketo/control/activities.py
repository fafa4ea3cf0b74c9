"""The activity log in the control API: `/_mock/activities`, and activities as JSON.

    {"id": 12, "lead_id": 1000001, "type": "Visit Webpage", "type_token": "VisitWebpage",
     "at": "2026-01-02T03:04:05.678901Z", "asset_name": "ClickDemo", "campaign": null,
     "attributes": [{"name": "Webpage URL", "value": "/ClickDemo.html"}]}

    GET    /_mock/activities   the instance's activities, oldest first (filters: lead, email, type, since)
    POST   /_mock/activities   seed one activity object or a list of them (all or none)
    DELETE /_mock/activities   clear the activity log (leads stay; activity ids are not reused)

`attributes` are the activity's own, in order; "Lead ID", which SOAP shows last, is `lead_id`. A seeded
activity names its lead by `lead_id` or `email` (the most recently created lead with it), its type by
display name or WSDL token (any case); `at` (ISO 8601, default now), `asset_name`, `campaign` and
`attributes` are optional. `id` and `type_token` are answers only: ids come from the instance's sequence.
"""

from __future__ import annotations

from werkzeug.wrappers import Request

from mockmarketo.control.api import ControlApi, ControlError
from mockmarketo.control.leads import time_from_json, time_json, xml_text
from mockmarketo.domain.activities import LEAD_ID, Activity, activity_type
from mockmarketo.domain.leads import XS_INT_MAX
from mockmarketo.domain.seeding import ActivitySeed, UnknownLead
from mockmarketo.json_http import check_object

_KEYS = ("lead_id", "email", "type", "at", "asset_name", "campaign", "attributes")
_TYPE_HINT = 'a display name such as "Visit Webpage" or a WSDL token such as VisitWebpage'


class ActivityJsonError(ValueError):
    """An activity object that cannot be seeded, described in one line."""


def activity_json(activity: Activity) -> dict:
    return {
        "id": activity.id, "lead_id": activity.lead_id, "type": activity.type, "type_token": activity.type_token,
        "at": time_json(activity.at), "asset_name": activity.asset_name, "campaign": activity.campaign,
        "attributes": [{"name": name, "value": value} for name, value in activity.attributes],
    }


def activity_seed_from_json(payload, where: str = "activity") -> ActivitySeed:
    """Check one activity object and make it an ActivitySeed."""
    check_object(payload, _KEYS, where, ActivityJsonError)
    lead_id, email = payload.get("lead_id"), payload.get("email")
    if (lead_id is None) == (email is None):
        raise ActivityJsonError(f"{where}: name the lead with lead_id or email (one of them)")
    if lead_id is not None and (isinstance(lead_id, bool) or not isinstance(lead_id, int)
                                or not 0 < lead_id <= XS_INT_MAX):
        raise ActivityJsonError(f"{where}.lead_id: expected a lead id (1 to {XS_INT_MAX}), got {lead_id!r}")
    if email is not None and (not isinstance(email, str) or not email.strip()):
        raise ActivityJsonError(f"{where}.email: expected a non-empty string, got {email!r}")
    kind = payload.get("type")
    display = activity_type(kind) if isinstance(kind, str) else None
    if display is None:
        raise ActivityJsonError(f"{where}.type: expected {_TYPE_HINT}, got {kind!r}")
    activity = Activity(lead_id=0, type=display,
                        at=time_from_json(where, "at", payload.get("at"), ActivityJsonError),
                        attributes=_attributes(where, payload.get("attributes")),
                        asset_name=_optional_text(where, "asset_name", payload.get("asset_name")),
                        campaign=_optional_text(where, "campaign", payload.get("campaign")))
    return ActivitySeed(activity, lead_id=lead_id, email=email.strip() if email is not None else None)


def _optional_text(where: str, key: str, value) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise ActivityJsonError(f"{where}.{key}: expected a string, got {value!r}")
    return xml_text(f"{where}.{key}", value, ActivityJsonError)


def _attributes(where: str, attributes) -> list[tuple[str, str]]:
    if attributes is None:
        return []
    if not isinstance(attributes, list):
        raise ActivityJsonError(f'{where}.attributes: expected a list of {{"name": ..., "value": ...}} objects')
    pairs = []
    for index, attribute in enumerate(attributes):
        at = f"{where}.attributes[{index}]"
        check_object(attribute, ("name", "value"), at, ActivityJsonError)
        name, value = attribute.get("name"), attribute.get("value")
        if not isinstance(name, str) or not name.strip():
            raise ActivityJsonError(f"{at}.name: expected a non-empty string, got {name!r}")
        if name.strip() == LEAD_ID:
            raise ActivityJsonError(f"{at}: {LEAD_ID} is the activity's lead: give it as lead_id or email")
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str):
            raise ActivityJsonError(f"{at}.value: expected a string or number, got {value!r}")
        pairs.append((xml_text(f"{at}.name", name.strip(), ActivityJsonError),
                      xml_text(f"{at}.value", value, ActivityJsonError)))
    return pairs


def routes(api: ControlApi) -> dict:
    """The route table entry of /_mock/activities, for ControlApi."""
    handlers = ActivityRoutes(api)
    return {"activities": {"GET": handlers.get, "POST": handlers.seed, "DELETE": handlers.clear}}


class ActivityRoutes:
    def __init__(self, api: ControlApi):
        self.api = api

    def get(self, request: Request):
        api = self.api
        args = api._args(request, ("lead", "email", "type", "since"))
        name = api._instance_name(request)
        lead_id = api._int("lead", args["lead"]) if "lead" in args else None
        kind = None
        if "type" in args:
            kind = activity_type(args["type"])
            if kind is None:
                raise ControlError(400, f"type: expected {_TYPE_HINT}, got {args['type']!r}")
        since = None
        if "since" in args:
            try:
                since = time_from_json("query", "since", args["since"], ActivityJsonError)
            except ActivityJsonError:
                raise ControlError(400, f"since: expected an ISO 8601 date and time, got {args['since']!r}") \
                    from None
        activities = api.marketo.activities(name, lead_id=lead_id, email=args.get("email"), type=kind,
                                            since=since)
        return 200, [activity_json(activity) for activity in activities]

    def seed(self, request: Request):
        api = self.api
        api._args(request, ())
        name = api._instance_name(request)
        payload = api._body(request)
        items = payload if isinstance(payload, list) else [payload]
        where = [f"activity[{index}]" if isinstance(payload, list) else "activity" for index in range(len(items))]
        try:
            seeds = [activity_seed_from_json(item, at) for item, at in zip(items, where)]
            stored = api.marketo.seed_activities(name, seeds)
        except ActivityJsonError as error:
            raise ControlError(400, str(error)) from None
        except UnknownLead as error:
            raise ControlError(400, f"{where[error.index]}: {error}") from None
        answer = [activity_json(activity) for activity in stored]
        return 201, answer if isinstance(payload, list) else answer[0]

    def clear(self, request: Request):
        self.api._args(request, ())
        self.api.marketo.drop_activities(self.api._instance_name(request))
        return 200, {"cleared": "activities"}
