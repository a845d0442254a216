"""The seam between the pipeline and whatever reads and writes: both engines fill one schema.

An engine does two things: `extract` reads one chunk into ChunkNotes, and `write` turns the
merged Digest into a Draft for an audience. Grounding, merging, dating, citing, verifying
and rendering are the pipeline's, so they are shared by every engine and tested once.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from briefgen.errors import ConfigError
from briefgen.schema import Article, Audience, Chunk, ChunkNotes, Digest, Draft

if TYPE_CHECKING:
    from briefgen.config import EngineChoice, Settings


class Engine(Protocol):
    name: str
    model: str | None

    def extract(self, chunk: Chunk, article: Article) -> ChunkNotes: ...

    # Keywords beyond these are what an engine may be told besides (the extractive engine's
    # `watched` and `latest`, the LLM engine's `dating`); the pipeline knows which it runs.
    def write(
        self, digest: Digest, audience: Audience, articles: list[Article], **told: Any
    ) -> Draft: ...


ENGINES = ("extractive", "llm")


def get_engine(
    name: str = "extractive",
    settings: Settings | None = None,
    choice: EngineChoice | None = None,
    http_client: Any = None,
    mode_memory: Any = None,
    prompts: Path | None = None,
) -> Engine:
    """The engine called `name`; the llm engine is configured from `settings` and `choice`.

    `http_client` replaces the HTTP transport (tests, benchmarks); None uses the default.
    `mode_memory` is where the output mode that works per endpoint is remembered (a dict the
    caller persists); None keeps it for this process only.
    """
    if name == "extractive":
        from briefgen.engines.extractive import ExtractiveEngine

        return ExtractiveEngine()
    if name == "llm":
        from briefgen.config import Settings, choose_engine
        from briefgen.engines.llm import LLMEngine
        from briefgen.llm_client import LLMClient

        settings = settings or Settings(engine="llm")
        choice = choice or choose_engine(settings)
        from briefgen.pool import ClientPool, split_urls

        urls = split_urls(choice.base_url) or [None]
        clients = [
            LLMClient(
                base_url=url,
                api_key=settings.api_key,
                model=choice.model or "",
                timeout=settings.timeout,
                max_retry_seconds=settings.max_retry_seconds,
                http_client=http_client,
                mode_memory=mode_memory,
            )
            for url in urls
        ]
        # Several servers of one model: one client each, used as one (see pool.py).
        client = clients[0] if len(clients) == 1 else ClientPool(clients)
        engine = LLMEngine(
            client,
            model=choice.model or "",
            max_attempts=settings.max_attempts,
            max_output_tokens=settings.max_output_tokens,
            synthesis_budget=settings.synthesis_budget,
            prices=settings.prices,
            prompts=prompts,
            context_tokens=settings.context_tokens,
        )
        return engine
    raise ConfigError(f"unknown engine {name!r}: choose one of {', '.join(ENGINES)}")
