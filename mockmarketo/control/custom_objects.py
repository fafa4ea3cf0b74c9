"""The control API's custom object routes: `/_mock/custom-objects/<type>` (GET, POST, DELETE), and custom
object records as JSON:

    {"keys": {"MKTOID": 1000001, "rid": "rid1"}, "attributes": {"city": "San Mateo", "zip": "94404"},
     "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}

`keys` holds the link (the lead's id, a number) and the dedupe fields; `attributes` the other fields with a
value. A seeded record is checked as a syncCustomObjects INSERT is; the types themselves are part of the
run-time config (`custom_objects` of /_mock/config).
"""

from __future__ import annotations

from mockmarketo.control.leads import json_value, time_json
from mockmarketo.control.object_routes import ObjectJsonError, object_routes, seeded
from mockmarketo.domain.custom_object_types import CustomObjectType
from mockmarketo.domain.custom_objects import CustomObjectInput, CustomObjectRecord, records_of, seed_custom_object
from mockmarketo.json_http import check_object
from mockmarketo.store.custom_object_store import CustomObjectRepository

ROUTE = "custom-objects"
_KEYS = ("keys", "attributes", "created_at", "updated_at")


def record_json(object_type: CustomObjectType, record: CustomObjectRecord) -> dict:
    keys = {name: int(value) if name == object_type.link_field else value
            for name, value in record.key_values(object_type)}
    return {"keys": keys,
            "attributes": {name: record.attributes[name] for name in object_type.attribute_fields
                           if name in record.attributes},
            "created_at": time_json(record.created_at), "updated_at": time_json(record.updated_at)}


def _pairs(payload: dict, name: str, where: str) -> list[tuple[str, str]]:
    values = payload.get(name) or {}
    if not isinstance(values, dict):
        raise ObjectJsonError(f"{where}.{name}: expected an object of field names and values")
    return [(field, json_value(f"{where}.{name}.{field}", value)) for field, value in values.items()]


def _seed(repo, object_type: CustomObjectType, payload, where: str) -> CustomObjectRecord:
    check_object(payload, _KEYS, where, ObjectJsonError)
    record = CustomObjectInput(_pairs(payload, "keys", where), _pairs(payload, "attributes", where))
    return seeded(payload, where, lambda created_at, updated_at: seed_custom_object(
        repo, object_type, record, created_at, updated_at))


def routes(api) -> dict:
    """The routes to add to the ControlApi `api`."""
    from mockmarketo.control.api import ControlError

    def type_of(name: str) -> CustomObjectType:
        found = api.marketo.custom_object_types.find(name)
        if found is None:
            known = ", ".join(t.name for t in api.marketo.custom_object_types) or "none"
            raise ControlError(404, f"no custom object type {name!r} (known: {known})")
        return found

    def listed(repo, object_type: CustomObjectType, args: dict) -> list[CustomObjectRecord]:
        lead_id = api._int("lead_id", args["lead_id"]) if "lead_id" in args else None
        return records_of(repo, object_type, lead_id)

    return object_routes(api, ROUTE, CustomObjectRepository, type_of, listed, _seed, record_json,
                         list_args=("lead_id",))
