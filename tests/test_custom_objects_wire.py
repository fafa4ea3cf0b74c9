"""syncCustomObjects, getCustomObjects and deleteCustomObjects on the wire: the verbatim requests of
facts-more-ops §10 answered with the documented and captured responses (compared modulo whitespace), and
the byte rules of facts §7."""

from __future__ import annotations

from lxml import etree

from mockmarketo.domain.leads import Lead
from tests.conftest import store_leads
from tests.object_messages import custom_obj, objects_soap, sync_custom_objects_body  # noqa: F401 - fixture
from tests.test_wire import assert_same_document

# facts-more-ops §10.1, Marketo's documented request
DOC_SYNC = """<ns1:paramsSyncCustomObjects>
      <objTypeName>RoadShow</objTypeName>
      <customObjList>
        <customObj>
          <customObjKeyList>
            <attribute><attrName>MKTOID</attrName><attrValue>1090177</attrValue></attribute>
            <attribute><attrName>rid</attrName><attrValue>rid1</attrValue></attribute>
          </customObjKeyList>
          <customObjAttributeList>
            <attribute><attrName>city</attrName><attrValue>SanMateo</attrValue></attribute>
            <attribute><attrName>zip</attrName><attrValue>94404</attrValue></attribute>
            <attribute><attrName>state</attrName><attrValue>California</attrValue></attribute>
          </customObjAttributeList>
        </customObj>
      </customObjList>
      <operation>UPSERT</operation>
    </ns1:paramsSyncCustomObjects>"""

# facts-more-ops §10.1: the documented success response (= markety's successful_sync.xml)
DOC_SYNC_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncCustomObjects>
      <result>
        <syncCustomObjStatusList>
          <syncCustomObjStatus>
            <objTypeName>Roadshow</objTypeName>
            <customObjKeyList>
              <attribute><attrName>MKTOID</attrName><attrType xsi:nil="true" /><attrValue>1090177</attrValue></attribute>
              <attribute><attrName>rid</attrName><attrType xsi:nil="true" /><attrValue>rid1</attrValue></attribute>
            </customObjKeyList>
            <status>UPDATED</status>
            <error xsi:nil="true" />
          </syncCustomObjStatus>
        </syncCustomObjStatusList>
      </result>
    </ns1:successSyncCustomObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §10.1: markety's captured unknown_attribute.xml (objTypeName echoed as configured: see
# test_unknown_attribute_is_failed_like_the_captured_response)
CAPTURED_UNKNOWN_ATTRIBUTE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncCustomObjects>
      <result>
        <syncCustomObjStatusList>
          <syncCustomObjStatus>
            <objTypeName>roadshow</objTypeName>
            <customObjKeyList>
              <attribute><attrName>MKTOID</attrName><attrType xsi:nil="true"/><attrValue>542065</attrValue></attribute>
              <attribute><attrName>rid</attrName><attrType xsi:nil="true"/><attrValue>345</attrValue></attribute>
            </customObjKeyList>
            <status>FAILED</status>
            <error>Unknown name attribute list: nameasdf</error>
          </syncCustomObjStatus>
        </syncCustomObjStatusList>
      </result>
    </ns1:successSyncCustomObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts §5.1 / facts-more-ops §10.1: markety's captured invalid_object_name.xml
CAPTURED_INVALID_OBJECT_NAME = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Body>
    <SOAP-ENV:Fault>
      <faultcode>SOAP-ENV:Client</faultcode>
      <faultstring>20110 - Input error</faultstring>
      <detail>
        <ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">
          <name>mktServiceException</name>
          <message>Object name is not valid (20110)</message>
          <code>20110</code>
        </ns1:serviceException>
      </detail>
    </SOAP-ENV:Fault>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §10.2, Marketo's documented request
DOC_GET = """<ns1:paramsGetCustomObjects>
      <objTypeName>RoadShow</objTypeName>
      <customObjKeyList>
        <attribute><attrName>MKTOID</attrName><attrValue>1090177</attrValue></attribute>
      </customObjKeyList>
      <includeAttributes />
    </ns1:paramsGetCustomObjects>"""

# facts-more-ops §10.2: markety's captured no_custom_objects_found.xml (no xsi declared, empty customObjList)
CAPTURED_NOTHING_FOUND = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successGetCustomObjects>
      <result>
        <objTypeName>roadshow</objTypeName>
        <returnCount>0</returnCount>
        <remainingCount>0</remainingCount>
        <newStreamPosition>{"ky":["123"],"os":0}</newStreamPosition>
        <customObjList/>
      </result>
    </ns1:successGetCustomObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts-more-ops §10.2: the documented response, the first of its six customObj
