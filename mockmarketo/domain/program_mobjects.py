"""Program MObjects (facts-more-ops §11.1, §11.2): the campaign family's programs (domain.catalogue) seen
as MObjects of type Program, the getMObjects criteria they take, and syncMObjects' UPDATE of their costs
and tags.

A program is answered as Marketo's sample shows it: attribList Name, Type, Workspace Id, Workspace Name,
Tree Path, Is Archived; typeAttribList a `Tag` for its channel (Type Channel) and for each tag, a `Token`
for each My Token, a `Cost` (Id, Month as YYYY-MM-01, Amount, Note when it has one) for each period
cost. Workspaces are numbered Default 1, then the others in configured order. mockmarketo holds no
archived program and no CRM id: `Include Archive` is checked but selects nothing away, `CRM Id` matches
only NE.

syncMObjects takes UPDATE only, by id: each `Cost` typeAttrib adds a period cost (Month YYYY-MM, Amount
required; an `Id` naming an existing cost replaces it), each `Tag` (Type, Value) sets the channel (Type
Channel) or a tag, which must exist. Anything else is that object's FAILED status.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal, InvalidOperation

from mockmarketo.domain.assets import Program, ProgramCost
from mockmarketo.domain.catalogue import AssetCatalogue
from mockmarketo.domain.workspaces import WorkspaceSetup

PROGRAM = "Program"
# attribList of a Program, in the order of Marketo's sample
ATTRIBUTES = ("Name", "Type", "Workspace Id", "Workspace Name", "Tree Path", "Is Archived")
# getMObjects criteria of a Program (the WSDL's list): name -> (attrType, the values of an object)
CRITERIA: dict[str, tuple[str, Callable]] = {
    "Id": ("integer", lambda o: [str(o.id)]),
    "Name": ("string", lambda o: [o.attributes["Name"]]),
    "CRM Id": ("string", lambda o: []),
    "Created At": ("datetime", lambda o: [_iso(o.created_at)] if o.created_at else []),
    "Updated At": ("datetime", lambda o: [_iso(o.updated_at)] if o.updated_at else []),
    "Tag Type": ("string", lambda o: _tag_part(o, "Type")),
    "Tag Value": ("string", lambda o: _tag_part(o, "Value")),
    "Workspace Id": ("integer", lambda o: [o.attributes["Workspace Id"]]),
    "Workspace Name": ("string", lambda o: [o.attributes["Workspace Name"]]),
    "Include Archive": ("boolean", None),  # no program is archived: it selects nothing away
}
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])(-01)?$")


@dataclass(frozen=True)
class Programs:
    """What Program MObjects are read from and written to, in one store transaction."""

    catalogue: AssetCatalogue
    workspaces: WorkspaceSetup
    now: datetime


class ProgramUpdateFailed(Exception):
    """A Program of a syncMObjects call that cannot be updated: its FAILED status says this."""


def _iso(moment) -> str:
    return moment.isoformat() + "Z"


def _tag_part(mobject, part: str) -> list[str]:
    return [dict(pairs)[part] for attr_type, pairs in mobject.type_attributes if attr_type == "Tag"]


def workspace_ids(workspaces: WorkspaceSetup) -> dict[str, int]:
    """Workspace name (lower case) -> its id: Default 1, the others from 2 in configured order."""
    others = [w.name for w in workspaces.workspaces if w is not workspaces.default_workspace]
    return {name.lower(): number for number, name in enumerate([workspaces.default_workspace.name, *others], 1)}


def program_mobject(program: Program, workspaces: WorkspaceSetup):
    """The MObject getMObjects answers for a program."""
    from mockmarketo.domain.mobjects import MObject  # (it imports this module)


    workspace_id = workspace_ids(workspaces).get(program.workspace.lower(), 1)
    attributes = {"Name": program.name, "Type": program.type, "Workspace Id": str(workspace_id),
                  "Workspace Name": program.workspace,
                  "Tree Path": f"/Marketing Activities/{program.workspace}/{program.name}", "Is Archived": "false"}
    type_attributes = []
    if program.channel:
        type_attributes.append(("Tag", [("Type", "Channel"), ("Value", program.channel)]))
    type_attributes += [("Tag", [("Type", tag_type), ("Value", value)]) for tag_type, value in program.tags.items()]
    type_attributes += [("Token", [("Name", name), ("Value", value)]) for name, value in program.tokens.items()]
    type_attributes += [("Cost", [("Id", str(cost.id)), ("Month", f"{cost.month}-01"), ("Amount", cost.amount),
                                  *([("Note", cost.note)] if cost.note else [])]) for cost in program.costs]
    return MObject(PROGRAM, program.id, None, attributes, [], program.created_at, program.updated_at,
                   type_attributes)


def program_mobjects(catalogue: AssetCatalogue, workspaces: WorkspaceSetup) -> list:
    """Every program as an MObject, ascending id."""
    return [program_mobject(program, workspaces) for program in catalogue.programs()]


# ---- syncMObjects UPDATE -----------------------------------------------------------------------------------

def update_program(catalogue: AssetCatalogue, item, operation: str, now) -> tuple[int, str]:
    """Apply one Program mObject of a syncMObjects call: (its id, UPDATED or UNCHANGED), or
    ProgramUpdateFailed."""
    if operation != "UPDATE":
        raise ProgramUpdateFailed(f"Program MObjects take UPDATE only, not {operation}")
    if item.id is None:
        raise ProgramUpdateFailed("UPDATE of a Program needs its id")
    if item.attributes or item.associations or item.external_key is not None:
        raise ProgramUpdateFailed("A Program takes only a typeAttribList (Cost, Tag) in syncMObjects")
    program = catalogue.program(program_id=item.id)
    if program is None:
        raise ProgramUpdateFailed(f"Program {item.id} not found")
    before = (program.channel, dict(program.tags), list(program.costs))
    for attr_type, pairs in item.type_attributes:
        values = {(name or "").strip().lower(): (value or "").strip() for name, value in pairs}
        kind = (attr_type or "").strip().lower()
        if kind == "cost":
            _add_cost(program, values)
        elif kind == "tag":
            _set_tag(catalogue, program, values)
        else:
            raise ProgramUpdateFailed(f"typeAttrib {attr_type!r}: a Program takes Cost and Tag")
    if (program.channel, program.tags, program.costs) == before:
        return program.id, "UNCHANGED"
    catalogue.save_program(program, now)
    return program.id, "UPDATED"


def _add_cost(program: Program, values: dict[str, str]) -> None:
    month = _MONTH.match(values.get("month", ""))
    if month is None:
        raise ProgramUpdateFailed(f"Cost: Month is required as YYYY-MM, got {values.get('month', '')!r}")
    try:
        amount = Decimal(values.get("amount", ""))
    except InvalidOperation:
        raise ProgramUpdateFailed(f"Cost: Amount is required as a number, got {values.get('amount', '')!r}") from None
    if not amount.is_finite():
        raise ProgramUpdateFailed(f"Cost: Amount is required as a number, got {values['amount']!r}")
    cost_id = values.get("id", "")
    if cost_id and not cost_id.isdigit():
        raise ProgramUpdateFailed(f"Cost: Id must be a cost id, got {cost_id!r}")
    number = int(cost_id) if cost_id else max([0, *(cost.id for cost in program.costs)]) + 1
    cost = ProgramCost(f"{month.group(1)}-{month.group(2)}", values["amount"], values.get("note", ""), number)
    program.costs = [c for c in program.costs if c.id != number] + [cost]


def _set_tag(catalogue: AssetCatalogue, program: Program, values: dict[str, str]) -> None:
    tag_type, value = values.get("type", ""), values.get("value", "")
    if not tag_type or not value:
        raise ProgramUpdateFailed("Tag: Type and Value are required")
    if tag_type.lower() == "channel":
        channel = next((c.name for c in catalogue.channels() if c.name.lower() == value.lower()), None)
        if channel is None:
            raise ProgramUpdateFailed(f"Tag: no channel {value!r} (known: "
                                      f"{', '.join(c.name for c in catalogue.channels())})")
        program.channel = channel
        return
    declared = next((t for t in catalogue.tag_types() if t.type.lower() == tag_type.lower()), None)
    if declared is None:
        raise ProgramUpdateFailed(f"Tag: no tag type {tag_type!r}")
    known = next((v for v in declared.values if v.lower() == value.lower()), None)
    if known is None:
        raise ProgramUpdateFailed(f"Tag: {value!r} is not a value of tag type {declared.type!r} "
                                  f"(known: {', '.join(declared.values)})")
    program.tags = {**{k: v for k, v in program.tags.items() if k.lower() != declared.type.lower()},
                    declared.type: known}
