"""The mktows operations as a spyne service: authenticate, map the request to the domain, call Marketo,
map the result back. Every MarketoError leaves as a MarketoFault (rendered by soap.faults)."""

from __future__ import annotations

from functools import wraps

from spyne import ServiceBase, rpc

from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.faults import MarketoFault
from mockmarketo.soap.mapping import batch_records, lead_changes, lead_query, lead_record


def _operation(params, success, *, context_header=False):
    """@rpc for a Marketo operation: document/literal bare, params*/success* elements, Marketo's headers."""
    name = params.__name__[len("Params"):]
    headers = (m.AuthenticationHeader, m.MktowsContextHeader) if context_header else (m.AuthenticationHeader,)

    def decorate(function):
        @wraps(function)
        def handler(ctx, request):
            try:
                return function(ctx, request)
            except MarketoError as error:
                raise MarketoFault(error) from None

        return rpc(params, _returns=success, _body_style="bare", _in_header=headers,
                   _in_message_name="params" + name, _out_message_name="success" + name,
                   _operation_name=name[0].lower() + name[1:], _port_type="MktowsPort")(handler)

    return decorate


def _headers(ctx) -> tuple[m.AuthenticationHeader | None, m.MktowsContextHeader | None]:
    headers = ctx.in_header
    if isinstance(headers, list):
        auth, context = (headers + [None, None])[:2]
    else:
        auth, context = headers, None
    return auth, context


def _marketo(ctx):
    return ctx.app.marketo


def _caller(ctx) -> Credentials:
    auth, _ = _headers(ctx)
    if auth is None:
        raise MarketoError(20014, "Authentication failed")
    return _marketo(ctx).authenticate(auth.mktowsUserId, auth.requestSignature, auth.requestTimestamp)


class MktowsService(ServiceBase):
    __service_name__ = "MktMktowsApiService"
    __port_types__ = ("MktowsPort",)

    @_operation(m.ParamsSyncLead, m.SuccessSyncLead, context_header=True)
    def syncLead(ctx, request: m.ParamsSyncLead):
        caller = _caller(ctx)
        if request is None:
            raise MarketoError(20109, "paramsSyncLead is empty")
        if request.returnLead is None:
            raise MarketoError(20109, "returnLead is required")
        _, context = _headers(ctx)
        workspace = context.targetWorkspace if context is not None else None
        marketo = _marketo(ctx)
        outcome = marketo.sync_lead(caller, lead_changes(request.leadRecord), request.marketoCookie, workspace)
        lead = outcome.lead
        return m.SuccessSyncLead(result=m.ResultSyncLead(
            leadId=lead.id,
            syncStatus=m.SyncStatus(leadId=lead.id, status=outcome.status, error=None),
            leadRecord=lead_record(lead, marketo.attribute_type) if request.returnLead else None,
        ))

    @_operation(m.ParamsGetLead, m.SuccessGetLead)
    def getLead(ctx, request: m.ParamsGetLead):
        caller = _caller(ctx)
        key = request.leadKey if request is not None else None
        if key is None or not key.keyType:
            raise MarketoError(20101, "LeadKey is required but was not provided")
        if key.keyValue is None:
            raise MarketoError(20109, "keyValue is required")
        marketo = _marketo(ctx)
        leads = marketo.get_lead(caller, key.keyType, key.keyValue)
        return m.SuccessGetLead(result=m.ResultGetLead(
            count=len(leads),
            leadRecordList=m.ArrayOfLeadRecord(
                leadRecord=[lead_record(lead, marketo.attribute_type) for lead in leads]),
        ))

    @_operation(m.ParamsSyncMultipleLeads, m.SuccessSyncMultipleLeads)
    def syncMultipleLeads(ctx, request: m.ParamsSyncMultipleLeads):
        caller = _caller(ctx)
        if request is None or request.leadRecordList is None:
            raise MarketoError(20109, "leadRecordList is required")
        statuses = _marketo(ctx).sync_multiple_leads(
            caller, batch_records(request.leadRecordList), dedup=request.dedupEnabled is not False)
        return m.SuccessSyncMultipleLeads(result=m.ResultSyncMultipleLeads(
            syncStatusList=m.ArrayOfSyncStatusOut(syncStatus=[
                m.SyncStatus(leadId=status.lead_id, status=status.status, error=status.error)
                for status in statuses]),
        ))

    @_operation(m.ParamsGetMultipleLeads, m.SuccessGetMultipleLeads)
    def getMultipleLeads(ctx, request: m.ParamsGetMultipleLeads):
        caller = _caller(ctx)
        marketo = _marketo(ctx)
        page = marketo.get_multiple_leads(caller, lead_query(request))
        return m.SuccessGetMultipleLeads(result=m.ResultGetMultipleLeads(
            returnCount=len(page.leads),
            remainingCount=page.remaining_count,
            newStreamPosition=page.stream_position,
            leadRecordList=m.ArrayOfLeadRecord(
                leadRecord=[lead_record(lead, marketo.attribute_type) for lead in page.leads]),
        ))
