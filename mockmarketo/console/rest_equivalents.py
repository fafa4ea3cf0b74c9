"""The migration hint: for each of the 23 SOAP operations, the call of Marketo's REST API that does the
same job, refined by what a journaled request's parameters say (the lookup field its lead key implies,
the list operation, the custom object's type, ...).

Marketo retired the SOAP API in 2026; teams testing a SOAP integration against the mock can see, call
by call, what the port to REST involves. REST_CALLS is the table docs/console.md shows; a test keeps
the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RestCall:
    method: str
    path: str
    note: str = ""  # the query or body essentials, in a few words

    def __str__(self) -> str:
        return f"{self.method} {self.path}" + (f" ({self.note})" if self.note else "")


PAGING_TOKEN = "nextPageToken from GET /rest/v1/activities/pagingtoken.json?sinceDatetime=…"

REST_CALLS: dict[str, RestCall] = {
    "syncLead": RestCall("POST", "/rest/v1/leads.json",
                         "action=createOrUpdate, lookupField from the lead's key: id, email, or a dedupe "
                         "field; marketoCookie: then POST /rest/v1/leads/{id}/associate.json?cookie=…"),
    "syncMultipleLeads": RestCall("POST", "/rest/v1/leads.json",
                                  "up to 300 leads; action=createOrUpdate (dedupEnabled=false: "
                                  "createDuplicate), lookupField from the records' key"),
    "getLead": RestCall("GET", "/rest/v1/leads.json", "filterType from keyType (id, email, cookies, "
                                                      "sfdcLeadId, …), filterValues=the key"),
    "getMultipleLeads": RestCall("GET", "/rest/v1/leads.json",
                                 "lead keys: filterType+filterValues, nextPageToken; static list: "
                                 "GET /rest/v1/lists/{listId}/leads.json; last updated: "
                                 "GET /rest/v1/activities/leadchanges.json or a bulk lead export"),
    "getLeadActivity": RestCall("GET", "/rest/v1/activities.json",
                                f"activityTypeIds, leadIds, {PAGING_TOKEN}"),
    "getLeadChanges": RestCall("GET", "/rest/v1/activities.json",
                               f"activityTypeIds, {PAGING_TOKEN} (Change Data Value only: "
                               "GET /rest/v1/activities/leadchanges.json?fields=…)"),
    "listOperation": RestCall("POST", "/rest/v1/lists/{listId}/leads.json",
                              "ADDTOLIST; REMOVEFROMLIST: DELETE on the same path; ISMEMBEROFLIST: "
                              "GET /rest/v1/lists/{listId}/leads/ismember.json?id=…"),
    "requestCampaign": RestCall("POST", "/rest/v1/campaigns/{campaignId}/trigger.json",
                                "input.leads=[{id}], input.tokens"),
    "scheduleCampaign": RestCall("POST", "/rest/v1/campaigns/{campaignId}/schedule.json",
                                 "input.runAt, input.tokens"),
    "getCampaignsForSource": RestCall("GET", "/rest/v1/campaigns.json", "isTriggerable=true, name=…"),
    "mergeLeads": RestCall("POST", "/rest/v1/leads/{winnerId}/merge.json", "leadIds=the losers"),
    "importToList": RestCall("POST", "/bulk/v1/leads.json", "format=csv, listId=…, the rows as a file"),
    "getImportToListStatus": RestCall("GET", "/bulk/v1/leads/batch/{batchId}.json"),
    "syncCustomObjects": RestCall("POST", "/rest/v1/customobjects/{apiName}.json",
                                  "action from operation: createOnly, updateOnly, createOrUpdate; "
                                  "dedupeBy=dedupeFields"),
    "getCustomObjects": RestCall("GET", "/rest/v1/customobjects/{apiName}.json",
                                 "filterType+filterValues from the keys, nextPageToken"),
    "deleteCustomObjects": RestCall("POST", "/rest/v1/customobjects/{apiName}/delete.json",
                                    "deleteBy=dedupeFields"),
    "syncMObjects": RestCall("POST", "/rest/v1/opportunities.json",
                             "Opportunity; OpportunityPersonRole: /rest/v1/opportunities/roles.json; "
                             "action from operation"),
    "getMObjects": RestCall("GET", "/rest/v1/opportunities.json",
                            "filterType+filterValues; OpportunityPersonRole: /rest/v1/opportunities/roles.json; "
                            "Program: GET /rest/asset/v1/programs.json"),
    "deleteMObjects": RestCall("POST", "/rest/v1/opportunities/delete.json",
                               "OpportunityPersonRole: /rest/v1/opportunities/roles/delete.json"),
    "describeMObject": RestCall("GET", "/rest/v1/opportunities/describe.json",
                                "LeadRecord: GET /rest/v1/leads/describe2.json; ActivityRecord: "
                                "GET /rest/v1/activities/types.json"),
    "listMObjects": RestCall("GET", "/rest/v1/customobjects.json",
                             "custom objects; leads, opportunities, roles and companies each have a describe.json"),
    "getChannels": RestCall("GET", "/rest/asset/v1/channels.json"),
    "getTags": RestCall("GET", "/rest/asset/v1/tagTypes.json"),
}

# getLead's keyType -> the REST filterType (a searchable lead field)
FILTER_TYPES = {"IDNUM": "id", "EMAIL": "email", "COOKIE": "cookies", "SFDCLEADID": "sfdcLeadId",
                "SFDCCONTACTID": "sfdcContactId", "SFDCACCOUNTID": "sfdcAccountId",
                "SFDCLEADOWNERID": "sfdcLeadOwnerId", "LEADOWNEREMAIL": "leadOwnerEmail",
                "SFDCOPPTYID": "sfdcOpptyId"}
# syncMObjects / syncCustomObjects operation -> REST action
ACTIONS = {"INSERT": "createOnly", "UPDATE": "updateOnly", "UPSERT": "createOrUpdate"}
# MObject types with REST paths of their own, as (sync/get path, delete path, describe path)
_MOBJECT_PATHS = {
    "Opportunity": ("/rest/v1/opportunities.json", "/rest/v1/opportunities/delete.json",
                    "/rest/v1/opportunities/describe.json"),
    "OpportunityPersonRole": ("/rest/v1/opportunities/roles.json", "/rest/v1/opportunities/roles/delete.json",
                              "/rest/v1/opportunities/roles/describe.json"),
}
_DESCRIBE_PATHS = {"LeadRecord": "/rest/v1/leads/describe2.json", "ActivityRecord": "/rest/v1/activities/types.json",
                   **{name: paths[2] for name, paths in _MOBJECT_PATHS.items()}}


def _dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def _lookup_field(record: dict) -> str:
    """The REST lookupField a SOAP lead record's key implies (Id wins, then the foreign id, then Email)."""
    if record.get("Id"):
        return "lookupField=id"
    if record.get("ForeignSysPersonId"):
        return "lookupField=a dedupe field holding ForeignSysPersonId (REST has no foreign system id)"
    return "lookupField=email"


