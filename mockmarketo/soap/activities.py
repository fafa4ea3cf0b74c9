"""The activity operations: getLeadActivity and getLeadChanges (requests in, activity records out).

Records as Marketo wrote them: times in the instance's time zone with its offset, to the second;
every attribute with a nil attrType, "Lead ID" last. getLeadActivity's activityRecord carries all 11
elements (campaign empty when none; personName, foreignSysId, orgName, foreignSysOrgId nil);
getLeadChanges' leadChangeRecord carries 7 and leaves campaign out when there is none. getLeadActivity
answers in `leadActivityList`, the one success element of the WSDL not called `result`.
"""

from __future__ import annotations

from datetime import tzinfo

from spyne import ServiceBase

from mockmarketo.domain.activities import Activity, local_time
from mockmarketo.domain.activity_stream import ActivityQuery, StreamPosition
from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.mapping import lead_key, lead_selector, strings
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


class ActivityService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("getLeadActivity")
    def getLeadActivity(ctx, request: m.ParamsGetLeadActivity):
        caller = caller_of(ctx)
        key_type, key_value = lead_key(request.leadKey if request is not None else None)
        marketo = marketo_of(ctx)
        page = marketo.get_lead_activity(caller, key_type, key_value, _query(request))
        return m.SuccessGetLeadActivity(leadActivityList=m.LeadActivityList(
            returnCount=len(page.activities),
            remainingCount=page.remaining_count,
            newStartPosition=_position(page.position),
            activityRecordList=m.ArrayOfActivityRecord(
                activityRecord=[_activity_record(activity, marketo.zone) for activity in page.activities]),
        ))

    @operation("getLeadChanges")
    def getLeadChanges(ctx, request: m.ParamsGetLeadChanges):
        caller = caller_of(ctx)
        if request is None or request.startPosition is None:
            raise MarketoError(20109, "startPosition is required (oldestCreatedAt, activityCreatedAt or offset)")
        marketo = marketo_of(ctx)
        query = _query(request, type_names=tuple(strings(request.activityNameFilter)),
                       selector=lead_selector(request.leadSelector))
        page = marketo.get_lead_changes(caller, query)
        return m.SuccessGetLeadChanges(result=m.ResultGetLeadChanges(
            returnCount=len(page.activities),
            remainingCount=page.remaining_count,
            newStartPosition=_position(page.position),
            leadChangeRecordList=m.ArrayOfLeadChangeRecord(
                leadChangeRecord=[_lead_change_record(activity, marketo.zone) for activity in page.activities]),
        ))


def _query(request, **more) -> ActivityQuery:
    """The filter, start position and batch size both operations share."""
    types = request.activityFilter if request is not None else None
    start = request.startPosition if request is not None else None
    return ActivityQuery(
        position=StreamPosition(start.latestCreatedAt, start.oldestCreatedAt, start.activityCreatedAt,
                                start.offset) if start is not None else StreamPosition(),
        include_types=_tokens(types.includeTypes) if types is not None else (),
        exclude_types=_tokens(types.excludeTypes) if types is not None else (),
        batch_size=request.batchSize if request is not None else None,
        **more,
    )


def _tokens(array: m.ArrayOfActivityType | None) -> tuple[str, ...]:
    return tuple(token for token in (array.activityType or []) if token) if array is not None else ()


def _position(position: StreamPosition) -> m.StreamPosition:
    return m.StreamPosition(latestCreatedAt=position.latest_created_at, oldestCreatedAt=position.oldest_created_at,
                            activityCreatedAt=position.activity_created_at, offset=position.offset)


def _attributes(activity: Activity) -> m.ArrayOfAttribute:
    return m.ArrayOfAttribute(attribute=[m.Attribute(attrName=name, attrType=None, attrValue=value)
                                         for name, value in activity.all_attributes()])


def _shown_time(activity: Activity, zone: tzinfo):
    return local_time(activity.at, zone).replace(microsecond=0)


def _activity_record(activity: Activity, zone: tzinfo) -> m.ActivityRecord:
    return m.ActivityRecord(
        id=activity.id, activityDateTime=_shown_time(activity, zone), activityType=activity.type,
        mktgAssetName=activity.asset_name or "", activityAttributes=_attributes(activity),
        campaign=activity.campaign or "", personName=None, mktPersonId=str(activity.lead_id),
        foreignSysId=None, orgName=None, foreignSysOrgId=None)


def _lead_change_record(activity: Activity, zone: tzinfo) -> m.LeadChangeRecord:
    return m.LeadChangeRecord(
        id=activity.id, activityDateTime=_shown_time(activity, zone), activityType=activity.type,
        mktgAssetName=activity.asset_name or "", activityAttributes=_attributes(activity),
        campaign=activity.campaign or None, mktPersonId=str(activity.lead_id))
