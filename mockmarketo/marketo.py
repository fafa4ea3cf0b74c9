"""Marketo: the emulated service as a whole, the one object the protocol layers call.

It joins the settings, the lead store and the domain rules: authenticate a caller, then run an
operation inside one store transaction on the caller's instance. Nothing here knows of XML or HTTP.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import contextmanager
from datetime import datetime
from zoneinfo import ZoneInfo

from mockmarketo.config import Settings
from mockmarketo.domain import custom_objects, describe, mobjects
from mockmarketo.domain.activities import Activity, ActivityLog
from mockmarketo.domain.activity_stream import ActivityPage, ActivityQuery, get_lead_activity, get_lead_changes
from mockmarketo.domain.auth import Authenticator, Credentials
from mockmarketo.domain.batch import RecordStatus, RejectedRecord, sync_multiple_leads
from mockmarketo.domain.catalogue import AssetCatalogue
from mockmarketo.domain.custom_object_types import CustomObjectTypes
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import XS_INT_MAX, Lead, LeadChanges, SyncOutcome
from mockmarketo.domain.lookup import get_lead
from mockmarketo.domain.program_mobjects import Programs
from mockmarketo.domain.merge import MergeOutcome, merge_leads
from mockmarketo.domain.seeding import ActivitySeed, seed_activities, seed_leads
from mockmarketo.domain.selection import LeadPage, LeadQuery, get_multiple_leads
from mockmarketo.domain.sync import sync_lead
from mockmarketo.marketing import Marketing
from mockmarketo.store import LeadStore
from mockmarketo.store.custom_object_store import CustomObjectRepository
from mockmarketo.store.mobject_store import MObjectRepository


class Marketo:
    def __init__(self, settings: Settings, store: LeadStore | None = None,
                 clock: Callable[[], float] = time.time):
        self.store = store or LeadStore(settings.database_url, timeout=settings.database_timeout_seconds)
        self._users_lock = threading.Lock()
        # users added while running (POST /_mock/instances), kept across config changes, and an index of
        # their instances: finding, adding and deleting one takes the same time with 20,000 as with one
        self._run_time_users: dict[str, Credentials] = {}
        self._run_time_instances: dict[str, list[str]] = {}  # instance -> its user ids
        self._configured_instances: frozenset[str] = frozenset()
        self.reconfigure(settings)
        # programs, lists, campaigns, imports, channels, tags (and their background work)
        self.marketing = Marketing(self, clock)

    # -- configuration -------------------------------------------------------------------------------

    def reconfigure(self, settings: Settings) -> None:
        """Take new settings (at start, or from PUT /_mock/config); leads and run-time users stay."""
        with self._users_lock:
            # build everything before changing anything: a failure leaves the old config whole
            fields = FieldCatalogue(settings.custom_fields, settings.field_display_names)
            custom_object_types = CustomObjectTypes(settings.custom_objects)
            authenticator = self._authenticator(settings)
            zone = ZoneInfo(settings.time_zone)
            (self.fields, self.custom_object_types, self.settings, self.authenticator,
             self.zone) = fields, custom_object_types, settings, authenticator, zone
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
            return get_multiple_leads(repo, query, self.settings.assets)

    # -- custom objects and MObjects (domain.custom_objects, domain.mobjects, domain.describe) ---------

    @contextmanager
    def objects(self, instance: str, kind, *, write: bool = True):
        """A CustomObjectRepository or MObjectRepository (`kind`) in one store transaction on an instance."""
        with self.store.transaction(instance, self.settings.first_id, write=write) as repo:
            yield kind(repo)

    def sync_custom_objects(self, caller: Credentials, type_name: str | None,
                            records: list[custom_objects.CustomObjectInput], operation: str | None):
        object_type = self.custom_object_types.get(type_name)
        with self.objects(caller.instance, CustomObjectRepository) as repo:
            return object_type, custom_objects.sync_custom_objects(repo, object_type, records, operation)

    def get_custom_objects(self, caller: Credentials, type_name: str | None, query: custom_objects.CustomObjectQuery):
        object_type = self.custom_object_types.get(type_name)
        with self.objects(caller.instance, CustomObjectRepository, write=False) as repo:
            return object_type, custom_objects.get_custom_objects(repo, object_type, query)

    def delete_custom_objects(self, caller: Credentials, type_name: str | None, key_lists: list):
        object_type = self.custom_object_types.get(type_name)
        with self.objects(caller.instance, CustomObjectRepository) as repo:
            return object_type, custom_objects.delete_custom_objects(repo, object_type, key_lists)

    def sync_mobjects(self, caller: Credentials, objects: list[mobjects.MObjectInput], operation: str | None):
        with self.objects(caller.instance, MObjectRepository) as repo:
            return mobjects.sync_mobjects(repo, objects, operation, self._programs(repo))

    def get_mobjects(self, caller: Credentials, query: mobjects.MObjectQuery) -> mobjects.MObjectPage:
        with self.objects(caller.instance, MObjectRepository, write=False) as repo:
            return mobjects.get_mobjects(repo, query, self._programs(repo))

    def _programs(self, repo: MObjectRepository) -> Programs:
        """The programs of Program MObjects, in the transaction of `repo`."""
        catalogue = AssetCatalogue(self.settings.assets, repo.leads.marketing.assets, self.fields)
        return Programs(catalogue, self.settings.workspaces, self.marketing.now())

    def delete_mobjects(self, caller: Credentials, objects: list[mobjects.MObjectInput]):
        with self.objects(caller.instance, MObjectRepository) as repo:
            return mobjects.delete_mobjects(repo, objects)

    def describe_mobject(self, object_name: str | None) -> describe.ObjectMetadata:
        return describe.describe(object_name, self.fields)

    # -- the activity log and merging (domain.activity_stream, domain.merge) -------------------------

    def get_lead_activity(self, caller: Credentials, key_type: str, key_value: str,
                          query: ActivityQuery) -> ActivityPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_lead_activity(repo, key_type, key_value, query, self.zone)

    def get_lead_changes(self, caller: Credentials, query: ActivityQuery) -> ActivityPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_lead_changes(repo, query, self.settings.assets)

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
              partition: str | None = None, foreign_id: str | None = None, after_id: int | None = None,
              limit: int | None = None) -> list[Lead]:
        """An instance's leads, oldest id first, filtered by email (any case), id, partition and foreign
        system person id; with after_id and limit, the first `limit` of those whose id is above after_id."""
        with self.store.transaction(instance, write=False) as repo:
            if lead_id is not None:
                lead = repo.by_id(lead_id) if 0 < lead_id <= XS_INT_MAX else None
                found = [lead] if lead is not None else []
            elif email is not None:
                found = sorted(repo.by_email(email), key=lambda lead: lead.id)
            elif foreign_id is not None:
                lead = repo.by_foreign_id(foreign_id)
                found = [lead] if lead is not None else []
            else:
                found = repo.all(partition=partition, after_id=after_id, limit=limit, order_by_id=True)
        found = [lead for lead in found
                 if (email is None or (lead.email or "").lower() == email.lower())
                 and (partition is None or lead.partition == partition)
                 and (foreign_id is None or lead.foreign_sys_person_id == foreign_id)
                 and (after_id is None or lead.id > after_id)]
        return found[:limit] if limit is not None else found

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

    def close(self) -> None:
        """Stop the background work, then close the store."""
        self.marketing.close()
        self.store.close()
