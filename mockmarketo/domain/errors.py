"""Marketo's error codes and the one exception type the domain raises for them.

The short texts are what Marketo put in `faultstring` after "<code> - " (facts §5.1/§5.2: they are not
always the docs table's wording); the long text goes into `detail/serviceException/message`.
"""

from __future__ import annotations

# code -> short text used in faultstring (facts §5.2 where observed, else the docs table of §5.3)
SHORT_TEXTS: dict[int, str] = {
    10001: "Internal error",
    20011: "Internal error",
    20012: "Request not understood",
    20013: "Access denied",
    20014: "Authentication failed",
    20015: "Request limit exceeded",
    20016: "Request expired",
    20017: "Invalid request",
    20019: "Unsupported operation",
    20022: "Time range specified in query filter exceeded limit",
    20023: "Rate limit exceeded",
    20024: "Concurrency limit exceeded",
    20101: "Lead key required",
    20102: "Lead key bad",
    20103: "Lead not found",
    20104: "Lead detail required",
    20105: "Unknown lead field",
    20106: "Lead sync failed",
    20107: "Activity key bad",
    20109: "Parameter required",
    20110: "Input error",
    20111: "List not found",
    20113: "Campaign not found",
    20114: "Bad parameter",
    20122: "Bad stream position",
    20123: "Stream at end",
}

# Codes Marketo reports as server-side failures (faultcode SOAP-ENV:Server); every other code is a client error.
SERVER_CODES = frozenset({10001, 20011})


class MarketoError(Exception):
    """An error Marketo reports to the caller as a SOAP fault with a numeric code.

    `reason` says, for the people debugging a client, what the fault's text does not (e.g. why
    authentication failed): it goes to the request journal and the access log, never on the wire, where
    the fault stays exactly Marketo's.
    """

    def __init__(self, code: int, message: str | None = None, *, reason: str | None = None):
        self.code = code
        self.short_text = SHORT_TEXTS[code]
        self.message = message if message is not None else self.short_text
        self.reason = reason
        super().__init__(f"{code} - {self.message}")

    @property
    def is_server_error(self) -> bool:
        return self.code in SERVER_CODES
