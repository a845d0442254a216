"""Grounding: evidence aligns exactly, then ignoring case and spacing, then fuzzily; else it is dropped."""

from __future__ import annotations

from briefgen.ground import align, ground_notes, quote_is_verbatim
from briefgen.schema import Article, Chunk, ChunkNotes, Claim, Quote

TEXT = "Intro line.\nThe two leaders will meet on Thursday in Busan.  Officials said “the deal is close,” adding more."


def _setup():
    article = Article(id="a", title="t", text=TEXT, path="a.txt")
    chunk = Chunk(article_id="a", index=0, start=0, end=len(TEXT), text=TEXT, tokens=30)
    return article, chunk


def test_exact_alignment_gives_offsets_into_the_article():
    article, chunk = _setup()
    span = align("will meet on Thursday in Busan", article, chunk)
    assert span.alignment == "exact"
    assert TEXT[span.start : span.end] == "will meet on Thursday in Busan"


def test_case_and_spacing_are_ignored_second():
    article, chunk = _setup()
    span = align("the TWO leaders   will meet\non thursday", article, chunk)
    assert span.alignment == "normalized"
    assert TEXT[span.start : span.end] == "The two leaders will meet on Thursday"


def test_fuzzy_alignment_above_threshold_only():
    article, chunk = _setup()
    span = align("The two leaders will meet on Thursdy in Busan.", article, chunk)
    assert span is not None and span.alignment == "fuzzy"
    assert (
        align("Completely different words about football and weather today.", article, chunk)
        is None
    )


def test_unaligned_notes_and_made_up_quotes_are_dropped_and_counted():
    article, chunk = _setup()
    notes = ChunkNotes(
        article_id="a",
        chunk_index=0,
        claims=[
            Claim(
                text="The two leaders meet on Thursday",
                kind="fact",
                evidence="The two leaders will meet on Thursday in Busan.",
            ),
            Claim(
                text="Made up",
                kind="fact",
                evidence="The summit was cancelled because of a storm over the sea.",
            ),
        ],
        quotes=[
            Quote(
                text="the deal is close",
                speaker="Officials",
                evidence="Officials said “the deal is close,” adding more.",
            ),
            Quote(
                text="the deal is done",
                speaker="Officials",
                evidence="Officials said “the deal is close,” adding more.",
            ),
        ],
    )
    grounded, stats = ground_notes(notes, article, chunk)
    assert [c.text for c in grounded.claims] == ["The two leaders meet on Thursday"]
    assert [q.text for q in grounded.quotes] == ["the deal is close"]
    assert stats.kept == 2 and stats.dropped == 2
    for c in grounded.claims:
        assert TEXT[c.span.start : c.span.end] == c.evidence


def test_quote_verbatim_allows_curly_quotes_and_spacing_only():
    assert quote_is_verbatim("we agreed ,", "He said “we  agreed,” today")
    assert not quote_is_verbatim("we disagreed", "He said “we agreed,” today")


def test_a_claim_that_quotes_or_counts_beyond_its_evidence_is_dropped():
    article, chunk = _setup()
    evidence = "Officials said “the deal is close,” adding more."
    notes = ChunkNotes(
        article_id="a",
        chunk_index=0,
        claims=[
            Claim(text="Officials said “the deal is close”.", kind="fact", evidence=evidence),
            Claim(
                text="Officials said “we have surrendered on tariffs”.",
                kind="fact",
                evidence=evidence,
            ),
            Claim(text="Officials said the deal is 90% close.", kind="fact", evidence=evidence),
        ],
    )
    grounded, stats = ground_notes(notes, article, chunk)
    assert [c.text for c in grounded.claims] == ["Officials said “the deal is close”."]
    assert stats.dropped == 2


# ---------------------------------------------------------------- evidence by sentence number

STORY = (
    "Trade talks resume\n"
    "Negotiators from both countries met in Kuala Lumpur on Sunday. "
    "They agreed to pause the new port fees for one year. "
    "China said it would buy 12 million tonnes of soybeans. "
    "Analysts expect the leaders to sign the deal in Busan. "
    "“We will keep our word,” Chinese Commerce Minister Wang Wentao said."
)


