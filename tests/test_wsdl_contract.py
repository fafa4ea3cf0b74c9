"""Our schemas/mktows.wsdl against Marketo's own 2_1 WSDL (facts §1, §2), and our spyne models against
our WSDL, so that neither can drift."""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from mockmarketo.soap import models
from mockmarketo.soap.operations import EMULATED, NOT_EMULATED
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
        pytest.fail(f"Marketo's WSDL not found at {MARKETO_WSDL}: ../shared must sit beside the project")
    return _load(MARKETO_WSDL)


def _schema(root):
    return root.find(f"{W}types/{XS}schema")


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


def _types_used(root, element_names: list[str]) -> set[str]:
    """Every named type reachable from the given global elements."""
    schema = _schema(root)
    pending = [schema.find(f"{XS}element[@name='{n}']").get("type").split(":")[1] for n in element_names]
    seen: set[str] = set()
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        shape = _type_shape(root, name)
        if shape[0] == "complex":
            if shape[2]:
                pending.append(shape[2].split(":")[1])
            pending.extend(t.split(":")[1] for _, t, *_ in shape[3] if t and t.startswith("tns:"))
    if "LeadSelector" in seen:  # its subtypes are chosen on the wire with xsi:type
        seen |= {"LastUpdateAtSelector", "StaticListSelector", "LeadKeySelector"}
    return seen


def _element_names(operation: str) -> list[str]:
    cap = operation[0].upper() + operation[1:]
    return [f"params{cap}", f"success{cap}"]


def _binding_operation(root, name):
    op = root.find(f"{W}binding/{W}operation[@name='{name}']")
    return (op.find(f"{S}operation").get("soapAction"),
            [(h.get("part"), h.get("message"), h.get("use")) for h in op.iter(f"{S}header")],
            [b.get("use") for b in op.iter(f"{S}body")])


def test_service_port_and_binding_names_equal_marketos(ours, marketo):
    def names(root):
        service = root.find(f"{W}service")
        port = service.find(f"{W}port")
        binding = root.find(f"{W}binding")
        return (root.get("name"), root.get("targetNamespace"), service.get("name"), port.get("name"),
                port.get("binding"), binding.get("name"), binding.get("type"),
                root.find(f"{W}portType").get("name"), binding.find(f"{S}binding").attrib)
    assert names(ours) == names(marketo)


def test_schema_has_no_element_form_default_so_children_are_unqualified(ours, marketo):
    assert _schema(ours).get("elementFormDefault") is None
    assert _schema(marketo).get("elementFormDefault") is None


def test_header_messages_and_parts_equal_marketos(ours, marketo):
    def headers(root):
        return [(m.get("name"), [(p.get("name"), p.get("element")) for p in m])
                for m in root.findall(f"{W}message")
                if m.get("name") in ("AuthenticationHeader", "MktowsContextHeader")]
    assert headers(ours) == headers(marketo)


def test_every_marketo_operation_is_in_our_port_type_and_binding(ours, marketo):
    """Stubs generated from Marketo's WSDL check every operation against the served WSDL at run time."""
    def operations(root):
        return sorted(op.get("name") for op in root.find(f"{W}portType").findall(f"{W}operation"))
    assert operations(ours) == operations(marketo)
    assert sorted(EMULATED + NOT_EMULATED) == operations(marketo)


@pytest.mark.parametrize("operation", EMULATED + NOT_EMULATED)
def test_binding_operation_equals_marketos(ours, marketo, operation):
    assert _binding_operation(ours, operation) == _binding_operation(marketo, operation)


@pytest.mark.parametrize("operation", EMULATED + NOT_EMULATED)
def test_operation_messages_equal_marketos(ours, marketo, operation):
    def messages(root):
        op = root.find(f"{W}portType/{W}operation[@name='{operation}']")
        result = []
        for direction in ("input", "output"):
            name = op.find(f"{W}{direction}").get("message").split(":")[1]
            message = root.find(f"{W}message[@name='{name}']")
            result.append((name, [(p.get("name"), p.get("element")) for p in message]))
        return result
    assert messages(ours) == messages(marketo)


