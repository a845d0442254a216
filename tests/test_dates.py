"""Tests for briefgen.dates: finding, parsing, tense, resolving, and corpus reference dates."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.dates import (
    DateMention,
    find_dates,
    infer_reference_dates,
    names_a_thing,
    parse_date,
    resolve,
    sentence_tense,
    tense_at,
)

SUNDAY = dt.date(2025, 10, 26)  # a Sunday
CORPUS = Path(__file__).resolve().parent.parent / "examples" / "trade-talks"


def only(text: str) -> DateMention:
    found = find_dates(text)
    assert len(found) == 1, found
    m = found[0]
    assert text[m.start : m.end] == m.text
    return m


@pytest.mark.parametrize(
    ("text", "mention", "kind"),
    [
        (
            "set to meet this Thursday, October 30, at APEC",
            "this Thursday, October 30",
            "month_day",
        ),
        ("from October 24 to", "October 24", "month_day"),
        ("the follow-on August 1 deadline", "August 1", "month_day"),
        ("on the 8th of January", "8th of January", "month_day"),
        ("On October 18, 2025, officials confirmed", "October 18, 2025", "full"),
        ("Xinhua (2025-10-18).", "2025-10-18", "full"),
        ("prior to the July 1, 2026 deadline", "July 1, 2026", "full"),
        ("Saturday, January 8, 2005 was cold", "Saturday, January 8, 2005", "full"),
        ("dated 8 January 2005.", "8 January 2005", "full"),
        ("dated Jan. 8, 2005.", "Jan. 8, 2005", "full"),
        ("in London on the 8th of July.", "8th of July", "month_day"),  # the sentence's stop
        ("closing in July.", "July", "period"),
        ("talks resume next summer in Geneva", "next summer", "period"),
        ("Trump and Xi meet on Thursday.", "Thursday", "weekday"),
        ("a Friday call between them", "Friday", "weekday"),
        ("they spoke by phone last Wednesday.", "last Wednesday", "weekday"),
        ("due to meet tomorrow.", "tomorrow", "relative"),
        ("meetings in Washington two weeks ago.", "two weeks ago", "relative"),
        ("a decision in three days", "in three days", "relative"),
        ("talks resume next week", "next week", "relative"),
        ("Last year, China imported", "Last year", "relative"),
        ("resume by mid-November;", "mid-November", "period"),
        ("disrupted in early October by", "early October", "period"),
        ("meet at the end of October on", "end of October", "period"),
        ("pause now extended into November and", "November", "period"),
        ("launched in the first half of next year.", "first half of next year", "period"),
        ("revenue in Q3 2026 rose", "Q3 2026", "period"),
        ("in the third quarter of next year", "third quarter of next year", "period"),
        ("shipments this spring were", "this spring", "period"),
        ("reduce reliance on China by 2030, immediate", "2030", "year"),
        ("the Phase One deal of 2020, said", "2020", "year"),
    ],
)
def test_find_dates_kinds_and_offsets(text: str, mention: str, kind: str) -> None:
    m = only(text)
    assert (m.text, m.kind) == (mention, kind)


def test_find_dates_fields() -> None:
    m = only("Kuala Lumpur from Monday October 27")
    assert (m.year, m.month, m.day, m.weekday) == (None, 10, 27, 0)
    m = only("On October 18, 2025, they met")
    assert (m.year, m.month, m.day) == (2025, 10, 18)
    assert only("next to this Thursday").weekday == 3


@pytest.mark.parametrize(
    "text",
    [
        "It May rain.",  # the verb
        "May the best side win.",
        "They will march on.",
        "a budget of $2030 for it",
        "output rose from 2030 tons",
        "in the 1990s and the 2019 G20 Summit",
        "June Smith said",
        "over the next year",  # a duration, not a calendar year
        "the next Summer Olympic Games",  # a name
        "before the Winter Games",
    ],
)
def test_words_that_are_not_dates(text: str) -> None:
    assert find_dates(text) == []


def test_impossible_days_are_not_month_days() -> None:
    assert [m.kind for m in find_dates("by February 30 and in April 31")] == ["period", "period"]


def test_letters_that_fold_to_ascii_read_as_the_words_they_fold_to() -> None:
    # Case-insensitive patterns match the long s ("ſ") and the Kelvin sign as "s" and "k";
    # the words they spell must be read the same way, not crash the whole article.
    assert only("in the ſecond quarter of 2025").month == 4
    assert only("in the firſt half of 2026").month == 1


def test_guarded_months_with_a_cue() -> None:
    assert only("as it did in April").text == "April"
    assert only("due May 5").text == "May 5"
    assert only("since March 2024").text == "March 2024"


def test_longest_match_wins_and_order() -> None:
    text = "Talks from October 24 to Monday October 27, then mid-November, by 2030."
    found = find_dates(text)
    assert [m.text for m in found] == ["October 24", "Monday October 27", "mid-November", "2030"]
    assert all(text[m.start : m.end] == m.text for m in found)


@pytest.mark.parametrize(
    "value",
    [
        "2005-01-08",
        "2005-01-08T09:00:00Z",
        "Sat, 08 Jan 2005 10:00:00 GMT",
        "January 8, 2005",
        "Saturday, January 8, 2005",
        "8 January 2005",
        "Jan. 8, 2005",
        "2005/01/08",
        "  2005-01-08  ",
    ],
)
def test_parse_date_formats(value: str) -> None:
    assert parse_date(value) == dt.date(2005, 1, 8)


@pytest.mark.parametrize("value", ["", "yesterday", "2025-02-30", "no date here", "May 2025"])
def test_parse_date_rejects(value: str) -> None:
    assert parse_date(value) is None


@pytest.mark.parametrize(
    ("sentence", "tense"),
    [
        ("Trade officials will meet in Malaysia on Friday.", "future"),
        ("Bessent said the two sides will sign a deal.", "future"),  # future wins
        ("He is set to meet Bessent from October 24.", "future"),
        ("They are due to meet in Kuala Lumpur tomorrow.", "future"),
        ("The tariff takes effect by November 1.", "future"),
        ("The company plans to expand.", "future"),
        ("Trump and Xi are expected to speak.", "future"),
        ("Bessent told NBC in an interview on October 26.", "past"),
        ("The government announced plans to tighten controls on October 9.", "past"),
        ("Chenkai writes in an article published on October 26.", "past"),
        ("Talks were held two weeks ago.", "past"),
        ("The official period was launched as expected in September.", "past"),
        ("Rare earths are strategic assets.", "unknown"),
    ],
)
def test_sentence_tense(sentence: str, tense: str) -> None:
    assert sentence_tense(sentence) == tense


@pytest.mark.parametrize(
    ("text", "tense", "date", "precision"),
    [
        ("this Thursday", "unknown", dt.date(2025, 10, 30), "day"),
        ("on Sunday", "past", dt.date(2025, 10, 26), "day"),
        ("on Sunday", "future", dt.date(2025, 10, 26), "day"),
        ("a Friday call", "past", dt.date(2025, 10, 24), "day"),
        ("on Friday", "future", dt.date(2025, 10, 31), "day"),
        ("on Tuesday", "unknown", dt.date(2025, 10, 28), "day"),  # 2 days ahead
        ("on Thursday", "unknown", dt.date(2025, 10, 23), "day"),  # 3 back beats 4 ahead
        ("on Wednesday", "unknown", dt.date(2025, 10, 29), "day"),  # 3 ahead beats 4 back
        ("last Wednesday", "unknown", dt.date(2025, 10, 22), "day"),
        ("last Sunday", "unknown", dt.date(2025, 10, 19), "day"),
        ("next Friday", "unknown", dt.date(2025, 10, 31), "day"),
        ("Thursday, October 23", "future", dt.date(2025, 10, 23), "day"),  # month-day decides
        ("October 26", "unknown", dt.date(2025, 10, 26), "day"),
        ("January 5", "unknown", dt.date(2026, 1, 5), "day"),  # nearest year
        ("May 20", "unknown", dt.date(2025, 5, 20), "day"),
        ("July 1, 2026", "unknown", dt.date(2026, 7, 1), "day"),
        ("today", "unknown", dt.date(2025, 10, 26), "day"),
        ("tomorrow", "unknown", dt.date(2025, 10, 27), "day"),
        ("yesterday", "unknown", dt.date(2025, 10, 25), "day"),
        ("two weeks ago", "past", dt.date(2025, 10, 12), "part-of-month"),
        ("in three days", "future", dt.date(2025, 10, 29), "day"),
        ("next week", "future", dt.date(2025, 10, 27), "part-of-month"),
        ("last week", "past", dt.date(2025, 10, 13), "part-of-month"),
        ("next month", "future", dt.date(2025, 11, 1), "month"),
        ("3 months ago", "past", dt.date(2025, 7, 1), "month"),
        ("this year", "unknown", dt.date(2025, 1, 1), "year"),
        ("next year", "unknown", dt.date(2026, 1, 1), "year"),
        ("mid-November", "unknown", dt.date(2025, 11, 15), "part-of-month"),
        ("early October", "past", dt.date(2025, 10, 5), "part-of-month"),
        ("late October", "past", dt.date(2025, 10, 25), "part-of-month"),
        ("end of October", "unknown", dt.date(2025, 10, 31), "part-of-month"),
        ("end of February 2028", "unknown", dt.date(2028, 2, 29), "part-of-month"),
        ("into November", "unknown", dt.date(2025, 11, 1), "month"),
        ("in April", "past", dt.date(2025, 4, 1), "month"),
        ("in January", "future", dt.date(2026, 1, 1), "month"),
        ("Q3 2026", "unknown", dt.date(2026, 7, 1), "quarter"),
        ("the third quarter", "unknown", dt.date(2025, 7, 1), "quarter"),
        ("the first half of next year", "future", dt.date(2026, 1, 1), "half-year"),
        ("the second half of 2027", "future", dt.date(2027, 7, 1), "half-year"),
        ("by 2030", "future", dt.date(2030, 1, 1), "year"),
        ("in 2026", "future", dt.date(2026, 1, 1), "year"),
    ],
)
def test_resolve_rules(text: str, tense: str, date: dt.date, precision: str) -> None:
    got = resolve(only(text), SUNDAY, tense)
    assert (got.date, got.precision) == (date, precision)


def test_resolve_never_invents() -> None:
    for text in ["this Thursday", "tomorrow", "October 26", "mid-November", "next week"]:
        got = resolve(only(text), None)
        assert (got.date, got.precision) == (None, None)
    # Seasons stay unresolved even with a reference: they straddle quarters and hemispheres.
    assert resolve(only("this spring"), SUNDAY).date is None
    # February 29 has no leap year within six months of this reference.
    assert resolve(only("February 29"), SUNDAY).date is None
    assert resolve(only("February 29"), dt.date(2028, 1, 10)).date == dt.date(2028, 2, 29)


FRAGMENTS = [
    "this Thursday, October 30",
    "on Sunday",
    "a Friday call",
    "October 26",
    "November 1",
    "Monday October 27",
    "tomorrow",
    "mid-November",
    "July 1, 2026",
    "(2025-10-18)",
    "by 2030",
    "in 2026",
    "the first half of next year",
    "two weeks ago",
    "last Wednesday",
    "at the end of October",
    "early October",
    "this spring",
    "Q3",
    "May",
    "March 3",
    "$2030",
    "2030 tons",
    "next week",
    "talks",
    "said",
    "will",
    "the",
    "of",
    "in",
    "3",
]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(FRAGMENTS), st.sampled_from([" ", ", ", ". ", "\n", "-", ""])),
        max_size=12,
    )
)
def test_property_offsets_and_no_invention(parts: list[tuple[str, str]]) -> None:
    text = "".join(f + sep for f, sep in parts)
    found = find_dates(text)
    assert found == sorted(found, key=lambda m: m.start)
    for a, b in zip(found, found[1:], strict=False):
        assert a.end <= b.start
    for m in found:
        assert text[m.start : m.end] == m.text
        got = resolve(m, None, "unknown")
        if m.year is None:  # relative to something: without a reference it stays unresolved
            assert (got.date, got.precision) == (None, None)
        if m.kind == "full":
            assert got.date is not None and got.precision == "day"


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_property_arbitrary_text(text: str) -> None:
    for m in find_dates(text):
        assert text[m.start : m.end] == m.text
        resolve(m, SUNDAY, "future")
        resolve(m, None)


def sample_corpus() -> dict[str, str]:
    files = sorted(CORPUS.glob("*.txt"))
    assert len(files) == 5
    return {p.stem.split("_", 1)[-1]: p.read_text(encoding="utf-8") for p in files}


def test_infer_reference_dates_on_sample_corpus() -> None:
    got = infer_reference_dates(sample_corpus(), {})
    dates = {aid[:3]: d for aid, (d, _) in got.items()}
    assert dates == {
        "d30": dt.date(2025, 10, 26),  # 000 borrows; its October 30 is still ahead
        "e2f": dt.date(2025, 10, 26),  # 001 "told NBC in an interview on October 26"
        "022": dt.date(2025, 10, 23),  # 002 borrows, pulled back before "October 24"
        "b9f": dt.date(2025, 10, 18),  # 003 "On October 18, 2025, ... confirmed"
        "258": dt.date(2025, 10, 26),  # 004 borrows; November 1 is still ahead
    }
    basis = {aid[:3]: b for aid, (_, b) in got.items()}
    # The weekday fixes the year: October 27 is a Monday in 2025, not in 2024 or 2026.
    assert basis["e2f"] == (
        "its own mention of 'October 26' (year 2025 from 'Monday October 27', "
        "a Monday only in 2025 in article 022b9e8f72f26002)"
    )
    assert basis["b9f"] == "its own mention of 'October 18, 2025'"
    for key in ("d30", "022", "258"):
        assert basis[key].startswith("borrowed from the latest dated event in the corpus: ")
        assert "'October 26' in article e2f919aa4ba156c3" in basis[key]
    assert "the day before 'October 24'" in basis["022"]


def test_infer_known_dates_are_evidence_and_are_skipped() -> None:
    texts = {
        "a": "Officials met on March 3 and agreed terms.",
        "b": "The ministers will meet on March 9 to sign it.",
        "c": "Prices are high.",
    }
    got = infer_reference_dates(texts, {"k": dt.date(2026, 2, 20), "c": dt.date(2026, 3, 1)})
    assert "c" not in got
    assert got["a"] == (
        dt.date(2026, 3, 3),
        "its own mention of 'March 3' (year 2026 from the publication date of article c)",
    )
    # b borrows March 3 from a; March 9 is still ahead, so no pull-back is needed.
    assert got["b"][0] == dt.date(2026, 3, 3)
    assert "'March 3' in article a" in got["b"][1]


def test_infer_nothing_without_dates() -> None:
    texts = {"a": "The talks went well. Officials said more work is needed.", "b": "Tariffs rose."}
    assert infer_reference_dates(texts, {}) == {}
    assert infer_reference_dates({}, {}) == {}
    # Month-days without any year in the corpus are not enough either.
    texts = {"a": "They met on October 9.", "b": "Talks will resume on Friday."}
    assert infer_reference_dates(texts, {}) == {}


@pytest.mark.parametrize(
    "sentence, date, tense",
    [
        # A date belongs to its own clause's verb, not to the sentence's first cue.
        (
            "Borrowers will pay more next month after the bank raised rates on Thursday.",
            "Thursday",
            "past",
        ),
        ("The bank, which raised rates on Monday, will meet again on Thursday.", "Monday", "past"),
        (
            "The bank, which raised rates on Monday, will meet again on Thursday.",
            "Thursday",
            "future",
        ),
        ("The minister said on Tuesday that talks will resume on Friday.", "Tuesday", "past"),
        ("The minister said on Tuesday that talks will resume on Friday.", "Friday", "future"),
        # A clause without a cue of its own takes the sentence's.
        ("On Thursday, the bank will announce its decision.", "Thursday", "future"),
        ("On Thursday, the bank raised rates.", "Thursday", "past"),
        # "said ... would": the future of a moment told as past tells neither side.
        ("She said the rise on Thursday would hurt families.", "Thursday", "unknown"),
        ("She said the vote would take place on Thursday.", "Thursday", "unknown"),
        ("The vote would take place on Thursday.", "Thursday", "future"),
    ],
)
def test_tense_at_reads_the_dates_own_clause(sentence: str, date: str, tense: str) -> None:
    assert tense_at(sentence, sentence.index(date)) == tense


@pytest.mark.parametrize(
    "text, named",
    [
        ("Three of the July 7 bombers were named.", True),
        ("Many died in the December 26 Indian Ocean tsunami.", True),
        ("They were captured on March 23 in the Gulf.", False),
        ("On March 23, the sailors were inspecting a ship.", False),
        ("The March 23 morning was cold.", False),
        ("The bombers struck on the morning of July 7.", False),
    ],
)
def test_a_month_and_day_may_be_part_of_a_name(text: str, named: bool) -> None:
    mention = next(m for m in find_dates(text) if m.kind == "month_day")
    assert names_a_thing(text, mention) is named
