"""Isolated instances: each has its own leads (in the store), journal, injected faults and limit
counters. Instances come from the configured users (`instance` of `[[auth.users]]`) or are created
while running with fresh random credentials (POST /_mock/instances)."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from mockmarketo.control.faults import FaultInjector
from mockmarketo.control.journal import Journal
from mockmarketo.control.journal_budget import JournalBudget
from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.limits import CallLimiter
from mockmarketo.marketo import Marketo


class UnknownInstance(LookupError):
    """No user can call an instance of this name."""


@dataclass
class InstanceState:
    """What the test double keeps for one instance besides its leads."""

    name: str
    journal: Journal
    faults: FaultInjector
    limiter: CallLimiter


def _munchkin_id() -> str:
    """A fresh instance name in the shape of a Munchkin id, e.g. `483-KQZ-917`."""
    letters = "".join(secrets.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(3))
    return f"{secrets.randbelow(900) + 100}-{letters}-{secrets.randbelow(900) + 100}"


class Instances:
    """Every instance's state, created on first use. Thread-safe."""

    def __init__(self, marketo: Marketo, clock: Callable[[], float] = time.time):
        self.marketo = marketo
        self.clock = clock
        self._lock = threading.Lock()
        self._states: dict[str, InstanceState] = {}
        self.journal_budget = JournalBudget(marketo.settings.journal_max_bytes)

    @property
    def default(self) -> str:
        return self.marketo.default_instance

    def get(self, name: str | None = None) -> InstanceState:
        """The state of a known instance (default: the default instance); UnknownInstance otherwise."""
        name = self.default if name is None else name
        if not self.marketo.has_instance(name):
            raise UnknownInstance(name)
        return self._state(name)

    def of_user(self, user_id: str | None) -> tuple[InstanceState, bool]:
        """The state of the instance a SOAP caller claims, and whether the user id is known at all
        (unknown and missing user ids get the default instance)."""
        credentials = self.marketo.authenticator.users.get(user_id) if user_id else None
        if credentials is None:
            return self._state(self.default), False
        return self._state(credentials.instance), True

    def _state(self, name: str) -> InstanceState:
        with self._lock:
            state = self._states.get(name)
            if state is None:
                marketo = self.marketo
                state = InstanceState(name, Journal(marketo.settings.journal_size, self.journal_budget),
                                      FaultInjector(marketo.settings.max_injections),
                                      CallLimiter(lambda: marketo.settings.limits, self.clock))
                self._states[name] = state
            return state

    def create(self, name: str | None = None) -> Credentials:
        """A new instance with new credentials; ValueError if the name is taken or `max_instances` run-time
        instances exist already."""
        with self._lock:
            limit = self.marketo.settings.max_instances
            if self.marketo.run_time_instance_count() >= limit:
                raise ValueError(f"{limit} instances created at run time exist already (control.max_instances); "
                                 "delete the ones you no longer need")
            if name is None:
                name = _munchkin_id()
                while self.marketo.has_instance(name):
                    name = _munchkin_id()
            elif self.marketo.has_instance(name):
                raise ValueError(f"instance {name!r} exists already")
            credentials = Credentials(f"mockmarketo_{secrets.token_hex(12)}", secrets.token_hex(20), name)
            self.marketo.add_user(credentials)
        try:
            self.marketo.drop_leads(name)  # leads an earlier instance of this name left in a database file
        except BaseException:
            self.marketo.remove_run_time_users(name)
            raise
        return credentials

    def reset(self, name: str) -> None:
        """Drop the instance's leads, journal, injected faults and limit counters."""
        state = self.get(name)
        self.marketo.drop_leads(name)
        state.journal.clear()
        state.faults.clear()
        state.limiter.reset()

    def delete(self, name: str) -> None:
        """Forget an instance created at run time, with its users and leads; ValueError for configured ones."""
        if not self.marketo.is_run_time_instance(name):
            self.get(name)
            raise ValueError(f"instance {name!r} is configured, not created at run time; it cannot be deleted")
        self.marketo.remove_run_time_users(name)
        self.marketo.drop_leads(name)
        with self._lock:
            state = self._states.pop(name, None)
        if state is not None:
            state.journal.clear()  # its bytes go back to the shared budget

    def resize_journals(self, size: int) -> None:
        with self._lock:
            states = list(self._states.values())
        for state in states:
            state.journal.resize(size)
