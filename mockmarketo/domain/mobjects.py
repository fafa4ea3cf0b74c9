"""MObjects: syncMObjects, getMObjects and deleteMObjects over the types of domain.mobject_types
(facts-more-ops §11.1-§11.3).

Objects have a per-instance, per-type id that Marketo assigns, an optional external key (name/value;
not unique: where several objects share one, the most recently added is the one meant), attributes of
the type's attrTypes (names compared without regard to case) and, for types that keep them, stored
associations (Company of an Opportunity).

syncMObjects (at most 100 objects, in request order): INSERT creates (an id is refused: Marketo assigns
ids), UPDATE changes the object its id or external key names, UPSERT does either (an id must name an
existing object). Outcomes CREATED, UPDATED, UNCHANGED (nothing differs) or FAILED with the reason; a
failing object changes nothing. A type that is unknown or not emulated faults the whole call.
getMObjects: by id, external key, criteria (ANDed; numbers, dates and booleans compared by value, text
without regard to case; an object without the attribute matches only NE) and associations; ascending
id, 100 at a time, `hasMore` and an opaque `newStreamPosition`. deleteMObjects: DELETED, or UNCHANGED
for an object that does not exist; an opportunity's roles go with it.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import normalised
from mockmarketo.domain.leads import XS_INT_MAX, Lead
from mockmarketo.domain.mobject_types import TYPES, Association, MObjectType, mobject_type
from mockmarketo.domain.program_mobjects import CRITERIA as PROGRAM_CRITERIA
from mockmarketo.domain.program_mobjects import Programs, ProgramUpdateFailed, program_mobjects, update_program
from mockmarketo.domain.seeding import SeedConflict, SeedError
from mockmarketo.domain.values import comparable

MAX_SYNC = 100
BATCH_SIZE = 100
OPERATIONS = ("UPSERT", "INSERT", "UPDATE")
COMPARISONS = ("EQ", "NE", "LT", "LE", "GT", "GE")
LEAD = "Lead"
# criteria on what every object has, by their name in Marketo's docs
_ID, _CREATED, _UPDATED = "Id", "Created At", "Updated At"
# externalKey names that find a lead (the blog's `FSPID`: its ForeignSysPersonId)
_LEAD_KEYS = {"fspid": "foreign", "foreignsyspersonid": "foreign", "email": "email", "id": "id", "idnum": "id"}

ExternalKey = tuple[str, str]


@dataclass(frozen=True)
class AssociationRef:
    """An mObjAssociation: an object type and its id or external key."""

    type: str
    id: int | None = None
    external_key: ExternalKey | None = None


@dataclass
class MObject:
    type: str
    id: int
    external_key: ExternalKey | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    associations: list[AssociationRef] = field(default_factory=list)
    created_at: datetime | None = None
    updated_at: datetime | None = None
    # typeAttribList (Program only): (attrType, its name/value pairs)
    type_attributes: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)


@dataclass(frozen=True)
class MObjectInput:
    """One mObject of a sync or delete call, as sent."""

    type: str | None
    id: int | None = None
    external_key: ExternalKey | None = None
    attributes: list[tuple[str | None, str | None]] = field(default_factory=list)
    associations: list[AssociationRef] = field(default_factory=list)
    type_attributes: list[tuple[str | None, list[tuple[str | None, str | None]]]] = field(default_factory=list)


@dataclass(frozen=True)
class MObjectStatus:
    id: int
    status: str  # CREATED, UPDATED, UNCHANGED, DELETED or FAILED
    external_key: ExternalKey | None = None
    error: str | None = None


@dataclass(frozen=True)
class Criterion:
    attr_name: str | None
    comparison: str | None
    value: str | None


@dataclass(frozen=True)
class MObjectQuery:
    type: str | None
    id: int | None = None
    external_key: ExternalKey | None = None
    criteria: list[Criterion] = field(default_factory=list)
    associations: list[AssociationRef] = field(default_factory=list)
    stream_position: str | None = None


@dataclass(frozen=True)
class MObjectPage:
    objects: list[MObject]
    has_more: bool
    stream_position: str


class _Failed(Exception):
    """An object that cannot be synced: reported FAILED with this text."""


# ---- finding objects and leads ---------------------------------------------------------------------------

def _find(repo, object_type: MObjectType, object_id: int | None, external_key: ExternalKey | None) -> MObject | None:
    if object_id is not None:
        return repo.by_id(object_type, object_id) if 0 < object_id <= XS_INT_MAX else None
    if external_key is not None:
        return repo.by_external_key(object_type, *external_key)
    return None


def _find_lead(repo, association: AssociationRef) -> Lead | None:
    if association.id is not None:
        return repo.leads.by_id(association.id) if 0 < association.id <= XS_INT_MAX else None
    name, value = association.external_key
    kind = _LEAD_KEYS.get(name.strip().lower())
    if kind is None:
        raise ValueError(f"a Lead's externalKey name must be FSPID, ForeignSysPersonId, Email or Id, not {name!r}")
    if kind == "foreign":
        return repo.leads.by_foreign_id(value.strip())
    if kind == "email":
        found = repo.leads.by_email(value.strip())
        return found[0] if found else None
    try:
        lead_id = int(value.strip())
    except ValueError:
        return None
    return repo.leads.by_id(lead_id) if 0 < lead_id <= XS_INT_MAX else None


def _associated_id(repo, association: AssociationRef) -> int | None:
    """The id of the lead or object an association names; None if none; ValueError if it cannot name one."""
    if association.id is None and association.external_key is None:
        raise ValueError(f"the {association.type} association needs an id or an externalKey")
    if association.type.lower() == LEAD.lower():
        lead = _find_lead(repo, association)
        return lead.id if lead is not None else None
    target = next((t for name, t in TYPES.items() if name.lower() == association.type.lower()), None)
    if target is None or target.asset:
        raise ValueError(f"unknown associated object type {association.type!r}")
    found = _find(repo, target, association.id, association.external_key)
    return found.id if found is not None else None


def _association(object_type: MObjectType, name: str) -> tuple[str, Association] | None:
    return next(((key, a) for key, a in object_type.associations.items() if key.lower() == name.lower()), None)


def _describe_ref(association: AssociationRef) -> str:
    if association.id is not None:
        return f"{association.type} {association.id}"
    return f"{association.type} with {association.external_key[0]} = {association.external_key[1]}"


# ---- syncMObjects ----------------------------------------------------------------------------------------

def sync_mobjects(repo, objects: list[MObjectInput], operation: str | None,
                  programs: Programs | None = None) -> list[MObjectStatus]:
    """Sync every object in the caller's write transaction (`repo`: a store MObjectRepository; `programs`:
    the programs Program objects update, in the same transaction)."""
    if operation is None or not operation.strip():
        raise MarketoError(20109, "syncMObjects: operation is required (INSERT, UPDATE or UPSERT)")
    operation = operation.strip().upper()
    if operation not in OPERATIONS:
        raise MarketoError(20110, f"operation must be one of {', '.join(OPERATIONS)}, not {operation!r}")
    if len(objects) > MAX_SYNC:
        raise MarketoError(20110, f"syncMObjects: mObjectList holds {len(objects)} objects; at most {MAX_SYNC} "
                                  "are allowed")
    types = [mobject_type(item.type, "syncMObjects") for item in objects]
    statuses = []
    for object_type, item in zip(types, objects):
        try:
            if object_type.asset:
                found_id, status = update_program(programs.catalogue, item, operation, programs.now)
            else:
                found_id, status = _sync_one(repo, object_type, item, operation)
        except (_Failed, ProgramUpdateFailed) as failure:
            statuses.append(MObjectStatus(item.id or 0, "FAILED", item.external_key, str(failure)))
        else:
            statuses.append(MObjectStatus(found_id, status, item.external_key))
    return statuses


def _sync_one(repo, object_type: MObjectType, item: MObjectInput, operation: str) -> tuple[int, str]:
    if item.type_attributes:
        raise _Failed("typeAttribList applies to Program MObjects only")
    _check_external_key(item)
    attributes = _attributes(object_type, item.attributes)
    stored = _apply_associations(repo, object_type, item.associations, attributes)
    if operation == "INSERT" and item.id is not None:
        raise _Failed(f"INSERT takes no id: Marketo assigns the ids of new {object_type.name} objects")
    existing = _find(repo, object_type, item.id, item.external_key)
    if existing is None and item.id is not None:
        raise _Failed(f"{object_type.name} {item.id} not found")
    if existing is None and operation == "UPDATE":
        if item.external_key is None:
            raise _Failed("UPDATE needs the id or the externalKey of the object")
        raise _Failed(f"{object_type.name} with {item.external_key[0]} = {item.external_key[1]} not found")
    if existing is None or operation == "INSERT":
        created = repo.create(object_type, _new_object(repo, object_type, item, attributes, stored))
        return created.id, "CREATED"
    values = dict(existing.attributes)
    for name, value in attributes.items():
        if value == "":
            values.pop(name, None)
        else:
            values[name] = value
    _check_references(repo, object_type, values)
    external_key = item.external_key if item.external_key is not None else existing.external_key
    associations = stored if stored is not None else existing.associations
    if (values, external_key, associations) == (existing.attributes, existing.external_key, existing.associations):
        return existing.id, "UNCHANGED"
    existing.attributes, existing.external_key, existing.associations = values, external_key, associations
    repo.save(object_type, existing)
    return existing.id, "UPDATED"


def _check_external_key(item: MObjectInput) -> None:
    if item.external_key is not None and not (item.external_key[0].strip() and item.external_key[1].strip()):
        raise _Failed("externalKey needs a name and a value")


def _new_object(repo, object_type: MObjectType, item: MObjectInput, attributes: dict[str, str],
                stored: list[AssociationRef] | None) -> MObject:
    values = {name: value for name, value in attributes.items() if value != ""}
    _check_references(repo, object_type, values)
    return MObject(object_type.name, 0, item.external_key, values, stored or [])


def seed_mobject(repo, object_type: MObjectType, item: MObjectInput, created_at: datetime | None = None,
                 updated_at: datetime | None = None) -> MObject:
    """Store one object as a test describes it (the control API): checked as syncMObjects checks an INSERT,
    but an id may be given; SeedError if it is not valid, SeedConflict if the id is taken."""
    try:
        _check_external_key(item)
        attributes = _attributes(object_type, item.attributes)
        new = _new_object(repo, object_type, item, attributes,
                          _apply_associations(repo, object_type, item.associations, attributes))
    except _Failed as failure:
        raise SeedError(str(failure)) from None
    if item.id is not None:
        if repo.by_id(object_type, item.id) is not None:
            raise SeedConflict(f"{object_type.name} id {item.id} is taken")
        new.id = item.id
    new.created_at, new.updated_at = created_at, updated_at
    return repo.create(object_type, new)


def _attributes(object_type: MObjectType, pairs) -> dict[str, str]:
    """An attribList as stored values by attribute name; FAILED naming unknown names or a bad value."""
    if any(name is None or not name.strip() for name, _ in pairs):
        raise _Failed("An attrib has no name")
    unknown = list(dict.fromkeys(name for name, _ in pairs if object_type.field_named(name) is None))
    if unknown:
        raise _Failed(f"Unknown attribute of {object_type.name}: {', '.join(unknown)} (known: "
                      f"{', '.join(object_type.fields)})")
    values = {}
    for name, value in pairs:
        known = object_type.field_named(name)
        try:
            values[known] = normalised(object_type.fields[known], value or "")
        except ValueError as error:
            raise _Failed(f"Value {value!r} of attribute {known} is not {error}") from None
    return values


def _apply_associations(repo, object_type: MObjectType, associations: list[AssociationRef],
                        attributes: dict[str, str]) -> list[AssociationRef] | None:
    """Set the attributes the associations stand for; the stored ones (None if none was sent)."""
    stored = []
    for association in associations:
        found = _association(object_type, association.type)
        if found is None or found[1].via is not None:
            allowed = [name for name, a in object_type.associations.items() if a.via is None]
            raise _Failed(f"{object_type.name} takes no {association.type} association (it takes: "
                          f"{', '.join(allowed) or 'none'})")
        name, meaning = found
        if association.id is None and association.external_key is None:
            raise _Failed(f"the {name} association needs an id or an externalKey")
        if meaning.stored:
            stored.append(AssociationRef(name, association.id, association.external_key))
            continue
        try:
            target = _associated_id(repo, association)
        except ValueError as error:
            raise _Failed(str(error)) from None
        if target is None:
            raise _Failed(f"No {_describe_ref(association)} found")
        given = attributes.get(meaning.attribute)
        if given not in (None, "") and given != str(target):
            raise _Failed(f"{meaning.attribute} {given} and the {name} association ({target}) disagree")
        attributes[meaning.attribute] = str(target)
    return stored if stored else None


def _check_references(repo, object_type: MObjectType, values: dict[str, str]) -> None:
    missing = [name for name in object_type.required if name not in values]
    if missing:
        raise _Failed(f"Missing required attribute of {object_type.name}: {', '.join(missing)}")
    if object_type.lead_field and object_type.lead_field in values:
        lead_id = int(values[object_type.lead_field])
        if not 0 < lead_id <= XS_INT_MAX or repo.leads.by_id(lead_id) is None:
            raise _Failed(f"No lead found with {object_type.lead_field} = {lead_id}")
    if object_type.parent and object_type.parent[0] in values:
        attribute, parent_type = object_type.parent
        parent_id = int(values[attribute])
        if _find(repo, TYPES[parent_type], parent_id, None) is None:
            raise _Failed(f"No {parent_type} found with {attribute} = {parent_id}")


# ---- deleteMObjects --------------------------------------------------------------------------------------

def delete_mobjects(repo, objects: list[MObjectInput]) -> list[MObjectStatus]:
    types = [mobject_type(item.type, "deleteMObjects") for item in objects]
    statuses = []
    for object_type, item in zip(types, objects):
        if item.id is None and item.external_key is None:
            statuses.append(MObjectStatus(0, "FAILED", None, "deleteMObjects needs the id or the externalKey "
                                                             "of the object"))
            continue
        found = _find(repo, object_type, item.id, item.external_key)
        if found is None:
            what = f"{item.id}" if item.id is not None else f"with {item.external_key[0]} = {item.external_key[1]}"
            statuses.append(MObjectStatus(item.id or 0, "UNCHANGED", item.external_key,
                                          f"{object_type.name} {what} not found"))
            continue
        repo.delete(object_type, found)
        statuses.append(MObjectStatus(found.id, "DELETED", item.external_key))
    return statuses


# ---- getMObjects -----------------------------------------------------------------------------------------

def get_mobjects(repo, query: MObjectQuery, programs: Programs | None = None) -> MObjectPage:
    """One page (up to 100, ascending id) of the objects `query` selects (`programs`: what Program
    objects are read from)."""
    object_type = mobject_type(query.type, "getMObjects")
    tests = [_criterion_test(object_type, criterion) for criterion in query.criteria]
    tests += [_association_test(repo, object_type, association) for association in query.associations]
    digest = _digest(object_type, query)
    after_id = _read_position(query.stream_position, object_type, digest)
    if object_type.asset:
        candidates = (o for o in program_mobjects(programs.catalogue, programs.workspaces)
                      if o.id > after_id and (query.id is None or o.id == query.id) and query.external_key is None)
    elif query.id is not None or query.external_key is not None:
        found = _find(repo, object_type, query.id, query.external_key)
        candidates = iter([found] if found is not None and found.id > after_id else [])
    else:
        candidates = repo.iterate(object_type, after_id)
    matching = []
    for candidate in candidates:  # in id order: read no further than one past the page
        if all(test(candidate) for test in tests):
            matching.append(candidate)
            if len(matching) > BATCH_SIZE:
                break
    page = matching[:BATCH_SIZE]
    last_id = page[-1].id if page else after_id
    return MObjectPage(page, len(matching) > len(page), _position(object_type, digest, last_id))


def _criterion_test(object_type: MObjectType, criterion: Criterion):
    """A predicate on objects for one mObjCriteria; 20110 for what cannot be compared."""
    if criterion.attr_name is None or not criterion.attr_name.strip():
        raise MarketoError(20109, "mObjCriteria: attrName is required")
    comparison = (criterion.comparison or "").strip().upper()
    if comparison not in COMPARISONS:
        raise MarketoError(20110, f"mObjCriteria {criterion.attr_name}: comparison must be one of "
                                  f"{', '.join(COMPARISONS)}, not {criterion.comparison!r}")
    wanted = "".join(criterion.attr_name.split()).lower()
    criteria = PROGRAM_CRITERIA if object_type.asset else _criteria(object_type)
    found = next(((name, kind) for name, kind in criteria.items() if "".join(name.split()).lower() == wanted), None)
    if found is None:
        raise MarketoError(20110, f"mObjCriteria: {object_type.name} has no attribute {criterion.attr_name!r} "
                                  f"(known: {', '.join(criteria)})")
    name, (attr_type, values_of) = found
    if criterion.value is None:
        raise MarketoError(20109, f"mObjCriteria {name}: attrValue is required")
    try:
        expected = comparable(attr_type, criterion.value)
    except ValueError as error:
        raise MarketoError(20110, f"mObjCriteria {name}: {error}") from None
    if values_of is None:  # a criterion that is checked but selects nothing away
        return lambda mobject: True

    def test(mobject: MObject) -> bool:
        actuals = [comparable(attr_type, value) for value in values_of(mobject) if value not in (None, "")]
        if comparison == "NE":  # an object without the attribute matches only NE
            return all(actual != expected for actual in actuals)
        return any({"EQ": actual == expected, "LT": actual < expected, "LE": actual <= expected,
                    "GT": actual > expected, "GE": actual >= expected}[comparison] for actual in actuals)
    return test


def _criteria(object_type: MObjectType) -> dict[str, tuple[str, Callable]]:
    """The criteria of a stored type: name -> (attrType, the values an object has for it)."""
    criteria = {_ID: ("integer", lambda o: [str(o.id)]),
                _CREATED: ("datetime", lambda o: [_utc(o.created_at)]),
                _UPDATED: ("datetime", lambda o: [_utc(o.updated_at)])}
    criteria.update((name, (attr_type, lambda o, name=name: [o.attributes.get(name)]))
                    for name, attr_type in object_type.fields.items())
    return criteria



def _association_test(repo, object_type: MObjectType, association: AssociationRef):
    """A predicate on objects for one mObjAssociation; 20110 for an association the type does not have."""
    found = _association(object_type, association.type)
    if found is None:
        raise MarketoError(20110, f"mObjAssociation: {object_type.name} has no {association.type} association "
                                  f"(it has: {', '.join(object_type.associations) or 'none'})")
    _, meaning = found
    if meaning.stored:
        return lambda o: any(_same_ref(ref, association) for ref in o.associations)
    try:
        target = _associated_id(repo, association)
    except ValueError as error:
        raise MarketoError(20110, f"mObjAssociation: {error}") from None
    if target is None:
        return lambda o: False
    if meaning.attribute is not None:
        return lambda o: o.attributes.get(meaning.attribute) == str(target)
    via_type, via_attribute, via_target = meaning.via
    ids = {o.attributes.get(via_target) for o in repo.all(TYPES[via_type])
           if o.attributes.get(via_attribute) == str(target)}
    return lambda o: str(o.id) in ids


def _same_ref(stored: AssociationRef, wanted: AssociationRef) -> bool:
    if stored.type.lower() != wanted.type.lower():
        return False
    if wanted.id is not None:
        return stored.id == wanted.id
    if wanted.external_key is None or stored.external_key is None:
        return False
    return (stored.external_key[0].lower(), stored.external_key[1]) == (wanted.external_key[0].lower(),
                                                                         wanted.external_key[1])


def _utc(moment: datetime | None) -> str | None:
    return None if moment is None else moment.replace(tzinfo=timezone.utc).isoformat()


def _digest(object_type: MObjectType, query: MObjectQuery) -> str:
    """What a stream position records of its query, so that it is refused for another one."""
    what = [object_type.name, query.id, query.external_key,
            [(c.attr_name, c.comparison, c.value) for c in query.criteria],
            [(a.type, a.id, a.external_key) for a in query.associations]]
    return hashlib.sha1(json.dumps(what).encode()).hexdigest()[:16]


def _position(object_type: MObjectType, digest: str, last_id: int) -> str:
    data = json.dumps({"type": object_type.name, "query": digest, "after": last_id}, separators=(",", ":"))
    return base64.b64encode(data.encode()).decode()


def _read_position(position: str | None, object_type: MObjectType, digest: str) -> int:
    """The last id the previous page returned (0 from the start); 20122 for a position of another query."""
    if position is None or not position.strip():
        return 0
    try:
        data = json.loads(base64.b64decode(position.strip(), validate=True))
        after = data["after"]
        valid = isinstance(after, int) and not isinstance(after, bool) and after >= 0
    except (ValueError, TypeError, KeyError):
        valid = False
    if not valid or data.get("type") != object_type.name:
        raise MarketoError(20122, f"Stream position {position!r} is not one getMObjects issued for "
                                  f"{object_type.name}")
    if data.get("query") != digest:
        raise MarketoError(20122, f"Stream position {position!r} was issued for other criteria")
    return after
