"""The data briefgen passes between its steps: one set of pydantic models for both engines.

Articles and chunks come out of ingest and chunking; ChunkNotes are what an engine extracts
from one chunk; Findings are notes merged across articles; the Brief is what gets rendered.
Offsets are always character offsets into `Article.text` (the cleaned text), so any piece of
evidence can be checked with `article.text[start:end]`.

Bump SCHEMA_VERSION whenever a change here would make stored notes or briefs unreadable.
OUTPUT_VERSION is the other version: that of the published JSON contract (`briefgen schema`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from typing import Annotated, Literal

from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    WithJsonSchema,
    model_validator,
)

SCHEMA_VERSION = "2"

# The version of the JSON briefgen writes (make, watchlist, sources, logs --json), as
# `schema_version` in each. A minor version only adds (a field, a value of a field); a
# major one removes, renames or changes what something means. It continues the "2" that
# briefs carried in provenance before the contract was published.
OUTPUT_VERSION = "2.0"


def output_version_field():  # a fresh Field for each model that carries the version
    return Field(
        default=OUTPUT_VERSION,
        pattern=r"^2\.\d+$",
        description="the JSON contract's version: a minor version only adds fields or values",
    )


# Every timestamp in an output reads one way: UTC to the second, "2025-10-30T08:00:00Z".
TIMESTAMP_PATTERN = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"


def iso_timestamp(value: dt.datetime) -> str:
    """A moment as every output writes it: UTC, to the second, with its zone ('Z')."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError("a timestamp must carry its time zone")
    return value.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


# A moment in time: refused without a zone, written by iso_timestamp in JSON.
Timestamp = Annotated[
    AwareDatetime,
    PlainSerializer(iso_timestamp, return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "format": "date-time", "pattern": TIMESTAMP_PATTERN}),
]


def content_id(prefix: str, text: str) -> str:
    """A stable id from words alone ('p-1f0c3a9b2d4e'): spacing and case do not count, and
    nothing else does either (article order, file names, the time of the run)."""
    words = " ".join(text.split()).casefold()
    return f"{prefix}-{hashlib.sha1(words.encode('utf-8')).hexdigest()[:12]}"


ClaimKind = Literal["fact", "analysis", "forecast", "opinion"]
EventStatus = Literal["scheduled", "deadline", "expected", "possible"]
EntityKind = Literal["person", "organization", "place", "other"]
Audience = Literal["exec", "analyst", "newsletter"]
Alignment = Literal["exact", "normalized", "fuzzy", "unaligned"]
EventState = Literal["upcoming", "happened", "cancelled", "moved"]
DatePrecision = Literal["day", "month", "part-of-month", "quarter", "half-year", "year"]

# How each event status reads in a what-to-watch list.
WATCH_TYPE_LABELS: dict[str, str] = {
    "scheduled": "scheduled event",
    "deadline": "deadline",
    "expected": "expected decision",
    "possible": "risk or trigger",
}


class Model(BaseModel):
    # The published schemas (contract.py) describe JSON as written: a field with a default
    # is always written, so the schema requires it.
    model_config = ConfigDict(extra="forbid", json_schema_serialization_defaults_required=True)


# ---------------------------------------------------------------- input side


class Article(Model):
    """One cleaned article. `id` comes from the cleaned text, so it is stable across runs."""

    id: str
    title: str
    text: str
    path: str = Field(description="file it came from; 'file.jsonl#3' for a record, '-' for stdin")
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_basis: str | None = Field(
        default=None, description="what the date rests on: metadata, a dateline, corpus evidence"
    )
    words: int = 0
    debris_cut: int = Field(default=0, description="lines of web-page debris removed")
    unread_chars: int = Field(
        default=0, description="characters past the reading limit, not briefed (0: read whole)"
    )


class Skipped(Model):
    """A file (or record) that could not be read, and why."""

    path: str
    reason: str


class Chunk(Model):
    """A run of whole sentences of one article; `article.text[start:end] == text`."""

    article_id: str
    index: int
    start: int
    end: int
    text: str
    tokens: int


# ---------------------------------------------------------------- per-chunk notes


