"""Custom object types: what `[[custom_objects]]` declares, checked, and found by name.

A type has a name (objTypeName, matched without regard to case and echoed as configured), a
description, the link field (its value is the linked lead's Marketo id, e.g. `MKTOID`), the dedupe
fields that key an object (customObjKeyList; the link may be one of them) and up to 50 fields of the
lead attrTypes. The link field is an integer and is not declared among the fields.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.fields import ATTR_TYPES, attribute_sort_key

MAX_FIELDS = 50
_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,99}$")
# Marketo's own fault for an unknown objTypeName (markety's captured invalid_object_name fixture)
UNKNOWN_TYPE_MESSAGE = "Object name is not valid"


@dataclass(frozen=True)
class CustomObjectType:
    """One custom object type; the constructor checks it (ValueError "<key>: <problem>")."""

    name: str
    link_field: str
    dedupe_fields: tuple[str, ...]
    fields: dict[str, str] = field(default_factory=dict)
    description: str = ""

    def __post_init__(self):
        if not _NAME.match(self.name):
            raise ValueError(f"name: expected up to 100 letters, digits and _ starting with a letter, "
                             f"got {self.name!r}")
        if not self.link_field.strip():
            raise ValueError("link_field: expected a field name, got an empty string")
        if self.link_field in self.fields:
            raise ValueError(f"fields.{self.link_field}: is the link field (the lead's id) already")
        for name, attr_type in self.fields.items():
            if not name.strip():
                raise ValueError("fields: a field name is empty")
            if attr_type not in ATTR_TYPES:
                raise ValueError(f"fields.{name}: expected one of {', '.join(sorted(ATTR_TYPES))}, got {attr_type!r}")
        if len(self.fields) > MAX_FIELDS:
            raise ValueError(f"fields: at most {MAX_FIELDS} fields, got {len(self.fields)}")
        if not self.dedupe_fields:
            raise ValueError("dedupe_fields: expected at least one field")
        if len(set(self.dedupe_fields)) != len(self.dedupe_fields):
            raise ValueError("dedupe_fields: a field is listed twice")
        for name in self.dedupe_fields:
            if name != self.link_field and name not in self.fields:
                raise ValueError(f"dedupe_fields: {name!r} is neither the link field nor one of the fields")

    @cached_property
    def link_in_key(self) -> bool:
        return self.link_field in self.dedupe_fields

    @cached_property
    def identity_fields(self) -> tuple[str, ...]:
        """The dedupe fields other than the link, in configured order: the stored key."""
        return tuple(name for name in self.dedupe_fields if name != self.link_field)

    @cached_property
    def key_fields(self) -> tuple[str, ...]:
        """The fields of a returned customObjKeyList: the link first unless it is a dedupe field, then the
        dedupe fields in configured order."""
        return self.dedupe_fields if self.link_in_key else (self.link_field, *self.dedupe_fields)

    @cached_property
    def attribute_fields(self) -> list[str]:
        """The fields of a returned customObjAttributeList, sorted as Marketo sorts attributes."""
        return sorted((name for name in self.fields if name not in self.dedupe_fields), key=attribute_sort_key)

    @cached_property
    def definition(self) -> str:
        """What a stored key means: records are read back only under the definition they were written with."""
        return json.dumps([self.link_field, list(self.dedupe_fields)], separators=(",", ":"))

    def type_of(self, name: str) -> str:
        return "integer" if name == self.link_field else self.fields[name]

    def __contains__(self, name: str) -> bool:
        return name == self.link_field or name in self.fields

    def to_config(self) -> dict:
        """The type in the config file's shape."""
        return {"name": self.name, "description": self.description, "link_field": self.link_field,
                "dedupe_fields": list(self.dedupe_fields), "fields": dict(self.fields)}


class CustomObjectTypes:
    """The custom object types of the configuration, found by name without regard to case."""

    def __init__(self, types: Iterable[CustomObjectType] = ()):
        self._by_name: dict[str, CustomObjectType] = {}
        for object_type in types:
            key = object_type.name.lower()
            if key in self._by_name:
                raise ValueError(f"name {object_type.name!r} is listed twice (names compare without regard "
                                 "to case)")
            self._by_name[key] = object_type

    def find(self, name: str | None) -> CustomObjectType | None:
        return self._by_name.get(name.strip().lower()) if name else None

    def get(self, name: str | None) -> CustomObjectType:
        """The type called `name`, or Marketo's fault 20110 "Object name is not valid"."""
        found = self.find(name)
        if found is None:
            raise MarketoError(20110, UNKNOWN_TYPE_MESSAGE)
        return found

    def __iter__(self) -> Iterator[CustomObjectType]:
        return iter(self._by_name.values())
