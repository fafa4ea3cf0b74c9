"""Property-based syncLead: generated envelopes, valid and broken, against one app (hypothesis,
derandomized so CI runs the same examples).

Whatever is sent: the answer is HTTP 200 or 500, always a SOAP envelope (a successSyncLead or Marketo's
fault with a code the request's defects call for), and the store stays consistent — ids, foreign ids
and cookies unique, every lead ever created still there, and a lead just created or updated holds
exactly the attribute values sent, normalised as README "Behaviour" and domain/fields.py say."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.errors import SHORT_TEXTS
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app
from tests.hostile_corpus import Signer
from tests.test_hostile_input import assert_marketo_fault

SIGNER = Signer("property_1_HYPOTHESIS0000000000", "property-secret-5e1f0c")
FIRST_ID = 1000001
FOREIGN_TYPES = ("CUSTOM", "SFDC", "NETSUITE")
# XML 1.0 cannot carry these, raw or as character references: the request is not XML (20012)
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
INVALID = object()


def xml_text(value: str) -> str:
    """Escaped for element content; a carriage return as a reference, so XML keeps it."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


# ---- attribute values: (wire text, stored value or INVALID) per field type --------------------------

def _typed(values, stored):
    return values.map(lambda v: (v, stored(v)))


# mostly text XML can carry; now and then any text, control characters included (then 20012)
valid_text = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=12)
any_text = st.one_of(*[valid_text] * 12, st.text(max_size=12))
strings = any_text.map(lambda v: (v, v))
integers = st.one_of(
    _typed(st.integers(-10**9, 10**9).map(str), lambda v: str(int(v))),
    _typed(st.integers(-10**9, 10**9).map(str), lambda v: str(int(v))),
    _typed(st.integers(0, 999).map(lambda n: f" {n} "), lambda v: str(int(v))),
    _typed(st.sampled_from(["abc", "1.5", "1e3", "--1"]), lambda v: INVALID))
booleans = st.one_of(
    *[_typed(st.sampled_from(["true", "false", "1", "0", "TRUE", "No", "yes", " false "]),
             lambda v: "1" if v.strip().lower() in ("true", "1", "yes") else "0")] * 3,
    _typed(st.sampled_from(["maybe", "2", "y"]), lambda v: INVALID))
currencies = st.one_of(
    *[_typed(st.decimals(-10**6, 10**6, places=2, allow_nan=False).map(str), lambda v: v)] * 3,
    _typed(st.sampled_from(["NaN", "Infinity", "ten"]), lambda v: INVALID))
dates = st.one_of(
    *[_typed(st.dates().map(lambda d: d.isoformat()), lambda v: v if len(v) == 10 else INVALID)] * 3,
    _typed(st.sampled_from(["2026-02-30", "2026-1-1", "01/02/2026"]), lambda v: INVALID))

FIELDS = {"FirstName": strings, "LastName": strings, "City": strings, "Title": strings,
          "LeadScore": integers, "DoNotCall": booleans, "Unsubscribed": booleans,
          "AnnualRevenue": currencies, "DateofBirth": dates}
UNKNOWN_FIELDS = ("pants", "firstname", "FIRSTNAME", "Favorite_Color__c", "Ünïcödé")

known_attribute = st.sampled_from(sorted(FIELDS)).flatmap(lambda name: FIELDS[name].map(lambda v: (name, *v)))
attributes = st.lists(st.one_of(
    *[known_attribute] * 12,
    st.tuples(st.sampled_from(UNKNOWN_FIELDS), st.text(max_size=5)).map(lambda t: (t[0], t[1], INVALID)),
), max_size=6)


# ---- the request --------------------------------------------------------------------------------

