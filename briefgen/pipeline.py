"""Wire the steps: ingest -> chunk -> extract -> ground -> merge -> date -> write -> cite.

The pipeline owns what both engines share and calls it in order: reading and grounding the
notes, the corpus' dates and watch list (corpus_dates.py), what is still current at the
brief's date (currency.py), what the rules add to a model's work (rule_fill.py), verifying the
draft and the run report. Nothing here formats output; render.py does that from the Brief.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
import time
from collections.abc import Callable, Collection, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from typing import IO

from briefgen.assemble import assemble
from briefgen.chunking import DEFAULT_MAX_TOKENS, chunk_article
from briefgen.copies import find_copies
from briefgen.corpus import Corpus
from briefgen.corpus_dates import (
    build_watchlist,
    date_order,
    decide_as_of,
    number_sources,
    reference_dates,
)
from briefgen.currency import current, dating, latest_articles, stale_titles
from briefgen.engines import Engine, get_engine
from briefgen.engines.extractive import ExtractiveEngine, headline
from briefgen.errors import BriefgenError, EndpointError, NoArticlesError
from briefgen.ground import GroundingStats, ground_notes
from briefgen.injection import flag_articles
from briefgen.offtopic import listed, on_topic, without_off_topic
from briefgen.rule_fill import copies_a_title, filled_summaries, with_rule_notes
from briefgen.schema import (
    Article,
    Audience,
    Brief,
    Chunk,
    ChunkNotes,
    RunReport,
    Skipped,
    WatchList,
)
from briefgen.verify import Problem, drop_failing, verify_draft

# progress(done, total) after each chunk is read: the CLI draws a bar with it.
Progress = Callable[[int, int], None]


@dataclass
class Result:
    brief: Brief
    watch: WatchList
    corpus: Corpus


@contextlib.contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """Python's cycle collector paused while a corpus is read and briefed.

    Reading builds millions of small objects (sentences, spans, mentions) that live until the
    brief is made, and the collector walks all of them again and again as they accumulate:
    on an article of 2 MB it took 150 of 163 seconds. What the steps drop is freed by
    reference counting as ever; the collector runs again as soon as the run is over.
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


@_no_cycle_collection()
def read_corpus(
    paths: list[str],
    stdin: IO[bytes] | None = None,
    engine: Engine | None = None,
    max_tokens: int | None = None,
    concurrency: int = 1,
    progress: Progress | None = None,
) -> Corpus:
    from briefgen.ingest import load

    started = time.perf_counter()
    engine = engine or get_engine("extractive")
    loaded = load(paths, stdin=stdin)
    if not loaded.articles:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in loaded.skipped) or "no files found"
        raise NoArticlesError(f"no readable article in {', '.join(paths)} ({reasons})")
    articles = loaded.articles
    references = reference_dates(articles)
    # Copies are found oldest first, so the first to tell a story is the one the others copy.
    # Before the chunks are read, not after: the shingle sets it builds and drops (a few
    # hundred MB for 10,000 articles) are then reused by the notes, not added to them.
    copies = find_copies(sorted(articles, key=lambda a: date_order(a, references)))

    max_tokens = max_tokens or _chunk_tokens(engine)
    work = [(a, c) for a in articles for c in chunk_article(a, max_tokens)]
    notes: list[ChunkNotes] = []
    # A model's notes get the rules' dates and names beside its own (with_rule_notes).
    rules = ExtractiveEngine() if engine.name != "extractive" else None
    stats = GroundingStats()
    missing: list[str] = []
    first_error: BriefgenError | None = None
    for (article, chunk), outcome in zip(work, _map(engine, work, concurrency, progress)):
        if isinstance(outcome, BriefgenError):
            first_error = first_error or outcome
            # One chunk that cannot be read costs that chunk, not the brief: it is named in
            # the report and in the brief's footer.
            missing.append(f"{article.path} part {chunk.index + 1} ({outcome})")
            continue
        # A cached engine remembers grounded notes too (engines/cached.py), so a warm run
        # does not align them again; any other engine's are grounded here.
        grounder = getattr(engine, "ground", ground_notes)
        grounded, s = grounder(outcome, article, chunk)
        if rules is not None:
            grounded = with_rule_notes(grounded, rules.dates_and_names(chunk, article))
        notes.append(grounded)
        stats.add(s)

    if work and len(missing) == len(work):
        # Not one chunk could be read: there is nothing to brief from, and the cause (a
        # server down, a wrong key) is the same for all; say it once.
        raise first_error  # type: ignore[misc]
    # Text addressed to a model or the reader: listed, never made into points.
    flagged = flag_articles(articles)
    sources = number_sources(articles, references, copies, flagged)
    report = RunReport(
        engine=engine.name,
        model=engine.model,
        articles=len(articles),
        skipped=loaded.skipped,
        chunks=len(work),
        notes_kept=stats.kept,
        notes_dropped=stats.dropped,
        speakers_corrected=stats.speakers_corrected,
        missing=missing,
    )
    corpus = Corpus(
        articles, loaded.skipped, references, notes, None, sources, report, engine, copies, flagged
    )
    report.seconds = round(time.perf_counter() - started, 3)
    return corpus


