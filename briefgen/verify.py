"""Check a written brief against what it cites, before anyone reads it.

A model writes the brief's prose, so every point is checked against the findings it cites:
- it must cite at least one finding that exists (unknown numbers are removed);
- words it puts in quotation marks must stand verbatim in a cited article;
- every number it writes (figures, days, years) must appear in a cited finding;
- every date it names must be named by a cited finding too;
- most of its content words must be in what it cites (MIN_SUPPORT): a point that says what
  no finding says, or that obeys an instruction hidden in an article, fails.
Article summaries are checked the same way against their own article; the headline, which
cites nothing, against all findings. What fails is reported as a Problem: the LLM engine
re-asks once with the problems, then drops what still fails (`drop_failing`), and the run
report counts points verified and dropped. Numbers written as words ("three") are not checked.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from briefgen import dates
from briefgen.ground import QUOTED, quote_is_verbatim
from briefgen.schema import Article, Digest, Draft, DraftPoint, DraftSection, Finding
from briefgen.text import collapse_spaces, content_words, numbers

MIN_QUOTED_WORDS = 3  # shorter quoted bits are scare quotes ("truce"), not quotations
# A point shares at least this share of its content words with what it cites. A paraphrase
# keeps most names and nouns; a point made up, or an instruction obeyed, keeps few.
MIN_SUPPORT = 0.4
MIN_WORDS_TO_WEIGH = 3


@dataclass
class Problem:
    where: str  # "bottom line 1", "key point 3", "section 'What next' point 2", ...
    text: str
    reason: str


@dataclass
class Verification:
    draft: Draft
    problems: list[Problem] = field(default_factory=list)
    verified: int = 0
    dropped: int = 0


@functools.lru_cache(maxsize=64)
def _date_keys(text: str) -> tuple[tuple[str, tuple], ...]:
    return tuple(
        (m.text.lower(), (m.year, m.month, m.day, m.weekday)) for m in dates.find_dates(text)
    )


# The same facts (an article, all findings) are checked against several points: read them once.
@functools.lru_cache(maxsize=64)
def _words(text: str) -> frozenset[str]:
    return frozenset(content_words(text))


_collapsed = functools.lru_cache(maxsize=256)(collapse_spaces)


@functools.lru_cache(maxsize=64)
def _numbers(text: str) -> frozenset[str]:
    return frozenset(numbers(text))


def _date_found(mention: tuple[str, tuple], source: str, source_keys: list) -> bool:
    text, key = mention
    if text in source.lower():
        return True
    # "Oct. 30" in the point and "October 30" in the finding are one date: every field the
    # point names must match a date the source names.
    return any(
        all(mine is None or mine == theirs for mine, theirs in zip(key, other))
        for _, other in source_keys
    )


def check_text(text: str, facts: str, articles: Iterable[str]) -> str | None:
    """Why `text` is not supported by `facts` (and quotes by `articles`), or None if it is."""
    if any(_collapsed(text) in _collapsed(a) for a in articles):
        # Word for word in a cited article (every extractive point): nothing in it can be
        # unsupported. (Not "in the findings": a model's finding may paraphrase.)
        return None
    for m in QUOTED.finditer(text):
        quoted = m.group(1) or m.group(2)
        if len(quoted.split()) >= MIN_QUOTED_WORDS and not any(
            quote_is_verbatim(quoted, a) for a in articles
        ):
            return f"the quotation “{quoted}” is not verbatim in a cited article"
    words = set(content_words(text))
    if len(words) >= MIN_WORDS_TO_WEIGH:
        supported = len(words & _words(facts)) / len(words)
        if supported < MIN_SUPPORT:
            return (
                f"only {supported:.0%} of its words are in the cited findings: it says "
                "things they do not"
            )
    missing = sorted(numbers(text) - _numbers(facts))
    if missing:
        return f"{', '.join(missing)} not in the cited findings"
    mentions = _date_keys(text)
    if mentions:  # most points name no date: then the facts' dates are never needed
        source_keys = _date_keys(facts)
        for mention in mentions:
            if not _date_found(mention, facts, source_keys):
                return f"the date “{mention[0]}” is not in the cited findings"
    return None


def _facts(found: list[Finding]) -> str:
    return "\n".join([f.text for f in found] + [e.text for f in found for e in f.evidence])


def check_point(
    point: DraftPoint, findings: dict[int, Finding], article_text: dict[str, str]
) -> tuple[DraftPoint, str | None]:
    """The point with unknown finding numbers removed, and why it fails, if it does."""
    known = [i for i in dict.fromkeys(point.finding_ids) if i in findings]
    if not known:
        return point, "cites no finding in the list"
    cited = [findings[i] for i in known]
    texts = [article_text[a] for f in cited for a in dict.fromkeys(f.article_ids)]
    reason = check_text(point.text, _facts(cited), texts)
    return point.model_copy(update={"finding_ids": known}), reason


def verify_draft(draft: Draft, digest: Digest, articles: list[Article]) -> Verification:
    """Every point checked; the draft returned has its citations cleaned but nothing dropped."""
    findings = {f.id: f for f in digest.findings}
    article_text = {a.id: a.text for a in articles}
    problems: list[Problem] = []
    verified = 0

    def points(where: str, items: list[DraftPoint]) -> list[DraftPoint]:
        nonlocal verified
        out = []
        for n, p in enumerate(items, start=1):
            cleaned, reason = check_point(p, findings, article_text)
            if reason:
                problems.append(Problem(f"{where} {n}", p.text, reason))
            else:
                verified += 1
            out.append(cleaned)
        return out

    # A headline cites nothing: it may say what any finding says, or what a headline of the
    # articles says (their editors' words are a source too).
    headline_facts = "\n".join([*(f.text for f in digest.findings), *(a.title for a in articles)])
    headline_reason = check_text(draft.headline, headline_facts, article_text.values())
    if headline_reason:
        problems.append(Problem("headline", draft.headline, headline_reason))
    summaries = {}
    for aid, summary in draft.article_summaries.items():
        own = article_text.get(aid, "")
        reason = check_text(summary, own, [own])
        if reason:
            problems.append(Problem(f"summary of article {aid}", summary, reason))
        summaries[aid] = summary
    checked = Draft(
        headline=draft.headline,
        bottom_line=points("bottom line", draft.bottom_line),
        key_points=points("key point", draft.key_points),
        sections=[
            DraftSection(heading=s.heading, points=points(f"section '{s.heading}' point", s.points))
            for s in draft.sections
        ],
        article_summaries=summaries,
    )
    return Verification(draft=checked, problems=problems, verified=verified)


def drop_failing(verification: Verification, fallback_headline: Callable[[], str]) -> Verification:
    """The draft without the points that failed, and the count of what was dropped."""
    failed = {p.where for p in verification.problems}
    draft = verification.draft
    dropped = 0

    def keep(where: str, items: list[DraftPoint]) -> list[DraftPoint]:
        nonlocal dropped
        out = []
        for n, p in enumerate(items, start=1):
            if f"{where} {n}" in failed:
                dropped += 1
            else:
                out.append(p)
        return out

    summaries = {}
    for aid, text in draft.article_summaries.items():
        if f"summary of article {aid}" in failed:
            dropped += 1
        else:
            summaries[aid] = text
    sections = [
        DraftSection(heading=s.heading, points=kept)
        for s in draft.sections
        if (kept := keep(f"section '{s.heading}' point", s.points))
    ]
    cleaned = Draft(
        headline=fallback_headline() if "headline" in failed else draft.headline,
        bottom_line=keep("bottom line", draft.bottom_line),
        key_points=keep("key point", draft.key_points),
        sections=sections,
        article_summaries=summaries,
    )
    return Verification(
        draft=cleaned,
        problems=verification.problems,
        verified=verification.verified,
        dropped=dropped,
    )
