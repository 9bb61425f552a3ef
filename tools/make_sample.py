"""Write the sample plan, its measurements and the sample spreadsheets.

The sample plan "Riverside Community Health" is fictional: Hope Alliance
International plans a community-health programme in a river district with a
local health centre, a water NGO and an IT provider. It fills every step of
the method, with a few deliberate flaws (an objective without a measure, an
activity with two accountable parties, risks above appetite, a testimonial
without permission, a gap in the calendar) so the checks have something to show.

Everything is deterministic: the random noise comes from one seeded
generator, dates and the export time are fixed, so running this script again
reproduces the committed files byte for byte.

Usage::

    .venv/bin/python tools/make_sample.py            # writes data/
    .venv/bin/python tools/make_sample.py --out DIR  # writes DIR/ instead
"""

from __future__ import annotations

import argparse
import calendar
import csv
import datetime as dt
import io
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import pandas as pd  # noqa: E402

from partnerlib.core.paths import SAMPLE_PLAN  # noqa: E402
from partnerlib.io.plan_files import plan_to_json  # noqa: E402
from partnerlib.models import FACTORS, MEASUREMENT_COLUMNS, Gift, Organisation, Person, Plan  # noqa: E402

SEED = 20260930
AS_OF = dt.date(2026, 9, 30)
EXPORTED_AT = "2026-09-30T12:00:00+00:00"
FORMAT = "partnerlib-plan"
SCHEMA_VERSION = 1
#: The first and last month of measurements (month ends, Oct 2024 – Sep 2026).
FIRST_MONTH = (2024, 10)
MONTHS = 24
BASELINE_DATE = "2024-09-30"
TARGET_DATE = "2027-09-30"

US = "us"
CLINIC = "riverbend-clinic"
WATER = "clearflow"
IT = "bytebridge"

D = dt.date.isoformat


def month_ends(first: tuple[int, int] = FIRST_MONTH, count: int = MONTHS) -> list[dt.date]:
    """Return the last day of ``count`` consecutive months from ``first``."""
    year, month = first
    ends = []
    for _ in range(count):
        ends.append(dt.date(year, month, calendar.monthrange(year, month)[1]))
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return ends


# ---------------------------------------------------------------- step 0–1


def info() -> dict:
    """Return the plan's details."""
    return {
        "name": SAMPLE_PLAN,
        "organisation": "Hope Alliance International",
        "ssu_name": "Riverside District community health programme",
        "ssu_kind": "programme",
        "ssu_description": (
            "About 4,800 households in 23 villages along both banks of the (fictional) Selva "
            "River and on three river islands. Most families farm or fish; the nearest health "
            "centre is a boat ride away for the island villages, and many households still "
            "draw water from the river in the dry season."
        ),
        "currency": "USD",
        "as_of": D(AS_OF),
        "author": "Ruth Adeyemi",
    }


def goals() -> dict:
    """Return step 1: goals, objectives (one without a measure) and motivations."""
    return {
        "organisation_goal": (
            "Families in the communities we serve live healthy, dignified lives, with local "
            "churches and organisations leading the care of their neighbours."
        ),
        "objectives": [
            {
                "id": "obj-chw",
                "title": "Train and equip 60 community health workers",
                "owner": "Esther Njoroge",
                "due": "2027-06-30",
                "measure": "Number of health workers who pass the end-of-course assessment.",
                "status": "in progress",
            },
            {
                "id": "obj-water",
                "title": "Bring safe drinking water within 500 m of three in four households",
                "owner": "Ruth Adeyemi",
                "due": "2027-09-30",
                "measure": "Share of households using an improved water point (household survey).",
                "status": "in progress",
            },
            {
                "id": "obj-records",
                "title": "Move the health centre's patient records to a digital register",
                "owner": "Priya Raman",
                "due": "2026-12-31",
                "measure": "Share of clinic visits entered in the digital register in the month.",
                "status": "in progress",
            },
            {
                "id": "obj-vaccines",
                "title": "Raise full vaccination of children under five to 90 %",
                "owner": "Esther Njoroge",
                "due": "2027-09-30",
                "measure": "Share of children under five with a complete vaccination card.",
                "status": "in progress",
            },
            {
                "id": "obj-church",
                "title": "Involve local churches in home visits and health education",
                "owner": "Daniel Okafor",
                "due": "2027-03-31",
                "measure": "",
                "status": "not started",
            },
            {
                "id": "obj-funding",
                "title": "Secure three years of funding from at least two new donors",
                "owner": "Jonas Lindqvist",
                "due": "2025-12-31",
                "measure": "Signed grant agreements covering 2025–2027.",
                "status": "done",
            },
        ],
        "motivations": [
            {"statement": "Reach the island villages that no single organisation can serve alone",
             "kind": "motivation"},
            {"statement": "Share clinical expertise we do not have in-house", "kind": "interest"},
            {"statement": "Combine health and water work, since most child illness here is "
                          "water-borne", "kind": "motivation"},
            {"statement": "Build local ownership so the work continues after our funding ends",
             "kind": "motivation"},
            {"statement": "Show donors measurable results with reliable data", "kind": "interest"},
        ],
        "ssu_goal": (
            "By September 2027, children under five in Riverside District are healthier: fewer "
            "water-borne illnesses, full vaccination and care close to home, delivered with "
            "local partners."
        ),
        "serves_organisation_goal": (
            "Healthier children and families in Riverside District are one of the communities "
            "named in our impact goal, and the trained local health workers and churches are "
            "the local leaders it speaks of."
        ),
    }


# ---------------------------------------------------------------- step 2


def alignment() -> dict:
    """Return step 2: team conversations, team members, peers and check-ins."""
    return {
        "conversations": [
            {"leader": "Daniel Okafor", "team": "Country leadership",
             "points": "Fit with the country strategy; who signs the partnership agreements; "
                       "time for the strategic group.",
             "held_on": "2024-08-12"},
            {"leader": "Jonas Lindqvist", "team": "Finance",
             "points": "Valuing in-kind hours; how partner costs are shared and reported; "
                       "audit requirements for partner grants.",
             "held_on": "2024-08-20"},
            {"leader": "Chloe Martin", "team": "Communications",
             "points": "Joint branding with partners; consent for photos and stories; a shared "
                       "calendar with partners.",
             "held_on": "2024-09-03"},
            {"leader": "Priya Raman", "team": "Monitoring and evaluation",
             "points": "Which KPIs we report to donors; data protection for patient data; "
                       "who collects what.",
             "held_on": None},
        ],
        "team_members": [
            {"name": "Esther Njoroge", "role": "Community health coordinator",
             "model_in_practice": "Plans home visits with the health centre's nurses and the "
                                  "church volunteers each week.",
             "coaching_needs": "Running joint meetings with partner staff."},
            {"name": "Priya Raman", "role": "M&E officer",
             "model_in_practice": "Gathers monthly figures from the clinic, ClearFlow and the "
                                  "health workers into one report.",
             "coaching_needs": "Working with ByteBridge on the digital register."},
            {"name": "Joel Amadi", "role": "Field officer, island villages",
             "model_in_practice": "Travels with ClearFlow's technicians and the clinic's "
                                  "outreach nurse on the monthly boat trip.",
             "coaching_needs": "Safeguarding refresher; reporting concerns."},
            {"name": "Chloe Martin", "role": "Communications officer",
             "model_in_practice": "Agrees every public story with the partner it mentions.",
             "coaching_needs": ""},
        ],
        "peers": [
            {"id": "peer-membership", "name": "Membership and supporter care",
             "contact": "Hannah Brooks",
             "goals": "Grow monthly givers by 10 % this year.",
             "challenges": "Few fresh stories from the field.",
             "how_we_help": "Quarterly stories and photos (with consent) from Riverside.",
             "what_we_ask": "Include Riverside in the spring appeal.",
             "cadence": "quarterly"},
            {"id": "peer-certification", "name": "Quality and certification",
             "contact": "Marcus Feld",
             "goals": "Keep the organisation's quality certification next year.",
             "challenges": "Evidence of partner due diligence is scattered.",
             "how_we_help": "A complete due-diligence file for every partner.",
             "what_we_ask": "Review our safeguarding checks before we sign.",
             "cadence": "monthly"},
            {"id": "peer-chapters", "name": "Local chapters and churches",
             "contact": "Rev. Grace Osei",
             "goals": "Give chapters hands-on ways to support projects.",
             "challenges": "Chapters feel far from the programmes.",
             "how_we_help": "Twinning between chapters and river villages.",
             "what_we_ask": "Volunteers for the health education sessions.",
             "cadence": "every two months"},
            {"id": "peer-finance", "name": "Finance and grants",
             "contact": "",
             "goals": "Close grant reports on time.",
             "challenges": "Partner receipts arrive late.",
             "how_we_help": "One monthly cost report from all partners.",
             "what_we_ask": "A template for partner cost reports.",
             "cadence": "quarterly"},
        ],
        "checkins": [
            {"relationship": "peer-membership", "date": "2025-10-14", "by": "Chloe Martin",
             "notes": "Agreed two stories for the Christmas appeal."},
            {"relationship": "peer-membership", "date": "2026-01-20", "by": "Chloe Martin",
             "notes": "Stories used; supporters asked about the island villages."},
            {"relationship": "peer-membership", "date": "2026-04-22", "by": "Chloe Martin",
             "notes": "Spring appeal raised more than planned."},
            {"relationship": "peer-membership", "date": "2026-07-15", "by": "Ruth Adeyemi",
             "notes": "Planned a supporter visit for November."},
            {"relationship": "peer-certification", "date": "2026-05-06", "by": "Ruth Adeyemi",
             "notes": "Shared the due-diligence files; two documents missing."},
            {"relationship": "peer-certification", "date": "2026-06-10", "by": "Ruth Adeyemi",
             "notes": "Missing documents sent."},
            {"relationship": "peer-chapters", "date": "2026-03-02", "by": "Daniel Okafor",
             "notes": "Three chapters signed up for twinning."},
            {"relationship": "peer-chapters", "date": "2026-05-12", "by": "Esther Njoroge",
             "notes": "Volunteer rota for health education agreed."},
            {"relationship": "peer-finance", "date": "2026-08-25", "by": "Jonas Lindqvist",
             "notes": "Partner cost template in use; ClearFlow receipts still late."},
            {"relationship": CLINIC, "date": "2026-08-28", "by": "Ruth Adeyemi",
             "notes": "Monthly meeting: waiting times improving; new nurse started."},
            {"relationship": CLINIC, "date": "2026-09-25", "by": "Ruth Adeyemi",
             "notes": "Monthly meeting: vaccination day planned for October."},
            {"relationship": WATER, "date": "2026-06-30", "by": "Esther Njoroge",
             "notes": "Water point repairs behind; waiting for pump parts."},
            {"relationship": WATER, "date": "2026-07-29", "by": "Esther Njoroge",
             "notes": "Parts arrived; two repairs done."},
            {"relationship": WATER, "date": "2026-09-03", "by": "Esther Njoroge",
             "notes": "Repairs back on schedule; water committee training dates set."},
            {"relationship": IT, "date": "2026-06-18", "by": "Priya Raman",
             "notes": "Register training for nurses postponed again."},
        ],
    }