DOC_GET_FIRST_OBJECT = """<customObj>
            <customObjKeyList>
              <attribute><attrName>MKTOID</attrName><attrType xsi:nil="true" /><attrValue>1090177</attrValue></attribute>
              <attribute><attrName>rid</attrName><attrType xsi:nil="true" /><attrValue>123456</attrValue></attribute>
            </customObjKeyList>
            <customObjAttributeList>
              <attribute><attrName>city</attrName><attrType xsi:nil="true" /><attrValue>city4</attrValue></attribute>
              <attribute><attrName>state</attrName><attrType xsi:nil="true" /><attrValue>state4</attrValue></attribute>
              <attribute><attrName>zip</attrName><attrType xsi:nil="true" /><attrValue>zip4</attrValue></attribute>
            </customObjAttributeList>
          </customObj>"""

# facts-more-ops §10.3, Marketo's documented request and response
DOC_DELETE = """<ns1:paramsDeleteCustomObjects>
      <objTypeName>RoadShow</objTypeName>
      <customObjKeyLists>
        <keyList>
          <attribute><attrName>MKTOID</attrName><attrValue>1090177</attrValue></attribute>
          <attribute><attrName>rid</attrName><attrValue>123456</attrValue></attribute>
        </keyList>
      </customObjKeyLists>
    </ns1:paramsDeleteCustomObjects>"""

DOC_DELETE_RESPONSE = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successDeleteCustomObjects>
      <result>
        <deleteCustomObjStatusList>
          <syncCustomObjStatus>
            <objTypeName>Roadshow</objTypeName>
            <customObjKeyList>
              <attribute><attrName>MKTOID</attrName><attrType xsi:nil="true" /><attrValue>1090177</attrValue></attribute>
              <attribute><attrName>rid</attrName><attrType xsi:nil="true" /><attrValue>123456</attrValue></attribute>
            </customObjKeyList>
            <status>DELETED</status>
            <error xsi:nil="true" />
          </syncCustomObjStatus>
        </deleteCustomObjStatusList>
      </result>
    </ns1:successDeleteCustomObjects>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

DOC_LEAD = 1090177


def _with_doc_lead(soap):
    store_leads(soap.app, Lead(id=DOC_LEAD, email="doc@example.com"))


def _seed_doc_objects(soap):
    """The six objects of the documented getCustomObjects answer: rid 123456 and rid0 ... rid4."""
    _with_doc_lead(soap)
    objects = [_roadshow(rid, f"city{n}", f"state{n}", f"zip{n}") for n, rid in
               [(0, "rid0"), (1, "rid1"), (2, "rid2"), (3, "rid3"), (5, "rid4"), (4, "123456")]]
    assert soap.call(_sync_body(objects)).status == 200


def _roadshow(rid: str, city: str, state: str, zip_code: str) -> str:
    return custom_obj({"MKTOID": DOC_LEAD, "rid": rid}, {"city": city, "state": state, "zip": zip_code})


def _sync_body(objects: list[str]) -> str:
    return sync_custom_objects_body("Roadshow", objects)


# ---- syncCustomObjects -----------------------------------------------------------------------------------

def test_documented_sync_request_creates_the_object(objects_soap):
    _with_doc_lead(objects_soap)
    response = objects_soap.call(DOC_SYNC)
    assert_same_document(response.body, DOC_SYNC_RESPONSE.replace("UPDATED", "CREATED"))


def test_documented_sync_request_again_answers_the_documented_response(objects_soap):
    """The type is configured as `Roadshow`; the request says `RoadShow`: matched without regard to case,
    echoed as configured, as in the doc's sample."""
    _with_doc_lead(objects_soap)
    objects_soap.call(DOC_SYNC)
    response = objects_soap.call(DOC_SYNC)
    assert (response.status, response.content_type) == (200, "text/xml; charset=utf-8")
    assert_same_document(response.body, DOC_SYNC_RESPONSE)


def test_unknown_attribute_is_failed_like_the_captured_response(objects_soap):
    """HTTP 200, per-record FAILED with Marketo's text; objTypeName is echoed as configured (`Roadshow`)
    where the capture's instance had its type named `roadshow`."""
    body = _sync_body([_roadshow("345", "x", "y", "z").replace("<attrName>city</attrName>",
                                                              "<attrName>nameasdf</attrName>")])
    body = body.replace("<attrValue>1090177</attrValue>", "<attrValue>542065</attrValue>")
    response = objects_soap.call(body)
    assert response.status == 200
    assert_same_document(response.body, CAPTURED_UNKNOWN_ATTRIBUTE.replace(">roadshow<", ">Roadshow<"))


