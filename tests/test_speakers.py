"""Quote speakers: who the text attributes a quotation to, or None; never a guess."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.ground import ground_notes
from briefgen.ingest import load
from briefgen.schema import Article, Chunk, ChunkNotes, Quote
from briefgen.speakers import quotations, same_speaker, speaker_of

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "tests" / "data" / "speakers.jsonl"
HELDOUT = ROOT / "tests" / "data" / "speakers_heldout.jsonl"
MULTILING = ROOT.parent / "shared" / "eval" / "multiling2011"
# Measured on the labelled set with this rule: 88 of 129 right (68.2%), 0 wrong. The floors
# leave room for small changes, not for a rule that gives up on attributing.
ACCURACY_FLOOR = {"sample": 0.80, "multiling": 0.55}


def who(text: str, nth: int = -1) -> str | None:
    """The speaker of the nth quotation in `text` (the last by default)."""
    return speaker_of(text, *quotations(text)[nth])


# ---------------------------------------------------------------- the rules


def test_attribution_clause_after_the_quotation():
    assert who("“We have a deal,” said Treasury Secretary Scott Bessent.") == "Scott Bessent"
    assert who("“We have a deal,” Bessent told reporters on Sunday.") == "Bessent"
    assert who("“This is huge,” Cory Combs, an expert at Trivium China, said.") == "Cory Combs"
    assert who("“Why now?” Maria Lopez asked.") == "Maria Lopez"


def test_attribution_clause_before_the_quotation():
    assert who("Ambassador Raymond Joseph said: “We need help.”") == "Raymond Joseph"
    assert who("Michael Hart, president of the chamber, warned that “talks are hard.”") == (
        "Michael Hart"
    )
    # A role with no name is the role as written.
    text = "Iran's president on Wednesday announced a “gift to the British people.”"
    assert who(text) == "Iran's president"


def test_according_to():
    text = (
        "The tremor was “the largest quake recorded in this area”, according to analyst Dale Grant."
    )
    assert who(text) == "Dale Grant"


def test_surname_is_given_as_fully_as_the_article_gives_it():
    text = "Wu Xinbo, an expert, spoke first.\n“China has changed its approach,” added Wu."
    assert who(text) == "Wu Xinbo"


def test_pronoun_resolves_to_the_nearest_person_not_one_named_earlier():
    # The bug: "he noted" went to the president named two sentences before.
    text = (
        "President Rene Preval said the palace fell. The WFP has staff there. The Director of the "
        "WFP office in Geneva, Charles Vincent, remarked that lives come first. "
        "“Water and sanitation will be a big problem,” he noted."
    )
    assert who(text) == "Charles Vincent"


def test_pronoun_after_an_unnamed_role_is_that_role_never_an_earlier_name():
    text = (
        "President Rene Preval said the palace fell. A WFP official visited the port on Monday. "
        "“The port is closed to ships,” he noted."
    )
    assert who(text) == "A WFP official"


def test_pronoun_with_two_people_in_reach_is_none():
    text = "Obama met Prime Minister Gordon Brown on Monday. “We agreed on a plan,” he said."
    assert who(text) is None


def test_pronoun_too_far_from_any_person_is_none():
    text = (
        "Ban Ki-moon said aid was coming. Roads are blocked. Power is out. Rain fell all day. "
        "“It will take weeks to clear the roads,” he said."
    )
    assert who(text) is None


def test_role_resolves_to_the_person_introduced_with_it():
    text = (
        "Lawrence Greenspon, a lawyer for the accused, spoke outside.\n"
        "“He has been in custody for three years,” the lawyer said."
    )
    assert who(text) == "Lawrence Greenspon"
    text = "A person familiar with the talks spoke.\n“There is no easy fix here,” the person added."
    assert who(text) == "A person"


def test_multi_sentence_and_continued_quotations():
    text = "“We reached one in Madrid. All the details are ironed out,” Bessent said."
    assert who(text) == "Bessent"
    text = "“We have a framework,” Bessent said. “We will discuss fentanyl too.”"
    assert who(text) == "Bessent"
    text = "Joseph Delva, a reporter for Reuters, was in the area. “Everything started shaking.”"
    assert who(text) == "Joseph Delva"


def test_unattributed_and_ambiguous_quotations_are_none():
    assert who("The so-called “Liberation Day” tariffs were a shock to all markets.") is None
    assert who("The report warned of “deep cuts in global emission” ahead.") is None
    assert (
        who("Citing Wang Shiming, Little Flute says they are like “two masters testing”.") is None
    )
    assert who("“The sea is coming out! The sea is coming out!”") is None


def test_same_speaker():
    assert same_speaker("Bessent", "Scott Bessent")
    assert same_speaker("Treasury Secretary Scott Bessent", "Scott Bessent")
    assert same_speaker(None, None)
    assert not same_speaker("Scott Bessent", None)  # naming someone the text does not
    assert not same_speaker(None, "Scott Bessent")
    assert same_speaker("Wu", "Wu Xinbo")  # family names come first in some languages
    assert not same_speaker("Xinbo Bessent", "Scott Bessent")
    assert not same_speaker("Rene Preval", "Charles Vincent")
    assert not same_speaker("Tony Blair", "a spokesperson for Tony Blair")
    assert same_speaker("the official", "a WFP official")


# ---------------------------------------------------------------- a model's speakers


def test_a_model_quote_with_a_wrong_speaker_is_corrected_and_counted():
    text = (
        "President Rene Preval said the palace fell. The Director of the WFP office, Charles "
        "Vincent, remarked that lives come first. “Water will be a big problem,” he noted."
    )
    article = Article(id="a", title="t", text=text, path="a.txt")
    chunk = Chunk(article_id="a", index=0, start=0, end=len(text), text=text, tokens=40)
    evidence = "“Water will be a big problem,” he noted."
    notes = ChunkNotes(
        article_id="a",
        chunk_index=0,
        quotes=[
            Quote(text="Water will be a big problem", speaker="Rene Preval", evidence=evidence),
            Quote(text="Water will be a big problem", speaker="Vincent", evidence=evidence),
        ],
    )
    grounded, stats = ground_notes(notes, article, chunk)
    assert [q.speaker for q in grounded.quotes] == ["Charles Vincent", "Vincent"]
    assert stats.speakers_corrected == 1 and stats.kept == 2


def test_a_speaker_the_text_does_not_give_is_removed():
    text = "Markets fell on Monday. “The outlook is grim for all exporters.”"
    article = Article(id="a", title="t", text=text, path="a.txt")
    chunk = Chunk(article_id="a", index=0, start=0, end=len(text), text=text, tokens=20)
    quote = Quote(
        text="The outlook is grim for all exporters",
        speaker="Janet Yellen",
        evidence="“The outlook is grim for all exporters.”",
    )
    notes = ChunkNotes(article_id="a", chunk_index=0, quotes=[quote])
    grounded, stats = ground_notes(notes, article, chunk)
    assert grounded.quotes[0].speaker is None and stats.speakers_corrected == 1


# ---------------------------------------------------------------- the labelled set


def _labels(corpus: str) -> list[dict]:
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    return [r for r in rows if r["corpus"] == corpus]


def _check(rows: list[dict], base: Path, floor: float) -> None:
    wrong, right = [], 0
    for r in rows:
        text = load([str(base / r["path"])]).articles[0].text
        start = r["offset"]
        assert text[start:].startswith(r["key"].split()[0]), r  # the offset still holds
        end = next(qe for qs, qe in quotations(text) if qs == start)
        got = speaker_of(text, start, end)
        accepted = [r["speaker"], *r.get("also", [])]
        if any(same_speaker(got, truth) for truth in accepted):
            right += 1
        elif got is not None:  # None where the truth is a name is not wrong, only unhelpful
            wrong.append(f"{r['path']}@{start} {r['key']!r}: {got!r}, is {accepted[0]!r}")
    assert not wrong, "\n".join(wrong)
    assert right / len(rows) >= floor, f"{right}/{len(rows)} right"


def test_labelled_set_is_large_enough():
    rows = _labels("sample") + _labels("multiling")
    assert len(rows) >= 80
    assert sum(r["speaker"] is None for r in rows) >= 5  # unattributed ones are labelled too
    for r in _labels("multiling"):
        assert len(r["key"].split()) <= 5  # MultiLing text is not copied here


def test_labelled_sample_corpus_speakers_none_wrong():
    _check(_labels("sample"), ROOT, ACCURACY_FLOOR["sample"])


def test_labelled_multiling_speakers_none_wrong():
    if not (MULTILING / "M000" / "articles").is_dir():
        pytest.skip(f"MultiLing 2011 data not at {MULTILING}")
    _check(_labels("multiling"), MULTILING, ACCURACY_FLOOR["multiling"])


# ---------------------------------------------------------------- the held-out set

# Measured when the held-out set was labelled (blind, after the rules were written): of its 86
# quotations `speaker_of` gave 66 the right speaker, 17 None, 0 a wrong one; 3 (in single
# quotation marks) are not found by `quotations`. A ceiling so that it cannot get worse unseen.
HELDOUT_WRONG_MEASURED = 0


def test_heldout_set_wrong_speakers_no_more_than_measured():
    """Held-out MultiLing M007-M009 quotations: at most 0 wrong speakers, the measured figure.

    0 is what `briefgen.speakers` gave on this set when it was first run on it (66 of 86
    right, 17 None, 0 wrong, 3 not taken for quotations), not a goal that was tuned for: the
    set was labelled blind and is never used to tune the rules (tests/data/speakers.md).
    """
    if not (MULTILING / "M007" / "articles").is_dir():
        pytest.skip(f"MultiLing 2011 data (M007-M009) not at {MULTILING}")
    rows = [json.loads(line) for line in HELDOUT.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 40 and all(len(r["key"].split()) <= 5 for r in rows)
    wrong = []
    for r in rows:
        text = load([str(MULTILING / r["path"])]).articles[0].text
        start = r["offset"]
        assert text[start:].startswith(r["key"].split()[0]), r  # the offset still holds
        ends = [qe for qs, qe in quotations(text) if qs == start]
        if not ends:  # not taken for a quotation at all: no speaker, so not wrong
            continue
        got = speaker_of(text, start, ends[0])
        accepted = [r["speaker"], *r.get("also", [])]
        if got is not None and not any(same_speaker(got, truth) for truth in accepted):
            wrong.append(f"{r['path']}@{start} {r['key']!r}: {got!r}, is {accepted[0]!r}")
    assert len(wrong) <= HELDOUT_WRONG_MEASURED, "\n".join(wrong)