# ---------------------------------------------------------------- step 3

NEEDS = [
    {"id": "need-clinical", "title": "Clinical care and referrals",
     "description": "A health centre that treats referred patients, runs vaccination days and "
                    "supervises the community health workers."},
    {"id": "need-water", "title": "Safe drinking water",
     "description": "An organisation that repairs and builds water points and trains village "
                    "water committees."},
    {"id": "need-it", "title": "IT and data support",
     "description": "A provider that sets up a digital patient register, trains staff and keeps "
                    "the data safe."},
]

#: (id, name, need, kind, contact, goals, status, cadence, organisation id)
CANDIDATES = [
    (CLINIC, "Riverbend Health Centre", "need-clinical", "clinic or hospital",
     "Dr Amina Yusuf", "Cut child deaths in its catchment; reach the island villages.",
     "selected", "monthly", "org-riverbend"),
    ("st-lukes", "St Luke's Mission Hospital", "need-clinical", "clinic or hospital",
     "Sister Clara Moreau", "Expand maternity care across the region.",
     "shortlisted", "monthly", "org-st-lukes"),
    ("carewell", "CareWell Private Clinic", "need-clinical", "business",
     "Victor Lang", "Grow its paying patient base in the district town.",
     "declined", "monthly", "org-carewell"),
    (WATER, "ClearFlow Water Trust", "need-water", "NGO",
     "Maria Santos", "Safe water for every household in the river basin by 2030.",
     "selected", "monthly", "org-clearflow"),
    ("wells-for-all", "Wells for All Foundation", "need-water", "NGO",
     "Ibrahim Sesay", "Drill 200 new boreholes in the region.",
     "shortlisted", "monthly", "org-wells-for-all"),
    ("water-board", "District Water Board", "need-water", "government",
     "Eng. Paulo Mendes", "Maintain public water points across the district.",
     "candidate", "quarterly", "org-water-board"),
    (IT, "ByteBridge Solutions", "need-it", "service provider",
     "Tomás Herrera", "Bring simple, secure software to rural health services.",
     "selected", "monthly", "org-bytebridge"),
    ("openhealth", "OpenHealth Data Cooperative", "need-it", "NGO",
     "Li Wei", "Open-source health registers for small clinics.",
     "shortlisted", "monthly", "org-openhealth"),
    ("nimbus", "Nimbus IT Services", "need-it", "business",
     "Karen Blake", "Managed IT for businesses and NGOs.",
     "candidate", "quarterly", "org-nimbus"),
]

CRITERIA = [
    {"id": "cr-safeguarding", "name": "Safeguarding policy and practice", "weight": 20,
     "gate": True, "minimum": 3},
    {"id": "cr-values", "name": "Shared values and mission fit", "weight": 20,
     "gate": False, "minimum": 3},
    {"id": "cr-capacity", "name": "Capacity to deliver", "weight": 25, "gate": False, "minimum": 3},
    {"id": "cr-cost", "name": "Cost and value for money", "weight": 15, "gate": False, "minimum": 3},
    {"id": "cr-local", "name": "Local presence and trust", "weight": 15, "gate": False, "minimum": 3},
    {"id": "cr-data", "name": "Data protection", "weight": 5, "gate": False, "minimum": 3},
]

#: Scores per candidate, in the order of CRITERIA.
SCORES = {
    CLINIC: (5, 5, 4, 4, 5, 3),
    "st-lukes": (5, 5, 3, 3, 3, 4),
    "carewell": (2, 2, 4, 2, 3, 3),
    WATER: (4, 5, 4, 4, 4, 3),
    "wells-for-all": (4, 4, 5, 3, 2, 3),
    "water-board": (3, 3, 2, 5, 4, 2),
    IT: (4, 4, 3, 5, 4, 4),
    "openhealth": (4, 5, 2, 4, 2, 5),
    "nimbus": (3, 2, 5, 2, 2, 3),
}

AUDIT_NOTES = {
    ("st-lukes", "capacity"): ("concern", "Outreach team already stretched; 3 hours by road."),
    ("carewell", "safeguarding"): ("fail", "No safeguarding policy and no staff background checks."),
    ("carewell", "values fit"): ("concern", "Charges fees the poorest families cannot pay."),
    ("wells-for-all", "finances"): ("concern", "Last two years' accounts show a deficit."),
    ("water-board", "reputation"): ("not checked", "Meeting with the board postponed."),
    (IT, "capacity"): ("concern", "Team of four; one person knows the register software."),
    ("nimbus", "data protection"): ("concern", "Data stored outside the country by default."),
}

FEEDBACK = [
    {"stakeholder": "District Health Office", "date": "2024-09-10", "sentiment": "supportive",
     "comment": "Welcomes the link with Riverbend; asks that figures go into the district system."},
    {"stakeholder": "Village chiefs council", "date": "2024-09-14", "sentiment": "supportive",
     "comment": "Wants the island villages served first."},
    {"stakeholder": "Mothers' group, Kanda village", "date": "2024-09-14", "sentiment": "concerned",
     "comment": "Worried that health records on a computer could be seen by others."},
    {"stakeholder": "Riverbend Health Centre nurses", "date": "2024-09-18", "sentiment": "neutral",
     "comment": "Support the plan if the register does not add to their workload."},
]


def partners() -> dict:
    """Return step 3: needs, candidates, criteria, scores, the audit and feedback."""
    fields = ("id", "name", "need", "kind", "contact", "goals", "status", "cadence",
              "organisation_id")
    audit = []
    for candidate in CANDIDATES:
        for check in ("legal status", "finances", "reputation", "safeguarding",
                      "data protection", "capacity", "values fit"):
            result, note = AUDIT_NOTES.get((candidate[0], check), ("pass", ""))
            audit.append({"candidate": candidate[0], "check": check, "result": result,
                          "note": note})
    return {
        "needs": NEEDS,
        "candidates": [dict(zip(fields, c, strict=True)) for c in CANDIDATES],
        "criteria": CRITERIA,
        "scores": [
            {"candidate": candidate, "criterion": criterion["id"], "score": score}
            for candidate, row in SCORES.items()
            for criterion, score in zip(CRITERIA, row, strict=True)
        ],
        "audit": audit,
        "feedback": FEEDBACK,
    }


# ---------------------------------------------------------------- step 4

#: (id, kind, text, weight, rating); weights sum to 1 per side.
SWOT = [
    ("s1", "strength", "Trusted by village leaders after 10 years in the district", 0.16, 4),
    ("s2", "strength", "Riverbend's clinical staff and referral system", 0.14, 4),
    ("s3", "strength", "Volunteers from local churches", 0.10, 3),
    ("s4", "strength", "ClearFlow's water engineering experience", 0.12, 4),
    ("s5", "strength", "Committed donors for the first three years", 0.08, 3),
    ("w1", "weakness", "Island villages reachable only by boat", 0.14, 1),
    ("w2", "weakness", "Paper records at the health centre", 0.10, 2),
    ("w3", "weakness", "Small IT partner with one key person", 0.08, 2),
    ("w4", "weakness", "Staff turnover among nurses", 0.08, 2),
    ("o1", "opportunity", "District plan to digitise health records", 0.20, 3),
    ("o2", "opportunity", "Government funds for rural water points", 0.18, 2),
    ("o3", "opportunity", "Mobile phone coverage reaching the islands", 0.12, 3),
    ("o4", "opportunity", "Regional donors interested in water and health", 0.10, 2),
    ("t1", "threat", "Seasonal floods damaging water points", 0.16, 2),
    ("t2", "threat", "Cholera outbreaks in the region", 0.10, 3),
    ("t3", "threat", "Rising fuel prices for the boat", 0.08, 1),
    ("t4", "threat", "Changes in national data protection law", 0.06, 2),
]


