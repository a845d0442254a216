"""What the briefgen commands share: their options, the engine they open and close, the
brief made once (by `make`, and by `follow` at every change), and how they write and speak.

Imports of anything heavy happen inside the functions, so `briefgen --help` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from pathlib import Path

import click

AUDIENCES = ("exec", "analyst", "newsletter")


def _parse_day(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-10-30") from None


def stdin_for(paths: tuple[str, ...]):
    return sys.stdin.buffer if "-" in paths else None


def write_output(text: str, output: str | None) -> None:
    """Standard output, or FILE written atomically: a failed run never leaves half a file."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from briefgen.resources import write_atomically

    write_atomically(Path(output), text)


def say(message: str, quiet: bool = False) -> None:
    """A line on standard error, with anything shaped like a credential taken out: the
    messages are made without them, and this is the net under whatever a lower layer said."""
    from briefgen.ledger import redact_text

    if not quiet:
        click.echo(redact_text(message), err=True)


def report_skipped(skipped, quiet: bool) -> None:
    for s in skipped:
        say(f"briefgen: skipped {s.path}: {s.reason}", quiet)


paths_argument = click.argument("paths", nargs=-1, required=True)
as_of_option = click.option(
    "--as-of",
    callback=_parse_day,
    metavar="DATE",
    help="The day that decides what is upcoming (YYYY-MM-DD). Default: the newest article's date.",
)
output_option = click.option(
    "-o", "--output", metavar="FILE", help="Write here (atomically) instead of standard output."
)
templates_option = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="A folder of templates that override the defaults by name (see `briefgen init`).",
)


def format_option(*choices: str):
    """--format with CHOICES, the first being the default."""
    return click.option(
        "--format", "-f", "fmt", type=click.Choice(choices), default=choices[0], show_default=True
    )


cache_option = click.option(
    "--cache",
    metavar="DIR",
    envvar="BRIEFGEN_CACHE",
    help="Where briefgen keeps its state (cached model answers, brief manifests, the log of "
    "runs and calls). Default: .briefgen beside the articles.",
)
quiet_option = click.option(
    "-q", "--quiet", is_flag=True, help="Print nothing on standard error but errors."
)


