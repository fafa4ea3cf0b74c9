"""SOAP messages as the console shows them: pretty-printed (when they parse) and highlighted as HTML
spans, every piece escaped. A message that does not parse (cut off by the journal's size limit, an
injected malformed answer, a client's garbage) is highlighted as it is."""

from __future__ import annotations

import re
import threading

from lxml import etree
from markupsafe import Markup, escape

_PARSERS = threading.local()
_TOKENS = re.compile(r"""
    (?P<comment><!--.*?(?:-->|\Z))
  | (?P<cdata><!\[CDATA\[.*?(?:\]\]>|\Z))
  | (?P<pi><\?.*?(?:\?>|\Z))
  | (?P<doctype><!.*?(?:>|\Z))
  | (?P<tag></?[^\s<>/]+(?:\s[^<>]*?)?/?(?:>|\Z))
  | (?P<text>[^<]+|<)
""", re.S | re.X)
_TAG = re.compile(r"^(</?)([^\s<>/]+)(.*?)(/?>)?$", re.S)
_ATTRIBUTE = re.compile(r"""([^\s=]+)(\s*=\s*)("[^"]*"|'[^']*')|(\S+)""")


def _parser() -> etree.XMLParser:
    parser = getattr(_PARSERS, "parser", None)
    if parser is None:
        parser = _PARSERS.parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False,
                                                   no_network=True, load_dtd=False, huge_tree=False)
    return parser


def pretty(xml: str) -> str:
    """The message indented by element; as it is when it does not parse."""
    try:
        root = etree.fromstring(xml.encode("utf-8"), _parser())
    except (etree.XMLSyntaxError, ValueError):
        return xml
    return etree.tostring(root, pretty_print=True, encoding="unicode").rstrip("\n")


def _span(css: str, text: str) -> str:
    return f'<span class="{css}">{escape(text)}</span>'


def _tag(text: str) -> str:
    found = _TAG.match(text)
    if found is None:
        return _span("x-tag", text)
    opening, name, rest, closing = found.groups()
    parts = [_span("x-punct", opening), _span("x-name", name)]
    for attribute in _ATTRIBUTE.finditer(rest):
        attr_name, equals, value, bare = attribute.groups()
        if bare is not None:
            parts.append(" " + _span("x-attr", bare))
        else:
            parts.append(" " + _span("x-attr", attr_name) + str(escape(equals)) + _span("x-value", value))
    if closing:
        parts.append(_span("x-punct", closing))
    return "".join(parts)


def highlight(xml: str | None) -> Markup:
    """The message, pretty-printed, as escaped HTML with spans for names, attributes, values and text."""
    if not xml:
        return Markup("")
    out = []
    for token in _TOKENS.finditer(pretty(xml)):
        kind, text = token.lastgroup, token.group()
        if kind == "tag":
            out.append(_tag(text))
        elif kind == "text":
            out.append(_span("x-text", text) if text.strip() else escape(text))
        else:
            out.append(_span(f"x-{kind}", text))
    return Markup("".join(out))
