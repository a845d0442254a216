"""The .ics read back by a real parser (icalendar): spans for vague dates, stable UIDs, a name."""

from __future__ import annotations

import datetime as dt
import re

import icalendar
import pytest
from conftest import SAMPLE

from briefgen.cli import main
from briefgen.render import render_watchlist
from briefgen.render_ics import story_name, uid
from briefgen.schema import SourceRef, WatchItem, WatchList

AS_OF = dt.date(2025, 10, 26)


def item(
    description: str, date: dt.date | None, precision: str | None = "day", **more
) -> WatchItem:
    fields = dict(
        description=description,
        date_text="as written",
        date=date,
        precision=precision,
        status="scheduled",
        article_ids=["a1"],
        citations=[1],
        sentence=f"{description}, officials said.",
    )
    fields.update(more)
    return WatchItem(**fields)


def parse(watch: WatchList, **kwargs) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(render_watchlist(watch, "ics", **kwargs))


def events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    return {str(e["SUMMARY"]): e for e in cal.walk("VEVENT")}


def days(event: icalendar.Event) -> tuple[dt.date, dt.date]:
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    # All-day values: dates, never datetimes (a datetime would pin the event to a time).
    assert type(start) is dt.date and type(end) is dt.date
    return start, end


def text(value) -> str:
    """A TEXT value as a calendar program shows it: icalendar keeps NAME and X- values
    (types it does not know) escaped, as they are on the wire."""
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), str(value))


def test_each_precision_becomes_a_span_or_is_listed_not_a_pretend_day():
    watch = WatchList(
        as_of=AS_OF,
        upcoming=[
            item("Summit", dt.date(2025, 10, 30)),
            item("Talks in Kuala Lumpur", dt.date(2025, 10, 24), end=dt.date(2025, 10, 27)),
            item("Negotiations resume", dt.date(2025, 11, 15), "part-of-month"),
            item("Review ends", dt.date(2025, 11, 30), "part-of-month"),
            item("Tariff review", dt.date(2025, 12, 1), "month"),
            item("Quarterly data", dt.date(2026, 7, 1), "quarter"),
            item("A deal launched", dt.date(2026, 1, 1), "half-year", end=dt.date(2026, 6, 30)),
            item("Reliance on China falls", dt.date(2030, 1, 1), "year"),
        ],
        unresolved=[item("Possible strike", None, None, date_text="if talks fail")],
    )
    cal = parse(watch)
    found = events(cal)
    assert days(found["Summit"]) == (dt.date(2025, 10, 30), dt.date(2025, 10, 31))
    # A range is one event covering every day of it: DTEND is the day after the last.
    assert days(found["Talks in Kuala Lumpur"]) == (dt.date(2025, 10, 24), dt.date(2025, 10, 28))
    assert days(found["Negotiations resume"]) == (dt.date(2025, 11, 11), dt.date(2025, 11, 21))
    assert days(found["Review ends"]) == (dt.date(2025, 11, 21), dt.date(2025, 12, 1))
    assert days(found["Tariff review"]) == (dt.date(2025, 12, 1), dt.date(2026, 1, 1))
    assert days(found["Quarterly data"]) == (dt.date(2026, 7, 1), dt.date(2026, 10, 1))
    assert all(str(e["TRANSP"]) == "TRANSPARENT" for e in found.values())
    # A half-year, a year and an undated item are no calendar events, but the calendar names them.
    assert not {"A deal launched", "Reliance on China falls", "Possible strike"} & found.keys()
    described = str(cal["DESCRIPTION"])
    assert "first half of 2026: A deal launched [1]" in described
    assert "2030: Reliance on China falls [1]" in described
    assert "if talks fail (unresolved): Possible strike [1]" in described
    assert text(cal["X-WR-CALDESC"]) == described


