"""Fault injection: make the next calls of an instance fail the way Marketo (or the network) fails.

An injection names an operation (or none: any call) and fires on the next `times` matching calls, or
on each matching call with a `probability`, drawn from a random generator seeded with `seed` so a run
can be repeated exactly. When it fires, the call is answered with one of:

  fault     a Marketo SOAP fault with the given `code` (and `message`), HTTP 500 (facts §5)
  http500   HTTP 500 with a plain-text, non-SOAP body, as a failing proxy or load balancer answers
  malformed HTTP 200 with a truncated XML body
  drop      the connection is closed without any response
  delay     nothing but the delay: the call then runs normally

`delay_ms` adds a wait before any of these. Except for `delay`, the call itself never runs: nothing
is stored. Injections are tried in the order they were added; the first that fires answers.
"""

from __future__ import annotations

import itertools
import math
import random
import threading
from dataclasses import dataclass, field

from mockmarketo.domain.errors import SHORT_TEXTS, MarketoError
from mockmarketo.json_http import check_object
from mockmarketo.soap.operations import EMULATED, NOT_EMULATED

KINDS = ("fault", "http500", "malformed", "drop", "delay")
MAX_DELAY_MS = 60_000
_KEYS = ("operation", "kind", "code", "message", "times", "probability", "seed", "delay_ms")


class DropConnection(Exception):
    """Raised by the WSGI app to have the HTTP server close the connection without answering."""


class InjectionError(ValueError):
    """An injection request that cannot be honoured, described in one line."""


class TooManyInjections(Exception):
    """The instance has `max_injections` active injections already."""


@dataclass
class Injection:
    id: int
    kind: str
    operation: str | None = None
    code: int | None = None
    message: str | None = None
    times: int | None = None  # calls left to fire on; None: unlimited (probability injections)
    probability: float | None = None
    seed: int | None = None
    delay_ms: int = 0
    fired: int = 0
    _random: random.Random | None = field(default=None, repr=False)

    @property
    def error(self) -> MarketoError:
        return MarketoError(self.code, self.message)

    def to_json(self) -> dict:
        return {"id": self.id, "kind": self.kind, "operation": self.operation, "code": self.code,
                "message": self.message, "times": self.times, "probability": self.probability,
                "seed": self.seed, "delay_ms": self.delay_ms, "fired": self.fired}


def _number(payload: dict, key: str, kinds: tuple, low, high=None):
    value = payload.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value):
        raise InjectionError(f"{key}: expected a number, got {value!r}")
    if value < low or (high is not None and value > high):
        bounds = f"from {low} to {high}" if high is not None else f"{low} or more"
        raise InjectionError(f"{key}: expected {bounds}, got {value!r}")
    return value


def injection_from_json(payload, injection_id: int) -> Injection:
    """Check one injection request (a JSON object) and make it an Injection."""
    check_object(payload, _KEYS, "", InjectionError)
    operation = payload.get("operation")
    if operation is not None and operation not in EMULATED + NOT_EMULATED:
        raise InjectionError(f"operation: {operation!r} is not an operation of Marketo's WSDL")
    code = payload.get("code")
    kind = payload.get("kind", "fault" if code is not None else "delay" if "delay_ms" in payload else None)
    if kind not in KINDS:
        raise InjectionError(f"kind: expected one of {', '.join(KINDS)}, got {kind!r}")
    if kind == "fault":
        if isinstance(code, bool) or not isinstance(code, int):
            raise InjectionError(f"code: a fault needs a Marketo error code, got {code!r}")
        if code not in SHORT_TEXTS:
            raise InjectionError(f"code: {code} is not a Marketo error code (known: "
                                 f"{', '.join(map(str, sorted(SHORT_TEXTS)))})")
    elif code is not None:
        raise InjectionError(f"code: only a fault has a code, not kind {kind!r}")
    message = payload.get("message")
    if message is not None and (kind != "fault" or not isinstance(message, str)):
        raise InjectionError("message: only a fault has a message, and it is a string")
    times = _number(payload, "times", (int,), 1)
    probability = _number(payload, "probability", (int, float), 0, 1)
    if probability == 0:  # it would never fire, and so never be used up and removed
        raise InjectionError("probability: expected more than 0 (and at most 1), got 0")
    seed = _number(payload, "seed", (int,), -(2**63))
    if seed is not None and probability is None:
        raise InjectionError("seed: only a probability needs a seed")
    delay_ms = _number(payload, "delay_ms", (int,), 0, MAX_DELAY_MS) or 0
    if kind == "delay" and not delay_ms:
        raise InjectionError("delay_ms: a delay needs delay_ms of 1 or more")
    if probability is None and times is None:
        times = 1
    return Injection(id=injection_id, kind=kind, operation=operation, code=code, message=message, times=times,
                     probability=probability, seed=seed, delay_ms=delay_ms,
                     _random=random.Random(seed) if probability is not None else None)


class FaultInjector:
    """The active injections of one instance, at most `max_injections` of them."""

    def __init__(self, max_injections: int | None = None):
        self._lock = threading.Lock()
        self._injections: list[Injection] = []
        self._ids = itertools.count(1)
        self.max_injections = max_injections

    def add(self, payload) -> Injection:
        injection = injection_from_json(payload, 0)
        with self._lock:
            if self.max_injections is not None and len(self._injections) >= self.max_injections:
                raise TooManyInjections(f"this instance has {len(self._injections)} active injections, the most "
                                        "it may have (control.max_injections); clear them with DELETE /_mock/faults")
            # numbered once accepted: refused requests leave no gaps
            injection.id = next(self._ids)
            self._injections.append(injection)
            return injection

    def active(self) -> list[Injection]:
        with self._lock:
            return list(self._injections)

    def clear(self) -> None:
        with self._lock:
            self._injections.clear()

    def remove(self, injection_id: int) -> bool:
        """Remove one active injection; False if none has this id (spent, removed or never added)."""
        with self._lock:
            kept = [injection for injection in self._injections if injection.id != injection_id]
            removed = len(kept) < len(self._injections)
            self._injections = kept
            return removed

    def pick(self, operation: str | None) -> Injection | None:
        """The injection that fires on this call, if any; spent injections are removed."""
        with self._lock:
            for injection in self._injections:
                if injection.operation is not None and injection.operation != operation:
                    continue
                if injection._random is not None and injection._random.random() >= injection.probability:
                    continue
                injection.fired += 1
                if injection.times is not None:
                    injection.times -= 1
                    if injection.times == 0:
                        self._injections.remove(injection)
                return injection
        return None
