"""Static lists: who is in them, listOperation, and the membership changes campaigns and imports make.

listOperation (facts-more-ops §4): the list is named by `MKTOLISTNAME` (any case); an unknown list is
20111. Members are lead keys, as getLead reads them (IDNUM in Marketo's docs; EMAIL names every lead with
the address); at most 1,000 per call (more: 20110, nothing done).
- ADDTOLIST: a lead already in the list counts as added; a key that names no lead fails.
- REMOVEFROMLIST: a key whose leads are not in the list (or that names no lead) fails.
- ISMEMBEROFLIST: each key's status says whether its lead is in the list.
- CLEARLIST (version 2_1): the list is emptied; the member keys are not needed.
`success` is true when every key succeeded (is a member). ISMEMBEROFLIST always lists every key with its
status; ADDTOLIST and REMOVEFROMLIST list every key only when one failed (statusList nil otherwise).
`strict` true makes a failing ADD or REMOVE a fault, with nothing changed: 20103 for a key that names no
lead, 20110 for a lead that is not in the list; ISMEMBEROFLIST ignores it.

Activities: every lead a call adds gets an "Add to List", every lead it removes a "Remove from List"
(List ID; and Campaign, when a campaign's flow does it), with the list's name as asset name; nothing for
a lead already in (or not in) the list, nothing for ISMEMBEROFLIST, nothing at all with 2_1's
`skipActivityLog` true.
"""

from __future__ import annotations

from dataclasses import dataclass

from mockmarketo.domain.activities import Activity
from mockmarketo.domain.assets import Assets, Campaign, StaticList
from mockmarketo.domain.catalogue import AssetCatalogue
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.lookup import find_by_key

ADD, REMOVE, IS_MEMBER, CLEAR = "ADDTOLIST", "REMOVEFROMLIST", "ISMEMBEROFLIST", "CLEARLIST"
OPERATIONS = (ADD, REMOVE, IS_MEMBER, CLEAR)
LIST_NAME_KEY = "MKTOLISTNAME"
LIST_KEY_TYPES = (LIST_NAME_KEY, "MKTOSALESUSERID", "SFDCLEADOWNERID")
MAX_MEMBERS = 1000
ADD_TO_LIST, REMOVE_FROM_LIST = "Add to List", "Remove from List"


def find_list(assets: AssetCatalogue, name: str | None = None, list_id: int | None = None) -> StaticList:
    """The static list with this id, else this name (any case); 20111 if there is none."""
    found = assets.static_list(name, list_id)
    if found is None:
        named = f"id {list_id}" if list_id is not None else f"name {name!r}"
        raise MarketoError(20111, f"ListKey specifies a list that does not exist: no static list with {named}")
    return found


def list_member_ids(repo, assets: Assets, name: str | None = None, list_id: int | None = None) -> list[int]:
    """The ids of a static list's leads, ascending, for the list of this id (else name); 20111 if none.
    `repo`: a store LeadRepository; `assets`: the configured assets (Settings.assets)."""
    found = find_list(AssetCatalogue(assets, repo.marketing.assets), name, list_id)
    return repo.marketing.members.members(found.id)


def move_list_memberships(repo, loser_ids: list[int], winner_id: int) -> None:
    """Give the winner of a merge the lists of the losing leads (call before deleting them). A list the
    winner is in already stays as it was; no activity is written (the merge writes its own)."""
    members = repo.marketing.members
    moved: dict[int, object] = {}
    for list_id, lead_id, added_at in sorted(members.of_leads(loser_ids), key=lambda row: row[2]):
        if lead_id != winner_id:
            moved.setdefault(list_id, added_at)
    for list_id, added_at in moved.items():
        members.remove(list_id, [lead for lead in loser_ids if lead != winner_id])
        if not members.members_among(list_id, [winner_id]):
            members.add(list_id, [winner_id], added_at)


def add_members(ctx, static_list: StaticList, lead_ids: list[int], campaign: Campaign | None = None,
                log: bool = True) -> list[int]:
    """Add the leads not in the list yet, each with an Add to List; the ids added."""
    present = ctx.members.members_among(static_list.id, lead_ids)
    added = [lead_id for lead_id in dict.fromkeys(lead_ids) if lead_id not in present]
    ctx.members.add(static_list.id, added, ctx.now)
    if log:
        for lead_id in added:
            _log(ctx, ADD_TO_LIST, lead_id, static_list, campaign)
    return added


