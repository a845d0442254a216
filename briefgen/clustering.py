"""Claims grouped into findings: which claims state one fact, and which articles support or
dispute it.

Claims are taken in order of salience, and each joins the closest group whose lead it agrees
with (cosine >= SAME_FACT), or starts one. Whole sentences rarely match across articles, so
other articles then add support clause by clause: a clause of theirs that states one of the
lead's clauses in its own words (clause_facts.one_fact) and agrees with it
(agreement.judge). One that states it the other way round disputes the group instead, and a
dispute runs both ways. Word indexes (prefix filtering) keep both steps near linear in the
number of claims, since reprints repeat the same sentences thousands of times (issue 16).
The claims come weighed from merge.py (WeightedClaim), which turns the groups (Cluster) into
findings after.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from briefgen import agreement
from briefgen.clause_facts import one_fact
from briefgen.polarity import quoted_spans
from briefgen.schema import Claim
from briefgen.text import content_words, cosine_with_norms, norm

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
# agreement.judge(clause, clause, sentence, sentence) -> "agree" | "contradict" | "differ".
_Judge = Callable[[str, str, str, str], str]


@dataclass
class WeightedClaim:
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
class Cluster:
    members: list[WeightedClaim] = field(default_factory=list)
    vector: dict[str, float] = field(default_factory=dict)
    # Claims of other articles that state the opposite of this cluster's lead, by article.
    disputes: dict[str, WeightedClaim] = field(default_factory=dict)


def cluster_claims(claims: list[WeightedClaim], judge: _Judge | None = None) -> list[Cluster]:
    """Greedy clustering in order of salience: each claim joins the closest cluster that it
    agrees with, or starts one. A close cluster it contradicts records it as a dispute."""
    judge = judge or agreement.judge
    clusters: list[Cluster] = []
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
            clusters.append(Cluster([c], dict(c.vector)))
            norms.append(own_norm)
            for w in c.vector:
                index[w].append(len(clusters) - 1)
        else:
            clusters[best].members.append(c)
    return clusters


def _agreement(a: WeightedClaim, b: WeightedClaim, judge: _Judge | None = None) -> str:
    """ "agree", "contradict" or "differ": clause by clause where the two say the same
    thing in their own words, else the whole sentences (facts.relation).

    Names alone are no shared fact ("Finance Minister Karl Jensen welcomed the decision" is
    not "Finance Minister Karl Jensen said a higher offer would ..."), and a sentence quoting
    someone (the lead, `a`) is stated again only by one that carries the quotation too."""
    judge = judge or agreement.judge
    if len(set().union(*a.clause_facts) & set().union(*b.clause_facts)) < 2:
        return "differ"
    if not carries_quote(quoted_words(a.claim.text), b.claim.text):
        return "differ"
    verdicts = {
        judge(ta, tb, a.claim.text, b.claim.text)
        for ca, fa, ta in zip(a.clauses, a.clause_facts, a.clause_texts)
        for cb, fb, tb in zip(b.clauses, b.clause_facts, b.clause_texts)
        if len(fa & fb) >= 2 and _overlap(ca, cb) >= SAME_CLAUSE
    }
    if "contradict" in verdicts:
        return "contradict"
    if "agree" in verdicts:
        return "agree"
    if verdicts:
        return "differ"
    return judge(a.claim.text, b.claim.text, "", "")


def add_support(
    clusters: list[Cluster], claims: list[WeightedClaim], judge: _Judge | None = None
) -> None:
    """Add to each finding the articles that state one of its clauses in their own words,
    and record those that state one of its clauses the other way round.

    Whole sentences rarely match across articles (each packs several facts differently), but
    the facts inside them do: "China will delay its rare earth export regime by one year"
    and "...agreed to delay the proposed rare-earth export controls by one year". The same
    words with the opposite polarity ("will not delay") or another figure ("two years") are
    a dispute, never support.
    """
    judge = judge or agreement.judge
    index = _ClauseIndex(claims)
    for cluster in clusters:
        lead = cluster.members[0]
        have = {m.article_id for m in cluster.members}
        quoted = quoted_words(lead.claim.text)
        best: dict[str, tuple[float, WeightedClaim]] = {}
        against: dict[str, tuple[float, WeightedClaim]] = {}
        for clause, facts, said in zip(lead.clauses, lead.clause_facts, lead.clause_texts):
            # What a clause of another claim gives follows from that claim's text and the
            # clause's number: reprints repeat it, and it is worked out once (see cluster_claims).
            told: dict[tuple[str, int], tuple[float, str | None]] = {}
            for (ci, k), n_shared in _sharing(clause, index):
                other = claims[ci]
                if n_shared < MIN_SHARED or other.article_id == lead.article_id:
                    continue
                key = (other.claim.text, k)
                if key not in told:
                    told[key] = (
                        _clause_support(clause, facts, said, lead, other, k, judge)
                        if carries_quote(quoted, other.claim.text)
                        else (0.0, None)
                    )
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
    lead: WeightedClaim,
    other: WeightedClaim,
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
    verdict = judge(said, other.clause_texts[k], lead.claim.text, other.claim.text)
    if verdict == "agree" and agreement.figures_differ(lead.claim.text, other.claim.text):
        # One clause agrees, another gives the same count otherwise ("at least 12 killed" /
        # "killing at least 15"): citing it for the lead's sentence would say both give 12.
        return sim, "differ"
    return sim, verdict


class _ClauseIndex:
    """Every clause of every claim by its words, each distinct clause once with the claims
    (and clause numbers) stating it. Claims of one text share their clauses' dicts
    (merge._weighted_claims), so a clause reprinted a hundred times is one entry with a hundred
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


def mirror_disputes(clusters: list[Cluster]) -> None:
    """A dispute runs both ways: when B's claim contradicts finding A, the finding B's claim
    belongs to is disputed by A's article. An article that supports a finding elsewhere does
    not also dispute it (it may tell two stages of one story)."""
    home = homes(clusters)
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


def homes(clusters: list[Cluster]) -> dict[int, Cluster]:
    """The cluster each claim belongs to (by the claim's id): the first that holds it, since
    support can make one claim a member of several."""
    home: dict[int, Cluster] = {}
    for cluster in clusters:
        for m in cluster.members:
            home.setdefault(id(m), cluster)
    return home


def quoted_words(text: str) -> frozenset[str]:
    """The content words a sentence quotes, in quotations of three words or more."""
    spans = quoted_spans(text) if ('"' in text or "“" in text or "'" in text) else ()
    return frozenset(w for _, _, q in spans if len(q.split()) >= 3 for w in content_words(q))


def carries_quote(quoted: frozenset[str], other: str) -> bool:
    """Whether `other` carries most of a quotation's words (SAME_CLAUSE of them: the share
    of a clause that makes two clauses one), so that citing it for the quoting sentence is
    true. "'We are close to the point where further rises do more harm than good,' said
    Tomas Berg, who voted to keep rates on hold" is not told again by "Two members voted to
    hold rates": the reader takes the citation for the quotation."""
    if not quoted:
        return True
    return len(quoted & set(content_words(other))) >= SAME_CLAUSE * len(quoted)


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weight of the shared words over the weight of the smaller clause; 0 if too little is shared."""
    shared = sum(min(a[w], b[w]) for w in a.keys() & b.keys())
    if shared < MIN_SHARED_WEIGHT:
        return 0.0
    return shared / min(sum(a.values()), sum(b.values()))
