"""The 23 operations of Marketo's mktows WSDL (facts §2.1), which of them mockmarketo emulates, and
the request element that names each."""

from __future__ import annotations

OPERATIONS = (
    "deleteMObjects", "describeMObject", "getMObjects", "syncMObjects", "getCampaignsForSource",
    "getImportToListStatus", "getLead", "getLeadActivity", "getLeadChanges", "getMultipleLeads", "importToList",
    "listMObjects", "listOperation", "requestCampaign", "scheduleCampaign", "syncLead", "syncMultipleLeads",
    "syncCustomObjects", "deleteCustomObjects", "getCustomObjects", "mergeLeads", "getChannels", "getTags",
)

# every one; an operation without a family service would answer 20019 "not emulated" (soap.service)
EMULATED = OPERATIONS

NOT_EMULATED = tuple(operation for operation in OPERATIONS if operation not in EMULATED)


def capitalised(operation: str) -> str:
    """`syncLead` -> `SyncLead`, as in the operation's element names (paramsSyncLead, successSyncLead)."""
    return operation[0].upper() + operation[1:]


def operation_of_element(local_name: str) -> str | None:
    """`paramsSyncLead` -> `syncLead`; None for an element that is no operation's request."""
    if not local_name.startswith("params") or len(local_name) <= len("params"):
        return None
    rest = local_name[len("params"):]
    operation = rest[0].lower() + rest[1:]
    return operation if operation in OPERATIONS else None
