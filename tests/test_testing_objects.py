"""The helpers of mockmarketo.testing for custom objects and MObjects, used through the pytest plugin's
`marketo` fixture (over real HTTP), and a zeep client reading what they seeded."""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timezone

import pytest
import zeep

from mockmarketo.testing import ControlApiError


def zeep_service(marketo):
    client = zeep.Client(marketo.wsdl_url)
    service = client.create_service("{http://www.marketo.com/mktows/}MktowsApiSoapBinding", marketo.endpoint)
    timestamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    signature = hmac.new(marketo.secret_key.encode(), (timestamp + marketo.user_id).encode(), hashlib.sha1).hexdigest()
    return service, {"authentication": {"mktowsUserId": marketo.user_id, "requestSignature": signature,
                                        "requestTimestamp": timestamp}}


def test_a_declared_type_and_seeded_records_are_read_back_by_a_zeep_client(marketo):
    marketo.add_custom_object_type("RoadShow", dedupe_fields=["MKTOID", "rid"], fields={"rid": "string",
                                                                                        "city": "string"})
    [lead] = marketo.seed(email="ann@example.com")
    marketo.seed_custom_objects("RoadShow", {"keys": {"MKTOID": lead["id"], "rid": "r1"},
                                             "attributes": {"city": "Paris"}})
    service, headers = zeep_service(marketo)
    result = service.getCustomObjects(objTypeName="roadshow", customObjKeyList={"attribute": [
        {"attrName": "MKTOID", "attrValue": str(lead["id"])}]}, includeAttributes={"stringItem": []},
        _soapheaders=headers)
    [found] = result.customObjList.customObj
    assert ([(a.attrName, a.attrValue) for a in found.customObjAttributeList.attribute], result.objTypeName) == (
        [("city", "Paris")], "RoadShow")
    assert [r["keys"] for r in marketo.custom_objects("RoadShow", lead_id=lead["id"])] == [
        {"MKTOID": lead["id"], "rid": "r1"}]


def test_seeded_opportunities_are_read_back_by_a_zeep_client(marketo):
    [lead] = marketo.seed(email="ann@example.com")
    marketo.seed_mobjects("Opportunity", {"id": 40, "external_key": {"name": "opportunityId", "value": "O4"},
                                          "attributes": {"Name": "Deal", "Amount": "501.00"}})
    marketo.seed_mobjects("OpportunityPersonRole", {"attributes": {"OpportunityId": 40, "PersonId": lead["id"]}})
    service, headers = zeep_service(marketo)
    result = service.getMObjects(type="Opportunity", mObjCriteriaList={"mObjCriteria": [
        {"attrName": "Amount", "comparison": "GT", "attrValue": "500"}]}, _soapheaders=headers)
    assert [(o.id, o.externalKey.value) for o in result.mObjectList.mObject] == [(40, "O4")]
    assert [r["attributes"]["PersonId"] for r in marketo.mobjects("OpportunityPersonRole")] == [str(lead["id"])]


def test_a_zeep_client_lists_and_describes_mobjects(marketo):
    service, headers = zeep_service(marketo)
    assert service.listMObjects(_soapheaders=headers) == ["ActivityRecord", "LeadRecord", "Opportunity",
                                                         "OpportunityPersonRole"]
    metadata = service.describeMObject(objectName="LeadRecord", _soapheaders=headers)
    assert [f.name for f in metadata.fieldList.field][:2] == ["Id", "Email"]


def test_a_bad_seed_raises_control_api_error(marketo):
    with pytest.raises(ControlApiError) as caught:
        marketo.seed_mobjects("Opportunity", {"attributes": {"Colour": "red"}})
    assert caught.value.status == 400


def test_a_declared_type_is_removed_when_the_test_ends(marketo_server):
    instance = marketo_server.new_instance()
    instance.add_custom_object_type("Temp", dedupe_fields=["MKTOID"])
    instance.restore_config()
    assert instance.config()["custom_objects"] == []
    instance.delete()
