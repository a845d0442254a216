"""Relative date words made absolute for the reader: 'on Sunday' shows 'on Sunday (26 Oct)'."""

from __future__ import annotations

import datetime as dt
import json
import re
from html import escape

import pytest
from conftest import E2E_DATA, collapse

from briefgen.absolute import annotate, annotate_item
from briefgen.render import md as md_escape
from briefgen.render import render_brief, render_watchlist
from briefgen.schema import Evidence, WatchItem, WatchList

SUNDAY = dt.date(2025, 10, 26)  # a Sunday
REFS = {"sun": SUNDAY, "thu": dt.date(2025, 10, 23), "old": dt.date(2024, 3, 6), "none": None}


def said(text: str, *articles: str, evidence: str | None = None, year: int = 2025) -> str:
    """`text` annotated as if told by `articles` (their evidence holding `evidence`)."""
    told = [Evidence(article_id=a, text=evidence or text, start=0, end=0) for a in articles]
    return annotate(text, REFS, told, year)


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Bessent said on Sunday that a deal was reached.", "on Sunday (26 Oct) that"),
        ("The leaders will meet this Thursday at APEC.", "this Thursday (30 Oct) at"),
        ("They met last Friday in Kuala Lumpur.", "last Friday (24 Oct) in"),
        ("A hurricane struck Haiti yesterday.", "yesterday (25 Oct)."),
        ("Officials will meet tomorrow.", "tomorrow (27 Oct)."),
        ("Talks will resume next week.", "next week (week of 27 Oct)."),
        ("Exports fell last month.", "last month (Sep)."),
        ("Prices rose two weeks ago.", "two weeks ago (around 12 Oct)."),
        ("A deal could come in the first half of next year.", "next year (2026)."),
        ("Rates will fall by the end of the year.", "the end of the year (2025)."),
        # A possessive keeps its "'s" on the word: not "Friday (24 Oct)'s".
        ("The death toll from Friday's ferry sinking rose.", "Friday's (24 Oct) ferry"),
        ("Yesterday’s vote was close.", "Yesterday’s (25 Oct) vote"),
        # The Thursday's own clause is past, though the sentence opens on a "will".
        (
            "Borrowers will pay more after the bank raised rates on Thursday.",
            "on Thursday (23 Oct).",
        ),
        # "said ... would": a future of the time of saying, so the nearest Thursday.
        ("She said the rate rise on Thursday would hurt families.", "Thursday (23 Oct) would"),
        ("Ahmadinejad on Wednesday announced that he would free them.", "Wednesday (22 Oct)"),
    ],
)
def test_relative_words_get_their_date_beside_them(text, shown):
    out = said(text, "sun")
    assert shown in out
    # The words stay as written: only the parenthesis is added.
    assert out.replace(f" ({shown.split('(')[1].split(')')[0]})", "") == text


def test_the_year_is_shown_only_when_it_is_not_the_briefs():
    assert "on Sunday (3 Mar 2024)" in said("It was announced on Sunday.", "old")
    assert "on Sunday (26 Oct)" in said("It was announced on Sunday.", "sun")


def test_no_reference_date_keeps_the_words_and_says_so():
    out = said("A hurricane struck Haiti yesterday.", "none")
    assert out == "A hurricane struck Haiti yesterday (date unclear)."
    assert (
        said("Officials met yesterday.") == "Officials met yesterday (date unclear)."
    )  # no source


def test_the_article_whose_evidence_holds_the_words_decides():
    text = "Officials will meet in Malaysia on Friday, and talks resumed."
    # Told by two articles of different dates, the Friday is the one of the article that says it.
    both = [
        Evidence(
            article_id="thu", text="Officials will meet in Malaysia on Friday.", start=0, end=0
        ),
        Evidence(article_id="sun", text="Talks resumed, officials said.", start=0, end=0),
    ]
    assert "on Friday (24 Oct)" in annotate(text, REFS, both, 2025)
    # Neither holds the words and their dates disagree: unclear, never one of them guessed.
    vague = [Evidence(article_id=a, text="Talks resumed.", start=0, end=0) for a in ("thu", "sun")]
    assert "on Friday (date unclear)" in annotate(text, REFS, vague, 2025)


@pytest.mark.parametrize(
    "text",
    [
        "The leaders meet on October 30 in Busan.",
        "The leaders meet this Thursday, October 30, in Busan.",
        "Negotiations resume by mid-November.",
        "Reliance on China could fall by 2030.",
        "The Phase One deal of 2020 was signed on January 15, 2020.",
        "No date at all in this sentence.",
    ],
)
def test_dates_already_written_out_are_left_alone(text):
    assert said(text, "sun") == text


