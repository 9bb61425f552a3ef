"""Step 10 — monitoring and evaluation: KPIs, the data-collection plan, measurements."""

import datetime as dt
import functools
from typing import TYPE_CHECKING, Annotated, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from ..core.problems import rule_error
from ._base import (
    KPIS,
    Gap,
    Name,
    Number,
    Record,
    RecordId,
    RefersTo,
    RequiredName,
    Section,
    Text,
    WholeNumber,
    check_unique_ids,
    new_id,
    record_context,
)

if TYPE_CHECKING:
    import pandas as pd

KPI_LEVELS = ("input", "output", "outcome", "impact")
KPI_UNITS = ("number", "percentage", "currency")
FREQUENCIES = ("weekly", "monthly", "quarterly", "twice a year", "yearly")

#: A code another system gives an indicator: a DHIS2 data element uid or code, an IATI
#: indicator ref, a KoboToolbox question name or path (``water/households``). No spaces,
#: since those systems allow none; at most 100 characters.
ExternalCode = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=100, pattern=r"^[^\s]*$")
]


class Kpi(Record):
    """A key performance indicator with its baseline, target and how it is read.

    Progress runs from the baseline (0 %) to the target (100 %) whichever the
    direction, so a KPI that should fall gains progress as it falls.
    """

    id: RecordId = Field(default_factory=new_id, description="Short id of this KPI.")
    name: RequiredName = Field("New KPI", description="What is measured.")
    level: Literal[KPI_LEVELS] = Field("output", description="Input, output, outcome or impact.")  # type: ignore[valid-type]
    unit: Literal[KPI_UNITS] = Field(  # type: ignore[valid-type]
        "number", description="A count, a percentage (0–100) or an amount of money."
    )
    direction: Literal["increase", "decrease"] = Field(
        "increase", description="Whether the value should rise or fall."
    )
    cumulative: bool = Field(
        False, description="Add the measurements up (e.g. people trained to date) instead of reading the latest."
    )
    frequency: Literal[FREQUENCIES] = Field("monthly", description="How often it is measured.")  # type: ignore[valid-type]
    baseline: Number | None = Field(None, allow_inf_nan=False, description="The value at the start.")
    baseline_date: dt.date | None = Field(None, description="When the baseline was measured.")
    target: Number | None = Field(None, allow_inf_nan=False, description="The value to reach.")
    target_date: dt.date | None = Field(None, description="When the target should be reached.")
    decimals: WholeNumber = Field(0, ge=0, le=3, description="Decimal places shown (0–3).")
    disaggregation: Name = Field(
        "", description="How measurements are broken down (e.g. sex, village), if at all."
    )
    owner: Name = Field("", description="Who reports it.")
    code: ExternalCode = Field(
        "",
        description="Its code in other systems, if any: the DHIS2 data element, the IATI indicator "
        "ref, the KoboToolbox question name.",
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if self.baseline is not None and self.target is not None and self.baseline == self.target:
            raise rule_error("target_equals_baseline", field="target", got=self.baseline)
        if self.baseline_date and self.target_date and self.target_date <= self.baseline_date:
            raise rule_error("dates_out_of_order", field="target_date", other="baseline_date",
                             got=self.target_date, other_value=self.baseline_date)
        if self.unit == "percentage":
            for name in ("baseline", "target"):
                value = getattr(self, name)
                if value is not None and not 0 <= value <= 100:
                    raise rule_error("percentage_out_of_range", field=name, value=value)
        if self.target is not None and self.baseline is not None:
            rising = self.target > self.baseline
            if rising != (self.direction == "increase"):
                code = "target_above_baseline" if rising else "target_below_baseline"
                raise rule_error(code, field="direction", got=self.direction, target=self.target,
                                 baseline=self.baseline)
        return self


class Collection(Record):
    """How the data for one KPI is collected: method, who, when and with what tool."""

    kpi: Annotated[RecordId, RefersTo("kpis", what="a KPI")] = Field(
        ..., description="The KPI's id."
    )
    method: Name = Field("", description="How the data is collected (register, survey …).")
    collector: Name = Field("", description="Who collects it.")
    tool: Name = Field("", description="The form, app or spreadsheet used.")
    notes: Text = Field("", description="Anything else about the data.")


class Measurement(Record):
    """One measured value of a KPI on a date, optionally for one disaggregation group.

    Measurements are kept in the workspace's own table (they can run to
    millions of rows), not inside the monitoring section.
    """

    kpi: Annotated[RecordId, RefersTo(KPIS, what="a KPI")] = Field(..., description="The KPI's id.")
    date: dt.date = Field(..., description="The date the value refers to.")
    value: Number = Field(..., allow_inf_nan=False, description="The measured value.")
    group: Name = Field("", description="The disaggregation group (e.g. 'female'), if any.")
    source: Name = Field("", description="Where the value comes from.")


#: A table of measurements, the one schema every layer reads: its columns, in
#: order (``Measurement``'s fields), and their pandas types.
MEASUREMENT_TYPES: dict[str, str] = {
    "kpi": "str", "date": "datetime64[ns]", "value": "float64", "group": "str", "source": "str",
}
MEASUREMENT_COLUMNS = tuple(MEASUREMENT_TYPES)
#: The columns every table of measurements must have (group and source may be left out).
REQUIRED_MEASUREMENT_COLUMNS = tuple(
    name for name, info in Measurement.model_fields.items() if info.is_required()
)


def no_measurements() -> "pd.DataFrame":
    """Return an empty table of measurements with the schema's columns and types.

    A copy of one made once: making the table anew costs more than reading a small plan file.

    >>> no_measurements().dtypes.astype(str).to_dict()["date"]
    'datetime64[ns]'
    """
    return _empty_measurements().copy()


@functools.cache
def _empty_measurements() -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame({name: pd.Series(dtype=kind) for name, kind in MEASUREMENT_TYPES.items()})


class Monitoring(Section):
    """Step 10: the indicators, their targets and how the data is collected."""

    step = 10
    title = "Monitoring and evaluation"

    kpis: list[Kpi] = Field(default_factory=list, description="KPIs and impact targets.")
    collection: list[Collection] = Field(
        default_factory=list, description="The data-collection plan."
    )

    @model_validator(mode="after")
    def _unique_rows(self) -> Self:
        check_unique_ids(self.kpis, "kpis")
        seen: set[str] = set()
        for index, kpi in enumerate(self.kpis):
            if kpi.code and kpi.code.casefold() in seen:
                raise rule_error("code_used_twice", table="kpis", row=index, field="code", got=kpi.code)
            seen.add(kpi.code.casefold())
        return self

    def gaps(self) -> list[Gap]:
        """List KPIs without baseline, target or dates, levels with no KPI, KPIs nobody collects."""
        found = []
        for number, kpi in enumerate(self.kpis, start=1):
            for field in ("baseline", "baseline_date", "target", "target_date"):
                if getattr(kpi, field) is None:
                    found.append(Gap(f"kpis[{number}].{field}", f"gap_no_{field}", record_context(kpi, number)))
        for level in KPI_LEVELS:
            if not any(k.level == level for k in self.kpis):
                found.append(Gap("kpis", "gap_no_kpi_at_level", {"level": level}))
        planned = {c.kpi for c in self.collection}
        for number, kpi in enumerate(self.kpis, start=1):
            if kpi.id not in planned:
                found.append(Gap(f"kpis[{number}]", "gap_no_collection", record_context(kpi, number)))
        return found
