"""The briefgen command line: thin click commands over pipeline, render and ingest.

Imports of anything heavy happen inside the commands, so `briefgen --help` stays fast.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from pathlib import Path

import click

from briefgen import __version__
from briefgen.errors import BriefgenError

AUDIENCES = ("exec", "analyst", "newsletter")


def _parse_day(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-10-30") from None


def _stdin(paths: tuple[str, ...]):
    return sys.stdin.buffer if "-" in paths else None


def _write(text: str, output: str | None) -> None:
    """Standard output, or FILE written atomically: a failed run never leaves half a file."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    target = Path(output)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _say(message: str, quiet: bool = False) -> None:
    if not quiet:
        click.echo(message, err=True)


def _report_skipped(skipped, quiet: bool) -> None:
    for s in skipped:
        _say(f"briefgen: skipped {s.path}: {s.reason}", quiet)


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BriefgenError as exc:
            click.echo(f"briefgen: error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a folder of news articles into a cited brief and a what-to-watch list.

    \b
    Start with:  briefgen make --audience exec examples/trade-talks/
    """


_paths = click.argument("paths", nargs=-1, required=True)
_as_of = click.option(
    "--as-of",
    callback=_parse_day,
    metavar="DATE",
    help="The day that decides what is upcoming (YYYY-MM-DD). Default: the newest article's date.",
)
_output = click.option(
    "-o", "--output", metavar="FILE", help="Write here (atomically) instead of standard output."
)
_templates = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of templates that override the defaults by name (see `briefgen init`).",
)


def _format(*choices: str):
    """--format with CHOICES, the first being the default."""
    return click.option(
        "--format", "-f", "fmt", type=click.Choice(choices), default=choices[0], show_default=True
    )


_quiet = click.option(
    "-q", "--quiet", is_flag=True, help="Print nothing on standard error but errors."
)


@main.command()
@_paths
@click.option(
    "--audience",
    "-a",
    type=click.Choice(AUDIENCES),
    default="exec",
    show_default=True,
    help="exec: one screen; analyst: everything with citations; newsletter: for email.",
)
@_format("md", "html", "json")
@click.option(
    "--engine",
    type=click.Choice(["extractive"]),
    default="extractive",
    show_default=True,
    help="extractive: built in, no model, offline.",
)
@_as_of
@_output
@_templates
@_quiet
def make(paths, audience, fmt, engine, as_of, output, templates, quiet):
    """Make a brief from PATHS: files, folders (read recursively) or - for standard input.

    Reads .txt, .md, .html, .json, .jsonl and RSS/Atom feeds; prints the brief as Markdown,
    HTML or JSON, every point citing its numbered sources.
    """
    from briefgen.engines import get_engine
    from briefgen.pipeline import make_brief
    from briefgen.render import render_brief

    result = make_brief(
        list(paths), audience=audience, as_of=as_of, engine=get_engine(engine), stdin=_stdin(paths)
    )
    _report_skipped(result.corpus.skipped, quiet)
    _write(render_brief(result.brief, fmt, templates=templates), output)
    r = result.corpus.report
    _say(
        f"briefgen: {r.articles} articles ({len(r.skipped)} skipped), {r.chunks} chunks; "
        f"engine {engine}: no model calls, 0 tokens, $0.00; notes kept {r.notes_kept}, "
        f"dropped {r.notes_dropped}; as of {result.brief.provenance.as_of} "
        f"({result.brief.provenance.as_of_basis}); {r.seconds:.2f}s",
        quiet,
    )


@main.command()
@_paths
@_format("table", "json")
def sources(paths, fmt):
    """Show what was read from PATHS: id, title, date, words kept, debris cut; and what was skipped, and why."""
    import json

    from briefgen.ingest import load

    loaded = load(list(paths), stdin=_stdin(paths))
    if fmt == "json":
        click.echo(
            json.dumps(
                {
                    "articles": [
                        a.model_dump(mode="json", exclude={"text"}) for a in loaded.articles
                    ],
                    "skipped": [s.model_dump() for s in loaded.skipped],
                },
                indent=2,
            )
        )
        return
    rows = [("id", "title", "date", "words", "debris", "path")]
    for a in loaded.articles:
        title = a.title if len(a.title) <= 60 else a.title[:59] + "…"
        rows.append(
            (
                a.id,
                title,
                a.published.isoformat() if a.published else "unknown",
                str(a.words),
                str(a.debris_cut),
                a.path,
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for i, row in enumerate(rows):
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip())
        if i == 0:
            click.echo("  ".join("-" * w for w in widths))
    if loaded.skipped:
        click.echo(f"\nskipped {len(loaded.skipped)}:")
        for s in loaded.skipped:
            click.echo(f"  {s.path}: {s.reason}")
    click.echo(f"\n{len(loaded.articles)} articles read, {len(loaded.skipped)} skipped")


@main.command()
@_paths
@_format("md", "json", "ics")
@_as_of
@_output
@_templates
@_quiet
def watchlist(paths, fmt, as_of, output, templates, quiet):
    """List the dated events, deadlines and triggers in PATHS, by date (unresolved last).

    `--format ics` writes an iCalendar file of the dated items for calendar programs.
    """
    from briefgen.pipeline import build_watchlist, decide_as_of, read_corpus
    from briefgen.render import render_watchlist

    corpus = read_corpus(list(paths), stdin=_stdin(paths))
    _report_skipped(corpus.skipped, quiet)
    day, basis = decide_as_of(as_of, corpus)
    watch = build_watchlist(corpus, day)
    _write(render_watchlist(watch, fmt, templates=templates, sources=corpus.sources), output)
    _say(
        f"briefgen: {len(watch.upcoming)} upcoming, {len(watch.unresolved)} unresolved, "
        f"{len(watch.passed)} passed, as of {day} ({basis})",
        quiet,
    )


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def init(directory, force):
    """Write the default templates and prompts into DIRECTORY for editing.

    Then use them with `briefgen make --templates DIRECTORY/templates ...`.
    """
    from briefgen.resources import write_defaults

    written = write_defaults(directory, overwrite=force)  # ConfigError names a file already there
    for path in written:
        click.echo(path)
    click.echo(
        f"wrote {len(written)} files; edit them, then pass --templates {directory / 'templates'}",
        err=True,
    )
