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
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from briefgen.clause_facts import one_fact
from briefgen.copies import independent_sources
from briefgen.entity_words import canonical
from briefgen.facts import Quantity, actors, polarity_cues, quantities, relation, same_quantity
from briefgen.polarity import cue_spans
from briefgen.schema import (
    Article,
    ChunkNotes,
    Claim,
    Conflict,
    ConflictValue,
    Digest,
    Entity,
    Evidence,
    Figure,
    Finding,
    MergedQuote,
)
from briefgen.sentence_quality import choosable
from briefgen.text import content_words, cosine, cosine_with_norms, norm, word_count

SAME_FACT = 0.42  # cosine of idf-weighted word vectors above which two claims state one fact
# A clause of another article supports a finding's clause when the words they share carry at
# least SAME_CLAUSE of the smaller clause's weight, and at least MIN_SHARED_WEIGHT in all (so
# that a few common words, "rare earth export", are not enough), with MIN_SHARED words at least;
# and when they state one fact, not only one topic: SAME_CLAUSE of the larger clause's weight
# too, or a shared verb or figure (clause_facts.one_fact). The same share of both clauses is
# no new constant; on the hand-labelled pairs (tests/test_clause_support.py) each half's best
# share of the larger clause (0.3 on one, 0.5 on the other) scores within 0.03 F1 of 0.5 there.
SAME_CLAUSE = 0.5
MIN_SHARED = 3
MIN_SHARED_WEIGHT = 1.7  # in units of the weight of a word found in one sentence only
_CALENDAR = re.compile(
    r"^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)[a-z]*$"
)
SAME_QUOTE = 0.8
CONFLICT_CONTEXT = 0.4  # Jaccard of context words above which two figures measure one thing
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
# _judge(clause, clause, sentence, sentence) -> "agree" | "contradict" | "differ".
_Judge = Callable[[str, str, str, str], str]
# Verdicts remembered during one merge: reprints repeat the same pairs of sentences over and
# over. 65,536 entries (of four string references each, at most some 15 MB) is well above
# the pairs judged on benchmarks/scale.py's near-copies: 3,044 distinct of 5,663 asked for
# 1,000 articles, 3,270 of 5,942 for 3,000.
JUDGED = 1 << 16


@dataclass
class _Claim:
    claim: Claim
    article_id: str
    order: int  # article order, then position: the tie-breaker everywhere
    position: int  # sentence number in its article
    vector: dict[str, float]
    salience: float = 0.0
    clauses: list[dict[str, float]] = field(default_factory=list)
    clause_facts: list[set[str]] = field(default_factory=list)  # lower-case words: not names
    clause_texts: list[str] = field(default_factory=list)


@dataclass
class _Cluster:
    members: list[_Claim] = field(default_factory=list)
    vector: dict[str, float] = field(default_factory=dict)
    # Claims of other articles that state the opposite of this cluster's lead, by article.
    disputes: dict[str, _Claim] = field(default_factory=dict)


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
    judge = functools.lru_cache(maxsize=JUDGED)(_judge)
    clusters = _cluster(claims, judge)
    _add_support(clusters, claims, judge)
    _mirror_disputes(clusters)
    findings, disputes = _findings(clusters, copies)
    entities = _entities(notes)
    quotes = _quotes(notes, claims)
    _name_speakers(quotes, entities)
    return Digest(
        findings=findings,
        quotes=quotes,
        conflicts=_without_repeats(_claim_conflicts(disputes), _conflicts(notes, order)),
        entities=entities,
        copies=dict(copies),
    )


