"""MObjectRepository: one instance's MObjects (opportunities, their person roles, ...), inside a LeadStore
transaction (the same connection and write lock as its leads).

The attribute of a type that names a lead (a role's PersonId) and the one that names its parent object
(a role's OpportunityId) are kept in columns with foreign keys, so that an object goes with its lead or
parent; the other attributes are a JSON object. Ids come from a per-instance, per-type sequence and are
never reused.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

from sqlalchemy import bindparam, delete, insert, select, update

from mockmarketo.domain.mobject_types import MObjectType
from mockmarketo.domain.mobjects import AssociationRef, MObject
from mockmarketo.store import tables as t
from mockmarketo.domain.activities import utc_now
from mockmarketo.store.lead_store import LeadRepository

_c = t.mobjects.c
_OF_TYPE = select(t.mobjects).where(_c.instance == bindparam("instance"), _c.type == bindparam("type"))
_ALL = _OF_TYPE.order_by(_c.id)
_AFTER = _OF_TYPE.where(_c.id > bindparam("after")).order_by(_c.id).limit(bindparam("chunk"))
_BY_ID = _OF_TYPE.where(_c.id == bindparam("id"))
_BY_EXTERNAL_KEY = _OF_TYPE.where(_c.external_key_value == bindparam("value")).order_by(_c.id.desc())
_NEXT_ID = select(t.mobject_ids.c.next_id).where(t.mobject_ids.c.instance == bindparam("instance"),
                                                 t.mobject_ids.c.type == bindparam("type"))
_SET_NEXT_ID = update(t.mobject_ids).where(t.mobject_ids.c.instance == bindparam("b_instance"),
                                           t.mobject_ids.c.type == bindparam("b_type")).values(
    next_id=bindparam("next_id"))
_COLUMNS = ("external_key_name", "external_key_value", "lead_id", "parent_type", "parent_id", "attributes",
            "associations", "created_at", "updated_at")
_INSERT = insert(t.mobjects)
_UPDATE = update(t.mobjects).where(_c.instance == bindparam("b_instance"), _c.type == bindparam("b_type"),
                                   _c.id == bindparam("b_id")).values({name: bindparam(name) for name in _COLUMNS})
_DELETE = delete(t.mobjects).where(_c.instance == bindparam("instance"), _c.type == bindparam("type"),
                                   _c.id == bindparam("id"))


class MObjectRepository:
    def __init__(self, leads: LeadRepository):
        self.leads = leads
        self.instance = leads.instance
        self._conn = leads.connection

    def by_id(self, object_type: MObjectType, object_id: int) -> MObject | None:
        row = self._conn.execute(_BY_ID, self._params(object_type, id=object_id)).first()
        return None if row is None else _mobject(object_type, row)

    def by_external_key(self, object_type: MObjectType, name: str, value: str) -> MObject | None:
        """The most recently added object with this external key (names compared without regard to case)."""
        for row in self._conn.execute(_BY_EXTERNAL_KEY, self._params(object_type, value=value)):
            if (row.external_key_name or "").lower() == name.strip().lower():
                return _mobject(object_type, row)
        return None

    def all(self, object_type: MObjectType) -> list[MObject]:
        """Every object of the type, ascending id."""
        return [_mobject(object_type, row) for row in self._conn.execute(_ALL, self._params(object_type))]

    def iterate(self, object_type: MObjectType, after_id: int = 0, chunk: int = 200) -> Iterator[MObject]:
        """The objects of the type with an id above `after_id`, ascending id, read `chunk` rows at a time
        (a caller that stops early reads no more)."""
        while True:
            rows = self._conn.execute(_AFTER, self._params(object_type, after=after_id, chunk=chunk)).all()
            yield from (_mobject(object_type, row) for row in rows)
            if len(rows) < chunk:
                return
            after_id = rows[-1].id

    def create(self, object_type: MObjectType, mobject: MObject) -> MObject:
        """Insert an object; an id of 0 takes the type's next id, an explicit one moves the sequence past it."""
        self.leads.lock()
        params = self._params(object_type)
        next_id = self._conn.execute(_NEXT_ID, params).scalar()
        if next_id is None:
            next_id = 1
            self._conn.execute(insert(t.mobject_ids).values(instance=self.instance, type=object_type.name,
                                                            next_id=next_id))
        mobject.id = mobject.id or next_id
        mobject.created_at = mobject.created_at or utc_now()
        mobject.updated_at = mobject.updated_at or mobject.created_at
        self._conn.execute(_INSERT, {**params, "id": mobject.id, **_row(object_type, mobject)})
        self._conn.execute(_SET_NEXT_ID, {"b_instance": self.instance, "b_type": object_type.name,
                                          "next_id": max(next_id, mobject.id + 1)})
        return mobject

    def save(self, object_type: MObjectType, mobject: MObject) -> MObject:
        self.leads.lock()
        mobject.updated_at = utc_now()
        self._conn.execute(_UPDATE, {"b_instance": self.instance, "b_type": object_type.name, "b_id": mobject.id,
                                     **_row(object_type, mobject)})
        return mobject

    def delete(self, object_type: MObjectType, mobject: MObject) -> None:
        """Delete an object and the objects that belong to it."""
        self.leads.lock()
        self._conn.execute(_DELETE, self._params(object_type, id=mobject.id))

    def delete_all(self, object_type: MObjectType) -> int:
        """Delete every object of the type (and what belongs to them); how many there were."""
        self.leads.lock()
        result = self._conn.execute(delete(t.mobjects).where(_c.instance == self.instance,
                                                             _c.type == object_type.name))
        return result.rowcount

    def _params(self, object_type: MObjectType, **more) -> dict:
        return {"instance": self.instance, "type": object_type.name, **more}


def _row(object_type: MObjectType, mobject: MObject) -> dict:
    attributes = dict(mobject.attributes)
    lead_id = attributes.pop(object_type.lead_field, None) if object_type.lead_field else None
    parent_id = attributes.pop(object_type.parent[0], None) if object_type.parent else None
    key_name, key_value = mobject.external_key or (None, None)
    return {
        "external_key_name": key_name, "external_key_value": key_value,
        "lead_id": int(lead_id) if lead_id is not None else None,
        "parent_type": object_type.parent[1] if parent_id is not None else None,
        "parent_id": int(parent_id) if parent_id is not None else None,
        "attributes": json.dumps(attributes, separators=(",", ":"), sort_keys=True, ensure_ascii=False),
        "associations": json.dumps([[a.type, a.id, list(a.external_key) if a.external_key else None]
                                    for a in mobject.associations], separators=(",", ":"), ensure_ascii=False),
        "created_at": mobject.created_at, "updated_at": mobject.updated_at,
    }


def _mobject(object_type: MObjectType, row) -> MObject:
    attributes = json.loads(row.attributes)
    if object_type.lead_field and row.lead_id is not None:
        attributes[object_type.lead_field] = str(row.lead_id)
    if object_type.parent and row.parent_id is not None:
        attributes[object_type.parent[0]] = str(row.parent_id)
    associations = [AssociationRef(kind, object_id, tuple(key) if key else None)
                    for kind, object_id, key in json.loads(row.associations)]
    external_key = (row.external_key_name, row.external_key_value) if row.external_key_name is not None else None
    return MObject(object_type.name, row.id, external_key, attributes, associations, row.created_at, row.updated_at)
