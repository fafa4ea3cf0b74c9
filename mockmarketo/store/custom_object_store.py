"""CustomObjectRepository: one instance's custom object records, inside a LeadStore transaction (the same
connection and write lock as its leads).

Records are found by type, by the definition of the type's keys they were written under (so records
written under another definition of a type stay out of sight), by key and, when the link is a dedupe
field, by lead.
"""

from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update

from mockmarketo.domain.custom_object_types import CustomObjectType
from mockmarketo.domain.custom_objects import CustomObjectRecord
from mockmarketo.store import tables as t
from mockmarketo.domain.activities import utc_now
from mockmarketo.store.lead_store import LeadRepository

_c = t.custom_objects.c
_OF_TYPE = select(t.custom_objects).where(
    _c.instance == bindparam("instance"), _c.object_type == bindparam("object_type"),
    _c.definition == bindparam("definition")).order_by(_c.seq)
_BY_KEY = _OF_TYPE.where(_c.key == bindparam("key"))
_BY_KEY_AND_LEAD = _BY_KEY.where(_c.lead_id == bindparam("lead_id"))
_OF_LEAD = _OF_TYPE.where(_c.lead_id == bindparam("lead_id"))
_KEYS_OF_TYPE = select(_c.seq, _c.lead_id, _c.key).where(
    _c.instance == bindparam("instance"), _c.object_type == bindparam("object_type"),
    _c.definition == bindparam("definition"))
_KEYS_OF_LEAD = _KEYS_OF_TYPE.where(_c.lead_id == bindparam("lead_id"))
_BY_SEQS = select(t.custom_objects).where(_c.seq.in_(bindparam("seqs", expanding=True)))
_INSERT = insert(t.custom_objects)
_UPDATE = update(t.custom_objects).where(_c.seq == bindparam("b_seq")).values(
    lead_id=bindparam("lead_id"), attributes=bindparam("attributes"), updated_at=bindparam("updated_at"))
_DELETE = delete(t.custom_objects).where(_c.seq == bindparam("b_seq"))


def key_text(key: tuple[str, ...]) -> str:
    return json.dumps(list(key), separators=(",", ":"), ensure_ascii=False)


def _json(values: dict) -> str:
    return json.dumps(values, separators=(",", ":"), sort_keys=True, ensure_ascii=False)


class CustomObjectRepository:
    def __init__(self, leads: LeadRepository):
        self.leads = leads
        self.instance = leads.instance
        self._conn = leads.connection

    def lead_exists(self, lead_id: int) -> bool:
        return self.leads.by_id(lead_id) is not None

    def _params(self, object_type: CustomObjectType, **more) -> dict:
        return {"instance": self.instance, "object_type": object_type.name.lower(),
                "definition": object_type.definition, **more}

    def find(self, object_type: CustomObjectType, key: tuple[str, ...],
             lead_id: int | None = None) -> CustomObjectRecord | None:
        """The record of this key (and lead, when given), or None."""
        statement = _BY_KEY if lead_id is None else _BY_KEY_AND_LEAD
        params = self._params(object_type, key=key_text(key), **({} if lead_id is None else {"lead_id": lead_id}))
        row = self._conn.execute(statement, params).first()
        return None if row is None else _record(row)

    def all(self, object_type: CustomObjectType, lead_id: int | None = None) -> list[CustomObjectRecord]:
        """Every record of the type (of one lead, when given), oldest first."""
        statement = _OF_TYPE if lead_id is None else _OF_LEAD
        params = self._params(object_type, **({} if lead_id is None else {"lead_id": lead_id}))
        return [_record(row) for row in self._conn.execute(statement, params)]

    def keys(self, object_type: CustomObjectType, lead_id: int | None = None) -> list[tuple[int, int, tuple]]:
        """(seq, lead id, key) of every record of the type (of one lead, when given): what ordering and
        paging need, without reading whole records."""
        statement = _KEYS_OF_TYPE if lead_id is None else _KEYS_OF_LEAD
        params = self._params(object_type, **({} if lead_id is None else {"lead_id": lead_id}))
        return [(row.seq, row.lead_id, tuple(json.loads(row.key))) for row in self._conn.execute(statement, params)]

    def by_seqs(self, seqs: list[int]) -> list[CustomObjectRecord]:
        """The records of these seqs, in the order given."""
        if not seqs:
            return []
        found = {row.seq: _record(row) for row in self._conn.execute(_BY_SEQS, {"seqs": seqs})}
        return [found[seq] for seq in seqs if seq in found]

    def create(self, object_type: CustomObjectType, record: CustomObjectRecord) -> CustomObjectRecord:
        self.leads.lock()
        now = utc_now()
        record.created_at = record.created_at or now
        record.updated_at = record.updated_at or record.created_at
        result = self._conn.execute(_INSERT, self._params(
            object_type, lead_id=record.lead_id, key=key_text(record.key), attributes=_json(record.attributes),
            created_at=record.created_at, updated_at=record.updated_at))
        record.seq = result.inserted_primary_key[0]
        return record

    def save(self, object_type: CustomObjectType, record: CustomObjectRecord) -> CustomObjectRecord:
        self.leads.lock()
        record.updated_at = utc_now()
        self._conn.execute(_UPDATE, {"b_seq": record.seq, "lead_id": record.lead_id,
                                     "attributes": _json(record.attributes), "updated_at": record.updated_at})
        return record

    def delete(self, record: CustomObjectRecord) -> None:
        self.leads.lock()
        self._conn.execute(_DELETE, {"b_seq": record.seq})

    def delete_all(self, object_type: CustomObjectType) -> int:
        """Delete every record of the type (under any definition); how many there were."""
        self.leads.lock()
        result = self._conn.execute(delete(t.custom_objects).where(
            _c.instance == self.instance, _c.object_type == object_type.name.lower()))
        return result.rowcount


def _record(row) -> CustomObjectRecord:
    return CustomObjectRecord(lead_id=row.lead_id, key=tuple(json.loads(row.key)),
                              attributes=json.loads(row.attributes), seq=row.seq,
                              created_at=row.created_at, updated_at=row.updated_at)
