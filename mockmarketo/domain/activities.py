"""Marketo's activity log: the 57 activity types, an activity record, and the records each change writes.

Every instance keeps one log. An activity belongs to a lead, has an id from the instance's own
sequence (never reused), a time, a type (stored and shown by its display name, "Change Data Value";
filters name types by their WSDL token, "ChangeDataValue"), an optional asset name (mktgAssetName) and
campaign, and an ordered list of attributes. "Lead ID" is always the last attribute and is not
stored: it is the lead the activity belongs to now (a merge moves a losing lead's activities to the
winner).

What the lead operations write (rendering as in Marketo's own samples where there are some):
- a created lead: "New Lead" with Source Type and Source Info `Web service API` and Created Date
  (`YYYY-MM-DD` in the instance's time zone), no asset name;
- an updated lead: one "Change Data Value" per field whose value changed, in request order, with the
  field's display name as asset name and Attribute Name, Old Value (empty if it had none), New Value
  and Reason `SOAP API`; nothing for a value that did not change, nor for the values a lead is
  created with;
- a merge (domain.merge): "Merge Leads" on the winner, no asset name, with Merge IDs (the losing lead
  ids, comma-separated) and Merge Fields (the display names of the fields whose value came from a
  loser, comma-separated).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone, tzinfo

from mockmarketo.domain.fields import FieldCatalogue

# (WSDL token, display name) of each ActivityType of the WSDL, in its order. Seven tokens have no
# display name in Marketo's filter list; they show their token split into words.
ACTIVITY_TYPES: tuple[tuple[str, str], ...] = (
    ("VisitWebpage", "Visit Webpage"), ("FillOutForm", "Fill Out Form"), ("ClickLink", "Click Link"),
    ("SendEmail", "Send Email"), ("EmailDelivered", "Email Delivered"), ("EmailBounced", "Email Bounced"),
    ("UnsubscribeEmail", "Unsubscribe Email"), ("OpenEmail", "Open Email"), ("ClickEmail", "Click Email"),
    ("NewLead", "New Lead"), ("ChangeDataValue", "Change Data Value"), ("LeadAssigned", "Lead Assigned"),
    ("NewSFDCOpprtnty", "New SFDC Opportunity"), ("Wait", "Wait"), ("RunSubflow", "Run Subflow"),
    ("RemoveFromFlow", "Remove from Flow"), ("PushLeadToSales", "Sync Lead to SFDC"),
    ("CreateTask", "Create Task"), ("ConvertLead", "Convert Lead"), ("ChangeScore", "Change Score"),
    ("ChangeOwner", "Change Owner"), ("AddToList", "Add to List"), ("RemoveFromList", "Remove from List"),
    ("SFDCActivity", "SFDC Activity"), ("EmailBouncedSoft", "Email Bounced Soft"),
    ("PushLeadUpdatesToSales", "Sync Lead Updates to SFDC"), ("DeleteLeadFromSales", "Delete Lead from SFDC"),
    ("SFDCActivityUpdated", "SFDC Activity Updated"), ("SFDCMergeLeads", "SFDC Merge Leads"),
    ("MergeLeads", "Merge Leads"), ("ResolveConflicts", "Resolve Conflicts"),
    ("AssocWithOpprtntyInSales", "Add to Opportunity"), ("DissocFromOpprtntyInSales", "Remove from Opportunity"),
    ("UpdateOpprtntyInSales", "Update Opportunity"), ("DeleteLead", "Delete Lead"), ("SendAlert", "Send Alert"),
    ("SendSalesEmail", "Send Sales Email"), ("OpenSalesEmail", "Open Sales Email"),
    ("ClickSalesEmail", "Click Sales Email"), ("AddtoSFDCCampaign", "Add to SFDC Campaign"),
    ("RemoveFromSFDCCampaign", "Remove from SFDC Campaign"),
    ("ChangeStatusInSFDCCampaign", "Change Status in SFDC Campaign"),
    ("ReceiveSalesEmail", "Receive Sales Email"), ("InterestingMoment", "Interesting Moment"),
    ("RequestCampaign", "Request Campaign"), ("SalesEmailBounced", "Sales Email Bounced"),
    ("ChangeLeadPartition", "Change Lead Partition"), ("ChangeRevenueStage", "Change Revenue Stage"),
    ("ChangeRevenueStageManually", "Change Revenue Stage Manually"),
    ("ComputeDataValue", "Compute Data Value"), ("ChangeStatusInProgression", "Change Status in Progression"),
    ("ChangeFieldInProgram", "Change Program Data"), ("EnrichWithDatacom", "Enrich with Data.com"),
    ("ChangeSegment", "Change Segment"), ("ResolveRuleset", "Resolve Ruleset"),
    ("SmartCampaignTest", "Smart Campaign Test"), ("SmartCampaignTestTrigger", "Smart Campaign Test Trigger"),
)
DISPLAY_NAME_OF_TOKEN: dict[str, str] = dict(ACTIVITY_TYPES)
TOKEN_OF_DISPLAY_NAME: dict[str, str] = {display: token for token, display in ACTIVITY_TYPES}

NEW_LEAD = "New Lead"
CHANGE_DATA_VALUE = "Change Data Value"
MERGE_LEADS = "Merge Leads"
SOURCE_WEB_SERVICE = "Web service API"
REASON_SOAP_API = "SOAP API"
LEAD_ID = "Lead ID"


def activity_type(name: str) -> str | None:
    """The display name of a type given by WSDL token or display name (any case); None if no type has it."""
    wanted = name.strip().lower()
    for token, display in ACTIVITY_TYPES:
        if wanted in (token.lower(), display.lower()):
            return display
    return None


@dataclass
class Activity:
    """One record of the activity log. `at` is naive UTC, as the store keeps every time; `id` 0 until stored."""

    lead_id: int
    type: str
    at: datetime
    attributes: list[tuple[str, str]] = field(default_factory=list)
    asset_name: str | None = None
    campaign: str | None = None
    id: int = 0

    @property
    def type_token(self) -> str | None:
        return TOKEN_OF_DISPLAY_NAME.get(self.type)

    def all_attributes(self) -> list[tuple[str, str]]:
        """The attributes as Marketo shows them: the stored ones, then Lead ID."""
        return [*self.attributes, (LEAD_ID, str(self.lead_id))]


def local_time(at: datetime, zone: tzinfo) -> datetime:
    """A stored (naive UTC) time in the instance's time zone."""
    return at.replace(tzinfo=timezone.utc).astimezone(zone)


