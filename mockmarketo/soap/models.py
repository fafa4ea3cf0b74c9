"""spyne models of the mktows types mockmarketo handles, shaped exactly like schemas/mktows.wsdl.

Every element is unqualified (`sub_ns=''`: the schema has no elementFormDefault), xs:int is Integer32,
arrays are Marketo's explicit ArrayOf* wrappers, and occurrence and nillability follow the WSDL.
tests/test_wsdl_contract.py checks these models against the WSDL.

Response variants (`*Out`) differ from their request twins in one way only: nillable members are
always written, as `xsi:nil="true"` when empty, as Marketo does (facts §7). spyne writes a nil element
only for min_occurs >= 1, so the variants raise min_occurs; they serialise, they never parse.
Build response objects from the plain classes (LeadRecord, SyncStatus): spyne serialises by the
declared member type, and instantiating a customised class makes spyne log a formatted stack trace
on every call (about 100 µs each).
"""

from __future__ import annotations

from spyne import Boolean, ComplexModel, DateTime, Integer32, Unicode

NS = "http://www.marketo.com/mktows/"


def _el(model, min_occurs=1, max_occurs=1, nillable=False):
    # customize() forgets the type name of a named simple type (our enumerations); keep it
    named = {"type_name": model.get_type_name()} if getattr(model.Attributes, "values", None) else {}
    return model.customize(min_occurs=min_occurs, max_occurs=max_occurs, nillable=nillable, sub_ns="", **named)


def _enum(type_name, *values):
    return Unicode(values=values, type_name=type_name, __namespace__=NS)


class _Model(ComplexModel):
    __namespace__ = NS


LeadKeyRef = _enum("LeadKeyRef", "IDNUM", "COOKIE", "EMAIL", "LEADOWNEREMAIL", "SFDCACCOUNTID",
                   "SFDCCONTACTID", "SFDCLEADID", "SFDCLEADOWNERID", "SFDCOPPTYID")
LeadSyncStatus = _enum("LeadSyncStatus", "CREATED", "UPDATED", "FAILED")
ForeignSysType = _enum("ForeignSysType", "CUSTOM", "SFDC", "NETSUITE")


class ArrayOfString(_Model):
    _type_info = [("stringItem", _el(Unicode, 0, "unbounded"))]


class Attribute(_Model):
    _type_info = [
        ("attrName", _el(Unicode)),
        ("attrType", _el(Unicode, 0, nillable=True)),
        ("attrValue", _el(Unicode)),
    ]


class ArrayOfAttribute(_Model):
    _type_info = [("attribute", _el(Attribute, 0, "unbounded"))]


class LeadRecord(_Model):
    _type_info = [
        ("Id", _el(Integer32, 0, nillable=True)),
        ("Email", _el(Unicode, 0, nillable=True)),
        ("ForeignSysPersonId", _el(Unicode, 0, nillable=True)),
        ("ForeignSysType", _el(ForeignSysType, 0, nillable=True)),
        ("leadAttributeList", _el(ArrayOfAttribute, 0, nillable=True)),
    ]


class ArrayOfLeadRecord(_Model):
    _type_info = [("leadRecord", _el(LeadRecord, 0, "unbounded"))]


class LeadKey(_Model):
    _type_info = [("keyType", _el(LeadKeyRef)), ("keyValue", _el(Unicode))]


class SyncStatus(_Model):
    _type_info = [
        ("leadId", _el(Integer32)),
        ("status", _el(LeadSyncStatus)),
        ("error", _el(Unicode, 0, nillable=True)),
    ]


class ArrayOfSyncStatus(_Model):
    _type_info = [("syncStatus", _el(SyncStatus, 0, "unbounded"))]


class LeadSelector(_Model):
    """Abstract in the WSDL; requests name a subtype with xsi:type, which spyne resolves among the
    registered subclasses. spyne registers a subclass only when its base has members or it names the
    base in `__extends__`, so the subtypes below do that explicitly."""


class LastUpdateAtSelector(LeadSelector):
    __extends__ = LeadSelector
    _type_info = [
        ("latestUpdatedAt", _el(DateTime, 0, nillable=True)),
        ("oldestUpdatedAt", _el(DateTime)),
    ]


class StaticListSelector(LeadSelector):
    __extends__ = LeadSelector
    _type_info = [
        ("staticListName", _el(Unicode, 0, nillable=True)),
        ("staticListId", _el(Integer32, 0, nillable=True)),
    ]


