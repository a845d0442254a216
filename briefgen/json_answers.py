"""JSON between briefgen and a model: found in a free-text answer, and schemas made strict.

A server without structured output answers in text, often with the JSON in a ``` fence or
after a sentence of preamble; `extract_json` finds it. OpenAI's strict structured output
accepts only closed schemas whose every property is required; `strict_schema` makes one of
a pydantic schema.
"""

from __future__ import annotations

import copy
import json
import re
from typing import Any

_FENCE = re.compile(r"```[ \t]*(?:json)?[ \t]*\n?(.*?)```", re.DOTALL | re.IGNORECASE)
_STRICT_DROP = "maxLength minLength pattern format maxItems minItems default title".split()
_BOUNDS = {"maxLength", "minLength", "maxItems", "minItems"}


def extract_json(text: str) -> str:
    """The JSON object inside a model's free-text answer: the inside of a ``` fence, else the
    first balanced {...} that parses (the first balanced one if none parses); `text` unchanged
    when there is none, so the validator reports what the model actually said."""
    fence = _FENCE.search(text)
    inner = fence.group(1).strip() if fence else text
    candidates = list(_balanced_objects(inner))
    for candidate in candidates:
        try:
            json.loads(candidate)
        except ValueError:
            pass
        else:
            return candidate
        try:
            # A raw newline or tab inside a string (small models write them) breaks strict
            # JSON only: read it leniently and hand on the same value as strict JSON.
            return json.dumps(json.loads(candidate, strict=False), ensure_ascii=False)
        except ValueError:
            continue
    if candidates:
        return candidates[0]
    return inner if fence else text


def _balanced_objects(text: str):
    """Every balanced {...} span, in order of start, skipping braces inside JSON strings."""
    start = text.find("{")
    while start != -1:
        depth = 0
        in_string = escaped = False
        for i in range(start, len(text)):
            ch = text[i]
            if in_string:
                if escaped:
                    escaped = False
                elif ch == "\\":
                    escaped = True
                elif ch == '"':
                    in_string = False
            elif ch == '"':
                in_string = True
            elif ch == "{":
                depth += 1
            elif ch == "}":
                depth -= 1
                if depth == 0:
                    yield text[start : i + 1]
                    break
        start = text.find("{", start + 1)


_STRICT: dict[str, dict] = {}


def strict_once(schema: dict, keep_bounds: bool = False) -> dict:
    """strict_schema, computed once per distinct schema (every map call sends the same one)."""
    key = json.dumps([schema, keep_bounds], sort_keys=True)
    if key not in _STRICT:
        _STRICT[key] = strict_schema(schema, keep_bounds)
    return _STRICT[key]


def strict_schema(schema: dict, keep_bounds: bool = False) -> dict:
    """A copy of `schema` that OpenAI's strict mode accepts: every object closed
    (additionalProperties false) with every property required, unsupported keywords dropped.
    Optional fields stay nullable (anyOf with null), so requiring them loses nothing.

    `keep_bounds` keeps the lengths of lists and strings, for servers that compile the
    schema into a grammar (llama.cpp, vLLM, Ollama): there a list without its bound lets a
    small model go on listing (Qwen2.5-Coder-1.5B named every sentence of a passage)."""
    out = copy.deepcopy(schema)
    _make_strict(out, _STRICT_DROP if not keep_bounds else _STRICT_DROP_KEEPING_BOUNDS)
    return out


_STRICT_DROP_KEEPING_BOUNDS = [k for k in _STRICT_DROP if k not in _BOUNDS]


def _make_strict(node: Any, drop: list[str]) -> None:
    if not isinstance(node, dict):
        return
    # Keywords only: property names (a field called "title") live under "properties" and are
    # never dropped.
    for keyword in drop:
        node.pop(keyword, None)
    properties = node.get("properties")
    if node.get("type") == "object" or isinstance(properties, dict):
        node["additionalProperties"] = False
        node["required"] = list(properties or {})
    for key in ("$defs", "definitions", "properties"):
        for child in (node.get(key) or {}).values():
            _make_strict(child, drop)
    items = node.get("items")
    for child in items if isinstance(items, list) else [items]:
        _make_strict(child, drop)
    for key in ("anyOf", "allOf"):
        for child in node.get(key) or []:
            _make_strict(child, drop)
