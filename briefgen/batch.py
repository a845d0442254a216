"""Map calls through a batch service (OpenAI's Batch API, or vLLM's run_batch offline).

A batch is one JSONL file of chat requests, one per chunk whose notes are not cached. Each
line's custom_id is the chunk's cache key, so a collected answer lands in the same cache a
live answer would, and a later run finds it there: nothing is asked twice.

The flow follows the Batch API: upload the JSONL with /v1/files (purpose "batch"), create
the batch on /v1/chat/completions with completion_window "24h", poll its status
(validating, in_progress, finalizing, completed; or failed, expired, cancelling, cancelled),
then download output_file_id and error_file_id. An expired or cancelled batch may still
have an output file: what finished is kept, the rest is asked again next time (its keys
are simply not in the cache).

What is kept in the state folder (batch.json beside cache.db): the batch id, the input file
id, the model and, per custom id, which chunk it reads (article id, index, span), so that
collecting can rebuild the notes. Never the API key or any header.

Each answer goes through the same parsing as a live one (extract_json, ChunkNotesAnswer,
to_notes); grounding is the pipeline's, done when the notes are read from the cache.
"""

from __future__ import annotations

import io
import json
from collections.abc import Collection, Iterable, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pydantic

from briefgen.cache import Cache, cache_key
from briefgen.engines.llm_schema import ChunkNotesAnswer, to_notes
from briefgen.exit_codes import ExitCode
from briefgen.json_answers import extract_json, strict_once
from briefgen.ledger import BATCH_MODE, BATCH_PRICE_FACTOR, CallRecord, Ledger, Price, is_local_url
from briefgen.schema import Article, Chunk

STATE_FILE = "batch.json"
# Chunks whose batch answer came back unusable (an error, cut off at max_tokens, not valid
# notes): asked live from then on, where a cut-off chunk is split in halves and a bad answer
# re-asked with its error. Sent in batch after batch, the same chunk would fail the same way
# and `make --batch` would never get past it.
LIVE_FILE = "batch-live.json"
# The id kept for a batch written to a file, not sent (`briefgen batch write`).
LOCAL_BATCH = "local-file"
ENDPOINT = "/v1/chat/completions"
# The only completion window the Batch API offers.
COMPLETION_WINDOW = "24h"
# Statuses after which a batch will not change: collect what it has.
DONE = {"completed", "failed", "expired", "cancelled"}
# follow --batch: seconds between looks at a waiting batch. Batch services ask for polls
# 30 to 60 s apart (a batch takes minutes to hours); the slower end spares their limits.
POLL_SECONDS = 60.0
# Exit code of `make --batch` when it left a batch to collect (not an error, not done).
EXIT_BATCH_PENDING = int(ExitCode.BATCH_PENDING)  # "try again later" (exit_codes.py)


def batch_price(price: Price) -> Price:
    """The price of a batch call given the model's list price."""
    return Price(price.prompt * BATCH_PRICE_FACTOR, price.completion * BATCH_PRICE_FACTOR)


@dataclass
class Pending:
    """One batch sent and not yet collected, as kept in the state folder."""

    batch_id: str
    input_file_id: str
    model: str
    base_url: str
    # custom_id -> {"article_id", "index", "start", "end"}
    chunks: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass
class Collected:
    stored: int = 0  # answers put in the cache
    # One record per answer collected (mode "batch": priced at the batch share).
    ledger: Ledger = field(default_factory=Ledger)
    failed: list[str] = field(default_factory=list)  # custom ids to ask again
    # Of those, the ones answered but unusable: asked live next (LIVE_FILE), not re-batched.
    unusable: list[str] = field(default_factory=list)
    status: str = ""


# ------------------------------------------------------------ requests


def _learned_fixes(engine: Any) -> frozenset[str]:
    learned = getattr(engine.client, "learned_fixes", None)
    return learned() if callable(learned) else frozenset()


def _answer_limit(engine: Any) -> str:
    """The name the answer-token cap goes by in a batch line for the engine's endpoint.

    OpenAI's own API takes max_completion_tokens from every chat model and its reasoning
    models refuse max_tokens; a batch line cannot learn that from a refusal as a live call
    does (llm_client._adaptation), since the error comes back hours later. Other servers
    (vLLM's run_batch, llama.cpp, Ollama) know max_tokens, unless a live call to the same
    endpoint has already learned otherwise."""
    host = (urlsplit(engine.base_url).hostname or "").lower()
    if host == "openai.com" or host.endswith(".openai.com"):
        return "max_completion_tokens"
    if "max_completion_tokens" in _learned_fixes(engine):
        return "max_completion_tokens"
    return "max_tokens"


