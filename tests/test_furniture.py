"""Page furniture cut at ingest (briefgen.furniture via clean_text), and sentences that are
never chosen: cut off, or without a main verb (briefgen.sentence_quality)."""

from __future__ import annotations

import pytest

from briefgen.clean import clean_text
from briefgen.engines.extractive import presentable
from briefgen.furniture import furniture_line, page_note, unglue
from briefgen.sentence_quality import (
    choosable,
    cut_off,
    has_finite_verb,
    leans_on_context,
    why_not_choosable,
)

STORY = "The two delegations agreed on Sunday to extend the tariff truce by another year."
MORE = "Officials from both sides said the text would be signed at the summit next week."


def _cleaned_lines(*lines: str) -> list[str]:
    return [line for line in clean_text("\n\n".join(lines)).text.splitlines() if line]


# ---------------------------------------------------------------- whole lines of furniture


@pytest.mark.parametrize(
    "notice",
    [
        # continuation notices
        "Story continued below",
        "Article continues after advertisement",
        "(Continued on page 4)",
        "Continue reading the main story",
        # crawl and script notices
        "This page was crawled on 12 March 2024 and may be out of date.",
        "Please enable JavaScript to view the comments powered by Disqus.",
        "JavaScript is disabled in your browser.",
        "Your browser does not support the video tag.",
        "To continue, please disable your ad blocker.",
        # lone labels
        "Summary:",
        "KEY TAKEAWAYS:",
        "Editor's note —",
        # calls to action
        "To read the full story, click here.",
        "Sign up for our daily newsletter",
        "Subscribe now to keep reading.",
    ],
)
def test_a_line_of_furniture_is_cut_and_the_story_kept(notice):
    assert furniture_line(notice)
    assert _cleaned_lines(STORY, notice, MORE) == [STORY, MORE]


def test_the_cut_is_counted_as_debris():
    before = clean_text(f"{STORY}\n\n{MORE}").debris_cut
    after = clean_text(f"{STORY}\n\nStory continued below\n\n{MORE}").debris_cut
    assert after == before + 1


@pytest.mark.parametrize(
    "news",
    [
        "Wu said:",  # introduces a quotation: not a label
        "He continued to argue that the deal was fair to both sides.",
        "Continued talks are expected next week, officials said.",
        "The ministry said the document was retrieved from a server in Geneva.",
        "Readers who click here and there on the site see more advertising, the study found.",
        "Key Points",  # a heading over the article's own list, without a label's colon
    ],
)
def test_news_that_shares_words_with_furniture_is_kept(news):
    assert not furniture_line(news)
    assert news in _cleaned_lines(STORY, news, MORE)


@pytest.mark.parametrize(
    "byline",
    ["By Jane Doe, Reuters", "By JANE DOE and JOHN ROE", "By Li Wei | Bloomberg"],
)
def test_a_byline_near_the_top_is_cut(byline):
    assert _cleaned_lines(byline, STORY, MORE) == [STORY, MORE]


# ---------------------------------------------------------------- notes about the page

PAGE_NOTES = [
    "This material may not be published, broadcast, rewritten or redistributed.",
    "© 2025 Example Media Group. All rights reserved.",
    "This story has been updated with additional information.",
    "Correction: An earlier version of this story misstated the date of the meeting.",
    "An earlier version of this article gave the wrong figure for soybean purchases.",
    "This article was originally published on The Conversation.",
    "This article is republished from The Conversation under a Creative Commons license.",
    "You have reached your limit of free articles.",
    "Already a subscriber? Sign in.",
    "What do you think? Let us know in the comments.",
    "Comments are closed.",
    "Disclaimer: This article is for informational purposes only.",
    "Follow her on X at @janedoe.",
    "Jane Doe covers trade and the economy for Example News.",
]


@pytest.mark.parametrize("note", PAGE_NOTES)
def test_a_note_about_the_page_is_cut_as_a_line_and_never_chosen_as_a_sentence(note):
    assert page_note(note)
    assert _cleaned_lines(STORY, note, MORE) == [STORY, MORE]
    assert why_not_choosable(note) is not None
    # Inside a paragraph, where ingest keeps the line: still never a point.
    assert not choosable(note)


@pytest.mark.parametrize(
    "news",
    [
        "The court ruled that the names of the defendants may not be published.",
        "The newspaper published a correction on Monday, saying its earlier report was wrong.",
        "The article was first published in Nature in 2019 and retracted last week.",
        "Officials said the story of the talks has been updated many times by the state media.",
        "Reporters who cover the ministry for foreign outlets were barred from the briefing.",
        "Comments by the minister on Friday angered the delegation from Beijing.",
        "Both governments said all rights under the earlier treaty were preserved.",
    ],
)
def test_news_about_corrections_publishing_or_reporters_is_not_a_page_note(news):
    assert not page_note(news)
    assert choosable(news)
    assert news in _cleaned_lines(STORY, news, MORE)