class Span(Model):
    """Where a piece of evidence sits in its article, and how it was found there."""

    article_id: str
    start: int
    end: int
    alignment: Alignment = "exact"


class Claim(Model):
    text: str = Field(max_length=600)
    kind: ClaimKind
    evidence: str = Field(description="verbatim span of the chunk that supports the claim")
    span: Span | None = None


class Quote(Model):
    text: str = Field(description="the words inside the quotation marks, verbatim")
    speaker: str | None = None
    evidence: str = Field(description="the sentence the quote stands in")
    span: Span | None = None


class Figure(Model):
    value: str = Field(description="as written: '$660 billion', '100%', '80,000 metric tons'")
    number: float | None = None
    unit: str | None = Field(default=None, description="percent, USD, tons, ...")
    about: str = Field(default="", description="what the figure measures, in a few words")
    evidence: str
    span: Span | None = None


class Event(Model):
    description: str
    date_text: str | None = Field(default=None, description="the date as written")
    date: dt.date | None = Field(default=None, description="resolved date, when it can be")
    precision: DatePrecision | None = None
    status: EventStatus
    evidence: str
    span: Span | None = None


class Entity(Model):
    name: str
    kind: EntityKind = "other"
    mentions: int = 1


class ChunkNotes(Model):
    article_id: str
    chunk_index: int
    claims: list[Claim] = Field(default_factory=list)
    quotes: list[Quote] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)


# ---------------------------------------------------------------- merged across articles


class Evidence(Model):
    article_id: str
    text: str
    start: int
    end: int


class Finding(Model):
    """One statement, merged across every article that makes it."""

    id: int
    text: str
    kind: ClaimKind
    article_ids: list[str]
    evidence: list[Evidence]
    score: float = 0.0
    figures: list[Figure] = Field(default_factory=list)
    sources: int | None = Field(
        default=None,
        description="independent articles that state it: copies of one story count once "
        "(None: every article counts)",
    )
    disputed_by: list[str] = Field(
        default_factory=list, description="articles that state the opposite or another figure"
    )
    disputes: list[Evidence] = Field(
        default_factory=list, description="the sentences that dispute it, one per article"
    )

    @property
    def key(self) -> str:
        """Its stable id ('f-...'), from its words: `id` is its rank in this run only."""
        return content_id("f", self.text)

    @property
    def corroboration(self) -> int:
        """How many independent articles agree with it (never those that dispute it)."""
        if self.sources is not None:
            return self.sources
        return len(set(self.article_ids))

    @property
    def disputed(self) -> bool:
        return bool(self.disputed_by)

    @property
    def single_source(self) -> bool:
        return self.corroboration == 1


class ConflictValue(Model):
    value: str
    article_ids: list[str]
    citations: list[int] = Field(default_factory=list)
    evidence: str


class Conflict(Model):
    """Where sources disagree: different figures for one thing, or a claim and its denial."""

    about: str
    values: list[ConflictValue]
    kind: Literal["figures", "claim"] = "figures"


class MergedQuote(Model):
    text: str
    speaker: str | None = None
    article_ids: list[str]
    evidence: str
    score: float = 0.0


class Digest(Model):
    """Everything merged across articles, before anything is written for an audience."""

    findings: list[Finding]
    quotes: list[MergedQuote] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    copies: dict[str, str] = Field(
        default_factory=dict,
        description="article id -> the article it is a copy of (same story, lightly edited)",
    )
    flagged: dict[str, list[str]] = Field(
        default_factory=dict,
        description="article id -> its instruction-like passages (addressing a model or "
        "reader); never made into points",
    )


class DraftPoint(Model):
    text: str
    finding_ids: list[int] = Field(min_length=1)


class DraftSection(Model):
    heading: str
    points: list[DraftPoint]


class Draft(Model):
    """What an engine writes for one audience; citations come from the finding ids, never prose."""

    headline: str
    bottom_line: list[DraftPoint] = Field(max_length=3)
    key_points: list[DraftPoint]
    sections: list[DraftSection] = Field(default_factory=list)
    article_summaries: dict[str, str] = Field(default_factory=dict)
    headline_findings: list[int] = Field(
        default_factory=list, description="the findings the headline's words come from"
    )


