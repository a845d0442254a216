"""The LLM engine's map step against a local server that answers after a fixed delay.

    python benchmarks/llm_calls.py [--chunks 40] [--delay 0.5] [--json FILE]

A model call mostly waits, so what matters is how many waits overlap, and how many tokens
each call sends. The server here (benchmarks/_fake_llm.py) is OpenAI-compatible, sleeps
`--delay` seconds per request, then answers valid, empty notes; it counts each request's
prompt tokens with briefgen's own estimator (text.estimate_tokens) over everything sent:
every message and the response_format schema, as a hosted API bills them.

Two tables:
1. wall time of the map step over the same chunks at concurrency 1 and 8 (goal: 8 is at
   least 5x faster), and the anchor: the delay times the calls, the time of calls made one
   after another with no work at all;
2. prompt tokens sent against the article tokens read (goal: at most 1.3 x the article
   tokens plus a fixed overhead per call). The overhead is measured, not assumed: the prompt
   tokens of one call whose chunk is empty;
3. briefgen's own CPU per map call, against a server that answers at once (goal: at most
   5 ms): the request, its notes made ChunkNotes and grounded; beside the anchor of the
   request alone (the openai client, JSON and validation), which no grounding can beat.

The chunks are the sample corpus (examples/trade-talks) cut small enough to give --chunks
of them; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import sys
import time

from _common import REPO, save_results
from _fake_llm import FakeServer

from briefgen.chunking import chunk_article
from briefgen.engines.llm import LLMEngine
from briefgen.engines.llm_schema import ChunkNotesAnswer
from briefgen.ground import ground_notes
from briefgen.ingest import load
from briefgen.llm_client import LLMClient
from briefgen.pipeline import _map
from briefgen.schema import Article, Chunk
from briefgen.text import estimate_tokens

SAMPLE = REPO / "examples" / "trade-talks"
SCHEMA = ChunkNotesAnswer.model_json_schema()


def chunks(n: int) -> list[tuple[Article, Chunk]]:
    articles = load([str(SAMPLE)]).articles
    for budget in (1000, 600, 400, 300, 200, 150, 100, 75, 50):
        work = [(a, c) for a in articles for c in chunk_article(a, budget)]
        if len(work) >= n:
            return work[:n]
    raise SystemExit(f"the sample corpus does not make {n} chunks")


def engine(url: str) -> LLMEngine:
    client = LLMClient(base_url=url, api_key="bench", model="fake", mode_memory={})
    return LLMEngine(client, model="fake")


def run(url: str, work, concurrency: int) -> float:
    started = time.perf_counter()
    results = list(_map(engine(url), work, concurrency, None))
    elapsed = time.perf_counter() - started
    failed = [r for r in results if isinstance(r, Exception)]
    if failed:
        raise SystemExit(f"{len(failed)} calls failed: {failed[0]}")
    return elapsed


def cpu_per_call(work) -> tuple[float, float]:
    """Milliseconds of this process's CPU per map call: the request alone, then the request
    with its notes turned into ChunkNotes and grounded, as a run does. The server (its own
    process) answers at once, with two sentences of the chunk per call, named by number."""
    with FakeServer(delay=0.0, answers="grounded") as server:
        eng = engine(server.url)
        eng.extract(*reversed(work[0]))  # warm up: imports, the first connection
        started = time.process_time()
        for article, chunk in work:
            eng.client.complete(
                eng.extract_messages(chunk, article), schema=SCHEMA, schema_name="notes",
                max_tokens=eng.max_output_tokens,
            )  # fmt: skip
        requests = (time.process_time() - started) * 1000 / len(work)
        started = time.process_time()
        for article, chunk in work:
            ground_notes(eng.extract(chunk, article), article, chunk)
        grounded = (time.process_time() - started) * 1000 / len(work)
    return requests, grounded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=40)
    parser.add_argument("--delay", type=float, default=0.5)
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    args = parser.parse_args()

    work = chunks(args.chunks)
    with FakeServer(delay=args.delay) as server:
        run(server.url, work[:1], 1)  # warm up: imports, the first connection
        times = {}
        for concurrency in (1, 8):
            server.reset()
            times[concurrency] = run(server.url, work, concurrency)
        prompt_tokens = server.prompt_tokens
        calls = server.requests
        server.reset()
        article, chunk = work[0]
        empty = chunk.model_copy(update={"text": "", "end": chunk.start, "tokens": 0})
        run(server.url, [(article, empty)], 1)
        overhead = server.prompt_tokens

    cpu_calls, cpu_grounded = cpu_per_call(work)
    article_tokens = sum(estimate_tokens(c.text) for _, c in work)
    anchor = args.delay * len(work)
    speedup = times[1] / times[8]
    print(f"map step over {len(work)} chunks, server delay {args.delay:.2f} s per call\n")
    print(f"{'run':<34} {'wall s':>8} {'speedup':>8}")
    print(f"{'anchor: delay x calls, no work':<34} {anchor:>8.2f} {'':>8}")
    print(f"{'briefgen, concurrency 1':<34} {times[1]:>8.2f} {1.0:>8.2f}")
    print(f"{'briefgen, concurrency 8':<34} {times[8]:>8.2f} {speedup:>8.2f}")
    print(
        f"goal: concurrency 8 at least 5x faster than 1: {'met' if speedup >= 5 else 'NOT met'}\n"
    )

    allowed = 1.3 * article_tokens + overhead * calls
    print(f"{'tokens':<44} {'count':>9}")
    print(f"{'article tokens read':<44} {article_tokens:>9,}")
    print(f"{'prompt tokens sent (counted by the server)':<44} {prompt_tokens:>9,}")
    print(f"{'fixed overhead per call (empty chunk)':<44} {overhead:>9,}")
    print(f"{'prompt - overhead x calls':<44} {prompt_tokens - overhead * calls:>9,}")
    ratio = (prompt_tokens - overhead * calls) / article_tokens
    print(f"{'  as a multiple of the article tokens':<44} {ratio:>9.2f}")
    met = prompt_tokens <= allowed
    print(f"goal: at most 1.3 x article tokens + overhead x calls ({allowed:,.0f}): "
          f"{'met' if met else 'NOT met'}")  # fmt: skip
    print(f"\n{'briefgen CPU per map call (server answers at once)':<52} {'ms':>6}")
    print(f"{'anchor: the request alone (client, JSON, validation)':<52} {cpu_calls:>6.1f}")
    print(f"{'briefgen: request, notes and grounding':<52} {cpu_grounded:>6.1f}")
    print(f"goal: at most 5 ms per call: {'met' if cpu_grounded <= 5 else 'NOT met'}")
    if args.json:
        save_results(
            args.json, SAMPLE, chunks=len(work), delay=args.delay, seconds=times,
            speedup=speedup, article_tokens=article_tokens, prompt_tokens=prompt_tokens,
            overhead_per_call=overhead, calls=calls, cpu_ms_request=cpu_calls,
            cpu_ms_grounded=cpu_grounded,
        )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
