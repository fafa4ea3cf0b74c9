"""suds driver: calls any mktows operation with suds-community, built from ENDPOINT?WSDL (usage:
driver_loop.py).

Requests are built from the WSDL's types: every complex element is a `client.factory.create(<its type>)`
object filled member by member, repeated elements are lists, null is `suds.null()` (xsi:nil), and
"xsi:type" creates that type instead of the declared one. Headers and signature as
../shared/clients/python-suds. Runs in that script's virtual environment (suds-community 1.2.0).
"""

from __future__ import annotations

from suds import WebFault, null
from suds.client import Client
from suds.sudsobject import Object

from driver_loop import fault, main, signed_header, success


class SudsCaller:
    def __init__(self, endpoint: str, user_id: str, secret_key: str):
        self.user_id, self.secret_key = user_id, secret_key
        self.client = Client(endpoint + "?WSDL", cache=None)
        self.client.set_options(location=endpoint)  # ignore the WSDL address
        self.methods = self.client.wsdl.services[0].ports[0].methods

    def value(self, value, element):
        """value (JSON) as suds sends the schema element `element`."""
        if value is None:
            return null()
        if isinstance(value, list):
            return [self.value(item, element) for item in value]
        if not isinstance(value, dict):
            return value
        type_name = value.get("xsi:type") or element.resolve().name
        built = self.client.factory.create(type_name)
        members = self.members(built.__metadata__.sxtype, type_name)
        for name, item in value.items():
            if name != "xsi:type":
                setattr(built, name, self.value(item, members(name)))
        return built

    @staticmethod
    def members(schema_type, type_name: str):
        """name -> the member element of schema_type; an error naming what the WSDL lacks otherwise."""
        children = {child.name: child for child, _ in schema_type.children()}

        def member(name):
            if name not in children:
                raise ValueError(f"{type_name} has no member {name} in the WSDL")
            return children[name]
        return member

    def call(self, operation: str, params: dict) -> dict:
        auth = self.client.factory.create("AuthenticationHeaderInfo")
        for name, item in signed_header(self.user_id, self.secret_key).items():
            setattr(auth, name, item)
        self.client.set_options(soapheaders={"AuthenticationHeader": auth})  # keyed by element name
        method = self.methods[operation]
        params_type = self.client.wsdl.schema.elements[method.soap.input.body.parts[0].element].resolve()
        members = self.members(params_type, params_type.name)
        arguments = {name: self.value(item, members(name)) for name, item in params.items()}
        try:
            result = getattr(self.client.service, operation)(**arguments)
        except WebFault as error:
            detail = getattr(error.fault, "detail", None)
            code = getattr(getattr(detail, "serviceException", None), "code", None)
            string = str(error.fault.faultstring)
            return fault(code if code else string.split(" - ")[0], string)
        # suds answers the content of the success element's only child (`result`) without its name
        success_type = self.client.wsdl.schema.elements[method.soap.output.body.parts[0].element].resolve()
        (child, _), = success_type.children()
        return success({child.name: self.plain(result)})

    def plain(self, value):
        """A suds answer as JSON: objects as dicts of their members, lists as lists."""
        if isinstance(value, Object):
            return {name: self.plain(item) for name, item in value}
        if isinstance(value, list):
            return [self.plain(item) for item in value]
        if value is None or isinstance(value, (bool, int, float)):
            return value
        return value if hasattr(value, "isoformat") else str(value)


if __name__ == "__main__":
    main("python-suds", SudsCaller)
