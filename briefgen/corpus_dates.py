"""The corpus on its dates: each article's reference date (its own, else what the other
articles tell: refdates.py, settle.py), sources numbered oldest first, the brief's date, and
the watch list on those dates with what later articles report of each item.

Dates come from the articles, never from the clock, except in one place (decide_as_of) and
only when no article dates anything. pipeline.py calls these once a corpus is read; the CLI's
`watchlist`, `sources` and `stories` call them on a corpus of their own.
"""

from __future__ import annotations

import datetime as dt

from briefgen import dates
from briefgen.corpus import Corpus
from briefgen.schema import Article, SourceRef, WatchList


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


def date_order(a: Article, references: dict[str, tuple[dt.date, str]]) -> tuple:
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
    ordered = sorted(articles, key=lambda a: date_order(a, references))
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
