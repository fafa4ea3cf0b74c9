"""Seeding: storing leads exactly as a test describes them, bypassing syncLead's matching rules.

Every identifier but Email stays unique (facts §9.1): a seeded lead whose id, foreign id or cookie
another lead already holds is refused, and nothing of the batch is stored.
"""

from __future__ import annotations

from mockmarketo.domain.leads import Lead


class SeedConflict(ValueError):
    """A seeded lead names an identifier another lead already holds (also a seeded custom object or MObject
    whose key or id is taken)."""


class SeedError(ValueError):
    """A custom object or MObject to seed that is not valid, said in one line."""


def seed_leads(repo, leads: list[Lead]) -> list[Lead]:
    """Create `leads` in the caller's write transaction (a store.LeadRepository); an id of 0 takes the
    next id, an explicit id moves the id sequence past it."""
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
    return created
