"""The MObject types (facts-more-ops §11): one table entry each, saying what its attributes are, which
attribute links it to a lead or to another MObject, which associations it takes, and which operations
serve it. Adding a type is adding an entry to TYPES.

Availability as Marketo documents it: describeMObject and listMObjects know ActivityRecord, LeadRecord,
Opportunity and OpportunityPersonRole (the first two are described in domain.describe);
getMObjects and syncMObjects serve Opportunity, OpportunityPersonRole and Program; deleteMObjects
Opportunity and OpportunityPersonRole. Programs are the campaign family's (domain.program_mobjects), not
objects of the MObject store.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from mockmarketo.domain.errors import MarketoError

# listMObjects' answer, in Marketo's order (facts-more-ops §11.5)
LISTED = ("ActivityRecord", "LeadRecord", "Opportunity", "OpportunityPersonRole")



@dataclass(frozen=True)
class Association:
    """What an mObjAssociation of a type means.

    `attribute`: it sets (sync) or filters (get) that attribute with the associated object's id.
    `stored`: it is kept as given and returned (an object mockmarketo does not hold, e.g. Company).
    `via`: get only: objects whose id is the `via[2]` attribute of a `via[0]` object whose `via[1]`
    attribute is the associated object's id (an opportunity of a lead, through its roles).
    """

    attribute: str | None = None
    stored: bool = False
    via: tuple[str, str, str] | None = None


@dataclass(frozen=True)
class MObjectType:
    name: str
    description: str
    # attribute -> attrType, in the order objects and describeMObject list them
    fields: dict[str, str]
    required: tuple[str, ...] = ()
    # the attribute that holds a lead id (the object belongs to that lead: deleted with it, moved by a merge)
    lead_field: str | None = None
    # (attribute, MObject type): the object belongs to that object and is deleted with it
    parent: tuple[str, str] | None = None
    associations: dict[str, Association] = field(default_factory=dict)
    deletable: bool = True
    # the objects are the programs of the campaign family (domain.program_mobjects), not stored MObjects
    asset: bool = False

    def field_named(self, name: str) -> str | None:
        """The attribute called `name`, compared without regard to case."""
        wanted = name.strip().lower()
        return next((known for known in self.fields if known.lower() == wanted), None)


OPPORTUNITY = MObjectType(
    name="Opportunity",
    description="Sales opportunity: a potential deal, associated with a company and with leads through "
                "OpportunityPersonRole",
    fields={
        "Amount": "currency", "CloseDate": "date", "Description": "string", "ExpectedRevenue": "currency",
        "ExternalCreatedDate": "datetime", "Fiscal": "string", "FiscalQuarter": "integer",
        "FiscalYear": "integer", "ForecastCategoryName": "string", "IsClosed": "boolean", "IsWon": "boolean",
        "LastActivityDate": "date", "LeadSource": "string", "Name": "string", "NextStep": "string",
        "Probability": "integer", "Quantity": "float", "Stage": "string", "Type": "string",
    },
    associations={"Company": Association(stored=True),
                  "Lead": Association(via=("OpportunityPersonRole", "PersonId", "OpportunityId"))},
)

OPPORTUNITY_PERSON_ROLE = MObjectType(
    name="OpportunityPersonRole",
    description="The role a lead plays in an opportunity",
    fields={"OpportunityId": "integer", "PersonId": "integer", "Role": "string",
            "ExternalCreatedDate": "datetime", "IsPrimary": "boolean"},
    required=("OpportunityId", "PersonId"),
    lead_field="PersonId",
    parent=("OpportunityId", "Opportunity"),
    associations={"Lead": Association(attribute="PersonId"),
                  "Opportunity": Association(attribute="OpportunityId")},
)

PROGRAM = MObjectType(name="Program", description="Marketing program",
                      fields=dict.fromkeys(("Name", "Type", "Workspace Id", "Workspace Name", "Tree Path",
                                            "Is Archived"), "string"),
                      deletable=False, asset=True)

TYPES: dict[str, MObjectType] = {t.name: t for t in (OPPORTUNITY, OPPORTUNITY_PERSON_ROLE, PROGRAM)}


def mobject_type(name: str | None, operation: str) -> MObjectType:
    """The type an operation names (compared without regard to case): 20109 without one, 20110 for a type
    the operation does not serve."""
    if name is None or not name.strip():
        raise MarketoError(20109, f"{operation}: type is required")
    found = next((t for key, t in TYPES.items() if key.lower() == name.strip().lower()), None)
    if found is None:
        served = [key for key, t in TYPES.items() if operation != "deleteMObjects" or t.deletable]
        raise MarketoError(20110, f"{operation}: unknown MObject type {name!r} (known: {', '.join(served)})")
    if operation == "deleteMObjects" and not found.deletable:
        raise MarketoError(20110, f"deleteMObjects: {found.name} MObjects cannot be deleted (only "
                                  "Opportunity and OpportunityPersonRole)")
    return found
