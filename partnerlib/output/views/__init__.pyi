"""The names of ``partnerlib.output.views``, read by type checkers and by lazy_loader."""

from .alignment import (
    show_checkin_log as show_checkin_log,
)
from .alignment import (
    show_checkin_schedule as show_checkin_schedule,
)
from .alignment import (
    show_contact_calendar as show_contact_calendar,
)
from .alignment import (
    show_conversations as show_conversations,
)
from .alignment import (
    show_peers as show_peers,
)
from .alignment import (
    show_team_members as show_team_members,
)
from .business_case import (
    show_benchmarks as show_benchmarks,
)
from .business_case import (
    show_budget_lines as show_budget_lines,
)
from .business_case import (
    show_business_case_budget as show_business_case_budget,
)
from .business_case import (
    show_swot_board as show_swot_board,
)
from .business_case import (
    show_swot_chart as show_swot_chart,
)
from .business_case import (
    show_swot_scores as show_swot_scores,
)
from .business_case import (
    show_swot_totals as show_swot_totals,
)
from .business_case import (
    show_tows_strategies as show_tows_strategies,
)
from .common import (
    show_missing as show_missing,
)
from .communication import (
    show_calendar_gaps as show_calendar_gaps,
)
from .communication import (
    show_channel_mix as show_channel_mix,
)
from .communication import (
    show_communication_calendar as show_communication_calendar,
)
from .communication import (
    show_communication_calendar_chart as show_communication_calendar_chart,
)
from .communication import (
    show_communication_lines as show_communication_lines,
)
from .communication import (
    show_core_messages as show_core_messages,
)
from .communication import (
    show_testimonials as show_testimonials,
)
from .community import (
    SALIENCE_WORDS as SALIENCE_WORDS,
)
from .community import (
    show_engagement_by_stakeholder as show_engagement_by_stakeholder,
)
from .community import (
    show_engagement_calendar as show_engagement_calendar,
)
from .community import (
    show_participation as show_participation,
)
from .community import (
    show_quadrant_engagement as show_quadrant_engagement,
)
from .community import (
    show_salience as show_salience,
)
from .community import (
    show_stakeholder_map as show_stakeholder_map,
)
from .community import (
    show_stakeholder_map_chart as show_stakeholder_map_chart,
)
from .community import (
    show_survey_chart as show_survey_chart,
)
from .community import (
    show_survey_summary as show_survey_summary,
)
from .goals import (
    show_objectives as show_objectives,
)
from .governance import (
    show_governance_chart as show_governance_chart,
)
from .governance import (
    show_groups as show_groups,
)
from .governance import (
    show_partner_roles as show_partner_roles,
)
from .governance import (
    show_raci as show_raci,
)
from .governance import (
    show_raci_problems as show_raci_problems,
)
from .governance import (
    show_structure_problems as show_structure_problems,
)
from .monitoring import (
    show_data_collection as show_data_collection,
)
from .monitoring import (
    show_kpi_evaluation as show_kpi_evaluation,
)
from .monitoring import (
    show_kpi_groups as show_kpi_groups,
)
from .monitoring import (
    show_kpi_progress_chart as show_kpi_progress_chart,
)
from .monitoring import (
    show_kpi_rollup as show_kpi_rollup,
)
from .monitoring import (
    show_kpi_series_chart as show_kpi_series_chart,
)
from .partners import (
    show_candidate_chart as show_candidate_chart,
)
from .partners import (
    show_candidate_scores as show_candidate_scores,
)
from .partners import (
    show_due_diligence as show_due_diligence,
)
from .partners import (
    show_feedback as show_feedback,
)
from .partners import (
    show_shortlist as show_shortlist,
)
from .partners import (
    show_weight_sensitivity as show_weight_sensitivity,
)
from .portfolio import (
    PortfolioInputs as PortfolioInputs,
)
from .portfolio import (
    StepReadiness as StepReadiness,
)
from .portfolio import (
    portfolio_inputs as portfolio_inputs,
)
from .portfolio import (
    show_contacts_not_reached as show_contacts_not_reached,
)
from .portfolio import (
    show_donors_to_thank as show_donors_to_thank,
)
from .portfolio import (
    show_gift_budget as show_gift_budget,
)
from .portfolio import (
    show_gifts_by_donor as show_gifts_by_donor,
)
from .portfolio import (
    show_gifts_by_plan as show_gifts_by_plan,
)
from .portfolio import (
    show_portfolio as show_portfolio,
)
from .portfolio import (
    show_register_duplicates as show_register_duplicates,
)
from .portfolio import (
    show_shared_partners as show_shared_partners,
)
from .portfolio import (
    show_step_readiness as show_step_readiness,
)
from .resources import (
    show_balances as show_balances,
)
from .resources import (
    show_contributions as show_contributions,
)
from .resources import (
    show_contributions_by_type as show_contributions_by_type,
)
from .resources import (
    show_resource_shares as show_resource_shares,
)
from .resources import (
    show_resource_shares_chart as show_resource_shares_chart,
)
from .resources import (
    show_settlements as show_settlements,
)
from .resources import (
    show_vision_budget as show_vision_budget,
)
from .resources import (
    show_vision_budget_chart as show_vision_budget_chart,
)
from .review import (
    show_health_by_partner as show_health_by_partner,
)
from .review import (
    show_health_change as show_health_change,
)
from .review import (
    show_health_change_chart as show_health_change_chart,
)
from .review import (
    show_health_chart as show_health_chart,
)
from .review import (
    show_health_check as show_health_check,
)
from .review import (
    show_health_factors as show_health_factors,
)
from .review import (
    show_health_focus as show_health_focus,
)
from .review import (
    show_health_groups as show_health_groups,
)
from .review import (
    show_perception_gaps as show_perception_gaps,
)
from .review import (
    show_recommendations as show_recommendations,
)
from .risks import (
    show_crucial_risks as show_crucial_risks,
)
from .risks import (
    show_risk_heatmaps as show_risk_heatmaps,
)
from .risks import (
    show_risk_matrix as show_risk_matrix,
)
from .risks import (
    show_risk_profile as show_risk_profile,
)
from .risks import (
    show_risk_profile_chart as show_risk_profile_chart,
)
from .risks import (
    show_risk_register as show_risk_register,
)
from .risks import (
    show_risks_above_appetite as show_risks_above_appetite,
)
from .workspace import (
    show_plans as show_plans,
)

