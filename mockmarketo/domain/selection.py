"""getMultipleLeads: choosing leads with a selector and reading them in pages (facts §2.4, §5.3, §6).

Selectors:
- KeySelector (LeadKeySelector): every lead any of the key values names (lookup.find_by_key), each once;
  values that name no lead are skipped, not faulted.
- UpdatedSelector (LastUpdateAtSelector, and the legacy top-level `lastUpdatedAt`): leads whose last
  update lies in [oldest, latest] (latest absent: no upper bound). With both bounds given, a range of more
  than 30 days is fault 20022 (facts §5.3).
- ListSelector (StaticListSelector): the members of the static list of `staticListId`, else
  `staticListName` (any case); an unknown list is 20111 (domain.static_lists.list_member_ids).

Paging: leads come in ascending id order, `batch_size` at a time (default and maximum 1000; larger values
are lowered to 1000, below 1 is 20110). The stream position copies the shape of Marketo's own
(`id:1089965:to:1392234668:tl:1392321068:os:2:rc:24` in the getMultipleLeads docs): `id` the last lead
id returned, `to`/`tl` the selector's oldest/latest update time in epoch seconds (update-time selection
only; `tl` only when a latest time was given), `os` how many leads the stream has returned so far, `rc`
how many remain. It is empty once nothing remains (facts §6). A position that is not of this shape, or
whose `to`/`tl` differ from the request's selector, is fault 20122. `include_attributes` (case-insensitive names) limits the attributes each
lead carries; absent or empty means all.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone

from mockmarketo.domain.activities import naive_utc
from mockmarketo.domain.assets import Assets
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import Lead
from mockmarketo.domain.lookup import find_by_key
from mockmarketo.domain.static_lists import list_member_ids

DEFAULT_BATCH_SIZE = 1000
MAX_BATCH_SIZE = 1000
MAX_UPDATE_RANGE = timedelta(days=30)
_POSITION_NUMBER = re.compile(r"-?[0-9]+")


@dataclass(frozen=True)
class KeySelector:
    key_type: str
    key_values: tuple[str, ...]


@dataclass(frozen=True)
class UpdatedSelector:
    oldest: datetime
    latest: datetime | None = None


@dataclass(frozen=True)
class ListSelector:
    name: str | None = None
    list_id: int | None = None


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


def get_multiple_leads(repo, query: LeadQuery, assets: Assets = Assets()) -> LeadPage:
    """The page of leads `query` asks for, from the stored leads of `repo` (a store.LeadRepository);
    `assets`: the configured ones (static lists)."""
    selector = query.selector
    batch_size = checked_batch_size(query.batch_size)
    if isinstance(selector, UpdatedSelector):
        selector = _checked_range(selector)
    marks = _selector_marks(selector)
    after_id, offset = _read_position(query.stream_position, selector, marks)
    if isinstance(selector, KeySelector):
        later = [lead for lead in key_matches(repo, selector) if after_id is None or lead.id > after_id]
        leads, remaining = later[:batch_size], max(len(later) - batch_size, 0)
    elif isinstance(selector, UpdatedSelector):
        leads = repo.all(updated_from=selector.oldest, updated_to=selector.latest, after_id=after_id,
                         limit=batch_size, order_by_id=True)
        remaining = repo.count(updated_from=selector.oldest, updated_to=selector.latest,
                               after_id=leads[-1].id) if leads else 0
    else:
        if selector.name is None and selector.list_id is None:
            raise MarketoError(20109, "StaticListSelector needs staticListName or staticListId")
        later = [lead_id for lead_id in list_member_ids(repo, assets, selector.name, selector.list_id)
                 if after_id is None or lead_id > after_id]
        leads, remaining = [repo.by_id(lead_id) for lead_id in later[:batch_size]], max(len(later) - batch_size, 0)
    position = ""
    if leads and remaining:
        pairs = [("id", leads[-1].id), *marks, ("os", offset + len(leads)), ("rc", remaining)]
        position = ":".join(f"{name}:{value}" for name, value in pairs)
    return LeadPage(_only(leads, query.include_attributes), remaining, position)


def checked_batch_size(requested: int | None, default: int = DEFAULT_BATCH_SIZE,
                       maximum: int = MAX_BATCH_SIZE) -> int:
    """A requested batchSize as used: `default` when absent, lowered to `maximum`, 20110 below 1."""
    if requested is None:
        return default
    if requested < 1:
        raise MarketoError(20110, f"batchSize must be at least 1, not {requested}")
    return min(requested, maximum)


def _selector_marks(selector: Selector) -> list[tuple[str, int]]:
    """What a stream position records of its selector, so that it is refused for another one."""
    if not isinstance(selector, UpdatedSelector):
        return []
    marks = [("to", _epoch(selector.oldest))]
    if selector.latest is not None:
        marks.append(("tl", _epoch(selector.latest)))
    return marks


def _read_position(position: str | None, selector: Selector, marks: list[tuple[str, int]]) -> tuple[int | None, int]:
    """(last id of the previous page, leads returned so far); (None, 0) from the start; else 20122."""
    if position is None or not position.strip():
        return None, 0
    parts = position.strip().split(":")
    names, values = parts[0::2], parts[1::2]
    expected = ["id", *(name for name, _ in marks), "os", "rc"]
    if (names != expected or len(values) != len(names)
            or not all(_POSITION_NUMBER.fullmatch(value) for value in values)):
        raise MarketoError(20122, f"Stream position {position!r} is not one this selector issued")
    numbers = dict(zip(names, map(int, values)))
    if any(numbers[name] != value for name, value in marks):
        raise MarketoError(20122, f"Stream position {position!r} was issued for another update time range")
    return numbers["id"], numbers["os"]


def key_matches(repo, selector: KeySelector) -> list[Lead]:
    """Every lead any of the selector's key values names, each once, in id order."""
    found: dict[int, Lead] = {}
    for value in selector.key_values:
        for lead in find_by_key(repo, selector.key_type, value):
            found.setdefault(lead.id, lead)
    return [found[lead_id] for lead_id in sorted(found)]


def _epoch(moment: datetime) -> int:
    return int(moment.replace(tzinfo=timezone.utc).timestamp())


def _checked_range(selector: UpdatedSelector) -> UpdatedSelector:
    """The selector in the store's time (naive UTC); 20022 for more than 30 days between its bounds."""
    oldest, latest = naive_utc(selector.oldest), naive_utc(selector.latest)
    if latest is not None and latest - oldest > MAX_UPDATE_RANGE:
        raise MarketoError(
            20022, f'Days between "oldestUpdatedAt" and "latestUpdatedAt" exceed {MAX_UPDATE_RANGE.days}: '
                   f"{oldest.isoformat()} to {latest.isoformat()}")
    return UpdatedSelector(oldest, latest)


def _only(leads: list[Lead], include_attributes: tuple[str, ...]) -> list[Lead]:
    if not include_attributes:
        return leads
    wanted = {name.lower() for name in include_attributes}
    return [dataclasses.replace(lead, attributes={n: v for n, v in lead.attributes.items() if n.lower() in wanted})
            for lead in leads]
