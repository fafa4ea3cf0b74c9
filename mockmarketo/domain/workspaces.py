"""Workspaces, lead partitions and assignment rules: where syncLead puts new leads and which existing
leads a call may touch (facts §9.1, quoted from Marketo's syncLead page).

With workspaces enabled and a target workspace named in MktowsContextHeader:
  new leads go to the assignment rule's partition if one applies, else to the workspace's primary
  partition; leads matched by Id, ForeignSysPersonId or cookie must be in that primary partition;
  leads matched by Email are updated where they are.
With workspaces enabled and no header: new leads go to the rule's partition or Default's primary
  partition; existing leads are updated where they are.
With workspaces disabled: the target workspace, if named, must be "Default".
Workspace names compare case-insensitively.
"""

from __future__ import annotations

from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.leads import DEFAULT_PARTITION, Lead
from mockmarketo.domain.matching import BY_EMAIL

DEFAULT_WORKSPACE = "Default"


@dataclass(frozen=True)
class Workspace:
    name: str
    primary_partition: str
    partitions: tuple[str, ...]


@dataclass(frozen=True)
class AssignmentRules:
    """Route new leads to a partition by the value of one lead field."""

    field: str | None = None
    partitions: Mapping[str, str] = dataclasses.field(default_factory=dict)

    def partition_for(self, attributes: Mapping[str, str]) -> str | None:
        if self.field is None:
            return None
        value = attributes.get(self.field)
        return None if value is None else self.partitions.get(value)


class WorkspaceSetup:
    """An instance's workspaces and assignment rules, validated once when configured."""

    def __init__(self, enabled: bool = False, workspaces: list[Workspace] | None = None,
                 rules: AssignmentRules | None = None):
        self.enabled = enabled
        self.rules = rules or AssignmentRules()
        listed = workspaces or []
        if not any(w.name.lower() == DEFAULT_WORKSPACE.lower() for w in listed):
            listed = [Workspace(DEFAULT_WORKSPACE, DEFAULT_PARTITION, (DEFAULT_PARTITION,)), *listed]
        self._by_name: dict[str, Workspace] = {}
        for workspace in listed:
            key = workspace.name.lower()
            if key in self._by_name:
                raise ValueError(f"workspaces.list: workspace {workspace.name!r} is listed twice")
            if workspace.primary_partition not in workspace.partitions:
                raise ValueError(f"workspaces.list: primary_partition {workspace.primary_partition!r} of "
                                 f"workspace {workspace.name!r} is not in its partitions")
            if len(set(workspace.partitions)) != len(workspace.partitions):
                raise ValueError(f"workspaces.list: workspace {workspace.name!r} lists a partition twice")
            self._by_name[key] = workspace
        known = self.partitions
        for value, partition in self.rules.partitions.items():
            if partition not in known:
                raise ValueError(f"assignment_rules.partitions: {value!r} names unknown partition {partition!r}")
        if self.rules.partitions and not self.rules.field:
            raise ValueError("assignment_rules: partitions are given but no field")

    @property
    def default_workspace(self) -> Workspace:
        return self._by_name[DEFAULT_WORKSPACE.lower()]

    @property
    def workspaces(self) -> list[Workspace]:
        return list(self._by_name.values())

    @property
    def partitions(self) -> list[str]:
        seen: dict[str, None] = {}
        for workspace in self._by_name.values():
            seen.update(dict.fromkeys(workspace.partitions))
        return list(seen)

    def placement(self, target_workspace: str | None) -> Placement:
        """The placement rules of one call, given the MktowsContextHeader's targetWorkspace (None: absent)."""
        if target_workspace is not None:
            workspace = self._by_name.get(target_workspace.strip().lower())
            if not self.enabled and workspace is not self.default_workspace:
                raise MarketoError(
                    20110, f"Workspaces are not enabled: targetWorkspace must be 'Default', not {target_workspace!r}")
            if workspace is None:
                raise MarketoError(20110, f"Unknown workspace: {target_workspace!r}")
            return Placement(self, workspace if self.enabled else None)
        return Placement(self, None)


class Placement:
    """The partition rules for one sync call."""

    def __init__(self, setup: WorkspaceSetup, target: Workspace | None):
        self._setup = setup
        self.target = target

    def partition_for_new_lead(self, attributes: Mapping[str, str]) -> str:
        if not self._setup.enabled:
            return self._setup.default_workspace.primary_partition
        by_rule = self._setup.rules.partition_for(attributes)
        if by_rule is not None:
            return by_rule
        return (self.target or self._setup.default_workspace).primary_partition

    def check_existing_lead(self, lead: Lead, matched_by: str | None) -> None:
        if self.target is None or matched_by == BY_EMAIL:
            return
        if lead.partition != self.target.primary_partition:
            raise MarketoError(
                20106,
                f"syncLead operation failed: lead {lead.id} matched by {matched_by} is in partition "
                f"'{lead.partition}', not in '{self.target.primary_partition}', the primary partition of "
                f"workspace '{self.target.name}'")