__all__ = [
    "PortfolioInputs",
    "SALIENCE_WORDS",
    "StepReadiness",
    "portfolio_inputs",
    "show_balances",
    "show_benchmarks",
    "show_budget_lines",
    "show_business_case_budget",
    "show_calendar_gaps",
    "show_candidate_chart",
    "show_candidate_scores",
    "show_channel_mix",
    "show_checkin_log",
    "show_checkin_schedule",
    "show_communication_calendar",
    "show_communication_calendar_chart",
    "show_communication_lines",
    "show_contact_calendar",
    "show_contacts_not_reached",
    "show_contributions",
    "show_contributions_by_type",
    "show_conversations",
    "show_core_messages",
    "show_crucial_risks",
    "show_data_collection",
    "show_donors_to_thank",
    "show_due_diligence",
    "show_engagement_by_stakeholder",
    "show_engagement_calendar",
    "show_feedback",
    "show_gift_budget",
    "show_gifts_by_donor",
    "show_gifts_by_plan",
    "show_governance_chart",
    "show_groups",
    "show_health_by_partner",
    "show_health_change",
    "show_health_change_chart",
    "show_health_chart",
    "show_health_check",
    "show_health_factors",
    "show_health_focus",
    "show_health_groups",
    "show_kpi_evaluation",
    "show_kpi_groups",
    "show_kpi_progress_chart",
    "show_kpi_rollup",
    "show_kpi_series_chart",
    "show_missing",
    "show_objectives",
    "show_participation",
    "show_partner_roles",
    "show_peers",
    "show_perception_gaps",
    "show_plans",
    "show_portfolio",
    "show_quadrant_engagement",
    "show_raci",
    "show_raci_problems",
    "show_recommendations",
    "show_register_duplicates",
    "show_resource_shares",
    "show_resource_shares_chart",
    "show_risk_heatmaps",
    "show_risk_matrix",
    "show_risk_profile",
    "show_risk_profile_chart",
    "show_risk_register",
    "show_risks_above_appetite",
    "show_salience",
    "show_settlements",
    "show_shared_partners",
    "show_shortlist",
    "show_stakeholder_map",
    "show_stakeholder_map_chart",
    "show_step_readiness",
    "show_structure_problems",
    "show_survey_chart",
    "show_survey_summary",
    "show_swot_board",
    "show_swot_chart",
    "show_swot_scores",
    "show_swot_totals",
    "show_team_members",
    "show_testimonials",
    "show_tows_strategies",
    "show_vision_budget",
    "show_vision_budget_chart",
    "show_weight_sensitivity",
]
