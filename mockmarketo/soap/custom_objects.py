"""The custom object operations: syncCustomObjects, getCustomObjects, deleteCustomObjects.

Requests map to domain.custom_objects; answers echo objTypeName as configured and carry every attribute
with `<attrType xsi:nil="true"/>`, as Marketo's did (facts-more-ops §10).
"""

from __future__ import annotations

from spyne import ServiceBase

from mockmarketo.domain.custom_object_types import CustomObjectType
from mockmarketo.domain.custom_objects import (
    CustomObjectInput, CustomObjectQuery, CustomObjectRecord, CustomObjectStatus, Pairs,
)
from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.mapping import strings
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


def pairs(array: m.ArrayOfAttribute | None) -> Pairs:
    """An attribute list as (attrName, attrValue) pairs in request order (attrType is ignored)."""
    items = (array.attribute or []) if array is not None else []
    return [(item.attrName, item.attrValue) for item in items if item is not None]


def attributes(values: list[tuple[str, str]]) -> m.ArrayOfAttribute:
    """(name, value) pairs as an answer's attribute list: attrType nil, as Marketo wrote it."""
    return m.ArrayOfAttribute(attribute=[m.Attribute(attrName=name, attrType=None, attrValue=value)
                                         for name, value in values])


def _type_name(request) -> str:
    if request is None or not request.objTypeName or not request.objTypeName.strip():
        raise MarketoError(20109, "objTypeName is required")
    return request.objTypeName


def _statuses(object_type: CustomObjectType, statuses: list[CustomObjectStatus]) -> m.ArrayOfSyncCustomObjStatus:
    return m.ArrayOfSyncCustomObjStatus(syncCustomObjStatus=[
        m.SyncCustomObjStatus(
            objTypeName=object_type.name,
            customObjKeyList=attributes([(n or "", v or "") for n, v in s.keys]) if s.keys is not None else None,
            status=s.status, error=s.error)
        for s in statuses])


def _custom_obj(object_type: CustomObjectType, record: CustomObjectRecord) -> m.CustomObj:
    return m.CustomObj(
        customObjKeyList=attributes(record.key_values(object_type)),
        customObjAttributeList=attributes([(name, record.attributes[name]) for name in object_type.attribute_fields
                                           if name in record.attributes]))


class CustomObjectService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("syncCustomObjects")
    def syncCustomObjects(ctx, request: m.ParamsSyncCustomObjects):
        caller = caller_of(ctx)
        type_name = _type_name(request)
        if request.customObjList is None:
            raise MarketoError(20109, "customObjList is required")
        records = [CustomObjectInput(pairs(item.customObjKeyList), pairs(item.customObjAttributeList))
                   if item is not None else CustomObjectInput([], [])
                   for item in request.customObjList.customObj or []]
        object_type, statuses = marketo_of(ctx).sync_custom_objects(caller, type_name, records, request.operation)
        return m.SuccessSyncCustomObjects(result=m.ResultSyncCustomObjects(
            syncCustomObjStatusList=_statuses(object_type, statuses)))

    @operation("getCustomObjects")
    def getCustomObjects(ctx, request: m.ParamsGetCustomObjects):
        caller = caller_of(ctx)
        type_name = _type_name(request)
        query = CustomObjectQuery(
            keys=pairs(request.customObjKeyList),
            include_attributes=tuple(name.strip() for name in strings(request.includeAttributes) if name.strip()),
            batch_size=request.batchSize,
            stream_position=request.streamPosition)
        object_type, page = marketo_of(ctx).get_custom_objects(caller, type_name, query)
        return m.SuccessGetCustomObjects(result=m.ResultGetCustomObjects(
            objTypeName=object_type.name,
            returnCount=len(page.records),
            remainingCount=page.remaining_count,
            newStreamPosition=page.stream_position,
            customObjList=m.ArrayOfCustomObj(customObj=[_custom_obj(object_type, r) for r in page.records])))

    @operation("deleteCustomObjects")
    def deleteCustomObjects(ctx, request: m.ParamsDeleteCustomObjects):
        caller = caller_of(ctx)
        type_name = _type_name(request)
        if request.customObjKeyLists is None:
            raise MarketoError(20109, "customObjKeyLists is required")
        key_lists = [pairs(key_list) for key_list in request.customObjKeyLists.keyList or []]
        object_type, statuses = marketo_of(ctx).delete_custom_objects(caller, type_name, key_lists)
        return m.SuccessDeleteCustomObjects(result=m.ResultDeleteCustomObjects(
            deleteCustomObjStatusList=_statuses(object_type, statuses)))
