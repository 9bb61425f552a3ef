"""Step 6 — score the risk register on a likelihood × impact matrix and draw the heat maps.

A risk's score is its likelihood times its impact (1–25 on the usual 5 × 5
matrix); the score falls in a band (low, medium, high, critical) whose
cut-points are set by a :class:`RiskMatrix`. Each risk is scored twice: as it
stands (inherent) and once its mitigation works (residual). The residual score
is compared with the organisation's risk appetite for the risk's category.

Every function takes the risk register as a DataFrame made by
``records_table(plan.risks.risks, Risk)`` (one column per field of
:class:`~partnerlib.models.Risk`) and works on the whole table at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from ..core.problems import Problem
from ..models import IMPACT_LABELS, LIKELIHOOD_LABELS
from .checks import raise_problems, require_columns, rule_problems

__all__ = [
    "DEFAULT_MATRIX",
    "RISK_COLUMNS",
    "RiskMatrix",
    "crucial_risks",
    "risk_matrix_counts",
    "risk_profile",
    "score_risks",
]

#: The columns :func:`score_risks` needs (the fields of a Risk record).
RISK_COLUMNS = (
    "id",
    "title",
    "category",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
)


@dataclass(frozen=True)
class RiskMatrix:
    """A likelihood × impact matrix: its size, the words of each scale and the score bands.

    A score is likelihood × impact, from 1 to ``size``². ``bands`` lists each
    band's name with the highest score it holds, lowest band first; the last
    band must reach ``size``². The default is the usual 5 × 5 matrix with bands
    low 1–4, medium 5–9, high 10–14 and critical 15–25.

    >>> RiskMatrix().band_ranges()
    {'low': (1, 4), 'medium': (5, 9), 'high': (10, 14), 'critical': (15, 25)}
    >>> RiskMatrix(bands=(("low", 6), ("high", 25))).band_ranges()
    {'low': (1, 6), 'high': (7, 25)}

    Args:
        size: the number of steps on each scale (2–10).
        likelihood_labels: one word per likelihood step, lowest first.
        impact_labels: one word per impact step, lowest first.
        bands: pairs of (band name, highest score in the band), lowest first.
    """

    size: int = 5
    likelihood_labels: tuple[str, ...] = LIKELIHOOD_LABELS
    impact_labels: tuple[str, ...] = IMPACT_LABELS
    bands: tuple[tuple[str, int], ...] = (("low", 4), ("medium", 9), ("high", 14), ("critical", 25))

    def __post_init__(self) -> None:
        if not 2 <= self.size <= 10:
            raise ValueError(f"'size' must be between 2 and 10 (got {self.size})")
        for name in ("likelihood_labels", "impact_labels"):
            if len(getattr(self, name)) != self.size:
                raise ValueError(
                    f"'{name}' must hold {self.size} words, one per step "
                    f"(got {len(getattr(self, name))})"
                )
        tops = [top for _, top in self.bands]
        if not tops or any(b <= a for a, b in zip(tops, tops[1:], strict=False)) or tops[0] < 1:
            raise ValueError(f"'bands' must rise from low to high scores (got {tops})")
        if tops[-1] != self.size**2:
            raise ValueError(
                f"the last band must end at the highest score, {self.size**2} (got {tops[-1]})"
            )

    @property
    def band_names(self) -> tuple[str, ...]:
        """The band names, lowest first."""
        return tuple(name for name, _ in self.bands)

    def band_ranges(self) -> dict[str, tuple[int, int]]:
        """Return each band's lowest and highest score."""
        tops = [top for _, top in self.bands]
        lows = [1] + [top + 1 for top in tops[:-1]]
        return {name: (low, top) for (name, top), low in zip(self.bands, lows, strict=True)}

    def band_of(self, scores: Any) -> pd.Categorical:
        """Return the band of each score, as an ordered categorical (lowest band first)."""
        tops = np.array([top for _, top in self.bands])
        scores = np.asarray(scores)
        if scores.dtype.kind in "iu":  # whole scores: look the band up, one step per score
            codes = np.searchsorted(tops, np.arange(self.size**2 + 1))[np.clip(scores, 0, self.size**2)]
        else:
            scores = scores.astype(float)
            codes = np.where(np.isnan(scores), -1, np.searchsorted(tops, scores))
        return pd.Categorical.from_codes(codes, categories=self.band_names, ordered=True)


#: The 5 × 5 matrix with bands low 1–4, medium 5–9, high 10–14, critical 15–25.
DEFAULT_MATRIX = RiskMatrix()


