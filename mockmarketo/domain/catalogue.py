"""AssetCatalogue: one instance's programs, static lists and campaigns inside one store transaction.

The configured assets (domain.assets.Assets) and those added to the instance through the control API
(kept by the store, `repo.marketing.assets`) make one catalogue; a stored asset with the id of a
configured one replaces it (a program updated at run time). Adding an asset checks what Marketo's UI
would refuse: a taken id or name, a program, list, channel, tag or field that does not exist.
"""

from __future__ import annotations

import copy
from datetime import datetime

from mockmarketo.domain.assets import (
    ADD_TO_LIST, CAMPAIGN, CHANGE_FIELD, DEFAULT_TAGS, FIRST_ASSET_ID, LIST, PROGRAM, REMOVE_FROM_LIST, Assets,
    Campaign, Channel, Program, StaticList, TagType, asset_data, asset_from_data,
)
from mockmarketo.domain.leads import XS_INT_MAX

_KINDS = {Program: PROGRAM, StaticList: LIST, Campaign: CAMPAIGN}


class AssetError(ValueError):
    """An asset that cannot be added: `key` names the offending key, `conflict` tells a taken id or name
    (HTTP 409) from a bad reference (400)."""

    def __init__(self, key: str, message: str, conflict: bool = False):
        super().__init__(f"{key}: {message}")
        self.key = key
        self.conflict = conflict
        self.index = 0  # which of several assets added together


def _same(a: str | None, b: str | None) -> bool:
    return (a or "").lower() == (b or "").lower() if a is not None and b is not None else a is b