class WatchItem(Model):
    description: str
    date_text: str | None = None
    date: dt.date | None = None
    precision: DatePrecision | None = None
    status: EventStatus
    article_ids: list[str]
    citations: list[int] = Field(default_factory=list)
    sentence: str
    date_basis: str | None = Field(
        default=None, description="the reference date it was resolved on"
    )
    new: bool = Field(default=False, description="not in the previous brief's watch list")
    # Timeline (issue 12). `date` is the first day; `end` the last day of a range or of a
    # vague period ("first half of next year": 1 Jan to 30 Jun), None for one exact day.
    end: dt.date | None = Field(default=None, description="last day of a range or period")
    id: str = Field(
        default="", description="stable identity from the event and its date (json id, ics UID)"
    )
    # What later articles say became of it: "upcoming" until one reports it happened,
    # was cancelled, or was moved (then `moved_to` is the new date).
    state: EventState = "upcoming"
    state_article_ids: list[str] = Field(default_factory=list)
    state_citations: list[int] = Field(default_factory=list)
    state_sentence: str | None = None
    moved_to: dt.date | None = None

    @property
    def resolved(self) -> bool:
        return self.date is not None

    @property
    def type_label(self) -> str:
        return WATCH_TYPE_LABELS[self.status]


class WatchList(Model):
    schema_version: str = output_version_field()
    as_of: dt.date
    upcoming: list[WatchItem] = Field(default_factory=list)
    unresolved: list[WatchItem] = Field(default_factory=list)
    passed: list[WatchItem] = Field(default_factory=list)
    # Items once upcoming that a later article reports happened, cancelled or moved away.
    settled: list[WatchItem] = Field(default_factory=list)
    # Filled when the list is written as JSON (render.py), so its citations resolve.
    sources: list[SourceRef] = Field(
        default_factory=list, description="the numbered sources its citations name"
    )


# ---------------------------------------------------------------- the brief


class CopyNote(Model):
    """Source `n` is a copy of source `of` (numbers in Brief.sources): one source, not two."""

    n: int
    of: int


class KeyPoint(Model):
    id: str = Field(
        default="",
        description="stable id from its words as written ('p-...'): the same point keeps it "
        "from run to run",
    )
    text: str
    finding_ids: list[int]
    citations: list[int] = Field(description="numbers in Brief.sources")
    corroboration: int = Field(
        default=1, description="independent sources that agree (copies count once)"
    )
    disputed_by: list[int] = Field(
        default_factory=list, description="sources (numbers) that state otherwise"
    )
    copies: list[CopyNote] = Field(
        default_factory=list, description="cited sources that are copies of another cited one"
    )
    kind: ClaimKind = "fact"
    new: bool = Field(
        default=False, description="every finding it rests on is new since the previous brief"
    )
    dated_text: str | None = Field(
        default=None,
        description="the text as shown: relative dates with the date they stand for beside "
        "them ('on Sunday (26 Oct)', absolute.py); None when it has none. `text` stays as "
        "written and verified",
    )
    finding_keys: list[str] = Field(
        default_factory=list,
        description="stable ids ('f-...') of the findings it rests on, from their words; "
        "`finding_ids` number them in this run only",
    )

    @model_validator(mode="after")
    def _stable_id(self) -> KeyPoint:
        if not self.id:
            self.id = content_id("p", self.text)
        return self


class BriefQuote(Model):
    text: str
    speaker: str | None = None
    citations: list[int]


class SourceRef(Model):
    n: int
    article_id: str
    title: str
    source: str | None = None
    url: str | None = None
    published: dt.date | None = None
    date_basis: str | None = None
    path: str = ""
    copy_of: int | None = Field(
        default=None, description="the source (number) this article copies, lightly edited"
    )
    reference: dt.date | None = Field(
        default=None,
        description="the date its relative words ('on Sunday') are read against: its "
        "publication date or the one the corpus evidence gives it",
    )
    instruction_like: list[str] = Field(
        default_factory=list,
        description="passages addressing a model or reader ('ignore previous instructions'): "
        "treated as data, never as points",
    )


class OffTopicArticle(Model):
    """An article far from what the rest of the corpus is about (briefgen.offtopic): listed,
    never a point."""

    citation: int
    title: str
    reason: str