def test_unknown_object_type_is_the_captured_20110_fault(objects_soap):
    response = objects_soap.call(DOC_SYNC.replace("RoadShow", "Roadshw"))
    assert response.status == 500
    assert_same_document(response.body, CAPTURED_INVALID_OBJECT_NAME)


def test_operation_before_the_object_list_is_accepted_as_markety_sends_it(objects_soap):
    """facts-more-ops §14: markety sends objTypeName, operation, customObjList."""
    _with_doc_lead(objects_soap)
    body = DOC_SYNC.replace("<operation>UPSERT</operation>", "").replace(
        "<customObjList>", "<operation>UPSERT</operation><customObjList>")
    assert objects_soap.call(body).text("result/syncCustomObjStatusList/syncCustomObjStatus/status") == "CREATED"


def test_two_objects_answer_two_statuses_in_request_order(objects_soap):
    """markety multiple_syncs.xml: one syncCustomObjStatus per object, in request order."""
    _with_doc_lead(objects_soap)
    response = objects_soap.call(_sync_body([_roadshow("b", "x", "y", "z"), _roadshow("a", "x", "y", "z")]))
    assert response.all_text("result/syncCustomObjStatusList/syncCustomObjStatus/customObjKeyList/attribute"
                             "[attrName='rid']/attrValue") == ["b", "a"]


# ---- getCustomObjects ------------------------------------------------------------------------------------

def test_documented_get_request_answers_the_documented_shape(objects_soap):
    _seed_doc_objects(objects_soap)
    response = objects_soap.call(DOC_GET)
    result = "result/"
    assert [response.text(result + name) for name in ("objTypeName", "returnCount", "remainingCount")] == [
        "Roadshow", "6", "0"]
    # Marketo's {"ky":["1090177"],"os":6}, and the last key returned, so that a later call goes on from there
    assert response.text(result + "newStreamPosition") == '{"ky":["1090177"],"os":6,"lk":["1090177","rid4"]}'
    first = response.xml.find(".//customObjList/customObj")
    expected = ('<customObj xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
                + DOC_GET_FIRST_OBJECT[len("<customObj>"):])
    assert_same_document(etree.tostring(first), expected)


def test_documented_get_answers_the_objects_ordered_by_key(objects_soap):
    """The doc's order: 123456, then rid0 ... rid4."""
    _seed_doc_objects(objects_soap)
    response = objects_soap.call(DOC_GET)
    assert response.all_text("result/customObjList/customObj/customObjKeyList/attribute[attrName='rid']/"
                             "attrValue") == ["123456", "rid0", "rid1", "rid2", "rid3", "rid4"]


def test_nothing_found_is_the_captured_response_without_xsi(objects_soap):
    response = objects_soap.call(DOC_GET.replace("1090177", "123"))
    assert response.body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV='
                                    b'"http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1=')
    assert_same_document(response.body, CAPTURED_NOTHING_FOUND.replace(">roadshow<", ">Roadshow<"))


def test_get_without_include_attributes_is_accepted_as_markety_and_the_java_sample_send_it(objects_soap):
    """facts-more-ops §10.2, §14: includeAttributes is required by the schema but clients leave it out."""
    _seed_doc_objects(objects_soap)
    response = objects_soap.call(DOC_GET.replace("<includeAttributes />", ""))
    assert response.text("result/returnCount") == "6"


# ---- deleteCustomObjects ---------------------------------------------------------------------------------

def test_documented_delete_request_answers_the_documented_response(objects_soap):
    _seed_doc_objects(objects_soap)
    response = objects_soap.call(DOC_DELETE)
    assert_same_document(response.body, DOC_DELETE_RESPONSE)
    assert objects_soap.call(DOC_GET).text("result/returnCount") == "5"


# ---- byte rules (facts §7) -------------------------------------------------------------------------------

def test_answers_start_with_marketos_declaration_and_prefixes_and_declare_xsi_when_used(objects_soap):
    _with_doc_lead(objects_soap)
    body = objects_soap.call(DOC_SYNC).body
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV="'
                           b'http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/'
                           b'XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/"><SOAP-ENV:Body>'
                           b"<ns1:successSyncCustomObjects><result>")
    assert b"<attrType xsi:nil=\"true\"/>" in body and b"<error xsi:nil=\"true\"/>" in body
