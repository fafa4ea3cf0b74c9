"""Reading the activity log: getLeadActivity (one lead's activities, newest first) and getLeadChanges
(every lead's, oldest first), with their type filters, batch sizes and stream positions.

Both read one stream ordered by (activity time, id) and resume it from an offset `ID:<activity id>`
(the last activity a page returned, as in Marketo's samples): the offset alone is enough to go on,
whatever else the next request repeats, and a page starts exactly after that activity. Activities
written meanwhile are never skipped and never returned twice: every write of an instance holds the
instance's write lock and takes its time after the lock, so a later write always sorts after an
earlier one. An offset that is not of that shape or names no activity of the instance is fault 20122.
A page that returns nothing keeps the offset it was given, so a poller can come back to it later
(never fault 20123).

Time bounds (inclusive): startPosition's oldestCreatedAt and activityCreatedAt are lower bounds,
latestCreatedAt an upper bound; a LastUpdateAtSelector's oldestUpdatedAt / latestUpdatedAt narrow the
same window. The newStartPosition repeats the request's times (getLeadActivity fixes latestCreatedAt
at the first call: the time of that call, rounded up to the second, in the instance's time zone).

Type filters: activityFilter's includeTypes or excludeTypes (WSDL tokens, exactly as the enumeration
spells them; both at once is fault 20110), getLeadChanges' activityNameFilter (display names, any
case, Marketo's filter list). An unknown token or name is fault 20107. Empty filters filter nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo

from mockmarketo.domain.activities import (
    ACTIVITY_TYPES, DISPLAY_NAME_OF_TOKEN, Activity, local_time, naive_utc, utc_now,
)
from mockmarketo.domain.assets import Assets
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import XS_INT_MAX
from mockmarketo.domain.lookup import get_lead
from mockmarketo.domain.selection import (
    KeySelector, ListSelector, Selector, UpdatedSelector, checked_batch_size, key_matches,
)
from mockmarketo.domain.static_lists import list_member_ids

LEAD_ACTIVITY_MAX_BATCH = 100  # "System will limit to 100 or batchSize, whichever is less"
LEAD_CHANGES_MAX_BATCH = 1000  # "System limited to 1,000 or batchSize, whichever is less"
MAX_SELECTOR_KEYS = 100

# Display names of Marketo's filter list that no WSDL token names: activityNameFilter accepts them
# (nothing in the mock writes activities of these types, so they match nothing).
NAME_ONLY_TYPES = (
    "Add to Nurture", "Add to Segment", "Add to Smart Campaign", "Assign Nurture Content",
    "Capture Campaign Membership History", "Capture List Membership History", "Change Account Owner",
    "Change Attribute Datatype", "Change CRM User", "Change Custom Object", "Change Nurture Cadence",
    "Change Nurture Exhausted", "Change Nurture Track", "Click Shared Link", "Nurture Deploy",
    "Received Forward to Friend Email", "Sent Forward to Friend Email", "Reward Test Group Variant",
    "Segmentation Approval", "Share Content",
)
_KNOWN_NAMES = {name.lower(): name for name in (*(display for _, display in ACTIVITY_TYPES), *NAME_ONLY_TYPES)}
_OFFSET = re.compile(r"ID:([0-9]{1,10})")


@dataclass(frozen=True)
class StreamPosition:
    """Where a stream stands: the request's startPosition, or a page's newStartPosition."""

    latest_created_at: datetime | None = None
    oldest_created_at: datetime | None = None
    activity_created_at: datetime | None = None
    offset: str | None = None


@dataclass(frozen=True)
class ActivityQuery:
    """One getLeadActivity or getLeadChanges call, as the domain sees it."""

    position: StreamPosition = field(default_factory=StreamPosition)
    include_types: tuple[str, ...] = ()  # WSDL tokens
    exclude_types: tuple[str, ...] = ()  # WSDL tokens
    type_names: tuple[str, ...] = ()  # display names (getLeadChanges' activityNameFilter)
    batch_size: int | None = None
    selector: Selector | None = None  # getLeadChanges' leadSelector


@dataclass(frozen=True)
class ActivityPage:
    activities: list[Activity]
    remaining_count: int
    position: StreamPosition


def get_lead_activity(repo, key_type: str, key_value: str, query: ActivityQuery,
                      zone: tzinfo = timezone.utc) -> ActivityPage:
    """One lead's activities, newest first (20103 when the key names no lead; for an EMAIL that several
    leads share, the most recently created one)."""
    lead = get_lead(repo, key_type, key_value)[0]
    position = _aware(query.position)
    if position.latest_created_at is None:
        position = StreamPosition(_rounded_up(local_time(utc_now(), zone)), position.oldest_created_at,
                                  position.activity_created_at, position.offset)
    return _page(repo, query, position, newest_first=True, max_batch=LEAD_ACTIVITY_MAX_BATCH,
                 lead_ids=[lead.id], since=None, until=None)


def get_lead_changes(repo, query: ActivityQuery, assets: Assets) -> ActivityPage:
    """The activities of every lead (or of the selector's leads), oldest first."""
    lead_ids = _selected_lead_ids(repo, query.selector, assets)
    since = until = None
    if isinstance(query.selector, UpdatedSelector):
        since, until = naive_utc(query.selector.oldest), naive_utc(query.selector.latest)
    return _page(repo, query, _aware(query.position), newest_first=False, max_batch=LEAD_CHANGES_MAX_BATCH,
                 lead_ids=lead_ids, since=since, until=until)


# -- internals ---------------------------------------------------------------------------------------

def _page(repo, query: ActivityQuery, position: StreamPosition, *, newest_first: bool, max_batch: int,
          lead_ids: list[int] | None, since: datetime | None, until: datetime | None) -> ActivityPage:
    include, exclude = _type_filter(query)
    size = checked_batch_size(query.batch_size, max_batch, max_batch)
    lower = [moment for moment in (since, naive_utc(position.oldest_created_at),
                                   naive_utc(position.activity_created_at)) if moment is not None]
    upper = [moment for moment in (until, naive_utc(position.latest_created_at)) if moment is not None]
    filters = {"lead_ids": lead_ids, "types": include, "exclude_types": exclude,
               "since": max(lower) if lower else None, "until": min(upper) if upper else None}
    after = _anchor(repo, position.offset)
    found = repo.activities.select(**filters, after=after, newest_first=newest_first, limit=size)
    remaining = 0
    if len(found) == size:
        remaining = repo.activities.count(**filters, after=found[-1], newest_first=newest_first)
    offset = f"ID:{found[-1].id}" if found else (position.offset or "").strip()
    return ActivityPage(found, remaining, StreamPosition(position.latest_created_at, position.oldest_created_at,
                                                         position.activity_created_at, offset))


def _anchor(repo, offset: str | None) -> Activity | None:
    """The activity an offset names (the stream goes on after it); None for no offset; else 20122."""
    if offset is None or not offset.strip():
        return None
    match = _OFFSET.fullmatch(offset.strip())
    anchor = None
    if match and int(match.group(1)) <= XS_INT_MAX:
        anchor = repo.activities.by_id(int(match.group(1)))
    if anchor is None:
        raise MarketoError(20122, f"Stream position offset {offset!r} is not one this instance issued "
                                  "(ID:<activity id>)")
    return anchor


def _type_filter(query: ActivityQuery) -> tuple[list[str] | None, list[str] | None]:
    """(display names to include or None for all, display names to exclude or None)."""
    if query.include_types and query.exclude_types:
        raise MarketoError(20110, "activityFilter takes includeTypes or excludeTypes, not both")
    include = [_type_of_token(token) for token in query.include_types] or None
    exclude = [_type_of_token(token) for token in query.exclude_types] or None
    if query.type_names:
        named = [_type_of_name(name) for name in query.type_names]
        include = named if include is None else [name for name in include if name in named]
    return include, exclude


def _type_of_token(token: str) -> str:
    display = DISPLAY_NAME_OF_TOKEN.get(token.strip())
    if display is None:
        raise MarketoError(20107, f"LeadActivityFilter contains a bad activity type: {token!r} (activityType "
                                  "takes a WSDL token such as VisitWebpage)")
    return display


def _type_of_name(name: str) -> str:
    display = _KNOWN_NAMES.get(name.strip().lower())
    if display is None:
        raise MarketoError(20107, f"activityNameFilter contains a bad activity type: {name!r} (stringItem "
                                  "takes a display name such as Visit Webpage)")
    return display


def _selected_lead_ids(repo, selector: Selector | None, assets: Assets) -> list[int] | None:
    """The leads a leadSelector limits getLeadChanges to; None for all."""
    if selector is None or isinstance(selector, UpdatedSelector):
        return None
    if isinstance(selector, KeySelector):
        if len(selector.key_values) > MAX_SELECTOR_KEYS:
            raise MarketoError(20110, f"LeadKeySelector holds {len(selector.key_values)} keys; at most "
                                      f"{MAX_SELECTOR_KEYS} are allowed")
        return [lead.id for lead in key_matches(repo, selector)]
    assert isinstance(selector, ListSelector)
    if selector.name is None and selector.list_id is None:
        raise MarketoError(20109, "StaticListSelector needs staticListName or staticListId")
    return list_member_ids(repo, assets, selector.name, selector.list_id)


def _aware(position: StreamPosition) -> StreamPosition:
    """The position with times that have an offset (a time sent without one is UTC)."""
    def aware(moment):
        return moment.replace(tzinfo=timezone.utc) if moment is not None and moment.tzinfo is None else moment
    return StreamPosition(aware(position.latest_created_at), aware(position.oldest_created_at),
                          aware(position.activity_created_at), position.offset)


def _rounded_up(moment: datetime) -> datetime:
    """To the next whole second: times are shown to the second, and the bound must not cut off this one."""
    return moment.replace(microsecond=0) + timedelta(seconds=1) if moment.microsecond else moment