@contextlib.contextmanager
def progress_bar(quiet: bool):
    """A progress callback drawing a bar on standard error, or None when nobody would see it."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    drawn = False

    def progress(done: int, total: int) -> None:
        nonlocal drawn
        width = 30
        filled = width * done // max(1, total)
        sys.stderr.write(
            f"\rreading [{'#' * filled}{'.' * (width - filled)}] {done}/{total} chunks"
        )
        sys.stderr.flush()
        drawn = True

    try:
        yield progress
    finally:
        if drawn:
            sys.stderr.write("\n")


@contextlib.contextmanager
def map_options(quiet: bool, settings, choice):
    """How the map step runs: a model's calls at once, with a progress bar; the rules one
    chunk after another, silently (they take no time worth showing)."""
    if choice.name != "llm":
        yield {"concurrency": 1, "progress": None}
        return
    with progress_bar(quiet) as progress:
        yield {"concurrency": settings.concurrency, "progress": progress}


_ENGINE_OPTIONS = [
    click.option(
        "--engine",
        type=click.Choice(["auto", "llm", "extractive"]),
        default=None,
        help="auto (the default): a model when one is configured (OPENAI_API_KEY, "
        "OPENAI_BASE_URL or --base-url), else the built-in extractive engine, offline.",
    ),
    click.option("--model", "-m", help="The model's name at the endpoint, e.g. gpt-4o-mini."),
    click.option(
        "--base-url",
        metavar="URL",
        help="An OpenAI-compatible endpoint, e.g. http://localhost:11434/v1.",
    ),
    click.option(
        "--concurrency", "-j", type=click.IntRange(1, 64), help="Model calls at once (default 4)."
    ),
    click.option(
        "--max-attempts",
        type=click.IntRange(1, 10),
        help="Answers asked for per call before giving up on invalid output (default 3).",
    ),
    click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        help="Settings file (default: ./briefgen.toml, else [tool.briefgen] in ./pyproject.toml).",
    ),
    click.option(
        "--prompts",
        type=click.Path(exists=True, file_okay=False, path_type=Path),
        help="A folder of prompts for the model, edited copies of the defaults "
        "(see `briefgen init`).",
    ),
    cache_option,
    click.option(
        "--no-cache",
        is_flag=True,
        help="Neither read nor keep cached model answers: every call is made again.",
    ),
]


def with_engine_options(command):
    """The options that choose and set up the engine: make, follow and watchlist share them."""
    for option in reversed(_ENGINE_OPTIONS):
        command = option(command)
    return command


def open_engine(paths, quiet, *, engine, model, base_url, concurrency, max_attempts,
                 config_file, prompts, cache, no_cache, announce=True):  # fmt: skip
    """Settings (flags > environment > file), the engine they choose, said in one line, and
    the state folder with what each endpoint accepted last time. A model's engine is put
    behind the cache of that folder, unless --no-cache."""
    import sqlite3

    from briefgen import runlog
    from briefgen.cache import Cache
    from briefgen.config import choose_engine, load_settings
    from briefgen.engines import get_engine
    from briefgen.engines.cached import CachedEngine, cacheable

    flags = {
        "engine": engine,
        "model": model,
        "base_url": base_url,
        "concurrency": concurrency,
        "max_attempts": max_attempts,
    }
    settings = load_settings(flags, config_file=config_file)
    choice = choose_engine(settings)
    say(f"briefgen: {choice.message}", quiet or not announce)
    state = runlog.state_dir(cache, paths)
    modes = runlog.load_modes(state)
    chosen = get_engine(choice.name, settings, choice, mode_memory=modes, prompts=prompts)
    if not no_cache and cacheable(chosen):
        try:
            chosen = CachedEngine(chosen, Cache.in_folder(state))
        except (OSError, sqlite3.Error) as exc:
            # A brief is still worth making without a cache (a read-only folder, say).
            say(f"briefgen: warning: no cache in {state} ({exc}); every call is made anew. "
                "Pass --cache DIR to keep it elsewhere.", quiet)  # fmt: skip
    return settings, choice, chosen, state, modes


def close_engine(chosen, quiet: bool) -> None:
    """Say if the cache failed during the run, and let go of its file."""
    problem = getattr(chosen, "cache_problem", None)
    if problem:
        say(f"briefgen: warning: {problem}; the rest of the run was not cached", quiet)
    cache = getattr(chosen, "cache", None)
    if cache is not None:
        cache.close()


def brief_once(paths, audience, fmt, as_of, output, templates, quiet, engine_options,
               announce: bool = True):  # fmt: skip
    """One brief, start to finish: read (cached answers reused), mark what is new since the
    last brief, write it atomically, then keep its manifest and its log. `make` runs it once,
    `follow` at every change."""
    from briefgen import manifest, runlog
    from briefgen.pipeline import make_brief
    from briefgen.render import render_brief

    settings, choice, chosen, state, modes = open_engine(
        paths, quiet, announce=announce, **engine_options
    )
    try:
        with map_options(quiet, settings, choice) as how:
            result = make_brief(
                list(paths),
                audience=audience,
                as_of=as_of,
                engine=chosen,
                stdin=stdin_for(paths),
                **how,
            )
    finally:
        close_engine(chosen, quiet)
    # The brief itself, written into the folder it reads, is skipped by ingest: not news.
    report_skipped([s for s in result.corpus.skipped if not _same_file(s.path, output)], quiet)
    changes = manifest.compare(manifest.latest(state, list(paths), audience), result)
    manifest.mark(result, changes)
    write_output(render_brief(result.brief, fmt, templates=templates), output)
    for line in runlog.summary_lines(result, chosen, settings):
        say(f"briefgen: {line}", quiet)
    if changes.since is not None:
        say(f"briefgen: since the brief of {changes.since:%Y-%m-%d %H:%M} UTC: "
            + ("; ".join(changes.lines()) or "nothing new"), quiet)  # fmt: skip
    runlog.save_modes(state, modes)
    created = dt.datetime.now(dt.timezone.utc)  # to the microsecond: briefs a second apart
    for warning in (
        runlog.store(result, chosen, settings, audience, state),
        _keep_manifest(state, manifest.build(result, audience, list(paths), created)),
    ):
        if warning:
            say(f"briefgen: warning: {warning}", quiet)


def _same_file(path: str, other: str | None) -> bool:
    return other not in (None, "-") and os.path.realpath(path) == os.path.realpath(other)


def _keep_manifest(state: Path, kept) -> str | None:
    from briefgen import manifest

    try:
        manifest.save(state, kept)
    except OSError as exc:
        return (
            f"could not keep this brief's manifest in {state} ({exc}); the next brief "
            "cannot say what is new"
        )
    return None
