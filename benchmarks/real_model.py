"""The LLM engine against a real model, beside the built-in extractive engine, on one corpus.

    python benchmarks/real_model.py [--base-url http://127.0.0.1:8102/v1]
        [--model qwen2.5-coder-1.5b] [--corpus examples/trade-talks] [-j 2] [--json FILE]
        [--keep DIR]

Start the model first (`../shared/llm/serve start qwen` serves Qwen2.5-Coder-1.5B-Instruct on
llama.cpp's llama-server at the default address). Each engine makes the exec brief of the
corpus the way a user would: `python -m briefgen make -a exec -f json`, cold (an empty state
folder), in a subprocess, start-up included. The LLM run goes through a counting proxy on
127.0.0.1 that forwards every request to the server unchanged, so what is counted is what
the server saw: HTTP requests (re-asks, retries and cut-off answers included), answers cut
off at the token limit, and the seconds each request took.

The table: wall time; chunks; requests and requests per chunk (goal at most 1.3); notes the
model gave and the share that survived grounding (goal at least 80%); brief points verified
and dropped. Then the two exec briefs side by side. `--keep DIR` keeps both JSON briefs and the
proxy's log of requests (without bodies) there.
"""

from __future__ import annotations

import argparse
import http.server
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from _common import REPO, machine, save_results, table

SAMPLE = REPO / "examples" / "trade-talks"


class CountingProxy:
    """Forwards POSTs to `target` and keeps one line per request: kind, status, seconds,
    finish reason and tokens. Runs on a thread; `address` is its base URL."""

    def __init__(self, target: str) -> None:
        self.target = target.rstrip("/")
        self.log: list[dict] = []
        self.lock = threading.Lock()
        proxy = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):
                self._forward(None)

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("content-length") or 0))
                self._forward(body)

            def _forward(self, body: bytes | None):
                path = self.path.removeprefix("/v1")
                request = urllib.request.Request(
                    proxy.target + path,
                    data=body,
                    method="POST" if body is not None else "GET",
                    headers={"content-type": "application/json"},
                )
                started = time.monotonic()
                try:
                    with urllib.request.urlopen(request, timeout=3600) as answer:
                        status, data = answer.status, answer.read()
                except urllib.error.HTTPError as error:
                    status, data = error.code, error.read()
                except OSError as error:  # the client gave up, or the server went away
                    proxy.note(body, 0, b"", time.monotonic() - started, str(error))
                    return
                proxy.note(body, status, data, time.monotonic() - started, "")
                try:
                    self.send_response(status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except OSError:  # briefgen stopped waiting (a timeout): the work was lost
                    with proxy.lock:
                        proxy.log[-1]["abandoned"] = True

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.address = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def note(self, body: bytes | None, status: int, data: bytes, seconds: float, error: str):
        kind = "other"
        if body:
            last = json.loads(body)["messages"][-1]["content"]
            kind = "map" if "<article>" in last else "synthesis"
        line = {"kind": kind, "status": status, "seconds": round(seconds, 1), "error": error}
        try:
            answer = json.loads(data)
            line["finish"] = answer["choices"][0]["finish_reason"]
            line["prompt_tokens"] = answer["usage"]["prompt_tokens"]
            line["completion_tokens"] = answer["usage"]["completion_tokens"]
        except (ValueError, KeyError, IndexError, TypeError):
            pass
        with self.lock:
            self.log.append(line)

    def close(self) -> None:
        self.server.shutdown()


def make(corpus: Path, state: Path, *options: str) -> tuple[dict, str, float]:
    """The exec brief as JSON, briefgen's standard error, and the wall time."""
    command = [sys.executable, "-m", "briefgen", "make", "-a", "exec", "-f", "json"]
    command += ["--cache", str(state), *options, str(corpus)]
    env = {**os.environ, "PYTHONPATH": str(REPO), "BRIEFGEN_CACHE": str(state)}
    started = time.monotonic()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=state)
    seconds = time.monotonic() - started
    if done.returncode != 0:
        raise SystemExit(f"briefgen failed ({done.returncode}):\n{done.stderr}")
    return json.loads(done.stdout), done.stderr, seconds


_REPORT = re.compile(
    r"(\d+) chunks?; notes kept (\d+), dropped (\d+); points verified (\d+), dropped (\d+)"
)


