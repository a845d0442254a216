"""Merge per-chunk notes across articles into findings, quotes, conflicts and entities.

One fact told by three articles becomes one Finding citing all three: claims are grouped when
their weighted word vectors are close (cosine >= SAME_FACT), and other articles add support
when they state one of its clauses in their own words. Closeness only says two sentences are
about the same thing; support needs agreement too (facts.relation, clause by clause): the
same polarity, compatible figures, dates and actors. A sentence about the same thing that
states the opposite ("will not delay" against "will delay"), or another figure for it ("two
years" against "one year"), disputes the finding instead: the finding lists the articles
that dispute it, and the pair becomes a Conflict of kind "claim", shown to the reader.

How many independent articles stand behind a finding is its corroboration: copies of one
story (copies.py) count once; a finding with one is single-source. Figures of the same kind
(unit) told about the same thing (shared context words) with different values become a
Conflict of kind "figures". Everything here is deterministic: ties are broken by article
order and position.

This module weighs the claims (idf word vectors, salience with the lede's bonus) and turns
the groups into ranked findings and their disputes into conflicts. The rest lives beside it:
clustering.py groups the claims and adds the support and disputes of other articles;
agreement.py judges whether two clauses agree, contradict or differ; digest_extras.py merges
the quotes, conflicting figures and entities.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict

from briefgen import agreement
from briefgen.clustering import (
    MIN_SHARED,
    Cluster,
    WeightedClaim,
    add_support,
    cluster_claims,
    homes,
    mirror_disputes,
)
from briefgen.copies import independent_sources
from briefgen.digest_extras import entities_of, figure_conflicts, name_speakers, quotes_of
from briefgen.schema import (
    Article,
    ChunkNotes,
    Claim,
    Conflict,
    ConflictValue,
    Digest,
    Evidence,
    Finding,
)
from briefgen.sentence_quality import choosable
from briefgen.text import content_words, word_count

_CALENDAR = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*$"
)
# Each further independent article multiplies a finding's score by 1 + this. 0.6: on
# MultiLing (250 words, grid 0.2 / 0.35 / 0.6 / 1.0) 0.6 and 1.0 score the same within
# noise and 0.35 and 0.2 less; every leave-one-topic-out fold chooses 0.6 again
# (benchmarks/multiling.py). Since support counts only clauses that state one fact
# (clause_facts.one_fact), it is support that is more often real, and may weigh more; the
# smaller of the two tied values stays, nearer to ranking by centrality alone.
CORROBORATION_BONUS = 0.6
# News is written as an inverted pyramid: an article's first sentence (its lede) is the
# writer's own summary of it. Ledes then compete on centrality like every other sentence.
# 5.0 (a lede weighs 6.6 against 1.6 for the next sentence): on MultiLing 2 to 5 score the
# same within noise (0 and 1 clearly less, 8 less), and at 5.0 every leave-one-topic-out
# fold chooses the shipped value again (benchmarks/multiling.py, tie = within one standard
# error); at 2.0 one fold chose 5.0 clearly. The larger bonus also sits closer to the lead
# baseline, the summary of news known to hold on stories nobody tuned on.
LEDE_BONUS = 5.0
# Verdicts remembered during one merge: reprints repeat the same pairs of sentences over and
# over. 65,536 entries (of four string references each, at most some 15 MB) is well above
# the pairs judged on benchmarks/scale.py's near-copies: 3,044 distinct of 5,663 asked for
# 1,000 articles, 3,270 of 5,942 for 3,000.
JUDGED = 1 << 16


def merge(
    articles: list[Article], notes: list[ChunkNotes], copies: dict[str, str] | None = None
) -> Digest:
    """Findings, quotes, conflicts and entities across articles.

    `copies` maps an article to the one it copies (copies.find_copies): a copy's support
    counts as its original's, so corroboration counts independent articles.
    """
    copies = copies or {}
    order = {a.id: i for i, a in enumerate(articles)}
    notes = sorted(notes, key=lambda n: (order.get(n.article_id, 0), n.chunk_index))
    claims = _weighted_claims(notes, order)
    judge = functools.lru_cache(maxsize=JUDGED)(agreement.judge)
    clusters = cluster_claims(claims, judge)
    add_support(clusters, claims, judge)
    mirror_disputes(clusters)
    findings, disputes = _findings(clusters, copies)
    entities = entities_of(notes)
    quotes = quotes_of(notes, claims)
    name_speakers(quotes, entities)
    return Digest(
        findings=findings,
        quotes=quotes,
        conflicts=_without_repeats(_claim_conflicts(disputes), figure_conflicts(notes, order)),
        entities=entities,
        copies=dict(copies),
    )


# ---------------------------------------------------------------- weighting


def _weighted_claims(notes: list[ChunkNotes], order: dict[str, int]) -> list[WeightedClaim]:
    raw: list[tuple[Claim, str, int, list[str]]] = []
    positions: Counter[str] = Counter()
    for n in notes:
        for c in n.claims:
            if not positions[n.article_id] and not choosable(c.text):
                # A caption or fragment above an article's first whole sentence is not its
                # lede: it weighs as the sentence after one, and the lede is that sentence.
                raw.append((c, n.article_id, 1, content_words(c.text)))
                continue
            raw.append((c, n.article_id, positions[n.article_id], content_words(c.text)))
            positions[n.article_id] += 1
    n_sent = max(1, len(raw))
    sentence_df: Counter[str] = Counter()
    article_df: dict[str, set[str]] = defaultdict(set)
    corpus_tf: Counter[str] = Counter()
    for _, aid, _, ws in raw:
        unique = set(ws)
        sentence_df.update(unique)
        corpus_tf.update(ws)
        for w in unique:
            article_df[w].add(aid)
    n_articles = max(1, len({aid for _, aid, _, _ in raw}))
    total = max(1, sum(corpus_tf.values()))

    # Weights are idf over sentences, scaled so that a word in one sentence only weighs 1:
    # thresholds then mean the same in a corpus of ten sentences and of ten thousand.
    rarest = math.log((n_sent + 1) / 1.5)
    # Reprints repeat sentences word for word: each text is split and weighed once, and its
    # claims share the weights and word sets (read only, never changed after this; 10,000
    # near-copies held them 100 times over).
    weighed: dict[tuple[str, ...], dict[str, float]] = {}
    splits: dict[str, list[tuple[list[str], set[str], str]]] = {}

    def weigh(ws: list[str]) -> dict[str, float]:
        key = tuple(ws)
        if key not in weighed:
            weighed[key] = {
                w: c * math.log((n_sent + 1) / (sentence_df[w] + 0.5)) / rarest
                for w, c in Counter(ws).items()
            }
        return weighed[key]

    # A claim's salience follows from its text (its words) and position: reprints repeat both.
    saliences: dict[tuple[str, int], float] = {}
    out = []
    for claim, aid, pos, ws in raw:
        if (claim.text, pos) not in saliences:
            saliences[claim.text, pos] = _salience(
                claim, ws, pos, corpus_tf, total, article_df, n_articles
            )
        salience = saliences[claim.text, pos]
        if claim.text not in splits:
            splits[claim.text] = _clause_words(claim.text)
        split = splits[claim.text]
        out.append(
            WeightedClaim(
                claim,
                aid,
                order.get(aid, 0) * 100000 + pos,
                pos,
                weigh(ws),
                salience,
                clauses=[weigh(c) for c, _, _ in split],
                clause_facts=[f for _, f, _ in split],
                clause_texts=[t for _, _, t in split],
            )
        )
    return out


# A comma or colon between digits is part of a number ("200,000", "20:36"), not a break.
_CLAUSE_BREAK = re.compile(
    r"(?<!\d)[,:]|[,:](?!\d)|[;()\u2014\u2013]|\s-\s|\b(?:and|while|but|whereas|although)\b"
)


def _clause_words(text: str) -> list[tuple[list[str], set[str], str]]:
    """Content words of each clause, the subset written in lower case (not names), and the
    clause as written, separators inside it kept (for judging agreement).

    Clauses too short to state a fact join the next one.
    """
    out: list[tuple[list[str], set[str], str]] = []
    pending: list[str] = []
    facts: set[str] = set()
    begun = 0  # where the pending clause starts in `text`
    starts: list[int] = []  # where each clause of `out` starts
    # The clause's text is the span of `text` it covers, "and" and commas in it kept: the
    # names in it are read from it (facts.actors), and pieces joined without their "and"
    # glue two names into one ("China the United States agreed ..."), so that "China and
    # the United States agreed" and "The United States and China agreed" named nobody in
    # common and the two reports of one fact were told as two facts, each single source.
    cuts = [(m.start(), m.end()) for m in _CLAUSE_BREAK.finditer(text)] + [(len(text), len(text))]
    at = 0
    for cut_start, cut_end in cuts:
        piece = text[at:cut_start]
        at = cut_end
        words = content_words(piece)
        pending += words
        # Facts are told in common words, numbers and dates; names alone tell no fact.
        facts |= {w for w in words if w.isdigit() or _CALENDAR.match(w)}
        facts |= set(content_words(" ".join(w for w in piece.split() if w[:1].islower())))
        if len(pending) >= MIN_SHARED + 1:
            out.append((pending, facts, text[begun:cut_start].strip()))
            starts.append(begun)
            pending, facts, begun = [], set(), cut_end
    if pending:
        if out and len(pending) < MIN_SHARED:
            words, fs, _ = out[-1]
            out[-1] = (words + pending, fs | facts, text[starts[-1] :].strip())
        else:
            out.append((pending, facts, text[begun:].strip()))
    return out


def _salience(
    claim: Claim,
    ws: list[str],
    position: int,
    corpus_tf: Counter[str],
    total: int,
    article_df: dict[str, set[str]],
    n_articles: int,
) -> float:
    """How central a sentence is to the whole corpus (SumBasic-like, with spread and position).

    Words frequent across the corpus and spread over many articles mark the story's core; a
    sentence near the top of its article is likelier to carry news, and its first sentence
    (the lede) most of all. `position` is the claim's number in its article's notes, so the
    lede is the first claim that survived grounding.
    """
    if not ws:
        return 0.0
    # fsum, not sum: a float sum depends on the order of a set, and that order on the
    # process's hash seed. Two findings of equal weight must rank the same in every run, or
    # the synthesis's cache key (and the brief) would change from one run to the next.
    unique = set(ws)
    weight = math.fsum(
        (corpus_tf[w] / total) * (len(article_df[w]) / n_articles) ** 0.5 for w in unique
    )
    n_words = word_count(claim.text)
    length_fit = 1.0 if 12 <= n_words <= 40 else 0.6 if 8 <= n_words <= 55 else 0.25
    lead = 1.0 + 0.6 / (1.0 + position) + (LEDE_BONUS if position == 0 else 0.0)
    return 1000 * weight / math.sqrt(len(unique)) * length_fit * lead


def _findings(
    clusters: list[Cluster], copies: dict[str, str]
) -> tuple[list[Finding], list[tuple[Finding, Finding | None, WeightedClaim]]]:
    """Findings best first, and each dispute as (finding, the finding the disputing claim
    belongs to, the disputing claim)."""
    findings = []
    by_cluster: dict[int, Finding] = {}
    for cluster in clusters:
        lead = cluster.members[0]  # the most salient member states the finding
        by_article: dict[str, WeightedClaim] = {}
        for m in cluster.members:
            by_article.setdefault(m.article_id, m)
        supporters = sorted(by_article.values(), key=lambda m: m.order)
        article_ids = [m.article_id for m in supporters]
        independent = independent_sources(article_ids, copies)
        against = sorted(cluster.disputes.values(), key=lambda m: m.order)
        score = lead.salience * (1 + CORROBORATION_BONUS * (independent - 1))
        # A claim more independent articles deny than state is the weaker account: it ranks
        # as far below its peers as it is outnumbered (one against two: half its score).
        denying = independent_sources([m.article_id for m in against], copies)
        score *= min(1.0, independent / denying) if denying else 1.0
        finding = Finding(
            id=0,
            text=lead.claim.text,
            kind=lead.claim.kind,
            article_ids=article_ids,
            evidence=[_evidence(m) for m in supporters],
            score=round(score, 6),
            sources=independent,
            disputed_by=[m.article_id for m in against],
            disputes=[_evidence(m) for m in against],
        )
        findings.append(finding)
        by_cluster[id(cluster)] = finding
    home = homes(clusters)

    def finding_of(claim: WeightedClaim) -> Finding | None:
        theirs = home.get(id(claim))
        return by_cluster[id(theirs)] if theirs is not None else None

    disputes = [
        (by_cluster[id(cluster)], finding_of(other), other)
        for cluster in clusters
        for other in sorted(cluster.disputes.values(), key=lambda m: m.order)
    ]
    findings.sort(key=lambda f: -f.score)
    for i, f in enumerate(findings, start=1):
        f.id = i
    return findings, disputes


def _without_repeats(claims: list[Conflict], figures: list[Conflict]) -> list[Conflict]:
    """Both kinds of conflict; a dispute that is a difference of figures already listed is
    shown once, as the figures (they name the values)."""
    by_figures = [{v.evidence for v in c.values} for c in figures]
    kept = [c for c in claims if not any({v.evidence for v in c.values} <= f for f in by_figures)]
    return kept + figures


CONFLICT_ABOUT_WORDS = 14  # a disputed finding is named by its first words in the conflicts


def _claim_conflicts(
    disputes: list[tuple[Finding, Finding | None, WeightedClaim]],
) -> list[Conflict]:
    """One Conflict of kind "claim" per pair of findings that contradict each other: what
    the finding's articles say, and what the disputing article says."""
    seen: set[frozenset[int]] = set()
    out = []
    for finding, other_finding, other in disputes:
        pair = frozenset({finding.id, other_finding.id if other_finding else -id(other)})
        if pair in seen:
            continue
        seen.add(pair)
        words = finding.text.split()
        about = " ".join(words[:CONFLICT_ABOUT_WORDS]) + (
            "…" if len(words) > CONFLICT_ABOUT_WORDS else ""
        )
        against_ids = other_finding.article_ids if other_finding else [other.article_id]
        out.append(
            Conflict(
                about=about,
                kind="claim",
                values=[
                    ConflictValue(
                        value=finding.text,
                        article_ids=list(finding.article_ids),
                        evidence=finding.evidence[0].text,
                    ),
                    ConflictValue(
                        value=other_finding.text if other_finding else other.claim.text,
                        article_ids=[a for a in against_ids if a not in finding.article_ids],
                        evidence=other.claim.evidence,
                    ),
                ],
            )
        )
    return out


def _evidence(m: WeightedClaim) -> Evidence:
    span = m.claim.span
    return Evidence(
        article_id=m.article_id,
        text=m.claim.evidence,
        start=span.start if span else 0,
        end=span.end if span else 0,
    )