class LeadKeySelector(LeadSelector):
    __extends__ = LeadSelector
    _type_info = [("keyType", _el(LeadKeyRef)), ("keyValues", _el(ArrayOfString))]


class ParamsGetLead(_Model):
    _type_info = [("leadKey", _el(LeadKey))]


class ParamsGetMultipleLeads(_Model):
    _type_info = [
        ("leadSelector", _el(LeadSelector, 0)),
        ("lastUpdatedAt", _el(DateTime, 0)),
        ("streamPosition", _el(Unicode, 0, nillable=True)),
        ("batchSize", _el(Integer32, 0, nillable=True)),
        ("includeAttributes", _el(ArrayOfString, 0)),
    ]


class ParamsSyncLead(_Model):
    _type_info = [
        ("leadRecord", _el(LeadRecord)),
        ("returnLead", _el(Boolean)),
        ("marketoCookie", _el(Unicode, 0, nillable=True)),
    ]


class ParamsSyncMultipleLeads(_Model):
    _type_info = [
        ("leadRecordList", _el(ArrayOfLeadRecord)),
        ("dedupEnabled", _el(Boolean, 0, nillable=True)),
    ]


class AuthenticationHeader(_Model):
    """Element AuthenticationHeader of type AuthenticationHeaderInfo: spyne finds headers by type name,
    so the model carries the element's name."""

    _type_info = [
        ("mktowsUserId", _el(Unicode)),
        ("requestSignature", _el(Unicode)),
        ("requestTimestamp", _el(Unicode)),
        ("audit", _el(Unicode, 0)),
        ("mode", _el(Integer32, 0)),
    ]


class MktowsContextHeader(_Model):
    """Element MktowsContextHeader of type MktowsContextHeaderInfo (see AuthenticationHeader)."""

    _type_info = [("targetWorkspace", _el(Unicode))]


# ---- responses ------------------------------------------------------------------------------------

def _always_written(model, *names):
    return model.customize(child_attrs={name: {"min_occurs": 1} for name in names})


LeadRecordOut = _always_written(LeadRecord, "Id", "Email", "ForeignSysPersonId", "ForeignSysType")
SyncStatusOut = _always_written(SyncStatus, "error")


def _with_member(model, name, member):
    """A variant of `model` (same type name, same spyne origin) whose member `name` is of type `member`.

    For a response twin of a type that requests also use: spyne refuses two unrelated classes of one
    type name in an interface, and customize() can change a member's attributes but not its type.
    """
    variant = model.customize()
    variant._type_info[name] = member
    return variant


# ArrayOfLeadRecord is parsed too (syncMultipleLeads' leadRecordList), so its twin must be a variant;
# being customised, it is never instantiated: responses hold a plain ArrayOfLeadRecord.
ArrayOfLeadRecordOut = _with_member(ArrayOfLeadRecord, "leadRecord", _el(LeadRecordOut, 0, "unbounded"))


class ArrayOfSyncStatusOut(_Model):
    __type_name__ = "ArrayOfSyncStatus"
    _type_info = [("syncStatus", _el(SyncStatusOut, 0, "unbounded"))]


class ResultSyncLead(_Model):
    _type_info = [
        ("leadId", _el(Integer32)),
        ("syncStatus", _el(SyncStatusOut)),
        ("leadRecord", _el(LeadRecordOut, 1, nillable=True)),
    ]


class ResultGetLead(_Model):
    _type_info = [("count", _el(Integer32)), ("leadRecordList", _el(ArrayOfLeadRecordOut, 1, nillable=True))]


class ResultSyncMultipleLeads(_Model):
    _type_info = [("syncStatusList", _el(ArrayOfSyncStatusOut))]


class ResultGetMultipleLeads(_Model):
    _type_info = [
        ("returnCount", _el(Integer32)),
        ("remainingCount", _el(Integer32)),
        ("newStreamPosition", _el(Unicode)),
        ("leadRecordList", _el(ArrayOfLeadRecordOut, 1, nillable=True)),
    ]


class SuccessSyncLead(_Model):
    _type_info = [("result", _el(ResultSyncLead))]


class SuccessGetLead(_Model):
    _type_info = [("result", _el(ResultGetLead))]


class SuccessSyncMultipleLeads(_Model):
    _type_info = [("result", _el(ResultSyncMultipleLeads))]


class SuccessGetMultipleLeads(_Model):
    _type_info = [("result", _el(ResultGetMultipleLeads))]
