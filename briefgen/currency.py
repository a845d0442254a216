"""What is still current at the brief's date: the findings, titles and articles a brief
may be written from once later articles have reported what earlier ones told as to come.

"Officials will meet in Malaysia on Friday", from an article of last week, is history once a
later article reports the meeting held; a brief that says it will happen misleads. The watch
list's settled items (settle.py, via corpus_dates.build_watchlist) say what was reported held,
called off or moved; these functions keep what tells such events as still to come out of what
an engine writes from, and tell a model the dates it writes on.
"""

from __future__ import annotations

import datetime as dt

from briefgen import dates
from briefgen.corpus import Corpus
from briefgen.corpus_dates import build_watchlist
from briefgen.schema import Article, Digest, Evidence, Finding, WatchItem
from briefgen.synthesis_articles import Dating


def current(digest: Digest, corpus: Corpus, as_of: dt.date) -> Digest:
    """The digest without forecasts of what has already happened by the brief's date.

    "Officials will meet in Malaysia on Friday", from an article of last week, is history by
    now: a brief that says it will happen misleads. A forecast every date of which has ended
    before `as_of`, or whose event a later article reports as happened, cancelled or moved
    (settle.py), in the sentence the reader is shown (its own article's, else every
    article that tells it), is left out of what the engine writes from, and so is a finding of another kind (a model's note may call "will meet" a fact)
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
        # What the reader is shown is the finding's own sentence: when it is one of its
        # articles' sentences, that telling decides. Other articles support it clause by
        # clause, and a clause of a current sentence ("Delegates are on schedule to begin
        # drafting proposals early next week") must not keep a sentence that tells as coming
        # what a later article reports held ("This year's session ... begins next week in
        # Bali"). A model's own wording is in no article: every telling decides.
        told = [e for e in f.evidence if e.text == f.text] or f.evidence
        if f.kind == "forecast" and all(
            all_passed(e.text, ref := corpus.references.get(e.article_id, (None,))[0], as_of)
            or tells_settled(e.text, e.article_id, ref, settled)
            for e in told
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
        if f.kind != "forecast" and all(told_ahead_and_reported(e) for e in told):
            return True
        # Whatever its kind: "the proposed meeting remains tentative", from an article older
        # than the one reporting the meeting held, in every article that tells it.
        return all(tells_pending(e.text, e.article_id, corpus.references, settled) for e in told)

    kept = [f for f in digest.findings if not stale(f)]
    if len(kept) == len(digest.findings):
        return digest
    return digest.model_copy(update={"findings": kept})


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
