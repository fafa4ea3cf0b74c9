"""Seeding: storing leads and activities exactly as a test describes them, bypassing syncLead's
matching rules.

Every identifier but Email stays unique (facts §9.1): a seeded lead whose id, foreign id or cookie
another lead already holds is refused, and nothing of the batch is stored. A seeded lead writes no
activity unless asked for one (then the New Lead syncLead would write). A seeded activity names its
lead by id or email (the most recently created lead with it) and takes the instance's next activity id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from mockmarketo.domain.activities import Activity, ActivityLog, utc_now
from mockmarketo.domain.leads import Lead


class SeedConflict(ValueError):
    """A seeded lead names an identifier another lead already holds (also a seeded custom object or MObject
    whose key or id is taken)."""


class SeedError(ValueError):
    """A custom object or MObject to seed that is not valid, said in one line."""


class UnknownLead(ValueError):
    """A seeded activity (the `index`th) names a lead the instance does not have."""

    def __init__(self, index: int, message: str):
        super().__init__(message)
        self.index = index


@dataclass
class ActivitySeed:
    """An activity to seed (its lead_id is filled in; an `at` of None means now) and the lead it names:
    by id, else by email."""

    activity: Activity
    lead_id: int | None = None
    email: str | None = None


def seed_leads(repo, leads: list[Lead], log: ActivityLog | None = None,
               new_lead_activity: Sequence[bool] = ()) -> list[Lead]:
    """Create `leads` in the caller's write transaction (a store.LeadRepository); an id of 0 takes the
    next id, an explicit id moves the id sequence past it. A lead whose `new_lead_activity` flag is true
    gets a New Lead activity in `log`, dated when the lead was created."""
    created = []
    for lead in leads:
        if lead.id and repo.by_id(lead.id) is not None:
            raise SeedConflict(f"lead id {lead.id} is taken")
        if lead.foreign_sys_person_id is not None:
            holder = repo.by_foreign_id(lead.foreign_sys_person_id)
            if holder is not None:
                raise SeedConflict(f"foreign_sys_person_id {lead.foreign_sys_person_id!r} belongs to lead "
                                   f"{holder.id}")
        for cookie in lead.cookies:
            holder = repo.by_cookie(cookie)
            if holder is not None:
                raise SeedConflict(f"cookie {cookie!r} belongs to lead {holder.id}")
        if len(set(lead.cookies)) != len(lead.cookies):
            raise SeedConflict("a cookie is listed twice")
        created.append(repo.create(lead))
    for lead, wanted in zip(created, new_lead_activity):
        if wanted:
            log.new_lead(lead.id, lead.created_at)
    return created


def seed_activities(repo, seeds: list[ActivitySeed]) -> list[Activity]:
    """Store the activities in the caller's write transaction, all or none (UnknownLead). One without a
    time is dated now, taken after the instance's write lock so that it sorts after every earlier one."""
    repo.lock()
    now = utc_now()
    stored = []
    for index, seed in enumerate(seeds):
        if seed.lead_id is not None:
            lead = repo.by_id(seed.lead_id)
        else:
            found = repo.by_email(seed.email)
            lead = found[0] if found else None
        if lead is None:
            named = f"id {seed.lead_id}" if seed.lead_id is not None else f"email {seed.email!r}"
            raise UnknownLead(index, f"no lead with {named} in this instance")
        seed.activity.lead_id = lead.id
        seed.activity.at = seed.activity.at or now
        stored.append(repo.activities.add(seed.activity))
    return stored