def business_case() -> dict:
    """Return step 4: purpose, audiences, SWOT, TOWS, players, budget, benchmarks."""
    return {
        "purpose": (
            "Bring health care, safe water and reliable health data to the families of "
            "Riverside District by joining a local health centre, a water NGO and an IT "
            "provider around one community-health programme."
        ),
        "audiences": [
            {"name": "Families with children under five",
             "description": "Home visits, vaccination and safe water close to home."},
            {"name": "Community health workers",
             "description": "Training, supervision and a simple way to report."},
            {"name": "Village water committees",
             "description": "Skills and spare parts to keep water points running."},
            {"name": "Donors and supporters",
             "description": "Honest, regular news of results and lessons."},
        ],
        "objectives": (
            "Fewer cases of diarrhoea in young children, full vaccination, safe water within "
            "reach of three in four households and a digital register at the health centre, "
            "all by September 2027."
        ),
        "swot": [
            {"id": i, "kind": k, "text": t, "weight": w, "rating": r} for i, k, t, w, r in SWOT
        ],
        "strategies": [
            {"kind": "SO", "factors": ["s1", "s4", "o2"],
             "text": "Use village trust and ClearFlow's skills to apply jointly for the "
                     "government water fund."},
            {"kind": "ST", "factors": ["s4", "t1"],
             "text": "Build raised, flood-proof water points and train committees to repair them."},
            {"kind": "WO", "factors": ["w2", "w3", "o1"],
             "text": "Align the digital register with the district system so the district "
                     "shares the support load."},
            {"kind": "WT", "factors": ["w1", "t3"],
             "text": "Combine clinic, water and data visits into one monthly boat trip."},
            {"kind": "SO", "factors": ["s3", "o3"],
             "text": "Church volunteers send reminders for vaccination days by text message."},
        ],
        "players": [
            {"name": "Hope Alliance International", "role": "Convenes the partnership, funds "
                                                              "and trains health workers."},
            {"name": "Riverbend Health Centre", "role": "Clinical care, referrals, vaccination."},
            {"name": "ClearFlow Water Trust", "role": "Water points and water committees."},
            {"name": "ByteBridge Solutions", "role": "Digital register, training and support."},
            {"name": "District Health Office", "role": "Approves the programme; receives data."},
            {"name": "Village chiefs council", "role": "Mobilises villages; hosts meetings."},
        ],
        "budget": [
            {"item": "Health worker training and kits", "kind": "cost", "amount": 54000,
             "note": "60 workers × USD 900 over three years."},
            {"item": "Water points (repair and new)", "kind": "cost", "amount": 96000,
             "note": "24 points, average USD 4,000."},
            {"item": "Digital register and tablets", "kind": "cost", "amount": 38000,
             "note": "ByteBridge quote, March 2024."},
            {"item": "Boat, fuel and field travel", "kind": "cost", "amount": 27000,
             "note": "USD 750 a month for 36 months."},
            {"item": "Coordination staff", "kind": "cost", "amount": 72000,
             "note": "Half of two posts over three years."},
            {"item": "Grants from two foundations", "kind": "return", "amount": 180000,
             "note": "Signed for 2025–2027."},
            {"item": "Government water fund (expected)", "kind": "return", "amount": 40000,
             "note": "Joint application with ClearFlow."},
            {"item": "Treatment costs avoided for families", "kind": "return", "amount": 65000,
             "note": "Estimate: 1,300 fewer diarrhoea cases × USD 50."},
            {"item": "Shared boat and logistics (savings)", "kind": "return", "amount": 18000,
             "note": "One monthly boat trip for all partners instead of three."},
        ],
        "benchmarks": [
            {"text": "Diarrhoea cases in children under five fall from 140 to 60 a month",
             "kind": "quantitative", "kpi": "k-diarrhoea"},
            {"text": "Three in four households use safe drinking water", "kind": "quantitative",
             "kpi": "k-safe-water"},
            {"text": "90 % of children under five fully vaccinated", "kind": "quantitative",
             "kpi": "k-vaccination"},
            {"text": "Every clinic visit recorded digitally", "kind": "quantitative",
             "kpi": "k-digital-records"},
            {"text": "Families say the programme listens to them", "kind": "qualitative",
             "kpi": "k-satisfaction"},
            {"text": "Village water committees run repairs on their own", "kind": "qualitative",
             "kpi": ""},
        ],
    }


# ---------------------------------------------------------------- step 5

PARTIES = (US, CLINIC, WATER, IT)

#: activity id → (name, RACI letters for us, clinic, water, IT).
ACTIVITIES = {
    "act-training": ("Train community health workers", "ARCI"),
    "act-visits": ("Household visits and referrals", "RAII"),
    "act-clinic": ("Vaccination days and outreach clinics", "RAIC"),
    "act-water": ("Repair and build water points", "RIAI"),
    "act-hygiene": ("Hygiene and health education sessions", "ACRI"),
    "act-register": ("Set up and run the digital register", "CRIA"),
    # Deliberate flaw: two parties are accountable for reporting.
    "act-reporting": ("Monthly KPI reporting", "ARCA"),
    "act-donors": ("Donor reports and fundraising", "ACRC"),
    "act-meetings": ("Community meetings and feedback", "RARI"),
    "act-safeguarding": ("Safeguarding training and incident handling", "ARRR"),
}


def governance() -> dict:
    """Return step 5: roles, the three groups, their members and the RACI."""
    members = [
        ("g-strategic", "Daniel Okafor", US, "chair"),
        ("g-strategic", "Dr Amina Yusuf", CLINIC, "representative"),
        ("g-strategic", "Maria Santos", WATER, "representative"),
        ("g-strategic", "Tomás Herrera", IT, "representative"),
        ("g-project", "Ruth Adeyemi", US, "project manager"),
        ("g-project", "Samuel Tesfaye", CLINIC, "project manager"),
        ("g-project", "Joseph Mensah", WATER, "project manager"),
        ("g-project", "Aisha Bello", IT, "project manager"),
        ("g-implementing", "Esther Njoroge", US, "chair"),
        ("g-implementing", "Joel Amadi", US, "member"),
        ("g-implementing", "Naomi Kiprop", CLINIC, "member"),
        ("g-implementing", "Peter Alvarez", WATER, "member"),
        ("g-implementing", "Aisha Bello", IT, "member"),
    ]
    return {
        "roles": [
            {"party": US, "role": "Convenes the partnership, trains and supports the community "
                                  "health workers, reports to donors."},
            {"party": CLINIC, "role": "Provides clinical care, referrals and vaccination days; "
                                      "supervises the health workers."},
            {"party": WATER, "role": "Repairs and builds water points and trains water "
                                     "committees."},
            {"party": IT, "role": "Sets up the digital register, trains staff and keeps the "
                                  "data safe."},
        ],
        "groups": [
            {"id": "g-strategic", "kind": "strategic", "name": "Partnership board",
             "purpose": "High-level decisions: direction, budget, new partners.",
             "reports_to": "", "meets": "quarterly"},
            {"id": "g-project", "kind": "project", "name": "Project group",
             "purpose": "Owns the project plan and solves problems between partners.",
             "reports_to": "g-strategic", "meets": "monthly"},
            {"id": "g-implementing", "kind": "implementing", "name": "Field team",
             "purpose": "Does the work in the villages and reports progress.",
             "reports_to": "g-project", "meets": "weekly"},
        ],
        "members": [
            {"group": g, "person": p, "party": party, "role": r} for g, p, party, r in members
        ],
        "activities": [{"id": i, "name": name} for i, (name, _) in ACTIVITIES.items()],
        "assignments": [
            {"activity": i, "party": party, "role": letter}
            for i, (_, letters) in ACTIVITIES.items()
            for party, letter in zip(PARTIES, letters, strict=True)
        ],
    }


# ---------------------------------------------------------------- step 6

#: (id, title, category, cause, owner, likelihood, impact, mitigation,
#:  residual likelihood, residual impact, status, phase, reviewed)
RISKS = [
    ("r-floods", "Floods damage water points", "external",
     "Heavy rains in the wet season", "Joseph Mensah", "Likely", "Major",
     "Raised platforms; spare parts stored in each village", "Possible", "Moderate",
     "mitigating", "partnership", "2026-08-15"),
    ("r-funding", "A donor withdraws funding", "financial",
     "Donor changes priorities", "Jonas Lindqvist", "Possible", "Major",
     "Two donors and a reserve of three months' costs", "Unlikely", "Moderate",
     "open", "partnership", "2026-06-30"),
    ("r-fx", "Currency losses on grants", "financial",
     "Local currency falls against the dollar", "Jonas Lindqvist", "Likely", "Minor",
     "Transfer funds quarterly, not yearly", "Possible", "Minor",
     "mitigating", "partnership", "2026-06-30"),
    ("r-nurses", "Nurses leave the health centre", "operational",
     "Better pay in the city", "Samuel Tesfaye", "Likely", "Moderate",
     "Training allowances; a second nurse trained for each task", "Possible", "Moderate",
     "mitigating", "partnership", "2026-09-01"),
    ("r-boat", "Boat out of service", "operational",
     "Engine failure; no mechanic nearby", "Joel Amadi", "Possible", "Moderate",
     "Service contract; hire a boat from the fishing cooperative", "Unlikely", "Minor",
     "mitigating", "partnership", "2026-07-10"),
    ("r-register", "Digital register delayed", "technology",
     "One key person at ByteBridge; nurses short of time for training", "Priya Raman",
     "Almost certain", "Moderate",
     "Second ByteBridge trainer; training during quiet clinic hours", "Likely", "Moderate",
     "occurred", "partnership", "2026-09-20"),
    ("r-data-breach", "Patient data seen by people who should not see it", "legal and compliance",
     "Shared tablets; weak passwords", "Aisha Bello", "Possible", "Major",
     "Personal logins, encryption, data protection training", "Unlikely", "Major",
     "mitigating", "partnership", "2026-09-20"),
    ("r-power", "No power for tablets at the health centre", "technology",
     "Grid cuts several times a week", "Aisha Bello", "Likely", "Minor",
     "Solar charger and offline mode", "Unlikely", "Minor",
     "closed", "partnership", "2026-03-15"),
    ("r-safeguarding", "Harm to a child or vulnerable adult during home visits", "safeguarding",
     "Visits alone to homes; weak reporting culture", "Esther Njoroge", "Unlikely",
     "Catastrophic",
     "Visits in pairs; safeguarding training for all; a reporting line", "Rare", "Catastrophic",
     "mitigating", "partnership", "2026-09-01"),
    ("r-safeguarding-partner", "A partner without a safeguarding policy", "safeguarding",
     "Small partners lack policies", "Ruth Adeyemi", "Possible", "Major",
     "Safeguarding is a must-pass selection criterion", "Rare", "Major",
     "closed", "due diligence", "2024-09-20"),
    ("r-trust", "Partners lose trust in each other", "relational",
     "Unclear roles; late payments between partners", "Daniel Okafor", "Possible", "Major",
     "Clear RACI; quarterly board; yearly partnership review", "Unlikely", "Moderate",
     "open", "partnership", "2026-09-17"),
    ("r-dominance", "One partner dominates decisions", "relational",
     "We hold most of the funds", "Daniel Okafor", "Possible", "Moderate",
     "Rotating chair of the project group; decisions by consensus", "Unlikely", "Moderate",
     "open", "due diligence", "2024-09-20"),
    ("r-reputation", "A story or photo used without consent", "reputational",
     "Rush to meet donor deadlines", "Chloe Martin", "Possible", "Major",
     "Written consent for every story; partner sign-off", "Unlikely", "Moderate",
     "mitigating", "partnership", "2026-07-01"),
    ("r-clinic-fees", "Families charged for care promised free", "reputational",
     "Clinic short of medicines", "Samuel Tesfaye", "Unlikely", "Major",
     "Medicine budget in the agreement; complaints line", "Rare", "Moderate",
     "open", "partnership", "2026-05-20"),
    ("r-strategy", "The district changes its health priorities", "strategic",
     "New district health plan in 2027", "Daniel Okafor", "Possible", "Moderate",
     "Keep the District Health Office on the board as observer", "Possible", "Minor",
     "open", "partnership", "2026-09-17"),
    ("r-dependency", "Villages depend on the partnership to keep water running", "strategic",
     "Committees not trained to repair", "Joseph Mensah", "Likely", "Major",
     "Train committees; spare-parts fund run by villages", "Possible", "Major",
     "mitigating", "partnership", "2026-08-15"),
    ("r-permits", "Water point permits delayed", "legal and compliance",
     "Slow district approvals", "Joseph Mensah", "Likely", "Minor",
     "Apply three months ahead; District Water Board contact", "Possible", "Minor",
     "open", "partnership", "2026-08-15"),
    ("r-cholera", "Cholera outbreak in the region", "external",
     "Outbreaks in neighbouring districts", "Dr Amina Yusuf", "Possible", "Catastrophic",
     "Chlorine stocks; rapid-response plan with the district", "Possible", "Major",
     "open", "partnership", "2026-09-01"),
]

