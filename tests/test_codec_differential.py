"""The differential test of the compiled codecs (soap.codec, soap.dispatch) against spyne's full path.

Every in-process SOAP call of the whole suite (the wire tests included) is already decoded and encoded
by both paths, and a difference fails the test that made the call (tests/conftest.py,
`_both_soap_paths_agree`). This module adds: the hostile corpus answered byte for byte alike by an app
on each path, requests of all 23 operations (spyne-notes §9; facts §2.1: the operations) built from the
type tree and decoded alike, hypothesis-generated envelopes and response objects, and proof that the
compiled path is the one normally taken and that a difference is caught.
"""

from __future__ import annotations

import base64
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from spyne import Boolean, ByteArray, ComplexModelBase, DateTime, Integer, Integer32, Unicode

from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.limits import LimitSettings
from mockmarketo.soap import dispatch
from mockmarketo.soap import models as m
from mockmarketo.soap.codec import Codecs, Unhandled
from mockmarketo.soap.operations import OPERATIONS, capitalised
from tests import soap_messages as sm
from tests.conftest import SoapCaller, make_app
from tests.hostile_corpus import Signer, load_cases

SIGNER = Signer("differential_1_CODEC00000000000", "differential-secret-3b7e")
NS = m.NS


def _app(compiled: bool = True):
    # no limits: the pair answers a whole module's calls, and must answer them for what they are
    app = make_app(users=[Credentials(SIGNER.user_id, SIGNER.secret_key, "default")],
                   clock=lambda: 1_700_000_000.0, limits=LimitSettings(enabled=False))
    app.soap.compiled = compiled
    return app


@pytest.fixture(scope="module")
def decoding_app():
    app = _app()
    yield app
    app.close()


@pytest.fixture(scope="module")
def both_paths():
    """An app on the compiled path and one on spyne's, sent the same calls in the same order."""
    apps = (_app(compiled=True), _app(compiled=False))
    yield [SoapCaller(app) for app in apps]
    for app in apps:
        app.close()


# -- the compiled path is the one taken, and a difference is caught -------------------------------------


def test_every_operation_compiles(decoding_app):
    """All 23 operations get a compiled decoder and a compiled encoder."""
    codecs = Codecs(decoding_app.soap._spyne.app, now=True)
    compiled = {operation.descriptor.operation_name: operation.encode is not None
                for operation in codecs._operations.values()}

    assert compiled == dict.fromkeys(OPERATIONS, True)


def test_calls_of_every_emulated_operation_take_the_compiled_path(soap):
    soap.sync("first@example.com", return_lead="true")
    soap.get_lead("EMAIL", "first@example.com")
    soap.sync_multiple([sm.lead_record("second@example.com")])
    soap.get_multiple(sm.lead_key_selector("EMAIL", ["first@example.com"]))

    assert soap.app.soap.dispatch.stats == {"compiled": 4}


def test_a_request_the_compiled_path_does_not_take_goes_to_spyne(soap):
    duplicate = sm.sync_lead_body(sm.lead_record("dup@example.com")).replace(
        "<returnLead>false</returnLead>", "<returnLead>false</returnLead><returnLead>true</returnLead>")

    response = soap.call(duplicate)

    assert (response.fault_code, soap.app.soap.dispatch.stats) == (20110, {"spyne": 1})


def test_a_decoded_value_spyne_would_not_make_is_reported(soap, monkeypatch):
    codecs = soap.app.soap.dispatch.codecs
    decode = codecs.decode

    def wrong(document):
        call = decode(document)
        call.in_object.returnLead = not call.in_object.returnLead
        return call

    monkeypatch.setattr(codecs, "decode", wrong)
    soap.sync("wrong@example.com")

    assert [problem.split(":")[0] for problem in dispatch.MISMATCHES] == ["decoded body differs at .returnLead"]
    dispatch.MISMATCHES.clear()


def test_an_answer_spyne_would_not_write_is_reported(soap, monkeypatch):
    codecs = soap.app.soap.dispatch.codecs
    encode = codecs.encode

    def wrong(call, result):
        encoded = encode(call, result)
        encoded.body = encoded.body.replace(b"CREATED", b"UPDATED")
        return encoded

    monkeypatch.setattr(codecs, "encode", wrong)
    soap.sync("wrong@example.com")

    assert [problem.split(":")[0] for problem in dispatch.MISMATCHES] == ["encoded answers differ"]
    dispatch.MISMATCHES.clear()


# -- the hostile corpus: byte-identical answers ----------------------------------------------------------

SOAP_CASES = [case for case in load_cases() if case.target == "soap"]


@pytest.mark.parametrize("case", SOAP_CASES, ids=[case.name for case in SOAP_CASES])
def test_hostile_requests_get_the_same_answer_on_both_paths(both_paths, case):
    body = case.body(SIGNER)
    answers = []
    for soap in both_paths:
        response = soap.client.post(case.path, data=body, content_type=case.content_type)
        answers.append((response.status_code, sorted(response.headers.items()), response.get_data()))

    assert answers[0] == answers[1]


# -- requests of all 23 operations, built from the type tree ---------------------------------------------