class ArticleSummary(Model):
    citation: int
    title: str
    summary: str


class Section(Model):
    """A newsletter section: a heading and the points under it."""

    heading: str
    points: list[KeyPoint]


class TimelineEntry(Model):
    """One line of a brief's timeline: a dated event that happened, or is next, and its sources.

    Past entries come from events a later article reports (WatchList.settled), watch items
    whose dates have gone by, and findings that report a dated event as done; upcoming ones
    from the watch list. `text` is as shown (relative dates made absolute).
    """

    date: dt.date
    end: dt.date | None = None
    precision: DatePrecision = "day"
    text: str
    citations: list[int]
    past: bool = Field(description="happened, or its date has gone by, as of the brief")
    planned: bool = Field(
        default=False, description="told as a plan (a watch item), not reported as done"
    )
    state: EventState = "upcoming"
    state_citations: list[int] = Field(default_factory=list)
    moved_to: dt.date | None = None


class Provenance(Model):
    engine: str
    model: str | None = None
    generated_at: Timestamp
    as_of: dt.date
    as_of_basis: str
    articles: int
    skipped: list[Skipped] = Field(default_factory=list)
    date_notes: list[str] = Field(default_factory=list)
    missing: list[str] = Field(
        default_factory=list, description="parts of articles that could not be read, and why"
    )
    points_dropped: int = Field(default=0, description="written points that failed verification")
    warnings: list[str] = Field(default_factory=list, description="how the run fell short")
    previous_brief: Timestamp | None = Field(
        default=None, description="when the brief this one is compared with was made"
    )
    changes: list[str] = Field(
        default_factory=list, description="what is new since the previous brief, in words"
    )
    schema_version: str = output_version_field()


class Brief(Model):
    schema_version: str = output_version_field()
    audience: Audience
    headline: str
    bottom_line: list[KeyPoint] = Field(max_length=3, description="at most three sentences")
    key_points: list[KeyPoint]
    watch: list[WatchItem] = Field(default_factory=list)
    quotes: list[BriefQuote] = Field(default_factory=list)
    conflicts: list[Conflict] = Field(default_factory=list)
    single_source: list[KeyPoint] = Field(default_factory=list)
    article_summaries: list[ArticleSummary] = Field(default_factory=list)
    entities: list[Entity] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    timeline: list[TimelineEntry] = Field(
        default_factory=list, description="what happened, then what is next, dated and cited"
    )
    headline_support: KeyPoint | None = Field(
        default=None,
        description="the headline as a point: the findings and sources it rests on, its labels",
    )
    off_topic: list[OffTopicArticle] = Field(
        default_factory=list,
        description="articles far from what the others are about: left out of the points",
    )
    sources: list[SourceRef]
    provenance: Provenance

    def points_changed(self, change: Callable[[KeyPoint], KeyPoint]) -> dict[str, object]:
        """A model_copy update giving every point of the brief through `change`: the
        headline's support, the bottom line, key points, single-source points and each
        section's points (one list of where points live, for every view of the brief)."""
        support = self.headline_support
        return {
            "headline_support": None if support is None else change(support),
            "bottom_line": [change(p) for p in self.bottom_line],
            "key_points": [change(p) for p in self.key_points],
            "single_source": [change(p) for p in self.single_source],
            "sections": [
                s.model_copy(update={"points": [change(p) for p in s.points]})
                for s in self.sections
            ],
        }


class RunReport(Model):
    engine: str = "extractive"
    model: str | None = None
    articles: int
    skipped: list[Skipped] = Field(default_factory=list)
    chunks: int = 0
    calls_new: int = 0
    calls_cached: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost_usd: float | None = Field(default=0.0, description="None when a model has no price")
    notes_kept: int = 0
    notes_dropped: int = 0
    points_verified: int = 0
    points_dropped: int = 0
    citations_corrected: int = Field(
        default=0, description="points whose cited findings were recomputed from their words"
    )
    speakers_corrected: int = Field(
        default=0, description="model quotes whose speaker was not the text's"
    )
    missing: list[str] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)
    seconds: float = 0.0
