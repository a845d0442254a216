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
                text="Leaders meet Thursday",
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
    assert [c.text for c in grounded.claims] == ["Leaders meet Thursday"]
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
    "Analysts expect the leaders to sign the deal in Busan."
)


def _numbered_notes(claims):
    from briefgen.engines.llm_schema import ChunkNotesAnswer, to_notes

    article = Article(id="s", title="t", text=STORY, path="s.txt")
    chunk = Chunk(article_id="s", index=0, start=0, end=len(STORY), text=STORY, tokens=60)
    answer = ChunkNotesAnswer.model_validate(
        {"claims": claims, "quotes": [], "figures": [], "events": [], "entities": []}
    )
    return ground_notes(to_notes(answer, chunk, article), article, chunk)


def test_a_sentence_number_is_the_evidence_exactly():
    claim = {"sentences": [3], "text": "The port fees are paused for one year.", "kind": "fact"}
    (grounded, stats) = _numbered_notes([claim])
    assert stats.kept == 1
    kept = grounded.claims[0]
    assert kept.evidence == "They agreed to pause the new port fees for one year."
    assert STORY[kept.span.start : kept.span.end] == kept.evidence
    assert kept.span.alignment == "exact"


def test_a_number_off_by_one_moves_to_the_sentence_that_holds_the_claim():
    claim = {
        "sentences": [3],
        "text": "China would buy 12 million tonnes of soybeans.",
        "kind": "fact",
    }
    (grounded, stats) = _numbered_notes([claim])
    assert stats.kept == 1
    assert grounded.claims[0].evidence.startswith("China said it would buy 12 million")
    assert grounded.claims[0].span.alignment == "fuzzy"


def test_a_claim_no_cited_or_nearby_sentence_holds_is_dropped():
    claims = [
        # names a sentence that does not exist
        {"sentences": [9], "text": "They agreed to pause the new port fees.", "kind": "fact"},
        # the figure is not what the sentence says
        {"sentences": [4], "text": "China will buy 20 million tonnes of soybeans.", "kind": "fact"},
        # a claim about something else entirely, however plainly worded
        {
            "sentences": [2],
            "text": "Football fans celebrated the cup final victory.",
            "kind": "fact",
        },
    ]
    (grounded, stats) = _numbered_notes(claims)
    assert grounded.claims == [] and stats.dropped == 3


def test_running_sentences_make_one_span_and_scattered_ones_keep_the_first():
    (grounded, _) = _numbered_notes(
        [
            {"sentences": [2, 3], "text": "Negotiators met in Kuala Lumpur and agreed to pause the port fees.", "kind": "fact"},
            {"sentences": [2, 5], "text": "Negotiators from both countries met in Kuala Lumpur.", "kind": "fact"},
        ]
    )  # fmt: skip
    joined, first = grounded.claims
    assert joined.evidence.startswith("Negotiators") and joined.evidence.endswith("one year.")
    assert first.evidence == "Negotiators from both countries met in Kuala Lumpur on Sunday."
