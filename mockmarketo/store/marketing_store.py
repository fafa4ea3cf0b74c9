"""MarketingRepository: one instance's marketing side inside one store transaction (`repo.marketing` of a
LeadRepository, sharing its transaction and write lock): run-time assets, static-list members, campaign
runs and list imports."""

from __future__ import annotations

from sqlalchemy.engine import Connection

from mockmarketo.store.asset_store import AssetRepository, ListMemberRepository
from mockmarketo.store.job_store import CampaignRunRepository, ImportRepository, instances_with_jobs


class MarketingRepository:
    def __init__(self, conn: Connection, instance: str, lock):
        self._conn = conn
        self.assets = AssetRepository(conn, instance, lock)
        self.members = ListMemberRepository(conn, instance, lock)
        self.runs = CampaignRunRepository(conn, instance, lock)
        self.imports = ImportRepository(conn, instance, lock)

    def instances_with_jobs(self):
        """Every instance with work pending, and when the earliest is due (not only this instance's)."""
        return instances_with_jobs(self._conn)

    def delete_all(self) -> None:
        self.runs.delete_all()
        self.imports.delete_all()
        self.members.delete_all()
        self.assets.delete_all()
