"""The whole plan: its details and one section per step of the method."""

from collections.abc import Mapping

from pydantic import Field

from ._base import (
    OURSELVES,
    Gap,
    Record,
    Section,
    record_context,
)
from .alignment import Alignment
from .business_case import BusinessCase
from .communication import Communication
from .community import Community
from .goals import Goals
from .governance import Governance
from .info import PlanInfo
from .monitoring import Monitoring
from .partners import Partners
from .resources import Resources
from .review import PartnershipReview
from .risks import Risks

#: Every section of a plan by its field name, in the order of the method.
SECTIONS: dict[str, type[Section]] = {
    "info": PlanInfo,
    "goals": Goals,
    "alignment": Alignment,
    "partners": Partners,
    "business_case": BusinessCase,
    "governance": Governance,
    "risks": Risks,
    "community": Community,
    "resources": Resources,
    "communication": Communication,
    "monitoring": Monitoring,
    "review": PartnershipReview,
}


class Plan(Record):
    """A partnership plan for one smallest strategic unit: its details and eleven sections.

    Each section is saved and versioned on its own, so two people can work on
    different steps at the same time.
    """

    info: PlanInfo = Field(default_factory=PlanInfo, description="The plan's details.")
    goals: Goals = Field(default_factory=Goals, description=Goals.title)
    alignment: Alignment = Field(default_factory=Alignment, description=Alignment.title)
    partners: Partners = Field(default_factory=Partners, description=Partners.title)
    business_case: BusinessCase = Field(default_factory=BusinessCase, description=BusinessCase.title)
    governance: Governance = Field(default_factory=Governance, description=Governance.title)
    risks: Risks = Field(default_factory=Risks, description=Risks.title)
    community: Community = Field(default_factory=Community, description=Community.title)
    resources: Resources = Field(default_factory=Resources, description=Resources.title)
    communication: Communication = Field(
        default_factory=Communication, description=Communication.title
    )
    monitoring: Monitoring = Field(default_factory=Monitoring, description=Monitoring.title)
    review: PartnershipReview = Field(
        default_factory=PartnershipReview, description=PartnershipReview.title
    )

    def parties(self) -> dict[str, str]:
        """Return the partnership's parties, id → name: ourselves, then the selected partners."""
        return {OURSELVES: self.info.organisation} | {
            c.id: c.name for c in self.partners.selected()
        }

    def gaps(self) -> list[tuple[str, Gap]]:
        """Return what every section still lacks, as (section name, gap) pairs.

        Includes references between sections that a single section cannot
        check on its own: parties that are not selected partners, check-ins
        with an unknown relationship, benchmarks pointing at unknown KPIs.
        """
        parties = self.parties()
        found = [(name, _party_named(gap, parties)) for name in SECTIONS for gap in getattr(self, name).gaps()]
        for name, table in (
            ("governance", "members"),
            ("governance", "assignments"),
            ("governance", "roles"),
            ("resources", "contributions"),
            ("review", "ratings"),
        ):
            for party in sorted({row.party for row in getattr(getattr(self, name), table)} - set(parties)):
                found.append((name, Gap("party", "gap_not_a_partner", {"party": party, "records": table})))
        known = {p.id for p in self.alignment.peers} | {c.id for c in self.partners.candidates}
        for number, checkin in enumerate(self.alignment.checkins, start=1):
            if checkin.relationship not in known:
                gap = Gap(f"checkins[{number}]", "gap_unknown_relationship",
                          record_context(checkin, number) | {"relationship": checkin.relationship})
                found.append(("alignment", gap))
        kpis = {k.id for k in self.monitoring.kpis}
        for number, b in enumerate(self.business_case.benchmarks, start=1):
            if b.kpi and b.kpi not in kpis:
                gap = Gap(f"benchmarks[{number}].kpi", "gap_unknown_kpi", record_context(b, number) | {"kpi": b.kpi})
                found.append(("business_case", gap))
        return found


def _party_named(gap: Gap, parties: Mapping[str, str]) -> Gap:
    """Return the gap with the party it names written as the party's name, not its id ("us" is the organisation).

    A section names a party by its id, as its records hold it; only the plan knows the names.
    An id that is no party's stays as it is (the plan lists it as not a selected partner too).
    """
    party = gap.context.get("party")
    if not isinstance(party, str) or party not in parties:
        return gap
    return gap._replace(context={**gap.context, "party": parties[party]})
