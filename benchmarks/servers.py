"""Several servers of one model: the map step against one server, then against two.

    python benchmarks/servers.py [--chunks 40] [--delay 0.2] [-j 8] [--json FILE]

Each server (benchmarks/_fake_llm.py, in a process of its own) answers one request at a time
after a fixed `--delay`, as a model server with one slot does (llama.cpp's default), and
valid, empty notes. The same map calls at the same concurrency go to one server, then to two
listed in one base_url (briefgen/pool.py). One server is busy all the time, so two should
give close to twice the calls per second (goal: at least 1.8x, 2x less the time the calls
are not waiting). The anchor is what a one-slot server allows at best: one call per delay.

Wall time is what is measured (the calls mostly wait, and the waits are the servers', not
briefgen's CPU), so other load on the machine moves it little.
"""

from __future__ import annotations

import argparse
import sys
import threading
import time

from _common import REPO, save_results
from _fake_llm import EMPTY_ANSWER, FakeServer
from llm_calls import chunks

from briefgen.engines.llm import LLMEngine
from briefgen.llm_client import LLMClient
from briefgen.pipeline import _map
from briefgen.pool import ClientPool

SAMPLE = REPO / "examples" / "trade-talks"
GOAL = 1.8  # two one-slot servers: 2x, less the turn-around between calls

# One slot per server process: each FakeServer is its own process, so this lock is its own.
_SLOT = threading.Lock()


class OneSlot:
    """A FakeServer answerer that serves one request at a time, each taking `delay`."""

    def __init__(self, delay: float) -> None:
        self.delay = delay

    def answer(self, messages: list[dict]) -> tuple[str, dict]:
        with _SLOT:
            time.sleep(self.delay)
        return "notes", EMPTY_ANSWER

    def get(self, path: str) -> dict | None:
        return None

    def reset(self) -> None:
        pass


def engine(urls: list[str]) -> LLMEngine:
    clients = [
        LLMClient(base_url=url, api_key="bench", model="fake", mode_memory={}) for url in urls
    ]
    client = clients[0] if len(clients) == 1 else ClientPool(clients)
    return LLMEngine(client, model="fake")


def run(urls: list[str], work, concurrency: int) -> float:
    eng = engine(urls)
    list(_map(eng, work[:1], 1, None))  # warm up: the first connection, the mode probe
    started = time.perf_counter()
    results = list(_map(eng, work, concurrency, None))
    elapsed = time.perf_counter() - started
    failed = [r for r in results if isinstance(r, Exception)]
    if failed:
        raise SystemExit(f"{len(failed)} calls failed: {failed[0]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chunks", type=int, default=40)
    parser.add_argument("--delay", type=float, default=0.2)
    parser.add_argument("-j", "--concurrency", type=int, default=8)
    parser.add_argument("--json", metavar="FILE", help="also write the results here")
    args = parser.parse_args()

    work = chunks(args.chunks)
    slot = OneSlot(args.delay)
    with FakeServer(delay=0.0, answerer=slot) as a, FakeServer(delay=0.0, answerer=slot) as b:
        one = run([a.url], work, args.concurrency)
        a.reset(), b.reset()
        two = run([a.url, b.url], work, args.concurrency)
        # Warm-up call included: each server's share of the second run.
        shares = (a.requests, b.requests)

    n = len(work)
    rate = {"one": n / one, "two": n / two}
    ratio = rate["two"] / rate["one"]
    print(f"map step: {n} calls, -j {args.concurrency}, one-slot servers, "
          f"{args.delay:.2f} s per request\n")  # fmt: skip
    print(f"{'run':<40} {'wall s':>8} {'calls/s':>8} {'ratio':>6}")
    print(f"{'anchor: one server at best (1/delay)':<40} {'':>8} {1 / args.delay:>8.2f} {'':>6}")
    print(f"{'one server':<40} {one:>8.2f} {rate['one']:>8.2f} {1.0:>6.2f}")
    print(f"{'two servers in one base_url':<40} {two:>8.2f} {rate['two']:>8.2f} {ratio:>6.2f}")
    print(f"calls per server in the two-server run: {shares[0]} and {shares[1]}")
    print(f"goal: two servers at least {GOAL}x the calls/s of one: "
          f"{'met' if ratio >= GOAL else 'NOT met'}")  # fmt: skip
    if args.json:
        save_results(
            args.json, SAMPLE, chunks=n, delay=args.delay, concurrency=args.concurrency,
            seconds={"one": one, "two": two}, calls_per_second=rate, ratio=ratio,
            shares=list(shares),
        )  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
