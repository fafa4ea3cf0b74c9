"""The lead fields an instance knows, their Marketo attrTypes, and how values of each type are checked.

Standard fields and their types follow facts §8 (the SOAP API names of the standard fields, with the
attrTypes seen in real responses). Custom fields come from the `[fields]` table of the configuration.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from mockmarketo.domain.errors import MarketoError

ATTR_TYPES = frozenset({
    "string", "text", "textarea", "email", "url", "phone", "integer", "score", "float", "currency",
    "percent", "boolean", "date", "datetime", "formula", "reference",
})

_PHONE = ("Phone", "MobilePhone", "MainPhone", "Fax")
_INTEGER = ("LeadScore", "NumberOfEmployees")
_BOOLEAN = ("DoNotCall", "Unsubscribed")
_TEXT = ("Address", "BillingStreet")
_STRING = (
    "AnonymousIP", "BillingCity", "BillingCountry", "BillingPostalCode", "BillingState", "City", "Company",
    "Country", "Department", "DoNotCallReason", "FirstName", "Industry", "InferredCompany", "InferredCountry",
    "LastName", "LeadRole", "LeadSource", "LeadStatus", "Marketo Jigsaw Contact Id",
    "Marketo Jigsaw Contact Status", "MiddleName", "PostalCode", "Rating", "Salutation", "SICCode", "Site",
    "State", "Title", "UnsubscribedReason",
)

STANDARD_FIELDS: dict[str, str] = {
    **{name: "string" for name in _STRING},
    **{name: "phone" for name in _PHONE},
    **{name: "integer" for name in _INTEGER},
    **{name: "boolean" for name in _BOOLEAN},
    **{name: "text" for name in _TEXT},
    "Email": "email",
    "Website": "url",
    "AnnualRevenue": "currency",
    "DateofBirth": "date",
}

# Marketo's UI labels of the standard fields: activity records ("Attribute Name" of Change Data Value),
# importToList headers and describeMObject name them so. A field not listed is shown by its API name.
STANDARD_DISPLAY_NAMES: dict[str, str] = {
    "AnnualRevenue": "Annual Revenue", "AnonymousIP": "Anonymous IP", "BillingCity": "Billing City",
    "BillingCountry": "Billing Country", "BillingPostalCode": "Billing Postal Code",
    "BillingState": "Billing State", "BillingStreet": "Billing Address", "Company": "Company Name",
    "DateofBirth": "Date of Birth", "DoNotCall": "Do Not Call", "DoNotCallReason": "Do Not Call Reason",
    "Email": "Email Address", "FirstName": "First Name", "InferredCompany": "Inferred Company",
    "InferredCountry": "Inferred Country", "LastName": "Last Name", "LeadRole": "Role",
    "LeadScore": "Lead Score", "LeadSource": "Lead Source", "LeadStatus": "Lead Status",
    "MainPhone": "Main Phone", "MiddleName": "Middle Name", "MobilePhone": "Mobile Phone Number",
    "NumberOfEmployees": "Num Employees", "Phone": "Phone Number", "PostalCode": "Postal Code",
    "SICCode": "SIC Code", "Title": "Job Title", "UnsubscribedReason": "Unsubscribed Reason",
    "Fax": "Fax Number",
}

_TRUE = {"1", "true", "yes"}
_FALSE = {"0", "false", "no"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _integer(value: str) -> str:
    try:
        return str(int(value.strip()))
    except ValueError:
        raise ValueError("an integer") from None


def _decimal(value: str) -> str:
    try:
        number = Decimal(value.strip())
    except InvalidOperation:
        raise ValueError("a number") from None
    if not number.is_finite():
        raise ValueError("a finite number")
    return value.strip()


def _boolean(value: str) -> str:
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return "1"
    if lowered in _FALSE:
        return "0"
    raise ValueError("a boolean (1, 0, true or false)")


def _date(value: str) -> str:
    text = value.strip()
    try:
        if not _DATE.match(text):
            raise ValueError
        return date.fromisoformat(text).isoformat()
    except ValueError:
        raise ValueError("a date (YYYY-MM-DD)") from None


def _datetime(value: str) -> str:
    text = value.strip()
    try:
        datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError("a date and time (ISO 8601)") from None
    return text


# attrType -> normaliser; types not listed take any string as it is.
_NORMALISERS = {
    "integer": _integer,
    "score": _integer,
    "float": _decimal,
    "currency": _decimal,
    "percent": _decimal,
    "boolean": _boolean,
    "date": _date,
    "datetime": _datetime,
}


def normalised(attr_type: str, value: str) -> str:
    """A value of a field of this attrType as stored; ValueError naming what it should be ("an integer")
    if Marketo would refuse it. An empty value clears a field and is not checked."""
    normaliser = _NORMALISERS.get(attr_type)
    return value if value == "" or normaliser is None else normaliser(value)


class FieldCatalogue:
    """The fields of one Marketo instance: the standard ones plus configured custom fields."""

    def __init__(self, custom_fields: Mapping[str, str] | None = None,
                 display_names: Mapping[str, str] | None = None):
        self._types = dict(STANDARD_FIELDS)
        for name, attr_type in (custom_fields or {}).items():
            if attr_type not in ATTR_TYPES:
                raise ValueError(f"field {name!r}: unknown attrType {attr_type!r}")
            self._types[name] = attr_type
        self._display_names = {**STANDARD_DISPLAY_NAMES, **(display_names or {})}

    def names(self) -> list[str]:
        """Every field's API name: the standard ones, then the custom ones in configured order."""
        return list(self._types)

    def display_name(self, name: str) -> str:
        """The field's label in Marketo's UI (`FirstName` -> `First Name`); its API name if it has none."""
        return self._display_names.get(name, name)

    def by_display_name(self, label: str) -> str | None:
        """The API name of the field with this label or API name (case-insensitive), None if none has it."""
        wanted = label.strip().lower()
        for name in self._types:
            if self.display_name(name).lower() == wanted:
                return name
        for name in self._types:
            if name.lower() == wanted:
                return name
        return None

    def __contains__(self, name: str) -> bool:
        return name in self._types

    def type_of(self, name: str) -> str:
        return self._types[name]

    def unknown(self, names) -> list[str]:
        """The names that are not fields of this instance, in the order given, without repeats."""
        return list(dict.fromkeys(name for name in names if name not in self._types))

    def normalise(self, name: str, value: str) -> str:
        """The value as stored, or MarketoError 20106 if Marketo would refuse it for the field's type.

        An empty value always clears the field and is not checked.
        """
        try:
            return normalised(self._types[name], value)
        except ValueError as err:
            raise MarketoError(
                20106, f"Value {value!r} of field {name} is not {err}"
            ) from None


def attribute_sort_key(name: str) -> str:
    """Marketo's attribute order: case-insensitive, compared upper-cased (so `_` sorts after letters)."""
    return name.upper()
