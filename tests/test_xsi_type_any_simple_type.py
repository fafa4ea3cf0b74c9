"""xsi:type on an xs:anySimpleType element (MObjCriteria's attrValue, facts-more-ops §11): JAX-WS stubs
map the element to java.lang.Object and write a String value as `xsi:type="xs:string"` (an Integer as
xs:int); the request must be read as Marketo's docs show it, the value as its text."""

from __future__ import annotations

import pytest
from spyne import Application, MethodContext
from spyne.server import ServerBase

from mockmarketo.soap.models import NS
from mockmarketo.soap.protocol import MarketoSoap11
from mockmarketo.soap.service import services
from tests import soap_messages as sm

XS = "http://www.w3.org/2001/XMLSchema"


@pytest.fixture(scope="module")
def server() -> ServerBase:
    """spyne's request parsing as the endpoint sets it up, without dispatching the call."""
    return ServerBase(Application(services(), tns=NS, name="mktows", in_protocol=MarketoSoap11(),
                                  out_protocol=MarketoSoap11()))


def parsed(server: ServerBase, criteria_value: str):
    """(error, request object) of a getMObjects request with one criterion whose attrValue is given."""
    body = ("<ns1:paramsGetMObjects><type>Program</type><mObjCriteriaList><mObjCriteria><attrName>Id</attrName>"
            f"<comparison>LE</comparison>{criteria_value}</mObjCriteria></mObjCriteriaList></ns1:paramsGetMObjects>")
    ctx = MethodContext(server, MethodContext.SERVER)
    ctx.in_string = [sm.envelope(body).encode("utf-8")]
    ctx, = server.generate_contexts(ctx)
    server.get_in_object(ctx)
    return ctx.in_error, ctx.in_object


def attr_value(request) -> str:
    return request.mObjCriteriaList.mObjCriteria[0].attrValue


@pytest.mark.parametrize("xsi_type", ["xs:string", "xs:int", "xs:decimal"])
def test_any_simple_type_value_with_an_xml_schema_xsi_type_is_read_as_its_text(server, xsi_type):
    error, request = parsed(server, f'<attrValue xmlns:xs="{XS}" xsi:type="{xsi_type}">1010</attrValue>')
    assert (error, attr_value(request)) == (None, "1010")


def test_any_simple_type_value_without_xsi_type_is_read_as_its_text(server):
    error, request = parsed(server, "<attrValue>1010</attrValue>")
    assert (error, attr_value(request)) == (None, "1010")


def test_any_simple_type_value_typed_as_a_marketo_complex_type_is_refused(server):
    error, _ = parsed(server, '<attrValue xsi:type="ns1:LeadKey">1010</attrValue>')
    assert (error.faultcode, error.faultstring) == (
        "Client.ValidationError", "xsi:type ns1:LeadKey is not a anySimpleType")