APPETITE = {
    "strategic": 10,
    "financial": 8,
    "operational": 12,
    "reputational": 6,
    "legal and compliance": 6,
    "safeguarding": 4,
    "relational": 8,
    "technology": 9,
    "external": 12,
}


def risks() -> dict:
    """Return step 6: the risk register and the appetite per category."""
    fields = ("id", "title", "category", "cause", "owner", "likelihood", "impact", "mitigation",
              "residual_likelihood", "residual_impact", "status", "phase", "reviewed")
    return {
        "risks": [dict(zip(fields, r, strict=True)) for r in RISKS],
        "appetite": [{"category": c, "max_score": s} for c, s in APPETITE.items()],
    }


# ---------------------------------------------------------------- step 7

#: (id, name, group, power, interest, legitimacy, urgency, target audience, participation)
STAKEHOLDERS = [
    ("st-dho", "District Health Office", "government", "Very high", "High", "Very high",
     "Medium", False, "consulted"),
    ("st-chiefs", "Village chiefs council", "leaders", "High", "High", "Very high", "High",
     False, "collaborating"),
    ("st-nurses", "Riverbend Health Centre nurses", "staff", "High", "Very high", "High",
     "High", False, "involved"),
    ("st-water-authority", "Regional water authority", "government", "Very high", "Low",
     "High", "Low", False, "informed"),
    ("st-council", "District council finance committee", "government", "High", "Low",
     "Medium", "Low", False, "informed"),
    ("st-mothers", "Mothers' groups", "families", "Low", "Very high", "Very high", "Very high",
     True, "involved"),
    ("st-islands", "Families in the island villages", "families", "Very low", "Very high",
     "Very high", "Very high", True, "consulted"),
    ("st-chws", "Community health workers", "volunteers", "Low", "Very high", "High", "High",
     True, "empowered"),
    ("st-water-committees", "Village water committees", "volunteers", "Medium", "High",
     "High", "High", True, "collaborating"),
    ("st-churches", "Local church leaders' fellowship", "leaders", "Medium", "High", "High",
     "Medium", False, "involved"),
    ("st-youth", "River youth group", "families", "Low", "Medium", "Medium", "Low", False,
     "consulted"),
    ("st-business", "Market traders' association", "business", "Low", "Low", "Medium",
     "Very low", False, "informed"),
    ("st-radio", "Riverside community radio", "media", "Medium", "Low", "Medium", "Low",
     False, "informed"),
]

ENGAGEMENTS = [
    {"id": "en-baseline-survey", "title": "Household baseline survey", "kind": "survey",
     "date": "2024-09-15", "stakeholders": ["st-mothers", "st-islands", "st-youth"],
     "purpose": "Measure water use, child health and views on care before the programme.",
     "status": "held"},
    {"id": "en-dho-briefing", "title": "Briefing for the District Health Office",
     "kind": "briefing", "date": "2024-10-08", "stakeholders": ["st-dho", "st-council"],
     "purpose": "Present the partnership and agree reporting to the district.",
     "status": "held"},
    {"id": "en-chiefs", "title": "Meeting with the village chiefs council",
     "kind": "group meeting", "date": "2024-10-19", "stakeholders": ["st-chiefs", "st-churches"],
     "purpose": "Agree which villages come first and how chiefs take part.",
     "status": "held"},
    {"id": "en-mothers-interviews", "title": "Interviews with mothers' groups",
     "kind": "interview", "date": "2025-03-12", "stakeholders": ["st-mothers", "st-islands"],
     "purpose": "Hear what stops families from using the health centre.",
     "status": "held"},
    {"id": "en-water-authority", "title": "One-to-one with the regional water authority",
     "kind": "one-to-one meeting", "date": "2025-05-06", "stakeholders": ["st-water-authority"],
     "purpose": "Permits and the government water fund.", "status": "held"},
    {"id": "en-chw-workshop", "title": "Workshop with health workers and nurses",
     "kind": "workshop", "date": "2025-11-20",
     "stakeholders": ["st-chws", "st-nurses", "st-water-committees"],
     "purpose": "Improve the referral form and the monthly report.", "status": "held"},
    {"id": "en-town-hall-2026", "title": "Town hall in Kanda village", "kind": "town hall",
     "date": "2026-03-28",
     "stakeholders": ["st-chiefs", "st-mothers", "st-youth", "st-churches", "st-water-committees"],
     "purpose": "Report results of the first 18 months and hear concerns.", "status": "held"},
    {"id": "en-survey-2026", "title": "Community survey on the programme", "kind": "survey",
     "date": "2026-06-15", "stakeholders": ["st-mothers", "st-islands", "st-youth"],
     "purpose": "Ask families how the programme is doing (six statements).", "status": "held"},
    {"id": "en-youth-day", "title": "Youth football and health day", "kind": "group meeting",
     "date": "2026-08-22", "stakeholders": ["st-youth"],
     "purpose": "Hygiene messages for young people; cancelled after the floods.",
     "status": "cancelled"},
    {"id": "en-radio", "title": "Radio briefing on the vaccination day", "kind": "briefing",
     "date": "2026-10-10", "stakeholders": ["st-radio"],
     "purpose": "Announce the October vaccination day.", "status": "planned"},
    {"id": "en-town-hall-islands", "title": "Town hall on the largest island", "kind": "town hall",
     "date": "2026-11-14", "stakeholders": ["st-islands", "st-chiefs", "st-chws"],
     "purpose": "Plan the boat clinic schedule for 2027 with island families.",
     "status": "planned"},
    {"id": "en-dho-results", "title": "Year-two results for the district", "kind": "briefing",
     "date": "2026-10-20", "stakeholders": ["st-dho", "st-council", "st-water-authority"],
     "purpose": "Share the KPI results and the plan for year three.", "status": "planned"},
    {"id": "en-year-three", "title": "Planning workshop for year three", "kind": "workshop",
     "date": "2026-12-03",
     "stakeholders": ["st-nurses", "st-chws", "st-water-committees", "st-mothers", "st-churches"],
     "purpose": "Agree priorities for the last year with the people who do the work.",
     "status": "planned"},
]

QUESTIONS = [
    ("q-respect", "The health workers who visit our home treat us with respect."),
    ("q-water", "I know where to get safe drinking water in my village."),
    ("q-reach", "The health centre is easy to reach when my child is sick."),
    ("q-waiting", "Waiting times at the health centre have become shorter this year."),
    ("q-voice", "Our community was asked for its views before changes were made."),
    ("q-privacy", "I trust how the programme keeps my family's health information."),
]

#: Respondent groups: (name, respondent count, mean answer per question).
SURVEY_GROUPS = [
    ("North bank villages", 15, (4.5, 4.1, 3.9, 3.6, 3.8, 3.4)),
    ("South bank villages", 14, (4.3, 3.6, 3.7, 3.5, 3.4, 3.3)),
    ("Island villages", 11, (4.2, 2.6, 2.2, 3.0, 3.5, 3.1)),
]


def community(rng: random.Random) -> dict:
    """Return step 7: stakeholders, engagements and survey answers."""
    fields = ("id", "name", "group", "power", "interest", "legitimacy", "urgency",
              "target_audience", "participation")
    answers = []
    number = 0
    for group, count, means in SURVEY_GROUPS:
        for _ in range(count):
            number += 1
            code = f"R{number:02d}"
            for (question, _), mean in zip(QUESTIONS, means, strict=True):
                value = min(5, max(1, round(rng.gauss(mean, 0.8))))
                answers.append({"question": question, "respondent": code, "group": group,
                                "answer": value})
    return {
        "stakeholders": [dict(zip(fields, s, strict=True)) for s in STAKEHOLDERS],
        "engagements": ENGAGEMENTS,
        "questions": [{"id": i, "text": t} for i, t in QUESTIONS],
        "answers": answers,
    }


# ---------------------------------------------------------------- step 8


