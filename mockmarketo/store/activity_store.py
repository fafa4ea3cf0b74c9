"""ActivityRepository: the activity log of one instance inside one store transaction.

It shares the transaction (and the instance's write lock) of the LeadRepository that owns it
(`repo.activities`): an activity commits with the change that caused it, or not at all.
"""

from __future__ import annotations

import json

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from mockmarketo.domain.activities import Activity
from mockmarketo.store import tables as t

_c = t.activities.c
_NEXT_ID = select(t.instances.c.next_activity_id).where(t.instances.c.name == bindparam("instance"))
_SET_NEXT_ID = update(t.instances).where(t.instances.c.name == bindparam("instance")).values(
    next_activity_id=bindparam("next_id"))
_INSERT = insert(t.activities)
_OF_LEADS = (select(t.activities).where(_c.instance == bindparam("instance"),
                                        _c.lead_id.in_(bindparam("lead_ids", expanding=True)))
             .order_by(_c.at.desc(), _c.id.desc()))
_MOVE = (update(t.activities).where(_c.instance == bindparam("b_instance"),
                                    _c.lead_id.in_(bindparam("losers", expanding=True)))
         .values(lead_id=bindparam("winner")))


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

    def of_leads(self, lead_ids: list[int]) -> list[Activity]:
        """Every activity of these leads, newest first."""
        return self._activities(self._conn.execute(_OF_LEADS, {"instance": self.instance,
                                                                "lead_ids": lead_ids}).all())

    # -- internals -----------------------------------------------------------------------------------

    def forget_next_id(self) -> None:
        """After a rolled-back savepoint: the database gave the ids back; so does the cache."""
        self.next_id = None

    @staticmethod
    def _activities(rows) -> list[Activity]:
        return [Activity(id=row.id, lead_id=row.lead_id, type=row.type, at=row.at, asset_name=row.asset_name,
                         campaign=row.campaign, attributes=[tuple(pair) for pair in json.loads(row.attributes)])
                for row in rows]