def _name_speakers(quotes: list[MergedQuote], entities: list[Entity]) -> None:
    """Give speakers their full names ("Wu" -> "Wu Xinbo"), and count speakers as people."""
    by_name = {e.name: e for e in entities}
    for q in quotes:
        if not q.speaker:
            continue
        # Either part may be the family name ("Wu Xinbo" is quoted as "Wu", "Michael Hart" as "Hart").
        full = [
            e.name
            for e in entities
            if 2 <= len(e.name.split()) <= 3
            and q.speaker in e.name.split()
            and e.kind in ("person", "other")
        ]
        if " " not in q.speaker and len(set(full)) == 1:
            q.speaker = full[0]
        if q.speaker in by_name and by_name[q.speaker].kind == "other":
            by_name[q.speaker].kind = "person"


# ---------------------------------------------------------------- weighting


def _weighted_claims(notes: list[ChunkNotes], order: dict[str, int]) -> list[_Claim]:
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
            _Claim(
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
    clause's own words as written (for judging agreement).

    Clauses too short to state a fact join the next one.
    """
    out: list[tuple[list[str], set[str], str]] = []
    pending: list[str] = []
    facts: set[str] = set()
    said: list[str] = []
    # The splitter's capture-free pattern drops the separators; the clause text keeps the
    # pieces joined with a space, which is all relation() needs (words, figures, cues).
    for piece in _CLAUSE_BREAK.split(text):
        words = content_words(piece)
        pending += words
        said.append(piece.strip())
        # Facts are told in common words, numbers and dates; names alone tell no fact.
        facts |= {w for w in words if w.isdigit() or _CALENDAR.match(w)}
        facts |= set(content_words(" ".join(w for w in piece.split() if w[:1].islower())))
        if len(pending) >= MIN_SHARED + 1:
            out.append((pending, facts, " ".join(p for p in said if p)))
            pending, facts, said = [], set(), []
    if pending:
        if out and len(pending) < MIN_SHARED:
            words, fs, clause = out[-1]
            out[-1] = (words + pending, fs | facts, f"{clause} {' '.join(p for p in said if p)}")
        else:
            out.append((pending, facts, " ".join(p for p in said if p)))
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


# ---------------------------------------------------------------- clustering into findings


def _cluster(claims: list[_Claim], judge: _Judge | None = None) -> list[_Cluster]:
    """Greedy clustering in order of salience: each claim joins the closest cluster that it
    agrees with, or starts one. A close cluster it contradicts records it as a dispute."""
    judge = judge or _judge
    clusters: list[_Cluster] = []
    norms: list[float] = []  # each cluster's vector's norm (its lead's), computed once
    index: dict[str, list[int]] = defaultdict(list)
    # A claim's vector and clauses follow from its text (in one merge), and a cluster's lead
    # never changes: reprints meet the same clusters with the same text again and again, so
    # what a text and a cluster gave is remembered (cosine, -1.0 below 3 shared words;
    # verdict), not worked out for every copy (issue 16: 10,000 articles).
    sims: dict[tuple[str, int], float] = {}
    verdicts: dict[tuple[str, int], str] = {}
    for c in sorted(claims, key=lambda c: (-c.salience, c.order)):
        close = []
        text = c.claim.text
        words = c.vector.keys()
        own_norm = norm(c.vector)
        # Clusters sharing 3 words with the claim (prefix filtering, see _sharing); their
        # order does not matter: `close` is sorted.
        for i in _prefix_candidates(list(c.vector), index, 3):
            sim = sims.get((text, i))
            if sim is None:
                theirs = clusters[i].vector
                enough = len(words & theirs.keys()) >= 3
                sim = sims[text, i] = (
                    cosine_with_norms(c.vector, own_norm, theirs, norms[i]) if enough else -1.0
                )
            if sim >= SAME_FACT:
                close.append((sim, i))
        best = None
        for _, i in sorted(close, key=lambda x: (-x[0], x[1])):
            verdict = verdicts.get((text, i))
            if verdict is None:
                verdict = verdicts[text, i] = _agreement(clusters[i].members[0], c, judge)
            if verdict == "agree":
                best = i
                break
            if verdict == "contradict" and c.article_id != clusters[i].members[0].article_id:
                clusters[i].disputes.setdefault(c.article_id, c)
        if best is None:
            clusters.append(_Cluster([c], dict(c.vector)))
            norms.append(own_norm)
            for w in c.vector:
                index[w].append(len(clusters) - 1)
        else:
            clusters[best].members.append(c)
    return clusters


def _agreement(a: _Claim, b: _Claim, judge: _Judge | None = None) -> str:
    """ "agree", "contradict" or "differ": clause by clause where the two say the same
    thing in their own words, else the whole sentences (facts.relation)."""
    judge = judge or _judge
    verdicts = {
        judge(ta, tb, a.claim.text, b.claim.text)
        for ca, ta in zip(a.clauses, a.clause_texts)
        for cb, tb in zip(b.clauses, b.clause_texts)
        if _overlap(ca, cb) >= SAME_CLAUSE
    }
    if "contradict" in verdicts:
        return "contradict"
    if "agree" in verdicts:
        return "agree"
    if verdicts:
        return "differ"
    return judge(a.claim.text, b.claim.text, "", "")


_WORDS = re.compile(r"[A-Za-z][\w'’-]*")
# Words between a negation and what it negates ("will not be delayed", "has not yet agreed").
_AUXILIARY = frozenset(
    "be been being is are was were has have had do does did will would shall should can could "
    "may might must yet still even ever immediately fully to the a an its their any".split()
)
# Cues that stop an event rather than deny an act: what they bear on is named before them
# ("the meeting was cancelled", "talks collapsed"); every other cue negates what follows.
_STOPPING = frozenset(
    {"cancel", "call off", "scrap", "collapse", "break down", "halt", "suspend", "abandon"}
    | {"postpone", "stall"}
)


def _stem(word: str) -> str:
    w = word.lower()
    for suffix in ("ing", "ed", "es", "s"):
        if len(w) - len(suffix) >= 4 and w.endswith(suffix):
            return w[: -len(suffix)]
    return w


def _negated_acts(text: str) -> set[str]:
    """What a clause's negations bear on (polarity.cue_spans): the first word after "not" or
    "refused to" that is not an auxiliary ("will not delay" -> delay), and the word before a
    cue that stops an event ("the meeting was cancelled" -> meeting)."""
    out: set[str] = set()
    for cue, start, end in cue_spans(text):
        if cue in _STOPPING:
            before = [w for w in _WORDS.findall(text, 0, start) if w.lower() not in _AUXILIARY]
            if before:
                out.add(_stem(before[-1]))
            continue
        for w in _WORDS.findall(text, end):
            if w.lower() not in _AUXILIARY:
                out.add(_stem(w))
                break
    return out


def _judge(a: str, b: str, sentence_a: str = "", sentence_b: str = "") -> str:
    """facts.relation, with one more condition for a contradiction by negation: the two
    clauses must speak of the same act. "China will not delay its rare earth controls"
    denies "China will delay them", but not "China's rare earth controls have intensified
    friction", which shares the topic and not the act. (Figures and antonyms name their
    act already: "one year" against "two years", "rose" against "fell".)"""
    verdict = relation(a, b)
    if verdict != "contradict":
        return verdict
    # Who a clause speaks of may stand elsewhere in its sentence: "Lolol, named a National
    # Monument, was severely damaged" says nothing of Pichilemu, "not severely damaged".
    people_a, people_b = _actor_words(sentence_a or a), _actor_words(sentence_b or b)
    if people_a and people_b and not people_a & people_b:
        return "differ"
    cues_a, cues_b = polarity_cues(a), polarity_cues(b)
    if cues_a and cues_b:
        # Both clauses deny something ("did not have paperwork, nor permissions" and "did not
        # have any paperwork"): a second cue in one is emphasis, not a double negation.
        return "contradict" if _differing_figures(a, b) else "differ"
    if not (cues_a or cues_b):
        figures = _differing_figures(a, b)
        if figures is None:
            return verdict  # an antonym: "rose" against "fell"
        return "contradict" if figures else "differ"
    acts = _negated_acts(a) | _negated_acts(b)
    words_a = {_stem(w) for w in _WORDS.findall(a)}
    words_b = {_stem(w) for w in _WORDS.findall(b)}
    return "contradict" if acts & words_a & words_b else "differ"


def _actor_words(text: str) -> set[str]:
    """The words of the names a sentence gives: "US-China" names the US and China, "Scott
    Bessent" Bessent; two sentences share an actor when they share one of these."""
    return {w for name in actors(text) for w in re.split(r"[\s-]+", name) if len(w) > 1}


