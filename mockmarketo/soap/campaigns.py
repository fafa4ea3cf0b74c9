"""The campaign operations: requestCampaign, scheduleCampaign, getCampaignsForSource."""

from __future__ import annotations

from spyne import ServiceBase

from mockmarketo.domain.campaigns import CampaignRequest, ScheduleRequest
from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.marketing_mapping import attribs, campaign_records, lead_keys
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


class CampaignService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("requestCampaign")
    def requestCampaign(ctx, request: m.ParamsRequestCampaign):
        caller = caller_of(ctx)
        if request is None:
            raise MarketoError(20109, "paramsRequestCampaign is empty")
        marketo_of(ctx).marketing.request_campaign(caller, CampaignRequest(
            source=request.source, campaign_id=request.campaignId, program_name=request.programName,
            campaign_name=request.campaignName, lead_keys=lead_keys(request.leadList),
            tokens=attribs(request.programTokenList)))
        return m.SuccessRequestCampaign(result=m.ResultRequestCampaign(success=True))

    @operation("scheduleCampaign")
    def scheduleCampaign(ctx, request: m.ParamsScheduleCampaign):
        caller = caller_of(ctx)
        if request is None:
            raise MarketoError(20109, "paramsScheduleCampaign is empty")
        marketo_of(ctx).marketing.schedule_campaign(caller, ScheduleRequest(
            program_name=request.programName, campaign_name=request.campaignName, run_at=request.campaignRunAt,
            clone_to=request.cloneToProgramName, tokens=attribs(request.programTokenList)))
        return m.SuccessScheduleCampaign(result=m.ResultScheduleCampaign(success=True))

    @operation("getCampaignsForSource")
    def getCampaignsForSource(ctx, request: m.ParamsGetCampaignsForSource):
        caller = caller_of(ctx)
        campaigns = marketo_of(ctx).marketing.campaigns_for_source(
            caller, request.source if request is not None else None, request.name if request is not None else None,
            request.exactName if request is not None else None)
        return m.SuccessGetCampaignsForSource(result=campaign_records(campaigns))
