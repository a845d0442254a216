"""What the briefgen commands share: their options, the engine they open and close, the
brief made once (by `make`, and by `follow` at every change), and how they write and speak.

Imports of anything heavy happen inside the functions, so `briefgen --help` stays fast.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import sys
from pathlib import Path

import click

from briefgen.errors import OutputError, UnreadableFileError

AUDIENCES = ("exec", "analyst", "newsletter")


def _parse_day(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date like 2025-10-30") from None


class _Stdin:
    """Standard input as ingest reads it: one that is closed (`0<&-`) or cannot be read is
    an unreadable input named "-", like any file, never a traceback."""

    def read(self) -> bytes:
        if sys.stdin is None:  # Python's standard input when file descriptor 0 is closed
            raise UnreadableFileError("-", "standard input is closed")
        try:
            return sys.stdin.buffer.read()
        except (OSError, ValueError) as exc:  # ValueError: read from a closed file
            raise UnreadableFileError("-", f"standard input cannot be read ({exc})") from None


def stdin_for(paths: tuple[str, ...]):
    return _Stdin() if "-" in paths else None


def write_output(text: str, output: str | None) -> None:
    """Standard output, or FILE written atomically: a failed run never leaves half a file."""
    if output is None or output == "-":
        click.echo(text, nl=not text.endswith("\n"))
        return
    from briefgen.resources import write_atomically

    try:
        write_atomically(Path(output), text)
    except OSError as exc:
        raise OutputError(f"cannot write {output}: {exc.strerror or exc}") from None


# Characters that would let a name (a file's, a title) forge or hide text on a terminal: line
# breaks, escapes, other C0/C1 controls, and the bidirectional overrides. A tab is harmless.
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def shown(text: object) -> str:
    """`text` with its control characters escaped as Python writes them ("\\n", "\\x1b"), so a
    newline in a file name cannot start a line of its own."""
    return _CONTROL.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), str(text))


def say(message: str, quiet: bool = False) -> None:
    """A line on standard error, with anything shaped like a credential taken out (the
    messages are made without them; this is the net under whatever a lower layer said) and
    control characters escaped: every message is one line, whatever the names in it hold."""
    from briefgen.ledger import redact_text

    if not quiet:
        click.echo(shown(redact_text(message)), err=True)


def tell(message: str) -> None:
    """A line on standard output (what a command reports as its result), escaped as say()."""
    click.echo(shown(message))


def report_skipped(skipped, quiet: bool) -> None:
    for s in skipped:
        say(f"briefgen: skipped {s.path}: {s.reason}", quiet)


def report_read_in_part(articles, quiet: bool) -> None:
    """An article longer than ingest's reading limit is briefed on its start: say so."""
    for a in articles:
        if a.unread_chars:
            whole = len(a.text) + a.unread_chars
            say(
                f"briefgen: note: {a.path}: read in part: its first {len(a.text):,} of about "
                f"{whole:,} characters (no news story is longer; the rest is not briefed)",
                quiet,
            )


# PATHS with the options of reading URLs (--urls FILE, --ignore-robots, ...): briefgen.cli_web.
from briefgen.cli_web import paths_argument  # noqa: E402, F401

as_of_option = click.option(
    "--as-of",
    callback=_parse_day,
    metavar="DATE",
    help="The day that decides what is upcoming (YYYY-MM-DD). Default: the newest article's date.",
)
output_option = click.option(
    "-o", "--output", metavar="FILE", help="Write here (atomically) instead of standard output."
)


def _edited_copies(kind: str):
    """--templates / --prompts: a folder of edited copies, or the folder `briefgen init DIR`
    wrote them into (DIR/templates, DIR/prompts); a folder holding none is an error, not a
    silent fall back on the defaults."""

    def check(ctx, param, value: Path | None) -> Path | None:
        if value is None or any(value.glob("*.j2")):
            return value
        if any((value / kind).glob("*.j2")):
            return value / kind
        raise click.BadParameter(f"{shown(value)} holds no {kind} (.j2 files), nor does "
                                 f"{shown(value / kind)}")  # fmt: skip

    return check


