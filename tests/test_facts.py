"""facts.py: what a sentence asserts, in comparable pieces."""

from __future__ import annotations

import math

import pytest

from briefgen.facts import (
    actors,
    additions,
    antonym_clash,
    polarity_cues,
    quantities,
    quoted_spans,
    relation,
)


def _q(text: str) -> list[tuple[float, str | None]]:
    return [(round(q.value, 4), q.unit) for q in quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("delay the rules by one year", [(1.0, "year")]),
        ("a delay of two years", [(2.0, "year")]),
        ("the one-year pause", [(1.0, "year")]),
        ("China pledged $660 billion in purchases", [(6.6e11, "USD")]),
        ("660 million dollars", [(6.6e8, "USD")]),
        ("exports worth $1.5bn", [(1.5e9, "USD")]),
        ("a third of exports", [(0.3333, "fraction")]),
        ("two-thirds of the members", [(0.6667, "fraction")]),
        ("half of the ships", [(0.5, "fraction")]),
        ("one in three households", [(0.3333, "fraction")]),
        ("tariffs of 150 percent", [(150.0, "percent")]),
        ("tariffs of 150%", [(150.0, "percent")]),
        ("80,000 metric tons of soybeans", [(80000.0, "ton")]),
        ("twenty-five people were hurt", [(25.0, "people")]),
        ("a dozen ships", [(12.0, None)]),
        ("10 percentage points", [(10.0, "percentage point")]),
        ("US$3 million", [(3e6, "USD")]),
        ("three times as many", [(3.0, "times")]),
    ],
)
def test_quantities_in_digits_and_words(text, expected):
    assert _q(text) == expected


def test_years_and_days_of_dates_are_not_quantities():
    assert _q("On October 30, 2025 the 12 members met in 2024") == [(12.0, None)]
    assert _q("the 2025 deal") == []
    assert quantities("the 12 members")[0].noun == "member"


def test_one_as_a_pronoun_is_no_figure():
    assert _q("one of the biggest buyers") == []


def test_polarity_cues_are_normalised_and_outside_quotations():
    assert polarity_cues("China will not delay the rules.") == {"not"}
    assert polarity_cues("He didn't sign and never will") == {"not"}
    assert polarity_cues("The talks collapsed; Beijing refused to budge.") == {
        "collapse",
        "refuse",
    }
    assert polarity_cues("Washington called off the meeting") == {"call off"}
    assert polarity_cues("“We will never agree,” he said.") == frozenset()
    # Fixed phrases that hold a negator without negating anything.
    assert polarity_cues("not only tariffs but also quotas, by no later than May 1") == frozenset()


def test_antonym_clash_names_the_pair():
    assert antonym_clash("Prices rose sharply", "Prices fell sharply") == "rise/fall"
    assert antonym_clash("The US lifted tariffs", "The US imposed tariffs") == "lift/impose"
    assert antonym_clash("Prices rose", "Prices rose again") is None


def test_actors():
    assert actors("Treasury Secretary Scott Bessent said the U.S. would act.") == {
        "scott bessent",
        "bessent",
        "us",
    }
    found = actors("In November, Xi Jinping met Trump in Busan.")
    assert {"xi jinping", "trump", "busan"} <= found
    assert "november" not in found
    # A sentence's first word is capitalised whatever it is.
    assert actors("Talks resumed. Officials said so.") == frozenset()


