"""One representative call of each of the 23 operations, for tests/test_interop_operations.py: the request
every client is asked to send (element-name JSON, see driver_loop.py), the parameters the journal must
show for it (GET /_mock/requests `params`: soap/summary.py's form, record lists always as lists), what it
needs seeded, and the checks
of a successful answer.

Requests are the verbatim requests of Marketo's docs (facts-more-ops, facts §3) wherever the 2_1 WSDL
can express them; every difference is said where the case is. DEVIATIONS lists what one client cannot
build as the docs show, and what it sends instead.

Seeding uses the control routes (docs/control-api.md: /_mock/activities, /_mock/programs, /_mock/lists,
/_mock/campaigns, /_mock/custom-objects/<type>, /_mock/mobjects/<type>, custom object types in
/_mock/config).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mockmarketo.testing import MarketoInstance
from tests import soap_messages as sm


class Setup:
    """What a case seeds through: its instance's control API, and signed SOAP calls."""

    def __init__(self, marketo: MarketoInstance):
        self.marketo = marketo

    def leads(self, *leads: dict) -> None:
        self.marketo.seed(*leads)

    def post(self, route: str, body) -> None:
        self.marketo.server.request("POST", f"/_mock/{route}", body, instance=self.marketo.name)

    def config(self, **sections) -> None:
        self.marketo.config(**sections)

    def soap(self, body: str) -> sm.SoapResponse:
        caller = sm.HttpSoapCaller(self.marketo.endpoint)
        try:
            return caller.call(body, sm.auth_header(self.marketo.user_id, self.marketo.secret_key))
        finally:
            caller.close()


@dataclass(frozen=True)
class Case:
    request: dict
    params: dict
    check: Callable[[dict], None]
    seed: Callable[[Setup], None] = lambda setup: None
    # element -> the xsi:type (a mktows type) the request gives it
    subtypes: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Deviation:
    """What one client sends instead of the case's request, and why."""
    why: str
    request: dict
    params: dict