def remove_members(ctx, static_list: StaticList, lead_ids: list[int], campaign: Campaign | None = None,
                   log: bool = True) -> list[int]:
    """Remove the leads that are in the list, each with a Remove from List; the ids removed."""
    present = ctx.members.members_among(static_list.id, lead_ids)
    removed = [lead_id for lead_id in dict.fromkeys(lead_ids) if lead_id in present]
    ctx.members.remove(static_list.id, removed)
    if log:
        for lead_id in removed:
            _log(ctx, REMOVE_FROM_LIST, lead_id, static_list, campaign)
    return removed


def _log(ctx, activity_type: str, lead_id: int, static_list: StaticList, campaign: Campaign | None) -> None:
    attributes = [("List ID", str(static_list.id))]
    if campaign is not None:
        attributes.append(("Campaign", campaign.full_name))
        program = ctx.assets.program(campaign.program) if campaign.program else None
        if activity_type == REMOVE_FROM_LIST and program is not None and program.channel:
            attributes.append(("Channel", program.channel))
    ctx.log.add(Activity(lead_id, activity_type, ctx.now, attributes, asset_name=static_list.name,
                         campaign=campaign.full_name if campaign is not None else None))


# -- listOperation ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ListRequest:
    operation: str | None
    list_key_type: str | None
    list_key_value: str | None
    members: list[tuple[str | None, str | None]] | None  # (keyType, keyValue) as sent; None: no list
    strict: bool = False
    skip_activity_log: bool = False


@dataclass(frozen=True)
class ListResult:
    success: bool
    statuses: list[tuple[str, str, bool]] | None  # (keyType, keyValue, status); None: statusList nil


def list_operation(ctx, request: ListRequest) -> ListResult:
    operation = _operation(request)
    static_list = _list_of_key(ctx, request)
    log = not request.skip_activity_log
    if operation == CLEAR:
        remove_members(ctx, static_list, ctx.members.members(static_list.id), log=log)
        return ListResult(True, None)
    keys = request.members
    if keys is None:
        raise MarketoError(20109, "listMemberList is required")
    if len(keys) > MAX_MEMBERS:
        raise MarketoError(20110, f"listMemberList holds {len(keys)} lead keys; at most {MAX_MEMBERS} are "
                                  "allowed per call")
    found = [_leads_of_key(ctx.repo, key_type, key_value) for key_type, key_value in keys]
    everyone = [lead_id for lead_ids in found for lead_id in lead_ids]
    present = ctx.members.members_among(static_list.id, everyone)
    if operation == ADD:
        statuses = [bool(lead_ids) for lead_ids in found]
    else:
        statuses = [any(lead_id in present for lead_id in lead_ids) for lead_ids in found]
    if request.strict and operation != IS_MEMBER:
        _refuse_failures(keys, found, statuses, static_list)
    if operation == ADD:
        add_members(ctx, static_list, everyone, log=log)
    elif operation == REMOVE:
        remove_members(ctx, static_list, everyone, log=log)
    success = all(statuses)
    listed = [(key_type or "", key_value or "", status) for (key_type, key_value), status in zip(keys, statuses)]
    return ListResult(success, listed if operation == IS_MEMBER or not success else None)


def _operation(request: ListRequest) -> str:
    if not request.operation:
        raise MarketoError(20109, "listOperation is required")
    operation = request.operation.strip()
    if operation not in OPERATIONS:
        raise MarketoError(20110, f"listOperation {request.operation!r} is not one of {', '.join(OPERATIONS)}")
    return operation


def _list_of_key(ctx, request: ListRequest) -> StaticList:
    if not request.list_key_type or request.list_key_value is None:
        raise MarketoError(20109, "listKey with keyType and keyValue is required")
    key_type = request.list_key_type.strip()
    if key_type != LIST_NAME_KEY:
        known = key_type in LIST_KEY_TYPES
        raise MarketoError(20110, f"listKey keyType {key_type!r} is "
                                  f"{'not emulated by mockmarketo' if known else 'not valid'}: "
                                  f"name the static list with {LIST_NAME_KEY}")
    return find_list(ctx.assets, request.list_key_value.strip())


def _leads_of_key(repo, key_type: str | None, key_value: str | None) -> list[int]:
    if not key_type:
        raise MarketoError(20101, "LeadKey is required but was not provided: a leadKey has no keyType")
    if key_value is None:
        raise MarketoError(20109, "keyValue is required")
    return [lead.id for lead in find_by_key(repo, key_type.strip(), key_value)]


def _refuse_failures(keys, found, statuses, static_list: StaticList) -> None:
    for (key_type, key_value), lead_ids, status in zip(keys, found, statuses):
        if status:
            continue
        if not lead_ids:
            raise MarketoError(20103, f"No lead found with {key_type} = {key_value}")
        raise MarketoError(20110, f"Lead {key_type} = {key_value} is not a member of list {static_list.name!r}")