def resources() -> dict:
    """Return step 8: rates, contributions, costs, the rule and the vision budget."""
    return {
        "rates": [
            {"id": "rate-nurse", "name": "Nurse hour", "hourly": 14.0, "year": 2026,
             "source": "District health office pay scale 2026"},
            {"id": "rate-volunteer", "name": "Volunteer hour", "hourly": 4.5, "year": 2026,
             "source": "Hope Alliance volunteer valuation guide 2026"},
            {"id": "rate-engineer", "name": "Water engineer hour", "hourly": 22.0, "year": 2026,
             "source": "ClearFlow salary scale 2026"},
            {"id": "rate-it", "name": "IT specialist hour", "hourly": 32.0, "year": 2026,
             "source": "ByteBridge rate card 2026"},
        ],
        "contributions": [
            {"id": "co-us-grant", "party": US, "type": "finance", "form": "cash",
             "description": "Programme grant for health workers and coordination",
             "amount": 120000, "hours": 0, "rate": "", "year": 2026},
            {"id": "co-us-volunteers", "party": US, "type": "people", "form": "in kind",
             "description": "Church volunteers for health education", "amount": 0,
             "hours": 3200, "rate": "rate-volunteer", "year": 2026},
            {"id": "co-us-access", "party": US, "type": "access", "form": "in kind",
             "description": "Introductions to village chiefs and churches", "amount": 5000,
             "hours": 0, "rate": "", "year": 2026},
            {"id": "co-clinic-nurses", "party": CLINIC, "type": "people", "form": "in kind",
             "description": "Nurse time for supervision and vaccination days", "amount": 0,
             "hours": 2400, "rate": "rate-nurse", "year": 2026},
            {"id": "co-clinic-medicines", "party": CLINIC, "type": "finance", "form": "cash",
             "description": "Medicines for referred children", "amount": 9000, "hours": 0,
             "rate": "", "year": 2026},
            {"id": "co-clinic-data", "party": CLINIC, "type": "data", "form": "in kind",
             "description": "Anonymised monthly clinic figures", "amount": 3000, "hours": 0,
             "rate": "", "year": 2026},
            {"id": "co-water-cash", "party": WATER, "type": "finance", "form": "cash",
             "description": "Pumps, pipes and spare parts", "amount": 45000, "hours": 0,
             "rate": "", "year": 2026},
            {"id": "co-water-engineers", "party": WATER, "type": "people", "form": "in kind",
             "description": "Engineer time for repairs and committee training", "amount": 0,
             "hours": 1200, "rate": "rate-engineer", "year": 2026},
            {"id": "co-it-licences", "party": IT, "type": "finance", "form": "cash",
             "description": "Register software licences", "amount": 4000, "hours": 0,
             "rate": "", "year": 2026},
            {"id": "co-it-support", "party": IT, "type": "people", "form": "in kind",
             "description": "Set-up, training and support hours", "amount": 0, "hours": 450,
             "rate": "rate-it", "year": 2026},
        ],
        "costs": [
            {"item": "Health worker training, second course", "paid_by": US, "amount": 18500,
             "date": "2026-02-15"},
            {"item": "Boat fuel and maintenance", "paid_by": US, "amount": 9200,
             "date": "2026-06-30"},
            {"item": "Vaccination day supplies", "paid_by": CLINIC, "amount": 3400,
             "date": "2026-04-10"},
            {"item": "Water point repairs, dry season", "paid_by": WATER, "amount": 21600,
             "date": "2026-08-31"},
            {"item": "Tablets and solar chargers", "paid_by": IT, "amount": 6800,
             "date": "2026-01-20"},
            {"item": "Joint partnership review meeting", "paid_by": CLINIC, "amount": 900,
             "date": "2026-09-17"},
        ],
        "rule": "proportional to contribution",
        "shares": [],
        "vision_budget": [
            {"impact_area": "Healthy children", "kind": "expense",
             "item": "Health worker training and kits", "amount": 18000},
            {"impact_area": "Healthy children", "kind": "expense",
             "item": "Vaccination days and boat clinics", "amount": 14000},
            {"impact_area": "Healthy children", "kind": "income",
             "item": "Foundation grant (health)", "amount": 26000},
            {"impact_area": "Safe water for every household", "kind": "expense",
             "item": "Water points and spare parts", "amount": 32000},
            {"impact_area": "Safe water for every household", "kind": "expense",
             "item": "Water committee training", "amount": 6000},
            {"impact_area": "Safe water for every household", "kind": "income",
             "item": "Foundation grant (water)", "amount": 22000},
            {"impact_area": "Safe water for every household", "kind": "income",
             "item": "Village contributions to the spare-parts fund", "amount": 3000},
            {"impact_area": "Trusted local health data", "kind": "expense",
             "item": "Register licences, tablets and support", "amount": 12000},
            {"impact_area": "Trusted local health data", "kind": "income",
             "item": "District digitisation fund", "amount": 5000},
        ],
        "rule_note": (
            "Agreed at the board on 2025-03-20: each partner carries costs in proportion to "
            "the value of what it contributes, in kind included; balances are settled yearly "
            "in October."
        ),
    }


# ---------------------------------------------------------------- step 9


#: The communication calendar, July 2026 – June 2027, per audience: (kind, owner,
#: channel, [(date, title)]). Every audience has something in every quarter except
#: the major donors in January–March 2027: the gap the calendar check should find.
CALENDAR = {
    "Riverbend Health Centre": ("partner", "Ruth Adeyemi", "meeting", [
        ("2026-09-17", "Partnership review results"),
        ("2026-11-12", "Vaccination day debrief"),
        ("2027-02-11", "Board meeting summary"),
        ("2027-06-17", "Project group plan for year three"),
    ]),
    "ClearFlow Water Trust": ("partner", "Ruth Adeyemi", "meeting", [
        ("2026-08-20", "Flood repairs: lessons learnt"),
        ("2026-12-15", "Year-end update for partners"),
        ("2027-02-11", "Board meeting summary"),
        ("2027-05-20", "Dry-season repair plan"),
    ]),
    "ByteBridge Solutions": ("partner", "Priya Raman", "phone", [
        ("2026-09-24", "Register training schedule"),
        ("2026-12-15", "Year-end update for partners"),
        ("2027-02-11", "Board meeting summary"),
        ("2027-06-10", "Register support review"),
    ]),
    "Major donors": ("donor", "Jonas Lindqvist", "email", [
        ("2026-07-10", "Quarterly donor report Q2"),
        ("2026-10-08", "Quarterly donor report Q3"),
        ("2027-04-10", "Quarterly donor report Q1"),
    ]),
    "Monthly givers": ("donor", "Chloe Martin", "newsletter", [
        ("2026-07-25", "Newsletter: water points after the floods"),
        ("2026-09-28", "Newsletter: second year in numbers"),
        ("2026-11-05", "Website story: the island boat clinic"),
        ("2027-02-18", "Newsletter: meet a community health worker"),
        ("2027-04-22", "Newsletter: World Health Day in Riverside"),
    ]),
    "Village chiefs council": ("community", "Esther Njoroge", "meeting", [
        ("2026-08-05", "Chiefs council update"),
        ("2026-10-15", "Chiefs council update"),
        ("2027-01-20", "Chiefs council update"),
        ("2027-04-14", "Chiefs council update"),
    ]),
    "Mothers' groups": ("community", "Esther Njoroge", "meeting", [
        ("2026-09-09", "Hygiene and safe water session"),
        ("2026-10-21", "Vaccination day reminder"),
        ("2027-03-10", "Nutrition session"),
        ("2027-05-12", "Mothers' groups health fair"),
    ]),
    "Partner churches": ("church", "Chloe Martin", "social media", [
        ("2026-09-06", "Prayer points: the river villages"),
        ("2026-12-10", "Christmas appeal"),
        ("2027-03-15", "Church volunteers' day"),
        ("2027-06-05", "Water committees celebration"),
    ]),
    "Hope Alliance staff": ("staff", "Daniel Okafor", "email", [
        ("2026-09-30", "Staff learning note: year two"),
        ("2026-12-16", "Staff learning note: partnering with a health centre"),
        ("2027-03-25", "Staff learning note: the digital register"),
        ("2027-06-24", "Staff learning note: water committees"),
    ]),
    "Riverside community radio": ("media", "Chloe Martin", "phone", [
        ("2026-08-12", "Radio: flood safety and clean water"),
        ("2026-10-10", "Radio: vaccination day announcement"),
        ("2027-01-27", "Radio: cholera prevention"),
        ("2027-05-05", "Radio: health fair announcement"),
    ]),
}
#: A calendar item that did not happen.
CANCELLED_ITEM = ("2026-08-20", "Video: a day with a health worker", "video",
                  "Partner churches", "church", "Chloe Martin", "cancelled")


def communication() -> dict:
    """Return step 9: messages, guidelines, lines, calendar and testimonials."""
    lines = [
        ("Ruth Adeyemi", "Riverbend Health Centre", "partner", "meeting", "monthly",
         "Review progress, referrals and problems."),
        ("Ruth Adeyemi", "ClearFlow Water Trust", "partner", "meeting", "monthly",
         "Plan repairs and the water committee training."),
        ("Priya Raman", "ByteBridge Solutions", "partner", "phone", "fortnightly",
         "Follow the digital register and support calls."),
        ("Jonas Lindqvist", "Major donors", "donor", "email", "quarterly",
         "Report results and spending."),
        ("Chloe Martin", "Monthly givers", "donor", "newsletter", "monthly",
         "Stories from the villages (with consent)."),
        ("Esther Njoroge", "Village chiefs council", "community", "meeting", "every two months",
         "Share progress and hear concerns."),
        ("Esther Njoroge", "Mothers' groups", "community", "meeting", "monthly",
         "Health education and feedback."),
        ("Chloe Martin", "Partner churches", "church", "social media", "weekly",
         "Prayer points and volunteer calls."),
        ("Daniel Okafor", "Hope Alliance staff", "staff", "email", "quarterly",
         "Share lessons with other programmes."),
        ("Chloe Martin", "Riverside community radio", "media", "phone", "quarterly", ""),
    ]
    calendar_items = [
        (date, title, channel, audience, kind, owner,
         "done" if dt.date.fromisoformat(date) <= AS_OF else "planned")
        for audience, (kind, owner, channel, items) in CALENDAR.items()
        for date, title in items
    ]
    calendar_items.append(CANCELLED_ITEM)
    calendar_items.sort(key=lambda row: (row[0], row[3]))
    item_fields = ("date", "title", "channel", "audience", "audience_kind", "owner", "status")
    return {
        "messages": [
            {"audience": "", "message": "Healthy children start with safe water and care close "
                                        "to home."},
            {"audience": "Donors", "message": "Your gift reaches families no single "
                                              "organisation could reach alone."},
            {"audience": "Community", "message": "This is your programme: your health workers, "
                                                 "your water committees, your voice."},
            {"audience": "Partners", "message": "Each of us does what we do best, and we "
                                                "answer to the families together."},
        ],
        "guidelines": (
            "Speak of families with dignity: no pictures of suffering, no names without consent. "
            "Name every partner whose work a story shows, and let them check it first. Use "
            "plain words, local languages where possible, and report setbacks honestly."
        ),
        "lines": [
            dict(zip(("owner", "audience", "audience_kind", "channel", "frequency", "purpose"),
                     row, strict=True))
            for row in lines
        ],
        "calendar": [dict(zip(item_fields, row, strict=True)) for row in calendar_items],
        "testimonials": [
            {"giver": "Halima, mother of three, Kanda village",
             "text": "The health worker came when my son had fever and took us to the health "
                     "centre by boat. He is well now.",
             "date": "2026-03-28", "permission": True},
            {"giver": "Pastor Elias Mwale, South bank fellowship",
             "text": "Our volunteers feel part of something that matters to the whole river.",
             "date": "2026-05-12", "permission": True},
            {"giver": "Water committee chair, Island 2",
             "text": "Since the pump was fixed our children no longer drink from the river.",
             "date": "2026-08-14", "permission": False},
        ],
    }


