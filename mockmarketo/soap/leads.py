"""The lead operations: syncLead, getLead, syncMultipleLeads, getMultipleLeads."""

from __future__ import annotations

from spyne import ServiceBase

from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.mapping import batch_records, lead_changes, lead_key, lead_query, lead_record
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, headers_of, marketo_of, operation


class LeadService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("syncLead")
    def syncLead(ctx, request: m.ParamsSyncLead):
        caller = caller_of(ctx)
        if request is None:
            raise MarketoError(20109, "paramsSyncLead is empty")
        if request.returnLead is None:
            raise MarketoError(20109, "returnLead is required")
        _, context = headers_of(ctx)
        workspace = context.targetWorkspace if context is not None else None
        marketo = marketo_of(ctx)
        outcome = marketo.sync_lead(caller, lead_changes(request.leadRecord), request.marketoCookie, workspace)
        lead = outcome.lead
        return m.SuccessSyncLead(result=m.ResultSyncLead(
            leadId=lead.id,
            syncStatus=m.SyncStatus(leadId=lead.id, status=outcome.status, error=None),
            leadRecord=lead_record(lead, marketo.attribute_type) if request.returnLead else None,
        ))

    @operation("getLead")
    def getLead(ctx, request: m.ParamsGetLead):
        caller = caller_of(ctx)
        key_type, key_value = lead_key(request.leadKey if request is not None else None)
        marketo = marketo_of(ctx)
        leads = marketo.get_lead(caller, key_type, key_value)
        return m.SuccessGetLead(result=m.ResultGetLead(
            count=len(leads),
            leadRecordList=m.ArrayOfLeadRecord(
                leadRecord=[lead_record(lead, marketo.attribute_type) for lead in leads]),
        ))

    @operation("syncMultipleLeads")
    def syncMultipleLeads(ctx, request: m.ParamsSyncMultipleLeads):
        caller = caller_of(ctx)
        if request is None or request.leadRecordList is None:
            raise MarketoError(20109, "leadRecordList is required")
        statuses = marketo_of(ctx).sync_multiple_leads(
            caller, batch_records(request.leadRecordList), dedup=request.dedupEnabled is not False)
        return m.SuccessSyncMultipleLeads(result=m.ResultSyncMultipleLeads(
            syncStatusList=m.ArrayOfSyncStatus(syncStatus=[
                m.SyncStatus(leadId=status.lead_id, status=status.status, error=status.error)
                for status in statuses]),
        ))

    @operation("getMultipleLeads")
    def getMultipleLeads(ctx, request: m.ParamsGetMultipleLeads):
        caller = caller_of(ctx)
        marketo = marketo_of(ctx)
        page = marketo.get_multiple_leads(caller, lead_query(request))
        return m.SuccessGetMultipleLeads(result=m.ResultGetMultipleLeads(
            returnCount=len(page.leads),
            remainingCount=page.remaining_count,
            newStreamPosition=page.stream_position,
            leadRecordList=m.ArrayOfLeadRecord(
                leadRecord=[lead_record(lead, marketo.attribute_type) for lead in page.leads]),
        ))