FIGURE_CONTEXT = 3  # content words either side of a figure that say what it counts


def _differing_figures(a: str, b: str) -> bool | None:
    """Whether the two clauses give different figures for the same thing; None when they
    give no figures of one kind that differ (the contradiction is of another sort).

    "killed about 200,000 people" and "3 million people have been affected" are figures of
    one unit for two things: the words around each figure, besides its unit, must meet
    ("a magnitude of 5.4" and "a magnitude of 5.6" do).
    """
    found = None
    for x in quantities(a):
        for y in quantities(b):
            if x.unit != y.unit or x.noun != y.noun or same_quantity(x, y):
                continue
            if _clock_time(a, x) or _clock_time(b, y):
                continue  # "20:36 local time" is a time of day, not a count
            found = False
            if _figure_context(a, x) & _figure_context(b, y):
                return True
    return found


def _clock_time(text: str, q: Quantity) -> bool:
    at = text.find(q.text)
    return at >= 0 and (
        text[at + len(q.text) : at + len(q.text) + 1] == ":" or text[at - 1 : at] == ":"
    )


def _figure_context(text: str, q: Quantity) -> set[str]:
    at = text.find(q.text)
    if at < 0:
        return set()
    unit = set(content_words(f"{q.unit or ''} {q.noun or ''} {q.text}"))
    before = content_words(text[:at])[-FIGURE_CONTEXT:]
    after = content_words(text[at + len(q.text) :])[:FIGURE_CONTEXT]
    return {_stem(w) for w in [*before, *after] if w not in unit and not w.isdigit()}


