"""Shared bits of the benchmark scripts: where the repository and the data are, and tables.

Not a benchmark itself (the leading underscore keeps it out of the way). The scripts put the
repository first on sys.path so they measure the working tree, not some installed copy.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_DATA = REPO.parent / "shared" / "eval" / "multiling2011"

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


def data_or_skip(data: str | os.PathLike[str]) -> Path:
    """The MultiLing folder, or a clear message and exit 0 ("skipped") when it is not there."""
    path = Path(data).expanduser()
    topics = sorted(path.glob("M[0-9][0-9][0-9]/articles")) if path.is_dir() else []
    if not topics:
        print(
            f"skipped: no MultiLing 2011 data at {path} (expected M000/articles/*.txt ...); "
            "pass --data DIR to point at it"
        )
        sys.exit(0)
    return path


def topic_dirs(data: Path) -> list[Path]:
    """M000 ... M009: every topic folder that has an articles/ folder, in name order."""
    return [p.parent for p in sorted(data.glob("M[0-9][0-9][0-9]/articles")) if p.is_dir()]


def article_files(topic: Path) -> list[Path]:
    return sorted((topic / "articles").glob("*.txt"))


_DATE_LINE = re.compile(
    r"^\s*(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day,\s*)?"
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)"
    r"\s+\d{1,2},\s*\d{4}\s*"
)


def article_body(text: str) -> list[str]:
    """An article's paragraphs in plain Python: the title line and a leading date are dropped.

    WikiNews files open with a title line, then a date line ("Saturday, January 8, 2005");
    both are metadata, not sentences of the story. This is the baselines' own reading, kept
    independent of briefgen's ingest.
    """
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    lines = lines[1:]  # the title
    if lines:
        lines[0] = _DATE_LINE.sub("", lines[0], count=1)
    return [ln for ln in lines if ln]


def revision() -> str:
    """The commit measured, "+dirty" when the working tree has changes; "unknown" without git."""
    import subprocess

    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(REPO), *args], capture_output=True, text=True, check=True
        ).stdout.strip()

    try:
        head = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no", "--", "briefgen")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return head + ("+dirty" if dirty else "")


def machine() -> str:
    return (
        f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, briefgen at {revision()}"
    )


def table(headers: list[str], rows: list[list[object]]) -> str:
    """A Markdown table, columns padded so it also reads as plain text."""
    cells = [[str(c) for c in headers]] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(headers))]

    def line(r: list[str]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(cells[0]), rule, *(line(r) for r in cells[1:])])


def save_results(path: str | os.PathLike[str], data: Path, **fields: object) -> None:
    """Write a run's results as JSON, with the date, machine and data folder they came from."""
    record = {"date": str(dt.date.today()), "machine": machine(), "data": str(data), **fields}
    Path(path).write_text(json.dumps(record, indent=2) + "\n", encoding="utf-8")
