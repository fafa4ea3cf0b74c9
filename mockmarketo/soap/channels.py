"""The tag operations: getChannels (program channels and their statuses) and getTags."""

from __future__ import annotations

from spyne import ServiceBase

from mockmarketo.soap import models as m
from mockmarketo.soap.marketing_mapping import channel_statuses, strings, tag_list
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


class ChannelService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("getChannels")
    def getChannels(ctx, request: m.ParamsGetChannels):
        caller = caller_of(ctx)
        tag = request.tag if request is not None else None
        names = strings(tag.values) if tag is not None else None
        return m.SuccessGetChannels(result=channel_statuses(marketo_of(ctx).marketing.channels(caller, names)))

    @operation("getTags")
    def getTags(ctx, request: m.ParamsGetTags):
        caller = caller_of(ctx)
        tag_array = request.tagList if request is not None else None
        filters = None
        if tag_array is not None:
            filters = [(tag.type, strings(tag.values) or []) for tag in tag_array.tag or [] if tag is not None]
        return m.SuccessGetTags(result=tag_list(marketo_of(ctx).marketing.tags(caller, filters)))
