"""`briefgen stories`: the stories in a mixed feed; and `make --by-story`: a brief for each.

The grouping is stories.py's; the briefs per story are by_story.py's. Here only what is read,
written and said.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import click

from briefgen.cli_support import (
    as_of_option,
    format_option,
    input_problems,
    paths_argument,
    report_problems,
    report_read_in_part,
    say,
    shown,
    stdin_for,
    tell,
)

NEWSLETTER_NAME = "newsletter"  # with -o DIR, the one issue of all the stories is DIR/newsletter.md
# The file name extension of each format a brief is written in.
EXTENSIONS = {"md": "md", "html": "html", "json": "json", "txt": "txt"}


@click.command()
@paths_argument
@format_option("table", "json")
@as_of_option
def stories(paths, fmt, as_of):
    """Group the articles in PATHS into stories, and list the articles that fit none.

    Each story: its title (that of its most central article), the terms its articles share
    most, its dates (those `make` uses) and its articles, oldest first. `make --by-story`
    writes a brief for each story.
    """
    from briefgen.config import load_settings
    from briefgen.ingest import article_size_limit
    from briefgen.pipeline import read_corpus

    with article_size_limit(load_settings().max_article_bytes):
        corpus = read_corpus(list(paths), stdin=stdin_for(paths))
    listing = grouped(corpus, as_of)
    if fmt == "json":
        click.echo(listing.model_dump_json(indent=2))
    else:
        for line in table_lines(listing):
            tell(line)
    report_problems(input_problems(paths, listing.skipped, strict=False))


def grouped(corpus, as_of=None):
    """The stories of a corpus, on the dates `make` settles on (decide_as_of)."""
    from briefgen.corpus_dates import decide_as_of
    from briefgen.stories import group

    decide_as_of(as_of, corpus)
    listing = group(corpus.articles, corpus.references, corpus.copies)
    listing.skipped = corpus.skipped
    return listing


def _span(first, last) -> str:
    if first is None:
        return "undated"
    return str(first) if first == last else f"{first} to {last}"


def table_lines(listing) -> list[str]:
    """The stories as text: a heading line each, its terms, then its articles."""
    lines = []
    for k, story in enumerate(listing.stories, start=1):
        lines.append(f"{k}. {story.title}  ({len(story.articles)} articles, "
                     f"{_span(story.first, story.last)})")  # fmt: skip
        lines.append(f"   terms: {', '.join(story.terms)}")
        for a in story.articles:
            lines.append(f"   {str(a.date or 'undated'):>10}  {a.path}")
    if listing.unsorted:
        lines.append(f"fit no story ({len(listing.unsorted)}):")
        for a in listing.unsorted:
            lines.append(f"   {str(a.date or 'undated'):>10}  {a.path}  {a.title}")
    if not listing.stories:
        lines.insert(0, "no story: no two articles tell the same one")
    return lines


def make_by_story(paths, audience, fmt, as_of, output, templates, quiet, engine_options,
                  recording=None):  # fmt: skip
    """`make --by-story`: the feed read once, then a brief per story. Returns the problems.

    With -o DIR each brief is DIR/<story slug>.<format>; without, the briefs go to standard
    output one after another under a heading each (JSON: one array). The newsletter is one
    issue with a section per story (by_story.newsletter_issue). The run, its calls and
    cost are said and kept in the run log as one run (`briefgen logs`). Each story's brief
    marks what is new since that story's last recorded brief, and with -o DIR (or --record)
    is recorded for the next run and `history` (story_history.py).
    """
    from briefgen.by_story import newsletter_issue, story_briefs
    from briefgen.cli_history import Recording
    from briefgen.cli_support import close_engine, map_options, open_engine, write_output
    from briefgen.history import parse_since
    from briefgen.pipeline import read_corpus
    from briefgen.render import render_brief

    if output is None and fmt == "html" and audience != "newsletter":
        raise click.UsageError("--by-story --format html writes one file per story: give -o DIR")
    recording = recording or Recording()
    since = parse_since(recording.since) if recording.since else None
    if recording.compare_to or isinstance(since, Path):
        raise click.UsageError(
            "--by-story measures each story against its own last brief: a manifest names one "
            "brief; give --since DATE, or none"
        )
    settings, choice, chosen, state, modes = open_engine(paths, quiet, **engine_options)
    started = time.perf_counter()
    try:
        with map_options(quiet, settings, choice) as how:
            corpus = read_corpus(list(paths), stdin=stdin_for(paths), engine=chosen, **how)
        listing = grouped(corpus, as_of)
        if not listing.stories:
            raise click.UsageError(
                "--by-story: no two articles tell the same story (see `stories`)"
            )
        # Each story's synthesis is a model call too: made while the cache is open.
        results = story_briefs(corpus, listing, audience, as_of)
    finally:
        close_engine(chosen, quiet)
    for a in listing.unsorted:
        say(f"briefgen: fits no story, not briefed: {a.path}", quiet)
    report_read_in_part(corpus.articles, quiet)
    created = dt.datetime.now(dt.timezone.utc)
    news = _mark_new(state, paths, audience, results, since, created, quiet)
    parts = [(story, result.brief) for story, result in results]
    if audience == "newsletter":
        issue = render_brief(newsletter_issue(parts), fmt, templates=templates)
        target = None
        if output is not None:
            target = str(_folder(output) / f"{NEWSLETTER_NAME}.{EXTENSIONS[fmt]}")
        write_output(issue, target)
        say(f"briefgen: {len(parts)} stories in one newsletter"
            + (f": wrote {target}" if target else ""), quiet)  # fmt: skip
        if recording.keeps(output):
            _keep(state, paths, audience, results, news, [target] * len(results), created,
                  settings, quiet)  # fmt: skip
        _account(corpus, results, chosen, settings, audience, state, modes, started, quiet)
        return input_problems(paths, listing.skipped, strict=False)
    targets: list[str | None] = [None] * len(parts)
    if output is not None:
        folder = _folder(output)
        for k, (story, brief) in enumerate(parts):
            target = folder / f"{story.slug}.{EXTENSIONS[fmt]}"
            write_output(render_brief(brief, fmt, templates=templates), str(target))
            targets[k] = str(target)
            say(f"briefgen: wrote {target} ({len(story.articles)} articles)", quiet)
    elif fmt == "json":
        texts = [render_brief(b, "json", templates=templates).strip() for _, b in parts]
        write_output("[\n" + ",\n".join(texts) + "\n]\n", None)
    else:
        rule = "=" * 72
        for k, (story, brief) in enumerate(parts, start=1):
            # The title is the article's: escaped, so it cannot forge a line of its own.
            heading = f"{rule}\nStory {k} of {len(parts)}: {shown(story.title)}\n{rule}\n\n"
            write_output(heading + render_brief(brief, fmt, templates=templates), None)
    if recording.keeps(output):
        _keep(state, paths, audience, results, news, targets, created, settings, quiet)
    _account(corpus, results, chosen, settings, audience, state, modes, started, quiet)
    return input_problems(paths, listing.skipped, strict=False)


def _mark_new(state, paths, audience, results, since, created, quiet) -> list[str]:
    """Each story's New marks (story_history.mark_new), said as `make` says them; the keys."""
    from briefgen.story_history import mark_new

    marked = mark_new(state, list(paths), audience, results, since, created)
    for (story, _), (_, changes, warnings) in zip(results, marked):
        for warning in warnings:
            say(f"briefgen: warning: {shown(story.title)}: {warning}", quiet)
        if changes.since is not None:
            say(f"briefgen: {shown(story.title)}: since the brief of "
                f"{changes.since:%Y-%m-%d %H:%M} UTC: "
                + ("; ".join(changes.lines()) or "nothing new"), quiet)  # fmt: skip
    return [key for key, _, _ in marked]