def _scale_values(
    risks: pd.DataFrame, name: str, labels: Sequence[str], *, optional: bool
) -> tuple[np.ndarray, list[Problem]]:
    """Read a 1..size column of numbers or words as floats (NaN where empty and allowed)."""
    column = risks[name]
    size = len(labels)
    if pd.api.types.is_numeric_dtype(column.dtype) and not pd.api.types.is_bool_dtype(column.dtype):
        values = column.to_numpy(dtype=float, na_value=np.nan)
    else:
        numbers = pd.to_numeric(column, errors="coerce")
        words = {" ".join(label.lower().split()): float(n) for n, label in enumerate(labels, start=1)}
        keys = column.astype("string").str.lower().str.split().str.join(" ")
        values = numbers.fillna(keys.map(words)).to_numpy(dtype=float, na_value=np.nan)
    empty = column.isna().to_numpy()
    bad = ~(np.isin(values, np.arange(1, size + 1)) | (optional & empty))
    if not bad.any():
        return values, []
    return values, rule_problems(risks, "risks", name, bad, "scale", size=size, labels=list(labels))


def _appetite_map(appetite: Mapping[str, float] | pd.DataFrame) -> dict[str, float]:
    if isinstance(appetite, pd.DataFrame):
        require_columns(appetite, ("category", "max_score"), "appetite")
        return dict(zip(appetite["category"], appetite["max_score"].astype(float), strict=True))
    return {str(k): float(v) for k, v in appetite.items()}


def _appetite_of(categories: pd.Series, appetite: Mapping[str, float] | pd.DataFrame | None) -> np.ndarray:
    """Return each risk's appetite (NaN where its category has none)."""
    limits = _appetite_map(appetite) if appetite is not None else {}
    where = pd.Index(list(limits), dtype=object).get_indexer(categories.astype(object))
    return np.append(np.array(list(limits.values()), dtype=float), np.nan)[where]


