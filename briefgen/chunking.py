"""Cut a cleaned article into chunks of whole sentences, each keeping its character offsets.

A chunk is what one model call reads, so it is bounded by a token estimate (no tokenizer
download: see text.estimate_tokens). Chunks break at paragraph ends when they can and at
sentence ends otherwise; only a single sentence longer than the budget is cut inside, at a
word boundary. Every chunk satisfies `article.text[chunk.start:chunk.end] == chunk.text`, and
the chunks of an article cover every non-space character of it, in order, without overlap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefgen.schema import Article, Chunk
from briefgen.text import estimate_tokens, sentence_spans

DEFAULT_MAX_TOKENS = 450

_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def chunk_article(article: Article, max_tokens: int = DEFAULT_MAX_TOKENS) -> list[Chunk]:
    """Chunks of `article`, in order, numbered from 0."""
    return [
        Chunk(
            article_id=article.id,
            index=i,
            start=start,
            end=end,
            text=article.text[start:end],
            tokens=estimate_tokens(article.text[start:end]),
        )
        for i, (start, end) in enumerate(chunk_spans(article.text, max_tokens))
    ]


def chunk_spans(text: str, max_tokens: int = DEFAULT_MAX_TOKENS) -> list[tuple[int, int]]:
    """(start, end) offsets of the chunks of `text`; see the module docstring for the rules."""
    if max_tokens < 1:
        raise ValueError("max_tokens must be at least 1")
    units = list(_units(text, max_tokens))
    spans: list[tuple[int, int]] = []
    cur_start: int | None = None
    cur_end = 0
    cur_paragraph = -1
    for paragraph, start, end in units:
        if cur_start is None:
            cur_start, cur_end, cur_paragraph = start, end, paragraph
            continue
        if estimate_tokens(text[cur_start:end]) <= max_tokens:
            # Fits: but when a new paragraph starts and the current chunk is already at least
            # half full, break here so chunks follow the writer's own divisions.
            half_full = estimate_tokens(text[cur_start:cur_end]) >= max_tokens // 2
            if paragraph != cur_paragraph and half_full:
                spans.append((cur_start, cur_end))
                cur_start = start
            cur_end, cur_paragraph = end, paragraph
            continue
        spans.append((cur_start, cur_end))
        cur_start, cur_end, cur_paragraph = start, end, paragraph
    if cur_start is not None:
        spans.append((cur_start, cur_end))
    return spans


def _units(text: str, max_tokens: int) -> Iterator[tuple[int, int, int]]:
    """(paragraph number, start, end) of every sentence, over-long ones cut at word boundaries."""
    paragraph_starts = [0] + [m.end() for m in _PARAGRAPH_BREAK.finditer(text)]
    paragraph = 0
    for start, end in sentence_spans(text):
        while paragraph + 1 < len(paragraph_starts) and paragraph_starts[paragraph + 1] <= start:
            paragraph += 1
        if estimate_tokens(text[start:end]) <= max_tokens:
            yield paragraph, start, end
        else:
            for piece_start, piece_end in _split_long(text, start, end, max_tokens):
                yield paragraph, piece_start, piece_end


def _split_long(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """Cut one over-long sentence at spaces so that each piece fits the budget."""
    # Characters per token is about 4; aim a little under so the estimate never overshoots.
    width = max(1, max_tokens * 3)
    pos = start
    while pos < end:
        stop = min(end, pos + width)
        if stop < end:
            space = text.rfind(" ", pos + 1, stop)
            if space > pos:
                stop = space
        while stop > pos + 1 and estimate_tokens(text[pos:stop]) > max_tokens:
            stop = pos + max(1, (stop - pos) * 3 // 4)
        piece_end = stop
        while piece_end > pos and text[piece_end - 1].isspace():
            piece_end -= 1
        if piece_end > pos:
            yield pos, piece_end
        pos = stop
        while pos < end and text[pos].isspace():
            pos += 1
