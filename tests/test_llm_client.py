"""LLMClient against scripted endpoints (httpx2.MockTransport): output-mode fallback and memory,
retries and their waits, errors; plus the JSON helpers. No network, no real sleeping."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import httpx2
import openai
import pytest
import tenacity
from pydantic import BaseModel, Field

from briefgen.errors import EndpointError
from briefgen.json_answers import extract_json, strict_schema
from briefgen.llm_client import (
    LLMClient,
    RetryWait,
    retry_after_seconds,
)

KEY = "sk-secret-123"
BASE = "http://llm.test/v1"
SCHEMA = {
    "type": "object",
    "properties": {"answer": {"type": "string", "maxLength": 20}},
    "required": ["answer"],
    "title": "Reply",
}
MESSAGES = [
    {"role": "system", "content": "You summarise."},
    {"role": "user", "content": "Summarise this."},
]


def ok(content: str | None = '{"answer": "yes"}', finish_reason="stop", usage=(11, 4)):
    body = {
        "id": "c1",
        "object": "chat.completion",
        "created": 0,
        "model": "m",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
    }
    if usage:
        body["usage"] = {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": sum(usage),
        }
    return httpx2.Response(200, json=body)


def fail(status: int, message: str = "boom", headers: dict | None = None):
    return httpx2.Response(
        status, json={"error": {"message": message, "type": "error"}}, headers=headers or {}
    )


class Server:
    """A scripted endpoint. Each reply is a function of the request's JSON body; the last one
    repeats. Every request body is kept, in order."""

    def __init__(self, *replies):
        self.replies = list(replies)
        self.requests: list[dict] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.content)
        with self._lock:
            self.requests.append(body)
            reply = self.replies.pop(0) if len(self.replies) > 1 else self.replies[0]
        return reply(body, request)


def make(server: Server, **kwargs) -> tuple[LLMClient, list[float]]:
    sleeps: list[float] = []
    kwargs.setdefault("mode_memory", {})
    client = LLMClient(
        base_url=kwargs.pop("base_url", BASE),
        api_key=kwargs.pop("api_key", KEY),
        model="m",
        http_client=httpx2.Client(transport=httpx2.MockTransport(server)),
        sleep=sleeps.append,
        **kwargs,
    )
    return client, sleeps


def complete(client: LLMClient, messages=MESSAGES, max_tokens=100):
    return client.complete(messages, schema=SCHEMA, schema_name="Reply", max_tokens=max_tokens)


def refuse_json_schema(body, _request):
    # What llama-cpp-python answers to a json_schema response_format.
    if body.get("response_format", {}).get("type") == "json_schema":
        return fail(500, "Input should be 'text' or 'json_object'")
    return ok()


# ---------------------------------------------------------------- output modes


def test_json_schema_first_with_strict_schema_and_completion_fields():
    server = Server(lambda b, r: ok())
    client, _ = make(server)
    completion = complete(client)
    fmt = server.requests[0]["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Reply"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False
    assert "maxLength" not in fmt["json_schema"]["schema"]["properties"]["answer"]
    assert server.requests[0]["max_tokens"] == 100
    assert server.requests[0]["temperature"] == 0
    assert server.requests[0]["messages"] == MESSAGES
    assert completion.text == '{"answer": "yes"}'
    assert completion.finish_reason == "stop"
    assert (completion.prompt_tokens, completion.completion_tokens) == (11, 4)
    assert completion.mode == "json_schema"
    assert completion.seconds >= 0


def test_refused_json_schema_falls_back_to_json_object_and_is_remembered():
    server = Server(refuse_json_schema)
    memory: dict[str, str] = {}
    client, sleeps = make(server, mode_memory=memory)
    first = complete(client)
    assert first.mode == "json_object"
    assert len(server.requests) == 2 and sleeps == []  # a refusal is not retried
    fmt = server.requests[1]["response_format"]
    assert fmt == {"type": "json_object", "schema": SCHEMA}
    system = server.requests[1]["messages"][0]["content"]
    assert system.startswith("You summarise.\n\nAnswer with one JSON object that fits")
    assert json.dumps(SCHEMA) in system
    assert MESSAGES[0]["content"] == "You summarise."  # the caller's messages are untouched

    second = complete(client)
    assert second.mode == "json_object"
    assert len(server.requests) == 3  # straight to json_object
    assert server.requests[2]["response_format"]["type"] == "json_object"
    assert memory == {client.endpoint: "json_object"}
    assert client.endpoint == f"{BASE}#m"


def test_default_mode_memory_is_shared_by_clients_in_the_process():
    base = "http://shared-memory.test/v1"
    server = Server(refuse_json_schema)
    first, _ = make(server, base_url=base, mode_memory=None)
    second, _ = make(server, base_url=base, mode_memory=None)
    complete(first)
    assert len(server.requests) == 2
    assert complete(second).mode == "json_object"
    assert len(server.requests) == 3


def test_schema_key_rejected_retries_json_object_without_it():
    def server_reply(body, _request):
        fmt = body.get("response_format", {})
        if fmt.get("type") == "json_schema":
            return fail(400, "Invalid parameter: 'response_format' of type 'json_schema'")
        if "schema" in fmt:
            return fail(400, "Unrecognized request argument supplied: schema")
        return ok()

    server = Server(server_reply)
    memory: dict[str, str] = {}
    client, _ = make(server, mode_memory=memory)
    assert complete(client).mode == "json_object"
    assert server.requests[2]["response_format"] == {"type": "json_object"}
    assert "Answer with one JSON object" in server.requests[2]["messages"][0]["content"]
    complete(client)
    assert len(server.requests) == 4  # the plain json_object request is what is remembered
    assert server.requests[3]["response_format"] == {"type": "json_object"}


@pytest.mark.parametrize(
    "reply",
    [
        'Sure! Here it is:\n```json\n{"answer": "fenced"}\n```\nAnything else?',
        'The JSON you asked for is {"answer": "fenced"} and that is all.',
    ],
)
def test_json_object_refused_goes_to_text_mode_and_extracts_the_json(reply):
    def server_reply(body, _request):
        if "response_format" in body:
            return fail(400, "response_format is not supported by this model")
        return ok(reply)

    server = Server(server_reply)
    client, _ = make(server)
    completion = complete(client)
    assert completion.mode == "text"
    assert completion.text == '{"answer": "fenced"}'
    # json_object was refused as such, not for its schema key: no plain json_object try.
    assert len(server.requests) == 3
    text_request = server.requests[2]
    assert "response_format" not in text_request
    assert text_request["messages"][0]["content"].endswith("Answer with the JSON object only.")


def test_system_message_added_when_there_is_none():
    server = Server(refuse_json_schema)
    client, _ = make(server)
    user_only = [{"role": "user", "content": "Hi"}]
    complete(client, messages=user_only)
    sent = server.requests[1]["messages"]
    assert sent[0]["role"] == "system" and sent[0]["content"].startswith("Answer with one JSON")
    assert sent[1:] == user_only
    assert user_only == [{"role": "user", "content": "Hi"}]


def test_refusal_in_text_mode_is_an_endpoint_error():
    server = Server(lambda b, r: fail(400, "this server cannot follow a schema"))
    client, sleeps = make(server)
    with pytest.raises(EndpointError) as caught:
        complete(client)
    assert caught.value.status == 400
    assert caught.value.base_url == BASE
    assert BASE in str(caught.value) and "400" in str(caught.value)
    assert sleeps == []


# ---------------------------------------------------------------- transient faults


def test_429_with_retry_after_waits_what_the_server_asked():
    server = Server(lambda b, r: fail(429, "slow down", {"Retry-After": "7"}), lambda b, r: ok())
    client, sleeps = make(server)
    assert complete(client).text == '{"answer": "yes"}'
    assert sleeps == [7]
    assert len(server.requests) == 2


def test_503_twice_then_success_backs_off():
    server = Server(lambda b, r: fail(503), lambda b, r: fail(503), lambda b, r: ok())
    client, sleeps = make(server)
    assert complete(client).mode == "json_schema"
    assert len(server.requests) == 3
    assert len(sleeps) == 2
    assert 0 <= sleeps[0] <= 1 and 0 <= sleeps[1] <= 2  # full jitter under 1 s, then 2 s


def test_timeout_is_retried():
    def slow(_body, request):
        raise httpx2.ReadTimeout("read timed out", request=request)

    server = Server(slow, lambda b, r: ok())
    client, sleeps = make(server)
    assert complete(client).text == '{"answer": "yes"}'
    assert len(server.requests) == 2 and len(sleeps) == 1


def test_retries_exhausted_is_an_endpoint_error():
    server = Server(lambda b, r: fail(503, "overloaded"))
    client, sleeps = make(server, max_retries=2)
    with pytest.raises(EndpointError) as caught:
        complete(client)
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert caught.value.status == 503
    message = str(caught.value)
    assert "3 times" in message and "503" in message and BASE in message


def test_connection_failures_exhausted_name_the_connection():
    def refused(_body, request):
        raise httpx2.ConnectError("connection refused", request=request)

    server = Server(refused)
    client, _ = make(server, max_retries=1)
    with pytest.raises(EndpointError) as caught:
        complete(client)
    assert caught.value.status is None
    assert "connection" in str(caught.value) and "2 times" in str(caught.value)


def test_retry_budget_in_seconds_stops_before_overrunning():
    server = Server(lambda b, r: fail(429, "wait", {"Retry-After": "50"}))
    client, sleeps = make(server, max_retry_seconds=120, max_retries=10)
    with pytest.raises(EndpointError):
        complete(client)
    assert sleeps == [50, 50]  # a third wait would take the total to 150 s
    assert len(server.requests) == 3


def test_401_fails_at_once_and_never_shows_the_key():
    # Some servers echo the key they were given; the message must not.
    server = Server(lambda b, r: fail(401, f"Incorrect API key provided: {KEY}"))
    client, sleeps = make(server)
    with pytest.raises(EndpointError) as caught:
        complete(client)
    assert len(server.requests) == 1 and sleeps == []
    assert caught.value.status == 401
    assert KEY not in str(caught.value)
    assert "401" in str(caught.value) and BASE in str(caught.value)


def test_404_without_format_words_fails_at_once():
    server = Server(lambda b, r: fail(404, "The model `m` does not exist"))
    client, _ = make(server)
    with pytest.raises(EndpointError) as caught:
        complete(client)
    assert caught.value.status == 404 and len(server.requests) == 1


def test_openai_client_does_not_retry_on_its_own():
    server = Server(lambda b, r: fail(500, "internal error"))
    client, sleeps = make(server, max_retries=0)
    with pytest.raises(EndpointError) as caught:
        complete(client)
    assert len(server.requests) == 1 and sleeps == []
    assert caught.value.status == 500


# ---------------------------------------------------------------- usage and callbacks


def test_missing_usage_and_content_become_zero_and_empty():
    server = Server(lambda b, r: ok(content=None, usage=None, finish_reason="length"))
    client, _ = make(server)
    completion = complete(client)
    assert completion.text == ""
    assert (completion.prompt_tokens, completion.completion_tokens) == (0, 0)
    assert completion.finish_reason == "length"


def test_on_call_once_per_successful_request_across_threads():
    seen = []
    lock = threading.Lock()

    def record(completion):
        with lock:
            seen.append(completion)

    server = Server(lambda b, r: ok(usage=(3, 2)))
    client, _ = make(server, on_call=record)
    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(lambda _: complete(client), range(8)))
    assert len(seen) == 8 == len(server.requests)
    assert sum(c.prompt_tokens for c in seen) == 24
    assert sum(c.completion_tokens for c in results) == 16


# ---------------------------------------------------------------- the wait function


def state_after(error: BaseException, attempt_number: int = 1) -> tenacity.RetryCallState:
    state = tenacity.RetryCallState(tenacity.Retrying(), fn=None, args=(), kwargs={})
    state.attempt_number = attempt_number
    state.set_exception((type(error), error, None))
    return state


def status_error(status: int, headers: dict) -> openai.APIStatusError:
    request = httpx2.Request("POST", f"{BASE}/chat/completions")
    response = httpx2.Response(status, headers=headers, request=request)
    cls = openai.RateLimitError if status == 429 else openai.InternalServerError
    return cls(f"Error code: {status}", response=response, body=None)


def test_wait_honours_retry_after_forms_and_caps_them():
    wait = RetryWait(rng=lambda: 1.0, now=lambda: 1445412480.0)  # 2015-10-21 07:28:00 UTC
    assert wait(state_after(status_error(429, {"retry-after-ms": "250"}))) == 0.25
    assert wait(state_after(status_error(429, {"Retry-After": "7"}))) == 7
    assert wait(state_after(status_error(429, {"Retry-After": "3600"}))) == 60
    dated = {"Retry-After": "Wed, 21 Oct 2015 07:28:12 GMT"}
    assert wait(state_after(status_error(503, dated))) == 12
    past = {"Retry-After": "Wed, 21 Oct 2015 07:00:00 GMT"}
    assert wait(state_after(status_error(503, past))) == 0
    # Unreadable: exponential backoff instead.
    assert wait(state_after(status_error(503, {"Retry-After": "soon"}))) == 1


def test_wait_backs_off_exponentially_with_full_jitter_up_to_the_cap():
    top = RetryWait(rng=lambda: 1.0)
    timeout = openai.APITimeoutError(request=httpx2.Request("POST", BASE))
    assert [top(state_after(timeout, n)) for n in range(1, 8)] == [1, 2, 4, 8, 16, 30, 30]
    assert RetryWait(rng=lambda: 0.5)(state_after(timeout, 3)) == 2
    assert RetryWait(rng=lambda: 0.0)(state_after(timeout, 3)) == 0


def test_retry_after_seconds_without_headers_is_none():
    assert retry_after_seconds(httpx2.Headers({}), now=0) is None


# ---------------------------------------------------------------- extract_json


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"a": 1}', '{"a": 1}'),
        ('```json\n{"a": 1}\n```', '{"a": 1}'),
        ('```\n{"a": 1}\n```', '{"a": 1}'),
        ('Here you go: {"a": {"b": [1, 2]}} Hope it helps.', '{"a": {"b": [1, 2]}}'),
        ('{"a": "a } inside", "b": "\\" {"}', '{"a": "a } inside", "b": "\\" {"}'),
        ('Fill in {name} like so: {"a": 1}', '{"a": 1}'),
        ("no json here", "no json here"),
        ('{"a": [1, 2', '{"a": [1, 2'),
    ],
)
def test_extract_json(text, expected):
    assert extract_json(text) == expected


def test_extract_json_reads_a_raw_newline_inside_a_string_as_the_whole_answer():
    # SmolLM2's answer: strict JSON refuses the newline, and the first inner object that
    # parses ({"n": 1}) would stand for the whole answer and fail validation.
    raw = '{"claims": [{"n": 1}], "people": ["a\nb"]}'
    assert json.loads(extract_json(raw)) == {"claims": [{"n": 1}], "people": ["a\nb"]}


def test_a_name_that_runs_on_is_dropped_not_the_whole_answer():
    from briefgen.engines.llm_schema import ChunkNotesAnswer, notes_answer

    answer = notes_answer(claims=[(1, "fact")], entities=[("Xi Jinping", "person")])
    answer["people"] += ["{{id}}, {{name}}\n[4] The new rail line", "x" * 61]
    parsed = ChunkNotesAnswer.model_validate(answer)
    assert parsed.people == ["Xi Jinping"] and len(parsed.claims) == 1


# ---------------------------------------------------------------- strict_schema


class Place(BaseModel):
    title: str = Field(description="its name", max_length=80)  # a field called "title"
    country: str | None = None


class Story(BaseModel):
    headline: str = Field(min_length=1, pattern=r"\S")
    place: Place | None = None
    places: list[Place] = Field(default_factory=list, max_length=5)
    when: str | None = Field(default=None, json_schema_extra={"format": "date"})


def test_strict_schema_closes_every_object_and_drops_unsupported_keywords():
    original = Story.model_json_schema()
    before = json.dumps(original, sort_keys=True)
    strict = strict_schema(original)
    assert json.dumps(original, sort_keys=True) == before  # a deep copy

    assert strict["additionalProperties"] is False
    assert strict["required"] == ["headline", "place", "places", "when"]
    place = strict["$defs"]["Place"]
    assert place["additionalProperties"] is False
    assert place["required"] == ["title", "country"]
    assert place["properties"]["title"] == {"description": "its name", "type": "string"}
    assert "title" not in place  # the keyword goes, the property stays

    text = json.dumps(strict)
    for keyword in ("maxLength", "minLength", "pattern", "format", "maxItems", "default"):
        assert f'"{keyword}"' not in text
    # Optional fields stay nullable, so requiring them loses nothing.
    assert {"type": "null"} in strict["properties"]["place"]["anyOf"]
    assert {"$ref": "#/$defs/Place"} in strict["properties"]["place"]["anyOf"]
    assert strict["properties"]["places"]["items"] == {"$ref": "#/$defs/Place"}


def test_on_call_can_be_attached_after_construction():
    seen = []
    client, _ = make(Server(lambda b, r: ok()))
    client.on_call = seen.append
    complete(client)
    assert [c.mode for c in seen] == ["json_schema"]


# ---------------------------------------------------------------- parameters a model refuses


def _openai_reasoning_model(body, _request):
    # What OpenAI answers o-series and gpt-5 models sent max_tokens or a temperature.
    if "max_tokens" in body:
        return fail(
            400,
            "Unsupported parameter: 'max_tokens' is not supported with this model. "
            "Use 'max_completion_tokens' instead.",
        )
    if "temperature" in body:
        return fail(
            400,
            "Unsupported value: 'temperature' does not support 0.0 with this model. "
            "Only the default (1) value is supported.",
        )
    return ok()


def test_parameters_a_model_refuses_are_changed_once_and_remembered():
    server = Server(_openai_reasoning_model)
    client, sleeps = make(server)
    assert complete(client).text == '{"answer": "yes"}'
    sent = server.requests
    assert [("max_tokens" in b, "temperature" in b) for b in sent] == [
        (True, True),
        (False, True),
        (False, False),
    ]
    assert sent[-1]["max_completion_tokens"] == 100 and sleeps == []
    complete(client)  # the next call goes right the first time
    assert len(server.requests) == 4 and "max_completion_tokens" in server.requests[-1]


def test_a_refused_parameter_it_cannot_change_is_an_endpoint_error():
    server = Server(
        lambda b, r: fail(400, "Unsupported parameter: 'max_tokens' ... 'max_completion_tokens'")
    )
    client, _ = make(server)
    with pytest.raises(EndpointError, match="400"):
        complete(client)
    assert len(server.requests) == 2  # changed once, then given up: no loop


# ---------------------------------------------------------------- slow is not broken


def _timeouts_sent(server_requests: list) -> list[float]:
    return [r.extensions["timeout"]["read"] for r in server_requests]


def test_time_limit_follows_the_pace_the_server_has_shown():
    seen: list = []

    def answer(_body, request):
        seen.append(request)
        return ok(usage=(500, 200))

    client, _ = make(Server(answer), timeout=30.0)
    # Before any answer: room for the longest answer at a slow pace, never under the timeout.
    first = client.time_limit(1000)
    assert first >= 30.0 and first >= 1000 * 0.25
    assert client.time_limit(10) == 30.0
    complete(client, max_tokens=1000)
    assert _timeouts_sent(seen) == [first]
    # An answer of 200 tokens took a measured time: the limit follows it, doubling per try.
    paced = client.time_limit(1000)
    assert paced == max(30.0, 2.0 * 1000 * client._paces[-1])
    assert client.time_limit(1000, attempt=2) == 2 * paced


def test_a_timeout_is_sent_again_once_with_twice_the_time():
    seen: list = []

    def slow(_body, request):
        seen.append(request)
        raise httpx2.ReadTimeout("read timed out", request=request)

    client, sleeps = make(Server(slow), timeout=5.0, max_retries=6)
    with pytest.raises(EndpointError) as caught:
        complete(client, max_tokens=10)
    # Six retries are allowed for faults, but a timed-out request is resent only once: the
    # server may still be working on it.
    assert len(seen) == 2
    first, second = _timeouts_sent(seen)
    assert second == 2 * first
    assert "timeout" in str(caught.value)
