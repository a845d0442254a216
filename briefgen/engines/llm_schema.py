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

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from briefgen.schema import ClaimKind, EntityKind, EventStatus

# How many of each the extract prompt asks for (prompts/extract.j2 shows them to the model).
NOTE_LIMITS = {"claims": 8, "quotes": 4, "figures": 6, "events": 4, "entities": 10}
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


class NoteClaim(Answer):
    text: str = Field(max_length=300)
    kind: ClaimKind
    evidence: str = Field(max_length=400)


class NoteQuote(Answer):
    text: str = Field(max_length=300)
    speaker: str | None = Field(max_length=60)
    evidence: str = Field(max_length=400)


class NoteFigure(Answer):
    value: str = Field(max_length=40)
    about: str = Field(max_length=80)
    evidence: str = Field(max_length=400)


class NoteEvent(Answer):
    description: str = Field(max_length=200)
    date_text: str | None = Field(max_length=40)
    status: EventStatus
    evidence: str = Field(max_length=400)


class NoteEntity(Answer):
    name: str = Field(max_length=60)
    kind: EntityKind


class ChunkNotesAnswer(Answer):
    claims: list[NoteClaim] = Field(max_length=NOTE_LIMITS["claims"])
    quotes: list[NoteQuote] = Field(max_length=NOTE_LIMITS["quotes"])
    figures: list[NoteFigure] = Field(max_length=NOTE_LIMITS["figures"])
    events: list[NoteEvent] = Field(max_length=NOTE_LIMITS["events"])
    entities: list[NoteEntity] = Field(max_length=NOTE_LIMITS["entities"])


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
