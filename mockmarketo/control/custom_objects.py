"""The control API's custom object routes: `/_mock/custom-objects/<type>` (GET, POST, DELETE), and custom
object records as JSON:

    {"keys": {"MKTOID": 1000001, "rid": "rid1"}, "attributes": {"city": "San Mateo", "zip": "94404"},
     "created_at": "2026-01-01T00:00:00Z", "updated_at": "2026-01-01T00:00:00Z"}

`keys` holds the link (the lead's id, a number) and the dedupe fields; `attributes` the other fields with a
value. A seeded record is checked as a syncCustomObjects INSERT is; the types themselves are part of the
run-time config (`custom_objects` of /_mock/config).
"""

from __future__ import annotations

from mockmarketo.control.leads import LeadJsonError, json_value, time_from_json, time_json
from mockmarketo.domain.custom_object_types import CustomObjectType
from mockmarketo.domain.custom_objects import CustomObjectInput, CustomObjectRecord, records_of, seed_custom_object
from mockmarketo.domain.seeding import SeedConflict, SeedError
from mockmarketo.json_http import check_object
from mockmarketo.store.custom_object_store import CustomObjectRepository

ROUTE = "custom-objects"
_KEYS = ("keys", "attributes", "created_at", "updated_at")


class _JsonError(ValueError):
    pass


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
        raise _JsonError(f"{where}.{name}: expected an object of field names and values")
    return [(field, json_value(f"{where}.{name}.{field}", value)) for field, value in values.items()]


def _seed(repo, object_type: CustomObjectType, payload, where: str) -> CustomObjectRecord:
    check_object(payload, _KEYS, where, _JsonError)
    record = CustomObjectInput(_pairs(payload, "keys", where), _pairs(payload, "attributes", where))
    created_at = time_from_json(where, "created_at", payload.get("created_at"))
    updated_at = time_from_json(where, "updated_at", payload.get("updated_at"))
    try:
        return seed_custom_object(repo, object_type, record, created_at, updated_at)
    except SeedError as error:
        raise _JsonError(f"{where}: {error}") from None
    except SeedConflict as error:
        raise SeedConflict(f"{where}: {error}") from None


def routes(api) -> dict:
    """The routes to add to the ControlApi `api` (whose helpers they use)."""
    from mockmarketo.control.api import ControlError

    def object_type_of(request) -> CustomObjectType:
        name = request.path.split(f"/{ROUTE}/", 1)[1].strip("/")
        found = api.marketo.custom_object_types.find(name)
        if found is None:
            known = ", ".join(t.name for t in api.marketo.custom_object_types) or "none"
            raise ControlError(404, f"no custom object type {name!r} (known: {known})")
        return found

    def get(request):
        args = api._args(request, ("lead_id",))
        instance, object_type = api._instance_name(request), object_type_of(request)
        lead_id = api._int("lead_id", args["lead_id"]) if "lead_id" in args else None
        with api.marketo.objects(instance, CustomObjectRepository, write=False) as repo:
            records = records_of(repo, object_type, lead_id)
        return 200, [record_json(object_type, record) for record in records]

    def post(request):
        api._args(request, ())
        instance, object_type = api._instance_name(request), object_type_of(request)
        payload = api._body(request)
        items = payload if isinstance(payload, list) else [payload]
        try:
            with api.marketo.objects(instance, CustomObjectRepository) as repo:
                created = [_seed(repo, object_type, item, f"record[{index}]" if isinstance(payload, list)
                                 else "record") for index, item in enumerate(items)]
        except (_JsonError, LeadJsonError, SeedConflict) as error:
            raise ControlError(409 if isinstance(error, SeedConflict) else 400, str(error)) from None
        answer = [record_json(object_type, record) for record in created]
        return 201, answer if isinstance(payload, list) else answer[0]

    def delete(request):
        api._args(request, ())
        instance, object_type = api._instance_name(request), object_type_of(request)
        with api.marketo.objects(instance, CustomObjectRepository) as repo:
            deleted = repo.delete_all(object_type)
        return 200, {"deleted": deleted}

    return {f"{ROUTE}/*": {"GET": get, "POST": post, "DELETE": delete}}
