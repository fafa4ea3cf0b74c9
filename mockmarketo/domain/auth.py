"""Marketo's request signature (facts §4): HMAC-SHA1 of requestTimestamp + mktowsUserId with the secret key.

The signature is checked over the timestamp string exactly as received (clients format it in many
ways); only the expiry check parses it, leniently. An unreadable timestamp is 20014 (not 20016): the
caller cannot fix it by retrying with a fresh timestamp, which is what 20016 tells clients to do.
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
        self.max_clock_skew = timedelta(seconds=max_clock_skew_seconds) if max_clock_skew_seconds else None

    def authenticate(self, user_id: str | None, signature: str | None, timestamp: str | None,
                     now: datetime | None = None) -> Credentials:
        """The caller's credentials, or MarketoError 20014 / 20016."""
        if not user_id or not signature or timestamp is None:
            raise MarketoError(20014, "Authentication failed")
        credentials = self.users.get(user_id)
        if credentials is None:
            raise MarketoError(20014, "Authentication failed")
        expected = sign(credentials.secret_key, timestamp, user_id)
        if not hmac.compare_digest(expected.encode(), signature.strip().lower().encode()):
            raise MarketoError(20014, "Authentication failed")
        if self.max_clock_skew is not None:
            moment = parse_timestamp(timestamp)
            if moment is None:
                raise MarketoError(20014, f"Authentication failed: requestTimestamp {timestamp!r} is not a "
                                          "date and time")
            now = now or datetime.now(timezone.utc)
            if now - moment > self.max_clock_skew:
                raise MarketoError(20016, "Request signature is too old. The given timestamp and request "
                                          "signature are in the past and are no longer valid. Request can "
                                          "be retried with a newly generated timestamp and signature.")
            if moment - now > self.max_clock_skew:
                raise MarketoError(20016, "Request timestamp is too far in the future. Request can be "
                                          "retried with a newly generated timestamp and signature.")
        return credentials
