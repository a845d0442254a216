"""The published JSON contract: the documents briefgen writes as JSON, and their schemas.

A brief (`make --format json`) is schema.Brief and a watch list (`watchlist --format json`)
schema.WatchList; the documents that are not part of a brief are defined here: the
listing of `briefgen sources --format json`, the run log of `briefgen logs --json`, the
recorded briefs of `briefgen history --json` and the state of `briefgen cache stats -f json`.
Each carries `schema_version` (schema.OUTPUT_VERSION). `briefgen schema NAME` prints the JSON
Schema of each, made from these models, so the schema cannot drift from what is written.

The schemas are those of the JSON as written (pydantic's serialization mode: a field with a
default is always written, so it is required) and exact: no key they do not name. Dates
without a time are YYYY-MM-DD; timestamps carry their zone (schema.Timestamp).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import Field
from pydantic.json_schema import GenerateJsonSchema

from briefgen.schema import (
    OUTPUT_VERSION,
    Brief,
    Model,
    Skipped,
    Timestamp,
    WatchList,
    output_version_field,
)
from briefgen.stories import StoriesListing  # `briefgen stories`: defined with the grouping

DATE_PATTERN = r"^\d{4}-\d{2}-\d{2}$"


# ---------------------------------------------------------------- briefgen sources


class ListedArticle(Model):
    """One article as `briefgen sources` lists it: what was read, its number in a brief, and
    the date `make` reads its relative dates against, with what that date rests on."""

    n: int = Field(description="its number in a brief's sources list: the [n] that cites it")
    id: str
    title: str
    path: str
    source: str | None = None
    url: str | None = None
    published: dt.date | None = Field(default=None, description="the date the article gives")
    date_basis: str | None = Field(
        default=None, description="what `published` rests on: metadata, a dateline"
    )
    words: int = 0
    debris_cut: int = Field(default=0, description="lines of web-page debris removed")
    unread_chars: int = Field(
        default=0, description="characters past the reading limit, not briefed (0: read whole)"
    )
    reference: dt.date | None = Field(
        default=None,
        description="the date `make` uses for it: its publication date, else the one the "
        "corpus evidence gives it; None when nothing dates it",
    )
    reference_basis: str | None = Field(
        default=None, description="what `reference` rests on, other articles named as [n]"
    )
    copy_of: int | None = Field(
        default=None, description="the source (number) this article copies, lightly edited"
    )


class SourcesListing(Model):
    schema_version: str = output_version_field()
    articles: list[ListedArticle] = Field(
        description="in the order of a brief's sources, [1] first"
    )
    skipped: list[Skipped] = Field(default_factory=list)


# ---------------------------------------------------------------- briefgen logs


class LoggedCall(Model):
    """One model call of a run, as the log keeps it (no prompt, no answer, no key)."""

    kind: str | None = None
    article_id: str | None = None
    chunk_index: int | None = None
    model: str | None = None
    mode: str | None = Field(default=None, description="the output mode the endpoint took")
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    seconds: float | None = None
    cached: bool = False
    ok: bool = True
    error: str | None = None
    requests: int | None = Field(
        default=None,
        description="HTTP requests it took, retries and refused output modes included; 0 for "
        "a cached answer; null when logged before briefgen counted them",
    )


class LoggedRun(Model):
    """One run of `make` (or `follow`) from the log: what it read, called and cost."""

    id: int
    started: Timestamp | None = None
    finished: Timestamp | None = None
    folders: list[str] = Field(
        default_factory=list,
        description="the folders its articles were read from (empty for runs logged before "
        "briefgen kept them)",
    )
    engine: str | None = None
    model: str | None = None
    base_url: str | None = Field(default=None, description="the endpoint, without credentials")
    audience: str | None = None
    articles: int | None = None
    chunks: int | None = None
    calls_new: int | None = None
    calls_cached: int | None = None
    prompt_tokens: int | None = None
    completion_tokens: int | None = None
    cost_usd: float | None = None
    notes_kept: int | None = None
    notes_dropped: int | None = None
    points_verified: int | None = None
    points_dropped: int | None = None
    seconds: float | None = None
    http_requests: int | None = Field(
        default=None,
        description="HTTP requests its new calls sent, retries included (the cost line's); "
        "null when logged before briefgen counted them",
    )
    retries: int | None = Field(default=None, description="of those, the requests sent again")
    report: dict[str, Any] = Field(
        default_factory=dict, description="the rest of the run report (skipped, warnings, ...)"
    )
    calls: list[LoggedCall] = Field(default_factory=list)


class RunLog(Model):
    schema_version: str = output_version_field()
    log: str = Field(description="the SQLite file read")
    runs: list[LoggedRun] = Field(description="newest first")


# ---------------------------------------------------------------- briefgen history


class RecordedBrief(Model):
    """One recorded brief (a manifest kept), as `briefgen history` lists it."""

    created: Timestamp = Field(description="when it was made")
    audience: str
    outputs: list[str] = Field(description="the files it was written to (absolute paths)")
    as_of: dt.date
    articles: int
    findings: int
    points: int
    new_points: int = Field(description="of its points, those marked new")
    watch_items: int = Field(description="watch items not yet passed")
    manifest: str = Field(description="the manifest file (what `make --compare-to` takes)")
    story: str | None = Field(
        default=None, description="`make --by-story`: the story of the feed; null: all of it"
    )


class History(Model):
    schema_version: str = output_version_field()
    state: str = Field(description="the state folder the manifests were read from")
    briefs: list[RecordedBrief] = Field(description="newest first")


# ---------------------------------------------------------------- briefgen cache stats


class CachedKind(Model):
    """The cached answers of one kind of call (extract, synthesis, ...)."""

    kind: str
    entries: int
    calls: int = Field(description="the model calls these answers stand for")
    prompt_tokens: int
    completion_tokens: int
    hits: int = Field(description="times an answer was used again instead of a call")
    oldest: Timestamp | None = None
    last_used: Timestamp | None = None


class CachedModel(Model):
    engine: str
    model: str
    entries: int


class CacheStats(Model):
    schema_version: str = output_version_field()
    state: str = Field(description="the state folder (.briefgen) looked at")
    path: str | None = Field(description="the cache file; null when no answer is cached")
    bytes: int = Field(description="the cache's size on disk, write-ahead log included")
    kinds: list[CachedKind]
    models: list[CachedModel]
    other_schema: int = Field(description="answers of an older schema (`cache prune` drops them)")
    manifests: int = Field(description="brief manifests kept")
    manifest_bytes: int


# ---------------------------------------------------------------- the schemas

DOCUMENTS: dict[str, type[Model]] = {
    "brief": Brief,
    "watchlist": WatchList,
    "sources": SourcesListing,
    "logs": RunLog,
    "history": History,
    "cache": CacheStats,
    "stories": StoriesListing,
}


class _ContractSchema(GenerateJsonSchema):
    """pydantic's JSON Schema, with dates held to YYYY-MM-DD: "format" alone is only a note
    that most validators do not check."""

    def date_schema(self, schema):
        return {**super().date_schema(schema), "pattern": DATE_PATTERN}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the document `name` (a key of DOCUMENTS)."""
    model = DOCUMENTS[name]
    schema = model.model_json_schema(mode="serialization", schema_generator=_ContractSchema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:briefgen:schema:{name}:{OUTPUT_VERSION}",
        **schema,
        "title": f"briefgen {name} {OUTPUT_VERSION}",
    }
