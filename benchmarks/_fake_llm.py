"""A local OpenAI-compatible server for benchmarks: a fixed delay, then valid empty notes.

Threaded, so concurrent calls overlap their delays as they would at a real endpoint, and run
in a process of its own, so its work does not share the client's interpreter lock. It counts
requests and prompt tokens (text.estimate_tokens over the messages and any response_format
schema; GET /stats reads them, POST /reset zeroes them) and answers /v1/chat/completions with
a ChunkNotesAnswer that has no notes: the benchmark measures waiting and tokens, not a model.

`FakeServer(answers="grounded")` answers as a careful model would instead, so that a whole
`briefgen make` runs through to a synthesis: a map call (its user message holds the chunk
between <article> and </article>) gets the chunk's first two sentences of 8 words or more as
"fact" claims, text and evidence both the sentence word for word, so they ground; a call
that lists <findings> gets a shortlist (the first numbers asked for) or a brief whose points
are the first findings' texts word for word, citing them, so it passes verification. GET
/stats then also counts requests by kind (notes, shortlist, brief, revise, other).

Other servers (benchmarks/_lying_llm.py) reuse this one with an answerer of their own: an
object whose `answer(messages)` gives (kind, answer), `get(path)` serves extra GET paths and
`reset()` clears its state on POST /reset. `chunk_of` and `findings_of` read what a call was
sent, for any answerer.
"""

from __future__ import annotations

import json
import multiprocessing
import re
import socket
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from briefgen.engines.llm_schema import notes_answer
from briefgen.text import estimate_tokens, sentence_spans

# Notes in briefgen's own form, before by_number(); EMPTY_ANSWER is what the prompt asks for.
EMPTY_NOTES = {"claims": [], "quotes": [], "figures": [], "events": [], "entities": []}
EMPTY_ANSWER = notes_answer()
ANSWERS = ("empty", "grounded")

# "[3] (fact; 2 articles) text", as prompts/_findings.j2 lists them; the count is optional so
# an edited list still reads.
_FINDING = re.compile(r"^\[(\d+)\] \(([^;)]*)(?:; (\d+)[^)]*)?\) (.*)$", re.M)
_CHOOSE = re.compile(r"Choose at most (\d+) of these findings")


def chunk_of(messages: list[dict]) -> str | None:
    """The passage a map call is about: its numbered sentences (between <article> and
    </article>, "[n] " taken off), one per line; None for other calls."""
    last = messages[-1]["content"]
    if "<article>" not in last:
        return None
    block = last.split("<article>\n", 1)[1].rsplit("</article>", 1)[0]
    return "\n".join(m.group(1) for m in re.finditer(r"^\[\d+\] (.*)$", block, re.M))


def by_number(notes: dict, passage: str) -> dict:
    """Notes written as briefgen's own (claims with "text", "kind" and copied "evidence",
    quotes, figures, events, entities), in the answer form the prompt asks for: each names
    the number of the passage's line that holds its evidence ([1] is the first)."""
    from briefgen.engines.llm_schema import NOTE_LIMITS, notes_answer

    lines = passage.split("\n")

    def number(evidence: str) -> int:
        found = [n for n, line in enumerate(lines, start=1) if evidence.strip() in line]
        return found[0] if found else len(lines) + 1  # in no line: a number out of range

    def numbered(item: dict) -> dict:
        return {"sentence": number(item["evidence"]),
                **{k: v for k, v in item.items() if k != "evidence"}}  # fmt: skip

    answer = notes_answer(
        claims=[(number(c["evidence"]), c["kind"]) for c in notes.get("claims", [])],
        quotes=[(number(q["evidence"]), q.get("speaker")) for q in notes.get("quotes", [])],
        figures=[numbered(f) for f in notes.get("figures", [])],
        events=[numbered(e) for e in notes.get("events", [])],
        entities=[(e["name"], e["kind"]) for e in notes.get("entities", [])],
    )
    # A list longer than its bound is cut by briefgen; a stand-in keeps within it.
    return {k: v[: NOTE_LIMITS.get(k, NOTE_LIMITS["names"])] for k, v in answer.items()}


def findings_of(messages: list[dict]) -> str | None:
    """The user message that lists the <findings> (the first one), or None."""
    # The findings are listed in the first user message (the system message names the tag).
    return next(
        (m["content"] for m in messages if m["role"] == "user" and "<findings>" in m["content"]),
        None,
    )


def listed_findings(asked: str) -> list[dict]:
    """The findings a synthesis or shortlist was given: id, kind, corroboration, text."""
    return [
        {"id": int(n), "kind": kind, "corroboration": int(count or 1), "text": text}
        for n, kind, count, text in _FINDING.findall(asked)
    ]


def sentences_of(text: str) -> list[str]:
    return [text[a:b] for a, b in sentence_spans(text, 0, len(text))]


def call_kind(messages: list[dict], asked: str) -> str:
    """A call with findings: a shortlist, the brief, or its revision (asked after the brief,
    with the same findings above)."""
    if _CHOOSE.search(asked):
        return "shortlist"
    return "brief" if "<findings>" in messages[-1]["content"] else "revise"


