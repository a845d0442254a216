"""Wire the steps: ingest -> chunk -> extract -> ground -> merge -> date -> write -> cite.

The pipeline owns what both engines share: reference dates, grounding, merging, the watch
list, numbering sources and turning finding ids into citations, and the run report. Nothing
here formats output; render.py does that from the Brief.
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

from briefgen import dates
from briefgen.assemble import assemble
from briefgen.chunking import DEFAULT_MAX_TOKENS, chunk_article
from briefgen.copies import find_copies
from briefgen.corpus import Corpus
from briefgen.engines import Engine, get_engine
from briefgen.engines.extractive import ExtractiveEngine, headline, summaries_of
from briefgen.entities import canonical
from briefgen.errors import BriefgenError, EndpointError, NoArticlesError
from briefgen.ground import GroundingStats, ground_notes
from briefgen.injection import flag_articles
from briefgen.offtopic import listed, on_topic, without_off_topic
from briefgen.schema import (
    Article,
    Audience,
    Brief,
    Chunk,
    ChunkNotes,
    Digest,
    Evidence,
    Finding,
    RunReport,
    Skipped,
    SourceRef,
    WatchItem,
    WatchList,
)
from briefgen.synthesis_articles import Dating
from briefgen.text import content_words
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
    copies = find_copies(sorted(articles, key=lambda a: _date_order(a, references)))

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


def with_rule_notes(notes: ChunkNotes, ruled: ChunkNotes) -> ChunkNotes:
    """A model's notes of a chunk with what the built-in rules noted of it (`ruled`) where
    the model noted nothing of the same: the rules' dated events in sentences where the
    model noted none, and the rules' names, with the model's own names that share no word
    with one of them.

    Every date a brief stands on (the articles' inferred dates, the watch list, which plans a
    later article reports held) is read from events. A small model notes few and odd ones
    (Qwen 1.5B gave the sample's "will meet in Malaysia on Friday" no event and called it a
    fact): the brief then dated the newest article four days early and wrote of that meeting
    as still to come. Its names were as weak: on the sample's hand-checked list (benchmarks/
    entities.py) Qwen's scored precision 0.75, recall 0.38, types 0.75 ("Russia" an
    organization, "US Treasury Secretary Scott Bessent" a name), the rules' 0.92, 0.94,
    0.96; the rules' with the model's other names added, 0.92, 0.96, 0.96 ("Chenkai", a
    columnist the rules miss). The rules' notes are the article's own words at exact
    offsets: they need no grounding.
    """
    noted = [(e.span.start, e.span.end) for e in notes.events if e.span is not None]
    events = [
        e
        for e in ruled.events
        if e.span is not None and not any(e.span.start < b and a < e.span.end for a, b in noted)
    ]
    named = {w for e in ruled.entities for w in content_words(canonical(e.name))}
    own = [e for e in notes.entities if not named.intersection(content_words(canonical(e.name)))]
    if not events and not ruled.entities:
        return notes
    return notes.model_copy(
        update={"events": [*notes.events, *events], "entities": [*ruled.entities, *own]}
    )


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


def reference_dates(
    articles: list[Article], anchor: dt.date | None = None
) -> dict[str, tuple[dt.date, str]]:
    """Each article's reference date and what it rests on: its own date, else corpus evidence.

    `anchor` (the --as-of date) gives years only where the articles give none.
    """
    known = {a.id: a.published for a in articles if a.published}
    refs = {
        a.id: (a.published, f"published {a.published.isoformat()} ({a.date_basis or 'metadata'})")
        for a in articles
        if a.published
    }
    inferred = dates.infer_reference_dates(
        {a.id: a.text for a in articles if a.id not in known}, known, anchor
    )
    for aid, (date, basis) in inferred.items():
        refs[aid] = (date, f"undated; taken as {date.isoformat()}: {basis}")
    return refs


def settle_dates(corpus: Corpus, as_of: dt.date | None) -> None:
    """Give the corpus its final reference dates, before the watch list is built on them.

    With --as-of, articles the corpus alone cannot date take their years (and, failing all
    else, their date) from it. Then an undated article that reports an event as done is
    dated no earlier than the day the other articles give that event (settle.py); sources
    are numbered again, oldest first, if that changed any date.
    """
    from briefgen import settle
    from briefgen.watch import build_watchlist as build

    # A call that changed nothing changes nothing when made again on the same dates: a brief
    # makes it three times (decide_as_of, build_watchlist, current's build_watchlist).
    if corpus.memo.get("settled") == (as_of, corpus.references):
        return
    known = {a.id for a in corpus.articles if a.published}
    if len(known) == len(corpus.articles):
        # Only an undated article's date is raised: with none, there is nothing to settle,
        # and the draft watch list and the sentence index need not be built for it.
        corpus.memo["settled"] = (as_of, dict(corpus.references))
        return
    refs = dict(corpus.references)
    if as_of is not None and len(refs) < len(corpus.articles):
        refs = reference_dates(corpus.articles, anchor=as_of)
    texts = {a.id: a.text for a in corpus.articles}
    draft = build(corpus.notes, refs, as_of or dt.date.min)
    # Only an undated article's report raises a date, so only its sentences need reading
    # here; the index of them all is built once, for the watch list (_told_index).
    undated = {k: v for k, v in texts.items() if k not in known}
    index = _told_index(corpus, texts) if len(undated) == len(texts) else settle.told_index(undated)
    refs = settle.raised_references(draft, texts, refs, known, index)
    if refs != corpus.references:
        corpus.references.clear()
        corpus.references.update(refs)
        corpus.sources[:] = number_sources(corpus.articles, refs, corpus.copies, corpus.flagged)
        corpus.memo.pop("numbers", None)
        corpus.memo.pop("watch", None)
    else:
        corpus.memo["settled"] = (as_of, dict(corpus.references))


def _told_index(corpus: Corpus, texts: dict[str, str]):  # -> settle._ToldIndex
    """settle's index of the articles' cue sentences, built once per corpus: a brief asks
    it five times (settle_dates three times, build_watchlist's settle twice), and
    building it reads every sentence of every article (issue 16: 10,000 articles)."""
    from briefgen import settle

    if "told" not in corpus.memo:
        corpus.memo["told"] = settle.told_index(texts)
    return corpus.memo["told"]


def cite_articles(text: str, sources: list[SourceRef]) -> str:
    """A basis string with "article <id>" (what dates.py and settle.py write) as [n]."""
    for s in sorted(sources, key=lambda s: -len(s.article_id)):
        text = text.replace(f"article {s.article_id}", f"[{s.n}]")
    return text


def _date_order(a: Article, references: dict[str, tuple[dt.date, str]]) -> tuple:
    """Oldest first, undated last, then by path: how sources are numbered."""
    ref = references.get(a.id)
    return (ref[0] if ref else dt.date.max, a.path)


def number_sources(
    articles: list[Article],
    references: dict[str, tuple[dt.date, str]],
    copies: dict[str, str] | None = None,
    flagged: dict[str, list[str]] | None = None,
) -> list[SourceRef]:
    """Sources numbered oldest first; a copy names the number of the article it copies, and
    each carries its instruction-like passages (`flagged`, injection.flag_articles)."""
    copies = copies or {}
    flagged = flagged or {}
    ordered = sorted(articles, key=lambda a: _date_order(a, references))
    numbers = {a.id: n for n, a in enumerate(ordered, start=1)}
    out: list[SourceRef] = []
    for n, a in enumerate(ordered, start=1):
        ref = references.get(a.id)
        out.append(
            SourceRef(
                n=n,
                article_id=a.id,
                title=a.title,
                source=a.source,
                url=a.url,
                published=a.published,
                date_basis=ref[1] if ref and not a.published else None,
                path=a.path,
                copy_of=numbers.get(copies[a.id]) if a.id in copies else None,
                instruction_like=flagged.get(a.id, []),
            )
        )
    for source in out:  # the reader knows articles by their numbers, not internal ids
        if source.date_basis:
            source.date_basis = cite_articles(source.date_basis, out)
    return out


def decide_as_of(as_of: dt.date | None, corpus: Corpus) -> tuple[dt.date, str]:
    """The brief's date: --as-of if given, else the latest date the articles establish
    (publication dates, inferred dates, and events reported as done); today's date only
    when no article gives any evidence, and the basis then says so."""
    settle_dates(corpus, as_of)
    if as_of is not None:
        return as_of, "given with --as-of"
    if corpus.references:
        newest_id, (newest, _) = max(corpus.references.items(), key=lambda kv: (kv[1][0], kv[0]))
        numbers = {s.article_id: s.n for s in corpus.sources}
        inferred = not any(a.id == newest_id and a.published for a in corpus.articles)
        how = "inferred from the dates the articles state" if inferred else "its publication date"
        return newest, f"the newest article's date, [{numbers[newest_id]}] ({how})"
    # The one place the clock is read: nothing in any article dates anything.
    return dt.date.today(), "today's date: no article gives any date evidence"


def build_watchlist(corpus: Corpus, as_of: dt.date) -> WatchList:
    """The watch list on the corpus' reference dates (settle_dates first, via decide_as_of),
    with what later articles report of each item, and citations by source number."""
    from briefgen import settle
    from briefgen.watch import build_watchlist as build

    settle_dates(corpus, None)  # done already when decide_as_of ran; cheap to repeat
    # The same list again for `current` (brief_corpus asks twice, on the same dates and
    # sources): a copy of the one built, not built again.
    key = (as_of, dict(corpus.references), id(corpus.sources), len(corpus.sources))
    made = corpus.memo.get("watch")
    if made is not None and made[0] == key and made[1] is corpus.off_topic:
        return made[2].model_copy(deep=True)
    off = corpus.off_topic.articles if corpus.off_topic else {}
    notes = [n for n in corpus.notes if n.article_id not in off]  # nothing to watch off the story
    watch = build(notes, corpus.references, as_of)
    known = {a.id for a in corpus.articles if a.published}
    texts = {a.id: a.text for a in corpus.articles}
    watch = settle.settle(watch, texts, corpus.references, known, _told_index(corpus, texts))
    for item in [*watch.upcoming, *watch.unresolved, *watch.passed, *watch.settled]:
        item.citations = corpus.citations(item.article_ids)
        item.state_citations = corpus.citations(item.state_article_ids)
        if item.date_basis:
            item.date_basis = cite_articles(item.date_basis, corpus.sources)
    corpus.memo["watch"] = (key, corpus.off_topic, watch.model_copy(deep=True))
    return watch


def current(digest: Digest, corpus: Corpus, as_of: dt.date) -> Digest:
    """The digest without forecasts of what has already happened by the brief's date.

    "Officials will meet in Malaysia on Friday", from an article of last week, is history by
    now: a brief that says it will happen misleads. A forecast every date of which has ended
    before `as_of`, or whose event a later article reports as happened, cancelled or moved
    (settle.py), in every article that tells it, is left out of what the engine writes
    from, and so is a finding of another kind (a model's note may call "will meet" a fact)
    that tells such an event, reported since, not in the past tense; so is any finding that
    speaks of such an event as still pending ("the proposed meeting remains tentative") in
    articles older than the report (settle.tells_pending).
    It stays in the digest, so nothing that cites it breaks.
    """
    from briefgen.settle import tells_pending, tells_settled
    from briefgen.watch import all_passed

    settled = build_watchlist(corpus, as_of).settled

    def told_ahead_and_reported(e: Evidence) -> bool:
        if dates.sentence_tense(e.text) == "past":
            return False
        ref = corpus.references.get(e.article_id, (None,))[0]
        return tells_settled(e.text, e.article_id, ref, settled)

    def stale(f: Finding) -> bool:
        if f.kind == "forecast" and all(
            all_passed(e.text, ref := corpus.references.get(e.article_id, (None,))[0], as_of)
            or tells_settled(e.text, e.article_id, ref, settled)
            for e in f.evidence
        ):
            return True
        # Not weighed as a forecast (an opinion: "As we have been predicting, President Trump
        # and President Xi are on track to meet ... this Thursday"; a model's note may call
        # "Officials will meet in Malaysia on Friday" a fact), but told, not in the past
        # tense, of an event a later article reports: as out of date. Told in the past tense
        # ("the two leaders met on Thursday"), it is a report of the event and stays. Not
        # "every date passed" as for a forecast: a fact in which "will" stands anywhere names
        # passed days and stays true ("The UK has frozen all deals with Iran until the 15
        # sailors detained on March 23 are released").
        if f.kind != "forecast" and all(told_ahead_and_reported(e) for e in f.evidence):
            return True
        # Whatever its kind: "the proposed meeting remains tentative", from an article older
        # than the one reporting the meeting held, in every article that tells it.
        return all(
            tells_pending(e.text, e.article_id, corpus.references, settled) for e in f.evidence
        )

    kept = [f for f in digest.findings if not stale(f)]
    if len(kept) == len(digest.findings):
        return digest
    return digest.model_copy(update={"findings": kept})


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
    if _copies_a_title(draft.headline, [a for a in draft_articles if a.id in stale]):
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


def filled_summaries(
    written: dict[str, str], findings: list[Finding], articles: list[Article]
) -> dict[str, str]:
    """A model's article summaries (those that passed verification), with each article it
    left without one, or gave a title for one, summarised as the built-in engine does: in
    its own best sentences. Qwen 1.5B summarised four of the sample's five articles, three
    of them by a title, one by another article's ("US and China edge toward fragile truce
    ahead of Trump-Xi meeting" for [3]): an analyst reads every article's summary."""
    rules = summaries_of(findings, articles)
    out = {}
    for a in articles:
        mine = written.get(a.id, "").strip()
        if mine and not _copies_a_title(mine, articles):
            out[a.id] = mine
        elif rules.get(a.id):
            out[a.id] = rules[a.id]
    return out


# A title cut short in the source list ("... to try to see if…") and written out whole by the
# model ("... to try to see if they can reach a deal") is still the title: at most this many
# words past it.
TITLE_TAIL = 5


def _copies_a_title(text: str, articles: list[Article]) -> bool:
    """Whether `text` is one of the articles' titles (a title cut short counted whole)."""
    words = _words(text)
    return any(_is_title(words, _words(a.title)) for a in articles if a.title)


def _words(text: str) -> list[str]:
    return content_words(text.rstrip("…"))


def _is_title(words: list[str], title: list[str]) -> bool:
    return bool(title) and words[: len(title)] == title and len(words) - len(title) <= TITLE_TAIL


def dating(corpus: Corpus, day: dt.date) -> Dating | None:
    """What the model is told of time: the brief's date and each article's reference date.
    None when nothing dates the articles (then `day` is the clock's, never told a model)."""
    if not corpus.references:
        return None
    return Dating(day, {k: when for k, (when, _) in corpus.references.items()})


def stale_titles(corpus: Corpus, articles: list[Article], settled: list[WatchItem]) -> set[str]:
    """The articles whose titles tell as still to come what a later article reports done,
    off or moved (`settled`, of the brief's watch list; settle.title_out_of_date): "US, China
    edge toward fragile truce ahead of Trump-Xi meeting", above a brief that reports the
    meeting held, is no headline for it."""
    from briefgen.settle import title_out_of_date

    if not settled:
        return set()
    return {
        a.id
        for a in articles
        if a.title and title_out_of_date(a.title, a.id, corpus.references, settled)
    }


def latest_articles(
    articles: list[Article], references: dict[str, tuple[dt.date, str]]
) -> set[str]:
    """The articles of the newest date the articles give (their reference dates): where the
    story now stands. Empty when nothing dates them."""
    days = {a.id: references[a.id][0] for a in articles if a.id in references}
    newest = max(days.values(), default=None)
    return {a for a, day in days.items() if day == newest}


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
