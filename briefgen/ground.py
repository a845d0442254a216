"""Ground notes in their source: align every piece of evidence to a span of the article text.

Alignment tries, in order: an exact match inside the chunk; a match that ignores case and
spacing (models often re-space or re-case a sentence); a fuzzy match of a window of the chunk
above FUZZY_THRESHOLD. A note whose evidence aligns nowhere is dropped and counted, never
trusted: it may be made up. Quotes are stricter: their words must stand verbatim (up to
spacing and curly quotes) in the evidence span.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from difflib import SequenceMatcher

from briefgen.facts import additions, quoted_spans
from briefgen.schema import Article, Chunk, ChunkNotes, Claim, Event, Figure, Quote, Span
from briefgen.speakers import same_speaker, speaker_of
from briefgen.text import numbers

FUZZY_THRESHOLD = 0.85


@dataclass
class GroundingStats:
    kept: int = 0
    dropped: int = 0
    speakers_corrected: int = 0  # model quotes whose speaker was not the one the text gives

    def add(self, other: GroundingStats) -> None:
        self.kept += other.kept
        self.dropped += other.dropped
        self.speakers_corrected += other.speakers_corrected


def align(evidence: str, article: Article, chunk: Chunk) -> Span | None:
    """The span of `article.text` inside `chunk` that `evidence` stands for, or None."""
    evidence = evidence.strip()
    if not evidence:
        return None
    at = chunk.text.find(evidence)
    if at >= 0:
        start = chunk.start + at
        return Span(
            article_id=article.id, start=start, end=start + len(evidence), alignment="exact"
        )
    span = _normalized_find(evidence, chunk)
    if span is not None:
        return Span(article_id=article.id, start=span[0], end=span[1], alignment="normalized")
    span = _fuzzy_find(evidence, chunk)
    if span is not None:
        return Span(article_id=article.id, start=span[0], end=span[1], alignment="fuzzy")
    return None


def ground_notes(
    notes: ChunkNotes, article: Article, chunk: Chunk
) -> tuple[ChunkNotes, GroundingStats]:
    """Notes with every span set from the text, and those that do not align dropped."""
    stats = GroundingStats()

    def keep(items):
        out = []
        for item in items:
            span = (
                item.span
                if _span_ok(item.span, item.evidence, article)
                else align(item.evidence, article, chunk)
            )
            if span is None or not _supported(item, article.text[span.start : span.end]):
                stats.dropped += 1
                continue
            stats.kept += 1
            update: dict[str, object] = {"span": span}
            if isinstance(item, Quote):
                # The speaker is the text's, not the model's: a wrong one is replaced by the
                # speaker of record (None when the text does not say) and counted.
                record = _speaker_of_record(item.text, article.text, span)
                if not same_speaker(item.speaker, record):
                    update["speaker"] = record
                    stats.speakers_corrected += 1
            out.append(item.model_copy(update=update))
        return out

    grounded = notes.model_copy(
        update={
            "claims": keep(notes.claims),
            "quotes": keep(notes.quotes),
            "figures": keep(notes.figures),
            "events": keep(notes.events),
        }
    )
    # A name the passage never mentions was made up; entities carry no evidence of their own.
    folded = chunk.text.casefold()
    entities = [e for e in notes.entities if e.name.strip() and e.name.casefold() in folded]
    stats.dropped += len(notes.entities) - len(entities)
    grounded.entities = entities
    return grounded, stats


def _supported(item: Claim | Quote | Figure | Event, evidence: str) -> bool:
    """Whether what a note states stands in its aligned evidence, not only near it.

    A quote's words must be verbatim; a figure's digits and an event's date as written must be
    in the evidence; a claim must not add a negation, figure, date or name its evidence lacks
    (facts.additions). The extractive engine passes all of these by construction; a model's
    notes are held to them.
    """
    if isinstance(item, Quote):
        return quote_is_verbatim(item.text, evidence)
    if isinstance(item, Figure):
        digits = numbers(item.value)
        return bool(digits) and digits <= numbers(evidence)
    if isinstance(item, Event):
        return not item.date_text or _fold(item.date_text).casefold() in _fold(evidence).casefold()
    # A claim adds no negation, figure (digits or words), date or name its evidence lacks,
    # and quotes no words, of any length and in any quote style, that it does not hold.
    return not additions(item.text, evidence) and all(
        quote_is_verbatim(q, evidence) for _, _, q in quoted_spans(item.text)
    )


def _speaker_of_record(quote: str, text: str, span: Span) -> str | None:
    """The speaker the article gives the quoted words found inside the aligned span."""
    needle = _fold(quote).strip("\"' ,.")
    at = find_folded(needle, text, span.start, span.end, lambda ch: ch.translate(_QUOTE_FOLD))
    return None if at is None else speaker_of(text, *at)


def find_folded(
    needle: str, text: str, start: int, end: int, fold: Callable[[str], str]
) -> tuple[int, int] | None:
    """Offsets in `text` of `needle` inside text[start:end], each character compared through
    `fold` and any run of spacing as one space (`needle` is folded already)."""
    chars: list[str] = []
    positions: list[int] = []
    for i in range(start, end):
        ch = text[i]
        if ch.isspace():
            if chars and chars[-1] == " ":
                continue
            ch = " "
        else:
            ch = fold(ch)
        chars.append(ch)
        positions.append(i)
    at = "".join(chars).find(needle)
    if at < 0 or not needle:
        return None
    return positions[at], positions[at + len(needle) - 1] + 1


def _span_ok(span: Span | None, evidence: str, article: Article) -> bool:
    return (
        span is not None
        and span.article_id == article.id
        and 0 <= span.start < span.end <= len(article.text)
        and article.text[span.start : span.end] == evidence
    )


_QUOTE_FOLD = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})


def quote_is_verbatim(quote: str, source: str) -> bool:
    """True when the quoted words stand in `source`, up to spacing and curly quotes."""

    return _fold(quote).strip("\"' ,.") in _fold(source)


def _fold(text: str) -> str:
    """Straight quotes for curly ones, single spaces: how a quotation is compared."""
    return re.sub(r"\s+", " ", text.translate(_QUOTE_FOLD)).strip()


def _normalized_find(evidence: str, chunk: Chunk) -> tuple[int, int] | None:
    """Find evidence ignoring case and runs of spacing; map the match back to real offsets."""
    needle = re.sub(r"\s+", " ", evidence).lower()
    at = find_folded(needle, chunk.text, 0, len(chunk.text), str.lower)
    return None if at is None else (chunk.start + at[0], chunk.start + at[1])


def _fuzzy_find(evidence: str, chunk: Chunk) -> tuple[int, int] | None:
    """Best window of the chunk of about the evidence's length, if similar enough."""
    n = len(evidence)
    if n < 20 or n > len(chunk.text) * 1.2:
        return None
    best_ratio, best = 0.0, None
    step = max(1, n // 8)
    for start in range(0, max(1, len(chunk.text) - n // 2), step):
        window = chunk.text[start : start + n]
        ratio = SequenceMatcher(None, evidence.lower(), window.lower(), autojunk=False).ratio()
        if ratio > best_ratio:
            best_ratio, best = ratio, (start, start + len(window))
    if best is None or best_ratio < FUZZY_THRESHOLD:
        return None
    return chunk.start + best[0], chunk.start + best[1]
