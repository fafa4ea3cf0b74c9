"""The hostile-input corpus: tests/hostile/cases-*.toml, its small files, and the cases made in code
(large ones, which stay out of git, and those that need a signature over a chosen timestamp)."""

from __future__ import annotations

import codecs
import json
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from tests import soap_messages as sm

CORPUS = Path(__file__).parent / "hostile"
MIB = 1 << 20
XML_UTF8 = "text/xml; charset=utf-8"


@dataclass(frozen=True)
class Signer:
    """The API user the corpus signs as."""

    user_id: str
    secret_key: str

    def header(self, **overrides) -> str:
        return sm.auth_header(self.user_id, self.secret_key, **overrides)

    def envelope(self, body: str, **overrides) -> str:
        return sm.envelope(body, self.header(**overrides))


def _sync(email: str, attributes=None, return_lead: str = "false") -> str:
    return sm.sync_lead_body(sm.lead_record(email, attributes=attributes), return_lead)


def _declared(envelope: str, encoding: str) -> str:
    return envelope.replace('encoding="UTF-8"', f'encoding="{encoding}"', 1)


def _deep(levels: int) -> str:
    return "<a>" * levels + "x" + "</a>" * levels


def _utf16_envelope(signer: Signer) -> str:
    return _declared(signer.envelope(_sync("utf16@example.com", {"FirstName": "Zoë Ærøskøbing"}, "true")), "UTF-16")


# name -> (signer, listener port) -> request body
GENERATORS: dict[str, Callable[[Signer, int], bytes]] = {
    "namespace_declarations_20000": lambda s, _: s.envelope(_sync("ns@example.com")).replace(
        "<ns1:paramsSyncLead>", "<ns1:paramsSyncLead " + " ".join(
            f'xmlns:p{i}="urn:p{i}"' for i in range(20000)) + ">").encode(),
    "wrong_signature": lambda s, _: s.envelope(_sync("sig@example.com"), signature="0" * 40).encode(),
    "unknown_user": lambda s, _: sm.envelope(_sync("who@example.com"), sm.auth_header(
        "nobody_1_000000000000", s.secret_key)).encode(),
    "stale_timestamp": lambda s, _: s.envelope(_sync("old@example.com"),
                                                timestamp="2013-07-23T10:00:00-07:00").encode(),
    "unreadable_timestamp": lambda s, _: s.envelope(_sync("when@example.com"), timestamp="yesterday").encode(),
    "records_301": lambda s, _: s.envelope(sm.sync_multiple_leads_body(
        [sm.lead_record(f"r{i}@example.com") for i in range(301)])).encode(),
    "attr_value_1mib": lambda s, _: s.envelope(_sync("big@example.com", {"FirstName": "x" * MIB})).encode(),
    "lead_score_1mib": lambda s, _: s.envelope(_sync("score@example.com", {"LeadScore": "9" * MIB})).encode(),
    "over_size_limit": lambda s, _: s.envelope(_sync("huge@example.com", {"FirstName": "x" * (3 * MIB)})).encode(),
    "xml_attributes_50000": lambda s, _: s.envelope(_sync("attrs@example.com")).replace(
        "<leadRecord>", "<leadRecord " + " ".join(f'a{i}="v"' for i in range(50000)) + ">").encode(),
    "lead_attributes_10000": lambda s, _: s.envelope(_sync(
        "list@example.com", [("City", f"c{i}") for i in range(10000)])).encode(),
    "unknown_lead_attributes_10000": lambda s, _: s.envelope(_sync(
        "unknown@example.com", [(f"Field{i}", "x") for i in range(10000)])).encode(),
    "deep_nesting_value": lambda s, _: s.envelope(_sync("deep@example.com", {"FirstName": "PLACE"})).replace(
        "PLACE", _deep(10000)).encode(),
    "deep_nesting_body": lambda s, _: s.envelope(_deep(10000)).encode(),
    "quadratic_blowup": lambda s, _: (
        '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY a "' + "a" * 50000 + '">]>\n'
        + s.envelope(_sync("PLACE")).split("\n", 1)[1].replace("PLACE", "&a;" * 2000)).encode(),
    "utf16_bom": lambda s, _: _utf16_envelope(s).encode("utf-16"),
    "utf16_no_bom": lambda s, _: _utf16_envelope(s).encode("utf-16-le"),
    "utf16_doctype": lambda s, _: ('<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE x [<!ENTITY e "E">]>\n'
                                   + s.envelope(_sync("PLACE")).split("\n", 1)[1].replace("PLACE", "a&e;b")
                                   ).encode("utf-16"),
    "utf16_le_bom": lambda s, _: codecs.BOM_UTF16_LE + _utf16_envelope(s).encode("utf-16-le"),
    "latin1_declared": lambda s, _: _declared(s.envelope(_sync("latin1@example.com", {"FirstName": "Zoë"}, "true")),
                                              "ISO-8859-1").encode("latin-1"),
    "control_deep_json": lambda s, _: b"[" * 100000 + b"]" * 100000,
    "control_huge_json": lambda s, _: json.dumps({"email": "a@example.com", "attributes": {
        "FirstName": "x" * (3 * MIB)}}).encode(),
}


@dataclass(frozen=True)
class Case:
    name: str
    category: str
    status: int
    fault: int | None = None  # SOAP: the fault code expected, 0 for success; None for control cases
    file: str | None = None
    generate: str | None = None
    content_type: str = XML_UTF8
    target: str = "soap"
    method: str = "POST"
    path: str = "/soap/mktows/2_9"
    text: str | None = None

    def body(self, signer: Signer, port: int = 9) -> bytes:
        if self.generate is not None:
            return GENERATORS[self.generate](signer, port)
        data = (CORPUS / self.file).read_bytes()
        replacements = {
            b"{{AUTH}}": signer.header(),
            b"{{AUTH_OTHER_NS}}": signer.header().replace("ns1:AuthenticationHeader", "AuthenticationHeader"),
            b"{{AUTH_MODE_X}}": signer.header().replace("</requestTimestamp>", "</requestTimestamp><mode>x</mode>"),
            b"{{PORT}}": str(port),
        }
        for placeholder, value in replacements.items():
            data = data.replace(placeholder, value.encode("utf-8"))
        return data

    @property
    def success(self) -> bool:
        return self.target == "soap" and self.fault == 0


def load_cases() -> list[Case]:
    """Every case of tests/hostile/cases-*.toml (top-level keys are categories; see cases-wire.toml)."""
    cases = []
    for path in sorted(CORPUS.glob("cases-*.toml")):
        with open(path, "rb") as handle:
            for category, entries in tomllib.load(handle).items():
                control = {"target": "control", "content_type": "application/json"} if category == "control" else {}
                cases += [Case(category=category, **control, **entry) for entry in entries]
    names = [case.name for case in cases]
    assert len(names) == len(set(names)), "case names must be unique"
    return cases
