"""What a run tells the user and what it keeps: the summary lines, the plan, the SQLite log.

The CLI prints these lines on standard error and stores every run, with each of its model
calls, in `<state dir>/log.db` (like simonw/llm's log), with the folders its articles came
from; `briefgen logs` reads it back (read_log), newest first. Nothing stored carries the API
key or the base URL's credentials: the log is given them to replace, and the endpoint memory
is keyed by safe URLs; what is read back is redacted once more before it is shown.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefgen.config import Settings, secrets_of
from briefgen.contract import LoggedCall, LoggedRun, RunLog
from briefgen.engines import Engine
from briefgen.errors import InputError
from briefgen.ledger import Ledger, plan_summary, redact_text, safe_url, store_run
from briefgen.pipeline import Result
from briefgen.resources import write_atomically
from briefgen.schema import RunReport

STATE_DIR = ".briefgen"
LOG_FILE = "log.db"
# endpoint#model -> the output mode that worked there, so the next run asks for it first.
MODES_FILE = "endpoints.json"


def state_dir(cache: str | None, paths: Sequence[str]) -> Path:
    """--cache DIR if given; else .briefgen beside the first folder or file of articles (a
    URL has no folder: with URLs only, the current directory's)."""
    from briefgen.fetch import is_url

    if cache:
        return Path(cache)
    for p in paths:
        if p == "-" or is_url(p):
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
    # How the run fell short: the newsletter leaves this production detail to stderr.
    lines.extend(f"warning: {w}" for w in r.warnings)
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
    return store_report(result.corpus.report, result.corpus.articles, engine, settings, audience,
                        folder)  # fmt: skip


def store_report(
    report: RunReport, articles: Sequence, engine: Engine, settings: Settings, audience: str,
    folder: Path, ledger: Ledger | None = None,
) -> str | None:  # fmt: skip
    """store's work for a run given by its report and articles (`make --by-story` makes one
    run of several briefs, so it has no single Result); `ledger` when the calls are not the
    engine's own (a collected batch's)."""
    ledger = ledger or getattr(engine, "ledger", None)
    finished = dt.datetime.now(dt.timezone.utc)
    run = {
        **report.model_dump(mode="json"),
        "audience": audience,
        "base_url": getattr(engine, "base_url", None),
        "started": (finished - dt.timedelta(seconds=report.seconds)).isoformat(),
        "finished": finished.isoformat(),
        # What `briefgen logs --folder` filters on (kept in report_json).
        "folders": article_folders(a.path for a in articles),
    }
    try:
        store_run(
            folder / LOG_FILE, run, ledger.records if ledger else [], secrets=secrets_of(settings)
        )
    except (OSError, sqlite3.Error) as exc:
        return f"could not write the run log in {folder} ({exc}); pass --cache DIR to move it"
    return None


def store_batch(
    ledger: Ledger, engine: Engine, settings: Settings, articles: Sequence, folder: Path
) -> str | None:
    """A collected batch's answers as one run in folder/log.db (audience "batch"): its calls,
    tokens and cost at the batch price. The `make` that then uses them counts them cached."""
    cost = ledger.cost(getattr(engine, "prices", {}), getattr(engine, "local", False))
    report = RunReport(
        engine=engine.name,
        model=getattr(engine, "model", None),
        articles=len(articles),
        calls_new=ledger.calls_new,
        prompt_tokens=ledger.prompt_tokens,
        completion_tokens=ledger.completion_tokens,
        cost_usd=round(cost, 6) if cost is not None else None,
    )
    return store_report(report, articles, engine, settings, "batch", folder, ledger=ledger)


def article_folders(paths: Iterable[str]) -> list[str]:
    """The folders articles were read from, resolved: standard input and URLs have none, a
    record of a .jsonl file ('news.jsonl#3') is in its file's folder."""
    found = set()
    for path in paths:
        if path == "-" or "://" in path:
            continue
        if not os.path.exists(path):
            path = path.rpartition("#")[0] or path
        found.add(os.path.realpath(os.path.dirname(path) or "."))
    return sorted(found)


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


# ---------------------------------------------------------------- reading the log (`logs`)

_CALL_FIELDS = tuple(LoggedCall.model_fields)
_RUN_FIELDS = tuple(
    name for name in LoggedRun.model_fields if name not in ("folders", "report", "calls")
)


def read_log(
    db_path: Path,
    folders: Sequence[str] = (),
    model: str | None = None,
    limit: int | None = 10,
) -> RunLog:
    """The newest `limit` runs in the log at `db_path`, each with its calls.

    `folders` keeps the runs that read articles in one of them (a file stands for its
    folder); a run logged before briefgen kept its folders cannot be told apart, and is
    kept. `model` keeps the runs that used it, by the run's model or a call's. Every text
    read is redacted again before it is shown: the log was written without secrets, and
    this is the net under a log an older briefgen wrote. A missing log has no runs.
    """
    db_path = Path(db_path)
    if not db_path.is_file():
        return RunLog(log=str(db_path), runs=[])
    wanted = [_as_folder(f) for f in folders]
    try:
        # Read-only, so that looking never changes (or creates) anything.
        conn = sqlite3.connect(f"{db_path.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
    except sqlite3.Error as exc:
        raise InputError(f"cannot read the run log {db_path}: {exc}") from exc
    try:
        conn.row_factory = sqlite3.Row
        runs = []
        for row in _runs(conn, model):
            run = _run(row)
            if (
                wanted
                and run.folders
                and not any(_inside(f, w) for f in run.folders for w in wanted)
            ):
                continue
            run.calls = [_call(c) for c in conn.execute(
                "SELECT * FROM calls WHERE run_id = ? ORDER BY id", (run.id,))]  # fmt: skip
            runs.append(run)
            if limit is not None and len(runs) >= limit:
                break
    except (sqlite3.Error, ValidationError) as exc:  # not briefgen's log, or not whole
        raise InputError(f"cannot read the run log {db_path}: {exc}") from exc
    finally:
        conn.close()
    return RunLog(log=str(db_path), runs=runs)


def _runs(conn: sqlite3.Connection, model: str | None):
    if model is None:
        return conn.execute("SELECT * FROM runs ORDER BY id DESC")
    return conn.execute(
        "SELECT * FROM runs WHERE model = ? OR id IN (SELECT run_id FROM calls WHERE model = ?) "
        "ORDER BY id DESC",
        (model, model),
    )


def _as_folder(path: str) -> str:
    real = os.path.realpath(path)
    return real if os.path.isdir(real) or not os.path.exists(real) else os.path.dirname(real)


def _inside(folder: str, wanted: str) -> bool:
    return folder == wanted or folder.startswith(wanted.rstrip(os.sep) + os.sep)


def _shown(value: object) -> object:
    return redact_text(value) if isinstance(value, str) else value


def _redacted(value: Any) -> Any:
    """_shown() through lists and dicts (the report's skipped files, warnings)."""
    if isinstance(value, dict):
        return {str(_shown(k)): _redacted(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_redacted(v) for v in value]
    return _shown(value)


def _moment(value: object) -> dt.datetime | None:
    """A stored time as a datetime with its zone (briefgen stores UTC); None if unreadable."""
    try:
        moment = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.timezone.utc)


def _run(row: sqlite3.Row) -> LoggedRun:
    stored = dict(row)
    values = {name: _shown(stored.get(name)) for name in _RUN_FIELDS}
    for name in ("started", "finished"):
        values[name] = _moment(stored.get(name)) if stored.get(name) else None
    if isinstance(values.get("base_url"), str):
        values["base_url"] = safe_url(values["base_url"])
    try:
        report = json.loads(stored.get("report_json") or "{}")
    except ValueError:
        report = {}
    report = _redacted(report) if isinstance(report, dict) else {}
    kept = report.pop("folders", [])
    folders = [str(f) for f in kept] if isinstance(kept, list) else []
    return LoggedRun(**values, folders=folders, report=report)


def _call(row: sqlite3.Row) -> LoggedCall:
    stored = dict(row)
    values = {name: _shown(stored.get(name)) for name in _CALL_FIELDS}
    values["cached"] = bool(stored.get("cached"))
    values["ok"] = stored.get("ok") is None or bool(stored.get("ok"))
    return LoggedCall(**values)
