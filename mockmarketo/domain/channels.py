"""getChannels and getTags (facts-more-ops §12): an instance's program channels with their progression
statuses, and its (non-channel) tag types with their values.

getChannels: channels by name, each channel's statuses by status name (as Marketo's sample orders them);
a filter of channel names (any case) keeps those, an unknown name is left out, no filter means every
channel. getTags: tag types in the order they were made, values as listed; a filter keeps the named types
(any case) and, when it names values, only those values.
"""

from __future__ import annotations

from mockmarketo.domain.assets import Channel, TagType
from mockmarketo.domain.catalogue import AssetCatalogue


def _names(items) -> set[str]:
    return {item.strip().lower() for item in items if item and item.strip()}


def get_channels(assets: AssetCatalogue, names: list[str] | None = None) -> list[Channel]:
    wanted = _names(names or [])
    found = [c for c in assets.channels() if not wanted or c.name.lower() in wanted]
    return [Channel(c.name, tuple(sorted(c.statuses, key=lambda s: s.name.lower())))
            for c in sorted(found, key=lambda c: c.name.lower())]


def get_tags(assets: AssetCatalogue, filters: list[tuple[str | None, list[str]]] | None = None) -> list[TagType]:
    """`filters`: (tag type or None for any, values or [] for all) pairs; None or empty: every tag type."""
    tag_types = assets.tag_types()
    if not filters:
        return tag_types
    found = []
    for tag_type in tag_types:
        matching = [values for name, values in filters if name is None or name.strip().lower() == tag_type.type.lower()]
        if not matching:
            continue
        wanted = set().union(*(_names(values) for values in matching))
        if any(not _names(values) for values in matching):
            wanted = set()
        found.append(TagType(tag_type.type, tuple(v for v in tag_type.values if not wanted or v.lower() in wanted)))
    return found
