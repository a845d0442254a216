"""Ask a model for a pydantic model's worth of JSON, and re-ask until it fits (like `instructor`).

`ask` sends the conversation through an LLMClient, which already asks for JSON in the best way
the endpoint allows; this module checks what comes back. An answer cut off by the token limit
is asked again with twice the room (the cut-off text is not shown to the model: it would only
continue a broken answer). An answer that does not validate, or that the caller's `check`
finds wrong, is shown back to the model with the problems listed, one line each, and a
request for a corrected object; models fix a named field far more reliably than they get a
fresh answer right. Every request counts against `max_attempts`, so the number of requests one
answer may cost is bounded.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

import pydantic

from briefgen.errors import StructuredOutputError
from briefgen.json_answers import extract_json
from briefgen.llm_client import LLMClient

T = TypeVar("T", bound=pydantic.BaseModel)

# More problems than this are summarised: a model fixes the first few and the rest often follow.
MAX_PROBLEMS_SHOWN = 10


@dataclass
class Attempt:
    number: int  # 1 for the first request
    raw: str  # the model's answer as received
    error: str | None  # what was wrong with it; None for the successful one
    finish_reason: str


@dataclass
class Answer(Generic[T]):
    value: T
    attempts: list[Attempt]  # every request made, the successful one last
    mode: str  # the output mode of the successful request
    prompt_tokens: int  # summed over every request made for this answer
    completion_tokens: int


@functools.lru_cache(maxsize=32)
def _schema_of(model: type[pydantic.BaseModel]) -> dict:
    # Built once per answer type: every map call asks for the same schema, and building it
    # is most of the CPU a call costs on this side.
    return model.model_json_schema()


def ask(
    client: LLMClient,
    messages: list[dict],
    model: type[T],
    *,
    max_attempts: int = 3,
    max_tokens: int = 1024,
    max_tokens_cap: int = 4096,
    check: Callable[[T], list[str]] | None = None,
) -> Answer[T]:
    """A valid `model` instance from the model's answer to `messages`.

    `check`, when given, returns the problems a valid value still has (an empty list when it
    has none); they are re-asked like validation errors. Raises StructuredOutputError after
    `max_attempts` requests without a valid answer, or as soon as an answer is cut off with
    `max_tokens_cap` tokens already allowed (asking again would be cut off again), and lets
    EndpointError through. The caller's `messages` list is never changed.
    """
    if max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    schema = _schema_of(model)
    name = model.__name__
    conversation = list(messages)
    attempts: list[Attempt] = []
    prompt_tokens = completion_tokens = 0
    tokens = min(max_tokens, max_tokens_cap)
    for number in range(1, max_attempts + 1):
        completion = client.complete(
            conversation, schema=schema, schema_name=name, max_tokens=tokens
        )
        prompt_tokens += completion.prompt_tokens
        completion_tokens += completion.completion_tokens
        raw = completion.text

        if completion.finish_reason == "length":
            attempts.append(Attempt(number, raw, f"cut off at {tokens} tokens", "length"))
            if tokens >= max_tokens_cap:
                break
            tokens = min(tokens * 2, max_tokens_cap)
            continue

        value, problems = _validate(raw, model, check)
        if value is not None:
            attempts.append(Attempt(number, raw, None, completion.finish_reason))
            return Answer(
                value=value,
                attempts=attempts,
                mode=completion.mode,
                prompt_tokens=prompt_tokens,
                completion_tokens=completion_tokens,
            )
        attempts.append(Attempt(number, raw, "; ".join(problems), completion.finish_reason))
        conversation = [
            *conversation,
            {"role": "assistant", "content": raw},
            {"role": "user", "content": reask_message(problems)},
        ]
    raise StructuredOutputError(name, attempts, attempts[-1].raw)


def _validate(
    raw: str, model: type[T], check: Callable[[T], list[str]] | None
) -> tuple[T | None, list[str]]:
    """(the value, []) when `raw` is a good answer, else (None, what is wrong with it)."""
    try:
        value = model.model_validate_json(extract_json(raw))
    except pydantic.ValidationError as error:  # invalid JSON is a ValidationError too
        return None, validation_problems(error)
    problems = [str(p) for p in check(value)] if check is not None else []
    return (None, problems) if problems else (value, [])


def validation_problems(error: pydantic.ValidationError) -> list[str]:
    """One line per error, `location: message`, at most MAX_PROBLEMS_SHOWN of them."""
    errors = error.errors(include_url=False)
    lines = [
        f"{'.'.join(str(part) for part in e['loc']) or '(whole answer)'}: {e['msg']}"
        for e in errors[:MAX_PROBLEMS_SHOWN]
    ]
    if len(errors) > MAX_PROBLEMS_SHOWN:
        lines.append(f"... and {len(errors) - MAX_PROBLEMS_SHOWN} more")
    return lines


def reask_message(problems: list[str]) -> str:
    """The user turn that shows the model what was wrong with its last answer."""
    listed = "\n".join(f"- {problem}" for problem in problems)
    return (
        "Your answer has these problems:\n"
        f"{listed}\n"
        "Answer again with the corrected JSON object only, no other text."
    )
