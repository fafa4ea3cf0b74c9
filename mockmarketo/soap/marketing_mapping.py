"""Between wire objects (spyne models) and the domain for the list, campaign, import, channel and tag
operations: lead keys and token lists in, results out."""

from __future__ import annotations

from mockmarketo.domain.activities import local_time
from mockmarketo.domain.assets import Campaign, Channel, TagType
from mockmarketo.domain.jobs import ListImport
from mockmarketo.domain.static_lists import ListResult
from mockmarketo.soap import models as m


def lead_keys(array: m.ArrayOfLeadKey | None) -> list[tuple[str | None, str | None]] | None:
    """(keyType, keyValue) of each leadKey, as sent; None when the array is absent or nil."""
    if array is None:
        return None
    return [(key.keyType, key.keyValue) if key is not None else (None, None) for key in array.leadKey or []]


def attribs(array: m.ArrayOfAttrib | None) -> list[tuple[str | None, str | None]] | None:
    """(name, value) of each attrib (programTokenList), as sent."""
    if array is None:
        return None
    return [(item.name, item.value) if item is not None else (None, None) for item in array.attrib or []]


def strings(array: m.ArrayOfString | None) -> list[str] | None:
    return None if array is None else [item for item in array.stringItem or [] if item is not None]


def list_result(result: ListResult) -> m.ResultListOperation:
    statuses = None
    if result.statuses is not None:
        statuses = m.ArrayOfLeadStatus(leadStatus=[
            m.LeadStatus(leadKey=m.LeadKey(keyType=key_type, keyValue=key_value), status=status)
            for key_type, key_value, status in result.statuses])
    return m.ResultListOperation(success=result.success, statusList=statuses)


def campaign_records(campaigns: list[Campaign]) -> m.ResultGetCampaignsForSource:
    return m.ResultGetCampaignsForSource(
        returnCount=len(campaigns),
        campaignRecordList=m.ArrayOfCampaignRecord(campaignRecord=[
            m.CampaignRecord(id=c.id, name=c.full_name, description=c.description) for c in campaigns]))


def _time(moment, zone):
    """A stored time as Marketo writes one: in the instance's zone, to the second."""
    return None if moment is None else local_time(moment, zone).replace(microsecond=0)


def import_status(job: ListImport, zone) -> m.ResultGetImportToListStatus:
    """A job as getImportToListStatus shows it: counts once COMPLETE, times in the instance's zone."""
    return m.ResultGetImportToListStatus(
        status=job.status, startedTime=_time(job.started_at, zone), endedTime=_time(job.ended_at, zone),
        estimatedTime=None,
        estimatedRows=len(job.rows), rowsImported=job.imported, rowsFailed=job.failed, rowsIgnored=job.ignored,
        importSummary=job.summary)


def channel_statuses(channels: list[Channel]) -> m.ResultGetChannels:
    return m.ResultGetChannels(tags=m.ArrayOfTagStatus(tagStatus=[
        m.TagStatus(tagValue=channel.name, statusList=m.ArrayOfProgressionStatus(progressionStatusItem=[
            m.ProgressionStatus(progressionStatus=m.ArrayOfAttrib(attrib=[
                m.Attrib(name=name, value=value) for name, value in (
                    ("Status", status.name), ("Step", str(status.step)), *status.attributes,
                    ("Success", "true" if status.success else "false"))]))
            for status in channel.statuses]))
        for channel in channels]))


def tag_list(tag_types: list[TagType]) -> m.ResultGetTags:
    return m.ResultGetTags(tagList=m.ArrayOfTag(tag=[
        m.Tag(type=tag.type, values=m.ArrayOfString(stringItem=list(tag.values))) for tag in tag_types]))
