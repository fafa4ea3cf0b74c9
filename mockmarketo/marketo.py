"""Marketo: the emulated service as a whole, the one object the protocol layers call.

It joins the settings, the lead store and the domain rules: authenticate a caller, then run an
operation inside one store transaction on the caller's instance. Nothing here knows of XML or HTTP.
"""

from __future__ import annotations

from mockmarketo.config import Settings
from mockmarketo.domain.auth import Authenticator, Credentials
from mockmarketo.domain.batch import RecordStatus, RejectedRecord, check_batch_size, sync_multiple_leads
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.leads import Lead, LeadChanges, SyncOutcome
from mockmarketo.domain.lookup import get_lead
from mockmarketo.domain.selection import LeadPage, LeadQuery, get_multiple_leads
from mockmarketo.domain.sync import sync_lead
from mockmarketo.store import LeadStore


class Marketo:
    def __init__(self, settings: Settings, store: LeadStore | None = None):
        self.settings = settings
        self.store = store or LeadStore(settings.database_url)
        self.fields = FieldCatalogue(settings.custom_fields)
        self.authenticator = Authenticator({c.user_id: c for c in settings.credentials},
                                           settings.max_clock_skew_seconds)

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
        check_batch_size(len(records))
        placement = self.settings.workspaces.placement(None)
        with self.store.transaction(caller.instance, self.settings.first_id) as repo:
            return sync_multiple_leads(repo, self.fields, placement, records, dedup)

    def get_multiple_leads(self, caller: Credentials, query: LeadQuery) -> LeadPage:
        with self.store.transaction(caller.instance, write=False) as repo:
            return get_multiple_leads(repo, query)

    def attribute_type(self, name: str) -> str:
        return self.fields.type_of(name) if name in self.fields else "string"
