"""structured.ask through a real LLMClient and a scripted endpoint: validation, re-asks,
cut-off answers, token sums and the final error."""

from __future__ import annotations

import json

import httpx2
import pydantic
import pytest
from llm_stub import chat_reply, stub_client

from briefgen.errors import StructuredOutputError
from briefgen.llm_client import LLMClient
from briefgen.structured import MAX_PROBLEMS_SHOWN, ask, validation_problems

MESSAGES = [
    {"role": "system", "content": "Extract the event."},
    {"role": "user", "content": "The summit opens on 3 June in Geneva."},
]
GOOD = '{"name": "summit", "city": "Geneva", "day": 3}'


class Event(pydantic.BaseModel):
    name: str
    city: str
    day: int


def ok(content: str, finish_reason: str = "stop", usage=(10, 5)) -> httpx2.Response:
    return chat_reply(content, finish_reason, usage)


class Server:
    """Answers each request with the next response in the script; keeps every request body."""

    def __init__(self, *responses: httpx2.Response):
        self.responses = list(responses)
        self.requests: list[dict] = []

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        self.requests.append(json.loads(request.content))
        return self.responses.pop(0)


def client_for(server: Server) -> LLMClient:
    return stub_client(server)


def test_valid_first_answer():
    server = Server(ok(GOOD))
    answer = ask(client_for(server), MESSAGES, Event)
    assert answer.value == Event(name="summit", city="Geneva", day=3)
    assert [(a.number, a.error) for a in answer.attempts] == [(1, None)]
    assert answer.mode == "json_schema"
    assert (answer.prompt_tokens, answer.completion_tokens) == (10, 5)
    fmt = server.requests[0]["response_format"]["json_schema"]
    assert fmt["name"] == "Event"
    assert fmt["schema"]["required"] == ["name", "city", "day"]


def test_invalid_answer_is_shown_back_with_its_errors():
    first = '{"name": "summit", "day": 3}'  # no city
    server = Server(ok(first, usage=(10, 5)), ok(GOOD, usage=(40, 6)))
    messages = [dict(m) for m in MESSAGES]
    answer = ask(client_for(server), messages, Event)

    assert answer.value.city == "Geneva"
    assert len(server.requests) == 2
    resent = server.requests[1]["messages"]
    assert resent[:2] == MESSAGES
    assert resent[2] == {"role": "assistant", "content": first}
    assert resent[3]["role"] == "user"
    assert "city: Field required" in resent[3]["content"]
    assert "corrected JSON object only" in resent[3]["content"]
    assert messages == MESSAGES  # the caller's list is not changed
    assert [a.error for a in answer.attempts] == ["city: Field required", None]
    assert answer.attempts[0].raw == first
    assert (answer.prompt_tokens, answer.completion_tokens) == (50, 11)


def test_prose_instead_of_json_is_re_asked():
    server = Server(ok("I could not find an event."), ok(GOOD))
    answer = ask(client_for(server), MESSAGES, Event)
    assert answer.value.day == 3
    assert "Invalid JSON" in answer.attempts[0].error
    assert "(whole answer): Invalid JSON" in server.requests[1]["messages"][-1]["content"]


def test_cut_off_answer_is_asked_again_with_twice_the_room():
    server = Server(ok('{"name": "sum', finish_reason="length"), ok(GOOD))
    answer = ask(client_for(server), MESSAGES, Event, max_tokens=100)
    assert [r["max_tokens"] for r in server.requests] == [100, 200]
    # The cut-off text is not fed back: the same conversation is asked again.
    assert server.requests[1]["messages"] == server.requests[0]["messages"]
    assert answer.attempts[0].error == "cut off at 100 tokens"
    assert answer.attempts[0].finish_reason == "length"
    assert answer.value.name == "summit"


def test_doubling_stops_at_the_cap_and_a_cut_off_at_the_cap_ends_the_asking():
    cut = '{"name": "sum'
    server = Server(ok(cut, finish_reason="length"), ok(cut, finish_reason="length"))
    with pytest.raises(StructuredOutputError) as caught:
        ask(client_for(server), MESSAGES, Event, max_tokens=3000, max_tokens_cap=4096)
    assert [r["max_tokens"] for r in server.requests] == [3000, 4096]
    assert len(caught.value.attempts) == 2
    assert "cut off at 4096 tokens" in str(caught.value)


def test_every_attempt_invalid_raises_with_attempts_and_last_raw():
    raws = ['{"name": 1}', "nope", '{"city": "Geneva"}' + " " + "x" * 400]
    server = Server(*(ok(raw) for raw in raws))
    with pytest.raises(StructuredOutputError) as caught:
        ask(client_for(server), MESSAGES, Event, max_attempts=3)
    error = caught.value
    assert len(server.requests) == 3
    assert len(error.attempts) == 3
    assert [a.number for a in error.attempts] == [1, 2, 3]
    assert [a.raw for a in error.attempts] == raws
    assert error.last_raw == raws[2]
    message = str(error)
    assert "Event" in message and "3 attempts" in message
    assert "name: Field required" in message  # the last error
    assert message.endswith(raws[2][:300])
    # Each re-ask keeps the whole exchange so far.
    assert len(server.requests[2]["messages"]) == len(MESSAGES) + 4


def test_check_problems_are_re_asked_like_validation_errors():
    wrong_city = '{"name": "summit", "city": "Paris", "day": 3}'
    server = Server(ok(wrong_city), ok(GOOD))

    def in_text(event: Event) -> list[str]:
        return [] if event.city in MESSAGES[1]["content"] else [f"city {event.city!r} not in text"]

    answer = ask(client_for(server), MESSAGES, Event, check=in_text)
    assert answer.value.city == "Geneva"
    assert "- city 'Paris' not in text" in server.requests[1]["messages"][-1]["content"]
    assert answer.attempts[0].error == "city 'Paris' not in text"


def test_validation_problems_are_one_line_each_and_capped():
    class Many(pydantic.BaseModel):
        fields: list[int]

    with pytest.raises(pydantic.ValidationError) as caught:
        Many.model_validate({"fields": ["x"] * 15})
    lines = validation_problems(caught.value)
    assert len(lines) == MAX_PROBLEMS_SHOWN + 1
    assert lines[0].startswith("fields.0: ")
    assert lines[-1] == "... and 5 more"


def test_max_attempts_must_allow_one_request():
    with pytest.raises(ValueError):
        ask(client_for(Server()), MESSAGES, Event, max_attempts=0)
