"""The timeline view: what happened, with its dates, then what is next; every line cited."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import SAMPLE

from briefgen.corpus import Corpus
from briefgen.render import render_brief, render_watchlist
from briefgen.schema import (
    Brief,
    Digest,
    Evidence,
    Finding,
    KeyPoint,
    Provenance,
    RunReport,
    SourceRef,
    TimelineEntry,
    WatchItem,
    WatchList,
)
from briefgen.timeline import TIMELINE_LINES, build_timeline

AS_OF = dt.date(2025, 10, 26)
SOURCES = [SourceRef(n=i, article_id=f"a{i}", title=f"Article {i}") for i in range(1, 6)]


def corpus(findings: list[Finding] | None = None) -> Corpus:
    return Corpus(
        articles=[],
        skipped=[],
        references={s.article_id: (AS_OF, "test") for s in SOURCES},
        notes=[],
        digest=Digest(findings=findings or []),
        sources=SOURCES,
        report=RunReport(articles=len(SOURCES)),
        engine=None,  # type: ignore[arg-type]
    )


def item(description: str, date: dt.date | None, precision: str = "day", **more) -> WatchItem:
    fields = dict(
        description=description,
        date_text="as written",
        date=date,
        precision=precision,
        status="scheduled",
        article_ids=["a1"],
        citations=[1],
        sentence=description + ".",
    )
    fields.update(more)
    return WatchItem(**fields)


def finding(i: int, text: str, kind: str = "fact", article: str = "a2", **more) -> Finding:
    return Finding(
        id=i,
        text=text,
        kind=kind,
        article_ids=[article],
        evidence=[Evidence(article_id=article, text=text, start=0, end=len(text))],
        **more,
    )


def days(n: int) -> dt.date:
    return AS_OF + dt.timedelta(days=n)


def test_past_then_next_each_in_date_order_and_cited():
    watch = WatchList(
        as_of=AS_OF,
        upcoming=[item("Leaders meet in Busan", days(4)), item("Tariffs take effect", days(6))],
        passed=[item("Officials meet in Kuala Lumpur", days(-2))],
        settled=[
            item(
                "Ministers sign the framework",
                days(-1),
                state="happened",
                state_article_ids=["a5"],
                state_citations=[5],
            )
        ],
    )
    found = [finding(7, "China announced new export controls on rare earths on October 9.")]
    lines = build_timeline(corpus(found), watch, AS_OF, shown=set())
    assert [e.past for e in lines] == [True, True, True, False, False]
    assert [e.date for e in lines] == [dt.date(2025, 10, 9), days(-2), days(-1), days(4), days(6)]
    assert all(e.citations for e in lines)
    signed = next(e for e in lines if e.text.startswith("Ministers"))
    assert signed.state == "happened" and signed.state_citations == [5]
    assert next(e for e in lines if "Kuala Lumpur" in e.text).planned


def test_an_event_reported_as_happened_is_not_among_what_is_next():
    done = item("Leaders meet in Busan", days(4), state="happened", state_citations=[5])
    moved = item("Hearing", days(2), state="moved", moved_to=days(19), state_citations=[4])
    watch = WatchList(as_of=AS_OF, upcoming=[done, item("Tariffs take effect", days(6))])
    watch.settled = [moved]
    lines = build_timeline(corpus(), watch, AS_OF, shown=set())
    ahead = [e.text for e in lines if not e.past]
    assert ahead == ["Tariffs take effect", "Hearing"]
    assert [e.text for e in lines if e.past] == ["Leaders meet in Busan"]
    hearing = next(e for e in lines if e.text == "Hearing")
    assert hearing.date == days(19) and hearing.state == "moved"


def test_the_timeline_is_capped_half_a_side_unless_one_side_is_short():
    many_ahead = [item(f"Meeting {n}", days(n)) for n in range(1, 12)]
    many_past = [item(f"Hearing {n}", days(-n)) for n in range(1, 12)]
    both = build_timeline(
        corpus(), WatchList(as_of=AS_OF, upcoming=many_ahead, passed=many_past), AS_OF, set()
    )
    assert len(both) == TIMELINE_LINES
    assert sum(e.past for e in both) == TIMELINE_LINES // 2
    # The most recent past and the soonest next are kept.
    assert [e.date for e in both if e.past] == [days(-4), days(-3), days(-2), days(-1)]
    assert [e.date for e in both if not e.past] == [days(1), days(2), days(3), days(4)]
    one_past = build_timeline(
        corpus(), WatchList(as_of=AS_OF, upcoming=many_ahead, passed=many_past[:1]), AS_OF, set()
    )
    assert len(one_past) == TIMELINE_LINES and sum(e.past for e in one_past) == 1


def test_what_the_past_leaves_out():
    watch = WatchList(
        as_of=AS_OF,
        passed=[item("The Phase One deal", dt.date(2020, 1, 1), "year")],
    )
    found = [
        # a plan, not a report; a disputed claim; an opinion; a date still to come
        finding(
            1, "Officials will meet again on October 9 to review the export controls.", "forecast"
        ),
        finding(
            2,
            "China announced new export controls on rare earths on October 9.",
            disputed_by=["a3"],
        ),
        finding(3, "Critics said on October 9 that the export controls were a mistake.", "opinion"),
        finding(4, "China announced that new export controls take effect on November 8."),
    ]
    assert build_timeline(corpus(found), watch, AS_OF, shown=set()) == []


def test_findings_the_brief_shows_come_first_and_one_event_is_told_once():
    found = [
        finding(1, "Trade ministers from both countries met in Geneva on October 20 to talk."),
        finding(2, "China announced new export controls on rare earths on October 9."),
        finding(
            3, "China announced new export controls on rare earths on October 9, sources said."
        ),
        *(
            finding(10 + n, f"Port {n} reopened after a strike on October {n}.")
            for n in range(1, 9)
        ),
    ]
    lines = build_timeline(corpus(found), WatchList(as_of=AS_OF), AS_OF, shown={1})
    texts = [e.text for e in lines]
    assert texts[-1].startswith("Trade ministers")  # shown in the brief, so kept (and latest)
    assert sum("export controls" in t for t in texts) == 1


def brief(audience: str, timeline: list[TimelineEntry]) -> Brief:
    return Brief(
        audience=audience,
        headline="Leaders meet in Busan",
        bottom_line=[KeyPoint(text="Leaders meet.", finding_ids=[1], citations=[1])],
        key_points=[],
        timeline=timeline,
        sources=SOURCES,
        provenance=Provenance(
            engine="extractive",
            generated_at=dt.datetime(2025, 10, 26, tzinfo=dt.timezone.utc),
            as_of=AS_OF,
            as_of_basis="test",
            articles=5,
        ),
    )


TIMELINE = [
    TimelineEntry(
        date=dt.date(2025, 10, 9),
        text="China tightened export controls",
        citations=[2, 4],
        past=True,
    ),
    TimelineEntry(
        date=dt.date(2025, 10, 24),
        end=dt.date(2025, 10, 27),
        text="Talks in Kuala Lumpur",
        citations=[2],
        past=True,
        planned=True,
    ),
    TimelineEntry(
        date=dt.date(2025, 10, 25),
        text="Ministers sign the framework",
        citations=[3],
        past=True,
        state="happened",
        state_citations=[5],
    ),
    TimelineEntry(
        date=dt.date(2025, 11, 15),
        precision="part-of-month",
        text="Talks resume",
        citations=[1],
        past=False,
    ),
]


@pytest.mark.parametrize("audience", ["analyst", "newsletter"])
def test_markdown_timeline_lines_dated_cited_past_first(audience):
    out = render_brief(brief(audience, TIMELINE), "md")
    lines = [line for line in out.splitlines() if line.startswith("- **")]
    assert lines[:4] == [
        "- **Thu 9 Oct 2025** · China tightened export controls [2][4]",
        "- **24–27 Oct 2025** · Talks in Kuala Lumpur [2] _(planned; no later report says it took place)_",
        "- **Sat 25 Oct 2025** · Ministers sign the framework [3] · happened (per [5])",
        "- **mid-Nov 2025** · Talks resume [1]",
    ]
    assert out.index("**So far**") < out.index("**Next, after Sun 26 Oct 2025**")


@pytest.mark.parametrize("audience", ["analyst", "newsletter"])
def test_html_timeline_links_every_citation(audience):
    out = render_brief(brief(audience, TIMELINE), "html")
    assert ">So far</h3>" in out and ">Next, after Sun 26 Oct 2025</h3>" in out
    assert "<strong>Sat 25 Oct 2025</strong> · Ministers sign the framework" in out
    # The newsletter's [n] are plain: fragment links fail in mail clients.
    per = "happened (per [5])" if audience == "newsletter" else 'happened (per <a href="#src-5"'
    assert per in out
    assert (
        out.index("China tightened")
        < out.index("Talks in Kuala Lumpur")
        < out.index("Talks resume")
    )


def test_no_timeline_no_heading_and_exec_never_has_one():
    assert "Timeline" not in render_brief(brief("analyst", []), "md")
    assert "Timeline" not in render_brief(brief("exec", TIMELINE), "md")


def test_watch_list_groups_settled_items_apart_with_what_became_of_them():
    watch = WatchList(
        as_of=AS_OF,
        upcoming=[
            item("Leaders meet in Busan", days(4), state="happened", state_citations=[5]),
            item("Talks in Kuala Lumpur", days(2), end=days(5)),
            item("A deal is launched", dt.date(2026, 1, 1), "half-year"),
            item("Reliance on China falls", dt.date(2030, 1, 1), "year"),
        ],
        settled=[
            item("Board vote", days(1), state="cancelled", state_citations=[3]),
            item(
                "Hearing",
                days(2),
                state="moved",
                moved_to=dt.date(2025, 11, 14),
                state_citations=[4],
            ),
        ],
    )
    out = render_watchlist(watch, "md")
    upcoming = out.split("## Upcoming")[1].split("## ")[0]
    settled = out.split("## Settled since")[1]
    assert "Busan" not in upcoming and "Busan" in settled
    assert "**28–31 Oct 2025** · scheduled event: Talks in Kuala Lumpur [1]" in upcoming
    assert "**first half of 2026** · scheduled event: A deal is launched [1]" in upcoming
    assert "**2030** · scheduled event: Reliance on China falls [1]" in upcoming
    assert "Leaders meet in Busan [1] · happened (per [5])" in settled
    assert "Board vote [1] · cancelled (per [3])" in settled
    assert "Hearing [1] · moved to 14 Nov (per [4])" in settled


@pytest.fixture(scope="module")
def sample_briefs():
    from briefgen.pipeline import make_brief

    return {a: make_brief([str(SAMPLE)], audience=a) for a in ("analyst", "newsletter", "exec")}


def test_sample_timeline_agrees_with_the_watch_list(sample_briefs):
    analyst = sample_briefs["analyst"]
    lines = analyst.brief.timeline
    as_of = analyst.brief.provenance.as_of
    assert 0 < len(lines) <= TIMELINE_LINES
    assert [e.past for e in lines] == sorted((e.past for e in lines), reverse=True)
    for e in lines:
        assert e.citations
        if not e.past:
            assert (e.end or e.date) >= as_of
        elif e.state == "upcoming":  # a report (or a plan whose day has gone by), not news of it
            assert e.date <= as_of
        else:  # what a later article reports became of it, citing that article
            assert e.state_citations
    # What is next is what the watch list has ahead, on the same dates: no contradiction.
    ahead = {(i.date, tuple(i.citations)) for i in analyst.watch.upcoming if i.state == "upcoming"}
    assert {(e.date, tuple(e.citations)) for e in lines if not e.past} <= ahead
    assert sample_briefs["newsletter"].brief.timeline
    assert sample_briefs["exec"].brief.timeline == []
    md = render_brief(analyst.brief, "md")
    assert md.index("## Timeline") < md.index("## What to watch")
    html = render_brief(sample_briefs["newsletter"].brief, "html")
    assert "The story so far, and what is next</h2>" in html
