"""`briefgen logs`: the recent runs and their model calls, from the SQLite log `make` keeps.

The log is read by runlog.read_log (read-only, redacted once more); this module only words
it, one block per run, or writes it as JSON (contract.RunLog, `briefgen schema logs`).
"""

from __future__ import annotations

from collections import Counter

import click

from briefgen.cli_support import cache_option, tell


@click.command()
@click.argument("paths", nargs=-1)
@click.option(
    "--folder",
    "folders",
    multiple=True,
    metavar="DIR",
    help="Only runs that read articles in DIR (repeatable); PATHS count the same way.",
)
@click.option("--model", "-m", metavar="NAME", help="Only runs that called model NAME.")
@click.option(
    "--limit",
    "-n",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="Show at most this many runs, newest first.",
)
@click.option("--calls", "each_call", is_flag=True, help="List every call, not only totals.")
@click.option("--json", "as_json", is_flag=True, help="Write the runs and calls as JSON.")
@cache_option
def logs(paths, folders, model, limit, each_call, as_json, cache):
    """Show the recent runs of `make` in the log of PATHS: what each read, called and cost.

    The log is the one `make PATHS` writes: .briefgen/log.db beside the first of PATHS (or
    --folder), --cache DIR's, else the current folder's. With PATHS or --folder, only the
    runs that read articles in those folders are shown (a file stands for its folder; runs
    logged before briefgen kept their folders are shown too). Nothing shown holds a key:
    the log is written without secrets, and is redacted again as it is read.
    """
    from briefgen import runlog

    wanted = [*paths, *folders]
    log = runlog.read_log(
        runlog.state_dir(cache, wanted) / runlog.LOG_FILE, wanted, model=model, limit=limit
    )
    if as_json:
        click.echo(log.model_dump_json(indent=2))
        return
    if not log.runs:
        tell(f"no runs logged in {log.log}" + (" that match" if wanted or model else ""))
        return
    for i, run in enumerate(log.runs):
        if i:
            tell("")
        for line in run_lines(run, each_call):
            tell(line)
    tell("")
    tell(f"{len(log.runs)} run{'' if len(log.runs) == 1 else 's'} shown from {log.log}")


def run_lines(run, each_call: bool = False) -> list[str]:
    """One run in a few lines: when and what, its totals, its folders, its calls."""
    from briefgen.ledger import format_usd
    from briefgen.schema import iso_timestamp

    when = iso_timestamp(run.started) if run.started else "time unknown"
    engine = run.engine or "engine unknown"
    if run.model:
        engine += f" {run.model}" + (f" at {run.base_url}" if run.base_url else "")
    calls = (run.calls_new or 0) + (run.calls_cached or 0)
    if calls or run.calls:
        cost = "cost unknown" if run.cost_usd is None else format_usd(run.cost_usd)
        spent = (
            f"{_n(calls, 'call')} ({run.calls_new or 0} new, {run.calls_cached or 0} cached); "
            f"{_http(run)}{run.prompt_tokens or 0:,} prompt + "
            f"{run.completion_tokens or 0:,} completion tokens; {cost}"
        )
    else:
        spent = "no model calls"
    lines = [
        f"run {run.id}  {when}  {run.audience or '?'}  {engine}",
        f"  {_n(run.articles, 'article')}, {_n(run.chunks, 'chunk')}; {spent}; "
        f"{run.seconds or 0:.2f} s",
        "  folders: " + (", ".join(run.folders) or "not recorded"),
    ]
    for warning in run.report.get("warnings") or []:
        lines.append(f"  warning: {warning}")
    if run.calls:
        lines.append("  calls: " + _call_totals(run.calls))
    if each_call:
        lines.extend(f"    {_call_line(c)}" for c in run.calls)
    return lines


def _http(run) -> str:
    """'12 HTTP requests (2 retries); ' as the cost line says it; nothing for a run logged
    before briefgen counted them (a guess from its calls would pass for a count)."""
    if run.http_requests is None:
        return ""
    retries = run.retries or 0
    again = f"{retries} retr{'y' if retries == 1 else 'ies'}"
    return f"{_n(run.http_requests, 'HTTP request')} ({again}); "


def _n(count: int | None, noun: str) -> str:
    count = count or 0
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _call_totals(calls) -> str:
    """'29 extract (2 cached, 1 failed), 1 synthesis': the calls of a run by kind."""
    kinds = Counter(c.kind or "?" for c in calls)
    parts = []
    for kind, count in kinds.items():
        cached = sum(1 for c in calls if (c.kind or "?") == kind and c.cached)
        failed = sum(1 for c in calls if (c.kind or "?") == kind and not c.ok)
        extra = [f"{cached} cached" if cached else "", f"{failed} failed" if failed else ""]
        notes = ", ".join(e for e in extra if e)
        parts.append(f"{count} {kind}" + (f" ({notes})" if notes else ""))
    return ", ".join(parts)


def _call_line(call) -> str:
    where = call.article_id or ""
    if call.chunk_index is not None:
        where += f" part {call.chunk_index + 1}"
    state = "cached" if call.cached else "ok" if call.ok else f"failed: {call.error or '?'}"
    tokens = f"{call.prompt_tokens or 0:,}+{call.completion_tokens or 0:,} tokens"
    # Only where a request was sent: a cached answer's 0 and an old log's unknown say nothing.
    sent = _n(call.requests, "request") if call.requests else ""
    fields = [call.kind or "?", where, call.model or "", call.mode or "", tokens,
              f"{call.seconds or 0:.1f} s", sent, state]  # fmt: skip
    return "  ".join(f for f in fields if f)
