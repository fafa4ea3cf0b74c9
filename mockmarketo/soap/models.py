"""spyne models of every mktows type, built once at import from schemas/mktows.wsdl: the WSDL is the one
source of truth, and tests/test_wsdl_contract.py checks the models against it type by type.

Each complex type of the schema becomes a ComplexModel named like it (`models.LeadRecord`), each
enumeration a named Unicode with its values. Every element is unqualified (`sub_ns=''`: the schema has
no elementFormDefault), xs:int is Integer32, arrays are Marketo's explicit ArrayOf* wrappers, and
occurrence and nillability follow the WSDL. The header types carry their element's name
(`AuthenticationHeader`, not `AuthenticationHeaderInfo`): spyne finds headers by type name.

Requests may carry members that later WSDL versions added (`LATER_MEMBERS`); clients generated from
those versions send them, and Marketo's server read them.

Responses: Marketo writes every nillable member, as `xsi:nil="true"` when empty (facts §7). spyne writes a
nil element only for min_occurs >= 1, so each type reachable from a response has a response twin
(`response_model(T)`) whose nillable members have min_occurs 1; the twins serialise, they never parse.
Build response objects from the plain classes: spyne serialises by the declared member type, and
instantiating a customised class makes spyne log a formatted stack trace on every call.
"""

from __future__ import annotations

from lxml import etree
from spyne import Boolean, ByteArray, ComplexModel, DateTime, Integer, Integer32, Unicode

from mockmarketo.soap.wsdl import wsdl_path

NS = "http://www.marketo.com/mktows/"
_XS = "http://www.w3.org/2001/XMLSchema"
_WSDL = "http://schemas.xmlsoap.org/wsdl/"


class _AnySimpleType(Unicode):
    """xs:anySimpleType (MObjCriteria's attrValue), read as text."""
    __type_name__ = "anySimpleType"


_SIMPLE = {"string": Unicode, "int": Integer32, "integer": Integer, "dateTime": DateTime, "boolean": Boolean,
           "anySimpleType": _AnySimpleType, "base64Binary": ByteArray}
# header element name <- its WSDL type name
_HEADER_TYPES = {"AuthenticationHeaderInfo": "AuthenticationHeader",
                 "MktowsContextHeaderInfo": "MktowsContextHeader"}

# Members added after version 2_1 that requests may carry: type -> (name, type, min, max, nillable), appended
# after the 2_1 members (spyne reads members in any order).
LATER_MEMBERS: dict[str, list[tuple[str, str, int, int, bool]]] = {
    "ParamsGetLeadChanges": [("activityNameFilter", "ArrayOfString", 0, 1, True),
                             ("leadSelector", "LeadSelector", 0, 1, False)],
    "ParamsMergeLeads": [("mergeInSales", "boolean", 0, 1, False)],
    "AuthenticationHeaderInfo": [("partnerId", "string", 0, 1, False)],
    "ParamsSyncLead": [("moveCookie", "boolean", 0, 1, False)],
    "ParamsScheduleCampaign": [("cloneToProgramName", "string", 0, 1, True)],
}


class _Model(ComplexModel):
    """The base of every complex type. Its constructor makes the same object as spyne's (every member
    None, then the keyword members set) without spyne's per-member walk, which costs ~10 µs an object:
    a getMultipleLeads answer of 100 leads builds 500 of them."""

    __namespace__ = NS

    def __init__(self, *args, **kwargs):
        cls = self.__class__
        members = cls.__dict__.get("_plain_members")
        if members is None:
            members = _plain_members(cls)
        if members is False or args:
            super().__init__(*args, **kwargs)
            return
        values = self.__dict__
        values.update(members)
        for key, value in kwargs.items():
            if key in members:
                values[key] = value


def _plain_members(cls) -> dict | bool:
    """{member: None} when spyne's constructor would only set members to None and kwargs as given;
    False when it does more (defaults, read-only members, class attributes, customised classes)."""
    members: dict | bool = False
    flat = cls.get_flat_type_info(cls)
    if cls.__orig__ is None and cls.Attributes._xml_tag_body_as is None and all(
            member.Attributes.default is None and member.Attributes.default_factory is None
            and not member.Attributes.read_only and getattr(cls, key, None) is None
            for key, member in flat.items()):
        members = dict.fromkeys(flat)
    cls._plain_members = members
    return members


