"""The what-to-watch list: dates resolved against each article's reference, repeats merged, passed items apart."""

from __future__ import annotations

import datetime as dt

from briefgen.chunking import chunk_article
from briefgen.engines.extractive import ExtractiveEngine
from briefgen.schema import Article
from briefgen.watch import build_watchlist, most_important

REF = dt.date(2025, 10, 26)  # a Sunday


def _notes(*texts: str):
    engine = ExtractiveEngine()
    articles = [
        Article(id=f"a{i}", title="t", text=t, path=f"a{i}.txt") for i, t in enumerate(texts)
    ]
    return [engine.extract(c, a) for a in articles for c in chunk_article(a)]


def test_relative_dates_resolve_against_the_article_reference():
    notes = _notes("The two presidents are set to meet on Thursday in Busan to sign the framework.")
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    [item] = watch.upcoming
    assert item.date == dt.date(2025, 10, 30)
    assert item.date_text == "Thursday"
    assert item.status == "scheduled"
    assert "resolved against 2025-10-26" in item.date_basis
    assert item.sentence.startswith("The two presidents")


def test_without_a_reference_relative_dates_stay_unresolved_never_invented():
    notes = _notes("The two presidents are set to meet on Thursday in Busan to sign the framework.")
    watch = build_watchlist(notes, {}, as_of=REF)
    assert watch.upcoming == [] and watch.passed == []
    [item] = watch.unresolved
    assert item.date is None and item.date_text == "Thursday"


def test_full_dates_need_no_reference_and_passed_items_leave_upcoming():
    notes = _notes(
        "The tariffs will take effect on November 1, 2025 unless a deal is reached. "
        "The trade agreement expires on July 1, 2026 and must be renewed by the three countries."
    )
    before = build_watchlist(notes, {}, as_of=dt.date(2025, 10, 1))
    assert [i.date for i in before.upcoming] == [dt.date(2025, 11, 1), dt.date(2026, 7, 1)]
    assert all(i.status == "deadline" for i in before.upcoming)
    after = build_watchlist(notes, {}, as_of=dt.date(2025, 11, 5))
    assert [i.date for i in after.upcoming] == [dt.date(2026, 7, 1)]
    assert [i.date for i in after.passed] == [dt.date(2025, 11, 1)]


def test_an_event_told_by_two_articles_is_one_item_citing_both():
    notes = _notes(
        "President Trump and President Xi will meet on Thursday, October 30, at the summit in Busan.",
        "Trump and Xi are set to meet in Busan on October 30 on the sidelines of the summit.",
    )
    refs = {"a0": (REF, "test"), "a1": (REF, "test")}
    watch = build_watchlist(notes, refs, as_of=REF)
    assert len(watch.upcoming) == 1
    assert sorted(watch.upcoming[0].article_ids) == ["a0", "a1"]


def test_a_month_stays_upcoming_while_it_lasts():
    notes = _notes("Negotiators are expected to resume talks in November after the summit.")
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=dt.date(2025, 11, 20))
    assert [i.precision for i in watch.upcoming] == ["month"]


def test_looking_back_is_not_an_event():
    notes = _notes("Officials met in Geneva on October 3 and signed a short statement.")
    watch = build_watchlist(notes, {"a0": (REF, "test")}, as_of=REF)
    assert watch.upcoming == watch.passed == watch.unresolved == []


def test_most_important_keeps_multi_source_and_firm_dates_in_date_order():
    notes = _notes(
        "The deal could possibly be signed by December 15, 2025 if talks go well. "
        "The summit is scheduled for November 3, 2025 in Seoul. "
        "The tariff deadline is November 10, 2025 for all imports.",
    )
    watch = build_watchlist(notes, {}, as_of=dt.date(2025, 10, 1))
    top = most_important(watch.upcoming, 2)
    assert [i.date for i in top] == [dt.date(2025, 11, 3), dt.date(2025, 11, 10)]