class AssetCatalogue:
    """`stored`: the store's AssetRepository of the instance; None for the configured assets alone
    (while the config is read). `fields`: a FieldCatalogue, to check the fields flows change."""

    def __init__(self, configured: Assets, stored=None, fields=None):
        self.configured = configured
        self._stored = stored
        self._fields = fields
        self._added: dict[str, list] = {PROGRAM: [], LIST: [], CAMPAIGN: []}  # stored=None: kept here
        self._cache: dict[str, list] = {}

    # -- reading -------------------------------------------------------------------------------------

    def _all(self, kind: str) -> list:
        found = self._cache.get(kind)
        if found is None:
            configured = {PROGRAM: self.configured.programs, LIST: self.configured.lists,
                          CAMPAIGN: self.configured.campaigns}[kind]
            # copies: a caller may change what it reads (save_program), never the configuration itself
            by_id = {asset.id: copy.deepcopy(asset) for asset in configured}
            if self._stored is not None:
                for data, created_at, updated_at in self._stored.rows(kind):
                    asset = asset_from_data(kind, data)
                    if kind == PROGRAM:
                        asset.created_at, asset.updated_at = created_at, updated_at
                    by_id[asset.id] = asset
            by_id.update((asset.id, asset) for asset in self._added[kind])
            found = self._cache[kind] = [by_id[key] for key in sorted(by_id)]
        return found

    def programs(self) -> list[Program]:
        return self._all(PROGRAM)

    def lists(self) -> list[StaticList]:
        return self._all(LIST)

    def campaigns(self) -> list[Campaign]:
        return self._all(CAMPAIGN)

    def program(self, name: str | None = None, program_id: int | None = None) -> Program | None:
        return next((p for p in self.programs() if (program_id is None or p.id == program_id)
                     and (name is None or _same(p.name, name))), None)

    def static_list(self, name: str | None = None, list_id: int | None = None) -> StaticList | None:
        """The list with this id, else with this name (any case); None if none."""
        if list_id is not None:
            return next((item for item in self.lists() if item.id == list_id), None)
        return next((item for item in self.lists() if _same(item.name, name)), None)

    def campaign(self, campaign_id: int) -> Campaign | None:
        return next((c for c in self.campaigns() if c.id == campaign_id), None)

    def campaign_named(self, program: str | None, name: str) -> Campaign | None:
        return next((c for c in self.campaigns() if _same(c.name, name) and _same(c.program, program)), None)

    def channels(self) -> tuple[Channel, ...]:
        return self.configured.channels

    def tag_types(self) -> list[TagType]:
        """The configured tag types; when the config lists none, Marketo's and those the programs use,
        in that order."""
        if self.configured.tags is not None:
            return list(self.configured.tags)
        found: dict[str, list[str]] = {tag.type: list(tag.values) for tag in DEFAULT_TAGS}
        for program in self.programs():
            for tag_type, value in program.tags.items():
                values = found.setdefault(tag_type, [])
                if value not in values:
                    values.append(value)
        return [TagType(tag_type, tuple(values)) for tag_type, values in found.items()]

    # -- writing -------------------------------------------------------------------------------------

    def add(self, asset: Program | StaticList | Campaign, now: datetime | None = None):
        """Check and keep a new asset; an id of 0 takes the next free one. AssetError if Marketo's UI would
        refuse it."""
        kind = _KINDS[type(asset)]
        existing = self._all(kind)
        if not asset.id:
            asset.id = max([FIRST_ASSET_ID - 1, *(item.id for item in existing)]) + 1
        if not 0 < asset.id <= XS_INT_MAX:
            raise AssetError("id", f"expected 1 to {XS_INT_MAX}, got {asset.id}")
        taken = next((item for item in existing if item.id == asset.id), None)
        if taken is not None:
            raise AssetError("id", f"{asset.id} is taken by {kind} {taken.name!r}", conflict=True)
        self._check_name(kind, asset, existing)
        self._check_references(asset)
        if kind == PROGRAM:
            asset.created_at = asset.created_at or now
            asset.updated_at = asset.updated_at or asset.created_at
        self._keep(kind, asset)
        return asset

    def save_program(self, program: Program, now: datetime) -> Program:
        """Write back a changed program (its id and name stay)."""
        program.updated_at = now
        self._keep(PROGRAM, program)
        return program

    def _keep(self, kind: str, asset) -> None:
        if self._stored is not None:
            created = getattr(asset, "created_at", None)
            self._stored.put(kind, asset.id, asset.name, asset_data(asset), created,
                             getattr(asset, "updated_at", None) or created)
        else:
            self._added[kind] = [item for item in self._added[kind] if item.id != asset.id] + [asset]
        self._cache.pop(kind, None)

    def _check_name(self, kind: str, asset, existing: list) -> None:
        if kind == CAMPAIGN:
            # names are unique within a program; campaigns outside programs may share one (Marketo's own
            # getCampaignsForSource sample lists two of the same name)
            taken = self.campaign_named(asset.program, asset.name) if asset.program else None
            where = f" in program {asset.program!r}"
        else:
            taken = next((item for item in existing if _same(item.name, asset.name)), None)
            where = ""
        if taken is not None:
            raise AssetError("name", f"{asset.name!r} is taken by {kind} {taken.id}{where}", conflict=True)

    def _check_references(self, asset) -> None:
        if isinstance(asset, Program):
            self._check_program(asset)
            return
        if asset.program is not None and self.program(asset.program) is None:
            raise AssetError("program", f"no program {asset.program!r}")
        if isinstance(asset, Campaign):
            if asset.smart_list is not None:
                self._check_list("smart_list", asset.smart_list)
            for number, step in enumerate(asset.flow):
                key = f"flow[{number}].{step.action}"
                if step.action in (ADD_TO_LIST, REMOVE_FROM_LIST):
                    self._check_list(key, step.value)
                elif step.action == CHANGE_FIELD and self._fields is not None and step.field not in self._fields:
                    raise AssetError(f"{key}.field", f"no lead field {step.field!r}")

    def _check_list(self, key: str, name: str) -> None:
        if "{{" not in name and self.static_list(name) is None:
            raise AssetError(key, f"no static list {name!r}")

    def _check_program(self, program: Program) -> None:
        if program.channel is not None and not any(_same(c.name, program.channel) for c in self.channels()):
            known = ", ".join(c.name for c in self.channels())
            raise AssetError("channel", f"no channel {program.channel!r} (known: {known})")
        if self.configured.tags is None:
            return
        for tag_type, value in program.tags.items():
            declared = next((t for t in self.configured.tags if _same(t.type, tag_type)), None)
            if declared is None:
                raise AssetError(f"tags.{tag_type}", "no such tag type")
            if not any(_same(v, value) for v in declared.values):
                raise AssetError(f"tags.{tag_type}", f"{value!r} is not one of {', '.join(declared.values)}")
