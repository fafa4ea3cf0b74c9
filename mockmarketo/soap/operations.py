"""The operations of Marketo's mktows WSDL (facts §2.1): which mockmarketo emulates, and their elements."""

from __future__ import annotations

EMULATED = ("syncLead", "getLead", "syncMultipleLeads", "getMultipleLeads")

NOT_EMULATED = (
    "deleteMObjects", "describeMObject", "getMObjects", "syncMObjects", "getCampaignsForSource",
    "getImportToListStatus", "getLeadActivity", "getLeadChanges", "importToList", "listMObjects",
    "listOperation", "requestCampaign", "scheduleCampaign", "syncCustomObjects", "deleteCustomObjects",
    "getCustomObjects", "mergeLeads", "getChannels", "getTags",
)


def operation_of_element(local_name: str) -> str | None:
    """`paramsSyncLead` -> `syncLead`; None for an element that is no operation's request."""
    if not local_name.startswith("params") or len(local_name) <= len("params"):
        return None
    rest = local_name[len("params"):]
    operation = rest[0].lower() + rest[1:]
    return operation if operation in EMULATED or operation in NOT_EMULATED else None
