"""Custom object records: syncCustomObjects, getCustomObjects and deleteCustomObjects (facts-more-ops §10).

A record belongs to the lead its link field names, which must exist. It is keyed by its type's dedupe
fields (with the lead, when the link is one of them). Names of fields are case-sensitive, as lead fields
are; values are checked and stored as lead values of the same attrType are.

syncCustomObjects (at most 100 records): INSERT creates (FAILED if the key exists), UPDATE changes (FAILED
if it does not), UPSERT (the default) does either. Each record gets CREATED, UPDATED or FAILED with the
reason; a failing record changes nothing and the others still sync. The status echoes the key list as
sent. getCustomObjects: records matching a full or partial key, ordered by key, in batches of at most
100 (default 100), with Marketo's JSON stream position `{"ky":[<filter values>],"os":<returned so far>}`
plus `"lk"`, the key values of the last record returned: the next page starts after that key, so each
record comes back once even if records are added or deleted between calls (a call after the last page
returns the records added since whose key sorts after it). deleteCustomObjects: DELETED, or FAILED for a
key that names no record.
"""

from __future__ import annotations

import json
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import datetime

from mockmarketo.domain.custom_object_types import CustomObjectType
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import normalised
from mockmarketo.domain.leads import XS_INT_MAX
from mockmarketo.domain.seeding import SeedConflict, SeedError
from mockmarketo.domain.selection import checked_batch_size
from mockmarketo.domain.values import comparable

MAX_SYNC = 100
MAX_BATCH = 100
OPERATIONS = ("UPSERT", "INSERT", "UPDATE")

Pairs = list[tuple[str | None, str | None]]  # (attrName, attrValue) as sent


@dataclass
class CustomObjectRecord:
    """A stored record: its lead, its key (the identity fields' values) and its other values."""

    lead_id: int
    key: tuple[str, ...]
    attributes: dict[str, str] = field(default_factory=dict)
    seq: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def key_values(self, object_type: CustomObjectType) -> list[tuple[str, str]]:
        """The record's customObjKeyList: (name, value) of the type's key fields."""
        return key_values(object_type, self.lead_id, self.key)


def key_values(object_type: CustomObjectType, lead_id: int, key: tuple[str, ...]) -> list[tuple[str, str]]:
    values = dict(zip(object_type.identity_fields, key))
    values[object_type.link_field] = str(lead_id)
    return [(name, values[name]) for name in object_type.key_fields]


@dataclass(frozen=True)
class CustomObjectInput:
    """One customObj of a sync call, as sent."""

    keys: Pairs
    attributes: Pairs


@dataclass(frozen=True)
class CustomObjectStatus:
    """One syncCustomObjStatus: the key list as sent, the outcome and the reason of a failure."""

    keys: Pairs | None
    status: str  # CREATED, UPDATED, DELETED or FAILED
    error: str | None = None


@dataclass(frozen=True)
class CustomObjectQuery:
    keys: Pairs = field(default_factory=list)
    include_attributes: tuple[str, ...] = ()
    batch_size: int | None = None
    stream_position: str | None = None


@dataclass(frozen=True)
class CustomObjectPage:
    records: list[CustomObjectRecord]
    remaining_count: int
    stream_position: str


class _Failed(Exception):
    """A record that cannot be synced or deleted: reported FAILED with this text."""


# ---- syncCustomObjects -----------------------------------------------------------------------------------

def sync_custom_objects(repo, object_type: CustomObjectType, records: list[CustomObjectInput],
                        operation: str | None) -> list[CustomObjectStatus]:
    """Sync every record in the caller's write transaction (`repo`: a store CustomObjectRepository)."""
    operation = (operation or "UPSERT").strip().upper()
    if operation not in OPERATIONS:
        raise MarketoError(20110, f"operation must be one of {', '.join(OPERATIONS)}, not {operation!r}")
    if len(records) > MAX_SYNC:
        raise MarketoError(20110, f"syncCustomObjects: customObjList holds {len(records)} objects; at most "
                                  f"{MAX_SYNC} are allowed")
    statuses = []
    for record in records:
        try:
            status = _sync_one(repo, object_type, record, operation)
        except _Failed as failure:
            statuses.append(CustomObjectStatus(record.keys, "FAILED", str(failure)))
        else:
            statuses.append(CustomObjectStatus(record.keys, status))
    return statuses


