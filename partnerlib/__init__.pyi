"""The public names of ``partnerlib``, read by type checkers and by lazy_loader.

Each name is loaded from its module the first time it is used (see ``__init__.py``);
a name listed here must be in its module's ``__all__`` (tests/test_api.py checks it).
"""

from . import models as models
from .analyses.budget import balances as balances
from .analyses.budget import business_case_budget as business_case_budget
from .analyses.budget import resource_shares as resource_shares
from .analyses.budget import vision_budget as vision_budget
from .analyses.checkins import checkin_schedule as checkin_schedule
from .analyses.checkins import overdue as overdue
from .analyses.communication import calendar_gaps as calendar_gaps
from .analyses.communication import channel_mix as channel_mix
from .analyses.communication import communication_calendar as communication_calendar
from .analyses.governance import check_raci as check_raci
from .analyses.governance import check_structure as check_structure
from .analyses.governance import raci_matrix as raci_matrix
from .analyses.health import health_focus as health_focus
from .analyses.health import score_health as score_health
from .analyses.kpi import evaluate_kpis as evaluate_kpis
from .analyses.kpi import kpi_rollup as kpi_rollup
from .analyses.risk import crucial_risks as crucial_risks
from .analyses.risk import risk_profile as risk_profile
from .analyses.risk import score_risks as score_risks
from .analyses.selection import ahp_weights as ahp_weights
from .analyses.selection import score_candidates as score_candidates
from .analyses.selection import selection_sensitivity as selection_sensitivity
from .analyses.stakeholders import engagement_calendar as engagement_calendar
from .analyses.stakeholders import participation_table as participation_table
from .analyses.stakeholders import stakeholder_map as stakeholder_map
from .analyses.survey import summarise_likert as summarise_likert
from .analyses.swot import score_swot as score_swot
from .analyses.swot import tows_table as tows_table
from .app.series import run_series as run_series
from .app.series import step_pages as step_pages
from .core.paths import SAMPLE_PLAN as SAMPLE_PLAN
from .core.paths import default_workspace as default_workspace
from .core.problems import InvalidInput as InvalidInput
from .core.problems import PlanError as PlanError
from .core.problems import Problem as Problem
from .core.problems import describe as describe
from .io.plan_files import export_plan as export_plan
from .io.plan_files import import_plan as import_plan
from .io.plan_files import plan_from_json as plan_from_json
from .io.plan_files import plan_to_json as plan_to_json
from .io.plan_files import read_plan_file as read_plan_file
from .io.sample import load_sample as load_sample
from .io.sample import sample_measurements as sample_measurements
from .io.sample import seed_workspace as seed_workspace
from .io.spreadsheets import TABLE_KINDS as TABLE_KINDS
from .io.spreadsheets import import_table as import_table
from .io.spreadsheets import read_table as read_table
from .io.store import PlanExists as PlanExists
from .io.store import PlanNotFound as PlanNotFound
from .io.store import StaleSave as StaleSave
from .io.store import Workspace as Workspace
from .io.store import WorkspaceError as WorkspaceError
from .models import SECTIONS as SECTIONS
from .models import Plan as Plan
from .models import PlanInfo as PlanInfo
from .output import views as views
from .output.document import build_document as build_document
from .output.document import document_links as document_links
from .output.document import preview_document as preview_document
from .output.document import report_from_workspace as report_from_workspace
from .output.document import write_html as write_html
from .output.document import write_xlsx as write_xlsx
from .output.portfolio import report_portfolio as report_portfolio
from .ui.chooser import plan_chooser as plan_chooser
from .ui.forms import form_for as form_for
from .ui.forms import section_editor as section_editor
from .ui.live import GIFTS as GIFTS
from .ui.live import MEASUREMENTS as MEASUREMENTS
from .ui.live import PLAN_DATE as PLAN_DATE
from .ui.live import follow_saves as follow_saves
from .ui.register import register_editor as register_editor
from .ui.workbook import choose_plan as choose_plan
from .ui.workbook import current_plan as current_plan
from .ui.workbook import new_plan as new_plan
from .ui.workbook import open_workspace as open_workspace
from .ui.workbook import plan_document_files as plan_document_files
from .ui.workbook import show_page_plan as show_page_plan

__version__: str