def map_request(engine: Any, chunk: Chunk, article: Article) -> dict[str, Any]:
    """One JSONL line asking for `chunk`'s notes, as the live engine would ask."""
    schema = ChunkNotesAnswer.model_json_schema()
    bounded = strict_once(schema, keep_bounds=is_local_url(engine.base_url))
    body = {
        "model": engine.model,
        "messages": engine.extract_messages(chunk, article),
        _answer_limit(engine): engine.answer_tokens,
        "response_format": {
            "type": "json_schema",
            "json_schema": {"name": "ChunkNotesAnswer", "schema": bounded, "strict": True},
        },
    }
    temperature = getattr(engine.client, "temperature", None)
    if temperature is not None and "no_temperature" not in _learned_fixes(engine):
        body["temperature"] = temperature  # the live call's, so both answers are alike
    return {
        # The cache's own key: a collected answer is stored where a live one would be.
        "custom_id": cache_key(engine.notes_key(chunk, article)),
        "method": "POST",
        "url": ENDPOINT,
        "body": body,
    }


def uncached_requests(
    engine: Any, cache: Cache, pairs: Iterable[tuple[Chunk, Article]], live: Collection[str] = ()
) -> tuple[list[dict], dict[str, dict]]:
    """The request lines of chunks whose notes are not cached, and which chunk each reads.
    The same passage twice (a reprinted wire story) is asked once; chunks in `live` (whose
    batch answer was unusable, load_live) are left to the live map."""
    lines: list[dict] = []
    chunks: dict[str, dict] = {}
    for chunk, article in pairs:
        line = map_request(engine, chunk, article)
        key = line["custom_id"]
        if key in chunks or key in live or cache.has(key):
            continue
        chunks[key] = {
            "article_id": article.id,
            "index": chunk.index,
            "start": chunk.start,
            "end": chunk.end,
        }
        lines.append(line)
    return lines, chunks


def to_jsonl(lines: list[dict]) -> bytes:
    return "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()


# ------------------------------------------------------------ state


def load_pending(state: Path) -> Pending | None:
    path = Path(state) / STATE_FILE
    if not path.is_file():
        return None
    return Pending(**json.loads(path.read_text(encoding="utf-8")))


def save_pending(state: Path, pending: Pending) -> None:
    Path(state).mkdir(parents=True, exist_ok=True)
    path = Path(state) / STATE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(asdict(pending), indent=1), encoding="utf-8")
    tmp.replace(path)  # a crash mid-write never leaves half a state file


def forget_pending(state: Path) -> None:
    (Path(state) / STATE_FILE).unlink(missing_ok=True)


def load_live(state: Path) -> set[str]:
    """The chunks (cache keys) to ask live rather than in a batch (LIVE_FILE)."""
    path = Path(state) / LIVE_FILE
    if not path.is_file():
        return set()
    return set(json.loads(path.read_text(encoding="utf-8")))


def add_live(state: Path, keys: Iterable[str]) -> None:
    keys = set(keys)
    if not keys:
        return
    path = Path(state) / LIVE_FILE
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(sorted(load_live(state) | keys), indent=1), encoding="utf-8")
    tmp.replace(path)


# ------------------------------------------------------------ the service


def submit(client: Any, state: Path, lines: list[dict], chunks: dict, engine: Any) -> Pending:
    """Upload the JSONL, create the batch, keep its id. `client` is an openai.OpenAI."""
    upload = client.files.create(
        file=("requests.jsonl", io.BytesIO(to_jsonl(lines))), purpose="batch"
    )
    batch = client.batches.create(
        input_file_id=upload.id, endpoint=ENDPOINT, completion_window=COMPLETION_WINDOW
    )
    pending = Pending(batch.id, upload.id, engine.model, str(engine.base_url), chunks)
    save_pending(state, pending)
    return pending


def write_local(path: Path, state: Path, lines: list[dict], chunks: dict, engine: Any) -> Pending:
    """The same JSONL written to `path` for a batch run elsewhere (vLLM's run_batch); its
    results come back with collect_file. No service is called."""
    Path(path).write_bytes(to_jsonl(lines))
    pending = Pending(LOCAL_BATCH, "", engine.model, str(engine.base_url), chunks)
    save_pending(state, pending)
    return pending


def status(client: Any, pending: Pending) -> Any:
    return client.batches.retrieve(pending.batch_id)


def cancel(client: Any, pending: Pending) -> Any:
    return client.batches.cancel(pending.batch_id)


def download(client: Any, file_id: str | None) -> str:
    return client.files.content(file_id).text if file_id else ""


def collect(
    client: Any, state: Path, cache: Cache, articles: Mapping[str, Article]
) -> Collected | None:
    """Put a finished batch's answers in the cache; None while it is still running.
    Lines that failed (error file, bad answer) are not stored, so the next run asks them."""
    pending = load_pending(state)
    if pending is None:
        return None
    batch = status(client, pending)
    if batch.status not in DONE:
        return None
    text = download(client, batch.output_file_id) + download(client, batch.error_file_id)
    result = store_results(text, pending, cache, articles)
    result.status = batch.status
    add_live(state, result.unusable)
    forget_pending(state)
    return result


