"""The plan models: one pydantic model per section of the method, and the plan itself.

Field types, bounds, choices, descriptions and defaults live here once; forms,
storage, imports, validation messages and the plan document are derived from
them.
"""

from ._base import (
    AGREEMENT_LABELS,
    CADENCE_DAYS,
    IMPACT_LABELS,
    LEVEL_LABELS,
    LIKELIHOOD_LABELS,
    OURSELVES,
    Gap,
    Record,
    Section,
)
from .alignment import (
    Alignment,
    CheckIn,
    Peer,
    TeamConversation,
    TeamMember,
)
from .business_case import (
    SWOT_KINDS,
    SWOT_RATINGS,
    TOWS_KINDS,
    Audience,
    Benchmark,
    BudgetLine,
    BusinessCase,
    Player,
    SwotFactor,
    TowsStrategy,
)
from .communication import (
    CHANNELS,
    Communication,
    Item,
    Line,
    Message,
    Testimonial,
)
from .community import (
    ENGAGEMENT_KINDS,
    PARTICIPATION,
    Answer,
    Community,
    Engagement,
    Question,
    Stakeholder,
)
from .goals import Goals, Motivation, Objective
from .governance import (
    GROUP_KINDS,
    RACI,
    Activity,
    Assignment,
    Governance,
    Group,
    Member,
    PartnerRole,
)
from .info import ORGANISATION_TYPES, SSU_KINDS, PlanInfo
from .monitoring import (
    KPI_LEVELS,
    KPI_UNITS,
    MEASUREMENT_COLUMNS,
    MEASUREMENT_TYPES,
    REQUIRED_MEASUREMENT_COLUMNS,
    Collection,
    Kpi,
    Measurement,
    Monitoring,
    no_measurements,
)
from .partners import (
    AUDIT_CHECKS,
    AuditItem,
    Candidate,
    Criterion,
    Feedback,
    Need,
    Partners,
    Score,
)
from .plan import SECTIONS, Plan
from .resources import (
    CONTRIBUTION_TYPES,
    DIVISION_RULES,
    Contribution,
    Cost,
    Rate,
    Resources,
    Share,
    VisionLine,
)
from .review import (
    FACTOR_GROUPS,
    FACTORS,
    FactorRating,
    PartnershipReview,
    Recommendation,
    Review,
)
from .risks import (
    RISK_CATEGORIES,
    Appetite,
    Risk,
    Risks,
)
from .shared import (
    GIFT_KINDS,
    GIFT_STATUSES,
    Gift,
    Organisation,
    Person,
    RegisterMerge,
    merge_register,
    normalised_name,
    register_entries,
    register_renames,
    relinked,
)

__all__ = sorted(
    name
    for name, value in dict(globals()).items()
    if not name.startswith("_") and not isinstance(value, type(__import__("sys")))
)