@dataclass(frozen=True)
class _Parsed:
    """A record of a call, checked: its identity-field values, its lead (None if not given), its stored key
    and its other values."""

    keys: dict
    lead_id: int | None
    key: tuple[str, ...]
    attributes: dict


def _parse(repo, object_type: CustomObjectType, record: CustomObjectInput) -> _Parsed:
    keys = _values(object_type, record.keys, in_key_list=True)
    attributes = _values(object_type, record.attributes, in_key_list=False)
    for name in (object_type.link_field, *object_type.identity_fields):
        # a key field sent among the attributes counts as a key; the key list wins
        value = attributes.pop(name, None)
        if value not in (None, "") and name not in keys:
            keys[name] = value
    lead_id = keys.pop(object_type.link_field, None)
    key = _identity(object_type, keys, lead_id)
    if lead_id is not None:
        _check_lead(repo, object_type, lead_id)
    return _Parsed(keys, lead_id, key, attributes)


def _existing(repo, object_type: CustomObjectType, parsed: _Parsed) -> CustomObjectRecord | None:
    return repo.find(object_type, parsed.key, parsed.lead_id if object_type.link_in_key else None)


def _new_record(object_type: CustomObjectType, parsed: _Parsed) -> CustomObjectRecord:
    if parsed.lead_id is None:
        raise _Failed(f"Missing link attribute: {object_type.link_field} (the id of the object's lead)")
    return CustomObjectRecord(parsed.lead_id, parsed.key,
                              {name: value for name, value in parsed.attributes.items() if value != ""})


def _sync_one(repo, object_type: CustomObjectType, record: CustomObjectInput, operation: str) -> str:
    parsed = _parse(repo, object_type, record)
    existing = _existing(repo, object_type, parsed)
    if existing is None:
        if operation == "UPDATE":
            raise _Failed(f"{_describe(object_type, parsed.keys, parsed.lead_id)} does not exist")
        repo.create(object_type, _new_record(object_type, parsed))
        return "CREATED"
    if operation == "INSERT":
        raise _Failed(f"{_describe(object_type, parsed.keys, parsed.lead_id)} already exists")
    if parsed.lead_id is not None:
        existing.lead_id = parsed.lead_id
    for name, value in parsed.attributes.items():
        if value == "":
            existing.attributes.pop(name, None)
        else:
            existing.attributes[name] = value
    repo.save(object_type, existing)
    return "UPDATED"


def seed_custom_object(repo, object_type: CustomObjectType, record: CustomObjectInput,
                       created_at: datetime | None = None, updated_at: datetime | None = None) -> CustomObjectRecord:
    """Store one record as a test describes it (the control API): checked as syncCustomObjects checks an
    INSERT; SeedError if it is not valid, domain.seeding.SeedConflict if its key is taken."""
    try:
        parsed = _parse(repo, object_type, record)
        if _existing(repo, object_type, parsed) is not None:
            raise SeedConflict(f"{_describe(object_type, parsed.keys, parsed.lead_id)} already exists")
        new = _new_record(object_type, parsed)
    except _Failed as failure:
        raise SeedError(str(failure)) from None
    new.created_at, new.updated_at = created_at, updated_at
    return repo.create(object_type, new)


def records_of(repo, object_type: CustomObjectType, lead_id: int | None = None) -> list[CustomObjectRecord]:
    """Every record of the type (of one lead, when given), in key order."""
    records = repo.all(object_type, lead_id=lead_id)
    records.sort(key=lambda record: (_order(object_type, record.key_values(object_type)), record.seq or 0))
    return records


