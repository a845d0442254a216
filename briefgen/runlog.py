"""What a run tells the user and what it keeps: the summary lines, the plan, the SQLite log.

The CLI prints these lines on standard error and stores every run, with each of its model
calls, in `<state dir>/log.db` (like simonw/llm's log): `sqlite3 .briefgen/log.db 'select *
from runs'` shows what every brief cost. Nothing stored carries the API key or the base URL's
credentials: the log is given them to replace, and the endpoint memory is keyed by safe URLs.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path

from briefgen.config import Settings, secrets_of
from briefgen.engines import Engine
from briefgen.ledger import plan_summary, safe_url, store_run
from briefgen.pipeline import Result
from briefgen.resources import write_atomically

STATE_DIR = ".briefgen"
LOG_FILE = "log.db"
# endpoint#model -> the output mode that worked there, so the next run asks for it first.
MODES_FILE = "endpoints.json"


def state_dir(cache: str | None, paths: Sequence[str]) -> Path:
    """--cache DIR if given; else .briefgen beside the first folder or file of articles."""
    if cache:
        return Path(cache)
    for p in paths:
        if p == "-":
            continue
        path = Path(p)
        return (path if path.is_dir() else path.parent) / STATE_DIR
    return Path.cwd() / STATE_DIR


def _local(engine: Engine) -> bool:
    return getattr(engine, "local", False)


def engine_line(engine: Engine, settings: Settings) -> str:
    """What the engine's calls came to: count, tokens, cost."""
    ledger = getattr(engine, "ledger", None)
    if ledger is None:
        return f"engine {engine.name}: no model calls, 0 tokens, $0.00"
    return f"engine {engine.name} ({engine.model}): " + ledger.summary(
        settings.prices, _local(engine)
    )


def describe_plan(planned: list, engine: Engine, settings: Settings) -> str:
    """The --dry-run answer: what would be called, and what it would cost."""
    if not planned or engine.name != "llm":
        return "dry run: the extractive engine makes no model calls (cost $0)"
    table = plan_summary(planned, engine.model or "", settings.prices, _local(engine))
    return f"dry run: nothing was called.\n{table}"


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def summary_lines(result: Result, engine: Engine, settings: Settings) -> list[str]:
    r = result.corpus.report
    p = result.brief.provenance
    lines = [
        f"{_count(r.articles, 'article')} ({len(r.skipped)} skipped), "
        f"{_count(r.chunks, 'chunk')}; notes kept "
        f"{r.notes_kept}, dropped {r.notes_dropped}; points verified {r.points_verified}, "
        f"dropped {r.points_dropped}{_corrections(r)}; as of {p.as_of} ({p.as_of_basis}); "
        f"{r.seconds:.2f}s"
    ]
    lines.append(engine_line(engine, settings))
    if r.missing:
        lines.append(f"missing from the brief: {len(r.missing)} parts that could not be read:")
        lines.extend(f"  {m}" for m in r.missing)
    return lines


def _corrections(r) -> str:
    """What verification set right rather than dropped: a model's citations and speakers."""
    parts = []
    if r.citations_corrected:
        parts.append(f"citations recomputed for {r.citations_corrected}")
    if r.speakers_corrected:
        parts.append(f"speakers corrected {r.speakers_corrected}")
    return "".join(f", {p}" for p in parts)


def store(
    result: Result, engine: Engine, settings: Settings, audience: str, folder: Path
) -> str | None:
    """Append the run to folder/log.db; a warning instead of an error when that fails.

    A brief that was made is not lost because its log could not be written (a read-only
    folder of articles, say): the user is told, and can pass --cache.
    """
    report = result.corpus.report
    ledger = getattr(engine, "ledger", None)
    finished = dt.datetime.now(dt.timezone.utc)
    run = {
        **report.model_dump(mode="json"),
        "audience": audience,
        "base_url": getattr(engine, "base_url", None),
        "started": (finished - dt.timedelta(seconds=report.seconds)).isoformat(),
        "finished": finished.isoformat(),
    }
    try:
        store_run(
            folder / LOG_FILE, run, ledger.records if ledger else [], secrets=secrets_of(settings)
        )
    except (OSError, sqlite3.Error) as exc:
        return f"could not write the run log in {folder} ({exc}); pass --cache DIR to move it"
    return None


def _safe_endpoint(key: str) -> str:
    # "url#model"; a safe URL has no "#", so the first one ends it.
    url, hash_, model = key.partition("#")
    return f"{safe_url(url)}{hash_}{model}"


def load_modes(folder: Path) -> dict[str, str]:
    """What each endpoint accepted last time; empty when unknown or unreadable.

    Keys are cleaned as they are read: an older briefgen keyed the memory by the base URL as
    given, password and all, and the file loses that at its next save.
    """
    try:
        data = json.loads((folder / MODES_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {_safe_endpoint(str(k)): str(v) for k, v in data.items()}


def save_modes(folder: Path, modes: dict[str, str]) -> None:
    """Keep what worked for the next run; quietly skipped where the folder is not writable."""
    if not modes:
        return
    kept = {_safe_endpoint(k): v for k, v in sorted(modes.items())}
    with contextlib.suppress(OSError):
        write_atomically(folder / MODES_FILE, json.dumps(kept, indent=1))
