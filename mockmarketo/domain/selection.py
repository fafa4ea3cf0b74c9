"""getMultipleLeads: choosing leads with a selector and reading them in pages (facts §2.4, §5.3, §6).

Selectors:
- KeySelector (LeadKeySelector): every lead any of the key values names (lookup.find_by_key), each once;
  values that name no lead are skipped, not faulted.
- UpdatedSelector (LastUpdateAtSelector, and the legacy top-level `lastUpdatedAt`): leads whose last
  update lies in [oldest, latest] (latest absent: up to now). With both bounds given, a range of more
  than 30 days is fault 20022 (facts §5.3).
- ListSelector (StaticListSelector): mockmarketo has no static lists yet, so every list is empty and
  the answer is count 0 (not 20111), as the issue asks until list operations exist.

Paging: leads come in ascending id order, `batch_size` at a time (default and maximum 1000; larger values
are lowered to 1000). The stream position is `<selector kind>:<last id returned>`, e.g.
`LeadKeySelector:1000003`; it is empty once nothing remains. A position that is not of this form or
names another selector kind is fault 20122. `include_attributes` (case-insensitive names) limits the
attributes each lead carries; absent or empty means all.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import Lead
from mockmarketo.domain.lookup import find_by_key

DEFAULT_BATCH_SIZE = 1000
MAX_BATCH_SIZE = 1000
MAX_UPDATE_RANGE = timedelta(days=30)


@dataclass(frozen=True)
class KeySelector:
    key_type: str
    key_values: tuple[str, ...]
    kind = "LeadKeySelector"


@dataclass(frozen=True)
class UpdatedSelector:
    oldest: datetime
    latest: datetime | None = None
    kind = "LastUpdateAtSelector"


@dataclass(frozen=True)
class ListSelector:
    name: str | None = None
    list_id: int | None = None
    kind = "StaticListSelector"


Selector = KeySelector | UpdatedSelector | ListSelector


@dataclass(frozen=True)
class LeadQuery:
    """One getMultipleLeads call, as the domain sees it."""

    selector: Selector
    stream_position: str | None = None
    batch_size: int | None = None
    include_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class LeadPage:
    """One page of the answer: its leads, how many remain after it, and where the next page starts."""

    leads: list[Lead] = field(default_factory=list)
    remaining_count: int = 0
    stream_position: str = ""


def get_multiple_leads(repo, query: LeadQuery) -> LeadPage:
    """The page of leads `query` asks for, from the stored leads of `repo` (a store.LeadRepository)."""
    selector = query.selector
    batch_size = _batch_size(query.batch_size)
    after_id = _after_id(query.stream_position, selector.kind)
    if isinstance(selector, KeySelector):
        matches = _key_matches(repo, selector)
        later = [lead for lead in matches if after_id is None or lead.id > after_id]
        leads, remaining = later[:batch_size], len(later) - min(len(later), batch_size)
    elif isinstance(selector, UpdatedSelector):
        oldest, latest = _updated_range(selector)
        leads = repo.all(updated_from=oldest, updated_to=latest, after_id=after_id, limit=batch_size,
                         order_by_id=True)
        remaining = repo.count(updated_from=oldest, updated_to=latest, after_id=leads[-1].id) if leads else 0
    else:
        _check_list_selector(selector)
        leads, remaining = [], 0
    position = f"{selector.kind}:{leads[-1].id}" if leads and remaining else ""
    return LeadPage(_only(leads, query.include_attributes), remaining, position)


def _batch_size(requested: int | None) -> int:
    if requested is None:
        return DEFAULT_BATCH_SIZE
    if requested < 1:
        raise MarketoError(20110, f"batchSize must be at least 1, not {requested}")
    return min(requested, MAX_BATCH_SIZE)


def _after_id(stream_position: str | None, kind: str) -> int | None:
    """The last id of the previous page, or None from the start; 20122 for a position not made for `kind`."""
    if stream_position is None or not stream_position.strip():
        return None
    position_kind, _, last_id = stream_position.strip().partition(":")
    if position_kind != kind or not last_id.isdigit():
        raise MarketoError(20122, f"Stream position {stream_position!r} is not valid for a {kind}")
    return int(last_id)


def _key_matches(repo, selector: KeySelector) -> list[Lead]:
    found: dict[int, Lead] = {}
    for value in selector.key_values:
        for lead in find_by_key(repo, selector.key_type, value):
            found.setdefault(lead.id, lead)
    return [found[lead_id] for lead_id in sorted(found)]


def _utc(moment: datetime | None) -> datetime | None:
    """As the store keeps times: naive UTC. A time without an offset is taken as UTC."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def _updated_range(selector: UpdatedSelector) -> tuple[datetime, datetime | None]:
    oldest, latest = _utc(selector.oldest), _utc(selector.latest)
    if latest is not None and latest - oldest > MAX_UPDATE_RANGE:
        raise MarketoError(
            20022, f'Days between "oldestUpdatedAt" and "latestUpdatedAt" exceed {MAX_UPDATE_RANGE.days}: '
                   f"{oldest.isoformat()} to {latest.isoformat()}")
    return oldest, latest


def _check_list_selector(selector: ListSelector) -> None:
    if selector.name is None and selector.list_id is None:
        raise MarketoError(20109, "StaticListSelector needs staticListName or staticListId")


def _only(leads: list[Lead], include_attributes: tuple[str, ...]) -> list[Lead]:
    if not include_attributes:
        return leads
    wanted = {name.lower() for name in include_attributes}
    return [dataclasses.replace(lead, attributes={n: v for n, v in lead.attributes.items() if n.lower() in wanted})
            for lead in leads]
