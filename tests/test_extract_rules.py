"""The extractive engine's rules: claim kinds, quotes and speakers, figures, events, headings skipped."""

from __future__ import annotations

import pytest

from briefgen import extract_rules as rules
from briefgen.chunking import chunk_article
from briefgen.engines.extractive import (
    ExtractiveEngine,
    headline,
    headline_from,
    presentable,
    select_diverse,
)
from briefgen.schema import Article, Finding


def test_claim_kinds():
    assert rules.claim_kind("We believe the most likely outcome is a deal.") == "opinion"
    assert rules.claim_kind("The tariffs will be lifted next month.") == "forecast"
    assert rules.claim_kind("The move signals a shift in policy.") == "analysis"
    assert rules.claim_kind("Officials met in Geneva on Monday.") == "fact"


def _quotes(text: str):
    """Quotes opening in the last sentence of `text` (earlier sentences are its context)."""
    start = text.rfind("\n") + 1
    return rules.find_quotes(text, "a", start, len(text))


def test_speakers_before_after_and_by_pronoun():
    [q] = _quotes("“We’ve reached a very substantial framework,” Bessent said.")
    assert (q.text, q.speaker) == ("We’ve reached a very substantial framework", "Bessent")
    [q] = _quotes("“This is a huge expansion of jurisdiction,” said Cory Combs, an expert.")
    assert q.speaker == "Cory Combs"
    # "He says" is the person the article named before it (speakers.speaker_of).
    [q] = _quotes(
        "A columnist using the pseudonym Little Flute wrote on Monday.\n"
        "He says, “The iron curtain of competition still hangs low.”"
    )
    assert q.speaker == "Little Flute"
    # A role with no name: the role as the article wrote it, never "an unnamed source".
    [q] = _quotes(
        "Tariffs are war, a person familiar with the talks said.\n"
        "“There isn’t an easy fix, like another pause,” the person added."
    )
    assert q.speaker == "a person"


def test_scare_quotes_are_not_quotes():
    assert _quotes("The so-called “Liberation Day” tariffs were announced in April.") == []


def test_figures_with_units_and_numbers():
    s = "Trade worth $660 billion a year, a 100% tariff, and 133,000 tons of ore."
    figs = rules.find_figures(s, "a", 0, len(s))
    got = {(f.value, f.unit, f.number) for f in figs}
    assert ("$660 billion", "USD", 660e9) in got
    assert ("100%", "percent", 100.0) in got
    assert ("133,000 tons", "tons", 133000.0) in got


def test_event_status_is_judged_near_the_date():
    s = "Leaders are set to meet this Thursday, October 30, after the August 1 deadline passed."
    event = rules.find_event(s, "a", 0, len(s))
    assert event.status == "scheduled"
    assert event.date_text.startswith("this Thursday")


def test_an_event_is_dated_by_a_date_whose_own_clause_looks_forward():
    # The Thursday is when the rise was made; what is to come is dated "next month".
    s = "Homeowners will pay more from next month after the bank raised rates on Thursday."
    assert rules.find_event(s, "a", 0, len(s)).date_text == "next month"
    s = "The bank, which raised rates on Monday, said it would decide again on Thursday."
    assert rules.find_event(s, "a", 0, len(s)).date_text == "Thursday"


def test_a_named_event_is_dated_by_its_year_not_by_its_name():
    # "Summer" in "Summer Olympic Games" is part of a name; the date is 2012 (MultiLing M009).
    s = "The next Summer Olympic Games will be held in London in 2012."
    event = rules.find_event(s, "a", 0, len(s))
    assert event.date_text == "2012"
    assert event.status == "scheduled"
    s = "Talks on the treaty will resume next summer in Geneva."
    assert rules.find_event(s, "a", 0, len(s)).date_text == "next summer"


def test_a_date_after_since_is_not_an_event():
    # MultiLing M008: a comparison with the past, not something to watch.
    s = "If no survivors are found, then this would be the worst aviation disaster since the November 2001 American Airlines Flight 587 crash."
    assert rules.find_event(s, "a", 0, len(s)) is None


def test_a_date_in_the_attribution_of_a_quote_is_not_an_event():
    # MultiLing M005: the date says when the paper reported, not when something will happen.
    s = (
        '"Many people would be going to take a vacation; and that is what happened," reported '
        "El Rancagüino, the most important newspaper in the region, on February 28."
    )
    assert rules.find_event(s, "a", 0, len(s)) is None
    s = "The newspaper reported that the bridge will reopen on February 28."
    assert rules.find_event(s, "a", 0, len(s)).date_text == "February 28"


