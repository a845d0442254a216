"""Issue 12, the timeline core: dates from evidence, ranges and periods, stable ids, what
later articles report of an event, and the dated future found (dated_future.py)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import re
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE

from briefgen import dated_future, manifest, settle
from briefgen.corpus_dates import build_watchlist, decide_as_of
from briefgen.dates import infer_reference_dates
from briefgen.pipeline import make_brief, read_corpus
from briefgen.schema import ChunkNotes, Event, WatchItem
from briefgen.watch import build_watchlist as build

REPO = Path(__file__).resolve().parents[1]
MULTILING = REPO.parent / "shared" / "eval" / "multiling2011"


def subset(tmp_path: Path, *prefixes: str) -> str:
    folder = tmp_path / "subset"
    folder.mkdir(exist_ok=True)
    for p in sorted(SAMPLE.glob("*.txt")):
        if p.name[:3] in prefixes:
            shutil.copy(p, folder / p.name)
    return str(folder)


def every_date(watch) -> list[dt.date]:
    items = [*watch.upcoming, *watch.passed, *watch.settled]
    return [d for i in items for d in (i.date, i.end) if d is not None]


# ---------------------------------------------------------------- dates from evidence


def test_a_weekday_fixes_the_year_against_a_later_full_date():
    texts = {
        "a": "Trump and Xi are set to meet this Thursday, October 30. The July 1, 2026 "
        "deadline looms.",
        "b": "Bessent told NBC on October 26 that a deal was near.",
    }
    got = infer_reference_dates(texts, {})
    # October 30 is a Thursday in 2025 only; the 2026 deadline does not make it 2026.
    assert got["b"][0] == dt.date(2025, 10, 26)
    assert "a Thursday only in 2025" in got["b"][1]


def test_as_of_gives_years_only_when_nothing_else_does():
    texts = {"a": "Officials met on March 3 and agreed terms.", "b": "They will meet Friday."}
    assert infer_reference_dates(texts, {}) == {}
    got = infer_reference_dates(texts, {}, dt.date(2024, 3, 20))
    assert got["a"][0] == dt.date(2024, 3, 3) and "--as-of" in got["a"][1]
    # b is dated by what a reports, never by the --as-of date itself.
    assert got["b"][0] == dt.date(2024, 3, 3)


@pytest.mark.parametrize("as_of", [None, "2025-10-26"])
def test_four_sample_articles_keep_2025(tmp_path, as_of):
    folder = subset(tmp_path, "000", "001", "002", "004")
    corpus = read_corpus([folder])
    day, _ = decide_as_of(dt.date.fromisoformat(as_of) if as_of else None, corpus)
    watch = build_watchlist(corpus, day)
    years = {d.year for d in every_date(watch)}
    assert years == {2025, 2026}  # 2026 only where the text writes it or says "next year"
    assert all(d.year == 2025 for d, _ in corpus.references.values())
    assert {i.date_text: i.date.year for i in watch.upcoming}["July 1, 2026"] == 2026
    summit = [i for i in watch.settled if i.date == dt.date(2025, 10, 30)]
    assert [i.state for i in summit] == ["happened"]


def test_as_of_basis_and_date_notes_name_sources_by_number():
    result = make_brief([str(SAMPLE)], "analyst")
    p = result.brief.provenance
    assert p.as_of == dt.date(2025, 10, 30) and "[5]" in p.as_of_basis
    ids = [s.article_id for s in result.brief.sources]
    for note in p.date_notes:
        assert not any(a in note for a in ids), note
    assert any("reports as done" in n and n.startswith("[5]") for n in p.date_notes)


def test_today_only_when_no_article_gives_evidence(tmp_path):
    (tmp_path / "a.txt").write_text("Talks\n\nThe talks went well on Friday.\n", "utf-8")
    corpus = read_corpus([str(tmp_path)])
    day, basis = decide_as_of(None, corpus)
    assert "no article gives any date evidence" in basis
    assert decide_as_of(dt.date(2025, 1, 2), corpus) == (dt.date(2025, 1, 2), "given with --as-of")


def test_the_clock_is_read_in_one_place_only():
    modules = (
        "dates",
        "refdates",
        "watch",
        "settle",
        "ranges",
        "dated_future",
        "pipeline",
        "currency",
    )
    for name in modules:
        text = (REPO / "briefgen" / f"{name}.py").read_text(encoding="utf-8")
        assert not re.search(r"date\.today|datetime\.now|\.today\(\)", text), name
    corpus_dates = (REPO / "briefgen" / "corpus_dates.py").read_text(encoding="utf-8")
    assert corpus_dates.count("dt.date.today()") == 1


# ---------------------------------------------------------------- ranges and periods


def _one(sentence: str, ref=dt.date(2025, 10, 23), as_of=dt.date(2025, 10, 26)):
    ev = Event(description=sentence, date_text=None, status="scheduled", evidence=sentence)
    from briefgen.extract_rules import find_event

    found = find_event(sentence, "a", 0, len(sentence))
    if found is not None:
        ev = found
    notes = [ChunkNotes(article_id="a", chunk_index=0, events=[ev])]
    return build(notes, {"a": (ref, "test")}, as_of)


@pytest.mark.parametrize(
    "sentence, first, last",
    [
        ("Ministers are set to meet in Kuala Lumpur from October 24 to Monday October 27.", 24, 27),
        ("The trade fair will be held 24-27 October in Busan.", 24, 27),
        ("The envoys will meet October 24-27 in Geneva.", 24, 27),
        ("Talks will be held from October 24 until October 28 in Oslo.", 24, 28),
    ],
)
def test_a_range_is_one_item_passed_only_after_its_end(sentence, first, last):
    watch = _one(sentence)
    (item,) = watch.upcoming
    assert (item.date, item.end) == (dt.date(2025, 10, first), dt.date(2025, 10, last))
    later = _one(sentence, as_of=dt.date(2025, 10, last + 1))
    assert not later.upcoming and [i.end for i in later.passed] == [item.end]


def test_periods_keep_their_span_and_past_ones_are_no_watch_items():
    watch = _one("A deal could be launched in the first half of next year, an official said.")
    (item,) = watch.upcoming
    assert (item.date, item.end, item.precision) == (
        dt.date(2026, 1, 1),
        dt.date(2026, 6, 30),
        "half-year",
    )
    target = _one("Investments could reduce reliance on imports by 2030.").upcoming
    assert [(i.date, i.end, i.precision) for i in target] == [
        (dt.date(2030, 1, 1), dt.date(2030, 12, 31), "year")
    ]
    past = _one("An optimistic scenario would be a follow-up to the Phase One deal of 2020.")
    assert not [*past.upcoming, *past.passed, *past.unresolved]
    mid = _one("Negotiations are expected to resume by mid-November.").upcoming
    assert [(i.date, i.end) for i in mid] == [(dt.date(2025, 11, 11), dt.date(2025, 11, 20))]


# ---------------------------------------------------------------- stable ids


def test_ids_stay_put_when_files_are_reordered_or_a_teller_joins(tmp_path):
    three = subset(tmp_path, "000", "002", "003")
    # Items whose date is written out: a relative one ("on Friday") may move with the
    # articles' inferred dates, and then it is another date, rightly another id.
    base = {
        (i.date, i.date_text): i.id
        for i in build_watchlist(read_corpus([three]), dt.date(2025, 10, 20)).upcoming
        if re.search(r"\d", i.date_text or "")
    }
    assert base and all(i for i in base.values())
    # Renamed (another order) and joined by 001, which tells the summit again.
    renamed = tmp_path / "renamed"
    renamed.mkdir()
    for n, p in enumerate(sorted(Path(three).glob("*.txt"), reverse=True)):
        shutil.copy(p, renamed / f"{n}_{p.name[4:]}")
    shutil.copy(next(SAMPLE.glob("001_*.txt")), renamed / "9_joins.txt")
    corpus = read_corpus([str(renamed)])
    again = build_watchlist(corpus, dt.date(2025, 10, 20))
    items = {i.id: i for i in [*again.upcoming, *again.passed, *again.settled]}
    assert set(base.values()) <= set(items)
    summit = next(i for i in items.values() if i.date == dt.date(2025, 10, 30))
    assert len(summit.article_ids) >= 2
    for item in items.values():
        assert not any(a.id in item.id for a in corpus.articles)


# ---------------------------------------------------------------- what became of an event


def _item(sentence: str, date: dt.date) -> WatchItem:
    return WatchItem(
        description=sentence,
        date_text="x",
        date=date,
        precision="day",
        status="scheduled",
        article_ids=["early"],
        sentence=sentence,
    )


@pytest.mark.parametrize(
    "later, state, moved_to",
    [
        (
            "Ministers Lopez and Tanaka met in Oslo on March 12 and signed the accord.",
            "happened",
            None,
        ),
        ("The Oslo meeting of Lopez and Tanaka on March 12 was cancelled.", "cancelled", None),
        (
            "The Oslo meeting of Lopez and Tanaka, set for March 12, was postponed to April 2.",
            "moved",
            dt.date(2025, 4, 2),
        ),  # fmt: skip
    ],
)
def test_a_later_article_settles_an_upcoming_item(later, state, moved_to):
    from briefgen.schema import WatchList

    item = _item("Ministers Lopez and Tanaka will meet in Oslo on March 12.", dt.date(2025, 3, 12))
    watch = WatchList(as_of=dt.date(2025, 3, 1), upcoming=[item])
    refs = {"early": (dt.date(2025, 3, 1), "t"), "late": (dt.date(2025, 3, 13), "t")}
    texts = {"early": item.sentence, "late": later}
    out = settle.settle(watch, texts, refs, known=set())
    assert not out.upcoming
    (done,) = out.settled
    assert (done.state, done.state_article_ids, done.moved_to) == (state, ["late"], moved_to)
    assert done.state_sentence == later


def test_another_day_or_an_earlier_article_settles_nothing():
    from briefgen.schema import WatchList

    item = _item("Ministers Lopez and Tanaka will meet in Oslo on March 12.", dt.date(2025, 3, 12))
    refs = {"early": (dt.date(2025, 3, 1), "t"), "late": (dt.date(2025, 3, 13), "t")}
    for later, known in [
        ("Ministers Lopez and Tanaka met in Oslo on March 2 to prepare.", set()),  # another day
        (
            "Ministers Lopez and Tanaka met in Oslo and talked for hours.",
            {"late"},
        ),  # published before
    ]:
        if known:
            refs["late"] = (dt.date(2025, 3, 5), "published")
        watch = WatchList(as_of=dt.date(2025, 3, 1), upcoming=[item.model_copy()])
        out = settle.settle(watch, {"early": item.sentence, "late": later}, refs, known)
        assert out.upcoming and not out.settled, later


def test_the_exec_brief_does_not_foretell_what_its_watch_list_settled():
    result = make_brief([str(SAMPLE)], "exec")
    shown = " ".join(p.text for p in [*result.brief.bottom_line, *result.brief.key_points])
    settled = result.watch.settled
    assert settled
    for item in settled:
        assert item.sentence not in shown
    assert not {i.id for i in result.brief.watch} & {i.id for i in settled}


# ---------------------------------------------------------------- follow: an article deleted


def test_deleting_an_article_keeps_the_years_and_reports_nothing_of_it_as_passed(tmp_path):
    full = subset(tmp_path, "000", "001", "002", "003", "004")
    before = make_brief([full], "exec")
    kept = manifest.build(before, "exec", [full])
    (gone,) = Path(full).glob("003_*.txt")  # the only article writing "October 18, 2025"
    gone.unlink()
    after = make_brief([full], "exec")
    assert after.watch.as_of == before.watch.as_of
    assert {d.year for d in every_date(after.watch)} <= {2025, 2026}
    changes = manifest.compare(kept, after)
    assert changes.now_passed == []
    same = {i.id: i.date for i in [*after.watch.upcoming, *after.watch.settled]}
    old = {i.id: i.date for i in [*before.watch.upcoming, *before.watch.settled]}
    assert all(old[k] == d for k, d in same.items() if k in old)


# ---------------------------------------------------------------- the dated future


@pytest.mark.parametrize(
    "sentence, written, status",
    [
        ("The report is due on 14 November.", "14 November", "deadline"),
        ("The rules will be reviewed on November 10, 2026.", "November 10, 2026", "scheduled"),
        ("Parliament votes on 14 November on the budget.", "14 November", "scheduled"),
        ("The festival starts on March 3.", "March 3", "scheduled"),
        ("The law takes effect on January 1, 2026.", "January 1, 2026", "deadline"),
        ("The review is scheduled for Nov. 14th 2026.", "Nov. 14th 2026", "scheduled"),
        ("The plan is due on 31/10/2026.", "31/10/2026", "deadline"),
    ],
)
def test_cues_of_the_dated_future_are_found(sentence, written, status):
    from briefgen.extract_rules import find_event

    found = dated_future.find(sentence)
    assert [(d.mention.text, d.status, d.past) for d in found][:1] == [(written, status, False)]
    event = find_event(sentence, "a", 0, len(sentence))
    assert event is not None and event.date_text == written


def test_dateparser_dates_keep_only_what_is_written():
    (d,) = dated_future.find("The review is scheduled for Nov. 14th.")
    assert (d.mention.kind, d.mention.year, d.mention.month, d.mention.day) == (
        "month_day",
        None,
        11,
        14,
    )
    (full,) = dated_future.find("The plan is due on 31/10/2026.")
    assert (full.mention.kind, full.mention.year) == ("full", 2026)
    # 10/11/2026: 10 November or October 11; no date rather than a guess.
    assert dated_future.find("The plan is due on 10/11/2026.") == []


@pytest.mark.parametrize(
    "sentence",
    [
        "They missed the deadline of December 31.",
        "The report was due on 14 November but it came late.",
        "The flight was scheduled to arrive in Paris on June 1, 2009.",
        "Talks were scheduled for November 1 but were cancelled.",
    ],
)
def test_a_future_told_after_its_time_is_no_event(sentence):
    from briefgen.extract_rules import find_event

    assert find_event(sentence, "a", 0, len(sentence)) is None


def _benchmark():
    spec = importlib.util.spec_from_file_location(
        "timeline_bench", REPO / "benchmarks" / "timeline.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    import sys

    sys.path.insert(0, str(REPO / "benchmarks"))
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def test_labels_point_at_their_words():
    rows = [
        json.loads(ln) for ln in (REPO / "tests/data/dated_future.jsonl").read_text().splitlines()
    ]
    assert {r["corpus"] for r in rows} == {"sample", "multiling"}
    for r in rows:
        if r["corpus"] == "sample":
            text = (REPO / r["path"]).read_text(encoding="utf-8")
            assert text[r["offset"] : r["offset"] + len(r["key"])] == r["key"]


def test_the_sample_corpus_dated_future_as_labelled():
    r = _benchmark().sample_result()
    upcoming = len(r["found"]) + len(r["missed"])
    assert upcoming == 19
    # Measured: 16 of 19 found; none past listed as upcoming. The goal is all 19.
    assert len(r["found"]) >= 16
    assert r["wrong"] == []


@pytest.mark.skipif(not (MULTILING / "M000").is_dir(), reason="no MultiLing data in ../shared")
def test_the_multiling_dated_future_as_labelled():
    r = _benchmark().multiling_result(MULTILING)
    assert len(r["found"]) + len(r["missed"]) == 34
    for label in r["labels"]:
        text = (MULTILING / label["path"]).read_text(encoding="utf-8")
        assert text[label["offset"] : label["offset"] + len(label["key"])] == label["key"]
    # Measured: 30 of 34 found, 2 past listed as upcoming (see benchmarks/timeline.py -v).
    assert len(r["found"]) >= 30
    assert len(r["wrong"]) <= 2


@pytest.mark.parametrize(
    ("sentence", "date_text"),
    [
        # A passive of what is to come is no past act: "being finalized Friday".
        ("The draft is expected to undergo several revisions before being finalized Friday.",
         "Friday"),
        ("The treaty is expected to be signed on 14 May.", "14 May"),
        # "deadlines", plural, are deadlines.
        ("Both sides want a deal before various deadlines set in on November 1.", "November 1"),
    ],
)  # fmt: skip
def test_what_is_to_come_in_the_passive_or_plural_is_an_event(sentence, date_text):
    from briefgen.extract_rules import find_event

    event = find_event(sentence, "a", 0, len(sentence))
    assert event is not None and event.date_text == date_text


def test_a_past_act_before_a_date_still_looks_back():
    from briefgen.extract_rules import find_event

    for sentence in ("The draft was finalized Friday, officials said it could change.",
                     "The pact had been finalized on Friday and may be extended."):  # fmt: skip
        event = find_event(sentence, "a", 0, len(sentence))
        assert event is None or event.date_text != "Friday", sentence