def _add_support(
    clusters: list[_Cluster], claims: list[_Claim], judge: _Judge | None = None
) -> None:
    """Add to each finding the articles that state one of its clauses in their own words,
    and record those that state one of its clauses the other way round.

    Whole sentences rarely match across articles (each packs several facts differently), but
    the facts inside them do: "China will delay its rare earth export regime by one year"
    and "...agreed to delay the proposed rare-earth export controls by one year". The same
    words with the opposite polarity ("will not delay") or another figure ("two years") are
    a dispute, never support.
    """
    judge = judge or _judge
    index = _ClauseIndex(claims)
    for cluster in clusters:
        lead = cluster.members[0]
        have = {m.article_id for m in cluster.members}
        best: dict[str, tuple[float, _Claim]] = {}
        against: dict[str, tuple[float, _Claim]] = {}
        for clause, facts, said in zip(lead.clauses, lead.clause_facts, lead.clause_texts):
            # What a clause of another claim gives follows from that claim's text and the
            # clause's number: reprints repeat it, and it is worked out once (see _cluster).
            told: dict[tuple[str, int], tuple[float, str | None]] = {}
            for (ci, k), n_shared in _sharing(clause, index):
                other = claims[ci]
                if n_shared < MIN_SHARED or other.article_id == lead.article_id:
                    continue
                key = (other.claim.text, k)
                if key not in told:
                    told[key] = _clause_support(clause, facts, said, lead, other, k, judge)
                sim, verdict = told[key]
                pick = best if verdict == "agree" else against if verdict == "contradict" else None
                if pick is not None and sim > pick.get(other.article_id, (0.0, None))[0]:
                    pick[other.article_id] = (sim, other)
        for aid, (_, other) in sorted(against.items(), key=lambda kv: kv[1][1].order):
            cluster.disputes.setdefault(aid, other)
        for aid, (_, other) in sorted(best.items(), key=lambda kv: kv[1][1].order):
            if aid not in have:
                cluster.members.append(other)