def _numbered_notes(claims=(), quotes=(), figures=()):
    from briefgen.engines.llm_schema import ChunkNotesAnswer, notes_answer, to_notes

    article = Article(id="s", title="t", text=STORY, path="s.txt")
    chunk = Chunk(article_id="s", index=0, start=0, end=len(STORY), text=STORY, tokens=60)
    answer = ChunkNotesAnswer.model_validate(
        notes_answer(claims=claims, quotes=quotes, figures=figures)
    )
    return ground_notes(to_notes(answer, chunk, article), article, chunk)


def test_a_claim_is_its_numbered_sentence_word_for_word():
    (grounded, stats) = _numbered_notes([(3, "fact")])
    assert stats.kept == 1
    kept = grounded.claims[0]
    assert kept.text == kept.evidence == "They agreed to pause the new port fees for one year."
    assert STORY[kept.span.start : kept.span.end] == kept.evidence
    assert kept.span.alignment == "exact"


def test_a_number_outside_the_passage_or_on_a_heading_is_dropped():
    claims = [(9, "fact"), (1, "fact")]
    (grounded, stats) = _numbered_notes(claims)
    assert grounded.claims == [] and stats.dropped == 2


def test_a_quote_is_the_quotation_its_sentence_holds_said_by_the_speaker_of_record():
    quotes = [
        (6, "Donald Trump"),  # Wang said it, and the text says so
        (3, "Wang Wentao"),  # a sentence with no quotation in it
    ]
    (grounded, stats) = _numbered_notes(quotes=quotes)
    assert stats.kept == 1 and stats.dropped == 1 and stats.speakers_corrected == 1
    (quote,) = grounded.quotes
    assert quote.text.startswith("We will keep our word") and quote.speaker == "Wang Wentao"


def test_a_figure_whose_number_is_off_by_one_moves_to_the_sentence_that_holds_it():
    figures = [{"sentence": 3, "value": "12 million tonnes", "about": "soybean purchases"}]
    (grounded, stats) = _numbered_notes(figures=figures)
    assert stats.kept == 1
    assert grounded.figures[0].evidence.startswith("China said it would buy 12 million")
    assert grounded.figures[0].span.alignment == "fuzzy"
    # A figure no sentence near its number gives is dropped.
    wrong = [{"sentence": 4, "value": "20 million tonnes", "about": "soybean purchases"}]
    assert _numbered_notes(figures=wrong)[0].figures == []


def test_an_event_dated_in_the_models_own_words_takes_the_date_its_sentence_gives():
    from briefgen.engines.llm_schema import ChunkNotesAnswer, notes_answer, to_notes

    text = "Trump and Xi will meet this Thursday, October 30, in Busan. Talks went well."
    article = Article(id="e", title="t", text=text, path="e.txt")
    chunk = Chunk(article_id="e", index=0, start=0, end=len(text), text=text, tokens=20)
    event = {"sentence": 1, "description": "Trump-Xi meeting", "status": "scheduled"}
    answer = notes_answer(events=[
        {**event, "date_text": "October 30, 2021"},  # the model's own form: the text's is used
        {**event, "sentence": 2, "date_text": "October 30, 2021"},  # no date there: dropped
    ])  # fmt: skip
    grounded, stats = ground_notes(
        to_notes(ChunkNotesAnswer.model_validate(answer), chunk, article), article, chunk
    )
    assert [e.date_text for e in grounded.events] == ["this Thursday, October 30"]
    assert stats.dropped == 1


def test_a_fold_that_changes_a_characters_length_still_finds_the_right_offsets():
    """ "İ" lowers to two characters ("i" and a combining dot): offsets after it must still
    point into the article, not past its end."""
    from briefgen.ground import find_folded

    text = "İstanbul talks: the two sides will meet on Thursday."
    needle = "will meet on thursday"
    at = find_folded(needle, text, 0, len(text), str.lower)
    assert at is not None and text[at[0] : at[1]].lower() == needle
    ends = find_folded("thursday.", text, 0, len(text), str.lower)
    assert ends == (text.index("Thursday"), len(text))
