"""Build the cassettes in this folder: answers a capable model would give, not a model's.

Some tests need well-formed answers that the tiny recording model cannot give. Their
cassettes are made here, by running briefgen against a stand-in server (an httpx2
MockTransport) and writing down every request and the answer given:

- map calls (one per chunk) are answered with notes made by briefgen's extractive rules from
  the chunk in the request: verbatim sentences, quotes, figures and dated events; plus, where
  answers.yaml says so, a note the article does not support (a made-up quote), which the
  grounding step must drop;
- synthesis calls are answered with the briefs written by hand in answers.yaml, which cite
  findings by number, as a model would.

Every cassette says so in its `source:` line. Run it again after editing a prompt or
answers.yaml (the requests change with them):

    .venv/bin/python tests/cassettes/authored/author.py          # writes *.yaml here
    .venv/bin/python tests/cassettes/authored/author.py --show   # prints the findings the
                                                                 # synthesis prompts list
"""

from __future__ import annotations

import contextlib
import json
import re
import sys
import tempfile
from pathlib import Path

import httpx2
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import vcr_format  # noqa: E402

from briefgen import llm_client  # noqa: E402
from briefgen.engines.extractive import ExtractiveEngine  # noqa: E402
from briefgen.engines.llm_schema import NOTE_LIMITS, notes_answer  # noqa: E402
from briefgen.schema import Article, Chunk  # noqa: E402

BASE_URL = "http://127.0.0.1:8101/v1"  # what the tests use; matching ignores the host
MODEL = "smollm2"
SOURCE = (
    "written for the tests, not recorded: map answers made by briefgen's extractive rules "
    "from the chunk in each request{extra}, synthesis answers written by hand "
    "(tests/cassettes/authored/answers.yaml); built by tests/cassettes/authored/author.py"
)


