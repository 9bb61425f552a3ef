"""Step 5 — roles and governance: check the responsibility matrix and the group structure, draw it.

The responsibility matrix (RACI) says, for each activity, who is Responsible
(does the work), Accountable (answers for it: exactly one), Consulted and
Informed. The structure has a strategic group (one representative per
partner), a project group (a project manager per organisation) and an
implementing group that reports to the project group. The checks return
tables of problems in plain words, empty when all is well.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from ..core.problems import sentence
from ..models import (
    OURSELVES,
    RACI,
    Activity,
    Assignment,
    Governance,
    Group,
    Member,
    Plan,
)
from .checks import (
    as_table,
    choice_problems,
    raise_problems,
    repeat_problems,
    unknown_problems,
)
from .tables import records_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "ACTIVITY_COLUMNS",
    "ASSIGNMENT_COLUMNS",
    "RACI_RULES",
    "STRUCTURE_RULES",
    "check_raci",
    "check_structure",
    "parties_by_id",
    "raci_matrix",
    "structure_tables",
]

#: Columns each input table must have (as from ``records_table(..., Model)``).
ACTIVITY_COLUMNS = ("id", "name")
ASSIGNMENT_COLUMNS = ("activity", "party", "role")

#: The responsibility-matrix rules, in the order problems are listed.
RACI_RULES = (
    "one accountable",
    "someone responsible",
    "too many accountabilities",
    "consulted on everything",
    "unknown party",
)
#: The structure rules, in the order problems are listed.
STRUCTURE_RULES = (
    "strategic group",
    "project group",
    "partner in strategic group",
    "project manager",
    "implementing reports to project",
    "project reports to strategic",
    "empty group",
    "unknown party",
)


def parties_by_id(parties: Mapping[str, str] | Iterable[str]) -> dict[str, str]:
    """Return the parties as id → name, from a mapping or from ids alone (each then named by its id).

    >>> parties_by_id(["us", "p1"]), parties_by_id({"us": "Grace Mission"})
    ({'us': 'us', 'p1': 'p1'}, {'us': 'Grace Mission'})
    """
    if isinstance(parties, Mapping):
        return {str(key): str(value) for key, value in parties.items()}
    return {str(party): str(party) for party in parties}


def _checked_raci(activities: Any, assignments: Any) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check the two tables once: known roles and activities, one role per party and activity."""
    tasks = as_table(activities, Activity, ACTIVITY_COLUMNS, "activities")
    cells = as_table(assignments, Assignment, ASSIGNMENT_COLUMNS, "assignments")
    tasks["id"] = tasks["id"].astype(str)
    cells[["activity", "party"]] = cells[["activity", "party"]].astype(str)
    problems = repeat_problems(tasks, "activities", ["id"])
    problems += choice_problems(cells, "assignments", "role", RACI)
    problems += unknown_problems(cells, "assignments", "activity", tasks["id"], "an activity")
    problems += repeat_problems(cells, "assignments", ["activity", "party"], "two_roles")
    raise_problems(problems, "Responsibility matrix")
    return tasks, cells


def _problems(rows: list[pd.DataFrame], columns: list[str], rules: tuple[str, ...]) -> pd.DataFrame:
    """Stack problem tables in the order of ``rules`` (stable within a rule)."""
    import pandas as pd

    found = [frame for frame in rows if len(frame)]
    if not found:
        return pd.DataFrame(columns=columns)
    table = pd.concat(found, ignore_index=True)
    order = table["rule"].map({rule: n for n, rule in enumerate(rules)})
    return table.iloc[order.argsort(kind="stable")].reset_index(drop=True)[columns]