def _clause_support(
    clause: dict[str, float],
    facts: set[str],
    said: str,
    lead: _Claim,
    other: _Claim,
    k: int,
    judge: _Judge,
) -> tuple[float, str | None]:
    """How much clause k of `other` overlaps the lead's clause, and the verdict on the pair
    (None when they do not state one fact)."""
    # Shared names alone ("Bessent and He Lifeng") are not a shared fact.
    if len(facts & other.clause_facts[k]) < 2:
        return 0.0, None
    sim = _overlap(clause, other.clauses[k])
    if sim < SAME_CLAUSE:
        return sim, None
    # Most of the smaller clause shared may still be only the story's topic ("China's rare
    # earth export controls") beside what the other clause says about it.
    if not one_fact(said, other.clause_texts[k], clause, other.clauses[k], SAME_CLAUSE):
        return sim, None
    return sim, judge(said, other.clause_texts[k], lead.claim.text, other.claim.text)


class _ClauseIndex:
    """Every clause of every claim by its words, each distinct clause once with the claims
    (and clause numbers) stating it. Claims of one text share their clauses' dicts
    (_weighted_claims), so a clause reprinted a hundred times is one entry with a hundred
    members, and looking it up costs one entry, not a hundred (issue 16: 10,000 articles)."""

    def __init__(self, claims: list) -> None:
        self.clauses: list[dict[str, float]] = []
        self.members: list[list[tuple[int, int]]] = []
        self.by_word: dict[str, list[int]] = defaultdict(list)
        entry_of: dict[int, int] = {}  # id of a clause's dict -> its entry
        for ci, c in enumerate(claims):
            for k, clause in enumerate(c.clauses):
                entry = entry_of.get(id(clause))
                if entry is None:
                    entry = entry_of[id(clause)] = len(self.clauses)
                    self.clauses.append(clause)
                    self.members.append([])
                    for w in clause:
                        self.by_word[w].append(entry)
                self.members[entry].append((ci, k))


def _sharing(clause: dict[str, float], index: _ClauseIndex) -> list[tuple[tuple[int, int], int]]:
    """The clauses sharing at least MIN_SHARED words with `clause`, with how many, in the
    order a count over every word's postings would list them (first shared word, then
    claim), so ties are broken as before.

    Prefix filtering (as in set-similarity joins): a clause sharing MIN_SHARED of its words
    shares one of its len - MIN_SHARED + 1 rarest, so the common words' long postings are
    never walked; counting them all made this step quadratic (issue 16: 10,000 articles).
    """
    words = list(clause)
    place = {w: i for i, w in enumerate(words)}
    mine = clause.keys()
    out = []
    for entry in _prefix_candidates(words, index.by_word, MIN_SHARED):
        # The shared words by a set intersection (in C), not a test of every word.
        shared = mine & index.clauses[entry].keys()
        if len(shared) >= MIN_SHARED:
            first, n = min(map(place.__getitem__, shared)), len(shared)
            out.extend((first, key, n) for key in index.members[entry])
    return [(key, n) for _, key, n in sorted(out)]


def _prefix_candidates(words: list[str], index: dict[str, list], least: int) -> set:
    """The keys of `index` that may share `least` of `words`: those listed under one of its
    len - least + 1 rarest words (a superset; the caller counts exactly)."""
    if len(words) < least:
        return set()
    rare = sorted(words, key=lambda w: len(index.get(w, ())))[: len(words) - least + 1]
    return {key for w in rare for key in index.get(w, ())}


