"""ActivityRepository: the activity log of one instance inside one store transaction.

It shares the transaction (and the instance's write lock) of the LeadRepository that owns it
(`repo.activities`): an activity commits with the change that caused it, or not at all.

Reading (`select`, `count`) orders activities by (time, id), oldest or newest first, and resumes after
an anchor (the (time, id) of the last activity a page returned): the stream getLeadActivity and
getLeadChanges page through. Each shape of query is built once and cached, with bind parameters.
"""

from __future__ import annotations

import json
from datetime import datetime
from functools import lru_cache

from sqlalchemy import and_, bindparam, delete, func, insert, or_, select, update
from sqlalchemy.engine import Connection

from mockmarketo.domain.activities import Activity
from mockmarketo.store import tables as t

_c = t.activities.c
_NEXT_ID = select(t.instances.c.next_activity_id).where(t.instances.c.name == bindparam("instance"))
_SET_NEXT_ID = update(t.instances).where(t.instances.c.name == bindparam("instance")).values(
    next_activity_id=bindparam("next_id"))
_INSERT = insert(t.activities)
_MOVE = (update(t.activities).where(_c.instance == bindparam("b_instance"),
                                    _c.lead_id.in_(bindparam("losers", expanding=True)))
         .values(lead_id=bindparam("winner")))
_BY_ID = select(t.activities).where(_c.instance == bindparam("instance"), _c.id == bindparam("id"))


@lru_cache(maxsize=128)
def _query(shape: frozenset[str], newest_first: bool, counting: bool):
    """The statement of one shape of query: which of the filters of ActivityRepository.select it has."""
    conditions = [_c.instance == bindparam("instance")]
    if "lead_ids" in shape:
        conditions.append(_c.lead_id.in_(bindparam("lead_ids", expanding=True)))
    if "types" in shape:
        conditions.append(_c.type.in_(bindparam("types", expanding=True)))
    if "exclude_types" in shape:
        conditions.append(_c.type.not_in(bindparam("exclude_types", expanding=True)))
    if "since" in shape:
        conditions.append(_c.at >= bindparam("since"))
    if "until" in shape:
        conditions.append(_c.at <= bindparam("until"))
    if "after" in shape:
        at, activity_id = bindparam("after_at"), bindparam("after_id")
        if newest_first:
            conditions.append(or_(_c.at < at, and_(_c.at == at, _c.id < activity_id)))
        else:
            conditions.append(or_(_c.at > at, and_(_c.at == at, _c.id > activity_id)))
    if counting:
        return select(func.count()).select_from(t.activities).where(*conditions)
    order = (_c.at.desc(), _c.id.desc()) if newest_first else (_c.at, _c.id)
    query = select(t.activities).where(*conditions).order_by(*order)
    return query.limit(bindparam("limit")) if "limit" in shape else query


class ActivityRepository:
    def __init__(self, conn: Connection, instance: str, lock, driver=None):
        self._conn = conn
        self.instance = instance
        self._lock = lock  # the owning LeadRepository's lock(): takes the instance's write lock
        # with the owner's store.driver.Driver, the owner's lock() sets next_id, and the owner writes
        # the counter when its transaction finishes
        self._driver = driver
        self.next_id: int | None = None

    # -- writing -------------------------------------------------------------------------------------

    def add(self, activity: Activity) -> Activity:
        """Store an activity with the instance's next activity id."""
        if self.next_id is None:
            self._lock()
            if self.next_id is None:
                self.next_id = self._conn.execute(_NEXT_ID, {"instance": self.instance}).scalar_one()
        activity.id = self.next_id
        row = {"instance": self.instance, "id": activity.id, "lead_id": activity.lead_id, "type": activity.type,
               "at": activity.at, "asset_name": activity.asset_name, "campaign": activity.campaign,
               "attributes": json.dumps(activity.attributes, separators=(",", ":"))}
        self.next_id += 1
        if self._driver is not None:
            self._driver.write(_INSERT, row)
        else:
            self._conn.execute(_INSERT, row)
            self._conn.execute(_SET_NEXT_ID, {"instance": self.instance, "next_id": self.next_id})
        return activity

    def move(self, loser_ids: list[int], winner_id: int) -> None:
        """Give the activities of the losing leads of a merge to the winner."""
        self._conn.execute(_MOVE, {"b_instance": self.instance, "losers": loser_ids, "winner": winner_id})

    def delete_all(self) -> None:
        self._conn.execute(delete(t.activities).where(_c.instance == self.instance))

    # -- reading -------------------------------------------------------------------------------------

    def by_id(self, activity_id: int) -> Activity | None:
        found = self._activities(self._conn.execute(_BY_ID, {"instance": self.instance,
                                                             "id": activity_id}).all())
        return found[0] if found else None

    def select(self, *, lead_ids: list[int] | None = None, types: list[str] | None = None,
               exclude_types: list[str] | None = None, since: datetime | None = None,
               until: datetime | None = None, after: Activity | None = None, newest_first: bool = False,
               limit: int | None = None) -> list[Activity]:
        """The activities that pass every filter given (None: no filter), ordered by (time, id) — oldest
        first, or newest first — starting after the activity `after`, at most `limit` of them.
        `types`/`exclude_types` are display names; `since`/`until` inclusive bounds of the time."""
        shape, params = self._shape(lead_ids, types, exclude_types, since, until, after, limit)
        rows = self._conn.execute(_query(shape, newest_first, False), params).all()
        return self._activities(rows)

    def count(self, *, lead_ids: list[int] | None = None, types: list[str] | None = None,
              exclude_types: list[str] | None = None, since: datetime | None = None,
              until: datetime | None = None, after: Activity | None = None, newest_first: bool = False) -> int:
        """How many activities `select` with the same arguments (and no limit) would answer."""
        shape, params = self._shape(lead_ids, types, exclude_types, since, until, after, None)
        return self._conn.execute(_query(shape, newest_first, True), params).scalar_one()


    def of_leads(self, lead_ids: list[int]) -> list[Activity]:
        """Every activity of these leads, newest first."""
        return self.select(lead_ids=lead_ids, newest_first=True)

    # -- internals -----------------------------------------------------------------------------------

    def forget_next_id(self) -> None:
        """After a rolled-back savepoint: the database gave the ids back; so does the cache."""
        self.next_id = None

    def _shape(self, lead_ids, types, exclude_types, since, until, after, limit) -> tuple[frozenset, dict]:
        """Which filters a query has, and its parameters."""
        params = {"instance": self.instance}
        for name, value in (("lead_ids", lead_ids), ("types", types), ("exclude_types", exclude_types),
                            ("since", since), ("until", until), ("limit", limit)):
            if value is not None:
                params[name] = value
        shape = set(params) - {"instance"}
        if after is not None:
            shape.add("after")
            params.update(after_at=after.at, after_id=after.id)
        return frozenset(shape), params

    @staticmethod
    def _activities(rows) -> list[Activity]:
        return [Activity(id=row.id, lead_id=row.lead_id, type=row.type, at=row.at, asset_name=row.asset_name,
                         campaign=row.campaign, attributes=[tuple(pair) for pair in json.loads(row.attributes)])
                for row in rows]