def score_risks(
    risks: pd.DataFrame,
    *,
    matrix: RiskMatrix = DEFAULT_MATRIX,
    appetite: Mapping[str, float] | pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Score each risk before and after mitigation, band it and compare it with the appetite.

    Likelihood and impact may be numbers (1 to the matrix size) or the scale's
    words ("Likely", "almost certain"; case does not matter). A risk whose
    residual likelihood or impact is still empty has not been assessed after
    mitigation: its residual equals its inherent score and
    ``residual_assessed`` is False. The appetite is the highest residual score
    accepted per category; a category without one is never above appetite.

    >>> table = pd.DataFrame({"id": ["r1", "r2"], "title": ["Floods", "Fraud"],
    ...     "category": ["external", "financial"], "likelihood": ["Likely", 2],
    ...     "impact": [4, 5], "residual_likelihood": [2, None], "residual_impact": [3, None]})
    >>> scored = score_risks(table, appetite={"external": 4, "financial": 12})
    >>> scored[["id", "score", "band", "residual_score", "reduction", "above_appetite"]]
       id  score      band  residual_score  reduction  above_appetite
    0  r1     16  critical               6         10            True
    1  r2     10      high              10          0           False

    Args:
        risks: the risk register, with at least the columns in ``RISK_COLUMNS``.
        matrix: the matrix size, scale words and band cut-points.
        appetite: the highest acceptable residual score per category, as a
            mapping ``{category: max_score}`` or the appetite table (columns
            ``category`` and ``max_score``).

    Returns:
        The register with likelihood and impact as numbers (residual ones
        filled in where not assessed) and the columns ``score``, ``band``,
        ``residual_assessed``, ``residual_score``, ``residual_band``,
        ``reduction``, ``reduction_percent`` (0–100; negative when the residual
        is worse), ``appetite`` (the category's maximum, NaN when none) and
        ``above_appetite``.

    Raises:
        InvalidInput: a column is missing, or rows hold a value outside the
            scale (the message names the rows, counted from 1).
    """
    require_columns(risks, RISK_COLUMNS, "risks")
    problems: list[Problem] = []
    values = {}
    for name in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
        labels = matrix.likelihood_labels if name.endswith("likelihood") else matrix.impact_labels
        values[name], found = _scale_values(risks, name, labels, optional=name.startswith("residual"))
        problems += found
    raise_problems(problems)

    likelihood, impact = values["likelihood"].astype(np.int64), values["impact"].astype(np.int64)
    assessed = ~(np.isnan(values["residual_likelihood"]) | np.isnan(values["residual_impact"]))
    residual_likelihood = np.where(assessed, values["residual_likelihood"], likelihood).astype(np.int64)
    residual_impact = np.where(assessed, values["residual_impact"], impact).astype(np.int64)
    score = likelihood * impact
    residual = residual_likelihood * residual_impact

    out = risks.copy(deep=False)
    for name, column in (("likelihood", likelihood), ("impact", impact),
                         ("residual_likelihood", residual_likelihood), ("residual_impact", residual_impact)):
        if risks[name].dtype != np.int64:  # words, text or empty cells: write the numbers back
            out[name] = column
    out["score"] = score
    out["band"] = matrix.band_of(score)
    out["residual_assessed"] = assessed
    out["residual_score"] = residual
    out["residual_band"] = matrix.band_of(residual)
    out["reduction"] = score - residual
    out["reduction_percent"] = (score - residual) * 100.0 / score
    out["appetite"] = limit = _appetite_of(risks["category"], appetite)
    out["above_appetite"] = residual > limit
    return out


def _order(scored: pd.DataFrame) -> pd.DataFrame:
    """Sort worst first: residual score, then inherent score, then id (so row order never matters)."""
    return scored.sort_values(
        ["residual_score", "score", "id"], ascending=[False, False, True], kind="stable"
    )


def crucial_risks(scored: pd.DataFrame, *, top: int = 5) -> pd.DataFrame:
    """Return the risks that need attention first: all above appetite, plus the top few.

    A risk is crucial when its residual score is above the appetite for its
    category, or when it is among the ``top`` highest residual scores. They are
    listed worst first (residual score, then inherent score, then id).

    >>> table = pd.DataFrame({"id": ["a", "b", "c"], "title": ["A", "B", "C"],
    ...     "category": ["external"] * 3, "likelihood": [1, 5, 3], "impact": [1, 5, 3],
    ...     "residual_likelihood": [None] * 3, "residual_impact": [None] * 3})
    >>> crucial_risks(score_risks(table), top=2)["id"].tolist()
    ['b', 'c']

    Args:
        scored: the table from :func:`score_risks`.
        top: how many of the highest residual scores to include (0 or more).

    Returns:
        The crucial rows of ``scored``, worst first, with a fresh 0-based index.
    """
    if top < 0:
        raise ValueError(f"'top' must be 0 or more (got {top})")
    ordered = _order(scored)
    keep = ordered["above_appetite"].to_numpy() | (np.arange(len(ordered)) < top)
    return ordered[keep].reset_index(drop=True)


def _which(residual: bool) -> tuple[str, str, str, str]:
    if residual:
        return "residual_likelihood", "residual_impact", "residual_score", "residual_band"
    return "likelihood", "impact", "score", "band"


def risk_profile(scored: pd.DataFrame, *, residual: bool = False) -> pd.DataFrame:
    """Count the risks and add up their scores (the exposure) per band and category.

    >>> table = pd.DataFrame({"id": ["a", "b", "c"], "title": ["A", "B", "C"],
    ...     "category": ["external", "financial", "external"], "likelihood": [1, 5, 2],
    ...     "impact": [1, 5, 2], "residual_likelihood": [None] * 3, "residual_impact": [None] * 3})
    >>> risk_profile(score_risks(table))
           band   category  count  total_score
    0       low   external      2            5
    1  critical  financial      1           25

    Args:
        scored: the table from :func:`score_risks`.
        residual: use the residual scores (after mitigation) instead of the inherent ones.

    Returns:
        One row per band and category that holds risks, lowest band first, with
        ``count`` and ``total_score``.
    """
    _, _, score, band = _which(residual)
    grouped = scored.groupby([band, "category"], observed=True, sort=True)[score]
    profile = grouped.agg(count="size", total_score="sum").reset_index()
    profile = profile.rename(columns={band: "band"})
    profile["count"] = profile["count"].astype(np.int64)
    profile["total_score"] = profile["total_score"].astype(np.int64)
    return profile


def risk_matrix_counts(
    scored: pd.DataFrame, *, residual: bool = False, matrix: RiskMatrix = DEFAULT_MATRIX
) -> pd.DataFrame:
    """Count the risks in each cell of the matrix.

    >>> table = pd.DataFrame({"id": ["a", "b"], "title": ["A", "B"], "category": ["external"] * 2,
    ...     "likelihood": [2, 2], "impact": [3, 3], "residual_likelihood": [1, None],
    ...     "residual_impact": [1, None]})
    >>> risk_matrix_counts(score_risks(table)).loc[2, 3]
    np.int64(2)

    Args:
        scored: the table from :func:`score_risks`.
        residual: count by residual likelihood and impact instead of the inherent ones.
        matrix: the matrix the risks were scored on.

    Returns:
        A ``size`` × ``size`` table of counts: rows are likelihood 1…size,
        columns impact 1…size.
    """
    likelihood_column, impact_column, _, _ = _which(residual)
    size = matrix.size
    cells = (scored[likelihood_column].to_numpy(np.int64) - 1) * size + (
        scored[impact_column].to_numpy(np.int64) - 1
    )
    counts = np.bincount(cells, minlength=size * size).reshape(size, size)
    steps = pd.RangeIndex(1, size + 1)
    return pd.DataFrame(
        counts, index=steps.rename("likelihood"), columns=steps.rename("impact")
    )
