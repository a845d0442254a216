"""One article supports another's finding only when a clause of it states the same fact:
hand-labelled clause pairs (tests/data/clause_support.jsonl) and the rule that reads them
(clause_facts.one_fact)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from briefgen import clustering
from briefgen.clause_facts import figures, one_fact, predicates
from briefgen.pipeline import read_corpus

REPO = Path(__file__).resolve().parents[1]
LABELS = [json.loads(line) for line in (REPO / "tests/data/clause_support.jsonl").open()]
MULTILING = REPO.parent / "shared" / "eval" / "multiling2011"


def _key(lead: str, other: str) -> str:
    return hashlib.sha1(f"{lead}\x00{other}".encode()).hexdigest()[:16]


def _candidate_pairs(folders: dict[str, Path], monkeypatch) -> dict[str, tuple]:
    """Every clause pair clustering.py's word overlap alone counts as support (one_fact set to
    always agree), by key: (corpus, lead clause, other clause, their weights)."""
    pairs: dict[str, tuple] = {}
    real = clustering._clause_support

    def spy(clause, facts, said, lead, other, k, judge):
        sim, verdict = real(clause, facts, said, lead, other, k, judge)
        if verdict == "agree":
            text = other.clause_texts[k]
            pairs.setdefault(_key(said, text), (corpus, said, text, clause, other.clauses[k]))
        return sim, verdict

    monkeypatch.setattr(clustering, "one_fact", lambda *a: True)
    monkeypatch.setattr(clustering, "_clause_support", spy)
    for corpus, folder in folders.items():  # noqa: B007 - spy reads it while read_corpus runs
        _ = read_corpus([str(folder)]).digest  # the merge runs when the digest is first asked for
    monkeypatch.undo()
    return pairs


def _scores(rows: list[tuple[str, bool]]) -> tuple[float, float]:
    """Precision and recall of the rule's verdicts against the labels (unsure left out)."""
    tp = sum(1 for label, said in rows if said and label == "yes")
    fp = sum(1 for label, said in rows if said and label == "no")
    yes = sum(1 for label, _ in rows if label == "yes")
    return tp / max(1, tp + fp), tp / max(1, yes)


def _judged(
    pairs: dict[str, tuple], labels: list[dict], least: float = clustering.SAME_CLAUSE
) -> list[tuple[str, bool]]:
    out = []
    for row in labels:
        if row["label"] == "unsure" or row["key"] not in pairs:
            continue
        _, lead, other, wa, wb = pairs[row["key"]]
        out.append((row["label"], one_fact(lead, other, wa, wb, least)))
    return out


def test_verbs_are_told_from_names_nouns_and_attributions():
    assert {"delay"} <= predicates("China will delay its rare earth export regime by one year")
    assert {"killed"} <= predicates("As many as 200,000 people were killed by the tremors")
    assert {"struck"} <= predicates("An earthquake with a magnitude of 7.0 struck Haiti")
    assert {"resume"} <= predicates("the Chinese side had agreed to resume soybean purchases")
    assert not predicates("China's new export controls on rare earth elements")
    assert not predicates("A doctor in the earthquake-ravaged country")  # a compound, not a verb
    assert not predicates("stated Yvo de Boer")  # an attribution, not the fact
    assert not predicates("due to national security concerns")  # "to" before an adjective
    assert not predicates("Reported Speech")  # capitalised: a name or a heading


def test_figures_are_quantities_not_names_dates_or_years():
    assert figures("Trump's proposal for 100% tariffs on Chinese imports") == {"100"}
    assert figures("The 228 people on board the aircraft are presumed dead.") == {"228"}
    assert not figures("the imposition of Section 232 tariffs on trucks")  # a name's number
    assert not figures("captured by Iranian border guards on March 23")  # a date
    assert not figures("the July 7th attacks of 2005")  # a year, and a date


