"""Stand-in endpoints for tests: an LLMClient whose transport is a function, and its replies.

httpx's MockTransport is the seam (openai 3 runs on httpx2): no socket is opened, and each
test's handler decides exactly what the "server" answers.
"""

from __future__ import annotations

import json
import re

import httpx2

from briefgen.llm_client import LLMClient


def chat_reply(
    content: str, finish_reason: str = "stop", usage=(100, 10), status: int = 200
) -> httpx2.Response:
    """An OpenAI chat completion answering `content`."""
    return httpx2.Response(
        status,
        json={
            "id": "stub",
            "object": "chat.completion",
            "created": 0,
            "model": "stub",
            "choices": [
                {
                    "index": 0,
                    "finish_reason": finish_reason,
                    "message": {"role": "assistant", "content": content},
                }
            ],
            "usage": {
                "prompt_tokens": usage[0],
                "completion_tokens": usage[1],
                "total_tokens": usage[0] + usage[1],
            },
        },
    )


def stub_client(handler, *, base_url: str = "http://llm.test/v1", model: str = "m", **kwargs):
    """An LLMClient whose requests go to `handler`; no sleeping, its own mode memory."""
    options = {"api_key": None, "sleep": lambda seconds: None, "mode_memory": {}, **kwargs}
    return LLMClient(
        base_url=base_url,
        model=model,
        http_client=httpx2.Client(transport=httpx2.MockTransport(handler)),
        **options,
    )


def passage_sentences(body: dict) -> list[str] | None:
    """The numbered sentences a map request shows ([1] first), or None for other requests."""
    last = body["messages"][-1]["content"]
    if "<article>" not in last:
        return None
    block = last.split("<article>\n", 1)[1].rsplit("</article>", 1)[0]
    return [m.group(1) for m in re.finditer(r"^\[\d+\] (.*)$", block, re.M)]


def verbatim_notes(sentences: list[str], first: int = 3) -> str:
    """A careful model's notes: the first sentences as facts, each by its number."""
    from briefgen.engines.llm_schema import notes_answer

    claims = [(n, "fact") for n in range(1, min(first, len(sentences)) + 1)]
    return json.dumps(notes_answer(claims=claims))


def first_finding_brief(prompt: str) -> str:
    """A capable model's brief for a synthesis `prompt`: one point restating the first finding
    it was given, citing it."""
    first = re.search(r"^\[(\d+)\] \([^)]*\) (.+)$", prompt, re.M)
    point = {"text": first.group(2), "findings": [int(first.group(1))]}
    return json.dumps(
        {
            "headline": "Talks",
            "bottom_line": [point],
            "key_points": [],
            "sections": [],
            "article_summaries": [],
        }
    )


def every_sentence_a_fact(sentences: list[str], **notes) -> str:
    """A small model's notes: every sentence of the passage a fact, by its number, and
    `notes` besides (events, entities, as notes_answer takes them)."""
    from briefgen.engines.llm_schema import notes_answer

    claims = [(n, "fact") for n in range(1, len(sentences) + 1)]
    return json.dumps(notes_answer(claims=claims, **notes))


def synthesis_prompt(body: dict) -> str:
    """What a synthesis request asks: its first user message (a revision sends it again,
    then the model's answer and what failed)."""
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def with_fields(answer: str, **fields) -> str:
    """A brief answer (JSON) with `fields` set to other values."""
    return json.dumps({**json.loads(answer), **fields})


def stand_in(write=first_finding_brief, notes=verbatim_notes):
    """A handler for stub_client: map requests answered by `notes(sentences)`, synthesis
    requests (revisions too) by `write(prompt)`, `prompt` being synthesis_prompt's."""

    def handler(request):
        body = json.loads(request.content)
        sentences = passage_sentences(body)
        if sentences is not None:
            return chat_reply(notes(sentences))
        return chat_reply(write(synthesis_prompt(body)))

    return handler
