"""Marketing assets as the config file and the control API give them: `[[programs]]`, `[[lists]]`,
`[[campaigns]]`, `[[channels]]`, `[[tags]]` entries, and the JSON bodies of /_mock/programs, /_mock/lists,
/_mock/campaigns, which use the same keys (docs/campaigns.md shows them all). Each entry is checked into
a domain object; a problem is a ConfigError of one line naming the key
(`campaigns[2].flow[0]: unknown step 'send_sms'`)."""

from __future__ import annotations

import re
from datetime import datetime, timezone

from mockmarketo.config import ASSET_SECTIONS, ConfigError, _check, _table
from mockmarketo.domain.assets import (
    CHANGE_FIELD, DEFAULT_CHANNELS, DELETE_LEAD, SOURCES, STEP_ACTIONS, Assets, Campaign, Channel, ChannelStatus,
    FlowStep, Program, ProgramCost, StaticList, TagType, is_token_name,
)
from mockmarketo.domain.catalogue import AssetCatalogue, AssetError
from mockmarketo.domain.fields import FieldCatalogue

__all__ = ["ASSET_SECTIONS", "campaign_from", "configured_assets", "list_from", "program_from", "token_name"]

PROGRAM_KEYS = {"id": (int,), "name": (str,), "description": (str,), "type": (str,), "channel": (str,),
                "tags": (dict,), "tokens": (dict,), "costs": (list,), "workspace": (str,)}
LIST_KEYS = {"id": (int,), "name": (str,), "program": (str,)}
CAMPAIGN_KEYS = {"id": (int,), "name": (str,), "program": (str,), "description": (str,), "requestable": (bool,),
                 "source": (list, str), "smart_list": (str,), "flow": (list,)}
_COST_KEYS = {"id": (int,), "month": (str,), "amount": (str, int, float), "note": (str,)}
_CHANNEL_KEYS = {"name": (str,), "statuses": (list,)}
_STATUS_KEYS = {"name": (str,), "step": (int,), "success": (bool,), "attributes": (dict,)}
_TAG_KEYS = {"type": (str,), "values": (list,)}

_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
# what XML 1.0 cannot carry: every name and value must come back in a SOAP response
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(key: str, value, *, required: bool = True) -> str:
    if not isinstance(value, str) or (required and not value.strip()):
        raise ConfigError(f"{key}: expected a non-empty string, got {value!r}")
    found = _NOT_XML.search(value)
    if found:
        raise ConfigError(f"{key}: character U+{ord(found.group()):04X} cannot be sent in XML")
    return value