def _grounded(messages: list[dict]) -> tuple[str, dict]:
    """What kind of call this is, and the answer a careful model would give to it."""
    text = chunk_of(messages)
    if text is not None:
        claims = [s for s in sentences_of(text) if len(s.split()) >= 8][:2]
        notes = {
            **EMPTY_NOTES,
            "claims": [{"text": s, "kind": "fact", "evidence": s} for s in claims],
        }
        return "notes", by_number(notes, text)
    asked = findings_of(messages)
    if asked is None:
        return "other", EMPTY_ANSWER
    listed = [(f["id"], f["text"]) for f in listed_findings(asked)]
    kind = call_kind(messages, asked)
    if kind == "shortlist":
        keep = int(_CHOOSE.search(asked).group(1))
        return kind, {"findings": [n for n, _ in listed[:keep]]}
    return kind, {
        "headline": "What the articles say",
        "bottom_line": [{"text": text, "findings": [n]} for n, text in listed[:1]],
        "key_points": [{"text": text, "findings": [n]} for n, text in listed[1:6]],
        "sections": [],
        "article_summaries": [],
    }


class GroundedAnswers:
    """answers="grounded" as an answerer: no state, no extra paths."""

    def answer(self, messages: list[dict]) -> tuple[str, dict]:
        return _grounded(messages)

    def get(self, path: str) -> dict | None:
        return None

    def reset(self) -> None:
        pass


def _serve(delay: float, port_out, answers: str = "empty", answerer=None) -> None:
    if answerer is None and answers == "grounded":
        answerer = GroundedAnswers()
    lock = threading.Lock()
    counts = {"requests": 0, "prompt_tokens": 0}
    kinds: dict[str, int] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):  # quiet
            pass

        def setup(self):
            super().setup()
            # Headers and body go out in two writes; without this, Nagle's algorithm and the
            # client's delayed ACK hold the body back ~40 ms, a stall real servers avoid.
            self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

        def _send(self, payload: dict) -> None:
            data = json.dumps(payload).encode()
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # /stats, or the answerer's own paths
            extra = answerer.get(self.path) if answerer is not None else None
            if extra is not None:
                return self._send(extra)
            with lock:
                self._send({**counts, "kinds": dict(kinds)} if answers != "empty" else counts)

        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["content-length"])) or b"{}")
            if self.path.endswith("/reset"):
                with lock:
                    counts.update(requests=0, prompt_tokens=0)
                    kinds.clear()
                if answerer is not None:
                    answerer.reset()
                return self._send({})
            sent = "".join(m["content"] for m in body["messages"])
            sent += json.dumps(body.get("response_format") or "")
            tokens = estimate_tokens(sent)
            kind, answer = ("notes", EMPTY_ANSWER)
            if answerer is not None:
                kind, answer = answerer.answer(body["messages"])
            with lock:
                counts["requests"] += 1
                counts["prompt_tokens"] += tokens
                kinds[kind] = kinds.get(kind, 0) + 1
            time.sleep(delay)
            content = json.dumps(answer)
            done = estimate_tokens(content)
            self._send(
                {
                    "id": "bench",
                    "object": "chat.completion",
                    "created": 0,
                    "model": body.get("model", "fake"),
                    "choices": [
                        {
                            "index": 0,
                            "finish_reason": "stop",
                            "message": {"role": "assistant", "content": content},
                        }
                    ],
                    "usage": {
                        "prompt_tokens": tokens,
                        "completion_tokens": done,
                        "total_tokens": tokens + done,
                    },
                }
            )

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    port_out.send(httpd.server_address[1])
    httpd.serve_forever()


class FakeServer:
    """The server in a process of its own, for `with`: .url is its /v1 endpoint.

    `answerer` (an object as the module's docstring says, picklable) replaces what
    `answers` names; GET /stats then counts requests by kind too.
    """

    def __init__(self, delay: float = 0.5, answers: str = "empty", answerer=None):
        if answers not in ANSWERS:
            raise ValueError(f"answers must be one of {ANSWERS}, not {answers!r}")
        self.delay = delay
        self.answers = answers if answerer is None else "grounded"
        self.answerer = answerer

    def _call(self, method: str, path: str) -> dict | list:
        data = b"{}" if method == "POST" else None
        with urllib.request.urlopen(
            urllib.request.Request(self.root + path, data, method=method)
        ) as r:
            return json.loads(r.read())

    @property
    def requests(self) -> int:
        return self._call("GET", "/stats")["requests"]

    @property
    def prompt_tokens(self) -> int:
        return self._call("GET", "/stats")["prompt_tokens"]

    @property
    def kinds(self) -> dict[str, int]:
        """Requests by kind since the last reset (answers="grounded" only)."""
        return self._call("GET", "/stats").get("kinds", {})

    def reset(self) -> None:
        self._call("POST", "/reset")

    def __enter__(self) -> FakeServer:
        receive, send = multiprocessing.Pipe(duplex=False)
        self.process = multiprocessing.Process(
            target=_serve, args=(self.delay, send, self.answers, self.answerer), daemon=True
        )
        self.process.start()
        port = receive.recv()
        self.root = f"http://127.0.0.1:{port}"
        self.url = self.root + "/v1"
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.join()
