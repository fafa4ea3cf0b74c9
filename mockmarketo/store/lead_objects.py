"""What belongs to a lead besides its fields: its custom object records and its opportunity roles.

They are deleted with the lead (foreign keys with ON DELETE CASCADE). mergeLeads gives the losing leads'
records to the winner with move_lead_objects before it deletes the losers.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import delete, select, update

from mockmarketo.store import tables as t
from mockmarketo.domain.activities import utc_now
from mockmarketo.store.lead_store import LeadRepository


def move_lead_objects(repo: LeadRepository, loser_ids: Iterable[int], winner_id: int) -> None:
    """Move the custom object records and opportunity roles of the losing leads to the winner, inside the
    caller's write transaction. A custom object keyed by its lead (the link is a dedupe field) whose key
    the winner holds already is dropped: the winner's record wins, as the winner's fields do. Records of
    several losers with one key: the oldest moves."""
    losers = sorted({lead_id for lead_id in loser_ids if lead_id != winner_id})
    if not losers:
        return
    repo.lock()
    conn, instance, now = repo.connection, repo.instance, utc_now()
    c = t.custom_objects.c
    moving = conn.execute(select(t.custom_objects).where(c.instance == instance, c.lead_id.in_(losers))
                          .order_by(c.seq)).all()
    for row in moving:
        link_field, dedupe_fields = json.loads(row.definition)
        if link_field in dedupe_fields and conn.execute(select(c.seq).where(
                c.instance == instance, c.object_type == row.object_type, c.definition == row.definition,
                c.key == row.key, c.lead_id == winner_id)).first() is not None:
            conn.execute(delete(t.custom_objects).where(c.seq == row.seq))
        else:
            conn.execute(update(t.custom_objects).where(c.seq == row.seq).values(lead_id=winner_id, updated_at=now))
    m = t.mobjects.c
    conn.execute(update(t.mobjects).where(m.instance == instance, m.lead_id.in_(losers))
                 .values(lead_id=winner_id, updated_at=now))
