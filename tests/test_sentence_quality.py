"""Whether a sentence can stand alone: numbers as determiners (sentence_quality), dummy
subjects and measures that look like quotation marks (extractive.presentable)."""

from __future__ import annotations

import pytest

from briefgen.engines.extractive import presentable
from briefgen.sentence_quality import has_finite_verb, why_not_choosable


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
