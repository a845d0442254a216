"""Turn an engine's Draft into the Brief readers see: citations from finding ids, never prose.

The draft says what to say; everything else comes from the digest and the corpus: which
sources a point cites (its findings' articles), how many stand behind it, the quotes, the
conflicting figures, the single-source claims, the entities, the watch list for the
audience and how the brief was made (Provenance).
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from briefgen.schema import (
    ArticleSummary,
    Audience,
    Brief,
    BriefQuote,
    Conflict,
    Draft,
    DraftPoint,
    KeyPoint,
    Provenance,
    Section,
    WatchItem,
    WatchList,
)

if TYPE_CHECKING:
    from briefgen.pipeline import Corpus

EXEC_WATCH_ITEMS = 6
ANALYST_QUOTES = 6
NEWSLETTER_QUOTES = 3
SINGLE_SOURCE_ITEMS = 8
ENTITIES = 24


def assemble(
    draft: Draft, corpus: Corpus, watch: WatchList, audience: Audience, as_of: dt.date, basis: str
) -> Brief:
    """Turn an engine's draft into a Brief: citations from finding ids, data from the digest."""
    findings = {f.id: f for f in corpus.digest.findings}

    def point(p: DraftPoint) -> KeyPoint:
        used = [findings[i] for i in p.finding_ids if i in findings]
        article_ids = [a for f in used for a in f.article_ids]
        return KeyPoint(
            text=p.text,
            finding_ids=[f.id for f in used],
            citations=corpus.citations(article_ids),
            corroboration=len(set(article_ids)),
            kind=used[0].kind if used else "fact",
        )

    key_points = [point(p) for p in draft.key_points]
    shown = {i for p in [*draft.bottom_line, *draft.key_points] for i in p.finding_ids}
    analyst = audience == "analyst"
    upcoming: list[WatchItem] = watch.upcoming
    if audience == "exec":
        from briefgen.watch import most_important

        upcoming = most_important(upcoming, EXEC_WATCH_ITEMS)
    titles = {s.article_id: s for s in corpus.sources}
    return Brief(
        audience=audience,
        headline=draft.headline,
        bottom_line=[point(p) for p in draft.bottom_line],
        key_points=key_points,
        watch=upcoming + (watch.unresolved if analyst else []),
        quotes=_quotes(
            corpus,
            ANALYST_QUOTES if analyst else NEWSLETTER_QUOTES if audience == "newsletter" else 0,
        ),
        conflicts=_conflicts(corpus.digest.conflicts, corpus) if analyst else [],
        single_source=_single_source(corpus, shown) if analyst else [],
        article_summaries=[
            ArticleSummary(citation=titles[aid].n, title=titles[aid].title, summary=text)
            for aid, text in sorted(draft.article_summaries.items(), key=lambda kv: titles[kv[0]].n)
            if text and aid in titles
        ]
        if analyst
        else [],
        entities=corpus.digest.entities[:ENTITIES] if analyst else [],
        sections=[
            Section(heading=s.heading, points=[point(p) for p in s.points]) for s in draft.sections
        ],
        sources=corpus.sources,
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


def _quotes(corpus: Corpus, limit: int) -> list[BriefQuote]:
    out = []
    for q in corpus.digest.quotes:
        if len(out) == limit:
            break
        if q.speaker and 5 <= len(q.text.split()) <= 60:
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


def _single_source(corpus: Corpus, shown: set[int]) -> list[KeyPoint]:
    from briefgen.engines.extractive import presentable

    out = []
    for f in corpus.digest.findings:
        if f.single_source and f.id not in shown and presentable(f.text):
            out.append(
                KeyPoint(
                    text=f.text,
                    finding_ids=[f.id],
                    citations=corpus.citations(f.article_ids),
                    corroboration=1,
                    kind=f.kind,
                )
            )
        if len(out) == SINGLE_SOURCE_ITEMS:
            break
    return out
