"""The request signature and its expiry (facts §4)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from mockmarketo.config import DEFAULT_SECRET_KEY, DEFAULT_USER_ID
from mockmarketo.domain.auth import Authenticator, Credentials, parse_timestamp, sign
from mockmarketo.domain.errors import MarketoError
from tests import soap_messages as sm

NOW = datetime(2013, 7, 31, 19, 38, 47, tzinfo=timezone.utc)
USER = Credentials("bigcorp1_461839624B16E06BA2D663", "899756834129871744AAEE88DDCC77CDEEDEC1AAAD66")


@pytest.fixture
def authenticator():
    return Authenticator({USER.user_id: USER}, max_clock_skew_seconds=900)


def check(authenticator, timestamp, signature=None, user_id=USER.user_id):
    signature = sign(USER.secret_key, timestamp, user_id) if signature is None else signature
    return authenticator.authenticate(user_id, signature, timestamp, now=NOW)


def test_signature_is_lower_case_hex_hmac_sha1_of_timestamp_plus_user_id():
    # computed independently: printf '2013-07-31T12:38:47-07:00u' | openssl sha1 -hmac k
    assert sign("k", "2013-07-31T12:38:47-07:00", "u") == "187a0ab5391243cf7b6ceb5886bf3bac9514cc93"


def test_valid_signature_authenticates(authenticator):
    assert check(authenticator, "2013-07-31T12:38:47-07:00") == USER


def test_upper_case_hex_signature_is_accepted(authenticator):
    """§4: one C# client sends upper-case hex."""
    timestamp = "2013-07-31T12:38:47-07:00"
    assert check(authenticator, timestamp, sign(USER.secret_key, timestamp, USER.user_id).upper()) == USER


@pytest.mark.parametrize("timestamp", [
    "2013-07-31T12:38:47-07:00",          # PHP DATE_W3C
    "2013-07-31T19:38:47Z",               # Z suffix
    "2013-07-31T19:38:47.123+00:00",      # fractional seconds
    "2013-08-01 04:38:47 +0900",          # Ruby Time#to_s (embulk)
    "2013-07-31T12:38:47-0700",           # offset without colon
    "2013-07-31T19:38:47",                # no offset: UTC
])
def test_every_timestamp_form_real_clients_send_is_accepted(authenticator, timestamp):
    assert check(authenticator, timestamp) == USER


def test_signature_is_checked_over_the_timestamp_exactly_as_received(authenticator):
    signed_for = "2013-07-31T12:38:47-07:00"
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T12:38:47-0700", sign(USER.secret_key, signed_for, USER.user_id))
    assert caught.value.code == 20014


