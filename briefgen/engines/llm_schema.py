"""What the model is asked to answer: small, bounded schemas, turned into briefgen's own.

These are not schema.py's models: a model answers without offsets, spans or resolved dates
(the pipeline finds those in the text), and every list and string has a bound, because an
unbounded list makes a small model repeat items until it runs out of tokens. Every field is
required (None where it may be empty), which is what OpenAI's strict structured output needs.
Strings are bounded too, but modestly: llama.cpp compiles maxLength into one grammar rule per
character, and bounds in the thousands (1,500 was tried) make its server fail to parse the
grammar and exit. A sentence of evidence longer than its bound is cut, and still aligns.
Lists and strings longer than their bound are cut, not refused: a model that gives nine
claims where eight were asked has still answered, and a re-ask would cost a whole call.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefgen import extract_rules
from briefgen.polarity import quoted_spans
from briefgen.schema import (
    Article,
    Chunk,
    ChunkNotes,
    Claim,
    ClaimKind,
    Draft,
    DraftPoint,
    DraftSection,
    Entity,
    EntityKind,
    Event,
    EventStatus,
    Figure,
    Quote,
    Span,
)
from briefgen.text import collapse_spaces, sentence_spans

# How many of each the extract prompt asks for (prompts/extract.j2 shows them to the model).
# Each item costs a small local model about a second to write, so the caps bound the time of
# a call as much as its length: a 1,000-token chunk rarely holds more news than this.
NOTE_LIMITS = {
    "claims": 6,
    "quotes": 2,
    "figures": 2,
    "events": 2,
    "names": 3,
}
POINT_FINDINGS = 6
SHORTLIST_MAX = 40


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _cut_to_bounds(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for name, field in cls.model_fields.items():
            bound = next(
                (m.max_length for m in field.metadata if getattr(m, "max_length", None)), None
            )
            value = out.get(name)
            if bound and isinstance(value, (list, str)) and len(value) > bound:
                out[name] = value[:bound]
        return out


# Evidence is given by sentence number: the prompt shows the chunk's sentences numbered
# [1], [2], ... and a note names the one it rests on (a list of them, tried first, made
# Qwen2.5-Coder-1.5B list every sentence of the passage).
# The evidence is then the text itself by construction, and the answer is short: a number,
# not a sentence copied out (600-900 tokens per answer when evidence was copied). The
# number comes first, so the model has chosen its sentence before it writes about it.
#
# A claim is its sentence, word for word: the model chooses which sentences carry the news
# and what kind of statement each is, and the brief's writer words them for the reader
# (verified against them). Asked to restate sentences too, Qwen2.5-Coder-1.5B copied them
# anyway or framed them ("The article notes that ..."), at 40-60 answer tokens a claim; on a
# CPU answer tokens are the run's time (benchmarks/README.md, "A real model").
# A quote likewise is the quotation its sentence holds; the model says who speaks.
class NoteQuote(Answer):
    sentence: int
    speaker: str | None = Field(max_length=60)


class NoteFigure(Answer):
    sentence: int
    value: str = Field(max_length=40)
    about: str = Field(max_length=80)


class NoteEvent(Answer):
    sentence: int
    description: str = Field(max_length=60)
    date_text: str | None = Field(max_length=40)
    status: EventStatus


NAME_CHARS = 60
Name = Annotated[str, Field(max_length=NAME_CHARS)]

# Entities are names listed under their kind: a CPU-bound model's answer tokens are the
# run's time. Claims keep an object each ({"sentence": 3, "kind": "fact"}): given lists of
# numbers by kind, Qwen2.5-Coder-1.5B filled each list with the next numbers in order, so
# that the kind said nothing about the sentence.


class NoteClaim(Answer):
    sentence: int
    kind: ClaimKind


ENTITY_LISTS: dict[str, EntityKind] = {
    "people": "person",
    "organizations": "organization",
    "places": "place",
}


class ChunkNotesAnswer(Answer):
    claims: list[NoteClaim] = Field(max_length=NOTE_LIMITS["claims"])
    quotes: list[NoteQuote] = Field(max_length=NOTE_LIMITS["quotes"])
    figures: list[NoteFigure] = Field(max_length=NOTE_LIMITS["figures"])
    events: list[NoteEvent] = Field(max_length=NOTE_LIMITS["events"])
    people: list[Name] = Field(max_length=NOTE_LIMITS["names"])
    organizations: list[Name] = Field(max_length=NOTE_LIMITS["names"])
    places: list[Name] = Field(max_length=NOTE_LIMITS["names"])

    @field_validator(*ENTITY_LISTS, mode="before")
    @classmethod
    def _names_that_fit(cls, value: Any) -> Any:
        # A "name" past its bound or over several lines is a small model running on inside a
        # string (SmolLM2 wrote a sentence list there); grounding would drop it as a name the
        # passage never mentions. Dropped here, so it does not cost the whole answer a re-ask.
        if not isinstance(value, list):
            return value
        return [v for v in value if not isinstance(v, str) or _fits(v)]


def _fits(name: str) -> bool:
    return len(name) <= NAME_CHARS and "\n" not in name


def notes_answer(claims=(), quotes=(), figures=(), events=(), entities=()) -> dict[str, Any]:
    """The answer a model gives for these notes, as ChunkNotesAnswer's JSON: claims as
    (sentence, kind), quotes as (sentence, speaker), figures and events as dicts with their
    "sentence", entities as (name, kind). The stand-in servers of the tests and benchmarks
    write their answers with it."""
    answer: dict[str, Any] = {name: [] for name in ChunkNotesAnswer.model_fields}
    answer["claims"] = [{"sentence": n, "kind": kind} for n, kind in claims]
    answer["quotes"] = [{"sentence": n, "speaker": who} for n, who in quotes]
    answer["figures"] = list(figures)
    answer["events"] = list(events)
    names = {kind: name for name, kind in ENTITY_LISTS.items()}
    for name, kind in entities:
        answer[names.get(kind, "organizations")].append(name)
    return answer


class PointAnswer(Answer):
    text: str = Field(max_length=300)
    findings: list[int] = Field(min_length=1, max_length=POINT_FINDINGS)


class SectionAnswer(Answer):
    heading: str = Field(max_length=60)
    points: list[PointAnswer] = Field(max_length=8)


class SummaryAnswer(Answer):
    article: int
    summary: str = Field(max_length=300)


class BriefAnswer(Answer):
    headline: str = Field(max_length=120)
    bottom_line: list[PointAnswer] = Field(min_length=1, max_length=3)
    key_points: list[PointAnswer] = Field(max_length=12)
    sections: list[SectionAnswer] = Field(max_length=4)
    article_summaries: list[SummaryAnswer] = Field(max_length=12)


class ShortlistAnswer(Answer):
    findings: list[int] = Field(max_length=SHORTLIST_MAX)


# ---------------------------------------------------------------- answers -> briefgen's schema


def numbered_sentences(chunk: Chunk, article: Article) -> list[tuple[int, int]]:
    """The chunk's sentences as the prompt numbers them ([1] is the first), as offsets in
    the article: the map prompt shows them and an answer's numbers are read against them."""
    return sentence_spans(article.text, chunk.start, chunk.end)