def _values(object_type: CustomObjectType, pairs: Pairs, *, in_key_list: bool) -> dict[str, str | int]:
    """A key or attribute list as checked, stored values (the link as a lead id). The last of a repeated
    name wins; names are checked before values so that the answer names every unknown one."""
    if any(name is None or not name.strip() for name, _ in pairs):
        raise _Failed("An attribute has no attrName")
    unknown = list(dict.fromkeys(name for name, _ in pairs if name not in object_type))
    if unknown:
        # Marketo's text for an unknown attribute (markety's captured unknown_attribute fixture)
        raise _Failed(f"Unknown name attribute list: {', '.join(unknown)}")
    if in_key_list:
        not_keys = list(dict.fromkeys(name for name, _ in pairs
                                      if name != object_type.link_field and name not in object_type.dedupe_fields))
        if not_keys:
            raise _Failed(f"Not a dedupe field, so not allowed in customObjKeyList: {', '.join(not_keys)}")
    values: dict[str, str | int] = {}
    for name, value in pairs:
        text = (value or "").strip() if in_key_list else (value or "")
        try:
            values[name] = _stored(object_type, name, text)
        except ValueError as error:
            raise _Failed(str(error)) from None
    return values


def _stored(object_type: CustomObjectType, name: str, text: str) -> str | int:
    if name == object_type.link_field:
        try:
            lead_id = int(text.strip())
        except ValueError:
            raise ValueError(f"Value {text!r} of field {name} is not a lead id") from None
        if not 0 < lead_id <= XS_INT_MAX:
            raise ValueError(f"Value {text!r} of field {name} is not a lead id")
        return lead_id
    try:
        return normalised(object_type.type_of(name), text)
    except ValueError as error:
        raise ValueError(f"Value {text!r} of field {name} is not {error}") from None


def _identity(object_type: CustomObjectType, keys: dict, lead_id: int | None) -> tuple[str, ...]:
    missing = [name for name in object_type.identity_fields if keys.get(name, "") == ""]
    if object_type.link_in_key and lead_id is None:
        missing.insert(object_type.dedupe_fields.index(object_type.link_field), object_type.link_field)
    if missing:
        raise _Failed(f"Missing key attribute: {', '.join(missing)}")
    return tuple(str(keys[name]) for name in object_type.identity_fields)


def _check_lead(repo, object_type: CustomObjectType, lead_id: int) -> None:
    if not repo.lead_exists(lead_id):
        raise _Failed(f"No lead found with {object_type.link_field} = {lead_id}")


def _describe(object_type: CustomObjectType, keys: dict, lead_id: int | None) -> str:
    values = {**keys, **({object_type.link_field: lead_id} if lead_id is not None else {})}
    shown = ", ".join(f"{name} = {values[name]}" for name in object_type.key_fields if name in values)
    return f"{object_type.name} object with {shown}"


# ---- deleteCustomObjects ---------------------------------------------------------------------------------

def delete_custom_objects(repo, object_type: CustomObjectType, key_lists: list[Pairs]) -> list[CustomObjectStatus]:
    statuses = []
    for pairs in key_lists:
        try:
            keys = _values(object_type, pairs, in_key_list=True)
            lead_id = keys.pop(object_type.link_field, None)
            key = _identity(object_type, keys, lead_id)
            found = repo.find(object_type, key, lead_id if object_type.link_in_key else None)
            if found is None or (lead_id is not None and found.lead_id != lead_id):
                raise _Failed(f"{_describe(object_type, keys, lead_id)} does not exist")
            repo.delete(found)
        except _Failed as failure:
            statuses.append(CustomObjectStatus(pairs, "FAILED", str(failure)))
        else:
            statuses.append(CustomObjectStatus(pairs, "DELETED"))
    return statuses


# ---- getCustomObjects ------------------------------------------------------------------------------------