def _scalar(key: str, value) -> str:
    """A value written as text (TOML and JSON numbers and booleans as Marketo would show them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return _text(key, value, required=False)


def _required(entry: dict, key: str, name: str) -> None:
    if name not in entry:
        raise ConfigError(f"{key}.{name}: required")


def _entry(entry, key: str, keys: dict, *required: str) -> dict:
    """A table of known keys, with the required ones."""
    _table(key, entry, keys)
    for name in required:
        _required(entry, key, name)
    return entry


def _entries_of(entry: dict, key: str, name: str, keys: dict, *required: str):
    """(key, table) of each table in the array `name` of an entry, checked as _entry checks."""
    for index, item in enumerate(entry.get(name, [])):
        where = f"{key}.{name}[{index}]"
        yield where, _entry(item, where, keys, *required)


def _id(entry: dict, key: str) -> int:
    value = entry.get("id", 0)
    if "id" in entry and value < 1:
        raise ConfigError(f"{key}.id: expected 1 or more, got {value}")
    return value


def token_name(key: str, name) -> str:
    """A My Token name, which Marketo writes `{{my.name}}`."""
    if not isinstance(name, str) or not is_token_name(name):
        raise ConfigError(f"{key}: token name {name!r} is not of the form {{{{my.name}}}}")
    return _text(key, name.strip())


def program_from(entry, key: str = "program") -> Program:
    _entry(entry, key, PROGRAM_KEYS, "name")
    costs = []
    for where, cost in _entries_of(entry, key, "costs", _COST_KEYS, "month", "amount"):
        if not _MONTH.match(cost["month"]):
            raise ConfigError(f"{where}.month: expected YYYY-MM, got {cost['month']!r}")
        costs.append(ProgramCost(cost["month"], _scalar(f"{where}.amount", cost["amount"]),
                                 _text(f"{where}.note", cost.get("note", ""), required=False), cost.get("id", 0)))
    return Program(
        id=_id(entry, key), name=_text(f"{key}.name", entry["name"]),
        description=_text(f"{key}.description", entry.get("description", ""), required=False),
        type=_text(f"{key}.type", entry.get("type", "Marketing Program")),
        channel=_text(f"{key}.channel", entry["channel"]) if "channel" in entry else None,
        tags={_text(f"{key}.tags", name): _text(f"{key}.tags.{name}", value)
              for name, value in entry.get("tags", {}).items()},
        tokens={token_name(f"{key}.tokens", name): _scalar(f"{key}.tokens.{name}", value)
                for name, value in entry.get("tokens", {}).items()},
        costs=costs, workspace=_text(f"{key}.workspace", entry.get("workspace", "Default")))


def list_from(entry, key: str = "list") -> StaticList:
    _entry(entry, key, LIST_KEYS, "name")
    return StaticList(_id(entry, key), _text(f"{key}.name", entry["name"]),
                      _text(f"{key}.program", entry["program"]) if "program" in entry else None)


def campaign_from(entry, key: str = "campaign") -> Campaign:
    _entry(entry, key, CAMPAIGN_KEYS, "name")
    sources = entry.get("source", ["MKTOWS"])
    sources = [sources] if isinstance(sources, str) else sources
    for source in sources:
        if source not in SOURCES:
            raise ConfigError(f"{key}.source: expected {' or '.join(SOURCES)}, got {source!r}")
    return Campaign(
        id=_id(entry, key), name=_text(f"{key}.name", entry["name"]),
        program=_text(f"{key}.program", entry["program"]) if "program" in entry else None,
        description=_text(f"{key}.description", entry.get("description", ""), required=False),
        requestable=entry.get("requestable", False), sources=tuple(dict.fromkeys(sources)),
        smart_list=_text(f"{key}.smart_list", entry["smart_list"]) if "smart_list" in entry else None,
        flow=tuple(_step(step, f"{key}.flow[{index}]") for index, step in enumerate(entry.get("flow", []))))


def _step(entry, key: str) -> FlowStep:
    if not isinstance(entry, dict) or len(entry) != 1:
        raise ConfigError(f"{key}: expected a table of one step ({', '.join(STEP_ACTIONS)}), got {entry!r}")
    [(action, value)] = entry.items()
    if action not in STEP_ACTIONS:
        raise ConfigError(f"{key}: unknown step {action!r} (known: {', '.join(STEP_ACTIONS)})")
    where = f"{key}.{action}"
    if action == CHANGE_FIELD:
        _entry(value, where, {"field": (str,), "value": (str, int, float, bool)}, "field", "value")
        return FlowStep(action, _scalar(f"{where}.value", value["value"]), _text(f"{where}.field", value["field"]))
    if action == DELETE_LEAD:
        if value is not True:
            raise ConfigError(f"{where}: expected true, got {value!r}")
        return FlowStep(action)
    return FlowStep(action, _text(where, value))


def _channel(entry, key: str) -> Channel:
    _entry(entry, key, _CHANNEL_KEYS, "name")
    statuses = []
    for where, status in _entries_of(entry, key, "statuses", _STATUS_KEYS, "name", "step"):
        statuses.append(ChannelStatus(
            _text(f"{where}.name", status["name"]), status["step"], status.get("success", False),
            tuple((_text(f"{where}.attributes", n), _text(f"{where}.attributes.{n}", v))
                  for n, v in status.get("attributes", {}).items())))
    return Channel(_text(f"{key}.name", entry["name"]), tuple(statuses))


def _tag_type(entry, key: str) -> TagType:
    _entry(entry, key, _TAG_KEYS, "type")
    return TagType(_text(f"{key}.type", entry["type"]),
                   tuple(_text(f"{key}.values", _check(f"{key}.values", v, (str,))) for v in entry.get("values", [])))


def _entries(data: dict, section: str) -> list:
    entries = data.get(section, [])
    if not isinstance(entries, list):
        raise ConfigError(f"{section}: expected an array of tables ([[{section}]]), got {entries!r}")
    return entries


def _unique(section: str, names: list[str]) -> None:
    seen: set[str] = set()
    for index, name in enumerate(names):
        if name.lower() in seen:
            raise ConfigError(f"{section}[{index}]: {name!r} is listed twice")
        seen.add(name.lower())


def configured_assets(data: dict, fields: FieldCatalogue) -> Assets:
    """The asset sections of a checked config dict as Assets; ConfigError naming the key."""
    channels, tags = DEFAULT_CHANNELS, None
    if "channels" in data:
        channels = tuple(_channel(e, f"channels[{i}]") for i, e in enumerate(_entries(data, "channels")))
        _unique("channels", [c.name for c in channels])
    if "tags" in data:
        tags = tuple(_tag_type(e, f"tags[{i}]") for i, e in enumerate(_entries(data, "tags")))
        _unique("tags", [t.type for t in tags])
    catalogue = AssetCatalogue(Assets(channels=channels, tags=tags), fields=fields)
    now = datetime.now(timezone.utc).replace(tzinfo=None)
    for section, reader in (("programs", program_from), ("lists", list_from), ("campaigns", campaign_from)):
        assets = [(f"{section}[{i}]", reader(e, f"{section}[{i}]")) for i, e in enumerate(_entries(data, section))]
        # entries with an id first, so that an id given later is not taken by one assigned earlier
        for key, asset in sorted(assets, key=lambda pair: pair[1].id == 0):
            try:
                catalogue.add(asset, now)
            except AssetError as error:
                raise ConfigError(f"{key}.{error}") from None
    return Assets(tuple(catalogue.programs()), tuple(catalogue.lists()), tuple(catalogue.campaigns()),
                  channels, tags)
