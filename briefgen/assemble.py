"""Turn an engine's Draft into the Brief readers see: citations from finding ids, never prose.

The draft says what to say; everything else comes from the digest and the corpus: which
sources a point cites (its findings' articles), how many stand behind it, the quotes, the
conflicting figures, the single-source claims, the entities, the watch list for the
audience, the timeline (analyst and newsletter) and how the brief was made (Provenance).
Every point's relative dates ('on Sunday') get the date they stand for beside them in
`dated_text`, read against the article its evidence comes from (absolute.py); its `text`
stays as written and verified.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefgen import absolute
from briefgen.injection import is_instruction_like
from briefgen.schema import (
    ArticleSummary,
    Audience,
    Brief,
    BriefQuote,
    Conflict,
    CopyNote,
    Digest,
    Draft,
    DraftPoint,
    Finding,
    KeyPoint,
    Provenance,
    Section,
    WatchItem,
    WatchList,
)
from briefgen.timeline import build_timeline
from briefgen.verify import sentence_key

if TYPE_CHECKING:
    from briefgen.corpus import Corpus

EXEC_WATCH_ITEMS = 6
ANALYST_QUOTES = 6
NEWSLETTER_QUOTES = 3
SINGLE_SOURCE_ITEMS = 8
ENTITIES = 24


def assemble(
    draft: Draft,
    corpus: Corpus,
    watch: WatchList,
    audience: Audience,
    as_of: dt.date,
    basis: str,
    written_from: Digest | None = None,
) -> Brief:
    """Turn an engine's draft into a Brief: citations from finding ids, data from the digest.

    `written_from`: the digest the engine wrote from (currency.current, without what is off
    the story), whose single-source findings the analyst brief lists; the whole digest if
    not given."""
    findings = {f.id: f for f in corpus.digest.findings}

    refs = absolute.reference_days(corpus.references)

    def point(p: DraftPoint) -> KeyPoint:
        used = [findings[i] for i in p.finding_ids if i in findings]
        return dated(labelled(p.text, used, corpus), used, refs, as_of.year)

    bottom_line, key_points = lead_with_corroborated(
        [point(p) for p in draft.bottom_line], [point(p) for p in draft.key_points]
    )
    # A point the bottom line already says, word for word, is not said again below it (a
    # model's newsletter put its top line under "Why it matters" too; its analyst brief, a
    # bottom-line sentence among the key points). Each list shown under the bottom line is
    # read after it: the key points (exec, analyst), the sections (newsletter).
    [key_points] = said_once(bottom_line, [key_points])
    sections = [
        Section(heading=s.heading, points=kept)
        for s, kept in zip(
            draft.sections,
            said_once(bottom_line, [[point(p) for p in s.points] for s in draft.sections]),
            strict=True,
        )
        if kept
    ]
    shown = {i for p in [*draft.bottom_line, *draft.key_points] for i in p.finding_ids}
    analyst = audience == "analyst"
    # An event a later article reports as happened, cancelled or moved is no longer ahead.
    upcoming: list[WatchItem] = [i for i in watch.upcoming if i.state == "upcoming"]
    if audience == "exec":
        from briefgen.watch import most_important

        upcoming = most_important(upcoming, EXEC_WATCH_ITEMS)
    titles = {s.article_id: s for s in corpus.sources}
    return Brief(
        audience=audience,
        headline=draft.headline,
        bottom_line=bottom_line,
        key_points=key_points,
        watch=upcoming + (watch.unresolved if analyst else []),
        quotes=_quotes(
            corpus,
            ANALYST_QUOTES if analyst else NEWSLETTER_QUOTES if audience == "newsletter" else 0,
        ),
        conflicts=_conflicts(corpus.digest.conflicts, corpus) if analyst else [],
        single_source=[
            dated(p, [findings[i] for i in p.finding_ids], refs, as_of.year)
            for p in _single_source(written_from or corpus.digest, corpus, shown)
        ]
        if analyst
        else [],
        article_summaries=[
            ArticleSummary(citation=titles[aid].n, title=titles[aid].title, summary=text)
            for aid, text in sorted(draft.article_summaries.items(), key=lambda kv: titles[kv[0]].n)
            if text and aid in titles
        ]
        if analyst
        else [],
        entities=corpus.digest.entities[:ENTITIES] if analyst else [],
        sections=sections,
        timeline=build_timeline(corpus, watch, as_of, shown)
        if audience in ("analyst", "newsletter")
        else [],
        headline_support=point(DraftPoint(text=draft.headline, finding_ids=draft.headline_findings))
        if draft.headline_findings
        else None,
        sources=[
            s.model_copy(update={"reference": refs.get(s.article_id)}) for s in corpus.sources
        ],
        provenance=Provenance(
            engine=corpus.engine.name,
            model=corpus.engine.model,
            generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0),
            as_of=as_of,
            as_of_basis=basis,
            articles=len(corpus.articles),
            skipped=corpus.skipped,
            date_notes=[f"[{s.n}] {s.date_basis}" for s in corpus.sources if s.date_basis],
            missing=corpus.report.missing,
            points_dropped=corpus.report.points_dropped,
            warnings=corpus.report.warnings,
        ),
    )


def said_once(before: list[KeyPoint], lists: list[list[KeyPoint]]) -> list[list[KeyPoint]]:
    """Each of `lists`, in turn, without the points that say word for word
    (verify.sentence_key) what a point before them says: in `before`, an earlier list, or
    earlier in its own."""
    seen = {sentence_key(p.text) for p in before}
    out = []
    for points in lists:
        kept = []
        for p in points:
            key = sentence_key(p.text)
            if key not in seen:
                seen.add(key)
                kept.append(p)
        out.append(kept)
    return out


def trusted(p: KeyPoint) -> bool:
    return p.corroboration > 1 and not p.disputed_by


def lead_with_corroborated(
    bottom: list[KeyPoint], points: list[KeyPoint]
) -> tuple[list[KeyPoint], list[KeyPoint]]:
    """A bottom line of settled points, opening on a corroborated one whenever there is one.

    A reader takes the bottom line as the news: a point other articles deny is shown among
    the key points, with who disputes it, never there. Its first sentence is one that
    several independent articles agree on whenever the brief has one; one article's claim
    may follow it but not lead. Whichever engine wrote the draft, the best placed trusted
    point moves to the front (from the key points if need be); a sentence displaced from a
    full bottom line opens the key points.
    """
    settled = [p for p in bottom if not p.disputed_by]
    points = [*(p for p in bottom if p.disputed_by), *points]
    if not settled:
        first = next((p for p in points if not p.disputed_by), None)
        if first is None:
            return [], points
        settled, points = [first], [p for p in points if p is not first]
    if trusted(settled[0]):
        return settled, points
    for i, p in enumerate(settled[1:], start=1):
        if trusted(p):
            return [p, *settled[:i], *settled[i + 1 :]], points
    for i, p in enumerate(points):
        if trusted(p):
            moved = [p, *settled]
            return moved[:3], moved[3:] + [*points[:i], *points[i + 1 :]]
    return settled, points


def labelled(text: str, used: list[Finding], corpus: Corpus) -> KeyPoint:
    """A sentence for the reader with what stands behind it: its citations, how many
    independent articles agree (the weakest of its findings: a point joining two facts is
    as well supported as the less supported one), who disputes it, and which cited sources
    are copies of another cited one."""
    article_ids = [a for f in used for a in f.article_ids]
    citations = corpus.citations(article_ids)
    disputed = [a for f in used for a in f.disputed_by if a not in article_ids]
    copies = [
        CopyNote(n=s.n, of=s.copy_of)
        for s in corpus.sources
        if s.copy_of is not None and s.n in citations and s.copy_of in citations
    ]
    return KeyPoint(
        text=text,
        finding_ids=[f.id for f in used],
        finding_keys=[f.key for f in used],
        citations=citations,
        corroboration=min((f.corroboration for f in used), default=1),
        disputed_by=corpus.citations(disputed),
        copies=copies,
        kind=used[0].kind if used else "fact",
    )


def dated(point: KeyPoint, used: list[Finding], refs: dict[str, dt.date], year: int) -> KeyPoint:
    """The point with `dated_text` set when its text holds relative dates: each read against
    the article whose evidence holds its words (absolute.annotate)."""
    evidence = [e for f in used for e in f.evidence]
    shown = absolute.annotate(point.text, refs, evidence, year)
    return point if shown == point.text else point.model_copy(update={"dated_text": shown})


def _quotes(corpus: Corpus, limit: int) -> list[BriefQuote]:
    out = []
    for q in corpus.digest.quotes:
        if len(out) == limit:
            break
        if q.speaker and 5 <= len(q.text.split()) <= 60 and not is_instruction_like(q.evidence):
            out.append(
                BriefQuote(
                    text=q.text, speaker=q.speaker, citations=corpus.citations(q.article_ids)
                )
            )
    return out


def _conflicts(conflicts: list[Conflict], corpus: Corpus) -> list[Conflict]:
    out = []
    for c in conflicts:
        values = [
            v.model_copy(update={"citations": corpus.citations(v.article_ids)}) for v in c.values
        ]
        out.append(c.model_copy(update={"values": values}))
    return out


def _single_source(digest: Digest, corpus: Corpus, shown: set[int]) -> list[KeyPoint]:
    """The claims resting on one article, not shown as points. From what the brief is written
    from: a forecast of what has since happened ("officials will meet in Malaysia on Friday")
    is no claim to treat with care, and an off-topic passage is no claim of the story."""
    from briefgen.engines.extractive import presentable
    from briefgen.trim import cut_connective

    out = []
    for f in digest.findings:
        if f.single_source and f.id not in shown and presentable(f.text):
            out.append(labelled(cut_connective(f.text.strip()), [f], corpus))
        if len(out) == SINGLE_SOURCE_ITEMS:
            break
    return out