@dataclass
class Request:
    """One generated syncLead: its parts, and what can be wrong with it."""

    id: str | None = None           # text of <Id>, "nil", or None (absent)
    email: str | None = None
    foreign_id: str | None = None
    foreign_type: str | None = None
    cookie: str | None = None
    attributes: list = field(default_factory=list)  # (name, wire value, stored value or INVALID)
    return_lead: str | None = "false"
    extras: list = field(default_factory=list)
    truncate: float | None = None

    def envelope(self) -> bytes:
        record = []
        if self.id is not None:
            record.append('<Id xsi:nil="true"/>' if self.id == "nil" else f"<Id>{xml_text(self.id)}</Id>")
        for tag, value in (("Email", self.email), ("ForeignSysPersonId", self.foreign_id),
                           ("ForeignSysType", self.foreign_type)):
            if value is not None:
                record.append(f'<{tag} xsi:nil="true"/>' if value == "nil" else f"<{tag}>{xml_text(value)}</{tag}>")
        record.extend(self.extras)
        if self.attributes:
            record.append("<leadAttributeList>" + "".join(
                f"<attribute><attrName>{xml_text(name)}</attrName><attrValue>{xml_text(value)}</attrValue>"
                "</attribute>" for name, value, _ in self.attributes) + "</leadAttributeList>")
        body = "<ns1:paramsSyncLead><leadRecord>" + "".join(record) + "</leadRecord>"
        if self.return_lead is not None:
            body += f"<returnLead>{xml_text(self.return_lead)}</returnLead>"
        if self.cookie is not None:
            body += f"<marketoCookie>{xml_text(self.cookie)}</marketoCookie>"
        data = SIGNER.envelope(body + "</ns1:paramsSyncLead>").encode("utf-8")
        if self.truncate is not None:
            data = data[:int(len(data) * self.truncate)]
        return data

    def texts(self) -> list[str]:
        return [t for t in (self.id, self.email, self.foreign_id, self.foreign_type, self.cookie, self.return_lead)
                if t is not None] + [t for name, value, _ in self.attributes for t in (name, value)]


def nil_or(values):
    return st.one_of(st.none(), st.just("nil"), values)


requests = st.builds(
    Request,
    id=st.one_of(*[st.none()] * 5, st.just("nil"), st.just(""), st.integers(FIRST_ID - 2, FIRST_ID + 40).map(str),
                 st.sampled_from(["abc", "1.5", "99999999999", " ", "-3"])),
    email=nil_or(st.one_of(st.sampled_from(["ann@example.com", "ANN@example.com", "bob@example.com",
                                            " cy@example.com ", ""]), any_text)),
    foreign_id=st.one_of(*[st.none()] * 4, st.sampled_from(["F1", "F2", "F3"])),
    foreign_type=st.one_of(*[st.none()] * 4, st.sampled_from(FOREIGN_TYPES), st.sampled_from(["ORACLE", "sfdc", "nil"])),
    cookie=st.one_of(st.none(), st.none(), st.sampled_from(["id:1-AB-2&token:_mch-x-1", "id:1-AB-2&token:_mch-x-2",
                                                            ""])),
    attributes=attributes,
    return_lead=st.sampled_from(["true", "false", "1", "0", "TRUE", " false "] * 4 + ["yes", "", None]),
    extras=st.lists(st.sampled_from(["<id>5</id>", "<EMAIL>x@example.com</EMAIL>", "<foo/>", "<Foo>bar</Foo>",
                                     "<ns1:Unknown>u</ns1:Unknown>", "<!-- comment -->"]), max_size=2),
    # about one in ten cut short
    truncate=st.sampled_from([False] * 9 + [True]).flatmap(lambda cut: st.floats(0, 0.999) if cut else st.none()),
)


# ---- the oracle ---------------------------------------------------------------------------------

def allowed_outcomes(request: Request, existing_ids: set[int]) -> set[int]:
    """The fault codes the request's defects call for; with none, 0 (success) and the codes that
    depend on the store's state."""
    if request.truncate is not None or any(NOT_XML.search(text) for text in request.texts()):
        return {20012}
    codes, possible = set(), set()
    lead_id = request.id if request.id not in (None, "nil") else None
    if lead_id:  # an empty <Id/> is absent; " " is not an integer
        try:
            number = int(lead_id)
        except ValueError:
            codes.add(20110)
        else:
            if not -2**31 <= number < 2**31:
                codes.add(20110)
            elif number not in existing_ids:
                codes.add(20103)
    if request.return_lead is None or not request.return_lead.strip():
        codes.add(20109)
    elif request.return_lead.strip().lower() not in ("true", "false", "1", "0"):
        codes.add(20110)
    names = [name for name, _, _ in request.attributes]
    if any(name not in FIELDS for name in names):
        codes.add(20105)
    elif any(stored is INVALID for _, _, stored in request.attributes):
        codes.add(20106)
    foreign_type = request.foreign_type if request.foreign_type not in (None, "nil") else None
    if request.foreign_id is not None:
        if foreign_type is None:
            codes.add(20109)
        elif foreign_type not in FOREIGN_TYPES:
            codes.add(20110)
        if lead_id:
            possible.add(20106)  # the foreign id may belong to another lead than the Id's
    elif foreign_type is not None and foreign_type not in FOREIGN_TYPES:
        codes.add(20110)
    return codes or {0} | possible


