"""The briefgen command line: thin click commands over pipeline, render and ingest.

What the commands share is in cli_support, the `cache` group in cli_cache. Imports of
anything heavy happen inside the commands, so `briefgen --help` stays fast.
"""

from __future__ import annotations

from pathlib import Path

import click

from briefgen import __version__
from briefgen.cli_batch import batch_group
from briefgen.cli_cache import cache
from briefgen.cli_history import Recording, history, with_record_options
from briefgen.cli_logs import logs
from briefgen.cli_schema import schema
from briefgen.cli_stories import stories
from briefgen.cli_support import (
    AUDIENCES,
    as_of_option,
    brief_once,
    close_engine,
    format_option,
    input_problems,
    map_options,
    open_engine,
    output_option,
    paths_argument,
    quiet_option,
    report_problems,
    report_read_in_part,
    report_skipped,
    same_file,
    say,
    stdin_for,
    strict_option,
    tell,
    templates_option,
    with_engine_options,
    write_output,
)
from briefgen.errors import BriefgenError
from briefgen.exit_codes import EPILOG


class _Group(click.Group):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except BriefgenError as exc:
            say(f"briefgen: error: {exc}")  # say() redacts whatever looks like a credential
            ctx.exit(int(exc.exit_code))

    def format_commands(self, ctx, formatter):
        # click cuts each description to fit one line ("Show what was read from..."); a
        # command's first sentence is worth its wrapped second line.
        rows = [(name, cmd.get_short_help_str(limit=1000))
                for name in self.list_commands(ctx)
                if (cmd := self.get_command(ctx, name)) is not None and not cmd.hidden]  # fmt: skip
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


# Inherited by every subcommand's context: `-h` works everywhere.
_CONTEXT = {"help_option_names": ["-h", "--help"]}


@click.group(cls=_Group, context_settings=_CONTEXT, epilog=EPILOG)
@click.version_option(__version__, prog_name="briefgen")
def main() -> None:
    """Turn a folder of news articles into a cited brief and a what-to-watch list.

    \b
    Start with:  briefgen make --audience exec examples/trade-talks/
    Shell completion (bash; zsh_source, fish_source for the others):
      eval "$(_BRIEFGEN_COMPLETE=bash_source briefgen)"
    """


main.add_command(batch_group)
main.add_command(cache)
main.add_command(history)
main.add_command(logs)
main.add_command(schema)
main.add_command(stories)


@main.command(epilog=EPILOG)
@paths_argument
@click.option(
    "--audience",
    "-a",
    type=click.Choice(AUDIENCES),
    default="exec",
    show_default=True,
    help="exec: one screen; analyst: everything with citations; newsletter: for email.",
)
@format_option("md", "html", "json", "txt")
@click.option(
    "--dry-run", is_flag=True, help="Show the model calls and estimated cost; call nothing."
)
@click.option("--batch", "as_batch", is_flag=True,
              help="Send uncached map calls as one batch (half price on OpenAI) and exit 75; "
                   "run again when it is done.")  # fmt: skip
@click.option("--by-story", is_flag=True,
              help="A brief per story of a mixed feed (see `briefgen stories`); with -o DIR, "
                   "files named after the stories. A newsletter: one issue, a section per story.")  # fmt: skip