def test_headings_are_not_claims_and_every_note_is_grounded():
    text = "Rare earth controls ramped up\nChina tightened controls on exports of rare earths in October, officials said."
    article = Article(id="a", title="t", text=text, path="a.txt")
    [chunk] = chunk_article(article)
    notes = ExtractiveEngine().extract(chunk, article)
    assert [c.text for c in notes.claims] == [
        "China tightened controls on exports of rare earths in October, officials said."
    ]
    for item in [*notes.claims, *notes.quotes, *notes.figures, *notes.events]:
        assert text[item.span.start : item.span.end] == item.evidence


def test_presentable_points_stand_alone():
    assert presentable(
        "China agreed to delay its rare earth export controls by one year, officials said."
    )
    assert not presentable("He added that it was a good deal for both of the two sides.")
    assert not presentable(
        "A few days later, Beijing softened its stance on the rare earth export controls."
    )
    assert not presentable("What happens next?")
    assert not presentable("Too short to say much.")


def _finding(n: int, text: str) -> Finding:
    return Finding(id=n, text=text, kind="fact", article_ids=[f"a{n}"], evidence=[], score=10 - n)


def test_points_sharing_only_the_story_name_are_both_kept():
    # Two different pieces of news about one story: they share "Abu Ghraib prison abuse" and
    # little else (cosine 0.32). A brief that kept only one would lose a development.
    photos = "An Australian TV station has shown new photos allegedly showing more of the prisoner abuse in the Abu Ghraib prison."
    verdicts = "A total of nine other American soldiers were found guilty in allegations stemming from the Abu Ghraib prison abuse scandal."
    chosen = select_diverse([_finding(1, photos), _finding(2, verdicts)], 5)
    assert [f.text for f in chosen] == [photos, verdicts]


def test_a_reworded_repeat_is_left_out():
    first = "China agreed to delay its rare earth export controls by one year, officials said on Sunday."
    again = "Officials said on Sunday that China agreed to delay rare earth export controls for one year."
    other = "Soybean purchases by Chinese state buyers resumed after a pause of several months."
    chosen = select_diverse([_finding(1, first), _finding(2, again), _finding(3, other)], 5)
    assert [f.text for f in chosen] == [first, other]


@pytest.mark.parametrize(
    "sentence, kind",
    [
        ("Tensions rose after the government announced plans to tighten controls.", "fact"),
        ("Sales rose more than expected in the third quarter of the year.", "fact"),
        ("The firm plans to open a plant in Ohio next year.", "forecast"),
        ("Officials are expected to meet again in the spring.", "forecast"),
    ],
)
def test_a_plan_named_is_not_a_forecast_made(sentence, kind):
    assert rules.claim_kind(sentence) == kind


def test_the_headline_is_the_real_headline_that_names_the_story():
    core = "Beijing will delay its rare earth export controls by one year, officials said."
    side = "A columnist in Fujian wrote that the rules also hurt Russian buyers of magnets."
    findings = [
        Finding(id=1, text=core, kind="fact", article_ids=["a", "b"], evidence=[], score=9),
        Finding(id=2, text=side, kind="fact", article_ids=["c"], evidence=[], score=3),
    ]
    articles = [
        Article(id="c", title="Magnet buyers in Russia feel the pinch", text=side, path="c.txt"),
        Article(id="a", title="China to delay rare earth export controls", text=core, path="a.txt"),
        # A "title" that is only the article's opening words is not a headline.
        Article(id="b", title="Beijing will delay its rare earth export", text=core, path="b.txt"),
    ]
    assert headline(articles, findings) == "China to delay rare earth export controls"


def test_without_headlines_a_short_whole_sentence_is_the_headline():
    long = (
        "Aircraft and water vessels from the French, American and Brazilian military were "
        "searching the Atlantic on Monday after an Air France passenger jet with 228 people "
        "on board disappeared over the ocean."
    )
    short = "The Brazilian Air Force has located wreckage of the missing Air France flight."
    findings = [_finding(1, long), _finding(2, short)]
    assert headline_from(findings) == short.rstrip(".")
    # With no short sentence, the first clause that says something, the list kept whole.
    assert headline_from(findings[:1]) == (
        "Aircraft and water vessels from the French, American and Brazilian military were "
        "searching the…"
    )


def test_a_dateline_is_left_out_of_a_claim_wherever_its_sentence_starts():
    from briefgen.extract_rules import make_claim

    text = "Talks resume.\n\nBEIJING (Reuters) - China said on Friday it would delay the rules."
    start = text.index("BEIJING")
    claim = make_claim(text, "a1", start, len(text))
    assert claim.text == "China said on Friday it would delay the rules."
    assert text[claim.span.start : claim.span.end] == claim.evidence  # still verbatim
    first = make_claim("TEXAS, US – Rain fell all day on Monday.", "a2", 0, 39)
    assert first.text.startswith("Rain fell")
