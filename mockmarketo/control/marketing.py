"""The control API's routes for marketing assets and what campaigns did (registered by ControlApi):

    GET    /_mock/programs                 the instance's programs (configured and added), by id
    POST   /_mock/programs                 add a program, or a list of them (the config file's keys)
    GET    /_mock/lists                    the static lists (filter: lead, the lists it is a member of)
    POST   /_mock/lists                    add static lists
    GET    /_mock/lists/<id>/members       the ids of the list's leads, ascending
    POST   /_mock/lists/<id>/members       put leads (a JSON list of ids) in the list, without activities
    GET    /_mock/campaigns                the smart campaigns
    POST   /_mock/campaigns                add campaigns
    GET    /_mock/campaign-runs            the campaign runs, oldest first (filters: campaign, lead)
    POST   /_mock/run-pending              run every pending campaign run and import now, whatever its time

What is added lives in the instance and goes with its reset; an asset whose id or name is taken is 409,
one naming a program, list, channel, tag or field that does not exist is 400.
"""

from __future__ import annotations

import re

from werkzeug.wrappers import Request

from mockmarketo.asset_config import campaign_from, list_from, program_from
from mockmarketo.config import ConfigError
from mockmarketo.control.api import ControlError
from mockmarketo.control.leads import time_json
from mockmarketo.domain.assets import Campaign, Program, StaticList, asset_data
from mockmarketo.domain.catalogue import AssetError
from mockmarketo.domain.errors import MarketoError
from mockmarketo.domain.jobs import CampaignRun, ListImport
from mockmarketo.domain.leads import XS_INT_MAX

_LIST_ID = re.compile(r"^/_mock/lists/(\d+)/members/?$")
MEMBERS_ROUTE = "lists/<id>/members"


def asset_json(asset: Program | StaticList | Campaign) -> dict:
    data = asset_data(asset)
    if isinstance(asset, Program):
        data.update(created_at=time_json(asset.created_at), updated_at=time_json(asset.updated_at))
    if isinstance(asset, Campaign):
        data["full_name"] = asset.full_name
    return data


def run_json(run: CampaignRun) -> dict:
    return {"id": run.id, "campaign": run.campaign_id, "name": run.campaign, "program": run.program,
            "source": run.source, "leads": list(run.leads), "tokens": dict(run.tokens),
            "at": time_json(run.ran_at or run.due_at), "created_at": time_json(run.created_at),
            "outcome": run.status, "errors": list(run.errors)}


def import_json(job: ListImport) -> dict:
    return {"id": job.id, "program": job.program, "list": job.list_id, "status": job.status,
            "rows": len(job.rows), "imported": job.imported, "failed": job.failed, "ignored": job.ignored,
            "summary": job.summary, "started_at": time_json(job.started_at), "ended_at": time_json(job.ended_at)}


class MarketingRoutes:
    def __init__(self, api):
        self.api = api
        self.marketing = api.marketo.marketing

    def routes(self) -> dict:
        return {
            "programs": {"GET": self.get_programs, "POST": self.add(program_from, "program")},
            "lists": {"GET": self.get_lists, "POST": self.add(list_from, "list")},
            MEMBERS_ROUTE: {"GET": self.get_members, "POST": self.add_members},
            "campaigns": {"GET": self.get_campaigns, "POST": self.add(campaign_from, "campaign")},
            "campaign-runs": {"GET": self.get_runs},
            "run-pending": {"POST": self.run_pending},
        }

    def _assets(self, request: Request, index: int) -> list:
        self.api._args(request, ())
        return [asset_json(asset) for asset in self.marketing.assets(self.api._instance_name(request))[index]]

    def get_programs(self, request: Request):
        return 200, self._assets(request, 0)

    def get_lists(self, request: Request):
        args = self.api._args(request, ("lead",))
        if "lead" not in args:
            return 200, self._assets(request, 1)
        lists = self.marketing.lists_of_lead(self.api._instance_name(request), self.api._int("lead", args["lead"]))
        return 200, [asset_json(static_list) for static_list in lists]

    def get_campaigns(self, request: Request):
        return 200, self._assets(request, 2)

    def add(self, reader, kind: str):
        def handler(request: Request):
            self.api._args(request, ())
            name = self.api._instance_name(request)
            payload = self.api._body(request)
            items = payload if isinstance(payload, list) else [payload]
            wheres = [f"{kind}[{index}]" if isinstance(payload, list) else kind for index in range(len(items))]
            try:
                assets = [reader(item, where) for item, where in zip(items, wheres)]
            except ConfigError as error:
                raise ControlError(400, str(error)) from None
            try:
                added = self.marketing.add_assets(name, assets)
            except AssetError as error:
                raise ControlError(409 if error.conflict else 400, f"{wheres[error.index]}.{error}") from None
            answer = [asset_json(asset) for asset in added]
            return 201, answer if isinstance(payload, list) else answer[0]
        return handler

    def _list_id(self, request: Request) -> int:
        return self.api._int("list id", _LIST_ID.match(request.path).group(1))

    def get_members(self, request: Request):
        self.api._args(request, ())
        try:
            return 200, self.marketing.list_members(self.api._instance_name(request), self._list_id(request))
        except MarketoError:
            raise ControlError(404, f"no static list {self._list_id(request)}") from None

    def add_members(self, request: Request):
        self.api._args(request, ())
        name = self.api._instance_name(request)
        lead_ids = self.api._body(request)
        if not isinstance(lead_ids, list) or not all(
                isinstance(i, int) and not isinstance(i, bool) and 0 < i <= XS_INT_MAX for i in lead_ids):
            raise ControlError(400, f"expected a JSON list of lead ids (1 to {XS_INT_MAX}), got {lead_ids!r}")
        try:
            added = self.marketing.add_list_members(name, self._list_id(request), lead_ids)
        except MarketoError:
            raise ControlError(404, f"no static list {self._list_id(request)}") from None
        except KeyError as error:
            raise ControlError(400, f"no lead {error.args[0]}") from None
        return 200, {"added": added}

    def get_runs(self, request: Request):
        args = self.api._args(request, ("campaign", "lead"))
        runs = self.marketing.campaign_runs(
            self.api._instance_name(request),
            campaign_id=self.api._int("campaign", args["campaign"]) if "campaign" in args else None,
            lead_id=self.api._int("lead", args["lead"]) if "lead" in args else None)
        return 200, [run_json(run) for run in runs]

    def run_pending(self, request: Request):
        self.api._args(request, ())
        runs, imports = self.marketing.run_pending(self.api._instance_name(request))
        return 200, {"campaign_runs": [run_json(run) for run in runs], "imports": [import_json(job) for job in imports]}

