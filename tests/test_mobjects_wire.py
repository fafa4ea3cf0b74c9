"""syncMObjects, getMObjects, deleteMObjects, describeMObject and listMObjects on the wire: the verbatim
requests of facts-more-ops §11 answered with the documented responses (compared modulo whitespace), and
Talend's connect: listMObjects as its credential check."""

from __future__ import annotations

from lxml import etree

from mockmarketo.domain.leads import Lead
from mockmarketo.domain.mobject_types import OPPORTUNITY
from mockmarketo.domain.mobjects import MObject
from mockmarketo.store.mobject_store import MObjectRepository
from tests import soap_messages as sm
from tests.conftest import store_leads
from tests.test_wire import FAULT_20014, assert_same_document

# facts-more-ops §11.1: the blog's opportunity upsert by external key, with its Company association
BLOG_SYNC = """<ns1:paramsSyncMObjects>
      <mObjectList>
        <mObject>
          <type>Opportunity</type>
          <externalKey><name>opportunityId</name><value>Opportunity_4</value></externalKey>
          <attribList>
            <attrib><name>Name</name><value>Opportunity_4</value></attrib>
            <attrib><name>IsClosed</name><value>1</value></attrib>
            <attrib><name>IsWon</name><value>1</value></attrib>
            <attrib><name>Amount</name><value>501.00</value></attrib>
            <attrib><name>CloseDate</name><value>2014-10-24</value></attrib>
          </attribList>
          <associationList>
            <mObjAssociation><mObjType>Company</mObjType>
              <externalKey><name>cAccountFSID</name><value>C123</value></externalKey></mObjAssociation>
          </associationList>
        </mObject>
        <mObject>
          <type>OpportunityPersonRole</type>
          <associationList>
            <mObjAssociation><mObjType>Lead</mObjType>
              <externalKey><name>FSPID</name><value>12346</value></externalKey></mObjAssociation>
            <mObjAssociation><mObjType>Opportunity</mObjType>
              <externalKey><name>opportunityId</name><value>Opportunity_4</value></externalKey></mObjAssociation>
          </associationList>
        </mObject>
      </mObjectList>
      <operation>UPSERT</operation>
    </ns1:paramsSyncMObjects>"""

# the blog's statuses (opportunity 40, role 11), with the ids of a new instance
BLOG_SYNC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncMObjects>
      <result>
        <mObjStatusList>
          <mObjStatus><id>1</id><externalKey><name>opportunityId</name><value>Opportunity_4</value></externalKey>
            <status>CREATED</status></mObjStatus>
          <mObjStatus><id>1</id><status>CREATED</status></mObjStatus>
        </mObjStatusList>
      </result>
    </ns1:successSyncMObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §11.1: Marketo's documented request (a Program's costs)
DOC_SYNC_PROGRAM = """<ns1:paramsSyncMObjects>
      <mObjectList>
        <mObject>
          <type>Program</type>
          <id>1970</id>
          <typeAttribList>
            <typeAttrib>
              <attrType>Cost</attrType>
              <attrList>
                <attrib><name>Month</name><value>2013-06</value></attrib>
                <attrib><name>Amount</name><value>2000</value></attrib>
                <attrib><name>Id</name><value>153</value></attrib>
              </attrList>
            </typeAttrib>
          </typeAttribList>
        </mObject>
      </mObjectList>
      <operation>UPDATE</operation>
    </ns1:paramsSyncMObjects>"""

# facts-more-ops §11.2: Marketo's documented request (Programs by criteria)
DOC_GET_PROGRAMS = """<ns1:paramsGetMObjects>
      <type>Program</type>
      <mObjCriteriaList>
        <mObjCriteria><attrName>Id</attrName><comparison>LE</comparison><attrValue>1010</attrValue></mObjCriteria>
        <mObjCriteria><attrName>Name</attrName><comparison>NE</comparison><attrValue>elizprogramtest</attrValue></mObjCriteria>
      </mObjCriteriaList>
    </ns1:paramsGetMObjects>"""

# facts-more-ops §11.3: Marketo's documented request and response
DOC_DELETE = """<ns1:paramsDeleteMObjects>
      <mObjectList>
        <mObject><type>Opportunity</type><id>4</id></mObject>
        <mObject><type>Opportunity</type><id>7</id></mObject>
      </mObjectList>
    </ns1:paramsDeleteMObjects>"""

DOC_DELETE_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successDeleteMObjects>
      <result>
        <mObjStatusList>
          <mObjStatus><id>4</id><status>DELETED</status></mObjStatus>
          <mObjStatus><id>7</id><status>DELETED</status></mObjStatus>
        </mObjStatusList>
      </result>
    </ns1:successDeleteMObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §11.4: Marketo's documented describeMObject(ActivityRecord), every field written out