def expected_attributes(request: Request) -> dict[str, str]:
    """Name -> stored value for what the request sets (last value wins; "" clears)."""
    values = {name: stored for name, _, stored in request.attributes}
    return values


def check_store(app, created: set[int]) -> None:
    with app.marketo.store.transaction("default", write=False) as repo:
        leads = repo.all()
    ids = [lead.id for lead in leads]
    foreign_ids = [lead.foreign_sys_person_id for lead in leads if lead.foreign_sys_person_id is not None]
    cookies = [cookie for lead in leads for cookie in lead.cookies]
    assert len(ids) == len(set(ids))
    assert len(foreign_ids) == len(set(foreign_ids))
    assert len(cookies) == len(set(cookies))
    assert created <= set(ids)
    assert all(value != "" for lead in leads for value in lead.attributes.values())


def stored_attributes(soap: SoapCaller, lead_id: str) -> tuple[str | None, dict[str, str]]:
    found = soap.post(SIGNER.envelope(sm.get_lead_body("IDNUM", lead_id)))
    assert found.status == 200, found.body
    names = found.all_text("result/leadRecordList/leadRecord/leadAttributeList/attribute/attrName")
    values = found.all_text("result/leadRecordList/leadRecord/leadAttributeList/attribute/attrValue")
    return found.text("result/leadRecordList/leadRecord/Email"), dict(zip(names, values))


def test_generated_sync_lead_envelopes_answer_soap_and_keep_the_store_consistent():
    app = make_app(users=[Credentials(SIGNER.user_id, SIGNER.secret_key, "default")])
    soap = SoapCaller(app)
    created: set[int] = set()
    outcomes: dict[int, int] = {}

    @settings(max_examples=300, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(request=requests)
    def one_call(request: Request):
        with app.marketo.store.transaction("default", write=False) as repo:
            existing = {lead.id for lead in repo.all()}
        allowed = allowed_outcomes(request, existing)
        response = soap.post(request.envelope())
        assert response.status in (200, 500)
        assert response.content_type == "text/xml; charset=utf-8"
        document = etree.fromstring(response.body)
        assert document.tag == f"{{{sm.SOAP_ENV}}}Envelope"
        if response.status == 500:
            code = response.fault_code
            assert code in SHORT_TEXTS and code != 10001
            assert_marketo_fault(response.body, code)
            assert code in allowed and code != 0, (code, allowed, response.fault_message)
            outcomes[code] = outcomes.get(code, 0) + 1
        else:
            assert 0 in allowed, (allowed, response.body)
            outcomes[0] = outcomes.get(0, 0) + 1
            status = response.text("result/syncStatus/status")
            lead_id = response.text("result/leadId")
            assert status in ("CREATED", "UPDATED") and lead_id == response.text("result/syncStatus/leadId")
            record = response.xml.find(".//result/leadRecord")
            assert (record.get(f"{{{sm.XSI}}}nil") is None) is (request.return_lead.strip().lower() in ("true", "1"))
            email, stored = stored_attributes(soap, lead_id)
            expected = expected_attributes(request)
            for name, value in expected.items():
                assert stored.get(name, "") == value, (name, stored, expected)
            if status == "CREATED":
                assert int(lead_id) not in existing
                created.add(int(lead_id))
                assert stored == {name: value for name, value in expected.items() if value != ""}
                sent_email = request.email if request.email not in (None, "nil") else None
                assert email == ((sent_email or "").strip() or None)
            else:
                assert int(lead_id) in existing
        check_store(app, created)

    try:
        one_call()
        check_store(app, created)
        for lead_id in created:
            assert stored_attributes(soap, str(lead_id)) is not None
        # the generator reaches both sides: successes (created and updated) and several fault codes
        assert outcomes.get(0, 0) >= 20 and len(created) >= 5
        assert {20012, 20105, 20106, 20109, 20110} <= set(outcomes)
    finally:
        app.close()
