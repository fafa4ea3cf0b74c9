"""The control API's MObject routes: `/_mock/mobjects/<type>` (GET, POST, DELETE) for Opportunity and
OpportunityPersonRole (GET filter `lead_id`: a lead's roles), and MObjects as JSON:

    {"id": 1, "external_key": {"name": "opportunityId", "value": "Opportunity_4"},
     "attributes": {"Amount": "501.00", "Name": "Big deal"},
     "associations": [{"type": "Company", "id": null, "external_key": {"name": "cAccountFSID", "value": "C123"}}],
     "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}

A seeded object is checked as a syncMObjects INSERT is, except that it may give its id (which must be
free; later objects never reuse it). Associations set what they stand for (a role's Lead and Opportunity
give its PersonId and OpportunityId) or are kept (an opportunity's Company).
"""

from __future__ import annotations

from mockmarketo.control.leads import json_value, time_json
from mockmarketo.control.object_routes import ObjectJsonError, object_routes, seeded
from mockmarketo.domain.leads import XS_INT_MAX
from mockmarketo.domain.mobject_types import TYPES, MObjectType
from mockmarketo.domain.mobjects import AssociationRef, MObject, MObjectInput, seed_mobject
from mockmarketo.json_http import check_object
from mockmarketo.store.mobject_store import MObjectRepository

ROUTE = "mobjects"
_KEYS = ("id", "external_key", "attributes", "associations", "created_at", "updated_at")


def _key_json(key: tuple[str, str] | None) -> dict | None:
    return None if key is None else {"name": key[0], "value": key[1]}


def mobject_json(object_type: MObjectType, mobject: MObject) -> dict:
    fields = object_type.fields
    return {"id": mobject.id, "external_key": _key_json(mobject.external_key),
            "attributes": {name: mobject.attributes[name] for name in fields if name in mobject.attributes},
            "associations": [{"type": a.type, "id": a.id, "external_key": _key_json(a.external_key)}
                             for a in mobject.associations],
            "created_at": time_json(mobject.created_at), "updated_at": time_json(mobject.updated_at)}


def _id(value, where: str) -> int | None:
    if value is not None and (isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= XS_INT_MAX):
        raise ObjectJsonError(f"{where}: expected an id from 1 to {XS_INT_MAX}, got {value!r}")
    return value


def _key(value, where: str) -> tuple[str, str] | None:
    if value is None:
        return None
    check_object(value, ("name", "value"), where, ObjectJsonError)
    name, text = value.get("name"), value.get("value")
    if not isinstance(name, str) or not name.strip() or not isinstance(text, str) or not text.strip():
        raise ObjectJsonError(f"{where}: expected {{\"name\": \"...\", \"value\": \"...\"}} with non-empty strings")
    return name, text


def _input(payload, where: str) -> MObjectInput:
    check_object(payload, _KEYS, where, ObjectJsonError)
    attributes = payload.get("attributes") or {}
    if not isinstance(attributes, dict):
        raise ObjectJsonError(f"{where}.attributes: expected an object of attribute names and values")
    associations = payload.get("associations") or []
    if not isinstance(associations, list):
        raise ObjectJsonError(f"{where}.associations: expected a list")
    refs = []
    for index, item in enumerate(associations):
        at = f"{where}.associations[{index}]"
        check_object(item, ("type", "id", "external_key"), at, ObjectJsonError)
        if not isinstance(item.get("type"), str):
            raise ObjectJsonError(f"{at}.type: expected an object type, e.g. \"Lead\"")
        refs.append(AssociationRef(item["type"], _id(item.get("id"), f"{at}.id"),
                                   _key(item.get("external_key"), f"{at}.external_key")))
    return MObjectInput(
        None, _id(payload.get("id"), f"{where}.id"), _key(payload.get("external_key"), f"{where}.external_key"),
        [(name, json_value(f"{where}.attributes.{name}", value)) for name, value in attributes.items()], refs)


def _seed(repo, object_type: MObjectType, payload, where: str) -> MObject:
    item = _input(payload, where)
    return seeded(payload, where, lambda created_at, updated_at: seed_mobject(
        repo, object_type, item, created_at, updated_at))


def routes(api) -> dict:
    """The routes to add to the ControlApi `api`."""
    from mockmarketo.control.api import ControlError

    def type_of(name: str) -> MObjectType:
        served = [t for t in TYPES.values() if not t.asset]
        found = next((t for t in served if t.name.lower() == name.lower()), None)
        if found is None:
            raise ControlError(404, f"no MObject type {name!r} (known: {', '.join(t.name for t in served)})")
        return found

    def listed(repo, object_type: MObjectType, args: dict) -> list[MObject]:
        found = repo.all(object_type)
        if "lead_id" not in args:
            return found
        if object_type.lead_field is None:
            raise ControlError(400, f"lead_id: {object_type.name} objects do not name a lead")
        lead_id = str(api._int("lead_id", args["lead_id"]))
        return [mobject for mobject in found if mobject.attributes.get(object_type.lead_field) == lead_id]

    return object_routes(api, ROUTE, MObjectRepository, type_of, listed, _seed, mobject_json,
                         list_args=("lead_id",))
