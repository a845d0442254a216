"""How briefgen's cassettes are written: readable YAML with JSON bodies decoded, no secrets.

- Request and response bodies that are JSON are stored as YAML structures (`json:`), so a
  reviewer reads the prompt and the model's answer instead of one escaped line.
- Only the request headers a replay needs are kept (content-type); Authorization, api-key,
  OpenAI-Organization, OpenAI-Project and cookies never reach a file, and neither do the
  response's set-cookie or organisation headers. The request's URL is kept as briefgen shows
  an endpoint (ledger.safe_url: no userinfo, no query such as `?api-key=`), and a response
  body that echoes a credential has it redacted.
- Every cassette starts with `source:`, saying where its responses came from: the endpoint and
  model it was recorded against (set by BRIEFGEN_RECORD_* at record time), or, for files in
  authored/, that a person wrote the answers.
- Requests match on method, the path's ending (/chat/completions, whatever the base URL) and
  the request body without the model's name, so a cassette recorded against any endpoint
  replays with the tests' defaults.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os

import yaml

RECORD_BASE_URL = os.environ.get("BRIEFGEN_RECORD_BASE_URL", "http://127.0.0.1:8101/v1")
RECORD_MODEL = os.environ.get("BRIEFGEN_RECORD_MODEL", "smollm2")
RECORD_SERVER = os.environ.get(
    "BRIEFGEN_RECORD_SERVER",
    "llama-cpp-python server with SmolLM2-135M-Instruct Q4_1 (../shared/llm/serve)",
)
SECRET_HEADERS = (
    "authorization",
    "api-key",
    "x-api-key",
    "openai-organization",
    "openai-project",
    "cookie",
    "set-cookie",
)
_KEEP_REQUEST_HEADERS = {"content-type"}
_KEEP_RESPONSE_HEADERS = {"content-type", "retry-after", "retry-after-ms"}


def _safe_url(url: str) -> str:
    from briefgen.ledger import safe_url

    return safe_url(url)


def _known_secrets() -> list[str]:
    """The key and URL credentials recording runs with (see conftest's llm_engine_factory)."""
    from briefgen.ledger import url_secrets

    return [os.environ.get("BRIEFGEN_RECORD_API_KEY", ""), *url_secrets(RECORD_BASE_URL)]


def recorded_source() -> str:
    return (
        f"recorded from {_safe_url(RECORD_BASE_URL)}, model {RECORD_MODEL}, "
        f"{RECORD_SERVER}, on {dt.date.today().isoformat()}"
    )


def scrub_request(request):
    """before_record_request: keep only the headers a replay needs, and the URL without its
    credentials (requests match on the path's ending, so a replay needs no more)."""
    for name in list(request.headers):
        if name.lower() not in _KEEP_REQUEST_HEADERS:
            del request.headers[name]
    request.uri = _safe_url(request.uri)
    return request


def scrub_response(response):
    """before_record_response: no cookies or account headers (the rest is noise), and no
    credential a server echoed in its body."""
    from briefgen.ledger import redact_text

    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() not in _KEEP_RESPONSE_HEADERS:
            del headers[name]
    body = response.get("body") or {}
    text = body.get("string")
    if isinstance(text, bytes):
        # A body that is not text is nothing a person or a grep would read: left as it is.
        with contextlib.suppress(UnicodeDecodeError):
            body["string"] = redact_text(text.decode("utf-8"), _known_secrets()).encode("utf-8")
    elif isinstance(text, str):
        body["string"] = redact_text(text, _known_secrets())
    return response


def _decode(body):
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    if not isinstance(body, str) or not body.strip():
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper, data: str):
    # Prompts and answers span lines: show them as blocks, as a person would write them.
    style = "|" if "\n" in data and not any(c in data for c in "\t\r") else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _text)


def dump(data: dict) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


class ReadableYAML:
    """A vcrpy serializer (registered as "yaml", so files keep the .yaml suffix)."""

    @staticmethod
    def serialize(data: dict) -> str:
        out = {"source": recorded_source(), "version": data["version"], "interactions": []}
        for interaction in data["interactions"]:
            request = dict(interaction["request"])
            parsed = _decode(request.get("body"))
            if parsed is not None:
                request.pop("body")
                request["json"] = parsed
            response = dict(interaction["response"])
            body = dict(response.get("body") or {})
            parsed = _decode(body.get("string"))
            if parsed is not None:
                response["body"] = {"json": parsed}
            out["interactions"].append({"request": request, "response": response})
        return dump(out)

    @staticmethod
    def deserialize(text: str) -> dict:
        data = yaml.safe_load(text) or {}
        for interaction in data.get("interactions", []):
            request = interaction["request"]
            if "json" in request:
                request["body"] = json.dumps(request.pop("json"))
            request.setdefault("body", None)
            request.setdefault("headers", {})
            response = interaction["response"]
            body = response.get("body") or {}
            if "json" in body:
                encoded = json.dumps(body["json"])
                response["body"] = {"string": encoded}
                response.setdefault("headers", {})["content-length"] = [
                    str(len(encoded.encode("utf-8")))
                ]
        return {"version": data.get("version", 1), "interactions": data.get("interactions", [])}


def _body(request) -> dict | None:
    parsed = _decode(request.body)
    if isinstance(parsed, dict):
        parsed.pop("model", None)
    return parsed


def same_path_ending(r1, r2):
    assert r1.path.rsplit("/", 2)[-2:] == r2.path.rsplit("/", 2)[-2:]


def same_body(r1, r2):
    assert _body(r1) == _body(r2)