def to_notes(answer: ChunkNotesAnswer, chunk: Chunk, article: Article) -> ChunkNotes:
    """A model's notes as ChunkNotes, evidence and spans read from its sentence numbers, not
    yet grounded (the pipeline grounds every engine's notes and drops what does not hold)."""
    sentences = numbered_sentences(chunk, article)

    def evidence(number: int) -> tuple[str, Span | None]:
        # A number outside the passage points at nothing: empty evidence, dropped when
        # grounded.
        if not 1 <= number <= len(sentences):
            return "", None
        start, end = sentences[number - 1]
        return article.text[start:end], Span(article_id=article.id, start=start, end=end)

    entities: dict[str, Entity] = {}
    for field, kind in ENTITY_LISTS.items():
        for name in getattr(answer, field):
            name = name.strip()
            if name and name not in entities:
                mentions = max(1, chunk.text.count(name))
                entities[name] = Entity(name=name, kind=kind, mentions=mentions)
    claims, quotes, figures, events = [], [], [], []
    for c in answer.claims:
        text, span = evidence(c.sentence)
        claims.append(Claim(text=collapse_spaces(text), kind=c.kind, evidence=text, span=span))
    for q in answer.quotes:
        text, span = evidence(q.sentence)
        speaker = (q.speaker or "").strip() or None
        quotes.append(Quote(text=_quotation(text), speaker=speaker, evidence=text, span=span))
    for f in answer.figures:
        text, span = evidence(f.sentence)
        figures.append(
            _figure(f.value, f.about, text, article.id).model_copy(update={"span": span})
        )
    for e in answer.events:
        text, span = evidence(e.sentence)
        events.append(
            Event(
                description=e.description.strip(),
                date_text=(e.date_text or "").strip() or None,
                status=e.status,
                evidence=text,
                span=span,
            )
        )
    return ChunkNotes(
        article_id=article.id,
        chunk_index=chunk.index,
        claims=claims,
        quotes=quotes,
        figures=figures,
        events=events,
        entities=list(entities.values()),
    )


def _quotation(sentence: str) -> str:
    """The longest quotation in a sentence, or "" when it holds none (grounding drops it)."""
    found = [words for _, _, words in quoted_spans(sentence) if len(words.split()) >= 3]
    return max(found, key=len, default="")


def _figure(value: str, about: str, evidence: str, article_id: str) -> Figure:
    # The number and unit are read from the value with the extractive engine's rules, so
    # conflicts between articles compare like with like whichever engine read them.
    parsed = extract_rules.find_figures(value, article_id, 0, len(value))
    number = parsed[0].number if parsed else None
    unit = parsed[0].unit if parsed else None
    return Figure(
        value=value.strip(), number=number, unit=unit, about=about.strip(), evidence=evidence
    )


def to_draft(answer: BriefAnswer, articles: list[Article]) -> Draft:
    def point(p: PointAnswer) -> DraftPoint:
        return DraftPoint(text=p.text.strip(), finding_ids=list(dict.fromkeys(p.findings)))

    summaries = {}
    for s in answer.article_summaries:
        if 1 <= s.article <= len(articles) and s.summary.strip():
            summaries[articles[s.article - 1].id] = s.summary.strip()
    return Draft(
        headline=answer.headline.strip(),
        bottom_line=[point(p) for p in answer.bottom_line],
        key_points=[point(p) for p in answer.key_points],
        sections=[
            DraftSection(heading=s.heading.strip(), points=[point(p) for p in s.points])
            for s in answer.sections
            if s.points
        ],
        article_summaries=summaries,
    )
