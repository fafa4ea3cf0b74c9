"""The static-list operations: listOperation, importToList, getImportToListStatus."""

from __future__ import annotations

from spyne import ServiceBase

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.imports import ImportRequest
from mockmarketo.domain.static_lists import ListRequest
from mockmarketo.soap import models as m
from mockmarketo.soap.marketing_mapping import import_status, lead_keys, list_result, strings
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


class ListService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("listOperation")
    def listOperation(ctx, request: m.ParamsListOperation):
        caller = caller_of(ctx)
        if request is None:
            raise MarketoError(20109, "paramsListOperation is empty")
        key = request.listKey
        result = marketo_of(ctx).marketing.list_operation(caller, ListRequest(
            operation=request.listOperation, list_key_type=key.keyType if key is not None else None,
            list_key_value=key.keyValue if key is not None else None, members=lead_keys(request.listMemberList),
            strict=bool(request.strict), skip_activity_log=bool(request.skipActivityLog)))
        return m.SuccessListOperation(result=list_result(result))

    @operation("importToList")
    def importToList(ctx, request: m.ParamsImportToList):
        caller = caller_of(ctx)
        if request is None:
            raise MarketoError(20109, "paramsImportToList is empty")
        marketo_of(ctx).marketing.import_to_list(caller, ImportRequest(
            program_name=request.programName, list_name=request.listName, header=request.importFileHeader,
            rows=strings(request.importFileRows), mode=request.importListMode, clear_list=request.clearList,
            campaign_name=request.campaignName))
        # Marketo answers PROCESSING whatever the job's state: the status call tells the rest
        return m.SuccessImportToList(result=m.ResultImportToList(importStatus="PROCESSING"))

    @operation("getImportToListStatus")
    def getImportToListStatus(ctx, request: m.ParamsGetImportToListStatus):
        caller = caller_of(ctx)
        marketo = marketo_of(ctx)
        job = marketo.marketing.import_status(caller, request.programName if request is not None else None,
                                              request.listName if request is not None else None)
        return m.SuccessGetImportToListStatus(result=import_status(job, marketo.zone))
