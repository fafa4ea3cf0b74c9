"""AssetRepository and ListMemberRepository: an instance's run-time marketing assets and its static-list
memberships, inside the transaction of the LeadRepository that owns them (`repo.marketing`)."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from mockmarketo.store import tables as t

_a = t.assets.c
_ROWS = (select(_a.data, _a.created_at, _a.updated_at)
         .where(_a.instance == bindparam("instance"), _a.kind == bindparam("kind")).order_by(_a.id))
_EXISTS = select(_a.id).where(_a.instance == bindparam("instance"), _a.kind == bindparam("kind"),
                              _a.id == bindparam("id"))
_UPDATE = (update(t.assets).where(_a.instance == bindparam("b_instance"), _a.kind == bindparam("b_kind"),
                                  _a.id == bindparam("b_id"))
           .values(name=bindparam("name"), data=bindparam("data"), updated_at=bindparam("updated_at")))

_m = t.list_members.c
_MEMBERS = (select(_m.lead_id).where(_m.instance == bindparam("instance"), _m.list_id == bindparam("list_id"))
            .order_by(_m.lead_id))
_MEMBERS_AMONG = select(_m.lead_id).where(_m.instance == bindparam("instance"), _m.list_id == bindparam("list_id"),
                                          _m.lead_id.in_(bindparam("lead_ids", expanding=True)))
_ADD = insert(t.list_members)
_REMOVE = delete(t.list_members).where(_m.instance == bindparam("instance"), _m.list_id == bindparam("list_id"),
                                       _m.lead_id.in_(bindparam("lead_ids", expanding=True)))
_OF_LEADS = select(_m.list_id, _m.lead_id, _m.added_at).where(
    _m.instance == bindparam("instance"), _m.lead_id.in_(bindparam("lead_ids", expanding=True)))


class AssetRepository:
    """Programs, static lists and campaigns added at run time, as plain data (domain.assets.asset_data)."""

    def __init__(self, conn: Connection, instance: str, lock):
        self._conn = conn
        self.instance = instance
        self._lock = lock

    def rows(self, kind: str) -> list[tuple[dict, datetime | None, datetime | None]]:
        """(data, created_at, updated_at) of every stored asset of a kind, by id."""
        found = self._conn.execute(_ROWS, {"instance": self.instance, "kind": kind}).all()
        return [(json.loads(row.data), row.created_at, row.updated_at) for row in found]

    def put(self, kind: str, asset_id: int, name: str, data: dict, created_at: datetime | None,
            updated_at: datetime | None) -> None:
        """Insert the asset, or replace the stored one of this id."""
        self._lock()
        text = json.dumps(data, separators=(",", ":"))
        if self._conn.execute(_EXISTS, {"instance": self.instance, "kind": kind, "id": asset_id}).first():
            self._conn.execute(_UPDATE, {"b_instance": self.instance, "b_kind": kind, "b_id": asset_id,
                                         "name": name, "data": text, "updated_at": updated_at})
        else:
            self._conn.execute(insert(t.assets), {"instance": self.instance, "kind": kind, "id": asset_id,
                                                  "name": name, "data": text, "created_at": created_at,
                                                  "updated_at": updated_at})

    def delete_all(self) -> None:
        self._conn.execute(delete(t.assets).where(_a.instance == self.instance))


class ListMemberRepository:
    """Which leads are in which static list (by list id)."""

    def __init__(self, conn: Connection, instance: str, lock):
        self._conn = conn
        self.instance = instance
        self._lock = lock

    def members(self, list_id: int) -> list[int]:
        """The ids of the list's leads, ascending."""
        return list(self._conn.execute(_MEMBERS, {"instance": self.instance, "list_id": list_id}).scalars())

    def members_among(self, list_id: int, lead_ids: list[int]) -> set[int]:
        if not lead_ids:
            return set()
        return set(self._conn.execute(_MEMBERS_AMONG, {"instance": self.instance, "list_id": list_id,
                                                       "lead_ids": lead_ids}).scalars())

    def add(self, list_id: int, lead_ids: list[int], at: datetime) -> None:
        """Add leads that are not members yet (the caller checked)."""
        if lead_ids:
            self._lock()
            self._conn.execute(_ADD, [{"instance": self.instance, "list_id": list_id, "lead_id": lead_id,
                                       "added_at": at} for lead_id in lead_ids])

    def remove(self, list_id: int, lead_ids: list[int]) -> None:
        if lead_ids:
            self._lock()
            self._conn.execute(_REMOVE, {"instance": self.instance, "list_id": list_id, "lead_ids": lead_ids})

    def of_leads(self, lead_ids: list[int]) -> list[tuple[int, int, datetime]]:
        """(list id, lead id, added at) of every membership of these leads."""
        rows = self._conn.execute(_OF_LEADS, {"instance": self.instance, "lead_ids": lead_ids}).all()
        return [(row.list_id, row.lead_id, row.added_at) for row in rows]

    def delete_all(self) -> None:
        self._conn.execute(delete(t.list_members).where(_m.instance == self.instance))