def _sync_lead(params: dict) -> RestCall:
    note = f"action=createOrUpdate, {_lookup_field(_dict(params.get('leadRecord')))}"
    if params.get("marketoCookie"):
        note += "; then POST /rest/v1/leads/{id}/associate.json?cookie=the marketoCookie"
    return RestCall("POST", "/rest/v1/leads.json", note)


def _sync_multiple_leads(params: dict) -> RestCall:
    records = [_dict(r) for r in params.get("leadRecordList") or [] if isinstance(r, dict)]
    action = "createDuplicate" if str(params.get("dedupEnabled", "")).lower() in ("false", "0") else "createOrUpdate"
    lookups = sorted({_lookup_field(record) for record in records}) or ["lookupField=email"]
    lookup = lookups[0] if len(lookups) == 1 else "one call per key: " + "; ".join(lookups)
    return RestCall("POST", "/rest/v1/leads.json", f"up to 300 leads; action={action}, {lookup}")


def _lead_filter(key_type) -> str:
    field = FILTER_TYPES.get(str(key_type or "").upper())
    return f"filterType={field}" if field else "filterType=a searchable lead field"


def _get_lead(params: dict) -> RestCall:
    key = _dict(params.get("leadKey"))
    return RestCall("GET", "/rest/v1/leads.json", f"{_lead_filter(key.get('keyType'))}&filterValues=the key")


