"""Leave one topic out: does each constant chosen by looking at MultiLing generalise?

For every constant that was set by looking at the MultiLing scores, and for each of the ten
topics in turn: the constant is chosen again on the other nine (the value of a small grid
with the best mean of R-1 and R-2 at the budget), then scored on the tenth. A value ahead of
the shipped one by no more than one standard error of their paired per-topic differences on
the nine ties with it, and the shipped value stays (`within_noise`): a grid flat within noise
is reported as flat, not as a different choice. A constant that generalises is chosen again at its shipped value in
every fold; one whose choice moves from fold to fold was fitted to the topics it was
looked at on. The constants are patched module attributes, set back afterwards; nothing
else differs from the main run.

Used by multiling.py (not a benchmark by itself: the leading underscore).
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Constant:
    name: str  # as printed: "merge.LEDE_BONUS"
    module: Any
    attribute: str
    grid: list[Any]
    needs_merge: bool  # True when it changes the findings themselves (read_corpus again)
    show: Callable[[Any], str] = str


def _kind_weights(shipped: dict[str, float]) -> tuple[list[dict], list[dict]]:
    """KIND_WEIGHT's two choices apart: the forecast weight, and the discount of analysis
    and opinion scaled (0 treats them as facts, 1 is shipped, 2 doubles the discount)."""
    forecast = [
        shipped if w == shipped["forecast"] else {**shipped, "forecast": w}
        for w in (0.9, 0.95, 1.0)
    ]
    discount = [
        shipped
        if s == 1.0
        else {
            **shipped,
            **{k: round(1 - s * (1 - shipped[k]), 3) for k in ("analysis", "opinion")},
        }
        for s in (0.0, 0.5, 1.0, 2.0)
    ]
    return forecast, discount


def constants() -> list[Constant]:
    from briefgen import merge, offtopic
    from briefgen.engines import extractive

    forecast, discount = _kind_weights(extractive.KIND_WEIGHT)
    return [
        Constant("merge.LEDE_BONUS", merge, "LEDE_BONUS", [0.0, 1.0, 2.0, 3.0, 5.0, 8.0], True),
        Constant(
            "merge.CORROBORATION_BONUS", merge, "CORROBORATION_BONUS", [0.2, 0.35, 0.6, 1.0], True
        ),
        Constant(
            "offtopic.ARTICLE_FRACTION", offtopic, "ARTICLE_FRACTION", [0.1, 0.15, 0.2, 0.3], True
        ),
        Constant("extractive.REDUNDANT", extractive, "REDUNDANT", [0.3, 0.4, 0.5, 0.6], False),
        Constant(
            "extractive.KIND_WEIGHT forecast",
            extractive,
            "KIND_WEIGHT",
            forecast,
            False,
            show=lambda w: f"{w['forecast']:.2f}",
        ),
        Constant(
            "extractive.KIND_WEIGHT analysis / opinion",
            extractive,
            "KIND_WEIGHT",
            discount,
            False,
            show=lambda w: f"{w['analysis']:.2f} / {w['opinion']:.2f}",
        ),
    ]


def per_topic_scores(
    constant: Constant,
    topics: list[Path],
    budget: int,
    summarize: Callable[[Path, int], list[str]],
    score: Callable[[str, list[str]], tuple[float, float]],
    refs: dict[str, list[str]],
) -> dict[int, dict[str, float]]:
    """grid index -> topic -> mean of R-1 and R-2 at `budget` with that value."""
    shipped = getattr(constant.module, constant.attribute)
    out: dict[int, dict[str, float]] = {}
    try:
        for g, value in enumerate(constant.grid):
            setattr(constant.module, constant.attribute, value)
            out[g] = {}
            for t in topics:
                r1, r2 = score(" ".join(summarize(t / "articles", budget)), refs[t.name])
                out[g][t.name] = (r1 + r2) / 2
    finally:
        setattr(constant.module, constant.attribute, shipped)
    return out


def within_noise(a: dict[str, float], b: dict[str, float], topics: list[str]) -> bool:
    """Is `a`'s lead over `b` on `topics` within one standard error of the paired per-topic
    differences? Then the two values tie and the shipped one stays.

    Why a standard error and not a fixed margin: how much a mean over nine topics moves by
    chance depends on how much the values' per-topic scores scatter, which a fixed 0.1 ROUGE
    cannot know; one standard error is the smallest lead a paired comparison can tell from
    a swap of one or two sentences in a topic or two (each such swap moves a 250-word
    summary's score by about a point)."""
    diffs = [a[t] - b[t] for t in topics]
    if len(diffs) < 2:
        return False
    return statistics.fmean(diffs) <= statistics.stdev(diffs) / len(diffs) ** 0.5


def folds(
    constant: Constant, scores: dict[int, dict[str, float]], topics: list[Path]
) -> list[dict]:
    """Per held-out topic: the value chosen on the other nine, and the held-out score with
    it and with the shipped value."""
    shipped = getattr(constant.module, constant.attribute)
    shipped_g = next(g for g, v in enumerate(constant.grid) if v == shipped)
    rows = []
    for held in topics:
        rest = [t.name for t in topics if t.name != held.name]

        def mean_on_rest(g: int, rest: list[str] = rest) -> tuple[float, bool]:
            return (statistics.fmean(scores[g][n] for n in rest), g == shipped_g)

        best = max(scores, key=mean_on_rest)
        tie = best != shipped_g and within_noise(scores[best], scores[shipped_g], rest)
        chosen = shipped_g if tie else best
        rows.append(
            {
                "grid_means": {
                    constant.show(v): statistics.fmean(scores[g].values())
                    for g, v in enumerate(constant.grid)
                },
                "held_out": held.name,
                "chosen": constant.show(constant.grid[chosen]),
                "best": constant.show(constant.grid[best]),
                "tie": tie,
                "shipped": constant.show(shipped),
                "same": chosen == shipped_g,
                "held_out_chosen": scores[chosen][held.name],
                "held_out_shipped": scores[shipped_g][held.name],
            }
        )
    return rows