def collect_file(
    path: Path, state: Path, cache: Cache, articles: Mapping[str, Article]
) -> Collected | None:
    """Results written by vLLM's run_batch (same line format) put in the cache."""
    pending = load_pending(state)
    if pending is None:
        return None
    result = store_results(Path(path).read_text(encoding="utf-8"), pending, cache, articles)
    result.status = "collected from file"
    add_live(state, result.unusable)
    forget_pending(state)
    return result


def store_results(
    text: str, pending: Pending, cache: Cache, articles: Mapping[str, Article]
) -> Collected:
    result = Collected()
    answered: set[str] = set()
    unusable: set[str] = set()
    for raw in text.splitlines():
        if not raw.strip():
            continue
        line = json.loads(raw)
        key = line.get("custom_id", "")
        where = pending.chunks.get(key)
        if where is None or key in answered:
            continue  # not ours (a stale file) or a duplicate
        answer = _answer(line)
        article = articles.get(where["article_id"])
        if article is None:
            continue
        if answer is None:
            unusable.add(key)
            continue
        content, usage = answer
        try:
            value = ChunkNotesAnswer.model_validate_json(extract_json(content))
        except pydantic.ValidationError:
            unusable.add(key)  # asked live next, with its re-asks
            continue
        chunk = _chunk(article, where)
        notes = to_notes(value, chunk, article)
        cache.put(
            key,
            kind="notes",
            value=notes.model_dump_json(),
            engine="llm",
            model=pending.model,
            prompt="batch",
            label=f"{article.path} part {chunk.index + 1}, batch",
            calls=1,
            prompt_tokens=int(usage.get("prompt_tokens", 0)),
            completion_tokens=int(usage.get("completion_tokens", 0)),
        )
        answered.add(key)
        result.stored += 1
        result.ledger.record(
            CallRecord(
                kind="extract",
                model=pending.model,
                mode=BATCH_MODE,
                prompt_tokens=int(usage.get("prompt_tokens", 0)),
                completion_tokens=int(usage.get("completion_tokens", 0)),
                seconds=0.0,
                article_id=article.id,
                chunk_index=chunk.index,
            )
        )
    result.failed = [k for k in pending.chunks if k not in answered]
    # A line that never ran (an expired or cancelled batch) goes in the next batch.
    result.unusable = [k for k in result.failed if k in unusable]
    return result


def _answer(line: dict) -> tuple[str, dict] | None:
    """(content, usage) of a good result line; None for an error or a cut-off answer."""
    if line.get("error"):
        return None
    response = line.get("response") or {}
    if response.get("status_code", 200) != 200:
        return None
    # The Batch API wraps the completion in "body"; some run_batch versions write it bare.
    body = response.get("body") or (response if "choices" in response else {})
    choices = body.get("choices") or []
    if not choices or choices[0].get("finish_reason") == "length":
        return None
    content = (choices[0].get("message") or {}).get("content")
    return (content, body.get("usage") or {}) if content else None


def _chunk(article: Article, where: dict) -> Chunk:
    from briefgen.text import estimate_tokens

    text = article.text[where["start"] : where["end"]]
    return Chunk(
        article_id=article.id,
        index=where["index"],
        start=where["start"],
        end=where["end"],
        text=text,
        tokens=estimate_tokens(text),
    )


# ------------------------------------------------------------ make --batch


def openai_client(engine: Any, api_key: str | None) -> Any:
    """The openai client of the engine's endpoint; the key lives in memory only."""
    import openai

    return openai.OpenAI(base_url=str(engine.base_url), api_key=api_key or "none")


def prepare(
    client: Any, engine: Any, state: Path, paths: list[str]
) -> tuple[str, bool, Collected | None]:
    """The map of `make --batch`: collect a finished batch into the cache, then send the
    chunks still uncached as one new batch. (what to tell the user, whether a batch waits,
    what was collected). With nothing left to ask, the caller makes the brief live from the
    cache."""
    from briefgen.chunking import chunk_article
    from briefgen.ingest import load

    articles = {a.id: a for a in load(paths).articles}
    said = []
    got = None
    if load_pending(state) is not None:
        got = collect(client, state, engine.cache, articles)
        if got is None:
            pending = load_pending(state)
            return f"batch {pending.batch_id} is still running; {_how(paths)}", True, None
        cost = got.ledger.summary(engine.prices, engine.local)
        said.append(f"collected batch ({got.status}): {got.stored} answers, {cost}")
    tokens = engine.chunk_tokens
    pairs = [(c, a) for a in articles.values() for c in chunk_article(a, tokens)]
    live = load_live(state)
    lines, chunks = uncached_requests(engine, engine.cache, pairs, live)
    if got is not None and got.unusable:
        said.append(f"{len(got.unusable)} chunks whose batch answers were unusable are asked live")
    if not lines:
        return "; ".join([*said, "every map answer is cached or asked live"]), False, got
    pending = submit(client, state, lines, chunks, engine)
    said.append(f"sent batch {pending.batch_id} of {len(lines)} map calls; {_how(paths)}")
    return "; ".join(said), True, got


def _how(paths: list[str]) -> str:
    where = " ".join(paths)
    return f"run `briefgen batch status {where}`, then `briefgen make --batch {where}` again"