def test_a_shared_topic_is_not_a_shared_fact():
    topic = {"china": 0.5, "export": 0.5, "control": 0.5, "rare": 0.4, "earth": 0.4}
    remark = topic | {"washington": 1.0, "exaggerated": 1.0, "impact": 0.8}
    assert not one_fact(
        "China's new export controls on rare earth elements",
        "Washington had exaggerated the impact of China's rare earths export controls",
        topic,
        remark,
        clustering.SAME_CLAUSE,
    )
    # The same words around a shared verb state one fact.
    assert one_fact(
        "China will delay its rare earth export regime by one year",
        "China agreed to delay the proposed rare earth export controls by one year",
        topic | {"delay": 0.9, "year": 0.3},
        topic | {"delay": 0.9, "year": 0.3, "agreed": 0.6, "proposed": 0.7},
        clustering.SAME_CLAUSE,
    )
    # Much of both clauses shared, but only a name and a title: nothing is stated.
    chief = {"yvo": 1.0, "de": 0.6, "boer": 1.0, "climate": 0.3, "change": 0.3, "chief": 0.8}
    assert not one_fact(
        "Yvo de Boer the U.N.'s climate change chief",
        "U.N. climate change chief Yvo de Boer has also sought to downplay any differences",
        chief,
        chief | {"sought": 1.0, "downplay": 1.0, "differences": 0.7},
        clustering.SAME_CLAUSE,
    )
    # ...and a figure is something stated, verb or not.
    coast = {"306": 1.0, "km": 0.8, "brazilian": 0.7, "coast": 0.5}
    assert one_fact(
        "306 km off the Brazilian coast.",
        "306 km off the Brazilian coast.",
        coast,
        coast,
        clustering.SAME_CLAUSE,
    )


def test_sample_corpus_pairs_read_as_labelled(monkeypatch):
    pairs = _candidate_pairs({"trade-talks": REPO / "examples" / "trade-talks"}, monkeypatch)
    labels = [r for r in LABELS if r["corpus"] == "trade-talks"]
    # The labels are of the pairs today's merge finds: each is found again, text and all.
    for row in labels:
        assert row["key"] in pairs, row
        assert pairs[row["key"]][1:3] == (row["lead_clause"], row["other_clause"])
    precision, recall = _scores(_judged(pairs, labels))
    # Without the rule every candidate counts: precision 14/32 on this corpus. What is left
    # are pairs sharing a verb and saying different things ("to find common ground").
    assert precision >= 0.7 and recall >= 0.75, (precision, recall)


@pytest.mark.skipif(not MULTILING.is_dir(), reason="needs ../shared/eval/multiling2011")
def test_multiling_pairs_read_as_labelled_and_both_sides_holds_out(monkeypatch):
    topics = {
        p.name: p / "articles" for p in sorted(MULTILING.glob("M0*")) if (p / "articles").is_dir()
    }
    pairs = _candidate_pairs(
        {"trade-talks": REPO / "examples" / "trade-talks"} | topics, monkeypatch
    )
    # Pairs merge no longer offers are ones it rejects before one_fact: clauses sharing names
    # alone, a quotation the other sentence does not carry (clustering._agreement and
    # carries_quote). Of the 11 labelled pairs left out so, 6 were labelled not
    # support, 4 unsure and 1 support; they count as rejected below.
    missing = [r for r in LABELS if r["key"] not in pairs]
    assert len(missing) <= 0.1 * len(LABELS), f"{len(missing)} of {len(LABELS)} pairs not found"
    by_label = [r["label"] for r in missing]
    assert by_label.count("yes") * 3 <= by_label.count("no"), by_label
    everything = _judged(pairs, LABELS)
    everything += [(r["label"], False) for r in missing if r["label"] != "unsure"]
    precision, recall = _scores(everything)
    print(f"precision {precision:.3f}, recall {recall:.3f}")
    unchecked = _scores([(label, True) for label, _ in everything])
    # Measured: precision 0.81, recall 0.87 (0.80 and 0.88 before the gates above; verbs
    # alone: 0.82 and 0.84); unchecked 0.58.
    assert precision >= 0.78 and recall >= 0.8, (precision, recall)
    assert precision >= unchecked[0] + 0.15, (precision, unchecked)

    # The share of the larger clause asked for is clustering.SAME_CLAUSE, the share asked of the
    # smaller one: no constant of its own. Re-chosen on each half of the pairs (by the two
    # clauses, so a pair and its mirror fall together), the best share may differ from half to
    # half, but SAME_CLAUSE must score within 0.04 F1 (two mirrored pairs of some 75) of each
    # half's best.
    def half(row: dict) -> int:
        return int(_key(*sorted(pairs[row["key"]][1:3]))[:2], 16) % 2 if row["key"] in pairs else -1

    def f1(rows: list[dict], least: float) -> float:
        p, r = _scores(_judged(pairs, rows, least))
        return 2 * p * r / max(1e-9, p + r)

    for h in (0, 1):
        rows = [r for r in LABELS if half(r) == h]
        scores = {v: f1(rows, v) for v in (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)}
        print(f"half {h}: " + " ".join(f"{v}:{s:.3f}" for v, s in scores.items()))
        assert f1(rows, clustering.SAME_CLAUSE) >= max(scores.values()) - 0.04, scores