def _mirror_disputes(clusters: list[_Cluster]) -> None:
    """A dispute runs both ways: when B's claim contradicts finding A, the finding B's claim
    belongs to is disputed by A's article. An article that supports a finding elsewhere does
    not also dispute it (it may tell two stages of one story)."""
    home = _homes(clusters)
    for cluster in clusters:
        lead = cluster.members[0]
        for other in list(cluster.disputes.values()):
            theirs = home.get(id(other))
            if theirs is not None and theirs is not cluster:
                theirs.disputes.setdefault(lead.article_id, lead)
    for cluster in clusters:
        supporters = {m.article_id for m in cluster.members}
        for aid in [a for a in cluster.disputes if a in supporters]:
            del cluster.disputes[aid]


def _homes(clusters: list[_Cluster]) -> dict[int, _Cluster]:
    """The cluster each claim belongs to (by the claim's id): the first that holds it, since
    support can make one claim a member of several."""
    home: dict[int, _Cluster] = {}
    for cluster in clusters:
        for m in cluster.members:
            home.setdefault(id(m), cluster)
    return home


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weight of the shared words over the weight of the smaller clause; 0 if too little is shared."""
    shared = sum(min(a[w], b[w]) for w in a.keys() & b.keys())
    if shared < MIN_SHARED_WEIGHT:
        return 0.0
    return shared / min(sum(a.values()), sum(b.values()))


def _findings(
    clusters: list[_Cluster], copies: dict[str, str]
) -> tuple[list[Finding], list[tuple[Finding, Finding | None, _Claim]]]:
    """Findings best first, and each dispute as (finding, the finding the disputing claim
    belongs to, the disputing claim)."""
    findings = []
    by_cluster: dict[int, Finding] = {}
    for cluster in clusters:
        lead = cluster.members[0]  # the most salient member states the finding
        by_article: dict[str, _Claim] = {}
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
    home = _homes(clusters)

    def finding_of(claim: _Claim) -> Finding | None:
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


def _claim_conflicts(disputes: list[tuple[Finding, Finding | None, _Claim]]) -> list[Conflict]:
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


def _evidence(m: _Claim) -> Evidence:
    span = m.claim.span
    return Evidence(
        article_id=m.article_id,
        text=m.claim.evidence,
        start=span.start if span else 0,
        end=span.end if span else 0,
    )


# ---------------------------------------------------------------- quotes


def _quotes(notes: list[ChunkNotes], claims: list[_Claim]) -> list[MergedQuote]:
    salience_at = {(c.article_id, c.claim.evidence): c.salience for c in claims}
    merged: list[MergedQuote] = []
    vectors: list[Counter[str]] = []
    # Quotes by word: a quote is compared only with those sharing one of its rarest words
    # (_quote_prefix: a cosine of SAME_QUOTE needs one), first merged first as before, not
    # with every quote kept, nor with all that share a common word (issue 16: 10,000 articles).
    by_word: dict[str, list[int]] = defaultdict(list)
    for n in notes:
        for q in n.quotes:
            vec = Counter(content_words(q.text))
            score = salience_at.get((n.article_id, q.evidence), 0.0) * (1.5 if q.speaker else 1.0)
            near = sorted({i for w in _quote_prefix(vec, by_word) for i in by_word.get(w, ())})
            for existing, ev in ((merged[i], vectors[i]) for i in near):
                if cosine(vec, ev) >= SAME_QUOTE:
                    if n.article_id not in existing.article_ids:
                        existing.article_ids.append(n.article_id)
                    existing.speaker = existing.speaker or q.speaker
                    existing.score = max(existing.score, score)
                    break
            else:
                merged.append(
                    MergedQuote(
                        text=q.text,
                        speaker=q.speaker,
                        article_ids=[n.article_id],
                        evidence=q.evidence,
                        score=round(score, 6),
                    )
                )
                for w in vec:
                    by_word[w].append(len(vectors))
                vectors.append(vec)
    return sorted(merged, key=lambda q: -q.score)


# The words of a quote left out of its prefix carry at most this share of its squared norm,
# so a quote sharing none of the prefix has a cosine of at most sqrt(0.6) = 0.77 with it
# (Cauchy-Schwarz), below SAME_QUOTE (0.8) with a margin no rounding crosses.
QUOTE_REST = 0.6


def _quote_prefix(vec: Counter[str], by_word: dict[str, list[int]]) -> list[str]:
    """The rarest words of a quote that any quote within SAME_QUOTE of it must share one of
    (prefix filtering, as in _sharing, weighed by the words' counts)."""
    total = sum(c * c for c in vec.values())
    rest = total
    prefix = []
    for w in sorted(vec, key=lambda w: len(by_word.get(w, ()))):
        if rest <= QUOTE_REST * total:
            break
        prefix.append(w)
        rest -= vec[w] * vec[w]
    return prefix


# ---------------------------------------------------------------- conflicting figures


def _conflicts(notes: list[ChunkNotes], order: dict[str, int]) -> list[Conflict]:
    figures: list[tuple[str, Figure]] = [(n.article_id, f) for n in notes for f in n.figures]
    groups: list[list[tuple[str, Figure]]] = []
    for aid, fig in figures:
        if fig.number is None or not fig.about:
            continue
        for group in groups:
            if all(
                _same_measure(fig, other) or fig.evidence == other.evidence for _, other in group
            ):
                group.append((aid, fig))
                break
        else:
            groups.append([(aid, fig)])

    conflicts = []
    for group in groups:
        values: dict[float, ConflictValue] = {}
        for aid, fig in sorted(group, key=lambda g: order.get(g[0], 0)):
            value = values.get(fig.number)
            if value is None:
                values[fig.number] = ConflictValue(
                    value=fig.value, article_ids=[aid], evidence=fig.evidence
                )
            elif aid not in value.article_ids:
                value.article_ids.append(aid)
        articles = {aid for aid, _ in group}
        if len(values) > 1 and len(articles) > 1:
            shared = set.intersection(*(set(f.about.split()) for _, f in group))
            about = (
                " ".join(w for w in group[0][1].about.split() if w in shared) or group[0][1].about
            )
            conflicts.append(
                Conflict(about=f"{about} ({group[0][1].unit})", values=list(values.values()))
            )
    return conflicts


def _same_measure(a: Figure, b: Figure) -> bool:
    if a.unit != b.unit or a.evidence == b.evidence:
        return False
    wa, wb = set(a.about.split()), set(b.about.split())
    shared = wa & wb
    return len(shared) >= 3 and len(shared) / len(wa | wb) >= CONFLICT_CONTEXT


# ---------------------------------------------------------------- entities


def _entities(notes: list[ChunkNotes]) -> list[Entity]:
    merged: dict[str, Entity] = {}
    for n in notes:
        for e in n.entities:
            # One thing, one name: "US", "U.S." and "United States" (briefgen/entities.py).
            name = canonical(e.name)
            key = name.lower()
            if key in merged:
                merged[key].mentions += e.mentions
                if merged[key].kind == "other":
                    merged[key].kind = e.kind
            else:
                merged[key] = e.model_copy(update={"name": name})
    # "Bessent" and "Scott Bessent" are one person: fold a lone surname into the full name
    # (the first word too, where the family name comes first: "Xi" of "Xi Jinping").
    people = [e for e in merged.values() if e.kind == "person" and " " in e.name]
    for key, e in list(merged.items()):
        if " " in e.name or e.kind not in ("person", "other"):
            continue
        owners = [p for p in people if e.name in (p.name.split()[0], p.name.split()[-1])]
        if len(owners) == 1:
            owners[0].mentions += e.mentions
            del merged[key]
    return sorted(merged.values(), key=lambda e: (-e.mentions, e.name))
