"""The database schema: tables, indexes and the schema version they carry."""

from __future__ import annotations

from sqlalchemy import (
    Column, DateTime, ForeignKeyConstraint, Index, Integer, MetaData, String, Table, Text, UniqueConstraint,
)

# Bump when the tables change; a database of another version is refused (see LeadStore.open).
SCHEMA_VERSION = 2

metadata = MetaData()

schema_info = Table(
    "mockmarketo_schema",
    metadata,
    Column("version", Integer, nullable=False),
)

instances = Table(
    "instances",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("next_lead_id", Integer, nullable=False),
    Column("next_activity_id", Integer, nullable=False, default=1),
)

leads = Table(
    "leads",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("email", Text),
    # lower-cased email: Marketo matches email addresses without regard to case
    Column("email_key", Text),
    Column("foreign_sys_person_id", Text),
    Column("foreign_sys_type", String(20)),
    Column("partition", String(200), nullable=False),
    Column("attributes", Text, nullable=False),  # JSON object: field name -> value
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("updated_at", DateTime(timezone=False), nullable=False),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
    # every identifier but Email is a unique key (facts §9.1)
    UniqueConstraint("instance", "foreign_sys_person_id", name="uq_leads_foreign_id"),
    Index("ix_leads_email", "instance", "email_key"),
    Index("ix_leads_updated", "instance", "updated_at"),
)

lead_cookies = Table(
    "lead_cookies",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("cookie", Text, primary_key=True),
    Column("lead_id", Integer, nullable=False),
    ForeignKeyConstraint(["instance", "lead_id"], ["leads.instance", "leads.id"], ondelete="CASCADE"),
    Index("ix_lead_cookies_lead", "instance", "lead_id"),
)

# The activity log (domain.activities): one sequence of ids per instance (instances.next_activity_id).
# No foreign key to leads: a merge moves a losing lead's activities to the winner before it deletes the loser.
activities = Table(
    "activities",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("lead_id", Integer, nullable=False),
    Column("type", String(100), nullable=False),  # display name
    Column("at", DateTime(timezone=False), nullable=False),
    Column("asset_name", Text),
    Column("campaign", Text),
    Column("attributes", Text, nullable=False),  # JSON list of [name, value], Lead ID not included
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
    Index("ix_activities_lead", "instance", "lead_id", "id"),
    Index("ix_activities_at", "instance", "at", "id"),
)

# ---- custom objects and MObjects (store/custom_object_store.py, store/mobject_store.py) --------------------

# A custom object record belongs to its lead: deleted with it (and so with its instance).
custom_objects = Table(
    "custom_objects",
    metadata,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("instance", String(100), nullable=False),
    Column("object_type", String(100), nullable=False),  # the type's name, lower-cased
    Column("definition", Text, nullable=False),  # the type's link and dedupe fields when written
    Column("lead_id", Integer, nullable=False),  # the link
    Column("key", Text, nullable=False),  # JSON list: the dedupe fields' values other than the link
    Column("attributes", Text, nullable=False),  # JSON object: field name -> value
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("updated_at", DateTime(timezone=False), nullable=False),
    ForeignKeyConstraint(["instance", "lead_id"], ["leads.instance", "leads.id"], ondelete="CASCADE"),
    Index("ix_custom_objects_key", "instance", "object_type", "key"),
    Index("ix_custom_objects_lead", "instance", "lead_id"),
)

# Opportunities, their person roles, ...: one row per MObject. A role belongs to its lead and to its
# opportunity (deleted with either); every object to its instance.
mobjects = Table(
    "mobjects",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("type", String(50), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("external_key_name", Text),
    Column("external_key_value", Text),
    Column("lead_id", Integer),
    Column("parent_type", String(50)),
    Column("parent_id", Integer),
    Column("attributes", Text, nullable=False),  # JSON object: attribute -> value (lead and parent ids apart)
    Column("associations", Text, nullable=False),  # JSON list of stored associations
    Column("created_at", DateTime(timezone=False), nullable=False),
    Column("updated_at", DateTime(timezone=False), nullable=False),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
    ForeignKeyConstraint(["instance", "lead_id"], ["leads.instance", "leads.id"], ondelete="CASCADE"),
    ForeignKeyConstraint(["instance", "parent_type", "parent_id"],
                         ["mobjects.instance", "mobjects.type", "mobjects.id"], ondelete="CASCADE"),
    Index("ix_mobjects_external_key", "instance", "type", "external_key_value"),
    Index("ix_mobjects_lead", "instance", "lead_id"),
    Index("ix_mobjects_parent", "instance", "parent_type", "parent_id"),
)

# the next id of each MObject type in each instance (ids are never reused)
mobject_ids = Table(
    "mobject_ids",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("type", String(50), primary_key=True),
    Column("next_id", Integer, nullable=False),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
)

# Marketing assets added to an instance at run time through the control API (the configured ones live in
# the settings): programs, static lists and campaigns, each as the config file's keys in JSON
# (domain.assets.asset_data). A row with the id of a configured asset replaces it.
assets = Table(
    "assets",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("kind", String(20), primary_key=True),  # program, list, campaign
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("name", Text, nullable=False),
    Column("data", Text, nullable=False),
    Column("created_at", DateTime(timezone=False)),
    Column("updated_at", DateTime(timezone=False)),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
)

# Static-list membership; a deleted lead leaves its lists.
list_members = Table(
    "list_members",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("list_id", Integer, primary_key=True, autoincrement=False),
    Column("lead_id", Integer, primary_key=True, autoincrement=False),
    Column("added_at", DateTime(timezone=False), nullable=False),
    ForeignKeyConstraint(["instance", "lead_id"], ["leads.instance", "leads.id"], ondelete="CASCADE"),
    Index("ix_list_members_lead", "instance", "lead_id"),
)

# Campaign runs (requestCampaign, scheduleCampaign): pending until due_at, then done or failed. `data` holds
# the rest of domain.campaigns.CampaignRun as JSON.
campaign_runs = Table(
    "campaign_runs",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("campaign_id", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("due_at", DateTime(timezone=False), nullable=False),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
    Index("ix_campaign_runs_due", "status", "due_at"),
)

# importToList's per-lead My Tokens, kept for the next run of their campaign, which uses them once.
lead_tokens = Table(
    "lead_tokens",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("campaign_id", Integer, primary_key=True, autoincrement=False),
    Column("lead_id", Integer, primary_key=True, autoincrement=False),
    Column("tokens", Text, nullable=False),  # JSON object: token name -> value
    ForeignKeyConstraint(["instance", "lead_id"], ["leads.instance", "leads.id"], ondelete="CASCADE"),
)

# importToList jobs: PROCESSING until due_at, then COMPLETE. `data` holds the rest of
# domain.imports.ListImport as JSON.
list_imports = Table(
    "list_imports",
    metadata,
    Column("instance", String(100), primary_key=True),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("list_id", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("due_at", DateTime(timezone=False), nullable=False),
    Column("data", Text, nullable=False),
    ForeignKeyConstraint(["instance"], ["instances.name"], ondelete="CASCADE"),
    Index("ix_list_imports_due", "status", "due_at"),
)