@with_engine_options
@as_of_option
@output_option
@with_record_options
@templates_option
@strict_option
@quiet_option
def make(paths, audience, fmt, dry_run, as_of, output, record, since, compare_to, templates,
         strict, quiet, **engine_options):  # fmt: skip
    """Make a brief from PATHS: files, folders (read recursively), URLs or - for standard input.

    Reads .txt, .md, .html, .json, .jsonl and RSS/Atom feeds; prints the brief as Markdown,
    HTML or JSON, every point citing its numbered sources. Settings come from flags, then
    the environment (BRIEFGEN_*, OPENAI_API_KEY, OPENAI_BASE_URL), then briefgen.toml.

    Points and watch items not in the last recorded brief of these articles are marked New.
    A brief written with -o FILE is recorded (its manifest kept for the next brief to compare
    with); a preview on standard output records nothing (--record/--no-record say otherwise).
    """
    from briefgen import runlog
    from briefgen.pipeline import plan_run

    as_batch = engine_options.pop("as_batch")
    by_story = engine_options.pop("by_story")
    if dry_run:
        settings, _, chosen, _, _ = open_engine(paths, quiet, **engine_options)
        try:
            planned, skipped = plan_run(
                list(paths), chosen, stdin=stdin_for(paths), by_story=by_story
            )
        finally:
            close_engine(chosen, quiet)
        report_skipped(skipped, quiet)
        click.echo(runlog.describe_plan(planned, chosen, settings))
        report_problems(input_problems(paths, skipped, strict))
        return
    if as_batch:
        from briefgen.batch import EXIT_BATCH_PENDING
        from briefgen.cli_batch import batch_map

        if batch_map(paths, quiet, engine_options):
            raise SystemExit(EXIT_BATCH_PENDING)
    else:
        from briefgen.cli_batch import collect_if_any

        collect_if_any(paths, quiet, engine_options)
    recording = Recording(record, since, compare_to)
    if by_story:
        from briefgen.cli_stories import make_by_story

        report_problems(make_by_story(paths, audience, fmt, as_of, output, templates, quiet,
                                      engine_options, recording=recording))  # fmt: skip
        return
    report_problems(brief_once(paths, audience, fmt, as_of, output, templates, quiet,
                               engine_options, recording=recording, strict=strict))  # fmt: skip


@main.command()
@paths_argument
@click.option("--audience", "-a", type=click.Choice(AUDIENCES), default="exec",
              show_default=True, help="Who the brief is for (see `make`).")  # fmt: skip
@format_option("md", "html", "json")
@with_engine_options
@as_of_option
@click.option("-o", "--output", metavar="FILE", required=True,
              help="The brief, rewritten (atomically) after every change.")  # fmt: skip
@click.option("--interval", type=click.FloatRange(0.1), default=2.0, show_default=True,
              help="Seconds between looks at the files.")  # fmt: skip
@click.option("--debounce", type=click.FloatRange(0.0), default=1.0, show_default=True,
              help="Seconds files must stay unchanged before the brief is made again.")  # fmt: skip
@click.option("--batch", "as_batch", is_flag=True,
              help="Send uncached map calls as one batch and wait for it (a look a minute).")  # fmt: skip
@templates_option
@quiet_option
def follow(paths, audience, fmt, as_of, output, interval, debounce, templates, quiet,
           **engine_options):  # fmt: skip
    """Watch PATHS and make the brief again whenever articles are added, changed or removed.

    The brief is made at once, then again after each change has settled, and written to
    FILE atomically: whoever reads FILE never sees half a brief. Each time, standard error
    says what changed and what is new since the last brief (each brief is recorded, as
    `make -o` records). Model answers are cached, so a new article costs its own calls and
    the synthesis only. Stop with Ctrl-C.
    """
    import contextlib
    import signal

    from briefgen.follow import follow as watch

    briefs = []
    as_batch = engine_options.pop("as_batch")

    def regenerate(changed) -> None:
        say(f"briefgen: {changed.describe() if changed else 'no articles yet'}: "
            "making the brief", quiet)  # fmt: skip
        if as_batch:
            from briefgen.cli_batch import batch_map_waiting

            if not batch_map_waiting(paths, quiet, engine_options, stop):
                return
        # Which engine runs is said once, not at every change.
        problems = brief_once(paths, audience, fmt, as_of, output, templates, quiet,
                              engine_options, announce=not briefs)  # fmt: skip
        for problem in problems:  # said, not fatal: the next change may mend them
            say(f"briefgen: problem: {problem}", quiet)
        briefs.append(output)
        say(f"briefgen: wrote {output}; watching for changes (Ctrl-C to stop)", quiet)

    import threading

    stop = threading.Event()

    def terminated(signum, frame):
        # Ctrl-C, `kill`, a service manager: the same clean stop. The event too, because a
        # handler that runs inside a finalizer (a collection frees a connection, a file)
        # has its KeyboardInterrupt printed and dropped; the loop still ends at its next look.
        stop.set()
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, terminated)
    signal.signal(signal.SIGINT, terminated)

    def failed(exc: Exception) -> None:
        if not isinstance(exc, BriefgenError):
            raise exc  # a bug: keep its traceback
        # A folder emptied, a server down: the last good brief stays, and the next change
        # is tried again.
        say(f"briefgen: error: {exc}; {output} was left as it was; waiting for a change", quiet)

    with contextlib.suppress(KeyboardInterrupt):
        watch(list(paths), regenerate, interval=interval, debounce=debounce,
              ignore=[output], on_error=failed, stop=stop)  # fmt: skip
    say("briefgen: stopped following", quiet)