def test_quoted_spans_in_every_style_but_not_apostrophes():
    text = "It's the players' union: ‘a truce’, 'no deal', «enough», „basta“ and “go”."
    assert [w for _, _, w in quoted_spans(text)] == ["a truce", "no deal", "enough", "basta", "go"]


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("China will delay its controls by one year", "China will not delay its controls", "contradict"),
        ("China will delay its controls by one year", "China will delay its controls by two years", "contradict"),
        ("China pledged $660 billion in purchases", "China pledged $660 million in purchases", "contradict"),
        ("talks resumed in Geneva", "talks were suspended in Geneva", "contradict"),
        ("prices rose in October", "prices fell in October", "contradict"),
        # a negation and an antonym cancel out
        ("China did not reject the deal", "China accepted the deal", "agree"),
        ("Bessent said talks went well", "Wang said talks went well", "differ"),
        ("the meeting is on October 30", "the meeting is on October 31", "differ"),
        ("the meeting is on Oct. 30", "the meeting is on October 30", "agree"),
        ("tariffs of 100%", "tariffs of 100 percent", "agree"),
        ("a third of exports", "33 percent of exports", "agree"),
        ("the U.S. will cut tariffs", "the US will cut tariffs", "agree"),
    ],
)  # fmt: skip
def test_relation(a, b, expected):
    assert relation(a, b) == expected


EVIDENCE = (
    "China will delay its proposed rare earth export controls by one year, the commerce "
    "ministry said on Thursday. China pledged $660 billion in purchases. Talks are set for "
    "mid-November in Geneva, Treasury Secretary Scott Bessent said."
)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("China will not delay its rare earth export controls.", "negation"),
        ("China will delay its rare earth export controls by two years.", "two years"),
        ("China pledged $660 million in purchases.", "$660 million"),
        ("Talks are set for late November in Geneva.", "late November"),
        ("Talks are set for next week in Geneva.", "next week"),
        ("Talks are set for November 15 in Geneva.", "November 15"),
        ("Talks are set for mid-November in Geneva, Xi Jinping said.", "Xi Jinping"),
        ("Talks in Geneva collapsed.", "collapse"),
        ("China will accelerate its rare earth export controls.", "opposite"),
        # A name copied cut short, mid-sentence (Qwen 1.5B wrote "Scott Bess"): no one the
        # evidence names, though "Bessent" begins so.
        ("Talks are set for mid-November in Geneva, Scott Bess said.", "Scott Bess"),
        ("Scott Bess said talks are set for mid-November.", "Scott Bess"),
    ],
)
def test_additions_catch_each_lie(text, reason):
    found = additions(text, EVIDENCE)
    assert found and reason in " ".join(found)


@pytest.mark.parametrize(
    ("text", "evidence"),
    [
        ("Tariffs of 100% hit goods from the US.", "Tariffs of 100 percent hit goods from the U.S."),
        ("The talks are on Oct. 30.", "The talks are on October 30, 2025."),
        ("Rare earth controls will be delayed by China by a year.", EVIDENCE),
        ("Bessent said talks are set for mid-November.", EVIDENCE),
        ("Talks are set for November.", EVIDENCE),
        ("The commerce ministry said on Thursday China would delay its controls by one year.", EVIDENCE),
        ("Chinese exports fell.", "China's exports fell."),
        ("Talks are planned for the first half of next year.", "talks in the first half of next year"),
        ("A third of exports went to Asia.", "33 percent of exports went to Asia"),
        ("China will not agree.", "China said it will not agree."),
        ("Japanese and Russian firms bid.", "Firms from Japan and Russia bid."),
        ("Iranian and Israeli officials met.", "Officials of Iran and Israel met."),
        ("British exports fell.", "Exports from Britain fell."),
        # A text cut short at its end names no one new ("...relationship with Ch").
        ("Bessent discussed the trade relationship with Ch", EVIDENCE.replace("said.", "said of China.")),
    ],
)  # fmt: skip
def test_additions_let_honest_paraphrases_pass(text, evidence):
    assert additions(text, evidence) == []


def test_removing_a_negation_is_a_change():
    assert "drops the negation" in additions("China will agree.", "China will not agree.")[0]


def test_vague_dates_and_halves():
    assert additions(
        "talks in the first half of next year", "talks in the second half of next year"
    )
    assert additions("talks in two weeks", "talks in three weeks")
    assert not additions("talks in two weeks", "talks within two weeks")


def test_a_scaled_figure_is_read_as_its_value():
    assert math.isclose(quantities("$1.5 billion")[0].value, 1.5e9)