def _get_multiple_leads(params: dict) -> RestCall:
    selector = _dict(params.get("leadSelector"))
    if "keyType" in selector:
        return RestCall("GET", "/rest/v1/leads.json",
                        f"{_lead_filter(selector.get('keyType'))}&filterValues=up to 300 keys, nextPageToken")
    if "staticListId" in selector or "staticListName" in selector:
        return RestCall("GET", "/rest/v1/lists/{listId}/leads.json", "nextPageToken")
    if "oldestUpdatedAt" in selector or params.get("lastUpdatedAt"):
        return RestCall("GET", "/rest/v1/activities/leadchanges.json",
                        f"{PAGING_TOKEN}; or a bulk lead export (POST /bulk/v1/leads/export/create.json) "
                        "filtered on updatedAt")
    return REST_CALLS["getMultipleLeads"]


def _list_operation(params: dict) -> RestCall:
    operation = str(params.get("listOperation") or "").upper()
    if operation == "REMOVEFROMLIST":
        return RestCall("DELETE", "/rest/v1/lists/{listId}/leads.json", "id=the lead ids")
    if operation == "ISMEMBEROFLIST":
        return RestCall("GET", "/rest/v1/lists/{listId}/leads/ismember.json", "id=the lead ids")
    return RestCall("POST", "/rest/v1/lists/{listId}/leads.json", "input=[{id}]")


def _mobject_type(params: dict) -> str | None:
    if isinstance(params.get("type"), str):
        return params["type"]
    objects = _dict(params.get("mObjectList")).get("mObject")
    first = objects[0] if isinstance(objects, list) and objects else objects
    return _dict(first).get("type")


def _sync_mobjects(params: dict) -> RestCall:
    path = _MOBJECT_PATHS.get(_mobject_type(params), _MOBJECT_PATHS["Opportunity"])[0]
    return RestCall("POST", path, f"action={ACTIONS.get(str(params.get('operation')), 'createOrUpdate')}")


def _get_mobjects(params: dict) -> RestCall:
    kind = _mobject_type(params)
    if kind == "Program":
        return RestCall("GET", "/rest/asset/v1/programs.json", "offset, maxReturn")
    return RestCall("GET", _MOBJECT_PATHS.get(kind, _MOBJECT_PATHS["Opportunity"])[0],
                    "filterType+filterValues, nextPageToken")


def _delete_mobjects(params: dict) -> RestCall:
    return RestCall("POST", _MOBJECT_PATHS.get(_mobject_type(params), _MOBJECT_PATHS["Opportunity"])[1],
                    "deleteBy=dedupeFields or idField")


def _describe_mobject(params: dict) -> RestCall:
    return RestCall("GET", _DESCRIBE_PATHS.get(params.get("objectName"), _DESCRIBE_PATHS["Opportunity"]))


def _custom_object_path(params: dict, suffix: str = "") -> str:
    name = params.get("objTypeName")
    api_name = name if isinstance(name, str) and name else "{apiName}"
    return f"/rest/v1/customobjects/{api_name}{suffix}.json"


def _sync_custom_objects(params: dict) -> RestCall:
    action = ACTIONS.get(str(params.get("operation")), "createOrUpdate")
    return RestCall("POST", _custom_object_path(params), f"action={action}, dedupeBy=dedupeFields")


def _get_custom_objects(params: dict) -> RestCall:
    return RestCall("GET", _custom_object_path(params), "filterType+filterValues from the keys, nextPageToken")


def _delete_custom_objects(params: dict) -> RestCall:
    return RestCall("POST", _custom_object_path(params, "/delete"), "deleteBy=dedupeFields")


_REFINED = {
    "syncLead": _sync_lead, "syncMultipleLeads": _sync_multiple_leads, "getLead": _get_lead,
    "getMultipleLeads": _get_multiple_leads, "listOperation": _list_operation, "syncMObjects": _sync_mobjects,
    "getMObjects": _get_mobjects, "deleteMObjects": _delete_mobjects, "describeMObject": _describe_mobject,
    "syncCustomObjects": _sync_custom_objects, "getCustomObjects": _get_custom_objects,
    "deleteCustomObjects": _delete_custom_objects,
}


def rest_equivalent(operation: str | None, params) -> RestCall | None:
    """The REST call that does what this SOAP call did; None for a request naming no operation."""
    if operation not in REST_CALLS:
        return None
    refine = _REFINED.get(operation)
    return refine(_dict(params)) if refine is not None else REST_CALLS[operation]