def get_custom_objects(repo, object_type: CustomObjectType, query: CustomObjectQuery) -> CustomObjectPage:
    """One page of the records `query` selects (`repo`: a store CustomObjectRepository). The keys of the
    type's records are read and ordered first; only the page's records are read whole."""
    size = checked_batch_size(query.batch_size, MAX_BATCH, MAX_BATCH)
    filters = _filters(object_type, query.keys)
    lead_id = int(filters[object_type.link_field]) if object_type.link_field in filters else None
    filter_values = list(filters.values())
    offset, last = _read_position(object_type, query.stream_position, filter_values)
    ordered = []
    for seq, lead, key in repo.keys(object_type, lead_id=lead_id):
        values = key_values(object_type, lead, key)
        if all(dict(values)[name] == value for name, value in filters.items()):
            ordered.append((_order(object_type, values), seq, values))
    ordered.sort(key=lambda entry: entry[:2])
    if last is not None:
        offset = bisect_right([entry[0] for entry in ordered],
                              _order(object_type, list(zip(object_type.key_fields, last))))
    chosen = ordered[offset:offset + size]
    remaining = max(len(ordered) - offset - len(chosen), 0)
    if chosen:
        last = [value for _, value in chosen[-1][2]]
    position = {"ky": filter_values, "os": offset + len(chosen), **({"lk": last} if last is not None else {})}
    page = repo.by_seqs([seq for _, seq, _ in chosen])
    return CustomObjectPage(_only(object_type, page, query.include_attributes), remaining,
                            json.dumps(position, separators=(",", ":")))


def _filters(object_type: CustomObjectType, pairs: Pairs) -> dict[str, str]:
    """The customObjKeyList of a get, as (name, stored value) of key fields; 20110 for anything else."""
    filters: dict[str, str] = {}
    for name, value in pairs:
        if name not in object_type.key_fields:
            raise MarketoError(20110, f"customObjKeyList: {name!r} is not a key field of {object_type.name} "
                                      f"(key fields: {', '.join(object_type.key_fields)})")
        try:
            filters[name] = str(_stored(object_type, name, (value or "").strip()))
        except ValueError as error:
            raise MarketoError(20110, f"customObjKeyList: {error}") from None
    return filters


def _order(object_type: CustomObjectType, key_values: list[tuple[str, str]]) -> tuple:
    return tuple(comparable(object_type.type_of(name), value) for name, value in key_values)


def _read_position(object_type: CustomObjectType, position: str | None,
                   filter_values: list[str]) -> tuple[int, list[str] | None]:
    """(records returned so far, key values of the last one returned or None); (0, None) from the start."""
    if position is None or not position.strip():
        return 0, None
    try:
        data = json.loads(position)
        offset, last = data["os"], data.get("lk")
        valid = (isinstance(data, dict) and set(data) <= {"ky", "os", "lk"} and isinstance(offset, int)
                 and not isinstance(offset, bool) and offset >= 0)
        if last is not None:
            valid = valid and isinstance(last, list) and len(last) == len(object_type.key_fields)
            last = [str(value) for value in last]
            _order(object_type, list(zip(object_type.key_fields, last)))  # ValueError if not of the key's types
    except (ValueError, TypeError, KeyError):
        valid = False
    if not valid:
        raise MarketoError(20122, f"Stream position {position!r} is not one getCustomObjects issued")
    if data.get("ky") != filter_values:
        raise MarketoError(20122, f"Stream position {position!r} was issued for another customObjKeyList")
    return offset, last


def _only(object_type: CustomObjectType, records: list[CustomObjectRecord],
          include_attributes: tuple[str, ...]) -> list[CustomObjectRecord]:
    if not include_attributes:
        return records
    wanted = {name.lower() for name in include_attributes}
    return [CustomObjectRecord(r.lead_id, r.key, {n: v for n, v in r.attributes.items() if n.lower() in wanted},
                               r.seq, r.created_at, r.updated_at) for r in records]
