"""How the console shows a SOAP message (pretty-printed, highlighted, escaped) and copies a call as curl."""

from __future__ import annotations

from mockmarketo.console.replay import curl_command
from mockmarketo.console.xml_view import highlight, pretty


def test_pretty_indents_by_element():
    assert pretty("<a><b>x</b><c/></a>") == "<a>\n  <b>x</b>\n  <c/>\n</a>"


def test_pretty_keeps_a_message_that_does_not_parse():
    assert pretty("<a><b>cut off") == "<a><b>cut off"


def test_pretty_never_expands_entities():
    xml = '<!DOCTYPE a [<!ENTITY e "boom">]><a>&e;</a>'
    assert "boom</a>" not in pretty(xml)


def test_highlight_marks_names_attributes_values_and_text():
    assert str(highlight('<a k="v">t</a>')) == (
        '<span class="x-punct">&lt;</span><span class="x-name">a</span> <span class="x-attr">k</span>='
        '<span class="x-value">&#34;v&#34;</span><span class="x-punct">&gt;</span><span class="x-text">t</span>'
        '<span class="x-punct">&lt;/</span><span class="x-name">a</span><span class="x-punct">&gt;</span>')


def test_highlight_escapes_markup_in_text_and_values():
    shown = str(highlight('<a k="&quot;&gt;&lt;script&gt;">&lt;script&gt;alert(1)&lt;/script&gt;</a>'))
    assert "<script>" not in shown
    assert "&amp;lt;script&amp;gt;alert(1)" in shown


def test_highlight_of_nothing_is_empty():
    assert str(highlight(None)) == ""


def test_curl_command_posts_the_body_with_the_clients_headers():
    entry = {"path": "/soap/mktows/2_1", "request_xml": "<a>it's</a>",
             "request_headers": {"Content-Type": "text/xml", "Content-Length": "11", "Soapaction": '""'}}
    assert curl_command(entry, "http://127.0.0.1:8080/") == (
        "curl -sS -X POST 'http://127.0.0.1:8080/soap/mktows/2_1' \\\n"
        "  -H 'Content-Type: text/xml' \\\n"
        "  -H 'Soapaction: \"\"' \\\n"
        "  --data-binary '<a>it'\\''s</a>'")


def test_curl_command_leaves_out_a_masked_credential():
    entry = {"path": "/soap/mktows/2_9", "request_xml": "<a/>", "request_headers": {"Authorization": "********"}}
    assert "Authorization" not in curl_command(entry, "http://127.0.0.1:8080/")