def _chunk_tokens(engine: Engine) -> int:
    # A model reads bigger chunks than the rules do: each call repeats the prompt and schema.
    return getattr(engine, "chunk_tokens", DEFAULT_MAX_TOKENS)


def _map(
    engine: Engine,
    work: list[tuple[Article, Chunk]],
    concurrency: int,
    progress: Progress | None,
) -> Iterator[ChunkNotes | BriefgenError]:
    """engine.extract over every chunk, in order; `concurrency` calls at once.

    A model call mostly waits on the network, so threads overlap the waits. Results come
    back in input order whatever order the calls finish in, so the brief does not depend on
    timing. A chunk that fails yields its error instead of notes.
    """

    state = {"read": 0, "dead": None}

    def one(item: tuple[Article, Chunk]) -> ChunkNotes | BriefgenError:
        article, chunk = item
        if state["dead"] is not None:
            return state["dead"]
        try:
            notes = engine.extract(chunk, article)
        except EndpointError as exc:
            # An endpoint that has failed before answering anything (down, wrong address,
            # bad key) will fail every chunk the same way: stop calling it.
            if not state["read"]:
                state["dead"] = exc
            return exc
        except BriefgenError as exc:
            return exc
        state["read"] += 1
        return notes

    total = len(work)
    if concurrency <= 1 or total <= 1:
        for done, item in enumerate(work, start=1):
            result = one(item)
            if progress:
                progress(done, total)
            yield result
        return
    pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="briefgen-map")
    try:
        futures = [pool.submit(one, item) for item in work]
        if progress:
            for done, _ in enumerate(as_completed(futures), start=1):
                progress(done, total)
        for future in futures:
            yield future.result()
    except BaseException:
        # Ctrl-C (or any failure here): calls not yet started are dropped at once, not made
        # one after another while the user waits for the program to stop.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()


@_no_cycle_collection()
def make_brief(
    paths: list[str],
    audience: Audience = "exec",
    as_of: dt.date | None = None,
    engine: Engine | None = None,
    stdin: IO[bytes] | None = None,
    concurrency: int = 1,
    progress: Progress | None = None,
) -> Result:
    corpus = read_corpus(
        paths, stdin=stdin, engine=engine, concurrency=concurrency, progress=progress
    )
    return brief_corpus(corpus, audience, as_of)


@_no_cycle_collection()
def brief_corpus(
    corpus: Corpus, audience: Audience = "exec", as_of: dt.date | None = None
) -> Result:
    """The brief of a corpus already read (make_brief's second half; one story's corpus
    from subcorpus for `make --by-story`)."""
    started = time.perf_counter()
    day, basis = decide_as_of(as_of, corpus)
    watch = build_watchlist(corpus, day)
    # What is far from the story (offtopic.py) is not written from; such articles are listed.
    digest = without_off_topic(current(corpus.digest, corpus, day), corpus.off_topic)
    draft_articles = on_topic(corpus.articles, corpus.off_topic)
    stale = stale_titles(corpus, draft_articles, watch.settled)
    if corpus.engine.name == "extractive":
        # Its key points leave out what the watch list already shows the reader.
        watched = [i.sentence for i in watch.upcoming + watch.unresolved]
        latest = latest_articles(draft_articles, corpus.references)
        draft = corpus.engine.write(
            digest, audience, draft_articles, watched=watched, latest=latest, stale_titles=stale
        )
    else:
        draft = corpus.engine.write(digest, audience, draft_articles, dating=dating(corpus, day))
    # Whatever engine wrote the draft, nothing reaches the reader unverified.
    checked = verify_draft(draft, corpus.digest, corpus.articles)
    if copies_a_title(draft.headline, [a for a in draft_articles if a.id in stale]):
        # A model's headline that copies an out-of-date title (a small model copies titles):
        # it tells as still to come what a later article reports done.
        reason = "repeats an out-of-date title: a later article reports what it tells as to come"
        checked.problems.append(Problem("headline", draft.headline, reason))
    # A headline that fails is replaced from what the draft was written from: on the story
    # and current, so the stand-in never tells as coming what the articles report held.
    checked = drop_failing(checked, lambda: headline(draft_articles, digest.findings, skip=stale))
    if audience == "analyst" and corpus.engine.name != "extractive":
        checked.draft.article_summaries = filled_summaries(
            checked.draft.article_summaries, digest.findings, draft_articles
        )
    corpus.report.points_verified = checked.verified
    corpus.report.points_dropped = checked.dropped
    corpus.report.citations_corrected = checked.corrected
    if not checked.draft.bottom_line and checked.draft.key_points:
        # Every bottom-line sentence failed: the best verified key point takes its place.
        checked.draft.bottom_line = checked.draft.key_points[:1]
        checked.draft.key_points = checked.draft.key_points[1:]
    corpus.report.warnings.extend(getattr(corpus.engine, "warnings", []))
    brief = assemble(checked.draft, corpus, watch, audience, day, basis, written_from=digest)
    brief.off_topic = listed(corpus.off_topic, brief.sources)
    fill_costs(corpus.report, corpus.engine)
    corpus.report.seconds = round(corpus.report.seconds + time.perf_counter() - started, 3)
    return Result(brief=brief, watch=watch, corpus=corpus)