templates_option = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    callback=_edited_copies("templates"),
    help="A folder of templates that override the defaults by name: the folder "
    "`briefgen init DIR` made, or its templates/.",
)
strict_option = click.option(
    "--strict",
    is_flag=True,
    help="Exit 1 when any file is skipped, inside a folder too (else only paths given).",
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
    chunk after another, silently (they take no time worth showing). Articles over the
    `max_article_bytes` setting are skipped while it is open."""
    from briefgen.ingest import article_size_limit

    with article_size_limit(settings.max_article_bytes):
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
        callback=_edited_copies("prompts"),
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
               announce: bool = True, recording=None,
               strict: bool = False) -> list[str]:  # fmt: skip
    """One brief, start to finish: read (cached answers reused), mark what is new since the
    last brief, write it atomically, then keep its log and, for a published brief, its
    manifest. `make` runs it once, `follow` at every change. Returns the problems the user
    must see (report_problems says them, and `make` exits 1)."""
    from briefgen import manifest, runlog
    from briefgen.cli_history import Recording, keep_manifest
    from briefgen.history import baseline, parse_since
    from briefgen.pipeline import make_brief
    from briefgen.render import render_brief
    from briefgen.stories import mixed_warning

    recording = recording or Recording()
    if recording.since and recording.compare_to:
        raise click.UsageError("--since and --compare-to both say what to compare with: give one")
    since = parse_since(recording.since) if recording.since else None
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
    skipped = [s for s in result.corpus.skipped if not same_file(s.path, output)]
    report_skipped(skipped, quiet)
    report_read_in_part(result.corpus.articles, quiet)
    created = dt.datetime.now(dt.timezone.utc)  # to the microsecond: briefs a second apart
    current = manifest.build(result, audience, list(paths), created, output)
    chosen_baseline = baseline(state, current, since, recording.compare_to)
    if chosen_baseline.warning:
        say(f"briefgen: warning: {chosen_baseline.warning}", quiet)
    changes = manifest.compare(chosen_baseline.previous, result)
    manifest.mark(result, changes)
    write_output(render_brief(result.brief, fmt, templates=templates), output)
    for line in runlog.summary_lines(result, chosen, settings):
        say(f"briefgen: {line}", quiet)
    if mixed := mixed_warning(result.corpus.articles, result.corpus.references,
                              result.corpus.copies):  # fmt: skip
        say(f"briefgen: warning: {mixed}", quiet)  # stderr only: the brief is as it was
    if changes.since is not None:
        say(f"briefgen: since the brief of {changes.since:%Y-%m-%d %H:%M} UTC: "
            + ("; ".join(changes.lines()) or "nothing new"), quiet)  # fmt: skip
    runlog.save_modes(state, modes)
    warnings = [runlog.store(result, chosen, settings, audience, state)]
    if recording.keeps(output):
        # Built again: the stored brief carries this run's New marks.
        kept = manifest.build(result, audience, list(paths), created, output)
        warnings.append(keep_manifest(state, kept, settings.keep_manifests, quiet))
    for warning in warnings:
        if warning:
            say(f"briefgen: warning: {warning}", quiet)
    problems = input_problems(paths, skipped, strict) + [
        f"{len(result.corpus.report.missing)} parts of articles could not be read"
    ] * bool(result.corpus.report.missing)
    if _empty(result.brief):
        problems.append("the brief is empty: no point in the articles could be verified")
    return problems


def input_problems(paths, skipped, strict: bool) -> list[str]:
    """Skipped inputs the user must see: a path given that could not be read (a missing
    file, say); with `strict`, any file skipped. A repeated article is not a problem."""
    given = set(paths)
    named = [s for s in skipped if s.path in given and not s.reason.startswith("duplicate of")]
    problems = [f"{s.path} could not be read ({s.reason})" for s in named]
    others = [s for s in skipped if s not in named]
    if strict and others:
        problems.append(f"{len(others)} more files skipped (--strict)")
    return problems


def _empty(brief) -> bool:
    return not (brief.bottom_line or brief.key_points or any(s.points for s in brief.sections))


def report_problems(problems: list[str]) -> None:
    """Say why the exit status is 1 (even with --quiet: a script sees the status, a person
    the reason)."""
    from briefgen.exit_codes import ExitCode

    for problem in problems:
        say(f"briefgen: problem: {problem}")
    if problems:
        raise SystemExit(int(ExitCode.PROBLEMS))


def same_file(path: str, other: str | None) -> bool:
    return other not in (None, "-") and os.path.realpath(path) == os.path.realpath(other)
