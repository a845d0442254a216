"""What a brief shows of its sources when it has many (issue 16, item 5): one screen.

An executive brief or a newsletter of a day's feed may rest on thousands of articles; its
points cite tens each (a wire story and its reprints), so listing every source, or every
source cited, is no longer one screen. Beyond SOURCE_LIST_MAX sources the list shows the
top sources and "and N more":

- rank: how many of the citation lists shown (a point's, its "disputed by", a watch item's,
  a quote's, a timeline entry's) name a source; then an original before a copy; then the
  lower number;
- cover: for each citation list, in reading order, none of whose sources is listed yet, its
  best-ranked source is listed, so every [n] shown has its entry and nothing shown loses
  all its citations;
- fill: the best-ranked cited sources, up to SOURCE_LIST_MAX in all.

The listed sources are shown most cited first. Each citation list then shows only its
listed numbers and "and K more" (a Cited list: the numbers are all there, for anything
that counts them; only the `citations` filter leaves some out). A copy note ("[4] copies
[2]") is shown when both its sources are listed. The brief itself and its JSON keep every
source and citation: this is display only.

The analyst brief keeps every source, but its per-article summaries stop at SUMMARIES_MAX:
originals before copies, each by the same rank, in number order, then "and N more".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from briefgen.schema import Brief, KeyPoint, SourceRef

# About ten lines: an exec brief is one screen (about 50 lines: headline, bottom line, six
# points, six watch items, footer), which leaves about ten for its sources. A brief of ten
# sources or fewer lists them all, in number order, as it always did.
SOURCE_LIST_MAX = 10
# The analyst brief's per-article summaries shown: twelve is what a model's analyst answer
# may hold (llm_schema.BriefAnswer.article_summaries), so both engines show at most as many,
# and twelve summaries of a sentence or two are about a screen (four lines each).
SUMMARIES_MAX = 12


_NUMBER = re.compile(r"\[(\d+)\]")


class Cited(list):
    """Citation numbers of which only `shown` are written out; the rest are "and K more"."""

    def __init__(self, numbers: Iterable[int], shown: frozenset[int]) -> None:
        super().__init__(numbers)
        self.shown = shown


def citation_lists(brief: Brief) -> list[list[int]]:
    """Every list of source numbers the brief shows, in reading order."""
    points: list[KeyPoint] = [
        *([brief.headline_support] if brief.headline_support else []),
        *brief.bottom_line,
        *brief.key_points,
        *(p for s in brief.sections for p in s.points),
        *brief.single_source,
    ]
    lists = [cites for p in points for cites in (p.citations, p.disputed_by)]
    lists += [cites for w in brief.watch for cites in (w.citations, w.state_citations)]
    lists += [q.citations for q in brief.quotes]
    lists += [cites for e in brief.timeline for cites in (e.citations, e.state_citations)]
    lists += [v.citations for c in brief.conflicts for v in c.values]
    # The footer's words may name a source too ("as of ..., [298] (its publication date)").
    said = [brief.provenance.as_of_basis, *brief.provenance.warnings, *brief.provenance.missing]
    lists += [[int(n) for n in _NUMBER.findall(text)] for text in said]
    return [list(cites) for cites in lists if cites]


def ranked(brief: Brief) -> list[int]:
    """The cited source numbers, best first: most cited, then originals, then by number."""
    counts = Counter(n for cites in citation_lists(brief) for n in set(cites))
    copies = {s.n for s in brief.sources if s.copy_of is not None}
    return sorted(counts, key=lambda n: (-counts[n], n in copies, n))


def listed_sources(brief: Brief, limit: int = SOURCE_LIST_MAX) -> tuple[list[SourceRef], int]:
    """The sources to list and how many are left out: all of them (in number order) when
    they are `limit` or fewer, else the cover and the best-ranked, most cited first."""
    if len(brief.sources) <= limit:
        return list(brief.sources), 0
    order = ranked(brief)
    place = {n: i for i, n in enumerate(order)}
    chosen: set[int] = set()
    for cites in citation_lists(brief):  # cover
        if not chosen.intersection(cites):
            chosen.add(min((n for n in cites if n in place), key=place.__getitem__))
    for n in order:  # fill
        if len(chosen) >= limit:
            break
        chosen.add(n)
    by_n = {s.n: s for s in brief.sources}
    listed = [by_n[n] for n in sorted(chosen, key=place.__getitem__) if n in by_n]
    return listed, len(brief.sources) - len(listed)


def bounded(brief: Brief, listed: Iterable[SourceRef]) -> Brief:
    """The brief as shown with a partial source list: every citation list a Cited list of
    the listed numbers, copy notes only between listed sources. Sources stay whole."""
    shown = frozenset(s.n for s in listed)

    def cited(numbers: list[int]) -> Cited:
        return Cited(numbers, shown)

    def point(p: KeyPoint) -> KeyPoint:
        copies = [c for c in p.copies if c.n in shown and c.of in shown]
        update = {"citations": cited(p.citations), "disputed_by": cited(p.disputed_by)}
        return p.model_copy(update={**update, "copies": copies})

    def dated(item):  # a watch item or a timeline entry
        update = {"citations": cited(item.citations)}
        return item.model_copy(update={**update, "state_citations": cited(item.state_citations)})

    return brief.model_copy(
        update={
            **brief.points_changed(point),
            "watch": [dated(w) for w in brief.watch],
            "timeline": [dated(e) for e in brief.timeline],
            "quotes": [
                q.model_copy(update={"citations": cited(q.citations)}) for q in brief.quotes
            ],
        }
    )


def capped_summaries(brief: Brief, limit: int = SUMMARIES_MAX) -> tuple[Brief, int]:
    """The brief with at most `limit` article summaries and how many were left out: the
    originals before the copies (a copy's summary repeats its original's), each kind by
    rank, then number; shown in number order."""
    summaries = brief.article_summaries
    if len(summaries) <= limit:
        return brief, 0
    order = ranked(brief)
    place = {n: i for i, n in enumerate(order)}
    copies = {s.n for s in brief.sources if s.copy_of is not None}

    def rank(a) -> tuple:
        return (a.citation in copies, place.get(a.citation, len(order)), a.citation)

    best = sorted(summaries, key=rank)
    kept = sorted(best[:limit], key=lambda a: a.citation)
    return brief.model_copy(update={"article_summaries": kept}), len(summaries) - len(kept)
