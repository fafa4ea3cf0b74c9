"""OperationContext: what a list, campaign or import operation works with inside one store transaction of
one instance: the store, the instance's assets, its activity log, and the mock's clock."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from mockmarketo.domain.activities import ActivityLog
from mockmarketo.domain.catalogue import AssetCatalogue
from mockmarketo.domain.fields import FieldCatalogue
from mockmarketo.domain.workspaces import Placement


@dataclass
class OperationContext:
    repo: object  # the store's LeadRepository of the transaction
    assets: AssetCatalogue
    log: ActivityLog
    clock: Callable[[], datetime]  # the mock's clock, naive UTC
    placement: Placement  # where new leads go (importToList)

    @property
    def now(self) -> datetime:
        """The time now (read anew: activities written one after the other keep their order)."""
        return self.clock()

    @property
    def fields(self) -> FieldCatalogue:
        return self.log.fields

    @property
    def members(self):
        """The store's ListMemberRepository of the instance."""
        return self.repo.marketing.members
