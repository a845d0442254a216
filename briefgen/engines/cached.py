"""An engine in front of the cache: answers it has seen are read back, not asked again.

CachedEngine wraps an engine that can name its answers (`notes_key`, `draft_key`: the LLM
engine) and keeps the Engine seam: the pipeline calls `extract` and `write` as before and
never knows which answers were cached. Everything else (name, model, ledger, warnings,
planning) is the wrapped engine's.

A cached answer still shows in the run's ledger, as the calls it once took marked cached
(tokens and cost count only new calls), so "17 calls (0 new, 17 cached)" says what the
cache saved. An answer is stored only once it is validated and only when the engine did its
real job: a synthesis the extractive writer made after the model failed is not kept, so the
next run asks the model again.
"""

from __future__ import annotations

import dataclasses
import sqlite3
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from briefgen.cache import Cache, Entry, cache_key, text_hash
from briefgen.ground import GroundingStats, ground_notes
from briefgen.ledger import CallRecord, PlannedCall
from briefgen.schema import Article, Audience, Chunk, ChunkNotes, Digest, Draft

# The kinds of call a synthesis is made of (shortlist stages, the brief, its revision).
_WRITE_KINDS = {"synthesis", "shortlist", "revise"}


def cacheable(engine: Any) -> bool:
    """Whether `engine` can name its answers, and so be cached."""
    return hasattr(engine, "notes_key") and hasattr(engine, "draft_key")


