"""CampaignRunRepository and ImportRepository: an instance's campaign runs (with the per-lead My Tokens
importToList leaves for a campaign's next run) and list imports, inside the transaction of the
LeadRepository that owns them (`repo.marketing`). Ids count from 1 per instance."""

from __future__ import annotations

import json
from dataclasses import asdict, fields
from datetime import datetime

from sqlalchemy import bindparam, delete, func, insert, select, union_all, update
from sqlalchemy.engine import Connection

from mockmarketo.domain.jobs import PENDING, PROCESSING, CampaignRun, ListImport
from mockmarketo.store import tables as t

_TIMES = {"created_at", "due_at", "ran_at", "started_at", "ended_at"}


def _data(job, columns: tuple[str, ...]) -> str:
    """The job's fields that have no column of their own, as JSON (times as ISO 8601)."""
    values = {name: value.isoformat() if name in _TIMES and value is not None else value
              for name, value in asdict(job).items() if name not in columns}
    return json.dumps(values, separators=(",", ":"))


def _job(kind, row, columns: tuple[str, ...]):
    values = json.loads(row.data)
    for name in _TIMES & values.keys():
        if values[name] is not None:
            values[name] = datetime.fromisoformat(values[name])
    values.update({name: getattr(row, name) for name in columns})
    known = {f.name for f in fields(kind)}
    return kind(**{name: value for name, value in values.items() if name in known})


class _Jobs:
    """What campaign runs and list imports share: a table with id, status, due_at and JSON data."""

    kind: type
    table = None
    columns: tuple[str, ...] = ()

    def __init__(self, conn: Connection, instance: str, lock):
        self._conn = conn
        self.instance = instance
        self._lock = lock
        c = self.table.c
        self._where_instance = c.instance == bindparam("instance")

    def add(self, job):
        """Store a new job with the instance's next id."""
        self._lock()
        c = self.table.c
        last = self._conn.execute(select(func.max(c.id)).where(self._where_instance),
                                  {"instance": self.instance}).scalar()
        job.id = (last or 0) + 1
        self._conn.execute(insert(self.table), {"instance": self.instance, "data": _data(job, self.columns),
                                                **{name: getattr(job, name) for name in self.columns}})
        return job

    def save(self, job) -> None:
        self._lock()
        c = self.table.c
        self._conn.execute(update(self.table).where(c.instance == self.instance, c.id == job.id).values(
            data=_data(job, self.columns), **{name: getattr(job, name) for name in self.columns if name != "id"}))

    def get(self, job_id: int):
        found = self._select(self.table.c.id == job_id)
        return found[0] if found else None

    def pending(self) -> list:
        """The instance's jobs still to run, the earliest due first."""
        c = self.table.c
        return sorted(self._select(c.status == self._pending), key=lambda job: (job.due_at, job.id))

    def _select(self, *conditions) -> list:
        c = self.table.c
        rows = self._conn.execute(select(self.table).where(c.instance == self.instance, *conditions)
                                  .order_by(c.id)).all()
        return [_job(self.kind, row, self.columns) for row in rows]

    def delete_all(self) -> None:
        self._conn.execute(delete(self.table).where(self.table.c.instance == self.instance))


_tokens = t.lead_tokens.c


class CampaignRunRepository(_Jobs):
    kind = CampaignRun
    table = t.campaign_runs
    columns = ("id", "campaign_id", "status", "due_at")
    _pending = PENDING

    def all(self, campaign_id: int | None = None) -> list[CampaignRun]:
        """Every run of the instance (of one campaign), oldest first."""
        c = self.table.c
        return self._select(*([c.campaign_id == campaign_id] if campaign_id is not None else []))

    def set_lead_tokens(self, campaign_id: int, lead_id: int, tokens: dict[str, str]) -> None:
        """Keep a lead's My Tokens for the campaign's next run (replacing any kept before)."""
        self._lock()
        key = {"instance": self.instance, "campaign_id": campaign_id, "lead_id": lead_id}
        self._conn.execute(delete(t.lead_tokens).where(*(getattr(_tokens, k) == v for k, v in key.items())))
        self._conn.execute(insert(t.lead_tokens), {**key, "tokens": json.dumps(tokens)})

    def take_lead_tokens(self, campaign_id: int) -> dict[int, dict[str, str]]:
        """The per-lead My Tokens kept for a campaign, which a run uses once: they are gone afterwards."""
        where = (_tokens.instance == self.instance, _tokens.campaign_id == campaign_id)
        rows = self._conn.execute(select(_tokens.lead_id, _tokens.tokens).where(*where)).all()
        if rows:
            self._lock()
            self._conn.execute(delete(t.lead_tokens).where(*where))
        return {row.lead_id: json.loads(row.tokens) for row in rows}

    def delete_all(self) -> None:
        self._conn.execute(delete(t.lead_tokens).where(_tokens.instance == self.instance))
        super().delete_all()


class ImportRepository(_Jobs):
    kind = ListImport
    table = t.list_imports
    columns = ("id", "list_id", "status", "due_at")
    _pending = PROCESSING

    def latest(self, list_id: int) -> ListImport | None:
        """The last import into a list."""
        found = self._select(self.table.c.list_id == list_id)
        return found[-1] if found else None


_r, _i = t.campaign_runs.c, t.list_imports.c
_DUE = union_all(
    select(_r.instance, _r.due_at).where(_r.status == PENDING),
    select(_i.instance, _i.due_at).where(_i.status == PROCESSING),
).subquery()
_DUE_INSTANCES = select(_DUE.c.instance, func.min(_DUE.c.due_at)).group_by(_DUE.c.instance)


def instances_with_jobs(conn: Connection) -> dict[str, datetime]:
    """Every instance that has pending campaign runs or processing imports, with the earliest due time:
    the one query that looks beyond one instance (the background runner's)."""
    return dict(conn.execute(_DUE_INSTANCES).all())
