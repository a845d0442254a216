"""Recorded briefs on the command line: the options that say when a brief is recorded and
what "new" is measured against (make's), keeping a manifest, and `briefgen history`.

`briefgen.cli` registers the command on its main group; the rules are in history.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import click

from briefgen.cli_support import AUDIENCES, cache_option, say, tell

record_options = [
    click.option(
        "--record/--no-record",
        default=None,
        help="Keep this brief's manifest, so later briefs mark what is new since it. "
        "Default: only a brief written with -o FILE; a preview records nothing.",
    ),
    click.option(
        "--since",
        metavar="DATE|MANIFEST",
        help="Mark what is new since the last brief recorded before DATE (2025-10-30, "
        "2025-10-30T09:00; local time unless a zone is given), or since MANIFEST.",
    ),
    click.option(
        "--compare-to",
        metavar="MANIFEST",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        help="Mark what is new against this manifest (a file `briefgen history` lists). "
        "Default: the last recorded brief of these articles that differs from this one.",
    ),
]


def with_record_options(command):
    for option in reversed(record_options):
        command = option(command)
    return command


@dataclass
class Recording:
    """What `make` was asked about manifests: whether to keep this brief's (None: only when
    written to a file), and what to measure "new" against."""

    record: bool | None = None
    since: str | None = None
    compare_to: Path | None = None

    def keeps(self, output: str | None) -> bool:
        return self.record if self.record is not None else output not in (None, "-")


def keep_manifest(state: Path, kept, keep: int, quiet: bool) -> str | None:
    """Record the brief (history.record); a warning instead of an error when that fails."""
    from briefgen.history import record

    try:
        done = record(state, kept, keep)
    except OSError as exc:
        return (
            f"could not keep this brief's manifest in {state} ({exc}); the next brief "
            "cannot say what is new"
        )
    if done.again:
        say(f"briefgen: the same brief as the one recorded in {done.file}; not recorded again",
            quiet)  # fmt: skip
    return None


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option(
    "--audience", "-a", type=click.Choice(AUDIENCES), help="Only briefs for this audience."
)
@click.option("--limit", "-n", type=click.IntRange(1), default=20, show_default=True,
              help="Show at most this many, newest first.")  # fmt: skip
@click.option("--json", "as_json", is_flag=True, help="JSON instead of a table (`schema history`).")
@cache_option
def history(paths, audience, limit, as_json, cache):
    """List the briefs recorded for PATHS (the same paths `make` was given), newest first.

    Each row: when it was made, for whom, where it was written, its articles, points (new
    ones) and watch items, and the manifest file `make --compare-to` takes.
    """
    from briefgen import runlog
    from briefgen.contract import History
    from briefgen.errors import InputError
    from briefgen.history import entries

    missing = [p for p in paths if p != "-" and not Path(p).exists()]
    if missing:
        raise InputError(f"{missing[0]} does not exist")
    state = runlog.state_dir(cache, list(paths))
    rows = entries(state, list(paths), audience)[:limit]
    if as_json:
        # contract.History (`briefgen schema history`).
        click.echo(History(state=str(state), briefs=rows).model_dump_json(indent=2))
        return
    if not rows:
        tell(f"no brief of {', '.join(paths)} recorded in {state} (`make -o FILE` records one)")
        return
    table = [("made (UTC)", "audience", "articles", "points", "new", "watch", "manifest",
              "written to")]  # fmt: skip
    for r in rows:
        table.append((r["created"][:16].replace("T", " "), r["audience"], str(r["articles"]),
                      str(r["points"]), str(r["new_points"]), str(r["watch_items"]),
                      Path(r["manifest"]).name,
                      ", ".join(r["outputs"]) or "(not written to a file)"))  # fmt: skip
    widths = [max(len(row[i]) for row in table) for i in range(len(table[0]))]
    for row in table:
        tell("  ".join(c.ljust(w) for c, w in zip(row, widths)).rstrip())
    tell(f"manifests in {Path(rows[0]['manifest']).parent.parent}/AUDIENCE/")