def test_quotations_stay_verbatim():
    text = "“We met yesterday and agreed,” Bessent said on Sunday."
    out = said(text, "sun")
    assert out.startswith("“We met yesterday and agreed,”")
    assert out.endswith("said on Sunday (26 Oct).")
    straight = 'He said "talks resume next week" after the call.'
    assert said(straight, "sun") == straight


def test_annotating_twice_changes_nothing_more():
    once = said("The leaders will meet on Thursday.", "sun")
    assert said(once, "sun") == once
    possessive = said("Friday's sinking was the worst in years.", "sun")
    assert said(possessive, "sun") == possessive
    # A date a model already put beside the words is not repeated.
    given = "Bessent said on Sunday (Oct. 26) that a deal was reached."
    assert said(given, "sun") == given


def watch_item(**overrides) -> WatchItem:
    fields = dict(
        description="Trade officials will meet in Malaysia on Friday",
        date_text="Friday",
        date=dt.date(2025, 10, 24),
        precision="day",
        status="scheduled",
        article_ids=["thu"],
        citations=[2],
        sentence="Trade officials from the US and China will meet in Malaysia on Friday.",
    )
    fields.update(overrides)
    return WatchItem(**fields)


def test_a_watch_items_own_date_words_stand_for_its_date():
    assert annotate_item(watch_item(), REFS, 2025).endswith("on Friday (24 Oct)")
    # Its own date wins over re-reading the words: the item knows which Friday it is.
    moved = watch_item(date=dt.date(2025, 10, 31))
    assert annotate_item(moved, REFS, 2025).endswith("on Friday (31 Oct)")
    unresolved = watch_item(date=None, precision=None)
    assert annotate_item(unresolved, REFS, 2025).endswith("on Friday (date unclear)")


def test_watch_list_shows_absolute_dates_but_keeps_its_sentence_verbatim():
    watch = WatchList(as_of=dt.date(2025, 10, 23), upcoming=[watch_item()])
    out = render_watchlist(watch, "md", references={"thu": (dt.date(2025, 10, 23), "metadata")})
    assert "scheduled event: Trade officials will meet in Malaysia on Friday (24 Oct) [2]" in out
    assert "From: “Trade officials from the US and China will meet in Malaysia on Friday.”" in out
    # JSON is the data: the description as written, the date in its own field.
    data = json.loads(render_watchlist(watch, "json"))
    assert data["upcoming"][0]["description"] == "Trade officials will meet in Malaysia on Friday"


@pytest.fixture(scope="module")
def harbour_analyst():
    # The harbour corpus, not the sample: the sample's points with relative dates ("will meet
    # in Malaysia on Friday") tell events later articles report held, which no brief of it
    # is written from any more (currency.current), single-source claims included.
    from briefgen.pipeline import make_brief

    return make_brief([str(E2E_DATA / "harbour")], audience="analyst")


_WEEKDAY_SHOWN = re.compile(
    r"\b(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday) \((\d{1,2}) (\w{3})\)"
)
_ANNOTATION = re.compile(r" \((?:date unclear|[^()]*\d[^()]*|[A-Z][a-z]{2})\)")


def test_points_keep_their_words_and_show_their_dates(harbour_analyst):
    from briefgen.ingest import load

    brief = harbour_analyst.brief
    points = [*brief.bottom_line, *brief.key_points, *brief.single_source]
    dated = [p for p in points if p.dated_text]
    assert dated, "the harbour articles' points say 'on Monday', 'on Tuesday'"
    texts = [collapse(a.text) for a in load([str(E2E_DATA / "harbour")]).articles]
    weekdays = 0
    for p in dated:
        # What verification checked is untouched, verbatim in an article (extractive engine),
        # and the shown text is it with dates added in parentheses, nothing else.
        assert any(collapse(p.text) in t for t in texts)
        assert p.dated_text != p.text and _ANNOTATION.sub("", p.dated_text) == p.text
        for name, d, mon in _WEEKDAY_SHOWN.findall(p.dated_text):
            shown = dt.datetime.strptime(f"{d} {mon} {brief.provenance.as_of.year}", "%d %b %Y")
            assert shown.strftime("%A") == name  # 'Saturday (18 Oct)': 18 Oct is a Saturday
            weekdays += 1
    assert weekdays
    assert harbour_analyst.corpus.report.points_dropped == 0
    md, html = render_brief(brief, "md"), render_brief(brief, "html")
    data = json.loads(render_brief(brief, "json"))
    json_points = {p["text"]: p for p in [*data["bottom_line"], *data["key_points"]]}
    for p in dated:
        assert md_escape(p.dated_text) in md
        assert escape(p.dated_text) in html
        if p.text in json_points:  # the JSON keeps the words as written, and the shown text
            assert json_points[p.text]["dated_text"] == p.dated_text
