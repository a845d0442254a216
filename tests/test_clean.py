"""clean_text: general web-page debris rules, checked on fixtures the rules were not written from."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.clean import Cleaned, clean_text, split_title

DATA = Path(__file__).parent / "data" / "ingest"


def test_generic_debris_fixture_is_cut_and_content_kept():
    cleaned = clean_text((DATA / "debris.txt").read_text(encoding="utf-8"))
    assert isinstance(cleaned, Cleaned)
    assert cleaned.title_line == "Comet fragments found in desert crater"
    assert cleaned.source == "Desert Science Wire"
    assert cleaned.text.splitlines() == [
        "Researchers said on Monday they had found fragments of a comet in a crater in the "
        "eastern desert, the first such find in the region.",
        "The fragments, some as small as a grain of rice, were collected during a six-week "
        "survey last winter.",
        "What the team found",
        "The survey mapped the crater floor with drones before the team collected samples by hand.",
        "- Three fragments larger than 1 cm",
        "- More than 200 smaller grains",
    ]
    assert cleaned.debris_cut == 19


@pytest.mark.parametrize(
    "debris",
    [
        "Home » Business » Markets",
        "News > World > Europe",
        "LEAVE A REPLY",
        "Leave a comment",
        "Please enter your comment!",
        "Please enter your name here",
        "Post a comment",
        "3 comments",
        "Comments",
        "Share this article",
        "Share on Facebook",
        "Tweet",
        "Subscribe to our newsletter",
        "Sign up for our morning briefing",
        "Follow Ana Ruiz on Twitter at @anaruiz",
        "spot_img",
        "[image]",
        "Image: Harbour at dawn",
        "Photo: Staff photographer",
        "(Photo by Lee Chan/Getty Images)",
        "Getty Images",
        "Advertisement",
        "ADVERTISEMENT",
        "We use cookies to make this site work.",
        "© 2023 Example News Ltd",
        "Copyright 2023 Example News. All rights reserved.",
        "(Reporting by Ana Ruiz; Editing by Tom Hale)",
        "###",
        "***",
        "---",
        "Read: Markets slip as oil climbs",
        "ALSO SEE: Markets slip as oil climbs",
    ],
)
def test_single_debris_lines_are_cut(debris):
    body = "The first paragraph of the story says something that matters to readers."
    cleaned = clean_text(f"{body}\n{debris}\nA second paragraph closes the story with a fact.")
    assert debris not in cleaned.text
    assert cleaned.text.splitlines() == [
        body,
        "A second paragraph closes the story with a fact.",
    ]
    assert cleaned.debris_cut == 1


@pytest.mark.parametrize(
    "heading",
    [
        "Related",
        "Related articles",
        "Read more",
        "See also",
        "You may also like",
        "More from Example News",
        "Recommended",
        "Trending",
        "Must Read",
        "Also read",
    ],
)
def test_link_list_heading_and_its_headlines_are_cut(heading):
    raw = (
        "Officials confirmed the plan on Tuesday after a long debate in parliament.\n"
        f"{heading}\n"
        "Markets slip as oil climbs\n"
        "Five things to know about the budget\n"
    )
    assert clean_text(raw).text == (
        "Officials confirmed the plan on Tuesday after a long debate in parliament."
    )


def test_link_list_stops_at_a_section_heading_of_the_article():
    raw = (
        "Officials confirmed the plan on Tuesday after a long debate in parliament.\n"
        "Related\n"
        "Markets slip as oil climbs\n"
        "What happens next\n"
        "The plan goes to the senate, which votes next month on the final text.\n"
    )
    assert clean_text(raw).text.splitlines() == [
        "Officials confirmed the plan on Tuesday after a long debate in parliament.",
        "What happens next",
        "The plan goes to the senate, which votes next month on the final text.",
    ]


def test_reference_list_is_cut():
    raw = (
        "The study was published on Friday and covers ten years of data.\n"
        "References\n"
        "1. Smith, J. (2021). Rivers and rain. Journal of Water, 4, 1-9.\n"
        "2. https://example.org/report.pdf\n"
    )
    assert clean_text(raw).text == "The study was published on Friday and covers ten years of data."


def test_glued_breadcrumbs_and_repeated_title():
    raw = "HomeWorldEuropeFarmers block roads in protest\n\nFarmers block roads in protest\n\nBody text."
    cleaned = clean_text(raw)
    assert cleaned.title_line == "Farmers block roads in protest"
    assert cleaned.text == "Body text."
    assert cleaned.debris_cut == 1


def test_glued_breadcrumbs_without_a_repeat_keep_the_title():
    cleaned = clean_text(
        "HomeScienceComet found in desert\nResearchers said on Monday that it was big."
    )
    assert cleaned.title_line == "Comet found in desert"
    assert cleaned.debris_cut == 1


def test_credits_set_source():
    raw = "Prices rose 3% in May, the agency said.\nAFP with additional reporting by Ana Ruiz"
    cleaned = clean_text(raw)
    assert cleaned.source == "AFP"
    assert cleaned.text == "Prices rose 3% in May, the agency said."
    assert clean_text("Prices rose.\nSource: The Daily Ledger").source == "The Daily Ledger"
    assert clean_text("Prices rose.\n(With inputs from Reuters)").source == "Reuters"


def test_byline_only_at_the_top():
    raw = "By Ana Ruiz and Tom Hale\nPrices rose 3% in May.\nBy Tuesday the rise had slowed."
    assert clean_text(raw).text.splitlines() == [
        "Prices rose 3% in May.",
        "By Tuesday the rise had slowed.",
    ]


def test_trailing_mark_glued_to_last_paragraph():
    cleaned = clean_text("First paragraph.\nWe expect more growth, if not more.###")
    assert cleaned.text.endswith("if not more.")


def test_whitespace_and_bullets_are_normalised():
    raw = "First\u00a0paragraph   here.  \n\n\n\n  • Joint R&D: shared labs\n\u200bSecond paragraph.\r\n"
    assert (
        clean_text(raw).text
        == "First paragraph here.\n\n- Joint R&D: shared labs\nSecond paragraph."
    )


def test_content_that_looks_a_little_like_debris_is_kept():
    raw = (
        "Sources said the talks would resume next week.\n"
        "Read the full statement below, the ministry said.\n"
        "Share prices fell 4% on the news.\n"
        "Key Points\n"
        "- Tariffs stay at 20% for now.\n"
        "Home sales fell for a third month, the survey showed.\n"
    )
    assert clean_text(raw).text == raw.strip()


def test_title_line_only_when_first_line_is_a_heading():
    assert clean_text("Long first paragraph that is a sentence.\nMore.").title_line is None
    assert clean_text("Tsunami aid deductible in the U.S.\n\nBody.").title_line == (
        "Tsunami aid deductible in the U.S."
    )
    assert split_title("Just a heading") == (None, "Just a heading")


def test_empty_and_all_debris():
    assert clean_text("").text == ""
    assert clean_text("Leave a comment\nShare this article\n###").text == ""
