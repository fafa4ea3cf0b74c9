"""Field display names: Marketo's UI labels of standard fields, and `display_name` of custom fields in the
table form of [fields] (the labels activity records, importToList headers and describeMObject use)."""

from __future__ import annotations

import pytest

from mockmarketo.config import ConfigError, check_sections, runtime_config, settings_from
from mockmarketo.domain.fields import FieldCatalogue


def test_standard_field_shows_marketos_label():
    assert FieldCatalogue().display_name("FirstName") == "First Name"
    assert FieldCatalogue().display_name("LeadScore") == "Lead Score"
    assert FieldCatalogue().display_name("Email") == "Email Address"


def test_field_without_label_shows_its_api_name():
    assert FieldCatalogue().display_name("City") == "City"
    assert FieldCatalogue({"Shoe_Size__c": "integer"}).display_name("Shoe_Size__c") == "Shoe_Size__c"


def test_custom_field_shows_its_configured_label():
    catalogue = FieldCatalogue({"Shoe_Size__c": "integer"}, {"Shoe_Size__c": "Shoe Size"})
    assert catalogue.display_name("Shoe_Size__c") == "Shoe Size"


def test_field_is_found_by_label_or_api_name_in_any_case():
    catalogue = FieldCatalogue({"Shoe_Size__c": "integer"}, {"Shoe_Size__c": "Shoe Size"})
    assert catalogue.by_display_name("job title") == "Title"
    assert catalogue.by_display_name("Shoe Size") == "Shoe_Size__c"
    assert catalogue.by_display_name("shoe_size__c") == "Shoe_Size__c"
    assert catalogue.by_display_name("Hat Size") is None


def test_fields_table_form_sets_type_and_label():
    settings = settings_from(check_sections(
        {"fields": {"Shoe_Size__c": {"type": "integer", "display_name": "Shoe Size"}, "Tier__c": "string"}}),
        environ={})
    assert settings.custom_fields == {"Shoe_Size__c": "integer", "Tier__c": "string"}
    assert settings.field_display_names == {"Shoe_Size__c": "Shoe Size"}


def test_runtime_config_shows_labelled_fields_in_table_form():
    settings = settings_from(check_sections(
        {"fields": {"Shoe_Size__c": {"type": "integer", "display_name": "Shoe Size"}, "Tier__c": "string"}}),
        environ={})
    assert runtime_config(settings)["fields"] == {
        "Shoe_Size__c": {"type": "integer", "display_name": "Shoe Size"}, "Tier__c": "string"}


@pytest.mark.parametrize(("entry", "message"), [
    ({"display_name": "Shoe Size"}, "fields.Shoe_Size__c.type: required"),
    ({"type": "integer", "label": "x"}, "fields.Shoe_Size__c.label: unknown key"),
    ({"type": "integer", "display_name": " "}, "fields.Shoe_Size__c.display_name: expected a label, got an empty string"),
    ({"type": "shoe"}, "fields.Shoe_Size__c: expected one of"),
])
def test_fields_table_form_refuses_mistakes(entry, message):
    with pytest.raises(ConfigError) as caught:
        check_sections({"fields": {"Shoe_Size__c": entry}})
    assert str(caught.value).startswith(message)