def _keep(state, paths, audience, results, keys, targets, created, settings, quiet) -> None:
    """Record each story's brief for the next run; a warning, not an error, when that fails."""
    from briefgen.story_history import keep

    try:
        keep(state, list(paths), audience, results, keys, targets, created,
             settings.keep_manifests)  # fmt: skip
    except OSError as exc:
        say(f"briefgen: warning: could not keep the stories' manifests in {state} ({exc}); "
            "the next run cannot say what is new", quiet)  # fmt: skip


def _account(corpus, results, engine, settings, audience, state, modes, started, quiet) -> None:
    """What the whole run cost, said as `make` says it and kept in the run log as one run:
    the feed's reading and every story's brief (their points summed)."""
    from briefgen import runlog
    from briefgen.pipeline import fill_costs

    report = corpus.report.model_copy(deep=True)
    report.points_verified = sum(r.corpus.report.points_verified for _, r in results)
    report.points_dropped = sum(r.corpus.report.points_dropped for _, r in results)
    report.citations_corrected = sum(r.corpus.report.citations_corrected for _, r in results)
    report.warnings = list(dict.fromkeys(w for _, r in results for w in r.corpus.report.warnings))
    report.seconds = round(time.perf_counter() - started, 3)
    fill_costs(report, engine)
    say(f"briefgen: {len(results)} stories from {report.articles} articles "
        f"({len(report.skipped)} skipped), {report.chunks} chunks; points verified "
        f"{report.points_verified}, dropped {report.points_dropped}; {report.seconds:.2f}s",
        quiet)  # fmt: skip
    say(f"briefgen: {runlog.engine_line(engine, settings)}", quiet)
    for warning in report.warnings:
        say(f"briefgen: warning: {warning}", quiet)
    runlog.save_modes(state, modes)
    problem = runlog.store_report(
        report, corpus.articles, engine, settings, f"{audience} by story", state
    )
    if problem:
        say(f"briefgen: warning: {problem}", quiet)


def _folder(output: str) -> Path:
    """-o with --by-story names a folder (made if missing), never a file."""
    folder = Path(output)
    if folder.exists() and not folder.is_dir():
        raise click.UsageError(f"--by-story -o names a folder, and {output} is a file")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