def check_raci(
    activities: Any,
    assignments: Any,
    *,
    parties: Mapping[str, str] | Iterable[str],
    max_accountable: int = 5,
) -> pd.DataFrame:
    """List what is wrong with the responsibility matrix (RACI), one problem per row.

    The rules: every activity has exactly one Accountable party and at least
    one Responsible; no party is Accountable for more than
    ``max_accountable`` activities; no party is Consulted on every activity
    (when there are three or more: consult where it matters, inform
    elsewhere); every party named is a party of the partnership.

    >>> activities = [Activity(id="a1", name="Run antenatal clinics")]
    >>> cells = [Assignment(activity="a1", party="us", role="R")]
    >>> check_raci(activities, cells, parties={"us": "Grace Mission"})["message"].tolist()
    ["'Run antenatal clinics' has no one accountable: choose exactly one party to answer for it."]

    Args:
        activities: the activities (table or list of ``Activity``): id, name.
        assignments: the cells (table or list of ``Assignment``): activity, party, role.
        parties: the partnership's parties, id → name (``Plan.parties()``), or their ids.
        max_accountable: the most activities one party may be accountable for.

    Returns:
        One row per problem: activity (its name, or empty), party (its name or
        id, or empty), rule (one of ``RACI_RULES``) and message. Empty when
        the matrix keeps every rule.

    Raises:
        InvalidInput: a column is missing, a role is not R, A, C or I, an
            assignment names an unknown activity, or a party has two roles in
            one activity.
    """
    import pandas as pd

    tasks, cells = _checked_raci(activities, assignments)
    names = parties_by_id(parties)
    task_names = dict(zip(tasks["id"], tasks["name"].astype(str), strict=True))
    cells["party_name"] = cells["party"].replace(names)
    counts = pd.crosstab(cells["activity"], cells["role"]).reindex(
        index=tasks["id"], columns=list(RACI), fill_value=0
    )
    accountable = (
        cells[cells["role"] == "A"]
        .groupby("activity")["party_name"]
        .agg(", ".join)
        .reindex(tasks["id"])
        .astype(object)
        .fillna("")
        .to_numpy()
    )
    activity = tasks["name"].astype(str)
    columns = ["activity", "party", "rule", "message"]
    rows = []
    number_a = counts["A"].to_numpy()
    none_a, many_a = number_a == 0, number_a > 1
    rows.append(
        pd.DataFrame(
            {
                "activity": activity[none_a | many_a],
                "party": accountable[none_a | many_a],
                "rule": "one accountable",
                "message": [
                    sentence("no_one_accountable", activity=name) if n == 0
                    else sentence("many_accountable", activity=name, count=int(n), parties=who)
                    for name, n, who in zip(
                        activity[none_a | many_a],
                        number_a[none_a | many_a],
                        accountable[none_a | many_a],
                        strict=True,
                    )
                ],
            }
        )
    )
    no_r = counts["R"].to_numpy() == 0
    rows.append(
        pd.DataFrame(
            {
                "activity": activity[no_r],
                "party": "",
                "rule": "someone responsible",
                "message": [sentence("no_one_responsible", activity=name) for name in activity[no_r]],
            }
        )
    )
    load = cells[cells["role"] == "A"].groupby("party_name").size()
    heavy = load[load > max_accountable]
    rows.append(
        pd.DataFrame(
            {
                "activity": "",
                "party": heavy.index,
                "rule": "too many accountabilities",
                "message": [
                    sentence("too_many_accountabilities", party=who, count=int(n), most=max_accountable)
                    for who, n in heavy.items()
                ],
            }
        )
    )
    if len(tasks) >= 3:
        consulted = cells[cells["role"] == "C"].groupby("party_name")["activity"].nunique()
        always = consulted[consulted >= len(tasks)]
        rows.append(
            pd.DataFrame(
                {
                    "activity": "",
                    "party": always.index,
                    "rule": "consulted on everything",
                    "message": [
                        sentence("consulted_on_everything", party=who, count=len(tasks))
                        for who in always.index
                    ],
                }
            )
        )
    strangers = cells[~cells["party"].isin(list(names))]
    rows.append(
        pd.DataFrame(
            {
                "activity": strangers["activity"].map(task_names),
                "party": strangers["party"],
                "rule": "unknown party",
                "message": [
                    sentence("raci_not_a_party", party=party, activity=task_names[task], known=list(names.values()))
                    for party, task in zip(strangers["party"], strangers["activity"], strict=True)
                ],
            }
        )
    )
    return _problems(rows, columns, RACI_RULES)


def raci_matrix(
    activities: Any, assignments: Any, parties: Mapping[str, str] | Iterable[str]
) -> pd.DataFrame:
    """Lay out the responsibility matrix: a row per activity, a column per party, letters in cells.

    Parties keep the order given (ourselves first in ``Plan.parties()``); a
    party named in an assignment but not among ``parties`` gets a column of
    its own, under its id, so nothing is hidden. Empty cells are "".

    >>> activities = [Activity(id="a1", name="Run antenatal clinics")]
    >>> cells = [Assignment(activity="a1", party="us", role="A"),
    ...          Assignment(activity="a1", party="hc", role="R")]
    >>> raci_matrix(activities, cells, {"us": "Grace Mission", "hc": "Hope Clinic"})
                          Grace Mission Hope Clinic
    activity
    Run antenatal clinics             A           R

    Args:
        activities: the activities (table or list of ``Activity``).
        assignments: the cells (table or list of ``Assignment``).
        parties: the partnership's parties, id → name, or their ids.

    Returns:
        A table indexed by activity name with one column per party name.
    """
    tasks, cells = _checked_raci(activities, assignments)
    names = parties_by_id(parties)
    order = list(names) + [p for p in cells["party"].unique() if p not in names]
    grid = (
        cells.pivot(index="activity", columns="party", values="role")
        .reindex(index=tasks["id"], columns=order)
        .astype(object)
        .fillna("")
    )
    grid.index = tasks["name"].astype(str).rename("activity")
    grid.columns = [names.get(party, party) for party in order]
    return grid


