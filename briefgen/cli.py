"""The briefgen command line: thin click commands over pipeline, render and ingest.

Imports of anything heavy happen inside the commands, so `briefgen --help` stays fast.
"""

from __future__ import annotations

import contextlib
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


_cache = click.option(
    "--cache",
    metavar="DIR",
    envvar="BRIEFGEN_CACHE",
    help="Where briefgen keeps its state (the log of runs and calls). "
    "Default: .briefgen beside the articles.",
)


@contextlib.contextmanager
def _progress_bar(quiet: bool):
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
    _cache,
    click.option(
        "--no-cache",
        is_flag=True,
        help="Neither read nor keep cached model answers: every call is made again.",
    ),
]


def _engine_options(command):
    """The options that choose and set up the engine: make and watchlist share them."""
    for option in reversed(_ENGINE_OPTIONS):
        command = option(command)
    return command


def _open_engine(paths, quiet, *, engine, model, base_url, concurrency, max_attempts,
                 config_file, prompts, cache, no_cache):  # fmt: skip
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
    _say(f"briefgen: {choice.message}", quiet)
    state = runlog.state_dir(cache, paths)
    modes = runlog.load_modes(state)
    chosen = get_engine(choice.name, settings, choice, mode_memory=modes, prompts=prompts)
    if not no_cache and cacheable(chosen):
        try:
            chosen = CachedEngine(chosen, Cache.in_folder(state))
        except (OSError, sqlite3.Error) as exc:
            # A brief is still worth making without a cache (a read-only folder, say).
            _say(f"briefgen: warning: no cache in {state} ({exc}); every call is made anew. "
                 "Pass --cache DIR to keep it elsewhere.", quiet)  # fmt: skip
    return settings, choice, chosen, state, modes


def _close_engine(chosen, quiet: bool) -> None:
    """Say if the cache failed during the run, and let go of its file."""
    problem = getattr(chosen, "cache_problem", None)
    if problem:
        _say(f"briefgen: warning: {problem}; the rest of the run was not cached", quiet)
    cache = getattr(chosen, "cache", None)
    if cache is not None:
        cache.close()


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
    "--dry-run", is_flag=True, help="Show the model calls and estimated cost; call nothing."
)
@_engine_options
@_as_of
@_output
@_templates
@_quiet
def make(paths, audience, fmt, dry_run, as_of, output, templates, quiet, **engine_options):
    """Make a brief from PATHS: files, folders (read recursively) or - for standard input.

    Reads .txt, .md, .html, .json, .jsonl and RSS/Atom feeds; prints the brief as Markdown,
    HTML or JSON, every point citing its numbered sources. Settings come from flags, then
    the environment (BRIEFGEN_*, OPENAI_API_KEY, OPENAI_BASE_URL), then briefgen.toml.
    """
    from briefgen import runlog
    from briefgen.pipeline import plan_run

    if dry_run:
        settings, _, chosen, _, _ = _open_engine(paths, quiet, **engine_options)
        try:
            planned, skipped = plan_run(list(paths), chosen, stdin=_stdin(paths))
        finally:
            _close_engine(chosen, quiet)
        _report_skipped(skipped, quiet)
        click.echo(runlog.describe_plan(planned, chosen, settings))
        return
    _brief_once(paths, audience, fmt, as_of, output, templates, quiet, engine_options)


def _brief_once(paths, audience, fmt, as_of, output, templates, quiet, engine_options):
    """One brief, start to finish: read (cached answers reused), mark what is new since the
    last brief, write it atomically, then keep its manifest and its log. `make` runs it once,
    `follow` at every change. Returns the changes since the last brief."""
    from briefgen import manifest, runlog
    from briefgen.pipeline import make_brief
    from briefgen.render import render_brief

    settings, choice, chosen, state, modes = _open_engine(paths, quiet, **engine_options)
    llm = choice.name == "llm"
    try:
        with _progress_bar(quiet) as progress:
            result = make_brief(
                list(paths),
                audience=audience,
                as_of=as_of,
                engine=chosen,
                stdin=_stdin(paths),
                concurrency=settings.concurrency if llm else 1,
                progress=progress if llm else None,
            )
    finally:
        _close_engine(chosen, quiet)
    _report_skipped(result.corpus.skipped, quiet)
    changes = manifest.compare(manifest.latest(state, list(paths), audience), result)
    manifest.mark(result, changes)
    _write(render_brief(result.brief, fmt, templates=templates), output)
    for line in runlog.summary_lines(result, chosen, settings):
        _say(f"briefgen: {line}", quiet)
    if changes.since is not None:
        _say(f"briefgen: since the brief of {changes.since:%Y-%m-%d %H:%M} UTC: "
             + ("; ".join(changes.lines()) or "nothing new"), quiet)  # fmt: skip
    runlog.save_modes(state, modes)
    created = dt.datetime.now(dt.timezone.utc)  # to the microsecond: briefs a second apart
    for warning in (
        runlog.store(result, chosen, settings, audience, state),
        _keep_manifest(state, manifest.build(result, audience, list(paths), created)),
    ):
        if warning:
            _say(f"briefgen: warning: {warning}", quiet)
    return changes


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