# ---------------------------------------------------------------- step 10

#: (id, name, level, unit, direction, cumulative, frequency, baseline, target, decimals,
#:  disaggregation, owner, pace, noise, source). ``pace`` is the share of the way from
#:  baseline to target reached at the last measurement; None: no measurements yet.
KPIS = [
    ("k-volunteer-hours", "Volunteer hours given", "input", "number", "increase", True,
     "monthly", 0, 9000, 0, "", "Esther Njoroge", 0.74, 0.15, "Volunteer timesheets"),
    ("k-partner-funding", "Partner cash contributions received", "input", "currency",
     "increase", True, "monthly", 0, 210000, 0, "", "Jonas Lindqvist", 0.70, 0.25,
     "Finance ledger"),
    ("k-cost-per-household", "Cost per household reached", "input", "currency", "decrease",
     False, "monthly", 48, 30, 2, "", "Jonas Lindqvist", 0.12, 0.04, "Finance ledger"),
    ("k-chw-trained", "Community health workers trained", "output", "number", "increase", True,
     "monthly", 0, 60, 0, "sex", "Esther Njoroge", 0.80, 0.0, "Training register"),
    ("k-households-visited", "Households visited by health workers in the month", "output",
     "number", "increase", False, "monthly", 120, 450, 0, "", "Esther Njoroge", 0.72, 0.06,
     "Health worker monthly report"),
    ("k-water-points", "Water points repaired or built", "output", "number", "increase", True,
     "monthly", 0, 24, 0, "", "Joseph Mensah", 0.45, 0.0, "ClearFlow works log"),
    ("k-session-attendance", "People attending health education sessions in the month",
     "output", "number", "increase", False, "monthly", 80, 300, 0, "sex", "Esther Njoroge",
     0.76, 0.08, "Session attendance sheets"),
    ("k-safe-water", "Households using safe drinking water", "outcome", "percentage",
     "increase", False, "monthly", 38, 75, 1, "", "Joseph Mensah", 0.45, 0.015,
     "Household spot checks"),
    ("k-vaccination", "Children under five fully vaccinated", "outcome", "percentage",
     "increase", False, "monthly", 62, 90, 1, "", "Samuel Tesfaye", 0.82, 0.01,
     "Clinic vaccination register"),
    ("k-digital-records", "Clinic visits recorded in the digital register", "outcome",
     "percentage", "increase", False, "monthly", 5, 95, 1, "", "Priya Raman", 0.24, 0.03,
     "Digital register export"),
    ("k-wait-time", "Average waiting time at the health centre (minutes)", "outcome", "number",
     "decrease", False, "monthly", 95, 45, 0, "", "Samuel Tesfaye", 0.72, 0.04,
     "Clinic time sample"),
    ("k-diarrhoea", "Diarrhoea cases in children under five in the month", "impact", "number",
     "decrease", False, "monthly", 140, 60, 0, "", "Dr Amina Yusuf", 0.44, 0.02,
     "Clinic register"),
    ("k-skilled-births", "Births attended by a skilled health worker", "impact", "percentage",
     "increase", False, "monthly", 48, 80, 1, "", "Dr Amina Yusuf", 0.74, 0.02,
     "Clinic maternity register"),
    ("k-satisfaction", "Households satisfied with health services", "impact", "percentage",
     "increase", False, "yearly", 55, 80, 0, "", "Priya Raman", None, 0.0,
     "Household survey"),
]

COLLECTION = {
    "k-volunteer-hours": ("Timesheets", "Church volunteer leaders", "Paper timesheet",
                          "Summed by the M&E officer each month."),
    "k-partner-funding": ("Ledger", "Finance officer", "Accounting system", ""),
    "k-cost-per-household": ("Calculation", "Finance officer", "Monthly cost report",
                             "Programme costs of the month ÷ households visited."),
    "k-chw-trained": ("Register", "Community health coordinator", "Training register",
                      "Counted when the end-of-course assessment is passed."),
    "k-households-visited": ("Register", "Community health workers", "Visit booklet",
                             "Booklets collected at the monthly meeting."),
    "k-water-points": ("Works log", "ClearFlow project manager", "Works log spreadsheet", ""),
    "k-session-attendance": ("Attendance sheets", "Session facilitators", "Paper sheet",
                             "Women and men counted separately."),
    "k-safe-water": ("Spot checks", "Field officer", "Mobile form",
                     "30 randomly chosen households a month."),
    "k-vaccination": ("Register", "Clinic nurse", "Vaccination register", ""),
    "k-digital-records": ("System export", "ByteBridge support", "Register report",
                          "Digital visits ÷ visits in the paper day book."),
    "k-wait-time": ("Time sample", "Clinic receptionist", "Arrival and consultation times",
                    "Two sample days a month."),
    "k-diarrhoea": ("Register", "Clinic nurse", "Outpatient register", ""),
    "k-skilled-births": ("Register", "Clinic midwife", "Maternity register",
                         "Home births reported by health workers."),
    "k-satisfaction": ("Survey", "M&E officer", "Household survey",
                       "First round planned for November 2026."),
}


def monitoring() -> dict:
    """Return step 10: the KPIs and the data-collection plan."""
    fields = ("id", "name", "level", "unit", "direction", "cumulative", "frequency", "baseline",
              "target", "decimals", "disaggregation", "owner")
    kpis = []
    for row in KPIS:
        kpi = dict(zip(fields, row[:12], strict=True))
        kpi |= {"baseline_date": BASELINE_DATE, "target_date": TARGET_DATE}
        kpis.append(kpi)
    return {
        "kpis": kpis,
        "collection": [
            dict(zip(("kpi", "method", "collector", "tool", "notes"), (k, *v), strict=True))
            for k, v in COLLECTION.items()
        ],
    }


#: Months of the year with work on water points (the dry season) and training courses.
DRY_SEASON = {6, 7, 8, 9, 10, 11}
TRAINING_MONTHS = (2, 5, 9, 14, 17, 21, 23)
#: Share of the two sexes in the disaggregated KPIs.
SEX_SHARES = {"k-chw-trained": (("female", 0.65), ("male", 0.35)),
              "k-session-attendance": (("female", 0.62), ("male", 0.38))}


def _series(row: tuple, dates: list[dt.date], rng: random.Random) -> list[float]:
    """Return one value per month for a KPI: a trend with noise (increments if cumulative)."""
    (_, _, _, unit, _, cumulative, _, baseline, target, decimals, _, _, pace, noise, _) = row
    kpi = row[0]
    count = len(dates)
    total = (target - baseline) * pace
    if cumulative:
        if kpi == "k-chw-trained":
            batch = round(total / len(TRAINING_MONTHS))
            sizes = [batch] * len(TRAINING_MONTHS)
            sizes[-1] += round(total) - sum(sizes)
            by_month = dict(zip(TRAINING_MONTHS, sizes, strict=True))
            return [float(by_month.get(i + 1, 0)) for i in range(count)]
        if kpi == "k-water-points":
            season = [i for i, d in enumerate(dates) if d.month in DRY_SEASON]
            values = [0.0] * count
            for number in range(round(total)):
                values[season[(number * 5) % len(season)]] += 1
            return values
        # Ramp up over the first months, then a steady flow with noise.
        weights = [min(1.0, (i + 1) / 4) for i in range(count)]
        scale = total / sum(weights)
        values = [max(0.0, w * scale * (1 + rng.gauss(0, noise))) for w in weights]
        correction = total / sum(values)  # land on the intended total
        return [round(v * correction, decimals) for v in values]
    span = target - baseline
    values = []
    for i, date in enumerate(dates):
        share = (i + 1) / count
        if kpi == "k-digital-records":
            # The register went live only in month 14, then grew slowly.
            progress = 0.0 if i < 13 else pace * (i - 12) / (count - 12)
        elif kpi == "k-cost-per-household":
            progress = pace * share
        else:
            # Fast early gains that slow down (a concave curve).
            progress = pace * (1 - (1 - share) ** 1.6)
        value = baseline + span * progress
        if kpi == "k-diarrhoea" and date.month in (3, 4, 5):
            value *= 1.25  # the rainy season brings more cases
        scale = abs(baseline) if unit != "percentage" else 100
        value += rng.gauss(0, noise) * scale * (0.3 if unit == "percentage" else 1)
        if unit == "percentage":
            value = min(100.0, max(0.0, value))
        values.append(round(max(0.0, value), decimals))
    return values


def measurements(rng: random.Random) -> list[dict]:
    """Return the monthly measurements, one row per KPI, month and group."""
    dates = month_ends()
    rows = []
    for row in KPIS:
        kpi, pace, source = row[0], row[12], row[14]
        if pace is None:
            continue
        values = _series(row, dates, rng)
        groups = SEX_SHARES.get(kpi)
        for date, value in zip(dates, values, strict=True):
            if groups is None:
                rows.append({"kpi": kpi, "date": D(date), "value": float(value), "group": "",
                             "source": source})
                continue
            first = round(value * groups[0][1] + rng.gauss(0, 0.03) * value)
            first = min(int(value), max(0, first))
            for (group, _), part in zip(groups, (first, value - first), strict=True):
                rows.append({"kpi": kpi, "date": D(date), "value": float(part), "group": group,
                             "source": source})
    return rows


# ---------------------------------------------------------------- step 11

REVIEWS = [
    {"id": "rv-2025", "name": "First partnership review", "date": "2025-09-18"},
    {"id": "rv-2026", "name": "Second partnership review", "date": "2026-09-17"},
]
#: Factors that stay weak (a concern) and the change per review for the others.
CONCERNS = {"sufficient funds, staff, materials and time": 2.3,
            "clear roles and policy guidelines": 2.9}