# ---------------------------------------------------------------- glued to a sentence


@pytest.mark.parametrize(
    "glued",
    [
        f"Summary: {STORY}",
        f"ANALYSIS | {STORY}",
        f"(Photo: Reuters) {STORY}",
        f"[Image: delegates at the table] {STORY}",
        f"Photo: Reuters/File {STORY}",
        f"AP Photo/Mark Schiefelbein {STORY}",
        f"Getty Images {STORY}",
        f"Kevin Dietsch/Getty Images {STORY}",
        f"{STORY} (Photo: AP)",
        f"{STORY} (AP Photo/Evan Vucci)",
        f"{STORY} Read more »",
        f"Summary: (Photo: Reuters) {STORY}",
    ],
)
def test_furniture_glued_to_a_first_sentence_goes_and_the_sentence_stays(glued):
    assert unglue(glued) == STORY
    lines = _cleaned_lines(glued, MORE)
    assert lines == [STORY, MORE]


@pytest.mark.parametrize(
    "line",
    [
        "Getty Images said on Monday it would sell its photo archive to a rival.",
        "Reuters reported on Friday that the talks would resume in Geneva.",
        "Analysis shows the tariff cut helps exporters more than importers.",
        "Photo agencies said their staff had been barred from the summit venue.",
        "Analysis: Rare Earths as Leverage",  # a heading keeps its label: it is never a point
    ],
)
def test_a_sentence_that_merely_starts_with_such_a_word_is_left_whole(line):
    assert unglue(line) == line


def test_what_is_left_after_ungluing_is_verbatim_text_of_the_line():
    line = f"AP Photo/Mark Schiefelbein {STORY} (Photo: AP)"
    bare = unglue(line)
    assert bare in line and bare == STORY


# ---------------------------------------------------------------- never chosen


@pytest.mark.parametrize(
    "sentence",
    [
        "The company, which has supplied the navy for decades, is a reliable",  # feed cut-off
        "Both sides have agreed to pause the measures for one year, while",
        "The minister said the talks were going well and that the next round...",
        "The envoy said the deal was close to done…",
    ],
)
def test_a_sentence_cut_off_is_never_chosen(sentence):
    assert cut_off(sentence)
    assert why_not_choosable(sentence).startswith("cut off")
    assert not presentable(sentence)


@pytest.mark.parametrize(
    "sentence",
    [
        "The talks ended on Sunday, officials said.",
        "“We have reached a framework,” he said.",
        "The deal was signed (on Sunday).",
        "Would the truce hold? Nobody could say for sure!",
    ],
)
def test_a_sentence_that_ends_like_one_is_not_cut_off(sentence):
    assert not cut_off(sentence)


@pytest.mark.parametrize(
    "fragment",
    [
        "President Xi Jinping and President Donald Trump at the summit in Busan on Thursday.",
        "Protesters outside the venue of the summit in Busan on a cold Thursday morning.",
        "Mohammed Khan, 30, born in Leeds, from a family of shopkeepers in the city.",
        "The Frenchmen bringing more than a little charm and swagger to the proceedings.",
    ],
)
def test_a_caption_or_fragment_without_a_main_verb_is_never_chosen(fragment):
    assert not has_finite_verb(fragment)
    assert why_not_choosable(fragment).startswith("no main verb")
    assert not presentable(fragment)


@pytest.mark.parametrize(
    "sentence",
    [
        "China dominates global production of the metals used in magnets.",
        "The two sides agreed to pause the export controls for a year.",
        "Officials say the framework could be announced at the summit next week.",
        "They expect a final text within days of the meeting in Busan.",
        "The summit will open in Busan on Thursday with a closed session.",
        "Beijing took the decision after two days of talks in Kuala Lumpur.",
        "It's the first meeting between the two leaders since the summit in Osaka.",
        "Sidique Khan and Tanweer meet Lindsay at Luton Station at 8:10 a.m.",
    ],
)
def test_a_sentence_with_a_finite_verb_is_choosable(sentence):
    assert has_finite_verb(sentence)
    assert choosable(sentence)
    assert why_not_choosable(sentence) is None


@pytest.mark.parametrize(
    "sentence, leans",
    [
        ("He said a report on the cause is due by 20 March.", True),
        ("This is the first meeting since the summit in Osaka.", True),
        ("That year the company failed to pay its debts.", True),
        ("These talks failed after two days in Geneva.", True),
        ("The deal between the two ports was signed on Friday in Geneva.", False),
        ("There were no reports of injuries after the ferry sank.", False),
    ],
)
def test_a_sentence_that_opens_on_what_one_before_it_told_leans_on_it(sentence, leans):
    assert leans_on_context(sentence) is leans
