"""Our schemas/mktows.wsdl and the spyne models built from it.

The default suite checks the models against our WSDL, type by type, so that neither can drift. Under the
`reference` marker (it needs Marketo's own 2_1 WSDL at ../shared/reference, beside the project) our WSDL
is compared with Marketo's: every type, element, message, operation and binding (facts §1, §2)."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from mockmarketo.soap import models
from mockmarketo.soap.operations import OPERATIONS
from mockmarketo.soap.wsdl import wsdl_path

MARKETO_WSDL = Path(__file__).resolve().parents[1].parent / "shared" / "reference" / "mktows-2_1.wsdl"
W = "{http://schemas.xmlsoap.org/wsdl/}"
S = "{http://schemas.xmlsoap.org/wsdl/soap/}"
XS = "{http://www.w3.org/2001/XMLSchema}"


def _load(path: Path) -> etree._Element:
    return etree.parse(str(path)).getroot()


@pytest.fixture(scope="module")
def ours():
    return _load(wsdl_path())


@pytest.fixture(scope="module")
def marketo():
    if not MARKETO_WSDL.is_file():
        pytest.fail(f"Marketo's WSDL not found at {MARKETO_WSDL}: the reference tests need ../shared beside "
                    "the project")
    return _load(MARKETO_WSDL)


def _schema(root):
    return root.find(f"{W}types/{XS}schema")


def _declared(root, kind: str) -> list[str]:
    return [el.get("name") for el in _schema(root).findall(f"{XS}{kind}")]


def _type_shape(root, name: str):
    """A complexType or simpleType as comparable data: elements with their facets, or enumeration values."""
    schema = _schema(root)
    for kind in ("complexType", "simpleType"):
        found = schema.find(f"{XS}{kind}[@name='{name}']")
        if found is not None:
            break
    else:
        raise AssertionError(f"type {name} not declared")
    if kind == "simpleType":
        return ("enum", [e.get("value") for e in found.iter(f"{XS}enumeration")])
    extension = found.find(f".//{XS}extension")
    return ("complex", found.get("abstract"), extension.get("base") if extension is not None else None, [
        (e.get("name"), e.get("type"), e.get("minOccurs", "1"), e.get("maxOccurs", "1"), e.get("nillable", "false"))
        for e in found.iter(f"{XS}element")])


def _binding_operation(root, name):
    op = root.find(f"{W}binding/{W}operation[@name='{name}']")
    return (op.find(f"{S}operation").get("soapAction"),
            [(h.get("part"), h.get("message"), h.get("use")) for h in op.iter(f"{S}header")],
            [b.get("use") for b in op.iter(f"{S}body")])


def _messages(root, operation):
    op = root.find(f"{W}portType/{W}operation[@name='{operation}']")
    result = []
    for direction in ("input", "output"):
        name = op.find(f"{W}{direction}").get("message").split(":")[1]
        message = root.find(f"{W}message[@name='{name}']")
        result.append((name, [(p.get("name"), p.get("element")) for p in message]))
    return result


def _port_type_operations(root):
    return sorted(op.get("name") for op in root.find(f"{W}portType").findall(f"{W}operation"))


# ---- our WSDL on its own -------------------------------------------------------------------------------

def test_port_type_declares_the_23_operations(ours):
    assert len(OPERATIONS) == 23
    assert _port_type_operations(ours) == sorted(OPERATIONS)


@pytest.mark.parametrize("operation", OPERATIONS)
def test_operation_takes_its_params_element_and_gives_its_success_element(ours, operation):
    cap = operation[0].upper() + operation[1:]
    headers = [("authentication", "tns:AuthenticationHeader", "literal")]
    if operation == "syncLead":
        headers.append(("mktowsContext", "tns:MktowsContextHeader", "literal"))
    assert _binding_operation(ours, operation) == (
        f"http://www.marketo.com/mktows/{operation}", headers, ["literal", "literal"])
    assert [parts for _, parts in _messages(ours, operation)] == [
        [(f"params{cap}", f"tns:params{cap}")], [(f"success{cap}", f"tns:success{cap}")]]


def test_schema_has_no_element_form_default_so_children_are_unqualified(ours):
    assert _schema(ours).get("elementFormDefault") is None


def test_every_type_of_the_schema_is_declared_once_and_every_reference_resolves(ours):
    names = _declared(ours, "complexType") + _declared(ours, "simpleType")
    assert len(names) == len(set(names)) == 142
    referenced = {e.get("type").split(":")[1] for e in _schema(ours).iter(f"{XS}element")
                  if e.get("type", "").startswith("tns:")}
    assert referenced <= set(names)


# ---- spyne models against our WSDL -------------------------------------------------------------------

_WSDL_TYPE_OF_MODEL = {"AuthenticationHeader": "AuthenticationHeaderInfo",
                       "MktowsContextHeader": "MktowsContextHeaderInfo"}
_COMPLEX_TYPES = [name for name in _declared(_load(wsdl_path()), "complexType")]


def _model_shape(model, *, leave_out_later_members=True):
    fields = []
    wsdl_name = _WSDL_TYPE_OF_MODEL.get(model.get_type_name(), model.get_type_name())
    later = {name for name, *_ in models.LATER_MEMBERS.get(wsdl_name, [])} if leave_out_later_members else set()
    for name, member in model._type_info.items():
        if getattr(model, "__extends__", None) is not None and name in model.__extends__._type_info:
            continue
        if name in later:
            continue
        attrs = member.Attributes
        prefix = "xs" if member.get_namespace() == XS.strip("{}") else "tns"
        xsd = f"{prefix}:{member.get_type_name()}"
        max_occurs = "unbounded" if attrs.max_occurs > 1 else "1"
        fields.append((name, xsd, str(attrs.min_occurs), max_occurs, str(bool(attrs.nillable)).lower()))
    return fields


@pytest.mark.parametrize("type_name", _COMPLEX_TYPES)
def test_spyne_model_matches_our_wsdl(ours, type_name):
    model = models.model_of(type_name)
    assert model.get_namespace() == models.NS
    assert _model_shape(model) == _type_shape(ours, type_name)[3]


@pytest.mark.parametrize("type_name", _declared(_load(wsdl_path()), "simpleType"))
def test_enumeration_model_has_the_wsdl_values(ours, type_name):
    model = models.model_of(type_name)
    assert model.get_type_name() == type_name
    assert list(model.Attributes.values) == _type_shape(ours, type_name)[1]


def test_members_of_later_wsdl_versions_are_read_after_the_2_1_members():
    assert _model_shape(models.ParamsGetLeadChanges, leave_out_later_members=False)[-2:] == [
        ("activityNameFilter", "tns:ArrayOfString", "0", "1", "true"),
        ("leadSelector", "tns:LeadSelector", "0", "1", "false")]
    assert _model_shape(models.ParamsMergeLeads, leave_out_later_members=False)[-1] == (
        "mergeInSales", "xs:boolean", "0", "1", "false")
    assert [name for name, *_ in _model_shape(models.AuthenticationHeader, leave_out_later_members=False)] == [
        "mktowsUserId", "requestSignature", "requestTimestamp", "audit", "mode", "partnerId"]


def test_lead_selector_subtypes_extend_the_abstract_selector():
    for name in ("LastUpdateAtSelector", "StaticListSelector", "LeadKeySelector"):
        assert models.model_of(name).__extends__ is models.LeadSelector


@pytest.mark.parametrize("type_name", _COMPLEX_TYPES)
def test_response_twin_writes_every_nillable_member_and_changes_nothing_else(type_name):
    """Marketo writes a nillable member as xsi:nil when it has no value (facts §7)."""
    plain = models.model_of(type_name)
    twin = models.response_model(plain)
    assert twin.get_type_name() == plain.get_type_name()
    assert list(twin._type_info) == list(plain._type_info)
    for name, member in twin._type_info.items():
        before = plain._type_info[name].Attributes
        assert member.Attributes.nillable == before.nillable
        assert member.Attributes.max_occurs == before.max_occurs
        assert member.Attributes.min_occurs == (1 if before.nillable else before.min_occurs)


# ---- our WSDL against Marketo's (needs ../shared) ----------------------------------------------------

@pytest.mark.reference
def test_service_port_and_binding_names_equal_marketos(ours, marketo):
    def names(root):
        service = root.find(f"{W}service")
        port = service.find(f"{W}port")
        binding = root.find(f"{W}binding")
        return (root.get("name"), root.get("targetNamespace"), service.get("name"), port.get("name"),
                port.get("binding"), binding.get("name"), binding.get("type"),
                root.find(f"{W}portType").get("name"), binding.find(f"{S}binding").attrib)
    assert names(ours) == names(marketo)


@pytest.mark.reference
def test_schema_declares_exactly_marketos_types_and_elements(ours, marketo):
    for kind in ("complexType", "simpleType"):
        assert sorted(_declared(ours, kind)) == sorted(_declared(marketo, kind))
    def elements(root):
        return sorted((e.get("name"), e.get("type")) for e in _schema(root).findall(f"{XS}element"))
    assert elements(ours) == elements(marketo)


@pytest.mark.reference
def test_every_type_equals_marketos(ours, marketo):
    names = _declared(marketo, "complexType") + _declared(marketo, "simpleType")
    assert {name: _type_shape(ours, name) for name in names} == {name: _type_shape(marketo, name) for name in names}


@pytest.mark.reference
def test_header_messages_and_parts_equal_marketos(ours, marketo):
    def headers(root):
        return [(m.get("name"), [(p.get("name"), p.get("element")) for p in m])
                for m in root.findall(f"{W}message")
                if m.get("name") in ("AuthenticationHeader", "MktowsContextHeader")]
    assert headers(ours) == headers(marketo)


@pytest.mark.reference
def test_every_operation_binding_and_message_equals_marketos(ours, marketo):
    assert _port_type_operations(ours) == _port_type_operations(marketo)
    for operation in OPERATIONS:
        assert _binding_operation(ours, operation) == _binding_operation(marketo, operation), operation
        assert _messages(ours, operation) == _messages(marketo, operation), operation