@main.command()
@_paths
@click.option("--audience", "-a", type=click.Choice(AUDIENCES), default="exec",
              show_default=True, help="Who the brief is for (see `make`).")  # fmt: skip
@_format("md", "html", "json")
@_engine_options
@_as_of
@click.option("-o", "--output", metavar="FILE", required=True,
              help="The brief, rewritten (atomically) after every change.")  # fmt: skip
@click.option("--interval", type=click.FloatRange(0.1), default=2.0, show_default=True,
              help="Seconds between looks at the files.")  # fmt: skip
@click.option("--debounce", type=click.FloatRange(0.0), default=1.0, show_default=True,
              help="Seconds files must stay unchanged before the brief is made again.")  # fmt: skip
@_templates
@_quiet
def follow(paths, audience, fmt, as_of, output, interval, debounce, templates, quiet,
           **engine_options):  # fmt: skip
    """Watch PATHS and make the brief again whenever articles are added, changed or removed.

    The brief is made at once, then again after each change has settled, and written to
    FILE atomically: whoever reads FILE never sees half a brief. Each time, standard error
    says what changed and what is new since the last brief. Model answers are cached, so a
    new article costs its own calls and the synthesis only. Stop with Ctrl-C.
    """
    from briefgen.follow import follow as watch

    def regenerate(changed) -> None:
        _say(f"briefgen: {changed.describe() if changed else 'no articles yet'}: "
             "making the brief", quiet)  # fmt: skip
        _brief_once(paths, audience, fmt, as_of, output, templates, quiet, engine_options)
        _say(f"briefgen: wrote {output}; watching for changes (Ctrl-C to stop)", quiet)

    def failed(exc: Exception) -> None:
        if not isinstance(exc, BriefgenError):
            raise exc  # a bug: keep its traceback
        # A folder emptied, a server down: the last good brief stays, and the next change
        # is tried again.
        _say(f"briefgen: error: {exc}; {output} was left as it was; waiting for a change", quiet)

    try:
        watch(list(paths), regenerate, interval=interval, debounce=debounce,
              ignore=[output], on_error=failed)  # fmt: skip
    except KeyboardInterrupt:
        _say("briefgen: stopped following", quiet)


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
@_engine_options
@_as_of
@_output
@_templates
@_quiet
def watchlist(paths, fmt, as_of, output, templates, quiet, **engine_options):
    """List the dated events, deadlines and triggers in PATHS, by date (unresolved last).

    `--format ics` writes an iCalendar file of the dated items for calendar programs. With a
    model configured, the model reads the articles (see `make` for the engine options).
    """
    from briefgen import runlog
    from briefgen.pipeline import build_watchlist, decide_as_of, read_corpus
    from briefgen.render import render_watchlist

    settings, choice, chosen, state, modes = _open_engine(paths, quiet, **engine_options)
    llm = choice.name == "llm"
    try:
        with _progress_bar(quiet) as progress:
            corpus = read_corpus(
                list(paths),
                stdin=_stdin(paths),
                engine=chosen,
                concurrency=settings.concurrency if llm else 1,
                progress=progress if llm else None,
            )
    finally:
        _close_engine(chosen, quiet)
    runlog.save_modes(state, modes)
    _report_skipped(corpus.skipped, quiet)
    day, basis = decide_as_of(as_of, corpus)
    watch = build_watchlist(corpus, day)
    _write(render_watchlist(watch, fmt, templates=templates, sources=corpus.sources), output)
    _say(
        f"briefgen: {len(watch.upcoming)} upcoming, {len(watch.unresolved)} unresolved, "
        f"{len(watch.passed)} passed, as of {day} ({basis})",
        quiet,
    )
    if llm:
        _say(f"briefgen: {runlog.engine_line(chosen, settings)}", quiet)


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def init(directory, force):
    """Write the default templates and prompts into DIRECTORY for editing.

    Then use them with `briefgen make --templates DIRECTORY/templates ...` (and, with a
    model, `--prompts DIRECTORY/prompts`).
    """
    from briefgen.resources import write_defaults

    written = write_defaults(directory, overwrite=force)  # ConfigError names a file already there
    for path in written:
        click.echo(path)
    click.echo(
        f"wrote {len(written)} files; edit them, then pass --templates {directory / 'templates'}",
        err=True,
    )