@main.command()
@paths_argument
@format_option("table", "json")
@as_of_option
def sources(paths, fmt, as_of):
    """Show what was read from PATHS, numbered as in a brief, with the date make uses for
    each; what was skipped, and why.

    Each article's [n], id, title, date and what it rests on (metadata, dateline, inferred),
    words kept and lines of debris cut. The numbers and dates are those `make` (with the
    built-in engine) gives the same PATHS and --as-of; the bases of inferred dates follow
    the table.
    """
    from briefgen.config import load_settings
    from briefgen.ingest import article_size_limit
    from briefgen.listing import list_sources, table_lines

    # The same size limit as `make` (max_article_bytes, from the environment or briefgen.toml).
    with article_size_limit(load_settings().max_article_bytes):
        listing = list_sources(list(paths), stdin=stdin_for(paths), as_of=as_of)
    if fmt == "json":
        click.echo(listing.model_dump_json(indent=2))
    else:
        for line in table_lines(listing):
            tell(line)
    report_problems(input_problems(paths, listing.skipped, strict=False))  # exit 1 (helper A)


@main.command(epilog=EPILOG)
@paths_argument
@format_option("md", "json", "ics")
@with_engine_options
@as_of_option
@output_option
@templates_option
@strict_option
@quiet_option
def watchlist(paths, fmt, as_of, output, templates, strict, quiet, **engine_options):
    """List the dated events, deadlines and triggers in PATHS, by date (unresolved last).

    `--format ics` writes an iCalendar file of the dated items for calendar programs. With a
    model configured, the model reads the articles (see `make` for the engine options).
    """
    from briefgen import runlog
    from briefgen.corpus_dates import build_watchlist, decide_as_of
    from briefgen.currency import current
    from briefgen.engines.extractive import headline
    from briefgen.pipeline import read_corpus
    from briefgen.render import render_watchlist

    settings, choice, chosen, state, modes = open_engine(paths, quiet, **engine_options)
    try:
        with map_options(quiet, settings, choice) as how:
            corpus = read_corpus(list(paths), stdin=stdin_for(paths), engine=chosen, **how)
    finally:
        close_engine(chosen, quiet)
    runlog.save_modes(state, modes)
    skipped = [s for s in corpus.skipped if not same_file(s.path, output)]
    report_skipped(skipped, quiet)
    report_read_in_part(corpus.articles, quiet)
    day, basis = decide_as_of(as_of, corpus)
    watch = build_watchlist(corpus, day)
    # The calendar is named after the story: the headline the built-in engine gives its brief.
    name = headline(corpus.articles, current(corpus.digest, corpus, day).findings)
    text = render_watchlist(watch, fmt, templates, corpus.sources, corpus.references, name)
    write_output(text, output)
    say(
        f"briefgen: {len(watch.upcoming)} upcoming, {len(watch.unresolved)} unresolved, "
        f"{len(watch.passed)} passed, {len(watch.settled)} settled, as of {day} ({basis})",
        quiet,
    )
    if choice.name == "llm":
        say(f"briefgen: {runlog.engine_line(chosen, settings)}", quiet)
    missing = corpus.report.missing
    report_problems(input_problems(paths, skipped, strict)
                    + [f"{len(missing)} parts of articles could not be read"] * bool(missing))  # fmt: skip


@main.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite files that are already there.")
def init(directory, force):
    """Write the default templates and prompts into DIRECTORY for editing.

    Then use them with `briefgen make --templates DIRECTORY ...` (and, with a model,
    `--prompts DIRECTORY`).
    """
    from briefgen.resources import write_defaults

    written = write_defaults(directory, overwrite=force)  # ConfigError names a file already there
    for path in written:
        tell(str(path))
    say(f"wrote {len(written)} files; edit them, then pass --templates {directory}")