def subcorpus(corpus: Corpus, article_ids: Collection[str]) -> Corpus:
    """The corpus of some of its articles (one story of a mixed feed), without reading or
    asking the engine anything again: their notes merged anew, their sources numbered from
    [1], their own off-topic check; their dates stay those the whole corpus gave them."""
    keep = set(article_ids)
    articles = [a for a in corpus.articles if a.id in keep]
    references = {k: v for k, v in corpus.references.items() if k in keep}
    notes = [n for n in corpus.notes if n.article_id in keep]
    copies = {k: v for k, v in corpus.copies.items() if k in keep and v in keep}
    flagged = {k: v for k, v in corpus.flagged.items() if k in keep}
    paths = tuple(f"{a.path} part " for a in articles)
    report = corpus.report.model_copy(
        deep=True,
        update={
            "articles": len(articles),
            "chunks": len(notes),
            "missing": [m for m in corpus.report.missing if m.startswith(paths)],
        },
    )
    sources = number_sources(articles, references, copies, flagged)
    return Corpus(
        articles,
        corpus.skipped,
        references,
        notes,
        None,
        sources,
        report,
        corpus.engine,
        copies,
        flagged,
    )


def fill_costs(report: RunReport, engine: Engine) -> None:
    """Calls, tokens and cost from the engine's ledger (the extractive engine has none)."""
    ledger = getattr(engine, "ledger", None)
    if ledger is None:
        return
    report.calls_new = ledger.calls_new
    report.calls_cached = ledger.calls_cached
    report.prompt_tokens = ledger.prompt_tokens
    report.completion_tokens = ledger.completion_tokens
    cost = ledger.cost(getattr(engine, "prices", {}), getattr(engine, "local", False))
    report.cost_usd = round(cost, 6) if cost is not None else None


def plan_run(
    paths: list[str],
    engine: Engine,
    stdin: IO[bytes] | None = None,
    max_tokens: int | None = None,
    by_story: bool = False,
) -> tuple[list, list[Skipped]]:
    """The model calls a run would make (for --dry-run), without making any. `by_story`:
    one synthesis per story the articles fall into (`make --by-story`), not one for all."""
    from briefgen.ingest import load

    loaded = load(paths, stdin=stdin)
    if not loaded.articles:
        raise NoArticlesError(f"no readable article in {', '.join(paths)}")
    if not hasattr(engine, "plan_extract"):
        return [], loaded.skipped  # an engine without a model plans no calls
    planned = []
    tokens: dict[str, int] = {}
    max_tokens = max_tokens or _chunk_tokens(engine)
    for article in loaded.articles:
        for chunk in chunk_article(article, max_tokens):
            tokens[article.id] = tokens.get(article.id, 0) + chunk.tokens
            planned.append(engine.plan_extract(chunk, article))
    parts = [loaded.articles]
    if by_story:
        # The grouping needs no model: the stories `make --by-story` will find, each briefed
        # from its own articles; an article that fits none is not briefed.
        from briefgen.stories import group

        by_id = {a.id: a for a in loaded.articles}
        parts = [[by_id[a.id] for a in s.articles] for s in group(loaded.articles).stories]
    for part in parts:
        planned.append(engine.plan_write(sum(tokens.get(a.id, 0) for a in part), part))
    return planned, loaded.skipped
