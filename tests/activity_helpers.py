"""Helpers for the activity tests: seeding activities through the control API, steering the activity id
sequence and the store's clock, so that responses can be compared with Marketo's documented ones."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from werkzeug.test import Client

from mockmarketo.config import DEFAULT_INSTANCE
from mockmarketo.store import lead_store
from mockmarketo.store import tables as t


def seed_activity(app, **activity) -> dict:
    """POST /_mock/activities; `attributes` may be a dict. Answers the stored activity's JSON."""
    if isinstance(activity.get("attributes"), dict):
        activity["attributes"] = [{"name": n, "value": v} for n, v in activity["attributes"].items()]
    response = Client(app).post("/_mock/activities", json=activity)
    assert response.status_code == 201, response.json
    return response.json


def seed_lead(app, **lead) -> dict:
    response = Client(app).post("/_mock/leads", json=lead)
    assert response.status_code == 201, response.json
    return response.json


def next_activity_id(app, next_id: int, instance: str = DEFAULT_INSTANCE) -> None:
    """Make the instance's next activity id `next_id` (to reproduce the ids of Marketo's samples)."""
    with app.marketo.store.transaction(instance, app.marketo.settings.first_id) as repo:
        repo.lock()
        repo._conn.execute(update(t.instances).where(t.instances.c.name == instance)
                           .values(next_activity_id=next_id))


def store_clock(monkeypatch, moment: datetime) -> None:
    """Make the store write `moment` (naive UTC) as the time of every lead write from now on."""
    monkeypatch.setattr(lead_store, "utc_now", lambda: moment)
