"""Comparing stored values by their attrType: the order getCustomObjects returns records in, and the
criteria of getMObjects (EQ NE LT LE GT GE)."""

from __future__ import annotations

from datetime import date, timezone
from decimal import Decimal, InvalidOperation

from mockmarketo.domain.auth import parse_timestamp

NUMERIC_TYPES = frozenset({"integer", "score", "float", "currency", "percent"})


def comparable(attr_type: str, value: str) -> tuple:
    """A sort key for a value of this attrType: numbers by value, dates and times by moment (a time
    without an offset is UTC), booleans as 0/1, everything else as text without regard to case.
    ValueError if the value is not of the type."""
    text = value.strip()
    if attr_type in NUMERIC_TYPES:
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(f"{value!r} is not a number") from None
        if not number.is_finite():
            raise ValueError(f"{value!r} is not a finite number")
        return (0, number)
    if attr_type == "date":
        try:
            return (1, date.fromisoformat(text))
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    if attr_type == "datetime":
        moment = parse_timestamp(text)
        if moment is None:
            raise ValueError(f"{value!r} is not a date and time (ISO 8601)")
        return (2, moment.astimezone(timezone.utc))
    if attr_type == "boolean":
        lowered = text.lower()
        if lowered not in ("1", "0", "true", "false"):
            raise ValueError(f"{value!r} is not a boolean (1, 0, true or false)")
        return (3, lowered in ("1", "true"))
    return (4, value.casefold())

