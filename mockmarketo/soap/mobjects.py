"""The MObject operations: syncMObjects, getMObjects, deleteMObjects, describeMObject, listMObjects.

Requests map to domain.mobjects and domain.describe. Statuses and objects leave out externalKey and
error when they have none (no nil), as Marketo's samples do (facts-more-ops §11); Program objects carry a
typeAttribList (tags, tokens, costs) and no times, as the getMObjects sample shows.
"""

from __future__ import annotations

from datetime import datetime, timezone

from spyne import ServiceBase

from mockmarketo.domain.describe import ObjectMetadata
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.mobject_types import LISTED, TYPES
from mockmarketo.domain.mobjects import AssociationRef, Criterion, MObject, MObjectInput, MObjectQuery, MObjectStatus
from mockmarketo.soap import models as m
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


def _key(attrib: m.Attrib | None) -> tuple[str, str] | None:
    return None if attrib is None else (attrib.name or "", attrib.value or "")


def _associations(array: m.ArrayOfMObjAssociation | None) -> list[AssociationRef]:
    items = (array.mObjAssociation or []) if array is not None else []
    return [AssociationRef(item.mObjType or "", item.id, _key(item.externalKey)) for item in items if item is not None]


def _input(item: m.MObject | None) -> MObjectInput:
    if item is None:
        return MObjectInput(None)
    attribs = (item.attribList.attrib or []) if item.attribList is not None else []
    type_attribs = (item.typeAttribList.typeAttrib or []) if item.typeAttribList is not None else []
    return MObjectInput(item.type, item.id, _key(item.externalKey),
                        [(a.name, a.value) for a in attribs if a is not None], _associations(item.associationList),
                        [(t.attrType, [(a.name, a.value) for a in (t.attrList.attrib or []) if a is not None]
                          if t.attrList is not None else []) for t in type_attribs if t is not None])


def _inputs(request, operation_name: str) -> list[MObjectInput]:
    if request is None or request.mObjectList is None:
        raise MarketoError(20109, f"{operation_name}: mObjectList is required")
    return [_input(item) for item in request.mObjectList.mObject or []]


def _attrib(key: tuple[str, str] | None) -> m.Attrib | None:
    return None if key is None else m.Attrib(name=key[0], value=key[1])


def _statuses(statuses: list[MObjectStatus]) -> m.ArrayOfMObjStatus:
    return m.ArrayOfMObjStatus(mObjStatus=[
        m.MObjStatus(id=s.id, externalKey=_attrib(s.external_key), status=s.status, error=s.error) for s in statuses])


def _utc(moment: datetime | None) -> datetime | None:
    """A stored (naive UTC) time as the aware one written on the wire, to the second."""
    return None if moment is None else moment.replace(microsecond=0, tzinfo=timezone.utc)


def _mobject(mobject: MObject) -> m.MObject:
    object_type = TYPES[mobject.type]
    fields = object_type.fields
    dated = not object_type.asset  # Marketo's Program sample has no createdAt/updatedAt
    return m.MObject(
        type=mobject.type, id=mobject.id, externalKey=_attrib(mobject.external_key),
        createdAt=_utc(mobject.created_at) if dated else None, updatedAt=_utc(mobject.updated_at) if dated else None,
        attribList=m.ArrayOfAttrib(attrib=[m.Attrib(name=name, value=mobject.attributes[name])
                                           for name in fields if name in mobject.attributes]),
        associationList=m.ArrayOfMObjAssociation(mObjAssociation=[
            m.MObjAssociation(mObjType=a.type, id=a.id, externalKey=_attrib(a.external_key))
            for a in mobject.associations]) if mobject.associations else None,
        typeAttribList=m.ArrayOfTypeAttrib(typeAttrib=[
            m.TypeAttrib(attrType=attr_type, attrList=m.ArrayOfAttrib(attrib=[
                m.Attrib(name=name, value=value) for name, value in pairs]))
            for attr_type, pairs in mobject.type_attributes]) if mobject.type_attributes else None)


def _metadata(metadata: ObjectMetadata) -> m.MObjectMetadata:
    return m.MObjectMetadata(
        name=metadata.name, description=metadata.description, isCustom=metadata.is_custom,
        isVirtual=metadata.is_virtual, updatedAt=metadata.updated_at,
        fieldList=m.ArrayOfMObjFieldMetadata(field=[
            m.MObjFieldMetadata(
                name=f.name, description=f.description, displayName=f.display_name, sourceObject=f.source_object,
                dataType=f.data_type, size=f.size, isReadonly=f.is_readonly, isUpdateBlocked=f.is_update_blocked,
                isName=f.is_name, isPrimaryKey=f.is_primary_key, isCustom=f.is_custom, isDynamic=f.is_dynamic,
                dynamicFieldRef=f.dynamic_field_ref, updatedAt=f.updated_at)
            for f in metadata.fields]))


class MObjectService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("syncMObjects")
    def syncMObjects(ctx, request: m.ParamsSyncMObjects):
        caller = caller_of(ctx)
        objects = _inputs(request, "syncMObjects")
        statuses = marketo_of(ctx).sync_mobjects(caller, objects, request.operation)
        return m.SuccessSyncMObjects(result=m.ResultSyncMObjects(mObjStatusList=_statuses(statuses)))

    @operation("getMObjects")
    def getMObjects(ctx, request: m.ParamsGetMObjects):
        caller = caller_of(ctx)
        if request is None:
            raise MarketoError(20109, "getMObjects: type is required")
        criteria = (request.mObjCriteriaList.mObjCriteria or []) if request.mObjCriteriaList is not None else []
        query = MObjectQuery(
            type=request.type, id=request.id, external_key=_key(request.externalKey),
            criteria=[Criterion(c.attrName, c.comparison, c.attrValue) for c in criteria if c is not None],
            associations=_associations(request.mObjAssociationList), stream_position=request.streamPosition)
        page = marketo_of(ctx).get_mobjects(caller, query)
        return m.SuccessGetMObjects(result=m.ResultGetMObjects(
            returnCount=len(page.objects), hasMore=page.has_more, newStreamPosition=page.stream_position,
            mObjectList=m.ArrayOfMObject(mObject=[_mobject(o) for o in page.objects])))

    @operation("deleteMObjects")
    def deleteMObjects(ctx, request: m.ParamsDeleteMObjects):
        caller = caller_of(ctx)
        statuses = marketo_of(ctx).delete_mobjects(caller, _inputs(request, "deleteMObjects"))
        return m.SuccessDeleteMObjects(result=m.ResultDeleteMObjects(mObjStatusList=_statuses(statuses)))

    @operation("describeMObject")
    def describeMObject(ctx, request: m.ParamsDescribeMObject):
        caller_of(ctx)
        metadata = marketo_of(ctx).describe_mobject(request.objectName if request is not None else None)
        return m.SuccessDescribeMObject(result=m.ResultDescribeMObject(metadata=_metadata(metadata)))

    @operation("listMObjects")
    def listMObjects(ctx, request: m.ParamsListMObjects | None):
        caller_of(ctx)
        return m.SuccessListMObjects(result=m.ResultListMObjects(objects=list(LISTED)))
