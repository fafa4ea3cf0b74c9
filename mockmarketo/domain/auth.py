"""Marketo's request signature (facts §4): HMAC-SHA1 of requestTimestamp + mktowsUserId with the secret key.

The signature is checked over the timestamp string exactly as received (clients format it in many
ways); only the expiry check parses it, leniently. An unreadable timestamp is 20014 (not 20016): the
caller cannot fix it by retrying with a fresh timestamp, which is what 20016 tells clients to do.

Every failure answers Marketo's fault unchanged; its `reason` (journal and access log only) tells the
failures apart: header fields missing, an unknown user id, a signature mismatch (with the string that
was to be signed, never the key), a timestamp unreadable or skewed by N seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from mockmarketo.domain.errors import MarketoError

_OFFSET_WITHOUT_COLON = re.compile(r"([+-]\d{2})(\d{2})$")
# at most this many known user ids are named when an unknown one calls
_KNOWN_IDS_SHOWN = 5
_LEAP_SECOND = re.compile(r"(\d{2}:\d{2}):60(?=[.,Z+-]|$)")


@dataclass(frozen=True)
class Credentials:
    user_id: str
    secret_key: str
    instance: str = "default"


def sign(secret_key: str, timestamp: str, user_id: str) -> str:
    """The lower-case hex signature a client sends."""
    return hmac.new(secret_key.encode(), (timestamp + user_id).encode(), hashlib.sha1).hexdigest()


def parse_timestamp(text: str) -> datetime | None:
    """Every timestamp form real clients send: ISO 8601 with offset or Z (with `T` or a space), Ruby's
    `2015-06-01 12:00:00 +0900`, fractional seconds. A timestamp without an offset is taken as UTC.
    A leap second (`23:59:60`) is the first second of the next minute, as Java's and PHP's date parsers
    (Marketo's servers' languages) read it; Python's refuses it."""
    value = text.strip()
    if not value:
        return None
    value = value.replace(" +", "+").replace(" -", "-")
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    value = _OFFSET_WITHOUT_COLON.sub(r"\1:\2", value)
    value, leap = _LEAP_SECOND.subn(r"\1:59", value, count=1)
    try:
        moment = datetime.fromisoformat(value) + timedelta(seconds=leap)
    except (ValueError, OverflowError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


class Authenticator:
    """Checks AuthenticationHeader fields against the configured users."""

    def __init__(self, users: Mapping[str, Credentials], max_clock_skew_seconds: int = 900):
        self.users = users
        self.max_clock_skew_seconds = max_clock_skew_seconds
        self.max_clock_skew = timedelta(seconds=max_clock_skew_seconds) if max_clock_skew_seconds else None

    def authenticate(self, user_id: str | None, signature: str | None, timestamp: str | None,
                     now: datetime | None = None) -> Credentials:
        """The caller's credentials, or MarketoError 20014 / 20016 with the reason."""
        missing = [name for name, value in (("mktowsUserId", user_id), ("requestSignature", signature),
                                            ("requestTimestamp", timestamp)) if not value]
        if missing:
            raise _failed(f"the AuthenticationHeader has no {' and no '.join(missing)}")
        credentials = self.users.get(user_id)
        if credentials is None:
            raise _failed(f"unknown user id {user_id!r} ({self._known_ids()})")
        expected = sign(credentials.secret_key, timestamp, user_id)
        if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
            raise _failed(f"signature mismatch: expected the lower-case hex HMAC-SHA1, keyed with the secret key "
                          f"of {user_id!r}, of requestTimestamp + mktowsUserId = {timestamp + user_id!r}")
        if self.max_clock_skew is not None:
            moment = parse_timestamp(timestamp)
            if moment is None:
                raise _failed(f"requestTimestamp {timestamp!r} is not a date and time")
            now = now or datetime.now(timezone.utc)
            skew = f"(more than auth.max_clock_skew_seconds = {self.max_clock_skew_seconds})"
            if now - moment > self.max_clock_skew:
                raise MarketoError(20016, "Request signature is too old. The given timestamp and request "
                                          "signature are in the past and are no longer valid. Request can "
                                          "be retried with a newly generated timestamp and signature.",
                                   reason=f"requestTimestamp {timestamp!r} is {_seconds(now - moment)} s in the "
                                          f"past {skew}")
            if moment - now > self.max_clock_skew:
                raise MarketoError(20016, "Request timestamp is too far in the future. Request can be "
                                          "retried with a newly generated timestamp and signature.",
                                   reason=f"requestTimestamp {timestamp!r} is {_seconds(moment - now)} s in the "
                                          f"future {skew}")
        return credentials

    def _known_ids(self) -> str:
        if not self.users:
            return "no user is known"
        known = sorted(self.users)
        shown = ", ".join(repr(user_id) for user_id in known[:_KNOWN_IDS_SHOWN])
        more = f" and {len(known) - _KNOWN_IDS_SHOWN} more" if len(known) > _KNOWN_IDS_SHOWN else ""
        return f"known: {shown}{more}"


def _failed(reason: str) -> MarketoError:
    """Marketo's authentication fault, exactly as on the wire, with the reason for the journal and log."""
    return MarketoError(20014, "Authentication failed", reason=reason)


def _seconds(delta: timedelta) -> int:
    return int(delta.total_seconds())
