"""Whether a sentence can stand alone: numbers as determiners (sentence_quality), dummy
subjects and measures that look like quotation marks (extractive.presentable)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.engines.extractive import presentable
from briefgen.sentence_quality import (
    dated_caption,
    has_finite_verb,
    leans_on_context,
    why_not_choosable,
)


@pytest.mark.parametrize(
    "caption",
    [
        # A caption kept as its own paragraph above an article's first sentence (MultiLing).
        "Ambulances at Russell Square, London after the July 7, 2005 bombings.",
        "Rescuers at the scene of the March 11, 2004 attacks in Madrid.",
        "Survivors outside a shelter in Aceh after the December 26, 2004 floods.",
    ],
)
def test_a_dated_caption_has_no_main_verb(caption):
    # The word after a number is what it counts ("2005 bombings"), not a verb in "-s".
    assert not has_finite_verb(caption)
    assert why_not_choosable(caption).startswith("no main verb")


@pytest.mark.parametrize(
    "sentence",
    [
        # A number after a name is part of the name: the word after it can be the verb.
        "Section 232 allows the president to impose tariffs on imports.",
        "Resolution 1723 calls for an end to the fighting in the region.",
        "Flight 447 vanishes from the radar screens over the Atlantic.",
        # A number before its noun leaves the sentence's own verb a verb.
        "In 2005 prices rose by three percent across the region.",
        "The 15 sailors were released on Thursday after 13 days.",
        "Since 2010 China dominates the world's supply of rare earths.",
    ],
)
def test_a_sentence_with_numbers_keeps_its_verb(sentence):
    assert has_finite_verb(sentence)
    assert why_not_choosable(sentence) is None


@pytest.mark.parametrize(
    "sentence",
    [
        "There were no reports of damage, injuries, or deaths after the tremor on Sunday.",
        "There is no sign that the two sides will meet again before the deadline.",
        "It is alleged that senior defence officials knew of the abuse at the prison.",
        "It is unclear whether the two leaders will meet at the summit next week.",
    ],
)
def test_a_dummy_subject_does_not_lean_on_a_sentence_before(sentence):
    assert presentable(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        # "it" and "there" that refer to something the reader was not shown.
        "It began last Thursday and will end today with a closing ceremony.",
        "There, he met the prime minister and the two discussed the trade deal.",
        "It is expected to make landfall on Friday near the coast of Florida.",
        # What follows a dummy subject may still lean: who is "he"?
        "It was reported that he had left the country before the warrant was issued.",
        "There was such a deal on the table before the talks collapsed last year.",
    ],
)
def test_a_referring_it_or_there_still_leans(sentence):
    assert not presentable(sentence)


def test_a_measure_after_a_prime_is_not_a_quotation_mark():
    # A stage won "in 5h 34' 28"": the seconds' mark is not an unclosed quotation.
    stage = (
        "Alexandre Vinokourov of Kazakhstan has won stage 15 of the 2007 Tour de France "
        "in a time of 5h 34' 28\"."
    )
    assert presentable(stage)
    # A quotation left open is still a fragment of a longer quote.
    assert not presentable('The official said "the deal is done and will be signed on Sunday.')
    assert not presentable('He ran 100m in 9.58 seconds, "the fastest ever run by a man.')


WRITTEN = dt.date(2010, 5, 6)


@pytest.mark.parametrize(
    "sentence, caption",
    [
        # A past moment told in the present: a photo's caption.
        (
            "Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport on March 28, 2007.",
            True,
        ),
        ("President Lula speaks to reporters in Brasilia on June 2, 2009.", True),
        # The present looking ahead, or news prose with its tense marked: no caption.
        ("The new search of the ocean floor begins on July 1, 2010.", False),
        ("Airbus said on June 2, 2009 that the jet had sent automatic messages.", False),
        ("The plane went into service on 18 April 2005 and has flown 18,870 hours.", False),
        (
            "A court has been shown footage of the bombers that attacked London on July 7, 2005.",
            False,
        ),
        ("Air France says the plane was lost on June 1, 2009.", False),
        # No full date, or none before the article's own.
        ("Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport.", False),
        ("Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport in 2007.", False),
    ],
)
def test_a_photo_caption_tells_a_past_date_in_the_present(sentence, caption):
    assert dated_caption(sentence, WRITTEN) is caption
    assert not dated_caption(sentence, None)  # without the article's date, never


def test_a_caption_gives_the_engine_nothing_to_note():
    from briefgen.chunking import chunk_article
    from briefgen.engines.extractive import ExtractiveEngine
    from briefgen.schema import Article

    caption = (
        "Air France A330-200 F-GZCP lands at Paris-Charles de Gaulle Airport on March 28, 2007."
    )
    lede = "Investigators have found the flight recorders of the Air France jet in the Atlantic."
    article = Article(id="a", title="t", text=f"{caption} {lede}", path="a.txt", published=WRITTEN)
    engine = ExtractiveEngine()
    claims = [
        c.text for chunk in chunk_article(article) for c in engine.extract(chunk, article).claims
    ]
    assert claims == [lede]


@pytest.mark.parametrize(
    "sentence, leans",
    [
        # Who "she" is was told in a sentence the reader is not shown.
        ('"This is the third rise in a row and families have no slack left," she said.', True),
        ("“We are close to the limit,” said he.", True),
        ('"Prices will keep rising," they warned on Friday.', True),
        # A quotation with its speaker named stands alone.
        ('"This is the third rise in a row," said Ida Holm of the consumers\' association.', False),
        ('"This is the third rise in a row," Holm said.', False),
    ],
)
def test_a_quotation_whose_speaker_is_a_pronoun_leans_on_context(sentence, leans):
    assert leans_on_context(sentence) is leans
