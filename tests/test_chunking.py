"""Chunks keep exact offsets into the cleaned article, cover it in order, and respect the budget."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.chunking import chunk_article, chunk_spans
from briefgen.schema import Article
from briefgen.text import estimate_tokens

_pieces = st.sampled_from(
    [
        "The U.S. said so. ",
        "Mr. Smith left! ",
        "Why now? ",
        "\n\n",
        "\n",
        "  ",
        "“Quoted,” he said. ",
        "word ",
        "supercalifragilistic ",
        "$3.5 billion ",
        "e.g. this ",
        "…",
        "- bullet item\n",
        "Ünïcödé täxt. ",
    ]
)
_texts = st.one_of(st.text(max_size=2000), st.lists(_pieces, max_size=300).map("".join))


def _article(text: str) -> Article:
    return Article(id="a1", title="t", text=text, path="x.txt")


@settings(max_examples=300, deadline=None)
@given(text=_texts, max_tokens=st.integers(min_value=1, max_value=200))
def test_offsets_cover_text_in_order_without_overlap(text, max_tokens):
    chunks = chunk_article(_article(text), max_tokens)
    last_end = 0
    for i, c in enumerate(chunks):
        assert c.index == i
        assert text[c.start : c.end] == c.text
        assert c.start >= last_end
        # Only spacing may fall between chunks.
        assert text[last_end : c.start].strip() == ""
        last_end = c.end
    assert text[last_end:].strip() == ""
    covered = "".join(c.text for c in chunks)
    assert re.sub(r"\s", "", covered) == re.sub(r"\s", "", text)


@settings(max_examples=200, deadline=None)
@given(text=_texts, max_tokens=st.integers(min_value=5, max_value=200))
def test_every_chunk_fits_the_budget(text, max_tokens):
    for start, end in chunk_spans(text, max_tokens):
        assert estimate_tokens(text[start:end]) <= max_tokens


def test_chunks_end_at_sentence_boundaries():
    sentences = [f"Sentence number {i} says something about trade and tariffs." for i in range(60)]
    text = " ".join(sentences)
    chunks = chunk_article(_article(text), 60)
    assert len(chunks) > 1
    for c in chunks:
        assert c.text.endswith(".")
        assert c.text.startswith("Sentence number")


def test_paragraph_breaks_preferred_when_chunk_half_full():
    para = "This is one sentence of a paragraph about the talks. " * 4
    text = (para.strip() + "\n\n") * 6
    chunks = chunk_article(_article(text), 100)
    for c in chunks:
        # Each chunk holds whole paragraphs: it starts where a paragraph starts.
        assert c.start == 0 or text[c.start - 2 : c.start] == "\n\n"


def test_empty_text_has_no_chunks():
    assert chunk_article(_article("   \n\n  "), 50) == []
