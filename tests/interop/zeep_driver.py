"""zeep driver: calls any mktows operation with zeep, built from ENDPOINT?WSDL (usage: driver_loop.py).

Requests are built from the WSDL's types: nested dicts and lists, `zeep.xsd.Nil` for null, and a
typed object from `client.get_type` for an object with "xsi:type". Headers and signature as
../shared/clients/python-zeep. Runs in that script's virtual environment (zeep 4.3.3).
"""

from __future__ import annotations

import zeep
from zeep import xsd
from zeep.exceptions import Fault
from zeep.helpers import serialize_object

from driver_loop import NS, fault, main, signed_header, success


class ZeepCaller:
    def __init__(self, endpoint: str, user_id: str, secret_key: str):
        self.user_id, self.secret_key = user_id, secret_key
        self.client = zeep.Client(endpoint + "?WSDL")
        binding = next(iter(self.client.wsdl.bindings))  # the one SOAP binding
        self.operations = self.client.wsdl.bindings[binding]._operations
        self.service = self.client.create_service(binding, endpoint)  # ignore the WSDL address

    def value(self, value):
        if value is None:
            return xsd.Nil
        if isinstance(value, list):
            return [self.value(item) for item in value]
        if isinstance(value, dict):
            members = {name: self.value(item) for name, item in value.items() if name != "xsi:type"}
            if "xsi:type" in value:
                return self.client.get_type(f"{{{NS}}}{value['xsi:type']}")(**members)
            return members
        return value

    def call(self, operation: str, params: dict) -> dict:
        headers = {"authentication": signed_header(self.user_id, self.secret_key)}
        arguments = {name: self.value(item) for name, item in params.items()}
        try:
            result = getattr(self.service, operation)(**arguments, _soapheaders=headers)
        except Fault as error:
            code = error.detail.findtext(".//code") if error.detail is not None else None
            return fault(code or (error.message or "").split(" - ")[0], error.message)
        return success(self.rewrapped(operation, serialize_object(result, dict)))

    def rewrapped(self, operation: str, response):
        """The success element's children by name. zeep answers the value of its one child (`result`),
        and of that child's one member when it has only one (ResultSyncMultipleLeads' syncStatusList),
        without their names (zeep/wsdl/messages/soap.py, deserialize)."""
        (name, element), = self.operations[operation].output.body.type.elements
        members = getattr(element.type, "elements", [])
        if len(members) == 1 and not element.type.attributes:
            response = {members[0][0]: response}
        return {name: response}


if __name__ == "__main__":
    main("python-zeep", ZeepCaller)
