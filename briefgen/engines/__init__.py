"""The seam between the pipeline and whatever reads and writes: both engines fill one schema.

An engine does two things: `extract` reads one chunk into ChunkNotes, and `write` turns the
merged Digest into a Draft for an audience. Grounding, merging, dating, citing and rendering
are the pipeline's, so they are shared by every engine and tested once.
"""

from __future__ import annotations

from typing import Protocol

from briefgen.errors import ConfigError
from briefgen.schema import Article, Audience, Chunk, ChunkNotes, Digest, Draft


class Engine(Protocol):
    name: str
    model: str | None

    def extract(self, chunk: Chunk, article: Article) -> ChunkNotes: ...

    def write(self, digest: Digest, audience: Audience, articles: list[Article]) -> Draft: ...


ENGINES = ("extractive",)


def get_engine(name: str = "extractive") -> Engine:
    if name == "extractive":
        from briefgen.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    raise ConfigError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