def test_wrong_signature_is_20014(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T12:38:47-07:00", "0" * 40)
    assert (caught.value.code, caught.value.message) == (20014, "Authentication failed")


def test_wrong_signature_reason_names_the_string_to_sign_and_never_the_key(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T12:38:47-07:00", "0" * 40)
    assert caught.value.reason == (
        "signature mismatch: expected the lower-case hex HMAC-SHA1, keyed with the secret key of "
        "'bigcorp1_461839624B16E06BA2D663', of requestTimestamp + mktowsUserId = "
        "'2013-07-31T12:38:47-07:00bigcorp1_461839624B16E06BA2D663'")


def test_unknown_user_is_20014(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T12:38:47-07:00", user_id="someone_else")
    assert (caught.value.code, caught.value.message) == (20014, "Authentication failed")


def test_unknown_user_reason_names_the_known_user_ids(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T12:38:47-07:00", user_id="someone_else")
    assert caught.value.reason == "unknown user id 'someone_else' (known: 'bigcorp1_461839624B16E06BA2D663')"


def test_unknown_user_reason_names_at_most_five_known_user_ids():
    users = {f"user_{n}": Credentials(f"user_{n}", "k") for n in range(7)}
    with pytest.raises(MarketoError) as caught:
        Authenticator(users).authenticate("nobody", "00", "2013-07-31T12:38:47-07:00", now=NOW)
    assert caught.value.reason == ("unknown user id 'nobody' (known: 'user_0', 'user_1', 'user_2', 'user_3', "
                                   "'user_4' and 2 more)")


def test_missing_header_fields_are_20014_naming_them(authenticator):
    with pytest.raises(MarketoError) as caught:
        authenticator.authenticate(USER.user_id, None, "", now=NOW)
    assert (caught.value.code, caught.value.message, caught.value.reason) == (
        20014, "Authentication failed", "the AuthenticationHeader has no requestSignature and no requestTimestamp")


def test_non_ascii_signature_is_20014_not_an_error(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T12:38:47-07:00", "é" * 40)
    assert caught.value.code == 20014


def test_timestamp_older_than_the_skew_is_20016(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, (NOW - timedelta(seconds=901)).isoformat())
    assert caught.value.code == 20016


def test_stale_timestamp_reason_says_by_how_many_seconds(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T18:00:00+00:00")
    assert caught.value.reason == ("requestTimestamp '2013-07-31T18:00:00+00:00' is 5927 s in the past "
                                   "(more than auth.max_clock_skew_seconds = 900)")


def test_future_timestamp_reason_says_by_how_many_seconds(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "2013-07-31T20:00:00Z")
    assert caught.value.reason == ("requestTimestamp '2013-07-31T20:00:00Z' is 1273 s in the future "
                                   "(more than auth.max_clock_skew_seconds = 900)")


def test_timestamp_newer_than_the_skew_is_20016(authenticator):
    with pytest.raises(MarketoError) as caught:
        check(authenticator, (NOW + timedelta(seconds=901)).isoformat())
    assert caught.value.code == 20016


def test_timestamp_within_the_skew_is_accepted(authenticator):
    assert check(authenticator, (NOW - timedelta(seconds=899)).isoformat()) == USER


def test_skew_of_zero_disables_the_expiry_check():
    authenticator = Authenticator({USER.user_id: USER}, max_clock_skew_seconds=0)
    assert check(authenticator, "1999-01-01T00:00:00Z") == USER


def test_unreadable_timestamp_is_20014(authenticator):
    """Choice (§4 open): not 20016, which tells clients to retry with a fresh timestamp."""
    with pytest.raises(MarketoError) as caught:
        check(authenticator, "yesterday")
    assert (caught.value.code, caught.value.message, caught.value.reason) == (
        20014, "Authentication failed", "requestTimestamp 'yesterday' is not a date and time")


@pytest.mark.parametrize(("timestamp", "moment"), [
    ("2016-12-31T23:59:60Z", datetime(2017, 1, 1, tzinfo=timezone.utc)),
    ("2016-12-31T23:59:60.250+00:00", datetime(2017, 1, 1, 0, 0, 0, 250000, tzinfo=timezone.utc)),
    ("2015-06-30 16:59:60 -0700", datetime(2015, 6, 30, 17, 0, tzinfo=timezone(timedelta(hours=-7)))),
])
def test_a_leap_second_is_the_first_second_of_the_next_minute(timestamp, moment):
    """Reliability issue, item 15: `…:60Z` was answered 20014. Java's and PHP's parsers (Marketo's
    servers') read second 60 as the next minute's first second; so does the mock."""
    assert parse_timestamp(timestamp) == moment


@pytest.mark.parametrize("timestamp", ["2016-12-31T23:59:61Z", "2016-12-31T23:60:00Z", "9999-12-31T23:59:60Z"])
def test_seconds_past_60_and_minutes_of_60_stay_unreadable(timestamp):
    assert parse_timestamp(timestamp) is None


def test_a_leap_second_timestamp_authenticates_within_the_skew():
    timestamp = "2016-12-31T23:59:60Z"
    authenticator = Authenticator({USER.user_id: USER}, max_clock_skew_seconds=900)
    assert authenticator.authenticate(USER.user_id, sign(USER.secret_key, timestamp, USER.user_id), timestamp,
                                      now=datetime(2017, 1, 1, 0, 5, tzinfo=timezone.utc)) == USER


def test_parse_timestamp_returns_none_for_garbage():
    assert parse_timestamp("not a time") is None


def test_missing_authentication_header_is_fault_20014(soap):
    response = soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header="")
    assert (response.status, response.fault_code) == (500, 20014)


def test_request_without_header_element_is_fault_20014(soap):
    request = (f'<SOAP-ENV:Envelope xmlns:SOAP-ENV="{sm.SOAP_ENV}" xmlns:ns1="{sm.NS}"><SOAP-ENV:Body>'
               f'{sm.sync_lead_body(sm.lead_record("a@example.com"))}</SOAP-ENV:Body></SOAP-ENV:Envelope>')
    assert soap.post(request).fault_code == 20014


def test_stale_timestamp_over_the_wire_is_fault_20016(soap):
    header = sm.auth_header(timestamp="2013-07-31T12:38:47-07:00")
    response = soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=header)
    assert (response.xml.findtext(".//faultstring"), response.fault_code) == ("20016 - Request expired", 20016)


def test_default_credentials_authenticate_over_the_wire(soap):
    header = sm.auth_header(user_id=DEFAULT_USER_ID, secret_key=DEFAULT_SECRET_KEY)
    assert soap.call(sm.get_lead_body("EMAIL", "x@example.com"), header=header).fault_code == 20103


# ---- the reason, in the journal; the wire stays Marketo's --------------------------------------------------

def journaled_reason(client) -> tuple[int, str]:
    [entry] = client.get("/_mock/requests").json
    return entry["fault_code"], entry["reason"]


def test_wrong_key_over_the_wire_is_marketos_fault_byte_for_byte(soap):
    from mockmarketo.soap.faults import fault_xml
    response = soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(
        secret_key="wrong"))
    assert response.body == fault_xml(MarketoError(20014))


def test_journal_tells_a_wrong_key_apart(soap, client):
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(
        timestamp="2026-03-02T12:00:00Z", secret_key="wrong"))
    assert journaled_reason(client) == (20014, (
        "signature mismatch: expected the lower-case hex HMAC-SHA1, keyed with the secret key of "
        f"'{DEFAULT_USER_ID}', of requestTimestamp + mktowsUserId = '2026-03-02T12:00:00Z{DEFAULT_USER_ID}'"))


def test_journal_tells_an_unknown_user_apart(soap, client):
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(user_id="nobody"))
    assert journaled_reason(client) == (20014, f"unknown user id 'nobody' (known: '{DEFAULT_USER_ID}')")


def test_journal_tells_a_missing_header_apart(soap, client):
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header="")
    assert journaled_reason(client) == (
        20014, "the SOAP Header has no AuthenticationHeader element in the namespace http://www.marketo.com/mktows/")


def test_journal_tells_a_stale_timestamp_apart(soap, client):
    soap.call(sm.sync_lead_body(sm.lead_record("a@example.com")), header=sm.auth_header(
        timestamp="2013-07-31T12:38:47-07:00"))
    code, reason = journaled_reason(client)
    assert (code, reason.startswith("requestTimestamp '2013-07-31T12:38:47-07:00' is "),
            reason.endswith(" s in the past (more than auth.max_clock_skew_seconds = 900)")) == (20016, True, True)


def test_journal_has_no_reason_for_a_call_that_succeeds(soap, client):
    soap.sync("a@example.com")
    assert client.get("/_mock/requests").json[0]["reason"] is None