def _reply(content: str, prompt_tokens: int, completion_tokens: int, finish: str = "stop"):
    return {
        "id": "chatcmpl-authored",
        "object": "chat.completion",
        "created": 0,
        "model": MODEL,
        "choices": [
            {
                "index": 0,
                "finish_reason": finish,
                "message": {"role": "assistant", "content": content},
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def notes_for(sentences: list[str], made_up_quote: dict | None) -> dict:
    """The notes a careful model would take: the extractive rules' notes, in answer form,
    each naming the numbers of the sentences (as the prompt shows them) it rests on."""
    chunk_text = "\n".join(sentences)
    article = Article(id="a", title="t", text=chunk_text, path="-")
    chunk = Chunk(article_id="a", index=0, start=0, end=len(chunk_text), text=chunk_text, tokens=0)
    notes = ExtractiveEngine().extract(chunk, article)
    starts = [0]
    for sentence in sentences:
        starts.append(starts[-1] + len(sentence) + 1)

    def first(span) -> int:
        return next(n for n in range(len(sentences)) if starts[n + 1] > span.start) + 1

    def capped(items, limit):
        return list(items)[:limit]

    # A capable model keeps the sentences with the most to say: figures first, then in order.
    chosen = [c for c in notes.claims if len(c.evidence.split()) >= 8]
    chosen.sort(key=lambda c: not any(ch.isdigit() for ch in c.evidence))
    claims = [(first(c.span), c.kind) for c in chosen[: NOTE_LIMITS["claims"]]]
    names: dict[str, int] = {}
    entities = []
    for e in notes.entities:
        if names.get(e.kind, 0) < NOTE_LIMITS["names"]:
            names[e.kind] = names.get(e.kind, 0) + 1
            entities.append((e.name, e.kind))
    answer = notes_answer(
        claims=claims,
        quotes=capped(((first(q.span), q.speaker) for q in notes.quotes), NOTE_LIMITS["quotes"]),
        figures=capped(
            ({"sentence": first(f.span), "value": f.value, "about": f.about} for f in notes.figures),
            NOTE_LIMITS["figures"],
        ),
        events=capped(
            (
                {"sentence": first(e.span), "description": e.description[:60],
                 "date_text": e.date_text, "status": e.status}  # fmt: skip
                for e in notes.events
            ),
            NOTE_LIMITS["events"],
        ),
        entities=entities,
    )
    if made_up_quote and made_up_quote["in_chunk_containing"] in chunk_text:
        # A quote note on a sentence that holds no quotation: grounding must drop it.
        at = next(n for n, text in enumerate(sentences, 1) if "“" not in text and '"' not in text)
        made_up = {"sentence": at, "speaker": made_up_quote["speaker"]}
        answer["quotes"] = [*answer["quotes"][: NOTE_LIMITS["quotes"] - 1], made_up]
    return answer


def _sentences(user_message: str) -> list[str]:
    """The numbered sentences of a map prompt's <article> block, in order."""
    block = user_message.split("<article>\n", 1)[1].rsplit("</article>", 1)[0]
    return [m.group(1) for m in re.finditer(r"^\[\d+\] (.*)$", block, re.M)]


def numbered(answer: dict, listed: dict[int, str]) -> dict:
    """The answer with each finding named by a piece of its text given its number instead."""

    def number(ref):
        if isinstance(ref, int):
            return ref
        found = [n for n, text in listed.items() if ref in text]
        if len(found) != 1:
            raise SystemExit(f"answers.yaml: {ref!r} matches {len(found)} findings, not one")
        return found[0]

    def walk(value):
        if isinstance(value, dict):
            return {
                k: [number(r) for r in v] if k == "findings" else walk(v) for k, v in value.items()
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    return walk(answer)


def auto_brief(listed: dict[int, str]) -> dict:
    """A brief made of the first findings listed, word for word (for the cache tests, which
    count calls and need no hand-written prose)."""
    numbers = sorted(listed)
    return {
        "headline": "US and China trade talks",
        "bottom_line": [{"text": listed[n], "findings": [n]} for n in numbers[:1]],
        "key_points": [{"text": listed[n], "findings": [n]} for n in numbers[1:6]],
        "sections": [],
        "article_summaries": [],
    }


class StandIn:
    """Answers requests as a capable server would and keeps every exchange."""

    def __init__(self, spec: dict, show: bool):
        self.spec = spec
        self.show = show
        self.exchanges: list[tuple[dict, dict]] = []
        self.invalid_first = dict(spec.get("invalid_first") or {})

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        system = body["messages"][0]["content"]
        last = body["messages"][-1]["content"]
        prompt_tokens = sum(len(m["content"]) for m in body["messages"]) // 4
        if (
            "structured notes" in system
            and body["messages"][-1]["role"] == "user"
            and ("<article>" in last)
        ):
            sentences = _sentences(last)
            if self.invalid_first.get("in_chunk_containing", "\0") in "\n".join(sentences):
                # Once: an answer that breaks the schema (a claim without its kind).
                self.invalid_first = {}
                content = json.dumps({"claims": [{"sentence": 1}]})
            else:
                content = json.dumps(notes_for(sentences, self.spec.get("made_up_quote")))
        elif last.startswith("Some points in your brief could not be verified"):
            content = json.dumps(numbered(self.spec["revise"], self.listed))
        elif last.startswith("Your answer has these problems"):
            # The re-ask after the invalid answer: the notes, for the chunk first asked about.
            first = body["messages"][1]["content"]
            content = json.dumps(notes_for(_sentences(first), None))
        else:
            if self.show:
                print(last, file=sys.__stderr__)
            self.listed = dict(
                (int(n), text) for n, text in re.findall(r"^\[(\d+)\] \([^)]*\) (.*)$", last, re.M)
            )
            if self.spec["brief"] == "auto":
                content = json.dumps(auto_brief(self.listed))
            else:
                content = json.dumps(numbered(self.spec["brief"], self.listed))
        reply = _reply(content, prompt_tokens, len(content) // 4)
        self.exchanges.append((body, reply))
        return httpx2.Response(200, json=reply)


def cassette(exchanges: list[tuple[dict, dict]], extra: str) -> str:
    interactions = [
        {
            "request": {
                "method": "POST",
                "uri": f"{BASE_URL}/chat/completions",
                "headers": {"content-type": ["application/json"]},
                "json": body,
            },
            "response": {
                "status": {"code": 200, "message": "OK"},
                "headers": {"content-type": ["application/json"]},
                "body": {"json": reply},
            },
        }
        for body, reply in exchanges
    ]
    data = {"source": SOURCE.format(extra=extra), "version": 1, "interactions": interactions}
    return vcr_format.dump(data)


@contextlib.contextmanager
def answered_by(stand_in: StandIn):
    """Every LLMClient made inside talks to `stand_in`; yields a fresh state folder, so no
    answer comes from a cache an earlier authoring run left behind."""
    real_client = llm_client.LLMClient.__init__

    def with_stand_in(self, **kwargs):
        kwargs["http_client"] = httpx2.Client(transport=httpx2.MockTransport(stand_in))
        real_client(self, **kwargs)

    llm_client.LLMClient.__init__ = with_stand_in
    llm_client._MODE_MEMORY.clear()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            yield Path(tmp) / "state"
    finally:
        llm_client.LLMClient.__init__ = real_client


def run(name: str, spec: dict, show: bool) -> None:
    from click.testing import CliRunner

    from briefgen.cli import main

    stand_in = StandIn(spec, show)
    with answered_by(stand_in) as state:
        args = ["make", "--engine", "llm", "--base-url", BASE_URL, "--model", MODEL,
                "-j", "1", "-f", "json", *spec["args"]]  # fmt: skip
        paths = [str(ROOT / p) for p in spec["paths"]]
        result = CliRunner().invoke(main, [*args, *paths], env={"BRIEFGEN_CACHE": str(state)})
        if result.exit_code != 0:
            raise SystemExit(f"{name}: briefgen failed: {result.stderr} {result.exception}")
    print(
        f"{name}: {len(stand_in.exchanges)} exchanges; briefgen said:\n{result.stderr}",
        file=sys.stderr,
    )
    if not show:
        extra = spec.get("source_extra", "")
        (HERE / f"{name}.yaml").write_text(cassette(stand_in.exchanges, extra), encoding="utf-8")
        print(f"wrote {name}.yaml: {len(stand_in.exchanges)} exchanges")


def run_sequence(show: bool) -> None:
    """cache_sequence.yaml: every request of tests/test_cache_runs.py's steps, once each.

    The steps (tests/cache_steps.py) run against the stand-in with one cache, so a request
    the cache saves is not in the cassette: a test that repeated one would fail to replay it.
    """
    import cache_steps as steps
    from click.testing import CliRunner

    from briefgen.cli import main

    stand_in = StandIn({"brief": "auto"}, show)
    with answered_by(stand_in) as state:
        folder = steps.first_four(state.parent / "articles")
        prompts = state.parent / "prompts"

        def make(*, edited_prompts: bool = False) -> None:
            args = steps.make_args(folder, prompts if edited_prompts else None)
            result = CliRunner().invoke(main, args, env={"BRIEFGEN_CACHE": str(state)})
            if result.exit_code != 0:
                raise SystemExit(f"cache_sequence: {result.stderr} {result.exception}")
            print(f"{len(stand_in.exchanges)} exchanges so far", file=sys.stderr)

        make()
        make()
        steps.add_fifth(folder)
        make()
        steps.copy_prompts(prompts)
        steps.edit_brief_prompt(prompts)
        make(edited_prompts=True)
        steps.edit_extract_prompt(prompts)
        make(edited_prompts=True)
    if not show:
        extra = "; the requests of tests/test_cache_runs.py's steps, each once"
        (HERE / "cache_sequence.yaml").write_text(
            cassette(stand_in.exchanges, extra), encoding="utf-8"
        )
        print(f"wrote cache_sequence.yaml: {len(stand_in.exchanges)} exchanges")


if __name__ == "__main__":
    answers = yaml.safe_load((HERE / "answers.yaml").read_text(encoding="utf-8"))
    show = "--show" in sys.argv
    only = [a for a in sys.argv[1:] if not a.startswith("--")]
    for name, spec in answers.items():
        if not only or name in only:
            run(name, spec, show)
    if not only or "cache_sequence" in only:
        run_sequence(show)
