"""Ground notes in their source: align every piece of evidence to a span of the article text.

A model names its evidence by sentence number (llm_schema.to_notes sets the span from it), so
most notes arrive aligned. Notes that come with copied text instead are aligned in order: an
exact match inside the chunk; a match that ignores case and spacing (models often re-space or
re-case a sentence); a fuzzy match of a window of the chunk scoring FUZZY_THRESHOLD or more
(rapidfuzz's partial_ratio_alignment, in C). A note whose evidence aligns nowhere is dropped
and counted, never trusted: it may be made up.

Alignment is not enough: what a note states must stand in its evidence (`_supported`). A
claim whose cited sentence does not hold it, but whose neighbour does (a model's number off by
one), is moved to the sentence that holds it, marked "fuzzy"; one that no sentence of its
passage holds is dropped. Quotes are stricter: their words must stand verbatim (up to spacing
and curly quotes) in the evidence span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from briefgen.dates import find_dates
from briefgen.facts import additions, quoted_spans
from briefgen.schema import Article, Chunk, ChunkNotes, Claim, Event, Figure, Quote, Span
from briefgen.speakers import same_speaker, speaker_of
from briefgen.text import content_words, numbers, sentence_spans

# Similarity (0-100) a window of the chunk needs to stand for copied evidence: a sentence
# re-typed with a few slips scores above it, another sentence of the same story below.
FUZZY_THRESHOLD = 85
# A claim restates one sentence: at least this share of its content words is in it. Stricter
# than a brief point's 0.4 (verify.MIN_SUPPORT), which may join several findings.
CLAIM_SUPPORT = 0.5
# A claim of fewer words is a heading or a label ("U.S. Negotiating Perspective"), not news.
MIN_CLAIM_WORDS = 5
# A claim that its cited sentence does not hold is tried against these neighbours on each
# side: a small model's sentence number is often off by one, rarely by more.
NEIGHBOURS = 2


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
            if isinstance(item, Event):
                item = _date_as_written(item)
            span = (
                item.span
                if _span_ok(item.span, item.evidence, article)
                else align(item.evidence, article, chunk)
            )
            update: dict[str, object] = {}
            if span is not None and not _supported(item, article.text[span.start : span.end]):
                span = _sentence_holding(item, article, chunk, span)
                if span is not None:
                    update["evidence"] = article.text[span.start : span.end]
            if span is None:
                stats.dropped += 1
                continue
            stats.kept += 1
            update["span"] = span
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
        return bool(item.text.strip()) and quote_is_verbatim(item.text, evidence)
    if isinstance(item, Figure):
        digits = numbers(item.value)
        return bool(digits) and digits <= numbers(evidence)
    if isinstance(item, Event):
        return not item.date_text or _fold(item.date_text).casefold() in _fold(evidence).casefold()
    # A claim is mostly its evidence's words, adds no negation, figure (digits or words),
    # date or name its evidence lacks, and quotes no words, of any length and in any quote
    # style, that it does not hold.
    if len(item.text.split()) < MIN_CLAIM_WORDS:
        return False
    words = set(content_words(item.text))
    if words and len(words & set(content_words(evidence))) < CLAIM_SUPPORT * len(words):
        return False
    return not additions(item.text, evidence) and all(
        quote_is_verbatim(q, evidence) for _, _, q in quoted_spans(item.text)
    )


def _date_as_written(event: Event) -> Event:
    """The event with the date its sentence gives, when the model's date_text is not in the
    sentence but the sentence names exactly one date: a small model often writes the date in
    its own form ("October 30, 2021" for "this Thursday, October 30"). The date shown is
    always the text's; with no date, or several, in the sentence the event keeps its own
    (and is dropped if that is not in the sentence)."""
    if not event.date_text or not event.evidence:
        return event
    if _fold(event.date_text).casefold() in _fold(event.evidence).casefold():
        return event
    found = find_dates(event.evidence)
    if len(found) != 1:
        return event
    return event.model_copy(update={"date_text": found[0].text})


def _sentence_holding(
    item: Claim | Quote | Figure | Event, article: Article, chunk: Chunk, near: Span
) -> Span | None:
    """The span of the sentence of `chunk` next to `near` that holds what `item` states, or
    None. The nearest one wins; each must pass `_supported` on its own."""
    spans = sentence_spans(article.text, chunk.start, chunk.end)
    at = next((i for i, (s, e) in enumerate(spans) if e > near.start), len(spans) - 1)
    order = sorted(range(len(spans)), key=lambda i: abs(i - at))
    for i in order:
        if 0 < abs(i - at) <= NEIGHBOURS:
            start, end = spans[i]
            if _supported(item, article.text[start:end]):
                return Span(article_id=article.id, start=start, end=end, alignment="fuzzy")
    return None


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
    if not needle:
        return None
    # Each distinct character is folded once and the text translated in C, rather than
    # character by character in Python (verify reads whole articles). A character whose
    # folding is not one character, or makes a space, is left to the loop.
    segment = text[start:end]
    table: dict[int, str] = {}
    for ch in set(segment):
        folded = " " if ch.isspace() else fold(ch)
        if len(folded) != 1 or (folded == " " and not ch.isspace()):
            return _find_folded_slowly(needle, text, start, end, fold)
        table[ord(ch)] = folded
    folded = segment.translate(table)
    # Runs of spacing are now runs of " ": each becomes one, and `shifts` maps an offset in
    # the shortened text back to one in `segment` (a run's space is its first character).
    breaks, shifts, shift = [0], [0], 0
    for m in _SPACE_RUN.finditer(folded):
        breaks.append(m.start() - shift + 1)
        shift += m.end() - m.start() - 1
        shifts.append(shift)
    at = _SPACE_RUN.sub(" ", folded).find(needle)
    if at < 0:
        return None

    def origin(k: int) -> int:
        return start + k + shifts[bisect.bisect_right(breaks, k) - 1]

    return origin(at), origin(at + len(needle) - 1) + 1


_SPACE_RUN = re.compile(" {2,}")


def _find_folded_slowly(
    needle: str, text: str, start: int, end: int, fold: Callable[[str], str]
) -> tuple[int, int] | None:
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
        # A fold may change a character's length ("İ" lowers to two): each character of
        # what it gives maps back to the one it came from, so offsets index the joined text.
        chars.append(ch)
        positions.extend([i] * len(ch))
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
    """The window of the chunk most like the evidence, if similar enough."""
    if len(evidence) < 20 or len(evidence) > len(chunk.text) * 1.2:
        return None
    found = fuzz.partial_ratio_alignment(
        evidence.lower(), chunk.text.lower(), score_cutoff=FUZZY_THRESHOLD
    )
    if found is None:
        return None
    return chunk.start + found.dest_start, chunk.start + found.dest_end
