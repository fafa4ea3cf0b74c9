"""mergeLeads: one winning lead takes over one or more losing leads.

- Keys are (key type, value) pairs, one per lead: IDNUM, EMAIL, COOKIE, SFDCLEADID, SFDCCONTACTID as
  getLead reads them (an EMAIL several leads share names the most recently created one). A key that
  names no lead is 20103; a key type the mock cannot answer is 20102.
- No losers is 20109; more than 25 (the limit of Marketo's merge) is 20110; the winner among the losers,
  or a loser named twice, is 20110. Every check runs before anything changes: a refused merge changes
  nothing.
- Field values: the winner's, unless empty, then the first loser's (in request order) that is not empty;
  the same for Email and for ForeignSysPersonId with its ForeignSysType. The winner keeps its id and
  partition.
- Everything that belongs to a loser moves to the winner (`move_belongings`): its activities and its
  cookies. Then the losers are deleted: their ids are never given out again, and getLead by a loser's
  id is 20103.
- A "Merge Leads" activity goes on the winner (domain.activities).
"""

from __future__ import annotations

from dataclasses import dataclass

from mockmarketo.domain.activities import ActivityLog
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import Lead
from mockmarketo.domain.lookup import get_lead
from mockmarketo.domain.static_lists import move_list_memberships

MAX_LOSERS = 25


@dataclass(frozen=True)
class MergeOutcome:
    winner_id: int
    loser_ids: list[int]


def merge_leads(repo, log: ActivityLog, winner_key: tuple[str, str],
                loser_keys: list[tuple[str, str]]) -> MergeOutcome:
    """Merge the losers into the winner inside the caller's write transaction (a store.LeadRepository)."""
    if not loser_keys:
        raise MarketoError(20109, "losingLeadKeyLists needs at least one keyList")
    if len(loser_keys) > MAX_LOSERS:
        raise MarketoError(20110, f"losingLeadKeyLists holds {len(loser_keys)} leads; at most {MAX_LOSERS} "
                                  "can be merged into one")
    repo.lock()
    winner = get_lead(repo, *winner_key)[0]
    losers: list[Lead] = []
    for key in loser_keys:
        loser = get_lead(repo, *key)[0]
        if loser.id == winner.id:
            raise MarketoError(20110, f"lead {winner.id} is both the winning lead and a losing lead")
        if any(other.id == loser.id for other in losers):
            raise MarketoError(20110, f"lead {loser.id} is named twice among the losing leads")
        losers.append(loser)
    loser_ids = [loser.id for loser in losers]
    taken = _take_values(winner, losers)
    move_belongings(repo, winner, losers)
    repo.delete(loser_ids)
    saved = repo.save(winner)
    log.merged(saved.id, saved.updated_at, loser_ids, taken)
    return MergeOutcome(saved.id, loser_ids)


def move_belongings(repo, winner: Lead, losers: list[Lead]) -> None:
    """Give the winner everything that belongs to the losers: their activities, custom objects,
    opportunity roles, static list memberships and cookies (saved with the winner). Whatever else comes to belong to a lead moves
    here too."""
    loser_ids = [loser.id for loser in losers]
    repo.activities.move(loser_ids, winner.id)
    repo.move_objects(loser_ids, winner.id)
    move_list_memberships(repo, loser_ids, winner.id)
    for loser in losers:
        winner.cookies.extend(cookie for cookie in loser.cookies if cookie not in winner.cookies)


def _take_values(winner: Lead, losers: list[Lead]) -> list[str]:
    """Fill the winner's empty fields from the losers; the names of the fields filled, in order."""
    taken = []
    for loser in losers:
        if not winner.email and loser.email:
            winner.email = loser.email
            taken.append("Email")
        if winner.foreign_sys_person_id is None and loser.foreign_sys_person_id is not None:
            winner.foreign_sys_person_id = loser.foreign_sys_person_id
            winner.foreign_sys_type = loser.foreign_sys_type
            taken.append("ForeignSysPersonId")
        for name, value in loser.attributes.items():
            if value != "" and winner.attributes.get(name, "") == "":
                winner.attributes[name] = value
                taken.append(name)
    return taken
