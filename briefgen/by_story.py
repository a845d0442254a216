"""A brief per story of a mixed feed (`make --by-story`), and a newsletter of several stories.

The feed is read once (every article's notes, every model call, made once); each story's
brief is then made from its own part of the corpus (pipeline.subcorpus), so its sources are
numbered from [1] and it reads as if its folder had held that story alone.

A newsletter holds every story in one issue: a section per story, headed by the story's
title and holding its brief's top line and key points, with the watch items, quotes and
timeline of all of them. Each story's sources are numbered after the previous story's, so
one list of sources serves the whole issue and every citation still names its article.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.schema import Brief, Section
from briefgen.stories import StoriesListing, Story

NEWSLETTER_QUOTES = 3  # as many as a one-story newsletter shows (assemble.NEWSLETTER_QUOTES)

# The fields of a brief that hold source numbers, as lists or one number, and those whose
# text cites sources as "[n]" (dates inferred from other articles, the brief's date).
_NUMBER_LISTS = {"citations", "state_citations", "disputed_by"}
_NUMBERS = {"n", "of", "copy_of", "citation"}
_CITING_TEXT = {"date_basis", "date_notes", "as_of_basis"}
_CITATION = re.compile(r"\[(\d+)\]")


def story_briefs(corpus, listing: StoriesListing, audience, as_of) -> list[tuple[Story, object]]:
    """(story, pipeline.Result) for each story of `listing`, in its order."""
    from briefgen.pipeline import brief_corpus, subcorpus

    out = []
    for story in listing.stories:
        part = subcorpus(corpus, [a.id for a in story.articles])
        out.append((story, brief_corpus(part, audience, as_of)))
    return out


def shifted(brief: Brief, offset: int) -> Brief:
    """The brief with every source number raised by `offset`: [1] becomes [offset + 1]."""
    if not offset:
        return brief

    def shift(value, key=None):
        if isinstance(value, dict):
            return {k: shift(v, k) for k, v in value.items()}
        if isinstance(value, list):
            if key in _NUMBER_LISTS:
                return [n + offset for n in value]
            return [shift(v, key) for v in value]
        if key in _NUMBERS and isinstance(value, int):
            return value + offset
        if key in _CITING_TEXT and isinstance(value, str):
            return _CITATION.sub(lambda m: f"[{int(m.group(1)) + offset}]", value)
        return value

    return Brief.model_validate(shift(brief.model_dump()))


def _points(brief: Brief) -> list:
    """A story's top line, then its points: a newsletter's sections hold its key points
    grouped (What happened, What it means...), so those are taken when there are any."""
    grouped = [p for s in brief.sections for p in s.points]
    out, seen = [], set()
    for p in [*brief.bottom_line, *(grouped or brief.key_points)]:
        if p.text not in seen:
            seen.add(p.text)
            out.append(p)
    return out


def newsletter_issue(parts: Sequence[tuple[Story, Brief]]) -> Brief:
    """One newsletter of several stories' newsletter briefs: a section per story.

    The issue opens on the first (largest) story's headline; each section holds its story's
    top line, then its key points. Its date is the latest of the
    stories' (each brief's date is that of its newest article, or --as-of for all).
    """
    if not parts:
        raise ValueError("a newsletter issue needs at least one story")
    offset = 0
    briefs: list[Brief] = []
    for _, brief in parts:
        briefs.append(shifted(brief, offset))
        offset += len(brief.sources)
    sections = [
        Section(heading=story.title, points=_points(b)) for (story, _), b in zip(parts, briefs)
    ]
    newest = max(briefs, key=lambda b: b.provenance.as_of)
    provenance = newest.provenance.model_copy(
        update={
            "articles": sum(b.provenance.articles for b in briefs),
            "date_notes": [n for b in briefs for n in b.provenance.date_notes],
            "missing": [m for b in briefs for m in b.provenance.missing],
            "points_dropped": sum(b.provenance.points_dropped for b in briefs),
            "warnings": list(dict.fromkeys(w for b in briefs for w in b.provenance.warnings)),
        }
    )
    first = briefs[0]
    return first.model_copy(
        update={
            "bottom_line": [],
            "key_points": [],
            "headline_support": None,
            "sections": sections,
            "watch": sorted(
                (w for b in briefs for w in b.watch),
                key=lambda w: (w.date is None, w.date or newest.provenance.as_of),
            ),
            "quotes": [q for b in briefs for q in b.quotes[:1]][:NEWSLETTER_QUOTES],
            "timeline": sorted((e for b in briefs for e in b.timeline), key=lambda e: e.date),
            "off_topic": [o for b in briefs for o in b.off_topic],
            "sources": [s for b in briefs for s in b.sources],
            "provenance": provenance,
        }
    )