def review(rng: random.Random) -> dict:
    """Return step 11: two reviews rated by every party, and recommendations."""
    ratings = []
    base = {factor: 3.2 + rng.random() * 0.8 for factor in FACTORS}
    party_bias = {US: 0.2, CLINIC: 0.0, WATER: 0.1, IT: -0.2}
    for number, rv in enumerate(REVIEWS):
        for party in PARTIES:
            for factor in FACTORS:
                mean = CONCERNS.get(factor, base[factor] + 0.6 * number) + party_bias[party]
                if factor == "clear roles and policy guidelines" and party == IT:
                    mean -= 1.8 * number  # ByteBridge's view of roles worsened
                score = min(5, max(1, round(mean + rng.gauss(0, 0.35))))
                ratings.append({"review": rv["id"], "party": party, "factor": factor,
                                "score": score})
    return {
        "reviews": REVIEWS,
        "ratings": ratings,
        "recommendations": [
            {"text": "Give ByteBridge one accountable contact for the register and make "
                     "Hope Alliance alone accountable for KPI reporting",
             "owner": "Ruth Adeyemi", "due": "2026-11-30",
             "notes": "Two partners were both accountable for reporting; ByteBridge felt "
                      "roles were unclear."},
            {"text": "Budget a second nurse trainer and a relief boat driver",
             "owner": "Jonas Lindqvist", "due": "2027-01-31",
             "notes": "Every partner rated funds, staff and time low in both reviews."},
            {"text": "Rotate the chair of the project group every six months",
             "owner": "Daniel Okafor", "due": "2026-12-31",
             "notes": "So that no partner dominates the agenda."},
            {"text": "Invite ClearFlow to present at the supporters' day", "owner": "Chloe Martin",
             "due": None, "notes": "Appreciation: their repairs after the floods."},
        ],
    }


# ---------------------------------------------------------------- shared records

ORGANISATIONS = [
    ("org-hope-alliance", "Hope Alliance International", "church or mission",
     "https://hope-alliance.example.org", "Ourselves."),
    ("org-riverbend", "Riverbend Health Centre", "clinic or hospital",
     "https://riverbend-health.example.org", "Selected partner for clinical care."),
    ("org-st-lukes", "St Luke's Mission Hospital", "clinic or hospital",
     "https://st-lukes.example.org", "Shortlisted for clinical care."),
    ("org-carewell", "CareWell Private Clinic", "business", "", "Declined: no safeguarding "
                                                                 "policy."),
    ("org-clearflow", "ClearFlow Water Trust", "NGO", "https://clearflow.example.org",
     "Selected partner for safe water."),
    ("org-wells-for-all", "Wells for All Foundation", "NGO", "https://wells-for-all.example.org",
     "Shortlisted for safe water."),
    ("org-water-board", "District Water Board", "government", "", ""),
    ("org-bytebridge", "ByteBridge Solutions", "service provider",
     "https://bytebridge.example.com", "Selected partner for IT and data."),
    ("org-openhealth", "OpenHealth Data Cooperative", "NGO", "https://openhealth.example.org",
     "Shortlisted for IT and data."),
    ("org-nimbus", "Nimbus IT Services", "business", "https://nimbus-it.example.com", ""),
    ("org-lakeside-schools", "Lakeside Schools Trust", "NGO", "https://lakeside-schools.example.org",
     "Selected partner of the Lakeside plan: runs four secondary schools."),
    ("org-nordic-fund", "Nordic Mission Fund", "church or mission", "https://nordic-mission.example.org",
     "Donor: pledged mentor training for Lakeside."),
]

PEOPLE = [
    ("p-ruth", "Ruth Adeyemi", "org-hope-alliance", "Programme manager"),
    ("p-daniel", "Daniel Okafor", "org-hope-alliance", "Country director"),
    ("p-priya", "Priya Raman", "org-hope-alliance", "M&E officer"),
    ("p-esther", "Esther Njoroge", "org-hope-alliance", "Community health coordinator"),
    ("p-jonas", "Jonas Lindqvist", "org-hope-alliance", "Finance manager"),
    ("p-chloe", "Chloe Martin", "org-hope-alliance", "Communications officer"),
    ("p-amina", "Dr Amina Yusuf", "org-riverbend", "Director"),
    ("p-samuel", "Samuel Tesfaye", "org-riverbend", "Head nurse"),
    ("p-maria", "Maria Santos", "org-clearflow", "Executive director"),
    ("p-joseph", "Joseph Mensah", "org-clearflow", "Project manager"),
    ("p-tomas", "Tomás Herrera", "org-bytebridge", "Managing director"),
    ("p-aisha", "Aisha Bello", "org-bytebridge", "Project manager"),
    ("p-grace", "Grace Achieng", "org-lakeside-schools", "Head of bursaries"),
]
#: When each contact was last spoken or written with (the others: never recorded).
LAST_CONTACTED = {
    "p-ruth": "2026-09-29", "p-daniel": "2026-09-12", "p-priya": "2026-09-25", "p-esther": "2026-09-28",
    "p-jonas": "2026-08-30", "p-chloe": "2026-09-30", "p-amina": "2026-09-03", "p-samuel": "2026-09-17",
    "p-maria": "2026-05-20", "p-joseph": "2026-09-08", "p-aisha": "2026-04-02", "p-grace": "2026-09-22",
}


def _email(name: str, organisation: str) -> str:
    domains = {o[0]: o[3].split("//")[-1] for o in ORGANISATIONS if o[3]}
    local = name.replace("Dr ", "").split()[0].lower().replace("á", "a")
    return f"{local}@{domains[organisation]}" if organisation in domains else ""


def shared() -> tuple[list[dict], list[dict]]:
    """Return the shared organisations and people, validated."""
    organisations = [
        Organisation.model_validate(dict(zip(("id", "name", "kind", "website", "notes"), o,
                                             strict=True))).model_dump(mode="json")
        for o in ORGANISATIONS
    ]
    people = [
        Person.model_validate({"id": i, "name": n, "organisation": o, "role": r, "email": _email(n, o),
                               "last_contacted": LAST_CONTACTED.get(i)}).model_dump(mode="json")
        for i, n, o, r in PEOPLE
    ]
    return organisations, people


# ---------------------------------------------------------------- the second SSU: Lakeside girls' education

#: The second SSU plan of Hope Alliance International: smaller, younger (steps 1-6, 8, 10 and 11 begun),
#: sharing its IT provider (ByteBridge) and the water trust's know-how with Riverside, so the portfolio
#: has a shared partner, two currencies of gifts and a plan still in progress to show.
SECOND_PLAN = "Lakeside Girls' Education"
SECOND_AS_OF = dt.date(2026, 9, 30)
SCHOOLS = "lakeside-schools"


def lakeside() -> dict:
    """Return the second sample plan's sections (the plan-exchange ``plan`` object), validated."""
    raw = {
        "info": {
            "name": SECOND_PLAN, "organisation": "Hope Alliance International",
            "ssu_name": "Lakeside girls' secondary education", "ssu_kind": "people group",
            "ssu_description": "Girls aged 12 to 18 in the fishing villages around (fictional) Lake Ondo, where "
                               "fewer than half finish secondary school.",
            "currency": "USD", "as_of": D(SECOND_AS_OF), "author": "Chloe Martin",
        },
        "goals": {
            "organisation_goal": "Families in the communities we serve live healthy, dignified lives, with local "
                                 "churches and organisations leading the care of their neighbours.",
            "ssu_goal": "Two in three Lakeside girls finish secondary school by 2029.",
            "serves_organisation_goal": "Girls who finish school marry later, earn more and raise healthier families.",
            "objectives": [
                {"id": "obj-bursaries", "title": "Give 150 bursaries a year", "owner": "Chloe Martin",
                 "due": "2027-01-31", "measure": "Bursaries paid in the school year.", "status": "in progress"},
                {"id": "obj-mentors", "title": "Train 30 women mentors", "owner": "Priya Raman",
                 "due": "2027-06-30", "measure": "", "status": "not started"},
            ],
        },
        "partners": {
            "needs": [{"id": "need-schools", "title": "Schools that keep girls enrolled",
                       "description": "Secondary schools that waive fees for bursary girls and report attendance."},
                      {"id": "need-data", "title": "Attendance records",
                       "description": "A simple way for schools to send monthly attendance."}],
            "candidates": [
                {"id": SCHOOLS, "name": "Lakeside Schools Trust", "need": "need-schools", "kind": "NGO",
                 "contact": "Grace Achieng", "goals": "Keep every enrolled girl in school.", "status": "selected",
                 "cadence": "monthly", "organisation_id": "org-lakeside-schools"},
                {"id": "bytebridge-lake", "name": "ByteBridge Solutions", "need": "need-data",
                 "kind": "service provider",
                 "contact": "Aisha Bello", "goals": "Grow its work with charities.", "status": "selected",
                 "cadence": "quarterly", "organisation_id": "org-bytebridge"},
            ],
            "criteria": [{"id": "cr-safe", "name": "Safeguarding of girls", "weight": 40.0, "gate": True,
                          "minimum": 4},
                         {"id": "cr-reach", "name": "Reach in the lake villages", "weight": 60.0}],
            "scores": [{"candidate": SCHOOLS, "criterion": "cr-safe", "score": 5},
                       {"candidate": SCHOOLS, "criterion": "cr-reach", "score": 4},
                       {"candidate": "bytebridge-lake", "criterion": "cr-safe", "score": 4},
                       {"candidate": "bytebridge-lake", "criterion": "cr-reach", "score": 3}],
        },
        "risks": {
            "risks": [
                {"id": "r-dropout", "title": "Girls leave school to marry early", "category": "external",
                 "cause": "Bride price in poor fishing seasons", "owner": "Grace Achieng", "likelihood": 4,
                 "impact": 4, "mitigation": "Mentors visit families; bursaries cover the fishing off-season",
                 "residual_likelihood": 3, "residual_impact": 4, "status": "mitigating"},
                {"id": "r-fees", "title": "Schools charge bursary girls extra fees", "category": "financial",
                 "cause": "Schools short of money", "owner": "Chloe Martin", "likelihood": 3, "impact": 3,
                 "mitigation": "Fees agreed in writing each term", "residual_likelihood": 2,
                 "residual_impact": 2, "status": "open"},
            ],
            "appetite": [{"category": "external", "max_score": 9}, {"category": "financial", "max_score": 6}],
        },
        "resources": {
            "vision_budget": [
                {"impact_area": "Girls in school", "kind": "expense", "item": "Bursaries (150 a year)",
                 "amount": 45000.0},
                {"impact_area": "Girls in school", "kind": "expense", "item": "Mentor training", "amount": 9000.0},
                {"impact_area": "Girls in school", "kind": "income", "item": "Sponsors", "amount": 30000.0},
            ],
        },
        "monitoring": {
            "kpis": [
                {"id": "k-enrolled", "name": "Bursary girls enrolled", "level": "output", "unit": "number",
                 "direction": "increase", "frequency": "monthly", "baseline": 0.0, "baseline_date": "2025-12-31",
                 "target": 150.0, "target_date": "2027-01-31", "owner": "Chloe Martin"},
                {"id": "k-attendance", "name": "Attendance of bursary girls", "level": "outcome",
                 "unit": "percentage", "direction": "increase", "frequency": "monthly", "baseline": 70.0,
                 "baseline_date": "2025-12-31", "target": 90.0, "target_date": "2027-12-31",
                 "owner": "Grace Achieng"},
            ],
        },
        "review": {
            "reviews": [{"id": "rv-lake-2026", "name": "First review", "date": "2026-09-10"}],
            "ratings": [
                # Both rate most factors 4; the schools see roles and resources less clearly (3, and 2).
                {"review": "rv-lake-2026", "party": party, "factor": factor,
                 "score": 4 - (party == SCHOOLS) * (("roles" in factor) + 2 * ("funds" in factor)) - (index % 5 == 4)}
                for party in (US, SCHOOLS)
                for index, factor in enumerate(FACTORS)
            ],
        },
    }
    return Plan.model_validate(raw).model_dump(mode="json")