def naive_utc(moment: datetime | None) -> datetime | None:
    """A time as the store keeps it: naive UTC. A time without an offset is taken as UTC."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(timezone.utc).replace(tzinfo=None)


def utc_now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class ActivityLog:
    """Writes the activities of one transaction into the instance's log (`activities`: a store
    ActivityRepository), rendered for the instance's fields and time zone."""

    def __init__(self, activities, fields: FieldCatalogue, zone: tzinfo = timezone.utc):
        self._activities = activities
        self.fields = fields
        self.zone = zone

    def add(self, activity: Activity) -> Activity:
        return self._activities.add(activity)

    def new_lead(self, lead_id: int, at: datetime, source: str = SOURCE_WEB_SERVICE) -> Activity:
        created = local_time(at, self.zone).strftime("%Y-%m-%d")
        return self.add(Activity(lead_id, NEW_LEAD, at, [("Source Type", source), ("Source Info", source),
                                                        ("Created Date", created)], asset_name=""))

    def data_changed(self, lead_id: int, at: datetime, changes: list[tuple[str, str, str]],
                     reason: str = REASON_SOAP_API, campaign: str | None = None,
                     extra: list[tuple[str, str]] = ()) -> list[Activity]:
        """One Change Data Value per (field, old, new) whose value changed; `extra` attributes follow Reason."""
        written = []
        for name, old, new in changes:
            if old == new:
                continue
            label = self.fields.display_name(name)
            written.append(self.add(Activity(
                lead_id, CHANGE_DATA_VALUE, at,
                [("Attribute Name", label), ("Old Value", old), ("New Value", new), ("Reason", reason), *extra],
                asset_name=label, campaign=campaign)))
        return written

    def merged(self, winner_id: int, at: datetime, loser_ids: list[int], fields: list[str]) -> Activity:
        """"Merge Leads" on the winner: the losing ids, and the fields (API names) whose value came from a loser."""
        return self.add(Activity(winner_id, MERGE_LEADS, at, [
            ("Merge IDs", ", ".join(map(str, loser_ids))),
            ("Merge Fields", ", ".join(self.fields.display_name(name) for name in fields))], asset_name=""))
