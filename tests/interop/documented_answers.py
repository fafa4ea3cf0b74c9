"""A success answer of every operation in the shape of Marketo's docs (the verbatim responses of facts §6
and facts-more-ops §2–§12: element order, nil and empty elements, `xmlns:xsi` only where used), with
the values the cases of cases.py expect after their seeds. tests/test_interop_documented_answers.py
serves them to the real clients to prove the cases' checks against Marketo's shapes, also for the
operations mockmarketo does not emulate yet.
"""

from __future__ import annotations

from tests.soap_messages import marketo_response


def _answer(operation: str, result: str, *, xsi: bool = True) -> bytes:
    name = "success" + operation[0].upper() + operation[1:]
    return marketo_response(f"<ns1:{name}>{result}</ns1:{name}>", xsi=xsi).encode("utf-8")


def _attribute(name: str, value: str, attr_type: str | None = "string") -> str:
    type_xml = f"<attrType>{attr_type}</attrType>" if attr_type else '<attrType xsi:nil="true" />'
    return f"<attribute><attrName>{name}</attrName>{type_xml}<attrValue>{value}</attrValue></attribute>"


def _key(name: str, value: str) -> str:
    return _attribute(name, value, None)


def _lead(lead_id: int, email: str, attributes: dict) -> str:
    listed = "".join(_attribute(name, value) for name, value in attributes.items())
    return (f"<leadRecord><Id>{lead_id}</Id><Email>{email}</Email><ForeignSysPersonId xsi:nil=\"true\" />"
            f"<ForeignSysType xsi:nil=\"true\" /><leadAttributeList>{listed}</leadAttributeList></leadRecord>")


def _sync_status(lead_id: int, status: str) -> str:
    return f'<syncStatus><leadId>{lead_id}</leadId><status>{status}</status><error xsi:nil="true" /></syncStatus>'


def _activity(record_id: int, kind: str, asset: str, lead_id: int, *, change: bool = False) -> str:
    """An activityRecord (all 11 elements) or, with change, a leadChangeRecord (campaign left out)."""
    head = (f"<id>{record_id}</id><activityDateTime>2013-07-09T16:44:28-05:00</activityDateTime>"
            f"<activityType>{kind}</activityType><mktgAssetName>{asset}</mktgAssetName>"
            f"<activityAttributes>{_key('Lead ID', str(lead_id))}</activityAttributes>")
    if change:
        return f"<leadChangeRecord>{head}<mktPersonId>{lead_id}</mktPersonId></leadChangeRecord>"
    return (f'<activityRecord>{head}<campaign /><personName xsi:nil="true" /><mktPersonId>{lead_id}</mktPersonId>'
            '<foreignSysId xsi:nil="true" /><orgName xsi:nil="true" /><foreignSysOrgId xsi:nil="true" />'
            "</activityRecord>")


def _field(name: str) -> str:
    return (f'<field><name>{name}</name><description>{name} of the Event</description><displayName xsi:nil="true" />'
            "<sourceObject>Event</sourceObject><dataType>string</dataType><size>255</size><isReadonly>true</isReadonly>"
            "<isUpdateBlocked>true</isUpdateBlocked><isName>false</isName><isPrimaryKey>false</isPrimaryKey>"
            '<isCustom>false</isCustom><isDynamic>false</isDynamic><dynamicFieldRef xsi:nil="true" />'
            "<updatedAt>2010-01-01T00:00:00+00:00</updatedAt></field>")


def _channel(name: str) -> str:
    return (f"<tagStatus><tagValue>{name}</tagValue><statusList><progressionStatusItem><progressionStatus>"
            "<attrib><name>Status</name><value>Engaged</value></attrib><attrib><name>Step</name><value>20</value>"
            "</attrib><attrib><name>Success</name><value>true</value></attrib></progressionStatus>"
            "</progressionStatusItem></statusList></tagStatus>")


_ROADSHOW_KEYS = {"rid1": _key("MKTOID", "1090177") + _key("rid", "rid1"),
                  "123456": _key("MKTOID", "1090177") + _key("rid", "123456")}
