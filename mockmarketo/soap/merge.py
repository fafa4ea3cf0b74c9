"""mergeLeads: the winning lead's key and the losing leads' keys in, the merge status out.

Each key is a list of Attribute pairs (attrName a LeadKeyRef token such as IDNUM or EMAIL, attrValue its
value) naming one lead: exactly one pair per list (20110 otherwise; a list of two pairs is a known bug
of copied sample code, which meant two losers). `mergeInSales` (later WSDL versions) is accepted; there
is no CRM to merge in.
"""

from __future__ import annotations

from spyne import ServiceBase

from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.service import PORT_TYPE, SERVICE_NAME, caller_of, marketo_of, operation


class MergeService(ServiceBase):
    __service_name__ = SERVICE_NAME
    __port_types__ = (PORT_TYPE,)

    @operation("mergeLeads")
    def mergeLeads(ctx, request: m.ParamsMergeLeads):
        caller = caller_of(ctx)
        if request is None or request.winningLeadKeyList is None:
            raise MarketoError(20101, "winningLeadKeyList is required but was not provided")
        winner = _key(request.winningLeadKeyList, "winningLeadKeyList")
        key_lists = (request.losingLeadKeyLists.keyList or []) if request.losingLeadKeyLists is not None else []
        losers = [_key(key_list, f"losingLeadKeyLists/keyList[{index + 1}]")
                  for index, key_list in enumerate(key_lists)]
        outcome = marketo_of(ctx).merge_leads(caller, winner, losers)
        return m.SuccessMergeLeads(result=m.ResultMergeLeads(mergeStatus=m.MergeStatus(
            winningLeadId=outcome.winner_id,
            losingLeadIdList=m.ArrayOfInteger(integerItem=outcome.loser_ids),
            status="MERGED",
            error=None,
        )))


def _key(key_list: m.ArrayOfAttribute | None, where: str) -> tuple[str, str]:
    """(key type, value) of a key list of one Attribute; 20101 when empty, 20110 for several pairs."""
    pairs = [attribute for attribute in (key_list.attribute or []) if attribute is not None] \
        if key_list is not None else []
    if not pairs or not (pairs[0].attrName or "").strip():
        raise MarketoError(20101, f"{where} names no lead: it needs one attribute with attrName (IDNUM, EMAIL, "
                                  "...) and attrValue")
    if len(pairs) > 1:
        raise MarketoError(20110, f"{where} holds {len(pairs)} attributes; a key list names one lead with one "
                                  "attribute (send one keyList per losing lead)")
    if pairs[0].attrValue is None:
        raise MarketoError(20109, f"{where}: attrValue is required")
    return pairs[0].attrName.strip().upper(), pairs[0].attrValue