def _el(model, min_occurs=1, max_occurs=1, nillable=False):
    # customize() forgets the type name of a named simple type (our enumerations); keep it
    named = {"type_name": model.get_type_name()} if getattr(model.Attributes, "values", None) else {}
    return model.customize(min_occurs=min_occurs, max_occurs=max_occurs, nillable=nillable, sub_ns="", **named)


class _Schema:
    """The schema of the WSDL, turned into spyne classes on demand (members before the types that use them)."""

    def __init__(self, schema: etree._Element):
        self._declared = {el.get("name"): el for el in schema if isinstance(el.tag, str) and el.get("name")
                          and etree.QName(el).localname in ("simpleType", "complexType")}
        self.elements = {el.get("name"): el.get("type").split(":", 1)[1]
                         for el in schema.findall(f"{{{_XS}}}element")}
        self.types: dict[str, type] = {}
        self._responses: dict[str, type] = {}

    def build_all(self) -> None:
        for name in self._declared:
            self.model(f"tns:{name}")

    def model(self, qualified: str) -> type:
        prefix, _, name = qualified.rpartition(":")
        if prefix == "xs":
            return _SIMPLE[name]
        found = self.types.get(name)
        if found is None:
            declaration = self._declared[name]
            if etree.QName(declaration).localname == "simpleType":
                values = [e.get("value") for e in declaration.iter(f"{{{_XS}}}enumeration")]
                found = Unicode(values=values, type_name=name, __namespace__=NS)
            else:
                found = self._complex(name, declaration)
            self.types[name] = found
        return found

    def _complex(self, name: str, declaration) -> type:
        extension = declaration.find(f".//{{{_XS}}}extension")
        base = self.model(extension.get("base")) if extension is not None else _Model
        members = [(e.get("name"), self.model(e.get("type")), int(e.get("minOccurs", "1")),
                    e.get("maxOccurs", "1"), e.get("nillable") == "true")
                   for e in declaration.iter(f"{{{_XS}}}element")]
        members += [(member, self.model(kind if kind[0].isupper() else "xs:" + kind), low, high, nil)
                    for member, kind, low, high, nil in LATER_MEMBERS.get(name, [])]
        body = {"_type_info": [(member, _el(kind, low, "unbounded" if high == "unbounded" else int(high), nil))
                               for member, kind, low, high, nil in members],
                "__type_name__": _HEADER_TYPES.get(name, name), "__module__": __name__}
        if extension is not None:
            # spyne registers a subtype (for xsi:type) only when it names its base in __extends__
            body["__extends__"] = base
        return type(_HEADER_TYPES.get(name, name), (base,), body)

    def response(self, model: type) -> type:
        """The response twin of `model`: nillable members always written, complex members as their twins."""
        name = model.get_type_name()
        if not issubclass(model, ComplexModel) or name in _HEADER_TYPES.values():
            return model
        twin = self._responses.get(name)
        if twin is not None:
            return twin
        changes = {}
        for member, kind in model._type_info.items():
            attrs = kind.Attributes
            inner = self.response(getattr(kind, "__orig__", None) or kind)
            plain = getattr(kind, "__orig__", None) or kind
            if inner is not plain or (attrs.nillable and attrs.min_occurs == 0):
                changes[member] = _el(inner, max(attrs.min_occurs, 1 if attrs.nillable else 0),
                                      attrs.max_occurs if attrs.max_occurs > 1 else 1, attrs.nillable)
        twin = model
        if changes:
            twin = model.customize()
            for member, kind in changes.items():
                twin._type_info[member] = kind
        self._responses[name] = twin
        return twin


def _load() -> _Schema:
    root = etree.parse(str(wsdl_path())).getroot()
    schema = _Schema(root.find(f"{{{_WSDL}}}types/{{{_XS}}}schema"))
    schema.build_all()
    return schema


_SCHEMA = _load()
globals().update({_HEADER_TYPES.get(name, name): model for name, model in _SCHEMA.types.items()})


def model_of(type_name: str) -> type:
    """The spyne class of a WSDL type name (header types by their WSDL name too)."""
    return _SCHEMA.types[type_name]


def response_model(model: type) -> type:
    """The class spyne serialises a response object of `model` with (see the module docstring)."""
    return _SCHEMA.response(model)


def element_type(element_name: str) -> str:
    """The WSDL type name of a global element: `paramsSyncLead` -> `ParamsSyncLead`."""
    return _SCHEMA.elements[element_name]