ACTIVITY_FIELD = """<field>
              <name>{name}</name>
              <description>{description}</description>
              <displayName xsi:nil="true" />
              <sourceObject>{source}</sourceObject>
              <dataType>{data_type}</dataType>
              {size}
              <isReadonly>true</isReadonly>
              <isUpdateBlocked>true</isUpdateBlocked>
              <isName>{is_name}</isName>
              <isPrimaryKey>{is_primary_key}</isPrimaryKey>
              <isCustom>false</isCustom>
              <isDynamic>false</isDynamic>
              <dynamicFieldRef xsi:nil="true" />
              <updatedAt>2010-01-01T00:00:00+00:00</updatedAt>
            </field>"""
ACTIVITY_FIELDS = [
    ("id", "Unique system id of Event", "Event", "integer", 10, "false", "true"),
    ("activityDateTime", "Event timestamp", "Event", "dateTime", None, "false", "false"),
    ("activityType", "Name of Event", "Event", "string", 255, "true", "false"),
    ("mktgAssetName", "Name of email, landing page, or object field", "Event", "string", 255, "false", "false"),
    ("activityAttributes", "Array of name / value pairs of dynamic event attributes", "Event", "Array", None,
     "false", "false"),
    ("campaign", "Name of Campaign that caused the Event", "Campaign", "string", 255, "false", "false"),
    ("personName", "Name of Lead that owns the Event", "Lead", "string", 255, "false", "false"),
    ("mktPersonId", "Unique system id of Lead", "Lead", "integer", 10, "false", "false"),
    ("foreignSysId", "Unique foreign system id of Lead", "Lead", "string", 50, "false", "false"),
    ("orgName", "Name of Company associated to the Lead", "Company", "string", 255, "false", "false"),
    ("foreignSysOrgId", "Unique foreign system id of Company", "Company", "string", 50, "false", "false"),
]
DOC_DESCRIBE_ACTIVITY_RECORD = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successDescribeMObject>
      <result>
        <metadata>
          <name>ActivityRecord</name>
          <description>Composite object composed of fields from Event, Campaign, Lead, and Company</description>
          <isCustom>false</isCustom>
          <isVirtual>true</isVirtual>
          <fieldList>FIELDS</fieldList>
          <updatedAt>2010-01-01T00:00:00+00:00</updatedAt>
        </metadata>
      </result>
    </ns1:successDescribeMObject>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>""".replace("FIELDS", "".join(
    ACTIVITY_FIELD.format(name=n, description=d, source=s, data_type=t, is_name=is_name, is_primary_key=pk,
                          size=f"<size>{size}</size>" if size else '<size xsi:nil="true" />')
    for n, d, s, t, size, is_name, pk in ACTIVITY_FIELDS))

# facts-more-ops §11.5: Marketo's documented response
DOC_LIST = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successListMObjects>
      <result>
        <objects>ActivityRecord</objects>
        <objects>LeadRecord</objects>
        <objects>Opportunity</objects>
        <objects>OpportunityPersonRole</objects>
      </result>
    </ns1:successListMObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §11.2: the documented Program 1006 (the 5th mObject of the sample), with its second Cost as the
# sample's comment says; mockmarketo holds no event dates (Start Date, End Date) and no folders, so its Tree Path
# is /Marketing Activities/<workspace>/<program>
DOC_PROGRAM_1006 = """<mObjectList><mObject>
            <type>Program</type>
            <id>1006</id>
            <attribList>
              <attrib><name>Name</name><value>Big Launch Webinar</value></attrib>
              <attrib><name>Type</name><value>Marketing Event</value></attrib>
              <attrib><name>Workspace Id</name><value>1</value></attrib>
              <attrib><name>Workspace Name</name><value>Default</value></attrib>
              <attrib><name>Tree Path</name><value>/Marketing Activities/Default/Big Launch Webinar</value></attrib>
              <attrib><name>Is Archived</name><value>false</value></attrib>
            </attribList>
            <typeAttribList>
              <typeAttrib>
                <attrType>Tag</attrType>
                <attrList>
                  <attrib><name>Type</name><value>Channel</value></attrib>
                  <attrib><name>Value</name><value>Webinar</value></attrib>
                </attrList>
              </typeAttrib>
              <typeAttrib>
                <attrType>Cost</attrType>
                <attrList>
                  <attrib><name>Id</name><value>1</value></attrib>
                  <attrib><name>Month</name><value>2011-07-01</value></attrib>
                  <attrib><name>Amount</name><value>3000</value></attrib>
                  <attrib><name>Note</name><value>Speaker</value></attrib>
                </attrList>
              </typeAttrib>
              <typeAttrib>
                <attrType>Cost</attrType>
                <attrList>
                  <attrib><name>Id</name><value>2</value></attrib>
                  <attrib><name>Month</name><value>2011-07-01</value></attrib>
                  <attrib><name>Amount</name><value>1000</value></attrib>
                  <attrib><name>Note</name><value>Post-production</value></attrib>
                </attrList>
              </typeAttrib>
            </typeAttribList>
          </mObject></mObjectList>"""

DOC_SYNC_PROGRAM_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncMObjects>
      <result>
        <mObjStatusList>
          <mObjStatus>
            <id>1970</id>
            <status>UPDATED</status>
          </mObjStatus>
        </mObjStatusList>
      </result>
    </ns1:successSyncMObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""


def test_the_blogs_opportunity_and_role_upsert_answers_the_blogs_statuses(soap):
    store_leads(soap.app, Lead(id=0, email="fspid@example.com", foreign_sys_person_id="12346",
                               foreign_sys_type="CUSTOM"))
    response = soap.call(BLOG_SYNC)
    assert (response.status, response.content_type) == (200, "text/xml; charset=utf-8")
    assert_same_document(response.body, BLOG_SYNC_RESPONSE)


def test_the_documented_program_cost_update_answers_the_documented_response(soap):
    soap.client.post("/_mock/programs", json={"id": 1970, "name": "Cost Program"})
    response = soap.call(DOC_SYNC_PROGRAM)
    assert_same_document(response.body, DOC_SYNC_PROGRAM_RESPONSE)
    assert soap.client.get("/_mock/programs").json[0]["costs"] == [
        {"id": 153, "month": "2013-06", "amount": "2000", "note": ""}]


def test_the_documented_program_query_answers_the_documented_program(soap):
    soap.client.post("/_mock/programs", json=[
        {"id": 1005, "name": "elizprogramtest"},
        {"id": 1006, "name": "Big Launch Webinar", "type": "Marketing Event", "channel": "Webinar",
         "costs": [{"id": 1, "month": "2011-07", "amount": "3000", "note": "Speaker"},
                   {"id": 2, "month": "2011-07", "amount": "1000", "note": "Post-production"}]},
        {"id": 1011, "name": "Later Program"}])
    response = soap.call(DOC_GET_PROGRAMS)
    assert (response.text("result/returnCount"), response.text("result/hasMore")) == ("1", "false")
    assert_same_document(etree.tostring(response.xml.find(".//mObjectList")), DOC_PROGRAM_1006)


def test_the_documented_delete_request_answers_the_documented_response(soap):
    with soap.app.marketo.objects("default", MObjectRepository) as repo:
        for object_id in (4, 7):
            repo.create(OPPORTUNITY, MObject("Opportunity", object_id))
    response = soap.call(DOC_DELETE)
    assert_same_document(response.body, DOC_DELETE_RESPONSE)


def test_describe_activity_record_answers_the_documented_metadata(soap):
    response = soap.call("<ns1:paramsDescribeMObject><objectName>ActivityRecord</objectName>"
                         "</ns1:paramsDescribeMObject>")
    assert_same_document(response.body, DOC_DESCRIBE_ACTIVITY_RECORD)


def test_list_mobjects_answers_the_documented_four_names_without_xsi(soap):
    """veeloinc sends exactly `<ns1:paramsListMObjects/>`."""
    response = soap.call("<ns1:paramsListMObjects/>")
    assert response.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV='
                                    b'"http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1=')
    assert_same_document(response.body, DOC_LIST)


def test_talend_style_connect_bad_signature_is_20014_and_good_one_lists_the_four_objects(soap):
    """Talend's connect() calls listMObjects "to check auth and not just URL" (facts-more-ops §11.5)."""
    refused = soap.call("<ns1:paramsListMObjects />", header=sm.auth_header(signature="f" * 40))
    assert refused.status == 500
    assert_same_document(refused.body, FAULT_20014)
    connected = soap.call("<ns1:paramsListMObjects />")
    assert (connected.status, connected.all_text("result/objects")) == (
        200, ["ActivityRecord", "LeadRecord", "Opportunity", "OpportunityPersonRole"])


def test_list_mobjects_of_an_unknown_user_is_20014(soap):
    response = soap.call("<ns1:paramsListMObjects/>", header=sm.auth_header(user_id="nobody"))
    assert response.fault_code == 20014
