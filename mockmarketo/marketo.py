"""Marketo: the emulated service as a whole, the one object the protocol layers call.

It joins the settings, the lead store and the domain rules: authenticate a caller, then run an
operation inside one store transaction on the caller's instance. Nothing here knows of XML or HTTP.
"""

from __future__ import annotations

import threading
from datetime import datetime
from zoneinfo import ZoneInfo

from mockmarketo.config import Settings
from mockmarketo.domain.activities import Activity, ActivityLog
from mockmarketo.domain.activity_stream import ActivityPage, ActivityQuery, get_lead_activity, get_lead_changes
from mockmarketo.domain.auth import Authenticator, Credentials
from mockmarketo.domain.batch import RecordStatus, RejectedRecord, sync_multiple_leads
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import XS_INT_MAX, Lead, LeadChanges, SyncOutcome
from mockmarketo.domain.lookup import get_lead
from mockmarketo.domain.merge import MergeOutcome, merge_leads
from mockmarketo.domain.seeding import ActivitySeed, seed_activities, seed_leads
from mockmarketo.domain.selection import LeadPage, LeadQuery, get_multiple_leads
from mockmarketo.domain.sync import sync_lead
from mockmarketo.store import LeadStore


class Marketo:
    def __init__(self, settings: Settings, store: LeadStore | None = None):
        self.store = store or LeadStore(settings.database_url)
        self._users_lock = threading.Lock()
        # users added while running (POST /_mock/instances), kept across config changes
        self._run_time_users: dict[str, Credentials] = {}
        self.reconfigure(settings)

    # -- configuration -------------------------------------------------------------------------------

    def reconfigure(self, settings: Settings) -> None:
        """Take new settings (at start, or from PUT /_mock/config); leads and run-time users stay."""
        with self._users_lock:
            # build everything before changing anything: a failure leaves the old config whole
            fields = FieldCatalogue(settings.custom_fields, settings.field_display_names)
            authenticator = self._authenticator(settings)
            zone = ZoneInfo(settings.time_zone)
            self.fields, self.settings, self.authenticator, self.zone = fields, settings, authenticator, zone

    def add_user(self, credentials: Credentials) -> None:
        """Add an API user while running; ValueError if the user id is taken."""
        with self._users_lock:
            if credentials.user_id in self.authenticator.users:
                raise ValueError(f"user id {credentials.user_id!r} is taken")
            self._run_time_users[credentials.user_id] = credentials
            self._publish_users()

    def remove_run_time_users(self, instance: str) -> None:
        with self._users_lock:
            self._run_time_users = {k: c for k, c in self._run_time_users.items() if c.instance != instance}
            self._publish_users()

    def _publish_users(self) -> None:
        # a new Authenticator replaces the old one in one assignment, so a call never sees half a change
        self.authenticator = self._authenticator(self.settings)

    def _authenticator(self, settings: Settings) -> Authenticator:
        users = {**self._run_time_users, **{c.user_id: c for c in settings.credentials}}
        return Authenticator(users, settings.max_clock_skew_seconds)

    @property
    def default_instance(self) -> str:
        """The instance of the first configured user: the control API's instance when none is named."""
        return self.settings.credentials[0].instance

    def instances(self) -> dict[str, bool]:
        """Every instance a user can call, mapped to whether it was added at run time."""
        configured = {c.instance for c in self.settings.credentials}
        found = {c.instance: c.instance not in configured for c in self.authenticator.users.values()}
        return dict(sorted(found.items()))

    # -- operations ----------------------------------------------------------------------------------

    def authenticate(self, user_id: str | None, signature: str | None, timestamp: str | None) -> Credentials:
        return self.authenticator.authenticate(user_id, signature, timestamp)

    def sync_lead(self, caller: Credentials, changes: LeadChanges, cookie: str | None = None,
                  target_workspace: str | None = None) -> SyncOutcome:
        placement = self.settings.workspaces.placement(target_workspace)
        with self.store.transaction(caller.instance, self.settings.first_id) as repo:
            return sync_lead(repo, self.fields, placement, changes, cookie, zone=self.zone)

    def get_lead(self, caller: Credentials, key_type: str, key_value: str) -> list[Lead]:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_lead(repo, key_type, key_value)

    def sync_multiple_leads(self, caller: Credentials, records: list[LeadChanges | RejectedRecord],
                            dedup: bool = True) -> list[RecordStatus]:
        """syncMultipleLeads has no MktowsContextHeader: new leads go where a header-less syncLead puts them."""
        placement = self.settings.workspaces.placement(None)
        with self.store.transaction(caller.instance, self.settings.first_id) as repo:
            return sync_multiple_leads(repo, self.fields, placement, records, dedup, zone=self.zone)

    def get_multiple_leads(self, caller: Credentials, query: LeadQuery) -> LeadPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_multiple_leads(repo, query)

    def get_lead_activity(self, caller: Credentials, key_type: str, key_value: str,
                          query: ActivityQuery) -> ActivityPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_lead_activity(repo, key_type, key_value, query, self.zone)

    def get_lead_changes(self, caller: Credentials, query: ActivityQuery) -> ActivityPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_lead_changes(repo, query)

    def merge_leads(self, caller: Credentials, winner_key: tuple[str, str],
                    loser_keys: list[tuple[str, str]]) -> MergeOutcome:
        with self.store.transaction(caller.instance, self.settings.first_id) as repo:
            return merge_leads(repo, self._activity_log(repo), winner_key, loser_keys)

    def _activity_log(self, repo) -> ActivityLog:
        return ActivityLog(repo.activities, self.fields, self.zone)

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

    def seed_leads(self, instance: str, leads: list[Lead], new_lead_activity: list[bool] = ()) -> list[Lead]:
        """Store leads as given, all or none; domain.seeding.SeedConflict if an identifier is taken. Leads
        flagged in `new_lead_activity` get a New Lead activity."""
        with self.store.transaction(instance, self.settings.first_id) as repo:
            return seed_leads(repo, leads, self._activity_log(repo), new_lead_activity)

    def activities(self, instance: str, *, lead_id: int | None = None, email: str | None = None,
                   type: str | None = None, since: datetime | None = None) -> list[Activity]:
        """An instance's activities, oldest first, filtered by lead id, lead email (any case), type
        (display name) and time (from `since`, naive UTC)."""
        with self.store.transaction(instance, write=False) as repo:
            lead_ids = None if lead_id is None else [lead_id]
            if email is not None:
                lead_ids = [lead.id for lead in repo.by_email(email) if lead_ids is None or lead.id in lead_ids]
            return repo.activities.select(lead_ids=lead_ids, types=None if type is None else [type], since=since)

    def seed_activities(self, instance: str, seeds: list[ActivitySeed]) -> list[Activity]:
        """Store activities, all or none; domain.seeding.UnknownLead if one names no lead."""
        with self.store.transaction(instance, self.settings.first_id) as repo:
            return seed_activities(repo, seeds)

    def drop_activities(self, instance: str) -> None:
        """Clear the instance's activity log (its leads stay; activity ids are not reused)."""
        with self.store.transaction(instance, self.settings.first_id) as repo:
            repo.activities.delete_all()

    def drop_leads(self, instance: str) -> None:
        self.store.drop_instance(instance)