def _sample_text(cls, name: str) -> str:
    values = getattr(cls.Attributes, "values", None)
    if values:
        return sorted(values)[0]
    if issubclass(cls, Boolean):
        return "true"
    if issubclass(cls, (Integer32, Integer)):
        return "7"
    if issubclass(cls, DateTime):
        return "2024-05-06T07:08:09-07:00"
    if issubclass(cls, ByteArray):
        return base64.b64encode(b"bytes").decode()
    return f"{name} <&> é"


def _sample_element(cls, name: str, depth: int = 0) -> str:
    plain = getattr(cls, "__orig__", None) or cls
    if not issubclass(plain, ComplexModelBase):
        text = _sample_text(plain, name)
        return f"<{name}>{text.replace('&', '&amp;').replace('<', '&lt;').replace('>', '&gt;')}</{name}>"
    subtypes = plain.get_subclasses()
    xsi_type = ""
    if subtypes:
        plain = subtypes[0]
        xsi_type = f' xmlns:xsi="{sm.XSI}" xsi:type="ns1:{plain.get_type_name()}"'
    if depth > 4:
        return f"<{name}{xsi_type}/>"
    members = plain.get_flat_type_info(plain)
    inner = "".join(_sample_element(member, key, depth + 1) * (2 if member.Attributes.max_occurs > 1 else 1)
                    for key, member in members.items())
    return f"<{name}{xsi_type}>{inner}</{name}>"


def _request(operation: str) -> bytes:
    params = m.model_of(m.element_type("params" + capitalised(operation)))
    element = _sample_element(params, "params" + capitalised(operation))
    context = sm.workspace_header("Default") if operation == "syncLead" else ""
    return sm.envelope(element.replace(f"<params{capitalised(operation)}", f"<ns1:params{capitalised(operation)}", 1)
                       .rsplit("</", 1)[0] + f"</ns1:params{capitalised(operation)}>",
                       SIGNER.header() + context).encode()


@pytest.mark.parametrize("operation", OPERATIONS)
def test_requests_of_every_operation_decode_alike(decoding_app, operation):
    body = _request(operation)
    endpoint = decoding_app.soap
    call = endpoint.dispatch.codecs.decode(endpoint.parse(body))

    assert endpoint.dispatch.check_decode(body, call) is not None
    assert dispatch.MISMATCHES == []


@pytest.mark.parametrize("operation", OPERATIONS)
def test_requests_of_every_operation_get_the_same_answer_on_both_paths(both_paths, operation):
    body = _request(operation)
    answers = []
    for soap in both_paths:
        response = soap.post(body)
        answers.append((response.status, response.body))

    assert answers[0] == answers[1]


# -- hypothesis: generated envelopes ---------------------------------------------------------------------

TEXTS = st.sampled_from(["", " ", "7", "-2147483648", "2147483648", "x", "true", "false", "1", "0", "TRUE",
                         "2024-01-02T03:04:05Z", "2024-13-01T00:00:00", "9999-12-31T23:59:59-23:59",
                         "a&amp;b", "é\u2028", "<![CDATA[<x>]]>", "  7  ", "EMAIL", "IDNUM"]) | st.text(max_size=8)


def _escaped_text(text: str) -> str:
    # texts with &amp; or CDATA are meant as markup; the rest is escaped
    if "&amp;" in text or "CDATA" in text:
        return text
    return "".join(c for c in text if c in "\t\n" or " " <= c < "\ud800" or "\ue000" <= c <= "\ufffd") \
        .replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


@st.composite
def elements(draw, cls, name: str, depth: int = 0) -> str:
    plain = getattr(cls, "__orig__", None) or cls
    attributes = ""
    choice = draw(st.integers(0, 15))
    if choice == 0:
        attributes = f' xsi:nil="{draw(st.sampled_from(["true", "1", "false", ""]))}"'
    elif choice == 1 and issubclass(plain, ComplexModelBase):
        names = [c.get_type_name() for c in plain.get_subclasses()] + [plain.get_type_name(), "LeadRecord", "Nope"]
        attributes = f' xsi:type="{draw(st.sampled_from(["ns1:", "", "zz:"]))}{draw(st.sampled_from(names))}"'
    elif choice == 2:
        attributes = ' foo="bar" xmlns:q="urn:q" q:x="y"'
    if not issubclass(plain, ComplexModelBase) or depth > 3:
        text = draw(TEXTS) if draw(st.integers(0, 2)) == 0 or depth > 3 else _sample_text(plain, name)
        return f"<{name}{attributes}>{_escaped_text(text)}</{name}>"
    members = list(plain.get_flat_type_info(plain).items())
    subtypes = plain.get_subclasses()
    if subtypes and draw(st.booleans()):
        extra = draw(st.sampled_from(subtypes))
        members += list(extra._type_info.items())
    children = []
    for key, member in members:
        for _ in range(draw(st.sampled_from([0, 1, 1, 1, 1, 1, 1, 1, 1, 2]))):
            children.append(draw(elements(member, key, depth + 1)))
    extras = draw(st.lists(st.sampled_from(["<unknown>u</unknown>", "<!-- c -->", "<?pi x?>", "text"]),
                           max_size=2))
    children += extras
    order = draw(st.permutations(children)) if len(children) < 12 else children
    return f"<{name}{attributes}>{''.join(order)}</{name}>"


