"""The mktows operations as spyne services: how an operation is declared, how a caller is authenticated,
and the list of services the endpoint serves.

Each operation family has its module (soap.leads, soap.activities, ...) with a ServiceBase of its
operations; each operation authenticates, maps the request to the domain, calls Marketo, and maps the
result back. Every MarketoError leaves as a MarketoFault (rendered by soap.faults). Operations no family
implements yet are still declared, so their requests are parsed and checked, and answer 20019.
"""

from __future__ import annotations

from spyne import ServiceBase, rpc

from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.errors import MarketoError
from mockmarketo.soap import models as m
from mockmarketo.soap.faults import MarketoFault, database_fault, internal_error
from mockmarketo.store import DatabaseUnavailable
from mockmarketo.soap.operations import OPERATIONS, capitalised

SERVICE_NAME = "MktMktowsApiService"
PORT_TYPE = "MktowsPort"
# the only operation whose binding declares the MktowsContextHeader (facts §2.2)
_WITH_CONTEXT_HEADER = ("syncLead",)


def operation(name: str):
    """@rpc for the Marketo operation `name`: document/literal bare, its params*/success* elements and
    types from the WSDL, Marketo's headers."""
    cap = capitalised(name)
    params = m.model_of(m.element_type("params" + cap))
    success = m.response_model(m.model_of(m.element_type("success" + cap)))
    headers = (m.AuthenticationHeader, m.MktowsContextHeader) if name in _WITH_CONTEXT_HEADER \
        else (m.AuthenticationHeader,)

    def decorate(function):
        def run(ctx, request):
            try:
                return function(ctx, request)
            except MarketoError as error:
                raise MarketoFault(error) from None
            except DatabaseUnavailable as error:
                raise MarketoFault(database_fault(error)) from None
            except Exception as raised:  # noqa: BLE001 - Marketo's 10001, with what was raised as its reason
                raise MarketoFault(internal_error(raised)) from None

        if params._type_info:
            in_types = (params,)

            def handler(ctx, request):
                return run(ctx, request)
        else:
            # spyne declares a bare operation whose request type has no members (paramsListMObjects)
            # without a parameter
            in_types = ()

            def handler(ctx):
                return run(ctx, None)

        handler.__name__ = name
        handler.__doc__ = function.__doc__
        return rpc(*in_types, _returns=success, _body_style="bare", _in_header=headers,
                   _in_message_name="params" + cap, _out_message_name="success" + cap,
                   _operation_name=name, _port_type=PORT_TYPE)(handler)

    return decorate


def headers_of(ctx) -> tuple[m.AuthenticationHeader | None, m.MktowsContextHeader | None]:
    headers = ctx.in_header
    if isinstance(headers, list):
        auth, context = (headers + [None, None])[:2]
    else:
        auth, context = headers, None
    return auth, context


def marketo_of(ctx):
    return ctx.app.marketo


def caller_of(ctx) -> Credentials:
    """The authenticated caller, or MarketoError 20014."""
    auth, _ = headers_of(ctx)
    if auth is None:
        raise MarketoError(20014, "Authentication failed", reason=f"the SOAP Header has no AuthenticationHeader "
                                                                  f"element in the namespace {m.NS}")
    return marketo_of(ctx).authenticate(auth.mktowsUserId, auth.requestSignature, auth.requestTimestamp)


def _not_emulated_service(implemented: set[str]) -> type[ServiceBase]:
    def not_emulated(name):
        def handler(ctx, request):
            caller_of(ctx)
            raise MarketoError(20019, f"Operation {name} is not emulated by mockmarketo")
        return operation(name)(handler)

    body = {name: not_emulated(name) for name in OPERATIONS if name not in implemented}
    body.update(__service_name__=SERVICE_NAME, __port_types__=(PORT_TYPE,))
    return type("NotEmulatedService", (ServiceBase,), body)


def families() -> list[type[ServiceBase]]:
    """The service of each operation family."""
    from mockmarketo.soap.activities import ActivityService
    from mockmarketo.soap.campaigns import CampaignService
    from mockmarketo.soap.channels import ChannelService
    from mockmarketo.soap.custom_objects import CustomObjectService
    from mockmarketo.soap.leads import LeadService
    from mockmarketo.soap.lists import ListService
    from mockmarketo.soap.merge import MergeService
    from mockmarketo.soap.mobjects import MObjectService

    return [LeadService, ActivityService, MergeService, ListService, CampaignService, ChannelService,
            CustomObjectService, MObjectService]


def services() -> list[type[ServiceBase]]:
    """Every operation family's service, and one answering 20019 for the operations none implements."""
    served = families()
    implemented = {name for service in served for name in service.public_methods}
    return [*served, _not_emulated_service(implemented)]