def test_uid_is_the_items_id_and_stays_when_support_changes():
    first = item("Summit", dt.date(2025, 10, 30), id="summit-2025-10-30")
    supported = first.model_copy(
        update={"article_ids": ["a1", "a2"], "citations": [1, 2], "sentence": "Told again."}
    )
    a = events(parse(WatchList(as_of=AS_OF, upcoming=[first])))["Summit"]
    b = events(parse(WatchList(as_of=AS_OF, upcoming=[supported])))["Summit"]
    assert str(a["UID"]) == str(b["UID"]) == "summit-2025-10-30@briefgen"
    assert uid(first.model_copy(update={"id": "x@elsewhere"})) == "x@elsewhere"
    # Without an id (before the core fills it) the UID is a content hash, still unique.
    hashed = uid(first.model_copy(update={"id": ""}))
    assert hashed.endswith("@briefgen") and hashed != uid(supported.model_copy(update={"id": ""}))


def test_settled_events_cancelled_and_moved():
    cancelled = item(
        "Board vote", dt.date(2025, 10, 30), id="vote", state="cancelled", state_citations=[2]
    )
    moved = item(
        "Hearing",
        dt.date(2025, 10, 28),
        id="hearing",
        state="moved",
        moved_to=dt.date(2025, 11, 14),
        state_citations=[3],
        state_sentence="The hearing was postponed to November 14.",
    )
    happened = item("Summit", dt.date(2025, 10, 24), id="summit", state="happened")
    found = events(parse(WatchList(as_of=AS_OF, settled=[cancelled, moved, happened])))
    assert str(found["Board vote"]["STATUS"]) == "CANCELLED"
    assert found["Board vote"]["SEQUENCE"] == 1
    # A moved event keeps its UID and goes to its new day, so calendars move it.
    assert days(found["Hearing"]) == (dt.date(2025, 11, 14), dt.date(2025, 11, 15))
    assert str(found["Hearing"]["UID"]) == "hearing@briefgen"
    assert "Since reported: moved to 14 Nov" in str(found["Hearing"]["DESCRIPTION"])
    assert "The hearing was postponed to November 14." in str(found["Hearing"]["DESCRIPTION"])
    assert str(found["Summit"]["STATUS"]) == "CONFIRMED" and found["Summit"]["SEQUENCE"] == 0


def test_the_calendar_is_named_after_the_story():
    sources = [
        SourceRef(n=1, article_id="a1", title="China and US agree to recent trade talks"),
        SourceRef(n=2, article_id="a2", title="Trade officials from the US and China will meet"),
        SourceRef(n=3, article_id="a3", title="US, China edge toward fragile truce"),
    ]
    assert story_name(sources) == "China, US, trade"
    watch = WatchList(as_of=AS_OF, upcoming=[item("Summit", dt.date(2025, 10, 30))])
    cal = parse(watch, sources=sources)
    assert text(cal["X-WR-CALNAME"]) == "What to watch: China, US, trade"
    named = parse(watch, sources=sources, name="US, China edge toward fragile truce")
    assert text(named["NAME"]) == "What to watch: US, China edge toward fragile truce"
    # The name does not carry the as-of date: a re-run next week is the same calendar.
    later = parse(watch.model_copy(update={"as_of": AS_OF + dt.timedelta(days=7)}), sources=sources)
    assert text(later["X-WR-CALNAME"]) == text(cal["X-WR-CALNAME"])


@pytest.fixture(scope="module")
def sample_ics(runner) -> icalendar.Calendar:
    result = runner.invoke(main, ["watchlist", "--format", "ics", str(SAMPLE)])
    assert result.exit_code == 0, result.stderr
    return icalendar.Calendar.from_ical(result.stdout)


def test_sample_calendar_imports_with_spans_and_unique_uids(sample_ics):
    vevents = list(sample_ics.walk("VEVENT"))
    assert vevents
    uids = [str(e["UID"]) for e in vevents]
    assert len(set(uids)) == len(uids)
    for e in vevents:
        start, end = days(e)
        assert end > start
    name = text(sample_ics["X-WR-CALNAME"])
    assert name.startswith("What to watch: ") and "China" in name
    # '2030' is a year, not 1 January: no event on that day, listed in the description.
    assert not any(days(e)[0].year == 2030 for e in vevents)
    assert "2030: While G7 investments" in str(sample_ics["DESCRIPTION"])


def test_sample_calendar_is_the_same_on_a_rerun(runner, sample_ics):
    again = runner.invoke(main, ["watchlist", "--format", "ics", str(SAMPLE)])
    assert icalendar.Calendar.from_ical(again.stdout).to_ical() == sample_ics.to_ical()