_ACTIVITY_FIELDS = ("id", "activityDateTime", "activityType", "mktgAssetName", "activityAttributes", "campaign",
                    "personName", "mktPersonId", "foreignSysId", "orgName", "foreignSysOrgId")

ANSWERS: dict[str, bytes] = {
    "syncLead": _answer("syncLead", f'<result><leadId>1000001</leadId>{_sync_status(1000001, "CREATED")}'
                                    '<leadRecord xsi:nil="true" /></result>'),
    "getLead": _answer("getLead", "<result><count>1</count><leadRecordList>"
                                  + _lead(1089965, "rufus@marketo.com", {"FirstName": "Travis", "LastName": "Kaufman"})
                                  + "</leadRecordList></result>"),
    "syncMultipleLeads": _answer("syncMultipleLeads", "<result><syncStatusList>" + _sync_status(1090239, "UPDATED")
                                 + _sync_status(1090240, "CREATED") + "</syncStatusList></result>"),
    "getMultipleLeads": _answer("getMultipleLeads", "<result><returnCount>2</returnCount>"
                                "<remainingCount>0</remainingCount><newStreamPosition /><leadRecordList>"
                                + _lead(1090239, "ann@example.com", {}) + _lead(1090240, "bob@example.com", {})
                                + "</leadRecordList></result>"),
    "getLeadActivity": _answer(
        "getLeadActivity", "<leadActivityList><returnCount>2</returnCount><remainingCount>0</remainingCount>"
        "<newStartPosition><latestCreatedAt>2013-07-31T21:33:59-05:00</latestCreatedAt>"
        '<oldestCreatedAt xsi:nil="true" /><activityCreatedAt xsi:nil="true" /><offset>ID:1024814</offset>'
        "</newStartPosition><activityRecordList>" + _activity(1030680, "Visit Webpage", "ClickDemo", 1089965)
        + _activity(1024814, "Fill Out Form", "WebHookForm", 1089965) + "</activityRecordList></leadActivityList>"),
    "getLeadChanges": _answer(
        "getLeadChanges", "<result><returnCount>2</returnCount><remainingCount>0</remainingCount><newStartPosition>"
        '<latestCreatedAt xsi:nil="true" /><oldestCreatedAt>2013-08-01T00:13:13+00:00</oldestCreatedAt>'
        '<activityCreatedAt xsi:nil="true" /><offset>ID:1082831</offset></newStartPosition><leadChangeRecordList>'
        + _activity(1037189, "Visit Webpage", "ClickDemo", 1089965, change=True)
        + _activity(1082831, "Click Link", "Demo Link", 1089965, change=True) + "</leadChangeRecordList></result>"),
    "mergeLeads": _answer("mergeLeads", "<result><mergeStatus><winningLeadId>2</winningLeadId><losingLeadIdList>"
                                        "<integerItem>15</integerItem><integerItem>16</integerItem></losingLeadIdList>"
                                        '<status>MERGED</status><error xsi:nil="true" /></mergeStatus></result>'),
    "listOperation": _answer("listOperation", '<result><success>true</success><statusList xsi:nil="true"/></result>'),
    "requestCampaign": _answer("requestCampaign", "<result><success>true</success></result>", xsi=False),
    "scheduleCampaign": _answer("scheduleCampaign", "<result><success>true</success></result>", xsi=False),
    "getCampaignsForSource": _answer(
        "getCampaignsForSource", "<result><returnCount>2</returnCount><campaignRecordList>"
        "<campaignRecord><id>3374</id><name>ER Demo.Triggered Campaign</name><description /></campaignRecord>"
        "<campaignRecord><id>4240</id><name>Fulfillment Email Trigger for Social App:</name><description />"
        "</campaignRecord></campaignRecordList></result>", xsi=False),
    "importToList": _answer("importToList", "<result><importStatus>PROCESSING</importStatus></result>", xsi=False),
    "getImportToListStatus": _answer(
        "getImportToListStatus", "<result><status>PROCESSING</status>"
        "<startedTime>2013-08-05T17:58:10-05:00</startedTime>"
        '<endedTime xsi:nil="true" /><estimatedTime xsi:nil="true" /><estimatedRows>2</estimatedRows>'
        "<rowsImported>0</rowsImported><rowsFailed>0</rowsFailed><rowsIgnored>2</rowsIgnored>"
        '<importSummary xsi:nil="true" /></result>'),
    "getChannels": _answer("getChannels", "<result><tags>" + "".join(map(_channel, ("Blog", "Tradeshow", "Webinar")))
                                          + "</tags></result>", xsi=False),
    "getTags": _answer("getTags", "<result><tagList><tag><type>Content Channel</type><values>"
                                  "<stringItem>SEM</stringItem><stringItem>Email</stringItem></values></tag>"
                                  "</tagList></result>", xsi=False),
    "syncCustomObjects": _answer(
        "syncCustomObjects", "<result><syncCustomObjStatusList><syncCustomObjStatus><objTypeName>RoadShow</objTypeName>"
        f'<customObjKeyList>{_ROADSHOW_KEYS["rid1"]}</customObjKeyList><status>CREATED</status>'
        '<error xsi:nil="true" /></syncCustomObjStatus></syncCustomObjStatusList></result>'),
    "getCustomObjects": _answer(
        "getCustomObjects", "<result><objTypeName>RoadShow</objTypeName><returnCount>1</returnCount>"
        '<remainingCount>0</remainingCount><newStreamPosition>{"ky":["1090177"],"os":1}</newStreamPosition>'
        f'<customObjList><customObj><customObjKeyList>{_ROADSHOW_KEYS["rid1"]}</customObjKeyList>'
        "<customObjAttributeList>" + _key("city", "SanMateo") + _key("state", "California") + _key("zip", "94404")
        + "</customObjAttributeList></customObj></customObjList></result>"),
    "deleteCustomObjects": _answer(
        "deleteCustomObjects", "<result><deleteCustomObjStatusList><syncCustomObjStatus><objTypeName>RoadShow"
        f'</objTypeName><customObjKeyList>{_ROADSHOW_KEYS["123456"]}</customObjKeyList><status>DELETED</status>'
        '<error xsi:nil="true" /></syncCustomObjStatus></deleteCustomObjStatusList></result>'),
    "syncMObjects": _answer("syncMObjects", "<result><mObjStatusList><mObjStatus><id>1970</id><status>UPDATED</status>"
                                            "</mObjStatus></mObjStatusList></result>", xsi=False),
    "getMObjects": _answer(
        "getMObjects", "<result><returnCount>1</returnCount><hasMore>false</hasMore><newStreamPosition>8UJZetaMb1V6"
        "</newStreamPosition><mObjectList><mObject><type>Program</type><id>1006</id><attribList><attrib><name>Name"
        "</name><value>Big Launch Webinar</value></attrib><attrib><name>Type</name><value>Marketing Event</value>"
        "</attrib></attribList><typeAttribList><typeAttrib><attrType>Tag</attrType><attrList><attrib><name>Type"
        "</name><value>Channel</value></attrib><attrib><name>Value</name><value>Webinar</value></attrib></attrList>"
        "</typeAttrib></typeAttribList></mObject></mObjectList></result>", xsi=False),
    "deleteMObjects": _answer("deleteMObjects", "<result><mObjStatusList>"
                                                "<mObjStatus><id>4</id><status>DELETED</status></mObjStatus>"
                                                "<mObjStatus><id>7</id><status>DELETED</status></mObjStatus>"
                                                "</mObjStatusList></result>", xsi=False),
    "describeMObject": _answer(
        "describeMObject", "<result><metadata><name>ActivityRecord</name><description>Composite object composed of "
        "fields from Event, Campaign, Lead, and Company</description><isCustom>false</isCustom><isVirtual>true"
        "</isVirtual><fieldList>" + "".join(map(_field, _ACTIVITY_FIELDS)) + "</fieldList>"
        "<updatedAt>2010-01-01T00:00:00+00:00</updatedAt></metadata></result>"),
    "listMObjects": _answer("listMObjects", "<result><objects>ActivityRecord</objects><objects>LeadRecord</objects>"
                                            "<objects>Opportunity</objects><objects>OpportunityPersonRole</objects>"
                                            "</result>", xsi=False),
}