def report_of(stderr: str) -> tuple[int, ...]:
    """(chunks, notes kept, notes dropped, points verified, points dropped) from the run's
    summary on standard error."""
    found = _REPORT.search(stderr)
    if not found:
        raise SystemExit(f"no run summary in briefgen's output:\n{stderr}")
    return tuple(int(g) for g in found.groups())


def points(brief: dict) -> list[str]:
    def cite(p: dict) -> str:
        return p["text"] + " " + "".join(f"[{n}]" for n in p.get("citations", []))

    lines = [f"**{brief['headline']}**"]
    lines += [f"BL: {cite(p)}" for p in brief["bottom_line"]]
    lines += [f"- {cite(p)}" for p in brief["key_points"]]
    lines += [f"watch: {w['date_text'] or '?'}: {w['description']}" for w in brief["watch"]]
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://127.0.0.1:8102/v1")
    parser.add_argument("--model", default="qwen2.5-coder-1.5b")
    parser.add_argument("--corpus", type=Path, default=SAMPLE)
    parser.add_argument("-j", "--concurrency", type=int, default=2)
    parser.add_argument("--json", help="write the results here")
    parser.add_argument("--keep", type=Path, help="keep both briefs and the request log here")
    args = parser.parse_args()

    proxy = CountingProxy(args.base_url)
    with tempfile.TemporaryDirectory() as tmp:
        llm_state, ext_state = Path(tmp, "llm"), Path(tmp, "extractive")
        llm_state.mkdir()
        ext_state.mkdir()
        llm, llm_err, llm_s = make(
            args.corpus, llm_state, "--engine", "llm", "--base-url", proxy.address,
            "--model", args.model, "-j", str(args.concurrency),
        )  # fmt: skip
        ext, ext_err, ext_s = make(args.corpus, ext_state, "--engine", "extractive")
    proxy.close()

    log = proxy.log
    maps = [r for r in log if r["kind"] == "map"]
    cut = sum(1 for r in log if r.get("finish") == "length")
    abandoned = sum(1 for r in log if r.get("abandoned") or r["error"])
    rows = []
    for name, stderr, seconds, requests in (
        (f"llm ({args.model})", llm_err, llm_s, len(log)),
        ("extractive", ext_err, ext_s, 0),
    ):
        chunks, kept, dropped, verified, failed = report_of(stderr)
        given = kept + dropped
        rows.append([
            name, f"{seconds:.0f}", chunks, requests,
            f"{requests / chunks:.2f}" if requests else "-",
            given, f"{kept / given:.0%}" if given else "-", verified, failed,
        ])  # fmt: skip
    print(
        f"# {args.corpus} on {machine()}; model {args.model} at {args.base_url}, -j {args.concurrency}"
    )
    print(table(["engine", "wall s", "chunks", "requests", "per chunk", "notes given",
                 "notes kept", "points verified", "points dropped"], rows))  # fmt: skip
    map_times = [r["seconds"] for r in maps if r["status"] == 200]
    tokens = [r.get("completion_tokens", 0) for r in maps]
    print(
        f"\nmap requests {len(maps)}: {sum(map_times) / max(1, len(map_times)):.0f} s each on "
        f"average (slowest {max(map_times, default=0):.0f} s), "
        f"{sum(tokens) / max(1, len(tokens)):.0f} answer tokens each; cut off {cut}; "
        f"abandoned or failed {abandoned}; synthesis requests "
        f"{sum(1 for r in log if r['kind'] == 'synthesis')}"
    )
    print("\nbriefgen's summary line:", next((x for x in llm_err.splitlines() if "calls" in x), ""))
    print("\n## The two exec briefs\n")
    left, right = points(llm), points(ext)
    print("### LLM\n" + "\n".join(left) + "\n\n### extractive\n" + "\n".join(right))
    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        (args.keep / "llm.json").write_text(json.dumps(llm, indent=1))
        (args.keep / "extractive.json").write_text(json.dumps(ext, indent=1))
        (args.keep / "requests.json").write_text(json.dumps(log, indent=1))
    if args.json:
        save_results(args.json, args.corpus, rows=rows, requests=log, model=args.model)


if __name__ == "__main__":
    main()
