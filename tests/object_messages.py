"""Request bodies of the custom object and MObject operations (the shapes of facts-more-ops §10, §11), the
Roadshow custom object type of Marketo's docs, and a SOAP caller whose app declares it."""

from __future__ import annotations

from xml.sax.saxutils import escape

import pytest

from mockmarketo.config import custom_object_types
from tests.conftest import SoapCaller, make_app

# the custom object of Marketo's samples: RoadShow objects keyed by their lead (MKTOID) and rid
ROADSHOW = {"name": "Roadshow", "description": "Road show visits", "link_field": "MKTOID",
            "dedupe_fields": ["MKTOID", "rid"],
            "fields": {"rid": "string", "city": "string", "state": "string", "zip": "string"}}
# one keyed by its own id only: the link is an ordinary (changeable) field
VISIT = {"name": "Visit", "link_field": "MKTOID", "dedupe_fields": ["visitId"],
         "fields": {"visitId": "integer", "score": "integer", "day": "date"}}


def objects_app(database_url: str, *types: dict):
    return make_app(database_url=database_url, custom_objects=custom_object_types(list(types or (ROADSHOW, VISIT))))


@pytest.fixture
def objects_soap(database_url) -> SoapCaller:
    """A SOAP caller of an app (SQLite file, or PostgreSQL under the postgres marker) that declares the
    Roadshow and Visit custom object types."""
    return SoapCaller(objects_app(database_url))


def attribute_list(tag: str, values: dict | list) -> str:
    items = values.items() if isinstance(values, dict) else values
    return f"<{tag}>" + "".join(
        f"<attribute><attrName>{escape(str(n))}</attrName><attrValue>{escape(str(v))}</attrValue></attribute>"
        for n, v in items) + f"</{tag}>"


def custom_obj(keys: dict | list, attributes: dict | list | None = None) -> str:
    attribute_xml = attribute_list("customObjAttributeList", attributes) if attributes is not None else ""
    return f"<customObj>{attribute_list('customObjKeyList', keys)}{attribute_xml}</customObj>"


def sync_custom_objects_body(type_name: str, objects: list[str], operation: str | None = "UPSERT") -> str:
    operation_xml = f"<operation>{operation}</operation>" if operation is not None else ""
    return (f"<ns1:paramsSyncCustomObjects><objTypeName>{escape(type_name)}</objTypeName>"
            f"<customObjList>{''.join(objects)}</customObjList>{operation_xml}</ns1:paramsSyncCustomObjects>")


def get_custom_objects_body(type_name: str, keys: dict | None = None, *, include: list[str] | None = None,
                            batch_size: int | None = None, stream_position: str | None = None) -> str:
    parts = [f"<objTypeName>{escape(type_name)}</objTypeName>"]
    if stream_position is not None:
        parts.append(f"<streamPosition>{escape(stream_position)}</streamPosition>")
    if batch_size is not None:
        parts.append(f"<batchSize>{batch_size}</batchSize>")
    if keys is not None:
        parts.append(attribute_list("customObjKeyList", keys))
    if include is not None:
        parts.append("<includeAttributes>" + "".join(f"<stringItem>{escape(i)}</stringItem>" for i in include)
                     + "</includeAttributes>")
    return f"<ns1:paramsGetCustomObjects>{''.join(parts)}</ns1:paramsGetCustomObjects>"


def delete_custom_objects_body(type_name: str, key_lists: list[dict]) -> str:
    lists = "".join(attribute_list("keyList", keys) for keys in key_lists)
    return (f"<ns1:paramsDeleteCustomObjects><objTypeName>{escape(type_name)}</objTypeName>"
            f"<customObjKeyLists>{lists}</customObjKeyLists></ns1:paramsDeleteCustomObjects>")


def _key(tag: str, key: tuple[str, str] | None) -> str:
    if key is None:
        return ""
    return f"<{tag}><name>{escape(key[0])}</name><value>{escape(key[1])}</value></{tag}>"


def association(type_name: str, *, id: int | None = None, external_key: tuple[str, str] | None = None) -> str:
    id_xml = f"<id>{id}</id>" if id is not None else ""
    return (f"<mObjAssociation><mObjType>{type_name}</mObjType>{id_xml}{_key('externalKey', external_key)}"
            "</mObjAssociation>")


def mobject(type_name: str, *, id: int | None = None, external_key: tuple[str, str] | None = None,
            attributes: dict | None = None, associations: list[str] | None = None) -> str:
    parts = [f"<type>{type_name}</type>"]
    if id is not None:
        parts.append(f"<id>{id}</id>")
    parts.append(_key("externalKey", external_key))
    if attributes is not None:
        parts.append("<attribList>" + "".join(f"<attrib><name>{escape(n)}</name><value>{escape(str(v))}</value>"
                                              "</attrib>" for n, v in attributes.items()) + "</attribList>")
    if associations is not None:
        parts.append(f"<associationList>{''.join(associations)}</associationList>")
    return f"<mObject>{''.join(parts)}</mObject>"


def sync_mobjects_body(objects: list[str], operation: str | None = "UPSERT") -> str:
    operation_xml = f"<operation>{operation}</operation>" if operation is not None else ""
    return (f"<ns1:paramsSyncMObjects><mObjectList>{''.join(objects)}</mObjectList>{operation_xml}"
            "</ns1:paramsSyncMObjects>")


def get_mobjects_body(type_name: str, *, id: int | None = None, external_key: tuple[str, str] | None = None,
                      criteria: list[tuple[str, str, str]] | None = None, associations: list[str] | None = None,
                      stream_position: str | None = None) -> str:
    parts = [f"<type>{type_name}</type>"]
    if id is not None:
        parts.append(f"<id>{id}</id>")
    parts.append(_key("externalKey", external_key))
    if criteria is not None:
        parts.append("<mObjCriteriaList>" + "".join(
            f"<mObjCriteria><attrName>{escape(n)}</attrName><comparison>{c}</comparison>"
            f"<attrValue>{escape(v)}</attrValue></mObjCriteria>" for n, c, v in criteria) + "</mObjCriteriaList>")
    if associations is not None:
        parts.append(f"<mObjAssociationList>{''.join(associations)}</mObjAssociationList>")
    if stream_position is not None:
        parts.append(f"<streamPosition>{escape(stream_position)}</streamPosition>")
    return f"<ns1:paramsGetMObjects>{''.join(parts)}</ns1:paramsGetMObjects>"


def delete_mobjects_body(objects: list[str]) -> str:
    return f"<ns1:paramsDeleteMObjects><mObjectList>{''.join(objects)}</mObjectList></ns1:paramsDeleteMObjects>"