@pytest.mark.parametrize("operation", EMULATED)
def test_types_of_emulated_operations_equal_marketos(ours, marketo, operation):
    used = _types_used(marketo, _element_names(operation))
    assert used == _types_used(ours, _element_names(operation))
    for name in sorted(used):
        assert _type_shape(ours, name) == _type_shape(marketo, name), name


def test_header_types_equal_marketos(ours, marketo):
    for name in ("AuthenticationHeaderInfo", "MktowsContextHeaderInfo"):
        assert _type_shape(ours, name) == _type_shape(marketo, name)


# ---- spyne models against our WSDL -------------------------------------------------------------------

# Response-only members spyne must always write (as xsi:nil when empty, facts §7); the WSDL says
# minOccurs 0. These are the only deliberate differences between the models and the WSDL.
_ALWAYS_WRITTEN = {("ResultSyncLead", "leadRecord"), ("ResultGetLead", "leadRecordList"),
                   ("ResultGetMultipleLeads", "leadRecordList")}
_WSDL_TYPE_OF_MODEL = {"AuthenticationHeader": "AuthenticationHeaderInfo",
                       "MktowsContextHeader": "MktowsContextHeaderInfo"}


def _model_shape(model):
    fields = []
    for name, member in model._type_info.items():
        if getattr(model, "__extends__", None) is not None and name in model.__extends__._type_info:
            continue
        attrs = member.Attributes
        prefix = "xs" if member.get_namespace() == XS.strip("{}") else "tns"
        xsd = f"{prefix}:{member.get_type_name()}"
        min_occurs = "0" if (model.get_type_name(), name) in _ALWAYS_WRITTEN else str(attrs.min_occurs)
        max_occurs = "unbounded" if attrs.max_occurs > 1 else "1"
        fields.append((name, xsd, min_occurs, max_occurs, str(bool(attrs.nillable)).lower()))
    return fields


_MODELS = [models.ArrayOfString, models.Attribute, models.ArrayOfAttribute, models.LeadRecord,
           models.ArrayOfLeadRecord, models.LeadKey, models.SyncStatus, models.ArrayOfSyncStatus,
           models.LastUpdateAtSelector, models.StaticListSelector, models.LeadKeySelector,
           models.ParamsGetLead, models.ParamsGetMultipleLeads, models.ParamsSyncLead,
           models.ParamsSyncMultipleLeads, models.ResultSyncLead, models.ResultGetLead,
           models.ResultSyncMultipleLeads, models.ResultGetMultipleLeads, models.SuccessSyncLead,
           models.SuccessGetLead, models.SuccessSyncMultipleLeads, models.SuccessGetMultipleLeads,
           models.AuthenticationHeader, models.MktowsContextHeader]


@pytest.mark.parametrize("model", _MODELS, ids=lambda m: m.__name__)
def test_spyne_model_matches_our_wsdl(ours, model):
    wsdl_name = _WSDL_TYPE_OF_MODEL.get(model.get_type_name(), model.get_type_name())
    expected = _type_shape(ours, wsdl_name)[3]
    assert _model_shape(model) == expected


@pytest.mark.parametrize("model", [models.LeadRecordOut, models.SyncStatusOut, models.ArrayOfLeadRecordOut,
                                   models.ArrayOfSyncStatusOut], ids=lambda m: m.__name__)
def test_response_variants_differ_from_their_request_twins_only_in_min_occurs(model):
    twin = getattr(models, model.get_type_name())
    assert model.get_type_name() == twin.get_type_name()
    assert list(model._type_info) == list(twin._type_info)
    for name, member in model._type_info.items():
        assert member.Attributes.nillable == twin._type_info[name].Attributes.nillable
        assert member.Attributes.max_occurs == twin._type_info[name].Attributes.max_occurs