class CachedEngine:
    def __init__(self, engine: Any, cache: Cache) -> None:
        self._engine = engine
        self.cache = cache
        # Set when the cache file failed mid-run (disk full, say): the run goes on uncached
        # and the CLI says so once, instead of failing a brief over a cache.
        self.cache_problem: str | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._engine, name)

    # ------------------------------------------------------------ the seam

    def extract(self, chunk: Chunk, article: Article) -> ChunkNotes:
        parts = self._engine.notes_key(chunk, article)
        key = cache_key(parts)
        found = self._load(key, ChunkNotes)
        if found is not None:
            entry, notes = found
            self._replay(entry, "extract", article.id, chunk.index)
            # The same passage may stand in another article (a wire story reprinted): the
            # notes are this chunk's now.
            return notes.model_copy(update={"article_id": article.id, "chunk_index": chunk.index})
        before = len(self._made(lambda r: _of_chunk(r, article.id, chunk.index)))
        notes = self._engine.extract(chunk, article)
        made = self._made(lambda r: _of_chunk(r, article.id, chunk.index))[before:]
        self._store(key, parts, "notes", notes, made, f"{article.path} part {chunk.index + 1}")
        return notes

    def write(
        self, digest: Digest, audience: Audience, articles: list[Article], **told: Any
    ) -> Draft:
        # `told`: what else the engine is shown (the LLM engine's `dating`), in its key too.
        parts = self._engine.draft_key(digest, audience, articles, **told)
        key = cache_key(parts)
        found = self._load(key, Draft)
        if found is not None:
            entry, draft = found
            self._replay(entry, "synthesis", None, None)
            return draft
        records_before = len(self._made(lambda r: True))
        warnings_before = len(getattr(self._engine, "warnings", []))
        draft = self._engine.write(digest, audience, articles, **told)
        if len(getattr(self._engine, "warnings", [])) > warnings_before:
            # The engine fell short (fallback writer, nothing to write from): not an answer
            # worth keeping; the next run tries the model again.
            return draft
        made = [r for r in self._made(lambda r: True)[records_before:] if r.kind in _WRITE_KINDS]
        self._store(key, parts, "synthesis", draft, made, f"{audience} brief")
        return draft

    def ground(
        self, notes: ChunkNotes, article: Article, chunk: Chunk
    ) -> tuple[ChunkNotes, GroundingStats]:
        """ground.ground_notes, remembered: the same notes of the same text, grounded by the
        same code, come out the same, so a warm run reads them back instead of doing the
        work again (alignment, speakers, figures) for every cached chunk."""
        parts = {
            "kind": "grounded",
            "notes": text_hash(notes.model_dump_json()),
            # The speaker of record may be read outside the chunk: the whole text counts.
            "article": text_hash([article.id, article.text]),
            "chunk": [chunk.index, chunk.start, chunk.end],
            "code": GROUNDING_CODE,
        }
        key = cache_key(parts)
        found = self._load(key, _Grounded)
        if found is not None:
            kept = found[1]
            return kept.notes, GroundingStats(**kept.stats)
        grounded, stats = ground_notes(notes, article, chunk)
        value = _Grounded(notes=grounded, stats=dataclasses.asdict(stats))
        self._store(
            key, parts, "grounded", value, [], f"{article.path} part {chunk.index + 1}, grounded"
        )
        return grounded, stats

    def plan_extract(self, chunk: Chunk, article: Article) -> PlannedCall:
        """--dry-run: a chunk whose notes are cached is planned as a call that costs nothing."""
        planned = self._engine.plan_extract(chunk, article)
        if self._peek(cache_key(self._engine.notes_key(chunk, article))):
            planned.kind = "extract, cached"
            planned.prompt_tokens = planned.max_completion_tokens = 0
        return planned

    # ------------------------------------------------------------ helpers

    def _made(self, keep) -> list[CallRecord]:
        ledger = getattr(self._engine, "ledger", None)
        return [r for r in (ledger.records if ledger else []) if not r.cached and keep(r)]

    def _peek(self, key: str) -> bool:
        try:
            return self.cache.has(key)
        except sqlite3.Error:
            return False

    def _load(self, key: str, model: type) -> tuple[Entry, Any] | None:
        if self.cache_problem:
            return None
        try:
            entry = self.cache.get(key)
        except sqlite3.Error as exc:
            self.cache_problem = f"the cache could not be read ({exc})"
            return None
        if entry is None:
            return None
        try:
            return entry, model.model_validate_json(entry.value)
        except ValidationError:
            # Stored by a version whose schema differs without a version bump: ask again.
            self.cache.drop(key)
            return None

    def _store(
        self, key: str, parts: dict, kind: str, value, made: list[CallRecord], label: str
    ) -> None:
        if self.cache_problem:
            return
        answered = [r for r in made if r.ok]
        try:
            self.cache.put(
                key,
                kind=kind,
                value=value.model_dump_json(),
                engine=str(parts.get("engine", "")),
                model=parts.get("model"),
                prompt=str(parts.get("prompt", "")),
                label=label,
                calls=len(answered),
                prompt_tokens=sum(r.prompt_tokens for r in answered),
                completion_tokens=sum(r.completion_tokens for r in answered),
            )
        except sqlite3.Error as exc:
            self.cache_problem = f"answers could not be kept in the cache ({exc})"

    def _replay(self, entry: Entry, kind: str, article_id: str | None, index: int | None) -> None:
        """The calls a cached answer once took, in the ledger as cached (they cost nothing)."""
        ledger = getattr(self._engine, "ledger", None)
        if ledger is None:
            return
        for n in range(max(1, entry.calls)):
            ledger.record(
                CallRecord(
                    kind=kind,
                    model=self._engine.model or "",
                    mode="cache",
                    prompt_tokens=entry.prompt_tokens if n == 0 else 0,
                    completion_tokens=entry.completion_tokens if n == 0 else 0,
                    seconds=0.0,
                    cached=True,
                    article_id=article_id,
                    chunk_index=index,
                )
            )


class _Grounded(BaseModel):
    notes: ChunkNotes
    stats: dict[str, int]


def _grounding_code() -> str:
    """A hash of the code that grounds notes: a change to any of it grounds them afresh."""
    from briefgen import facts, ground, polarity, quantities, schema, speaker_words, speakers
    from briefgen import text as text_module

    modules = (ground, facts, polarity, quantities, schema, speakers, speaker_words, text_module)
    return text_hash([Path(m.__file__).read_text(encoding="utf-8") for m in modules])


GROUNDING_CODE = _grounding_code()


def _of_chunk(record: CallRecord, article_id: str, index: int) -> bool:
    return record.kind == "extract" and (record.article_id, record.chunk_index) == (
        article_id,
        index,
    )