# ---------------------------------------------------------------- cache upkeep


def _state_for(paths: tuple[str, ...], cache: str | None) -> Path:
    """The state folder meant: --cache, a .briefgen folder given, or the one beside PATHS."""
    from briefgen import runlog
    from briefgen.cache import CACHE_FILE

    for p in paths:
        if Path(p).name == runlog.STATE_DIR or (Path(p) / CACHE_FILE).is_file():
            return Path(p)
    return runlog.state_dir(cache, list(paths) or ["."])


def _open_cache(paths: tuple[str, ...], cache: str | None):
    import sqlite3

    from briefgen.cache import CACHE_FILE, Cache
    from briefgen.errors import ConfigError

    state = _state_for(paths, cache)
    if not (state / CACHE_FILE).is_file():
        raise ConfigError(f"no cache in {state} (a run with a model makes one there)")
    try:
        return state, Cache.in_folder(state)
    except sqlite3.Error as exc:
        raise ConfigError(f"the cache in {state} cannot be opened ({exc})") from None


_cache_paths = click.argument("paths", nargs=-1)


@main.group()
def cache():
    """Look after the cache of model answers kept in .briefgen/ beside the articles.

    Each command takes the folder of articles (or the .briefgen folder itself); without one,
    ./.briefgen, or --cache DIR / BRIEFGEN_CACHE.
    """


@cache.command("stats")
@_cache_paths
@_cache
@_format("table", "json")
def cache_stats(paths, cache, fmt):
    """What the cache holds: answers by kind and model, the calls and tokens they saved."""
    import json

    from briefgen import manifest

    state, store = _open_cache(paths, cache)
    with store:
        stats = store.stats()
    stats["manifests"] = manifest.count(state)
    if fmt == "json":
        click.echo(json.dumps(stats, indent=2))
        return
    click.echo(f"cache {stats['path']}: {stats['bytes'] / 1e6:.2f} MB")
    rows = [("kind", "answers", "calls", "prompt tok", "completion tok", "hits", "last used")]
    for k in stats["kinds"]:
        rows.append((k["kind"], f"{k['entries']:,}", f"{k['calls']:,}", f"{k['prompt_tokens']:,}",
                     f"{k['completion_tokens']:,}", f"{k['hits']:,}", k["last_used"] or ""))  # fmt: skip
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for row in rows:
        click.echo("  " + "  ".join(c.rjust(w) if i else c.ljust(w)
                                    for i, (c, w) in enumerate(zip(row, widths))))  # fmt: skip
    for m in stats["models"]:
        click.echo(f"  {m['entries']:,} answers from {m['engine']} {m['model']}".rstrip())
    if stats["other_schema"]:
        click.echo(
            f"  {stats['other_schema']:,} answers of an older schema (`cache prune` drops them)"
        )
    click.echo(f"  {stats['manifests']} brief manifests kept (for 'new since' marks)")


@cache.command("prune")
@_cache_paths
@_cache
@click.option("--older-than", "days", type=click.IntRange(0), default=30, show_default=True,
              metavar="DAYS", help="Remove answers not used for this many days.")  # fmt: skip
@click.option("--keep-manifests", type=click.IntRange(1), default=20, show_default=True,
              help="Brief manifests to keep per folder and audience.")  # fmt: skip
def cache_prune(paths, cache, days, keep_manifests):
    """Remove answers not used lately (and any an older briefgen stored), and old manifests."""
    import datetime as dt

    from briefgen import manifest

    state, store = _open_cache(paths, cache)
    with store:
        before = store.size()
        removed = store.prune(dt.timedelta(days=days))
        after = store.size()
    manifests = manifest.prune(state, keep=keep_manifests)
    click.echo(f"removed {removed:,} answers and {manifests} manifests from {state}; "
               f"{before / 1e6:.2f} MB -> {after / 1e6:.2f} MB")  # fmt: skip


@cache.command("clear")
@_cache_paths
@_cache
def cache_clear(paths, cache):
    """Remove every cached answer: the next run asks the model for everything again.

    The run log and the brief manifests stay (they are history, not cache).
    """
    state, store = _open_cache(paths, cache)
    with store:
        removed = store.clear()
    click.echo(f"removed {removed:,} answers from {state}")
