"""Marketo: the emulated service as a whole, the one object the protocol layers call.

It joins the settings, the lead store and the domain rules: authenticate a caller, then run an
operation inside one store transaction on the caller's instance. Nothing here knows of XML or HTTP.
"""

from __future__ import annotations

import threading

from mockmarketo.config import Settings
from mockmarketo.domain.auth import Authenticator, Credentials
from mockmarketo.domain.batch import RecordStatus, RejectedRecord, sync_multiple_leads
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import XS_INT_MAX, Lead, LeadChanges, SyncOutcome
from mockmarketo.domain.lookup import get_lead
from mockmarketo.domain.seeding import seed_leads
from mockmarketo.domain.selection import LeadPage, LeadQuery, get_multiple_leads
from mockmarketo.domain.sync import sync_lead
from mockmarketo.store import LeadStore


class Marketo:
    def __init__(self, settings: Settings, store: LeadStore | None = None):
        self.store = store or LeadStore(settings.database_url, timeout=settings.database_timeout_seconds)
        self._users_lock = threading.Lock()
        # users added while running (POST /_mock/instances), kept across config changes, and an index of
        # their instances: finding, adding and deleting one takes the same time with 20,000 as with one
        self._run_time_users: dict[str, Credentials] = {}
        self._run_time_instances: dict[str, list[str]] = {}  # instance -> its user ids
        self._configured_instances: frozenset[str] = frozenset()
        self.reconfigure(settings)

    # -- configuration -------------------------------------------------------------------------------

    def reconfigure(self, settings: Settings) -> None:
        """Take new settings (at start, or from PUT /_mock/config); leads and run-time users stay."""
        with self._users_lock:
            # build everything before changing anything: a failure leaves the old config whole
            fields = FieldCatalogue(settings.custom_fields, settings.field_display_names)
            authenticator = self._authenticator(settings)
            self.fields, self.settings, self.authenticator = fields, settings, authenticator
            self._configured_instances = frozenset(c.instance for c in settings.credentials)

    def add_user(self, credentials: Credentials) -> None:
        """Add an API user while running; ValueError if the user id is taken."""
        with self._users_lock:
            if credentials.user_id in self.authenticator.users:
                raise ValueError(f"user id {credentials.user_id!r} is taken")
            self._run_time_users[credentials.user_id] = credentials
            self._run_time_instances.setdefault(credentials.instance, []).append(credentials.user_id)
            # one assignment to the live mapping: a call sees the user, or not yet
            self.authenticator.users[credentials.user_id] = credentials

    def remove_run_time_users(self, instance: str) -> None:
        with self._users_lock:
            users = self.authenticator.users
            for user_id in self._run_time_instances.pop(instance, []):
                credentials = self._run_time_users.pop(user_id)
                if users.get(user_id) is credentials:  # not a configured user of the same id
                    del users[user_id]

    def _authenticator(self, settings: Settings) -> Authenticator:
        users = {**self._run_time_users, **{c.user_id: c for c in settings.credentials}}
        return Authenticator(users, settings.max_clock_skew_seconds)

    @property
    def default_instance(self) -> str:
        """The instance of the first configured user: the control API's instance when none is named."""
        return self.settings.credentials[0].instance

    def instances(self) -> dict[str, bool]:
        """Every instance a user can call, mapped to whether it was added at run time."""
        configured = self._configured_instances
        found = {**{name: True for name in self._run_time_instances}, **{name: False for name in configured}}
        return dict(sorted(found.items()))

    def has_instance(self, name: str) -> bool:
        return name in self._configured_instances or name in self._run_time_instances

    def is_run_time_instance(self, name: str) -> bool:
        """Whether the instance was created at run time (and is not also a configured one)."""
        return name in self._run_time_instances and name not in self._configured_instances

    def run_time_instance_count(self) -> int:
        return len(self._run_time_instances)

    # -- operations ----------------------------------------------------------------------------------

    def authenticate(self, user_id: str | None, signature: str | None, timestamp: str | None) -> Credentials:
        return self.authenticator.authenticate(user_id, signature, timestamp)

    def sync_lead(self, caller: Credentials, changes: LeadChanges, cookie: str | None = None,
                  target_workspace: str | None = None) -> SyncOutcome:
        placement = self.settings.workspaces.placement(target_workspace)
        with self.store.transaction(caller.instance, self.settings.first_id) as repo:
            return sync_lead(repo, self.fields, placement, changes, cookie)

    def get_lead(self, caller: Credentials, key_type: str, key_value: str) -> list[Lead]:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_lead(repo, key_type, key_value)

    def sync_multiple_leads(self, caller: Credentials, records: list[LeadChanges | RejectedRecord],
                            dedup: bool = True) -> list[RecordStatus]:
        """syncMultipleLeads has no MktowsContextHeader: new leads go where a header-less syncLead puts them."""
        placement = self.settings.workspaces.placement(None)
        with self.store.transaction(caller.instance, self.settings.first_id) as repo:
            return sync_multiple_leads(repo, self.fields, placement, records, dedup)

    def get_multiple_leads(self, caller: Credentials, query: LeadQuery) -> LeadPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_multiple_leads(repo, query)

    def attribute_type(self, name: str) -> str:
        return self.fields.type_of(name) if name in self.fields else "string"

    # -- test-double state (the control API) ---------------------------------------------------------

    def leads(self, instance: str, *, email: str | None = None, lead_id: int | None = None,
              partition: str | None = None) -> list[Lead]:
        """An instance's leads, oldest id first, filtered by email (any case), id and partition."""
        with self.store.transaction(instance, write=False) as repo:
            if lead_id is not None:
                lead = repo.by_id(lead_id) if 0 < lead_id <= XS_INT_MAX else None
                found = [lead] if lead is not None else []
            elif email is not None:
                found = sorted(repo.by_email(email), key=lambda lead: lead.id)
            else:
                found = repo.all(partition=partition, order_by_id=True)
        return [lead for lead in found
                if (email is None or (lead.email or "").lower() == email.lower())
                and (partition is None or lead.partition == partition)]

    def seed_leads(self, instance: str, leads: list[Lead]) -> list[Lead]:
        """Store leads as given, all or none; domain.seeding.SeedConflict if an identifier is taken."""
        with self.store.transaction(instance, self.settings.first_id) as repo:
            return seed_leads(repo, leads)

    def drop_leads(self, instance: str) -> None:
        self.store.drop_instance(instance)
