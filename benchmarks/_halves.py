"""Half clusters: the same comparison on stories of five articles instead of ten.

Every constant and rule of the ranking was looked at on the ten-article topics. Each topic cut
in two (articles 01-05 and 06-10, file order) gives twenty stories of five articles that
nothing was looked at on, with less text to choose from and the same three references (which
summarise all ten articles, so every system scores lower than on the whole topic). A ranking
fitted to the ten-article shape loses its lead over round-robin lead here first.

The halves are read through symbolic links in a temporary folder: the data is never copied.
Used by multiling.py (not a benchmark by itself: the leading underscore).
"""

from __future__ import annotations

import os
import statistics
import tempfile
from collections.abc import Callable
from pathlib import Path

Summarizer = Callable[[Path, int], list[str]]
Scorer = Callable[[str, list[str]], tuple[float, float]]


def halves(
    topics: list[Path],
    budgets: list[int],
    systems: dict[str, Summarizer],
    score: Scorer,
    refs: dict[str, list[str]],
) -> list[dict]:
    """Per budget: each system's mean R-1 / R-2 over the twenty half clusters, and each
    system's per-half scores (for paired margins)."""
    with tempfile.TemporaryDirectory(prefix="briefgen-halves-") as tmp:
        folders = _half_folders(topics, Path(tmp))
        rows = []
        for budget in budgets:
            scores = {
                key: [score(" ".join(summarize(d, budget)), refs[name]) for name, d in folders]
                for key, summarize in systems.items()
            }
            rows.append(
                {
                    "budget": budget,
                    "means": {
                        k: [statistics.fmean(s[i] for s in v) for i in (0, 1)]
                        for k, v in scores.items()
                    },
                    "per_half": scores,
                }
            )
    return rows


def _half_folders(topics: list[Path], root: Path) -> list[tuple[str, Path]]:
    """(topic name, folder of links to five of its articles), two per topic."""
    out = []
    for topic in topics:
        files = sorted((topic / "articles").glob("*.txt"))
        middle = len(files) // 2
        for half, part in (("a", files[:middle]), ("b", files[middle:])):
            folder = root / f"{topic.name}{half}" / "articles"
            folder.mkdir(parents=True)
            for path in part:
                os.symlink(path.resolve(), folder / path.name)
            out.append((topic.name, folder))
    return out


def margin(ours: list[tuple[float, float]], theirs: list[tuple[float, float]], i: int) -> str:
    """Mean of the paired differences on measure i, +- one standard error, and the wins."""
    diffs = [a[i] - b[i] for a, b in zip(ours, theirs)]
    error = statistics.stdev(diffs) / len(diffs) ** 0.5 if len(diffs) > 1 else 0.0
    wins = sum(d > 0 for d in diffs)
    return f"{statistics.fmean(diffs):+.2f} +- {error:.2f} ({wins} of {len(diffs)})"