def plain(value):
    """A client's answer with every leaf as its XML text: booleans `true`/`false`, numbers as decimals."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, dict):
        return {name: plain(item) for name, item in value.items()}
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def listed(wrapper, name: str) -> list:
    """The `name` items of an ArrayOf* element as a list: nil, empty or absent is []."""
    items = wrapper.get(name) if isinstance(wrapper, dict) else None
    if items is None:
        return []
    return items if isinstance(items, list) else [items]


def attributes(array) -> dict:
    """An ArrayOfAttribute as {attrName: attrValue}."""
    return {item["attrName"]: item["attrValue"] for item in listed(array, "attribute")}


CASES: dict[str, Case] = {}


# ---- leads (facts §2.3, §2.4, §3) ----------------------------------------------------------------------

def _check_sync_lead(response):
    result = response["result"]
    assert (result["syncStatus"]["status"], result["syncStatus"]["leadId"]) == ("CREATED", result["leadId"])


CASES["syncLead"] = Case(  # facts §3: the doc's request, verbatim
    request={"leadRecord": {"Email": "t@t.com", "leadAttributeList": {"attribute": [
                {"attrName": "FirstName", "attrValue": "George"},
                {"attrName": "LastName", "attrValue": "of the Jungle"}]}},
             "returnLead": False},
    params={"leadRecord": {"Email": "t@t.com", "leadAttributeList": {"FirstName": "George",
                                                                      "LastName": "of the Jungle"}},
            "returnLead": "false"},
    check=_check_sync_lead)


def _seed_get_lead(setup):
    setup.leads({"id": 1089965, "email": "rufus@marketo.com",
                 "attributes": {"FirstName": "Travis", "LastName": "Kaufman"}})


def _check_get_lead(response):
    result = response["result"]
    [lead] = listed(result["leadRecordList"], "leadRecord")
    assert (result["count"], lead["Id"], lead["Email"], attributes(lead["leadAttributeList"])) == (
        "1", "1089965", "rufus@marketo.com", {"FirstName": "Travis", "LastName": "Kaufman"})


CASES["getLead"] = Case(  # facts §2.4 (no verbatim request in the facts): the lead of the doc's response, §6
    request={"leadKey": {"keyType": "EMAIL", "keyValue": "rufus@marketo.com"}},
    params={"leadKey": {"keyType": "EMAIL", "keyValue": "rufus@marketo.com"}},
    seed=_seed_get_lead, check=_check_get_lead)


def _seed_ann(setup):
    setup.leads({"id": 1090239, "email": "ann@example.com"})


def _check_sync_multiple_leads(response):
    statuses = listed(response["result"]["syncStatusList"], "syncStatus")
    assert [(status["leadId"], status["status"]) for status in statuses] == [
        ("1090239", "UPDATED"), ("1090240", "CREATED")]


CASES["syncMultipleLeads"] = Case(  # facts §2.4, §9.1 (no verbatim request): one known lead, one new
    request={"leadRecordList": {"leadRecord": [
                {"Email": "ann@example.com", "leadAttributeList": {"attribute": [
                    {"attrName": "FirstName", "attrValue": "Ann"}]}},
                {"Email": "bob@example.com", "leadAttributeList": {"attribute": [
                    {"attrName": "FirstName", "attrValue": "Bob"}]}}]},
             "dedupEnabled": True},
    params={"leadRecordList": [{"Email": "ann@example.com", "leadAttributeList": {"FirstName": "Ann"}},
                               {"Email": "bob@example.com", "leadAttributeList": {"FirstName": "Bob"}}],
            "dedupEnabled": "true"},
    seed=_seed_ann, check=_check_sync_multiple_leads)


def _seed_ann_and_bob(setup):
    setup.leads({"id": 1090239, "email": "ann@example.com"}, {"id": 1090240, "email": "bob@example.com"})


def _check_get_multiple_leads(response):
    result = response["result"]
    emails = sorted(lead["Email"] for lead in listed(result["leadRecordList"], "leadRecord"))
    assert (result["returnCount"], result["remainingCount"], emails) == (
        "2", "0", ["ann@example.com", "bob@example.com"])


CASES["getMultipleLeads"] = Case(  # facts §2.4: the abstract leadSelector sent as an xsi:type'd LeadKeySelector
    request={"leadSelector": {"xsi:type": "LeadKeySelector", "keyType": "EMAIL",
                              "keyValues": {"stringItem": ["ann@example.com", "bob@example.com"]}},
             "batchSize": 10},
    params={"leadSelector": {"keyType": "EMAIL", "keyValues": ["ann@example.com", "bob@example.com"]},
            "batchSize": "10"},
    subtypes={"leadSelector": "LeadKeySelector"},
    seed=_seed_ann_and_bob, check=_check_get_multiple_leads)


# ---- activities (facts-more-ops §2, §3, §8) -----------------------------------------------------------

def _seed_activities(setup, email: str, *activities: tuple[str, str, str]):
    """Lead 1089965 with `email`, and its activities (type, time, asset name)."""
    setup.leads({"id": 1089965, "email": email})
    for kind, at, asset in activities:
        setup.post("activities", {"email": email, "type": kind, "at": at, "asset_name": asset})


def _assert_activities(page: dict, records: str, record: str, expected: list) -> None:
    """A page of activities: its counts, and (activityType, mktgAssetName, mktPersonId) of each record."""
    found = [(r["activityType"], r["mktgAssetName"], r["mktPersonId"]) for r in listed(page[records], record)]
    assert (page["returnCount"], page["remainingCount"], found) == (str(len(expected)), "0", expected)


def _seed_lead_activity(setup):
    _seed_activities(setup, "leademail@company.com", ("Fill Out Form", "2013-07-03T22:54:50Z", "WebHookForm"),
                     ("Visit Webpage", "2013-07-09T21:44:28Z", "ClickDemo"),
                     ("Open Email", "2013-07-10T08:00:00Z", "Newsletter"))


def _check_lead_activity(response):  # newest first
    _assert_activities(response["leadActivityList"], "activityRecordList", "activityRecord", [
        ("Visit Webpage", "ClickDemo", "1089965"), ("Fill Out Form", "WebHookForm", "1089965")])


CASES["getLeadActivity"] = Case(  # facts-more-ops §2: the doc's request, verbatim
    request={"leadKey": {"keyType": "EMAIL", "keyValue": "leademail@company.com"},
             "activityFilter": {"includeTypes": {"activityType": ["VisitWebpage", "FillOutForm"]}},
             "startPosition": {"latestCreatedAt": "", "offset": ""},
             "batchSize": 10},
    params={"leadKey": {"keyType": "EMAIL", "keyValue": "leademail@company.com"},
            "activityFilter": {"includeTypes": ["VisitWebpage", "FillOutForm"]},
            "startPosition": {"latestCreatedAt": "", "offset": ""},
            "batchSize": "10"},
    seed=_seed_lead_activity, check=_check_lead_activity)


def _seed_lead_changes(setup):
    _seed_activities(setup, "t@t.com", ("Visit Webpage", "2013-07-31T23:00:00Z", "Before"),
                     ("Visit Webpage", "2013-08-01T10:00:00Z", "ClickDemo"),
                     ("Click Link", "2013-08-01T11:00:00Z", "Demo Link"),
                     ("Open Email", "2013-08-01T12:00:00Z", "Newsletter"))


def _check_lead_changes(response):  # oldest first, from oldestCreatedAt on
    _assert_activities(response["result"], "leadChangeRecordList", "leadChangeRecord", [
        ("Visit Webpage", "ClickDemo", "1089965"), ("Click Link", "Demo Link", "1089965")])


CASES["getLeadChanges"] = Case(
    # facts-more-ops §3: the doc filters by display name with activityNameFilter, which version 2_3 added.
    # Clients built from the 2_1 WSDL: zeep, suds and the Java stubs refuse it, PHP SoapClient leaves it out
    # without a word, node-soap sends it (it sends any member it is given). So every client sends the
    # same filter by WSDL token, in 2_1's activityFilter.
    request={"startPosition": {"oldestCreatedAt": "2013-08-01T00:13:13+00:00"},
             "activityFilter": {"includeTypes": {"activityType": ["VisitWebpage", "ClickLink"]}},
             "batchSize": 10},
    params={"startPosition": {"oldestCreatedAt": "2013-08-01T00:13:13+00:00"},
            "activityFilter": {"includeTypes": ["VisitWebpage", "ClickLink"]},
            "batchSize": "10"},
    seed=_seed_lead_changes, check=_check_lead_changes)


def _seed_merge_leads(setup):
    setup.leads({"id": 2, "email": "winner@example.com", "attributes": {"FirstName": "Win"}},
                {"id": 15, "email": "loser15@example.com", "attributes": {"LastName": "Fifteen"}},
                {"id": 16, "email": "loser16@example.com"})


def _check_merge_leads(response):
    status = response["result"]["mergeStatus"]
    assert (status["winningLeadId"], listed(status["losingLeadIdList"], "integerItem"), status["status"]) == (
        "2", ["15", "16"], "MERGED")


CASES["mergeLeads"] = Case(  # facts-more-ops §8: the doc's request, verbatim
    request={"winningLeadKeyList": {"attribute": [{"attrName": "IDNUM", "attrValue": "2"}]},
             "losingLeadKeyLists": {"keyList": [{"attribute": [{"attrName": "IDNUM", "attrValue": "15"}]},
                                                {"attribute": [{"attrName": "IDNUM", "attrValue": "16"}]}]}},
    params={"winningLeadKeyList": {"IDNUM": "2"},
            "losingLeadKeyLists": [{"IDNUM": "15"}, {"IDNUM": "16"}]},
    seed=_seed_merge_leads, check=_check_merge_leads)


# ---- lists, campaigns, programs (facts-more-ops §4–§7, §9, §12) --------------------------------------

def _seed_list_operation(setup):
    setup.leads({"id": 1001086, "email": "member@example.com"})
    setup.post("lists", {"id": 1001, "name": "foo_list"})


def _check_list_operation(response):
    result = response["result"]
    assert (result["success"], listed(result["statusList"], "leadStatus")) == ("true", [])


CASES["listOperation"] = Case(
    # facts-more-ops §4: markety's captured request, verbatim, `strict` before `listKey` as it sent it
    # (clients that order by the schema send it last: the journal's params do not show the order)
    request={"listOperation": "ADDTOLIST", "strict": False,
             "listKey": {"keyType": "MKTOLISTNAME", "keyValue": "foo_list"},
             "listMemberList": {"leadKey": [{"keyType": "IDNUM", "keyValue": "1001086"}]}},
    params={"listOperation": "ADDTOLIST", "strict": "false",
            "listKey": {"keyType": "MKTOLISTNAME", "keyValue": "foo_list"},
            "listMemberList": {"leadKey": {"keyType": "IDNUM", "keyValue": "1001086"}}},
    seed=_seed_list_operation, check=_check_list_operation)


PROGRAM = "Trav-Demo-Program"
BATCH_CAMPAIGN = "Batch Campaign Example"


def _seed_request_campaign(setup):
    setup.leads({"email": "lead@company.com"}, {"email": "anotherlead@company.com"})
    setup.post("programs", {"name": PROGRAM})
    setup.post("campaigns", {"id": 4496, "name": "Send Confirmation", "program": PROGRAM, "source": ["MKTOWS"],
                             "requestable": True})


def _check_success(response):
    assert response["result"]["success"] == "true"


CASES["requestCampaign"] = Case(  # facts-more-ops §5: the doc's request, verbatim
    request={"source": "MKTOWS", "campaignId": 4496,
             "leadList": {"leadKey": [{"keyType": "EMAIL", "keyValue": "lead@company.com"},
                                      {"keyType": "EMAIL", "keyValue": "anotherlead@company.com"}]}},
    params={"source": "MKTOWS", "campaignId": "4496",
            "leadList": {"leadKey": [{"keyType": "EMAIL", "keyValue": "lead@company.com"},
                                     {"keyType": "EMAIL", "keyValue": "anotherlead@company.com"}]}},
    seed=_seed_request_campaign, check=_check_success)


def _seed_program_with_batch_campaign(setup):
    setup.post("programs", {"name": PROGRAM, "tokens": {"{{my.message}}": "Message",
                                                        "{{my.other token}}": "Other"}})
    setup.post("campaigns", {"id": 4497, "name": BATCH_CAMPAIGN, "program": PROGRAM, "requestable": False})


CASES["scheduleCampaign"] = Case(
    # facts-more-ops §6: the doc's request without `cloneToProgramName`, which only version 3_1's schema
    # has: zeep, suds and the Java stubs built from the 2_1 WSDL refuse it, PHP SoapClient leaves it out
    # without a word, node-soap sends it
    request={"programName": PROGRAM, "campaignName": BATCH_CAMPAIGN,
             "campaignRunAt": "2013-08-03T21:39:34-07:00",
             "programTokenList": {"attrib": [{"name": "{{my.message}}", "value": "Updated message"},
                                             {"name": "{{my.other token}}", "value": "Value for other token"}]}},
    params={"programName": PROGRAM, "campaignName": BATCH_CAMPAIGN,
            "campaignRunAt": "2013-08-03T21:39:34-07:00",
            "programTokenList": {"attrib": [{"name": "{{my.message}}", "value": "Updated message"},
                                            {"name": "{{my.other token}}", "value": "Value for other token"}]}},
    seed=_seed_program_with_batch_campaign, check=_check_success)


def _seed_campaigns(setup):
    setup.post("programs", {"name": "ER Demo"})
    for campaign_id, name, sources in ((3374, "Triggered Campaign", ["MKTOWS"]),
                                       (4240, "Fulfillment Email Trigger for Social App:", ["MKTOWS"]),
                                       (4496, "Send Confirmation", ["MKTOWS"]),
                                       (5000, "Sales Trigger", ["SALES"])):
        setup.post("campaigns", {"id": campaign_id, "name": name, "program": "ER Demo", "source": sources,
                                 "requestable": True})


def _check_campaigns(response):
    result = response["result"]
    records = listed(result["campaignRecordList"], "campaignRecord")
    assert (result["returnCount"], sorted(record["id"] for record in records)) == ("2", ["3374", "4240"])


CASES["getCampaignsForSource"] = Case(  # facts-more-ops §7: the doc's request, verbatim
    request={"source": "MKTOWS", "name": "Trigger", "exactName": False},
    params={"source": "MKTOWS", "name": "Trigger", "exactName": "false"},
    seed=_seed_campaigns, check=_check_campaigns)


IMPORT_ROWS = ["Awesomesauce,Developer,Code Slinger,Marketo,dawesomesauce@marketo.com",
               "Doe,Jane,VP Marketing,Jane Consulting,jdoe@janeconsulting.com"]
IMPORT_REQUEST = {"programName": PROGRAM,
                  "importFileHeader": "Last Name,First Name,Job Title,Company Name,Email Address",
                  "importFileRows": {"stringItem": IMPORT_ROWS},
                  "importListMode": "UPSERTLEADS", "listName": "Trav-Test-List", "clearList": False,
                  "campaignName": BATCH_CAMPAIGN}


def _seed_import_list(setup):
    _seed_program_with_batch_campaign(setup)
    setup.post("lists", {"id": 1002, "name": "Trav-Test-List", "program": PROGRAM})


def _check_import(response):
    assert response["result"]["importStatus"] == "PROCESSING"


CASES["importToList"] = Case(  # facts-more-ops §9: the doc's request, verbatim
    request=IMPORT_REQUEST,
    params={"programName": PROGRAM,
            "importFileHeader": "Last Name,First Name,Job Title,Company Name,Email Address",
            "importFileRows": {"stringItem": IMPORT_ROWS},
            "importListMode": "UPSERTLEADS", "listName": "Trav-Test-List", "clearList": "false",
            "campaignName": BATCH_CAMPAIGN},
    seed=_seed_import_list, check=_check_import)


def _seed_import(setup):
    _seed_import_list(setup)
    rows = "".join(f"<stringItem>{row}</stringItem>" for row in IMPORT_ROWS)
    answer = setup.soap(
        f"<ns1:paramsImportToList><programName>{PROGRAM}</programName>"
        f"<importFileHeader>{IMPORT_REQUEST['importFileHeader']}</importFileHeader>"
        f"<importFileRows>{rows}</importFileRows><importListMode>UPSERTLEADS</importListMode>"
        f"<listName>Trav-Test-List</listName><clearList>false</clearList>"
        f"<campaignName>{BATCH_CAMPAIGN}</campaignName></ns1:paramsImportToList>")
    assert answer.status == 200, answer.body


def _check_import_status(response):
    result = response["result"]
    assert (result["status"] in ("PROCESSING", "COMPLETE"), result["estimatedRows"]) == (True, "2")


CASES["getImportToListStatus"] = Case(  # facts-more-ops §9: the doc's request, verbatim
    request={"programName": PROGRAM, "listName": "Trav-Test-List"},
    params={"programName": PROGRAM, "listName": "Trav-Test-List"},
    seed=_seed_import, check=_check_import_status)


def _check_channels(response):
    tags = listed(response["result"]["tags"], "tagStatus")
    assert [tag["tagValue"] for tag in tags] == ["Blog", "Tradeshow", "Webinar"]


CASES["getChannels"] = Case(  # facts-more-ops §12.1: the doc's request, verbatim; Marketo's default channels
    request={"tag": {"values": {"stringItem": ["Webinar", "Blog", "Tradeshow"]}}},
    params={"tag": {"values": {"stringItem": ["Webinar", "Blog", "Tradeshow"]}}},
    check=_check_channels)


def _check_tags(response):
    tags = listed(response["result"]["tagList"], "tag")
    assert [tag["type"] for tag in tags] == ["Content Channel"]


CASES["getTags"] = Case(  # facts-more-ops §12.2: the doc's request, verbatim; Marketo's default tags
    request={"tagList": {"tag": [{"type": "Content Channel", "values": {"stringItem": ["SEM", "Email"]}}]}},
    params={"tagList": {"tag": {"type": "Content Channel", "values": {"stringItem": ["SEM", "Email"]}}}},
    check=_check_tags)


# ---- custom objects (facts-more-ops §10) ---------------------------------------------------------------

ROADSHOW = {"name": "RoadShow", "description": "Road show visits", "link_field": "MKTOID",
            "dedupe_fields": ["MKTOID", "rid"],
            "fields": {"rid": "string", "city": "string", "zip": "string", "state": "string"}}


def _seed_roadshow_type(setup):
    setup.config(custom_objects=[ROADSHOW])
    setup.leads({"id": 1090177, "email": "roadshow@example.com"})


def _seed_roadshow(setup, rid: str):
    _seed_roadshow_type(setup)
    setup.post("custom-objects/RoadShow", {"keys": {"MKTOID": 1090177, "rid": rid},
                                           "attributes": {"city": "SanMateo", "zip": "94404",
                                                          "state": "California"}})


def _check_sync_custom_objects(response):
    [status] = listed(response["result"]["syncCustomObjStatusList"], "syncCustomObjStatus")
    assert (status["objTypeName"], attributes(status["customObjKeyList"]), status["status"]) == (
        "RoadShow", {"MKTOID": "1090177", "rid": "rid1"}, "CREATED")


CASES["syncCustomObjects"] = Case(  # facts-more-ops §10.1: the doc's request, verbatim
    request={"objTypeName": "RoadShow", "customObjList": {"customObj": [{
                "customObjKeyList": {"attribute": [{"attrName": "MKTOID", "attrValue": "1090177"},
                                                   {"attrName": "rid", "attrValue": "rid1"}]},
                "customObjAttributeList": {"attribute": [{"attrName": "city", "attrValue": "SanMateo"},
                                                         {"attrName": "zip", "attrValue": "94404"},
                                                         {"attrName": "state", "attrValue": "California"}]}}]},
             "operation": "UPSERT"},
    params={"objTypeName": "RoadShow", "customObjList": [{
                "customObjKeyList": {"MKTOID": "1090177", "rid": "rid1"},
                "customObjAttributeList": {"city": "SanMateo", "zip": "94404", "state": "California"}}],
            "operation": "UPSERT"},
    seed=_seed_roadshow_type, check=_check_sync_custom_objects)


def _check_get_custom_objects(response):
    result = response["result"]
    [record] = listed(result["customObjList"], "customObj")
    assert (result["returnCount"], result["remainingCount"], attributes(record["customObjKeyList"]),
            attributes(record["customObjAttributeList"])) == (
        "1", "0", {"MKTOID": "1090177", "rid": "rid1"}, {"city": "SanMateo", "state": "California", "zip": "94404"})


CASES["getCustomObjects"] = Case(  # facts-more-ops §10.2: the doc's request, verbatim (empty includeAttributes)
    request={"objTypeName": "RoadShow",
             "customObjKeyList": {"attribute": [{"attrName": "MKTOID", "attrValue": "1090177"}]},
             "includeAttributes": {}},
    params={"objTypeName": "RoadShow", "customObjKeyList": {"MKTOID": "1090177"}, "includeAttributes": ""},
    seed=lambda setup: _seed_roadshow(setup, "rid1"), check=_check_get_custom_objects)


def _check_delete_custom_objects(response):
    [status] = listed(response["result"]["deleteCustomObjStatusList"], "syncCustomObjStatus")
    assert (attributes(status["customObjKeyList"]), status["status"]) == (
        {"MKTOID": "1090177", "rid": "123456"}, "DELETED")


CASES["deleteCustomObjects"] = Case(  # facts-more-ops §10.3: the doc's request, verbatim
    request={"objTypeName": "RoadShow", "customObjKeyLists": {"keyList": [{"attribute": [
                {"attrName": "MKTOID", "attrValue": "1090177"}, {"attrName": "rid", "attrValue": "123456"}]}]}},
    params={"objTypeName": "RoadShow", "customObjKeyLists": [{"MKTOID": "1090177", "rid": "123456"}]},
    seed=lambda setup: _seed_roadshow(setup, "123456"), check=_check_delete_custom_objects)


# ---- MObjects (facts-more-ops §11) ---------------------------------------------------------------------

def _mobject_statuses(response) -> list:
    return [(status["id"], status["status"]) for status in listed(response["result"]["mObjStatusList"], "mObjStatus")]


def _check_sync_mobjects(response):
    assert _mobject_statuses(response) == [("1970", "UPDATED")]


CASES["syncMObjects"] = Case(  # facts-more-ops §11.1: the doc's request, verbatim
    request={"mObjectList": {"mObject": [{"type": "Program", "id": 1970, "typeAttribList": {"typeAttrib": [
                {"attrType": "Cost", "attrList": {"attrib": [{"name": "Month", "value": "2013-06"},
                                                             {"name": "Amount", "value": "2000"},
                                                             {"name": "Id", "value": "153"}]}}]}}]},
             "operation": "UPDATE"},
    params={"mObjectList": [{"type": "Program", "id": "1970", "typeAttribList": {"typeAttrib": {
                "attrType": "Cost", "attrList": {"attrib": [{"name": "Month", "value": "2013-06"},
                                                            {"name": "Amount", "value": "2000"},
                                                            {"name": "Id", "value": "153"}]}}}}],
            "operation": "UPDATE"},
    seed=lambda setup: setup.post("programs", {"id": 1970, "name": PROGRAM}), check=_check_sync_mobjects)


def _seed_programs(setup):
    for program_id, name in ((1005, "elizprogramtest"), (1006, "Big Launch Webinar"), (2000, "Later Program")):
        setup.post("programs", {"id": program_id, "name": name})


def _check_get_mobjects(response):
    result = response["result"]
    objects = listed(result["mObjectList"], "mObject")
    assert (result["returnCount"], result["hasMore"], [(o["type"], o["id"]) for o in objects]) == (
        "1", "false", [("Program", "1006")])


CASES["getMObjects"] = Case(  # facts-more-ops §11.2: the doc's request, verbatim
    request={"type": "Program", "mObjCriteriaList": {"mObjCriteria": [
                {"attrName": "Id", "comparison": "LE", "attrValue": "1010"},
                {"attrName": "Name", "comparison": "NE", "attrValue": "elizprogramtest"}]}},
    params={"type": "Program", "mObjCriteriaList": [
                {"attrName": "Id", "comparison": "LE", "attrValue": "1010"},
                {"attrName": "Name", "comparison": "NE", "attrValue": "elizprogramtest"}]},
    seed=_seed_programs, check=_check_get_mobjects)


def _seed_opportunities(setup):
    setup.post("mobjects/Opportunity", [{"id": 4, "attributes": {"Name": "Four"}}, {"id": 7, "attributes": {"Name": "Seven"}}])


def _check_delete_mobjects(response):
    assert _mobject_statuses(response) == [("4", "DELETED"), ("7", "DELETED")]


CASES["deleteMObjects"] = Case(  # facts-more-ops §11.3: the doc's request, verbatim
    request={"mObjectList": {"mObject": [{"type": "Opportunity", "id": 4}, {"type": "Opportunity", "id": 7}]}},
    params={"mObjectList": [{"type": "Opportunity", "id": "4"}, {"type": "Opportunity", "id": "7"}]},
    seed=_seed_opportunities, check=_check_delete_mobjects)


def _check_describe(response):
    metadata = response["result"]["metadata"]
    fields = listed(metadata["fieldList"], "field")
    assert (metadata["name"], metadata["isVirtual"], fields[0]["name"], len(fields)) == (
        "ActivityRecord", "true", "id", 11)


CASES["describeMObject"] = Case(  # facts-more-ops §11.4: the doc's request, verbatim
    request={"objectName": "ActivityRecord"},
    params={"objectName": "ActivityRecord"},
    check=_check_describe)


def _check_list_mobjects(response):
    assert response["result"]["objects"] == ["ActivityRecord", "LeadRecord", "Opportunity", "OpportunityPersonRole"]


CASES["listMObjects"] = Case(  # facts-more-ops §11.5: `<ns1:paramsListMObjects />`
    request={}, params={}, check=_check_list_mobjects)


# ---- what a client cannot send as the docs show ----------------------------------------------------------

DEVIATIONS: dict[tuple[str, str], Deviation] = {
    ("java-jaxws", "getLeadActivity"): Deviation(
        why="an empty <latestCreatedAt /> is no xs:dateTime: the stubs hold it as a JAXBElement of "
            "XMLGregorianCalendar, which cannot be empty; the closest they can send is xsi:nil",
        request={**CASES["getLeadActivity"].request, "startPosition": {"latestCreatedAt": None, "offset": ""}},
        params={**CASES["getLeadActivity"].params, "startPosition": {"latestCreatedAt": None, "offset": ""}}),
    ("java-jaxws", "getLeadChanges"): Deviation(
        why="the stubs hold oldestCreatedAt as an XMLGregorianCalendar, which writes the UTC offset +00:00 "
            "of the doc's value as Z (the same moment)",
        request=CASES["getLeadChanges"].request,
        params={**CASES["getLeadChanges"].params, "startPosition": {"oldestCreatedAt": "2013-08-01T00:13:13Z"}}),
}
