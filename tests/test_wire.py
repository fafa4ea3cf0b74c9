"""syncLead and getLead on the wire: verbatim requests of facts §3 against the verbatim responses of
§5.1 and §6 (compared modulo whitespace and ids), and the leniencies real clients rely on (§11)."""

from __future__ import annotations

import pytest
from lxml import etree

from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app

# facts §6, "successSyncLead, returnLead=true, new lead" (markety example_xml/sync_lead_success.xml)
SUCCESS_SYNC_LEAD_RETURN_LEAD = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncLead>
      <result>
        <leadId>1001064</leadId>
        <syncStatus>
          <leadId>1001064</leadId>
          <status>CREATED</status>
          <error xsi:nil="true"/>
        </syncStatus>
        <leadRecord>
          <Id>1001064</Id>
          <Email>spiderman@example.com</Email>
          <ForeignSysPersonId xsi:nil="true"/>
          <ForeignSysType xsi:nil="true"/>
          <leadAttributeList>
            <attribute><attrName>FirstName</attrName><attrType>string</attrType><attrValue>Peter</attrValue></attribute>
            <attribute><attrName>LastName</attrName><attrType>string</attrType><attrValue>Parker</attrValue></attribute>
            <attribute><attrName>Website</attrName><attrType>url</attrType><attrValue>example.com</attrValue></attribute>
          </leadAttributeList>
        </leadRecord>
      </result>
    </ns1:successSyncLead>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts §6, "successSyncLead, returnLead=false" (Marketo's synclead docs)
SUCCESS_SYNC_LEAD = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Body>
    <ns1:successSyncLead>
      <result>
        <leadId>1089965</leadId>
        <syncStatus>
          <leadId>1089965</leadId>
          <status>UPDATED</status>
          <error xsi:nil="true" />
        </syncStatus>
        <leadRecord xsi:nil="true" />
      </result>
    </ns1:successSyncLead>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts §5.1, authentication failure (Marketo's docs)
FAULT_20014 = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/">
  <SOAP-ENV:Body>
    <SOAP-ENV:Fault>
      <faultcode>SOAP-ENV:Client</faultcode>
      <faultstring>20014 - Authentication failed</faultstring>
      <detail>
        <ns1:serviceException xmlns:ns1="http://www.marketo.com/mktows/">
          <name>mktServiceException</name>
          <message>Authentication failed (20014)</message>
          <code>20014</code>
        </ns1:serviceException>
      </detail>
    </SOAP-ENV:Fault>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

# facts §5.1, unknown attribute `pants` (markety example_xml/sync_lead_failure.xml)
FAULT_20105 = FAULT_20014.replace("20014 - Authentication failed", "20105 - Unknown lead field").replace(
    "Authentication failed (20014)", "syncLead operation failed: unknown fields for import: pants (20105)").replace(
    "<code>20014</code>", "<code>20105</code>")

# facts §3, Marketo's documented request (PHP SoapClient style)
DOC_REQUEST = """<?xml version="1.0" encoding="UTF-8"?>
<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/" xmlns:ns1="http://www.marketo.com/mktows/">
  <SOAP-ENV:Header>
    HEADER
  </SOAP-ENV:Header>
  <SOAP-ENV:Body>
    <ns1:paramsSyncLead>
      <leadRecord>
        <Email>t@t.com</Email>
        <leadAttributeList>
          <attribute><attrName>FirstName</attrName><attrValue>George</attrValue></attribute>
          <attribute><attrName>LastName</attrName><attrValue>of the Jungle</attrValue></attribute>
        </leadAttributeList>
      </leadRecord>
      <returnLead>false</returnLead>
    </ns1:paramsSyncLead>
  </SOAP-ENV:Body>
</SOAP-ENV:Envelope>"""

IDS = {"leadId", "Id"}


def shape(element: etree._Element, ignore_ids: bool = True):
    """Tag, attributes, stripped text and children: what a client can see, minus whitespace and ids."""
    text = (element.text or "").strip()
    if ignore_ids and etree.QName(element).localname in IDS:
        text = "<id>"
    return (element.tag, dict(element.attrib), text, [shape(child, ignore_ids) for child in element])


def assert_same_document(actual: bytes, expected: str) -> None:
    assert shape(etree.fromstring(actual)) == shape(etree.fromstring(expected.encode()))


def doc_request(**header) -> str:
    return DOC_REQUEST.replace("HEADER", sm.auth_header(**header))


def test_documented_request_creates_a_lead_and_answers_like_marketo(soap):
    response = soap.post(doc_request())
    assert_same_document(response.body, SUCCESS_SYNC_LEAD.replace("UPDATED", "CREATED"))


def test_documented_request_twice_answers_updated_like_marketos_docs(soap):
    soap.post(doc_request())
    response = soap.post(doc_request())
    assert_same_document(response.body, SUCCESS_SYNC_LEAD)


def test_return_lead_true_answers_the_full_record_like_the_captured_response(soap):
    response = soap.sync("spiderman@example.com", return_lead="true", attributes={
        "LastName": "Parker", "Website": "example.com", "FirstName": "Peter"})
    assert_same_document(response.body, SUCCESS_SYNC_LEAD_RETURN_LEAD)


def test_success_is_http_200_text_xml_utf8(soap):
    response = soap.post(doc_request())
    assert (response.status, response.content_type) == (200, "text/xml; charset=utf-8")


def test_response_starts_with_a_double_quoted_declaration_and_marketos_prefixes(soap):
    body = soap.post(doc_request()).body
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>\n<SOAP-ENV:Envelope xmlns:SOAP-ENV='
                           b'"http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi=')
    assert b"<ns1:successSyncLead>" in body


def test_lead_id_appears_twice_with_the_same_value(soap):
    response = soap.sync("twice@example.com")
    assert response.text("result/leadId") == response.text("result/syncStatus/leadId") == "1000001"


def test_wrong_signature_answers_marketos_20014_fault_verbatim(soap):
    response = soap.post(doc_request(signature="0" * 40))
    assert response.status == 500
    assert_same_document(response.body, FAULT_20014)


def test_unknown_attribute_answers_marketos_20105_fault_verbatim(soap):
    response = soap.sync("a@example.com", attributes={"pants": "x"})
    assert_same_document(response.body, FAULT_20105)


def test_fault_has_no_faultactor_and_is_http_500_text_xml(soap):
    response = soap.sync("a@example.com", attributes={"pants": "x"})
    assert (response.status, response.content_type) == (500, "text/xml; charset=utf-8")
    assert response.xml.find(".//faultactor") is None


def test_returned_attributes_are_sorted_as_marketo_sorts_them(soap):
    """§7: alphabetical, case-insensitive, compared upper-cased (`_` after letters)."""
    response = soap.sync("sort@example.com", return_lead="true", attributes={
        "LeadStatus": "New", "LeadSource": "Web", "Address": "1 Main St", "AnnualRevenue": "10", "City": "X"})
    assert response.all_text("result/leadRecord/leadAttributeList/attribute/attrName") == [
        "Address", "AnnualRevenue", "City", "LeadSource", "LeadStatus"]


def test_returned_attributes_carry_their_attr_type(soap):
    response = soap.sync("t@example.com", return_lead="true", attributes={
        "LeadScore": "62", "Phone": "555", "DoNotCall": "true", "AnnualRevenue": "1.5"})
    assert response.all_text("result/leadRecord/leadAttributeList/attribute/attrType") == [
        "currency", "boolean", "integer", "phone"]
    assert response.all_text("result/leadRecord/leadAttributeList/attribute/attrValue") == ["1.5", "1", "62", "555"]


def test_email_is_not_repeated_in_the_attribute_list(soap):
    response = soap.sync("e@example.com", return_lead="true", attributes={"Email": "e@example.com", "City": "X"})
    assert response.all_text("result/leadRecord/leadAttributeList/attribute/attrName") == ["City"]
    assert response.text("result/leadRecord/Email") == "e@example.com"


# ---- leniencies (facts §3, §11) -------------------------------------------------------------------------

@pytest.mark.parametrize("soap_action", [None, "", '""', '"http://www.marketo.com/mktows/syncLead"', "nonsense"])
def test_any_or_no_soap_action_is_accepted(soap, soap_action):
    headers = {} if soap_action is None else {"SOAPAction": soap_action}
    assert soap.post(doc_request(), headers=headers).status == 200


def test_qualified_children_are_accepted_like_the_jaxws_sample_sends_them(soap):
    body = ('<ns1:paramsSyncLead><ns1:leadRecord><ns1:Email>q@example.com</ns1:Email><ns1:leadAttributeList>'
            '<ns1:attribute><ns1:attrName>City</ns1:attrName><ns1:attrValue>Q</ns1:attrValue></ns1:attribute>'
            '</ns1:leadAttributeList></ns1:leadRecord><ns1:returnLead>true</ns1:returnLead></ns1:paramsSyncLead>')
    response = soap.call(body)
    assert response.all_text("result/leadRecord/leadAttributeList/attribute/attrValue") == ["Q"]


def test_default_namespace_style_of_jaxws_ri_is_accepted(soap):
    body = ('<paramsSyncLead xmlns="http://www.marketo.com/mktows/"><leadRecord xmlns=""><Email>d@example.com'
            '</Email></leadRecord><returnLead xmlns="">false</returnLead></paramsSyncLead>')
    assert soap.call(body).text("result/syncStatus/status") == "CREATED"


def test_xsi_nil_on_nillable_inputs_is_accepted(soap):
    body = ('<ns1:paramsSyncLead><leadRecord><Id xsi:nil="true"/><Email>nil@example.com</Email>'
            '<ForeignSysPersonId xsi:nil="true"/><ForeignSysType xsi:nil="true"/><leadAttributeList>'
            '<attribute><attrName>City</attrName><attrType xsi:nil="true"/><attrValue>N</attrValue></attribute>'
            '</leadAttributeList></leadRecord><returnLead>false</returnLead>'
            '<marketoCookie xsi:nil="true"/></ns1:paramsSyncLead>')
    assert soap.call(body).text("result/syncStatus/status") == "CREATED"


def test_empty_marketo_cookie_is_accepted(soap):
    assert soap.sync("c@example.com", cookie="").text("result/syncStatus/status") == "CREATED"


def test_nil_context_header_counts_as_absent(soap):
    """JAX-WS sends <MktowsContextHeader xsi:nil="true"/> when the context is null (spyne-notes §6)."""
    response = soap.call(sm.sync_lead_body(sm.lead_record("n@example.com")),
                         extra_headers='<ns1:MktowsContextHeader xsi:nil="true"/>')
    assert response.text("result/syncStatus/status") == "CREATED"


def test_miscased_id_element_is_ignored_and_a_lead_is_created(soap):
    """§3: markety sent <id>; Marketo ignored it and CREATED a new lead."""
    soap.sync("first@example.com")
    body = ('<ns1:paramsSyncLead><leadRecord><id>1000001</id><Email>other@example.com</Email>'
            '<foreignSysPersonId>-1</foreignSysPersonId></leadRecord><returnLead>true</returnLead>'
            '</ns1:paramsSyncLead>')
    response = soap.call(body)
    assert (response.text("result/syncStatus/status"), response.text("result/leadId")) == ("CREATED", "1000002")


def test_unknown_header_and_body_elements_are_ignored(soap):
    header = sm.auth_header().replace("</requestTimestamp>", "</requestTimestamp><partnerId>p</partnerId>"
                                                             "<audit>a</audit><mode>1</mode>")
    body = sm.sync_lead_body(sm.lead_record("u@example.com")).replace(
        "</ns1:paramsSyncLead>", "<moveCookie>true</moveCookie></ns1:paramsSyncLead>")
    assert soap.call(body, header=header).text("result/syncStatus/status") == "CREATED"


@pytest.mark.parametrize("value,returned", [("true", True), ("1", True), ("false", False), ("0", False),
                                            (" true ", True)])
def test_return_lead_accepts_true_false_1_0(soap, value, returned):
    response = soap.sync("r@example.com", return_lead=value)
    record = response.xml.find(".//result/leadRecord")
    assert (record.get(f"{{{sm.XSI}}}nil") is None) is returned


def test_return_lead_of_another_value_is_fault_20110(soap):
    response = soap.sync("r@example.com", return_lead="yes")
    assert (response.fault_code, response.fault_message) == (
        20110, "Invalid parameter value: 'yes' is not a boolean (true, false, 1 or 0) (20110)")


def test_missing_return_lead_is_fault_20109(soap):
    response = soap.call("<ns1:paramsSyncLead>" + sm.lead_record("m@example.com") + "</ns1:paramsSyncLead>")
    assert (response.fault_code, response.fault_message) == (20109, "returnLead is required (20109)")


def test_missing_lead_record_is_fault_20109(soap):
    response = soap.call("<ns1:paramsSyncLead><returnLead>false</returnLead></ns1:paramsSyncLead>")
    assert (response.fault_code, response.fault_message) == (20109, "leadRecord is required (20109)")


def test_non_integer_id_is_fault_20110(soap):
    response = soap.call(sm.sync_lead_body("<leadRecord><Id>abc</Id></leadRecord>"))
    assert response.fault_code == 20110


def test_doctype_is_refused_with_fault_20012_and_creates_nothing(soap):
    request = doc_request().replace('<?xml version="1.0" encoding="UTF-8"?>',
                                    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "EXPANDED">]>')
    response = soap.post(request)
    assert (response.status, response.fault_code) == (500, 20012)
    assert soap.get_lead("EMAIL", "t@t.com").fault_code == 20103


def test_request_over_the_size_limit_is_fault_20012(app):
    from tests.conftest import SoapCaller, make_app
    small = SoapCaller(make_app(max_request_bytes=2048))
    response = small.post(doc_request().replace("George", "G" * 4096))
    assert (response.status, response.fault_code, response.fault_message) == (
        500, 20012, "Request body is larger than 2048 bytes (20012)")


@pytest.mark.parametrize("body", ["", "   ", "not xml", "<a", "<SOAP-ENV:Envelope xmlns:SOAP-ENV="
                                  "'http://www.w3.org/2003/05/soap-envelope'><SOAP-ENV:Body/></SOAP-ENV:Envelope>"])
def test_unreadable_requests_are_fault_20012(soap, body):
    response = soap.post(body)
    assert (response.status, response.content_type, response.fault_code) == (500, "text/xml; charset=utf-8", 20012)


def test_operation_of_marketos_wsdl_that_no_family_implements_is_fault_20019_saying_so(monkeypatch):
    from mockmarketo.soap import service
    from mockmarketo.soap.channels import ChannelService
    every_family = service.families()
    monkeypatch.setattr(service, "families", lambda: [f for f in every_family if f is not ChannelService])
    response = SoapCaller(make_app()).call("<ns1:paramsGetTags/>")
    assert (response.fault_code, response.fault_message) == (
        20019, "Operation getTags is not emulated by mockmarketo (20019)")


def test_unknown_body_element_is_fault_20019(soap):
    response = soap.call("<ns1:paramsFooBar/>")
    assert (response.fault_code, response.fault_message) == (
        20019, "Operation for body element 'paramsFooBar' is not defined in the Marketo API WSDL (20019)")


@pytest.mark.parametrize("version", ["1_4", "2_1", "2_9", "3_1"])
def test_every_version_path_serves_the_api(soap, version):
    response = soap.post(doc_request(), path=f"/soap/mktows/{version}")
    assert response.status == 200


# ---- getLead (facts §2.4, §6, §9.5) ---------------------------------------------------------------------

def test_get_lead_by_email_answers_the_documented_shape(soap):
    soap.sync("rufus@marketo.com", attributes={"FirstName": "Travis", "LeadScore": "62"})
    response = soap.get_lead("EMAIL", "rufus@marketo.com")
    expected = """<SOAP-ENV:Envelope xmlns:SOAP-ENV="http://schemas.xmlsoap.org/soap/envelope/"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:ns1="http://www.marketo.com/mktows/">
      <SOAP-ENV:Body><ns1:successGetLead><result><count>1</count><leadRecordList><leadRecord>
        <Id>1089965</Id><Email>rufus@marketo.com</Email>
        <ForeignSysPersonId xsi:nil="true" /><ForeignSysType xsi:nil="true" />
        <leadAttributeList>
          <attribute><attrName>FirstName</attrName><attrType>string</attrType><attrValue>Travis</attrValue></attribute>
          <attribute><attrName>LeadScore</attrName><attrType>integer</attrType><attrValue>62</attrValue></attribute>
        </leadAttributeList>
      </leadRecord></leadRecordList></result></ns1:successGetLead></SOAP-ENV:Body></SOAP-ENV:Envelope>"""
    assert_same_document(response.body, expected)


def test_get_lead_by_email_answers_every_match_newest_first(soap):
    """§6: two leads sharing an email, count 2, the newer (higher) Id first."""
    soap.sync(email="foo@example.com")
    soap.sync(email="other@example.com")
    soap.sync(id=1000002, email="foo@example.com")
    response = soap.get_lead("EMAIL", "foo@example.com")
    assert (response.text("result/count"), response.all_text("result/leadRecordList/leadRecord/Id")) == (
        "2", ["1000002", "1000001"])


def test_get_lead_by_idnum(soap):
    soap.sync("id@example.com")
    assert soap.get_lead("IDNUM", "1000001").text("result/leadRecordList/leadRecord/Email") == "id@example.com"


def test_get_lead_by_cookie(soap):
    soap.sync("cookie@example.com", cookie="id:561-HYG-937&token:_mch-marketo.com-1374552656411-90718")
    response = soap.get_lead("COOKIE", "id:561-HYG-937&token:_mch-marketo.com-1374552656411-90718")
    assert response.text("result/leadRecordList/leadRecord/Email") == "cookie@example.com"


@pytest.mark.parametrize("key_type", ["SFDCLEADID", "SFDCCONTACTID"])
def test_get_lead_by_salesforce_id_finds_the_sfdc_foreign_id(soap, key_type):
    soap.sync("sf@example.com", foreign_id="00Q123", foreign_type="SFDC")
    response = soap.get_lead(key_type, "00Q123")
    assert (response.text("result/leadRecordList/leadRecord/ForeignSysPersonId"),
            response.text("result/leadRecordList/leadRecord/ForeignSysType")) == ("00Q123", "SFDC")


def test_get_lead_by_salesforce_id_ignores_foreign_ids_of_other_systems(soap):
    soap.sync("ns@example.com", foreign_id="00Q123", foreign_type="NETSUITE")
    assert soap.get_lead("SFDCLEADID", "00Q123").fault_code == 20103


def test_get_lead_without_match_is_fault_20103_with_marketos_message(soap):
    """§5.1: `No lead found with EMAIL = pants@example.com (20103)`."""
    response = soap.get_lead("EMAIL", "pants@example.com")
    assert (response.status, response.xml.findtext(".//faultstring"), response.fault_message) == (
        500, "20103 - Lead not found", "No lead found with EMAIL = pants@example.com (20103)")


def test_get_lead_with_a_key_type_naming_accounts_is_fault_20102(soap):
    response = soap.get_lead("SFDCACCOUNTID", "001A")
    assert (response.fault_code, response.fault_message) == (
        20102, "keyType SFDCACCOUNTID is not emulated by mockmarketo (20102)")


def test_get_lead_with_a_non_numeric_idnum_is_fault_20102(soap):
    assert soap.get_lead("IDNUM", "abc").fault_code == 20102


def test_get_lead_without_lead_key_is_fault_20101(soap):
    assert soap.call("<ns1:paramsGetLead/>").fault_code == 20101


def test_booleans_come_back_as_1_and_0_from_get_lead(soap):
    soap.sync("b@example.com", attributes={"Unsubscribed": "false"})
    assert soap.get_lead("EMAIL", "b@example.com").all_text(
        "result/leadRecordList/leadRecord/leadAttributeList/attribute/attrValue") == ["0"]


def test_content_type_charset_wins_over_the_declared_encoding(soap):
    """An HTTP charset of UTF-8 and a declaration of ISO-8859-1: the bytes are read as UTF-8."""
    body = doc_request().replace('<?xml version="1.0" encoding="UTF-8"?>',
                                 '<?xml version="1.0" encoding="ISO-8859-1"?>').replace("George", "Jérôme")
    assert soap.post(body.encode("utf-8"), content_type="text/xml; charset=utf-8").status == 200
    response = soap.get_lead("EMAIL", "t@t.com")
    assert response.all_text("result/leadRecordList/leadRecord/leadAttributeList/attribute/attrValue") == [
        "Jérôme", "of the Jungle"]