def structure_tables(governance: Governance) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the governance structure as two tables: its groups and their members.

    Returns:
        The groups (the columns of :class:`~partnerlib.models.Group`) and the
        members (those of :class:`~partnerlib.models.Member`), one row per record.
    """
    groups = records_table(governance.groups, Group)
    members = records_table(governance.members, Member)
    return groups, members


def check_structure(
    plan_or_governance: Plan | Governance, parties: Mapping[str, str] | Iterable[str] | None = None
) -> pd.DataFrame:
    """List what is wrong with the governance structure, one problem per row.

    The rules: there is a strategic group and a project group; every party
    (ourselves and each selected partner) has someone in the strategic group
    and names a project manager in the project group; the implementing group
    reports to the project group and the project group to the strategic
    group; no group is empty; every member represents a party of the
    partnership.

    >>> governance = Governance(
    ...     groups=[Group(id="g1", kind="strategic", name="Steering committee")],
    ...     members=[Member(group="g1", person="Ruth", party="us")],
    ... )
    >>> for message in check_structure(governance, {"us": "Grace Mission"})["message"]:
    ...     print(message)
    There is no project group yet: add one where each organisation names a project manager.
    Grace Mission names no project manager in a project group: add one with the role \
'project manager'.

    Args:
        plan_or_governance: a whole plan (its governance and parties are
            used) or a governance section.
        parties: the partnership's parties, id → name, or their ids; with a
            plan, ``plan.parties()`` when not given, otherwise only ourselves.

    Returns:
        One row per problem: group (its name, or empty), party (its name or
        id, or empty), rule (one of ``STRUCTURE_RULES``) and message. Empty
        when the structure keeps every rule.
    """
    import pandas as pd

    if isinstance(plan_or_governance, Plan):
        governance = plan_or_governance.governance
        parties = plan_or_governance.parties() if parties is None else parties
    else:
        governance = plan_or_governance
    names = parties_by_id(parties if parties is not None else {OURSELVES: "Our organisation"})
    groups, members = structure_tables(governance)
    group_names = dict(zip(groups["id"], groups["name"].astype(str), strict=True))
    kind_of = dict(zip(groups["id"], groups["kind"], strict=True))
    members["kind"] = members["group"].map(kind_of)
    columns = ["group", "party", "rule", "message"]
    rows: list[pd.DataFrame] = []

    def add(group: str, party: str, rule: str, code: str, /, **context: Any) -> None:
        """One problem: where, the rule broken, and its words from a code and context."""
        rows.append(pd.DataFrame([(group, party, rule, sentence(code, **context))], columns=columns))

    def listed(kind: str) -> str:
        return ", ".join(groups.loc[groups["kind"] == kind, "name"].astype(str))

    strategic = listed("strategic")
    project = listed("project")
    if not strategic:
        add("", "", "strategic group", "no_strategic_group")
    if not project:
        add("", "", "project group", "no_project_group")
    seated = set(members.loc[members["kind"] == "strategic", "party"])
    managers = set(
        members.loc[
            (members["kind"] == "project") & (members["role"] == "project manager"), "party"
        ]
    )
    for party, name in names.items():
        if strategic and party not in seated:
            add(strategic, name, "partner in strategic group", "no_strategic_seat", party=name, groups=strategic)
        if party not in managers:
            if project:
                add(project, name, "project manager", "no_project_manager", party=name, groups=project)
            else:
                add(project, name, "project manager", "no_project_manager_nor_group", party=name)
    target_kind = groups["reports_to"].map(kind_of)
    for rule, kind, parent in (
        ("implementing reports to project", "implementing", "project"),
        ("project reports to strategic", "project", "strategic"),
    ):
        wrong = groups[(groups["kind"] == kind) & (target_kind != parent)]
        parents = listed(parent)
        for group, reports_to in zip(wrong["name"].astype(str), wrong["reports_to"], strict=True):
            reports = (sentence("reports_to_group", group=group_names[reports_to]) if reports_to
                       else sentence("reports_to_no_group"))
            fix = (sentence("set_reports_to", groups=parents) if parents
                   else sentence("add_parent_group", parent=parent))
            add(group, "", rule, "reports_wrongly", group_kind=kind, group=group, parent=parent,
                reports=reports, fix=fix)
    empty = groups[~groups["id"].isin(members["group"])]
    for group in empty["name"].astype(str):
        add(group, "", "empty group", "empty_group", group=group)
    strangers = members[~members["party"].isin(list(names))]
    for person, party, group in zip(
        strangers["person"], strangers["party"], strangers["group"], strict=True
    ):
        add(group_names.get(group, group), party, "unknown party", "member_not_a_party", person=person,
            group=group_names.get(group, group), party=party, known=list(names.values()))
    return _problems(rows, columns, STRUCTURE_RULES)
