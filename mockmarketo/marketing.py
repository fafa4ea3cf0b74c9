"""Marketing: the list, campaign, import, channel and tag operations of the emulated service, and the
test double's view of them (`Marketo.marketing`).

Like Marketo itself, it authenticates nothing and knows no XML: each method runs one store transaction
on one instance, with the instance's assets (domain.catalogue), its activity log, and the mock's clock
(the app's injectable clock). Work that falls due later (delayed and scheduled campaign runs, imports
with a duration) is done by a JobRunner thread, by a status call that finds it due, or at once through
`run_pending` (the control API's POST /_mock/run-pending).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from mockmarketo.domain.activities import ActivityLog
from mockmarketo.domain.assets import Campaign, Channel, Program, StaticList, TagType
from mockmarketo.domain.auth import Credentials
from mockmarketo.domain.campaigns import (
    CampaignRequest, ScheduleRequest, campaigns_for_source, request_campaign, schedule_campaign,
)
from mockmarketo.domain.catalogue import AssetCatalogue, AssetError
from mockmarketo.domain.channels import get_channels, get_tags
from mockmarketo.domain.context import OperationContext
from mockmarketo.domain.flows import execute_run
from mockmarketo.domain.imports import ImportRequest, import_status, import_to_list, process_import
from mockmarketo.domain.jobs import CampaignRun, ListImport
from mockmarketo.domain.static_lists import ListRequest, ListResult, add_members, find_list, list_operation
from mockmarketo.job_runner import JobRunner


class Marketing:
    def __init__(self, marketo, clock: Callable[[], float]):
        self._marketo = marketo
        self.clock = clock
        self.runner = JobRunner(self.run_due)
        with self._marketo.store.transaction("", write=False) as repo:
            if repo.marketing.instances_with_jobs():  # a database that outlived its server
                self.runner.wake()

    def now(self) -> datetime:
        """The mock's clock, as the store keeps times (naive UTC)."""
        return datetime.fromtimestamp(self.clock(), timezone.utc).replace(tzinfo=None)

    @contextmanager
    def _context(self, instance: str, write: bool = True) -> Iterator[OperationContext]:
        marketo = self._marketo
        settings = marketo.settings
        with marketo.store.transaction(instance, settings.first_id, write=write) as repo:
            assets = AssetCatalogue(settings.assets, repo.marketing.assets, marketo.fields)
            yield OperationContext(repo, assets, ActivityLog(repo.activities, marketo.fields, marketo.zone),
                                   self.now, settings.workspaces.placement(None))

    def close(self) -> None:
        self.runner.close()

    # -- operations ----------------------------------------------------------------------------------

    def list_operation(self, caller: Credentials, request: ListRequest) -> ListResult:
        with self._context(caller.instance) as ctx:
            return list_operation(ctx, request)

    def _later(self, instance: str, operation, request, delay_ms: int):
        """Run an operation that leaves work `delay_ms` later (0: none), and have the runner look for it."""
        delay = timedelta(milliseconds=delay_ms)
        with self._context(instance) as ctx:
            result = operation(ctx, request, delay)
        if delay:
            self.runner.wake()
        return result

    def request_campaign(self, caller: Credentials, request: CampaignRequest) -> CampaignRun:
        return self._later(caller.instance, request_campaign, request, self._marketo.settings.campaign_run_delay_ms)

    def schedule_campaign(self, caller: Credentials, request: ScheduleRequest) -> CampaignRun:
        with self._context(caller.instance) as ctx:
            run = schedule_campaign(ctx, request)
        self.runner.wake()
        return run

    def campaigns_for_source(self, caller: Credentials, source: str | None, name: str | None,
                             exact: bool | None) -> list[Campaign]:
        with self._context(caller.instance, write=False) as ctx:
            return campaigns_for_source(ctx.assets, source, name, exact)

    def import_to_list(self, caller: Credentials, request: ImportRequest) -> ListImport:
        return self._later(caller.instance, import_to_list, request, self._marketo.settings.import_duration_ms)

    def import_status(self, caller: Credentials, program: str | None, list_name: str | None) -> ListImport:
        with self._context(caller.instance) as ctx:
            return import_status(ctx, program, list_name)

    def channels(self, caller: Credentials, names: list[str] | None) -> list[Channel]:
        with self._context(caller.instance, write=False) as ctx:
            return get_channels(ctx.assets, names)

    def tags(self, caller: Credentials, filters: list[tuple[str | None, list[str]]] | None) -> list[TagType]:
        with self._context(caller.instance, write=False) as ctx:
            return get_tags(ctx.assets, filters)

    # -- work that falls due -------------------------------------------------------------------------

    def run_due(self) -> bool:
        """Run every instance's due campaign runs and imports; whether any work is still pending."""
        with self._marketo.store.transaction("", write=False) as repo:
            instances = repo.marketing.instances_with_jobs()
        now = self.now()
        for instance, earliest in instances.items():
            if earliest <= now:
                self.run_pending(instance, until=now)
        return bool(instances)

    def run_pending(self, instance: str, until: datetime | None = None) -> tuple[list[CampaignRun], list[ListImport]]:
        """Run the instance's pending campaign runs and imports due by `until` (None: all of them, now),
        the earliest due first (an import before the run it was made for); what ran."""
        with self._context(instance) as ctx:
            marketing = ctx.repo.marketing
            jobs = [job for job in [*marketing.imports.pending(), *marketing.runs.pending()]
                    if until is None or job.due_at <= until]
            jobs.sort(key=lambda job: (job.due_at, isinstance(job, CampaignRun)))
            for job in jobs:
                (execute_run if isinstance(job, CampaignRun) else process_import)(ctx, job)
        return ([job for job in jobs if isinstance(job, CampaignRun)],
                [job for job in jobs if isinstance(job, ListImport)])

    # -- test-double state (the control API) ---------------------------------------------------------

    def assets(self, instance: str) -> tuple[list[Program], list[StaticList], list[Campaign]]:
        with self._context(instance, write=False) as ctx:
            return ctx.assets.programs(), ctx.assets.lists(), ctx.assets.campaigns()

    def add_assets(self, instance: str, assets: list) -> list:
        """Add programs, lists or campaigns, all or none (domain.catalogue.AssetError)."""
        with self._context(instance) as ctx:
            for index, asset in enumerate(assets):
                try:
                    ctx.assets.add(asset, ctx.now)
                except AssetError as error:
                    error.index = index
                    raise
        return assets

    def list_members(self, instance: str, list_id: int) -> list[int]:
        with self._context(instance, write=False) as ctx:
            return ctx.members.members(find_list(ctx.assets, list_id=list_id).id)

    def lists_of_lead(self, instance: str, lead_id: int) -> list[StaticList]:
        """The static lists the lead is a member of, by id."""
        with self._context(instance, write=False) as ctx:
            list_ids = {list_id for list_id, _lead, _added in ctx.members.of_leads([lead_id])}
            return [static_list for static_list in ctx.assets.lists() if static_list.id in list_ids]

    def add_list_members(self, instance: str, list_id: int, lead_ids: list[int]) -> list[int]:
        """Put leads in a list without activities; the ids added (KeyError naming an unknown lead)."""
        with self._context(instance) as ctx:
            static_list = find_list(ctx.assets, list_id=list_id)
            for lead_id in lead_ids:
                if ctx.repo.by_id(lead_id) is None:
                    raise KeyError(lead_id)
            return add_members(ctx, static_list, lead_ids, log=False)

    def campaign_runs(self, instance: str, campaign_id: int | None = None,
                      lead_id: int | None = None) -> list[CampaignRun]:
        """The instance's campaign runs, oldest first (due ones are run first)."""
        self.run_pending(instance, until=self.now())
        with self._context(instance, write=False) as ctx:
            runs = ctx.repo.marketing.runs.all(campaign_id)
        return [run for run in runs if lead_id is None or lead_id in run.leads]