def lakeside_measurements() -> list[dict]:
    """Monthly enrolment and attendance of the bursary girls, January to September 2026."""
    dates = month_ends((2026, 1), 9)
    enrolled = (40, 62, 80, 95, 104, 110, 118, 121, 126)
    attendance = (71, 74, 78, 76, 80, 82, 79, 83, 85)
    return [
        {"kpi": kpi, "date": D(day), "value": float(value), "group": "", "source": "school returns"}
        for kpi, values in (("k-enrolled", enrolled), ("k-attendance", attendance))
        for day, value in zip(dates, values, strict=True)
    ]


#: Gifts to both SSUs: (id, donor, plan, date, amount, currency, kind, designation, status).
GIFTS = [
    ("gift-wells-2025", "org-wells-for-all", SAMPLE_PLAN, "2025-11-20", 20000, "USD", "cash", "Water points",
     "received"),
    ("gift-wells-2026", "org-wells-for-all", SAMPLE_PLAN, "2026-08-28", 15000, "USD", "cash", "Water points",
     "received"),
    ("gift-stluke", "org-st-lukes", SAMPLE_PLAN, "2026-03-15", 4000, "USD", "in kind", "Vaccine fridges", "received"),
    ("gift-pledge-openhealth", "org-openhealth", SAMPLE_PLAN, "2027-01-31", 8000, "USD", "pledge",
     "Digital records", "expected"),
    ("gift-chloe-sponsors", "p-chloe", SECOND_PLAN, "2026-09-05", 2500, "USD", "cash", "Bursaries", "received"),
    ("gift-lake-trust", "org-lakeside-schools", SECOND_PLAN, "2026-06-30", 6000, "USD", "in kind",
     "Fee waivers", "received"),
    ("gift-nordic", "org-nordic-fund", SECOND_PLAN, "2026-12-15", 12000, "EUR", "pledge",
     "Mentor training", "expected"),
]


def gifts() -> list[dict]:
    """Return the sample gifts, validated."""
    fields = ("id", "donor", "plan", "date", "amount", "currency", "kind", "designation", "status")
    return [Gift.model_validate(dict(zip(fields, row, strict=True))).model_dump(mode="json") for row in GIFTS]


# ---------------------------------------------------------------- spreadsheets a user can copy

TEMPLATES = {
    "risks.csv": (
        ("Risk", "Category", "Cause", "Owner", "Likelihood", "Impact", "Mitigation",
         "Residual likelihood", "Residual impact", "Status"),
        [
            ("Floods damage water points", "external", "Heavy rains in the wet season",
             "Joseph Mensah", "Likely", "Major",
             "Raised platforms; spare parts stored in each village", "Possible", "Moderate",
             "mitigating"),
            ("A donor withdraws funding", "financial", "Donor changes priorities",
             "Jonas Lindqvist", "Possible", "Major",
             "Two donors and a reserve of three months' costs", "Unlikely", "Moderate", "open"),
            ("Nurses leave the health centre", "operational", "Better pay in the city",
             "Samuel Tesfaye", "Likely", "Moderate",
             "Training allowances; a second nurse trained for each task", "Possible",
             "Moderate", "mitigating"),
        ],
    ),
    "candidates.csv": (
        ("Candidate", "Need", "Kind", "Contact", "Goals", "Status"),
        [
            ("Riverbend Health Centre", "need-clinical", "clinic or hospital",
             "Dr Amina Yusuf", "Cut child deaths in its catchment", "selected"),
            ("St Luke's Mission Hospital", "need-clinical", "clinic or hospital",
             "Sister Clara Moreau", "Expand maternity care across the region", "shortlisted"),
            ("ClearFlow Water Trust", "need-water", "NGO", "Maria Santos",
             "Safe water for every household in the river basin by 2030", "selected"),
        ],
    ),
    "kpis.csv": (
        ("KPI", "Level", "Unit", "Direction", "Cumulative", "Frequency", "Baseline",
         "Baseline date", "Target", "Target date", "Breakdown", "Owner"),
        [
            ("Children under five fully vaccinated", "outcome", "percentage", "increase", "no",
             "monthly", "62", "2024-09-30", "90", "2027-09-30", "", "Samuel Tesfaye"),
            ("Community health workers trained", "output", "number", "increase", "yes",
             "monthly", "0", "2024-09-30", "60", "2027-09-30", "sex", "Esther Njoroge"),
            ("Cost per household reached", "input", "currency", "decrease", "no", "monthly",
             "48", "2024-09-30", "30", "2027-09-30", "", "Jonas Lindqvist"),
        ],
    ),
    "contributions.csv": (
        ("Partner", "Type", "What", "Form", "Amount", "Hours", "Rate", "Year"),
        [
            (US, "finance",
             "Programme grant for health workers and coordination", "cash", "120000", "", "",
             "2026"),
            (CLINIC, "people",
             "Nurse time for supervision and vaccination days", "in kind", "", "2400",
             "rate-nurse", "2026"),
            (WATER, "finance", "Pumps, pipes and spare parts", "cash",
             "45000", "", "", "2026"),
        ],
    ),
}


# ---------------------------------------------------------------- writing


def build() -> tuple[dict, list[dict]]:
    """Return the plan-exchange document and the measurements, validated."""
    rng = random.Random(SEED)
    raw = {
        "info": info(),
        "goals": goals(),
        "alignment": alignment(),
        "partners": partners(),
        "business_case": business_case(),
        "governance": governance(),
        "risks": risks(),
        "community": community(rng),
        "resources": resources(),
        "communication": communication(),
        "monitoring": monitoring(),
        "review": review(rng),
    }
    plan = Plan.model_validate(raw)
    rows = measurements(rng)
    organisations, people = shared()
    document = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": EXPORTED_AT,
        "plan": plan.model_dump(mode="json"),
        "measurements": rows,
        "organisations": organisations,
        "people": people,
        "gifts": [gift for gift in gifts() if gift["plan"] == SAMPLE_PLAN],
    }
    return document, rows


def build_second() -> dict:
    """Return the second SSU plan's plan-exchange document, validated."""
    organisations, people = shared()
    return {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "exported_at": EXPORTED_AT,
        "plan": lakeside(),
        "measurements": lakeside_measurements(),
        "organisations": organisations,
        "people": people,
        "gifts": [gift for gift in gifts() if gift["plan"] == SECOND_PLAN],
    }


def _csv_text(header: tuple[str, ...], rows: list) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def _plan_file_text(document: dict) -> str:
    """Return a sample plan file as ``partnerlib export-plan`` writes it (the models checked on the way)."""
    return plan_to_json(
        Plan.model_validate(document["plan"]),
        pd.DataFrame(document["measurements"], columns=list(MEASUREMENT_COLUMNS)),
        [Organisation.model_validate(o) for o in document["organisations"]],
        [Person.model_validate(p) for p in document["people"]],
        [Gift.model_validate(g) for g in document["gifts"]],
        exported_at=dt.datetime.fromisoformat(document["exported_at"]),
    )


def write(out: Path) -> list[Path]:
    """Write the sample files into ``out`` and return their paths."""
    document, rows = build()
    out.mkdir(parents=True, exist_ok=True)
    written = []
    plan_path = out / "sample_plan.json"
    plan_path.write_text(_plan_file_text(document), encoding="utf-8")
    written.append(plan_path)
    second_path = out / "sample_plan_lakeside.json"
    second_path.write_text(_plan_file_text(build_second()), encoding="utf-8")
    written.append(second_path)
    columns = ("kpi", "date", "value", "group", "source")
    csv_path = out / "sample_measurements.csv"
    csv_path.write_text(
        _csv_text(columns, [[row[c] for c in columns] for row in rows]), encoding="utf-8"
    )
    written.append(csv_path)
    templates = out / "templates"
    templates.mkdir(exist_ok=True)
    for name, (header, template_rows) in TEMPLATES.items():
        path = templates / name
        path.write_text(_csv_text(header, template_rows), encoding="utf-8")
        written.append(path)
    return written


def main(argv: list[str] | None = None) -> int:
    """Write the sample files (into data/ unless ``--out`` names another folder)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "data",
                        help="folder to write into (default: the repository's data/)")
    args = parser.parse_args(argv)
    for path in write(args.out):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