@st.composite
def envelopes(draw) -> bytes:
    operation = draw(st.sampled_from(OPERATIONS))
    element = "params" + capitalised(operation)
    body = draw(elements(m.model_of(m.element_type(element)), "ns1:" + element))
    header = draw(elements(m.AuthenticationHeader, "ns1:AuthenticationHeader"))
    if draw(st.booleans()):
        header += draw(elements(m.MktowsContextHeader, "ns1:MktowsContextHeader"))
    return (f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{sm.SOAP_ENV}" xmlns:ns1="{NS}" xmlns:xsi="{sm.XSI}">'
            f"<SOAP-ENV:Header>{header}</SOAP-ENV:Header><SOAP-ENV:Body>{body}</SOAP-ENV:Body>"
            "</SOAP-ENV:Envelope>").encode()


@settings(max_examples=250, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(body=envelopes())
def test_generated_envelopes_decode_alike_or_go_to_spyne(decoding_app, body):
    endpoint = decoding_app.soap
    document = endpoint.parse(body)
    try:
        call = endpoint.dispatch.codecs.decode(document)
    except Unhandled:
        return
    endpoint.dispatch.check_decode(body, call)

    assert dispatch.MISMATCHES == []


# -- hypothesis: generated response objects --------------------------------------------------------------

VALUES = {Unicode: st.text(max_size=6) | st.sampled_from(["a<&>\r", "é\u2028", "\x01", "\ufffe"]),
          Integer32: st.integers(-2**31, 2**31 - 1), Integer: st.integers(-10**12, 10**12),
          Boolean: st.booleans(),
          DateTime: st.datetimes(timezones=st.sampled_from([None, timezone.utc])),
          ByteArray: st.just([b"ab"])}


@st.composite
def objects(draw, cls, depth: int = 0):
    plain = getattr(cls, "__orig__", None) or cls
    if draw(st.integers(0, 5)) == 0:
        return None
    if not issubclass(plain, ComplexModelBase):
        kind = next(kind for kind in VALUES if issubclass(plain, kind))
        return draw(VALUES[kind])
    if depth > 3:
        return None
    values = {}
    for key, member in plain.get_flat_type_info(plain).items():
        if member.Attributes.max_occurs > 1:
            value = draw(st.none() | st.lists(objects(member, depth + 1), max_size=2))
        else:
            value = draw(objects(member, depth + 1))
        if value is not None:
            values[key] = value
    return plain(**values)


@st.composite
def results(draw):
    operation = draw(st.sampled_from(OPERATIONS))
    success = m.model_of(m.element_type("success" + capitalised(operation)))
    return operation, draw(objects(success)) or success()


@settings(max_examples=200, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(generated=results())
def test_generated_results_encode_alike_or_go_to_spyne(decoding_app, generated):
    operation, result = generated
    codecs = decoding_app.soap.dispatch.codecs
    call = codecs.decode(decoding_app.soap.parse(_request(operation)))
    try:
        encoded = codecs.encode(call, result)
    except Unhandled:
        return
    spyne_ctx = decoding_app.soap.dispatch.spyne_context(call.operation.descriptor)
    decoding_app.soap.dispatch.check_encode(spyne_ctx, result, encoded)

    assert dispatch.MISMATCHES == []


def test_stored_times_are_written_as_spyne_writes_them(decoding_app):
    codecs = decoding_app.soap.dispatch.codecs
    call = codecs.decode(decoding_app.soap.parse(_request("getLeadChanges")))
    result = m.SuccessGetLeadChanges(result=m.ResultGetLeadChanges(
        returnCount=1, remainingCount=0, newStartPosition=m.StreamPosition(
            latestCreatedAt=datetime(2024, 1, 2, 3, 4, 5, 600000), oldestCreatedAt=datetime(2024, 1, 2, tzinfo=timezone.utc))))

    encoded = codecs.encode(call, result)
    decoding_app.soap.dispatch.check_encode(
        decoding_app.soap.dispatch.spyne_context(call.operation.descriptor), result, encoded)

    assert b"<latestCreatedAt>2024-01-02T03:04:05.600000</latestCreatedAt>" in encoded.body
    assert dispatch.MISMATCHES == []


def test_the_models_constructor_makes_the_objects_spynes_makes():
    """models._Model's constructor skips spyne's per-member walk; the objects must be the same."""
    different = []
    for name, cls in m._SCHEMA.types.items():
        if not (isinstance(cls, type) and issubclass(cls, ComplexModelBase)):
            continue
        values = {key: index for index, key in enumerate(cls.get_flat_type_info(cls))}
        spynes = cls.__new__(cls)
        ComplexModelBase.__init__(spynes, **values, unknown=1)
        if cls(**values, unknown=1).__dict__ != spynes.__dict__ or cls().__dict__ != dict.fromkeys(values):
            different.append(name)

    assert different == []
