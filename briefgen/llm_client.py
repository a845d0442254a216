"""The one seam to an OpenAI-compatible chat endpoint (OpenAI, llama.cpp, vLLM, Ollama, ...).

`LLMClient.complete` sends one chat request and returns the text of the answer. Two things
differ between servers and are handled here, once, so no caller has to:

* How to ask for JSON. Three output modes are tried in order, best first: `json_schema`
  (the server enforces the schema), `json_object` (JSON guaranteed, the schema is also in the
  prompt; llama.cpp's server enforces it when given as `response_format.schema`) and `text`
  (the schema in the prompt only; the JSON is cut out of the reply). A server that *refuses* a
  mode says so at once, with a 4xx/5xx naming the response format; the next mode is then tried
  and the first that works is remembered for that endpoint, so later calls go straight to it.
* Transient faults: 429, 5xx, timeouts and dropped connections are retried with tenacity, with
  the openai client's own retries off so that waits are counted, and tested, in one place.
  The retry budget belongs to the endpoint, not to each call: while one call is retrying a
  failing endpoint the client's other calls wait for it instead of retrying side by side, and
  once it gives up they fail at once with the same error (see _Circuit), so an endpoint that
  fails everything costs one budget whatever the concurrency.

Credentials in the base URL are sent, never shown: a `user:password@` becomes the Basic
Authorization header (as curl sends it) and the query string (Azure's `api-key=...`) goes
with every request, while `base_url`, the mode memory's key and every error message carry
the URL as ledger.safe_url() shows it, with any key or credential a server echoed redacted.

Nothing here parses or validates the answer: that is structured.py's job.
"""

from __future__ import annotations

import email.utils
import json
import math
import os
import random
import threading
import time
import urllib.parse
from collections.abc import Callable, MutableMapping
from dataclasses import dataclass
from typing import Any

import tenacity

from briefgen.errors import EndpointError
from briefgen.json_answers import extract_json, strict_once
from briefgen.ledger import basic_credentials, is_local_url, redact_text, safe_url, url_secrets

OUTPUT_MODES = ("json_schema", "json_object", "text")

# The rungs actually tried. json_object is tried twice: first with the schema in
# response_format (llama.cpp constrains to it), then without it, for servers such as OpenAI
# that reject a key they do not know. Mode memory stores the rung name.
_RUNGS = ("json_schema", "json_object", "json_object-plain", "text")

# A server refusing an output mode answers one of these statuses with one of these words in
# the body ("json_schema" contains "schema"); llama-cpp-python, for one, answers json_schema
# with 500 "Input should be 'text' or 'json_object'". Such an answer is never retried.
_REFUSAL_STATUSES = frozenset({400, 404, 422, 500, 501})
_REFUSAL_WORDS = ("response_format", "json_object", "schema", "input should be 'text'")

# Slow is not broken. A request's time limit follows the pace the endpoint has shown
# (seconds per answer token, prompt reading and queueing included): TIMEOUT_MARGIN times
# what the longest answer asked for would take at the slowest recent pace, never under the
# configured timeout. Before an endpoint has answered, FIRST_PACE is assumed: a CPU-only
# server answering two requests at once gives 15 tokens/s or more; 4 leaves room for one
# that is also reading a long prompt. A request that still times out is sent again at most
# TIMEOUT_RETRIES times, each with twice the limit: resending sooner would throw away work
# the server is still doing.
TIMEOUT_MARGIN = 2.0
FIRST_PACE = 1 / 4
PACE_MIN_TOKENS = 32  # shorter answers are mostly prompt reading; they say little of the pace
PACE_WINDOW = 8
TIMEOUT_RETRIES = 1

RETRY_AFTER_CAP = 60.0  # seconds; a server asking for longer is not waited for longer
BACKOFF_START = 1.0
BACKOFF_CAP = 30.0

# Keywords OpenAI's strict mode may reject; `description` stays, it guides the model.

_SCHEMA_PROMPT = "\n\nAnswer with one JSON object that fits this JSON schema:\n"
_TEXT_PROMPT = "\nAnswer with the JSON object only."

# Mode memory shared by every LLMClient in the process (one endpoint, one probe), unless a
# caller passes its own mapping. The lock guards either.


class _LazyOpenAI:
    """The openai package, imported on first use: it takes about a second to import, and a
    run whose every answer is cached makes no call, so it should not pay for it."""

    def __getattr__(self, name: str) -> Any:
        import openai as module

        return getattr(module, name)


openai = _LazyOpenAI()

_MODE_MEMORY: dict[str, str] = {}
_MODE_LOCK = threading.Lock()
# One lock per (memory, endpoint) held while the first call finds the endpoint's mode.
_PROBES: dict[tuple[int, str], threading.Lock] = {}


@dataclass
class Completion:
    text: str
    finish_reason: str  # "stop", "length", ...
    prompt_tokens: int  # from the API's usage; 0 if the server gave none
    completion_tokens: int
    mode: str  # which of OUTPUT_MODES produced it
    seconds: float  # wall time of the complete() call, retries and refused modes included
    requests: int = 1  # HTTP requests sent for it, retries and refused modes included
    endpoint: str = ""  # the safe URL of the endpoint that answered (see pool.py)


class _Adapt(Exception):
    """The endpoint refused a parameter it names; the request is sent again without it."""

    def __init__(self, fix: str):
        super().__init__(fix)
        self.fix = fix


# endpoint -> request changes it asked for ("max_completion_tokens", "no_temperature").
_ADAPTED: dict[str, set[str]] = {}


def _adaptation(error: openai.APIStatusError) -> str | None:
    """The change a 400 asks for: OpenAI's reasoning models refuse max_tokens ("use
    max_completion_tokens") and any temperature but the default."""
    if error.status_code != 400:
        return None
    text = _error_text(error).lower()
    if "max_tokens" in text and "max_completion_tokens" in text:
        return "max_completion_tokens"
    if "temperature" in text and (
        "unsupported" in text or "not supported" in text or "does not support" in text
    ):
        return "no_temperature"
    return None


class _Refused(Exception):
    """The server does not support the output mode just tried."""

    def __init__(self, error: openai.APIStatusError):
        super().__init__(str(error))
        self.error = error


class LLMClient:
    """One model at one endpoint; safe to share between threads."""

    def __init__(
        self,
        *,
        base_url: str | None,
        api_key: str | None,
        model: str,
        timeout: float = 60.0,
        temperature: float = 0.0,
        max_retry_seconds: float = 120.0,
        max_retries: int = 6,
        http_client: Any = None,
        sleep: Callable[[float], None] = time.sleep,
        mode_memory: MutableMapping[str, str] | None = None,
        on_call: Callable[[Completion], None] | None = None,
    ):
        # As the openai client resolves it: None means OPENAI_BASE_URL, else OpenAI's own.
        resolved = base_url or os.environ.get("OPENAI_BASE_URL") or "https://api.openai.com/v1"
        address, query, headers = _connection(resolved)
        # Kept only to scrub them from error messages.
        self._secrets = [api_key, *url_secrets(resolved)]
        self._options = {
            "api_key": api_key or "not-needed",  # local servers need none; the client insists
            "base_url": address,
            "default_query": query or None,
            "default_headers": headers or None,
            "timeout": timeout,
            "max_retries": 0,  # retries happen in _send only, where they are counted and capped
            "http_client": http_client,
        }
        self._openai_client: Any = None
        self._client_lock = threading.Lock()
        self.model = model
        self.timeout = timeout  # the least time a request is given; see time_limit
        # Seconds per answer token of the latest answers, across this client's threads.
        self._paces: list[float] = []
        self.temperature = temperature
        self.max_retry_seconds = max_retry_seconds
        self.max_retries = max_retries
        self._sleep = sleep
        self._memory = _MODE_MEMORY if mode_memory is None else mode_memory
        # Public so an owner (engines/llm.py) can attach its ledger after construction.
        self.on_call = on_call
        # The endpoint as shown and stored, never with its credentials.
        self.base_url = safe_url(resolved).rstrip("/")
        # Given up on for as long as one call may retry; then one call tries it again.
        self._circuit = _Circuit(open_seconds=max_retry_seconds)

    @property
    def _client(self) -> Any:
        """The openai client, made at the first call (see _LazyOpenAI)."""
        with self._client_lock:
            if self._openai_client is None:
                self._openai_client = openai.OpenAI(**self._options)
            return self._openai_client

    def learned_fixes(self) -> frozenset[str]:
        """The request changes live calls to this endpoint have learned (see _adaptation):
        what a batch line for it must carry too (batch.map_request)."""
        return frozenset(_ADAPTED.get(self.endpoint, ()))

    @property
    def endpoint(self) -> str:
        """The key for mode memory: one model at one address. The address is the safe URL, so
        no credential is written to the memory's file and a new password keeps what was
        learnt."""
        return f"{self.base_url}#{self.model}"

    def complete(
        self, messages: list[dict], *, schema: dict, schema_name: str, max_tokens: int
    ) -> Completion:
        """One answer from the model, asked for as JSON fitting `schema` in the best mode the
        endpoint supports. Raises EndpointError when the endpoint cannot answer."""
        started = time.monotonic()
        tally = _Tally()
        try:
            return self._complete_counted(messages, schema, schema_name, max_tokens, started, tally)
        except EndpointError as error:
            error.requests = tally.requests  # the ledger counts them (see engines/llm.py)
            raise

    def _complete_counted(
        self,
        messages: list[dict],
        schema: dict,
        schema_name: str,
        max_tokens: int,
        started: float,
        tally: _Tally,
    ) -> Completion:
        self._circuit.check()
        with _MODE_LOCK:
            remembered = self._memory.get(self.endpoint)
            probe = _PROBES.setdefault((id(self._memory), self.endpoint), threading.Lock())
        args = (messages, schema, schema_name, max_tokens, started, tally)
        if remembered in _RUNGS:
            return self._complete(remembered, remembered, *args)
        # The first call to an endpoint finds its output mode; calls made meanwhile wait for
        # it rather than each being refused the same way (and a cassette replays the same).
        with probe:
            # The probe may have given up on the endpoint meanwhile: fail as it did.
            self._circuit.check()
            with _MODE_LOCK:
                remembered = self._memory.get(self.endpoint)
            if remembered not in _RUNGS:  # this call is the probe: the others wait for it
                return self._complete(_RUNGS[0], remembered, *args)
        # Found while this call waited: go at once, side by side with the others.
        return self._complete(remembered, remembered, *args)

    def _complete(
        self,
        rung: str,
        remembered: str | None,
        messages: list[dict],
        schema: dict,
        schema_name: str,
        max_tokens: int,
        started: float,
        tally: _Tally,
    ) -> Completion:
        while True:
            request = self._request(rung, messages, schema, schema_name, max_tokens)
            try:
                response = self._send(request, tally)
                break
            except _Adapt as adapt:
                with _MODE_LOCK:
                    _ADAPTED.setdefault(self.endpoint, set()).add(adapt.fix)
                continue
            except _Refused as refused:
                if rung == "text":
                    raise self._endpoint_error(refused.error, "refused the request") from None
                rung = _next_rung(rung, refused.error)
        if rung != remembered:
            with _MODE_LOCK:
                self._memory[self.endpoint] = rung
        if not response.choices:
            raise self._endpoint_error(None, "answered with no choices")
        choice = response.choices[0]
        text = choice.message.content or ""
        if rung == "text":
            text = extract_json(text)
        usage = response.usage
        completion = Completion(
            text=text,
            finish_reason=choice.finish_reason or "",
            prompt_tokens=(usage.prompt_tokens or 0) if usage else 0,
            completion_tokens=(usage.completion_tokens or 0) if usage else 0,
            mode=rung.removesuffix("-plain"),
            seconds=time.monotonic() - started,
            requests=tally.requests,
            endpoint=self.base_url,
        )
        self._note_pace(completion)
        if self.on_call is not None:
            self.on_call(completion)
        return completion

    # ------------------------------------------------------------------ the server's context

    def context_size(self) -> int | None:
        """The tokens of context the server gives a request, as it reports them, or None.

        Asked once per endpoint, then remembered with the output mode (so a run whose every
        answer is cached asks nothing): llama.cpp's server says it in /props
        (default_generation_settings.n_ctx, per slot) and vLLM in /v1/models (max_model_len).
        OpenAI and Ollama say nothing usable; the `context_tokens` setting is for them.
        """
        key = f"{self.endpoint}#context"
        with _MODE_LOCK:
            known = self._memory.get(key)
        if known is not None:
            return int(known) or None if known.isdigit() else None
        found = self._ask_context()
        with _MODE_LOCK:
            self._memory[key] = str(found or 0)
        return found

    def _ask_context(self) -> int | None:
        root = self._options["base_url"].rstrip("/").removesuffix("/v1")
        for url, read in (
            (f"{root}/props", _props_context),
            (f"{self._options['base_url'].rstrip('/')}/models", _models_context),
        ):
            try:
                answer = self._client.get(url, cast_to=object, options={"timeout": 10.0})
            except Exception:  # noqa: BLE001 - any server may lack the route; none is needed
                continue
            size = read(answer)
            if size:
                return size
        return None

    # ------------------------------------------------------------------ pace and time limit

    def pace(self) -> float | None:
        """Seconds per answer token of the latest answers (their mean), or None before any
        answer long enough to tell; pool.py sends calls to the faster of two idle endpoints."""
        with self._client_lock:
            return sum(self._paces) / len(self._paces) if self._paces else None

    def _note_pace(self, completion: Completion) -> None:
        if completion.completion_tokens < PACE_MIN_TOKENS:
            return
        with self._client_lock:
            self._paces.append(completion.seconds / completion.completion_tokens)
            del self._paces[:-PACE_WINDOW]

    def time_limit(self, max_tokens: int, attempt: int = 1) -> float:
        """Seconds a request for up to `max_tokens` answer tokens may take on try `attempt`."""
        with self._client_lock:
            pace = max(self._paces) if self._paces else FIRST_PACE
        limit = max(self.timeout, TIMEOUT_MARGIN * max_tokens * pace)
        return limit * 2 ** (attempt - 1)

    # ------------------------------------------------------------------ one request

    def _request(
        self, rung: str, messages: list[dict], schema: dict, schema_name: str, max_tokens: int
    ) -> dict[str, Any]:
        with _MODE_LOCK:
            fixes = set(_ADAPTED.get(self.endpoint, ()))
        request: dict[str, Any] = {"model": self.model, "messages": messages}
        if "no_temperature" not in fixes:
            request["temperature"] = self.temperature
        # Newer OpenAI models take max_completion_tokens and refuse max_tokens; most other
        # servers know only max_tokens. The first answer says which.
        limit = "max_completion_tokens" if "max_completion_tokens" in fixes else "max_tokens"
        request[limit] = max_tokens
        if rung == "json_schema":
            # A server of one's own compiles the schema into a grammar and honours its bounds;
            # OpenAI's strict mode refuses some of them.
            bounded = strict_once(schema, keep_bounds=is_local_url(self.base_url))
            spec = {"name": schema_name, "schema": bounded, "strict": True}
            return {**request, "response_format": {"type": "json_schema", "json_schema": spec}}
        # Without server-side enforcement the model must read the schema in its prompt.
        extra = _SCHEMA_PROMPT + json.dumps(schema, ensure_ascii=False)
        if rung == "text":
            extra += _TEXT_PROMPT
        elif rung == "json_object":
            request["response_format"] = {"type": "json_object", "schema": schema}
        else:
            request["response_format"] = {"type": "json_object"}
        request["messages"] = _with_system_suffix(messages, extra)
        return request

    def _send(self, request: dict[str, Any], tally: _Tally) -> Any:
        """The response to `request`, retrying transient faults; raises _Refused or
        EndpointError. `tally` counts the HTTP requests sent."""
        retrying = tenacity.Retrying(
            retry=tenacity.retry_if_exception(_is_transient),
            wait=RetryWait(),
            stop=self._should_stop,
            sleep=self._sleep,
        )
        tries = 0
        asked = request.get("max_tokens") or request.get("max_completion_tokens") or 1024

        def create() -> Any:
            nonlocal tries
            # Waits while another call retries the failing endpoint; raises its error if
            # that call gave up.
            self._circuit.before_attempt()
            tries += 1
            tally.requests += 1
            limit = self.time_limit(asked, tries)
            try:
                response = self._client.chat.completions.create(**request, timeout=limit)
            except Exception as error:
                if _is_transient(error):
                    self._circuit.failed()
                elif isinstance(error, openai.APIStatusError):
                    self._circuit.answered()  # a refusal is an answer: the endpoint is up
                raise
            self._circuit.answered()
            return response

        try:
            return retrying(create)
        except tenacity.RetryError as gave_up:
            error = gave_up.last_attempt.exception()
            tries = gave_up.last_attempt.attempt_number
            failure = self._endpoint_error(
                error, f"failed {tries} time{'s' if tries != 1 else ''}, giving up"
            )
            raise self._circuit.gave_up(failure) from None
        except openai.APIStatusError as error:
            fix = _adaptation(error)
            if fix is not None and fix not in _ADAPTED.get(self.endpoint, ()):
                raise _Adapt(fix) from None
            if _is_refusal(error):
                raise _Refused(error) from None
            raise self._endpoint_error(error, "refused the request") from None
        finally:
            self._circuit.release()

    def _should_stop(self, state: tenacity.RetryCallState) -> bool:
        # Called after the wait for the next try is known: stop when that try would be one
        # retry too many or would take the total time waited past the budget.
        error = state.outcome.exception() if state.outcome else None
        # A refused connection (no server listening) is rarely cured by waiting: two quick
        # retries ride out a restart; more would keep a whole run hanging on a dead address.
        refused = isinstance(error, openai.APIConnectionError) and not isinstance(
            error, openai.APITimeoutError
        )
        if self._circuit.probing():
            most = 0  # the endpoint just failed a whole retry budget: one request tells
        elif refused:
            most = min(CONNECTION_RETRIES, self.max_retries)
        elif isinstance(error, openai.APITimeoutError):
            most = min(TIMEOUT_RETRIES, self.max_retries)
        else:
            most = self.max_retries
        return (
            state.attempt_number > most
            or state.idle_for + state.upcoming_sleep > self.max_retry_seconds
        )

    def _endpoint_error(self, error: BaseException | None, what: str) -> EndpointError:
        status = error.status_code if isinstance(error, openai.APIStatusError) else None
        message = f"{self.base_url} (model {self.model}) {what}"
        if status is not None:
            # openai's message reads "Error code: 401 - <the server's message>".
            said = error.message.partition(" - ")[2]
            message += f": HTTP {status}" + (f" ({said[:200]})" if said else "")
        elif isinstance(error, openai.APITimeoutError):
            message += ": timeout"
        elif isinstance(error, openai.APIConnectionError):
            message += ": connection"
        # A server (or a proxy's error page) may echo the key, the password or the request's
        # URL back in its error; no message of ours ever carries them.
        return EndpointError(
            redact_text(message, self._secrets), status=status, base_url=self.base_url
        )


CONNECTION_RETRIES = 2


@dataclass
class _Tally:
    """HTTP requests sent for one complete() call (one thread's, so no lock)."""

    requests: int = 0


class _Circuit:
    """Whether an endpoint is failing, shared by the calls of one client (all its threads).

    Retrying is per endpoint, not per call. The first call a transient fault hits becomes the
    one that retries (the leader); the others wait before their next request instead of
    retrying side by side, so a failing endpoint sees one call's retries, not one per thread.
    If the leader gets an answer, everyone goes on. If it gives up, the next call sends one
    request and no retry (a probe: one request that keeps failing must not stop the run, the
    endpoint may answer the next); if the probe fails too, the endpoint is known to be
    failing, and every call fails at once with the leader's error, sending nothing, for
    `open_seconds` (as long as one call may retry). Then a probe tries it again, so a server
    restarted while `briefgen follow` waits is used again.
    """

    def __init__(self, open_seconds: float, clock: Callable[[], float] = time.monotonic):
        self._condition = threading.Condition()
        self._leader: int | None = None  # the thread retrying (or probing) for everyone
        self._probing = False  # the leader sends one request, no retry
        self._error: EndpointError | None = None  # the leader's, once it gave up
        self._failing = False  # a probe failed too: send nothing until the cool-down ends
        self._opened = 0.0
        self._open_seconds = open_seconds
        self._clock = clock

    def _known_failing(self) -> bool:
        # Caller holds the condition.
        if self._failing and self._clock() - self._opened > self._open_seconds:
            self._failing = False  # cooled down: the next call probes
        return self._failing

    def check(self) -> None:
        """Raise the leader's error while the endpoint is known to be failing."""
        with self._condition:
            error = self._error if self._known_failing() else None
        if error is not None:
            raise _copy(error)

    def before_attempt(self) -> None:
        """Wait while another thread retries or probes the endpoint; raise the leader's
        error when it is known to be failing; become the probe after a give-up."""
        me = threading.get_ident()
        with self._condition:
            while self._leader not in (None, me) and not self._known_failing():
                # A leader's retries are bounded by its budget; the timeout only guards
                # against a leader thread that ended without a word.
                self._condition.wait(timeout=1.0)
            if self._known_failing():
                raise _copy(self._error)
            if self._error is not None and self._leader is None:
                self._leader, self._probing = me, True

    def probing(self) -> bool:
        """Whether this thread's request is a probe, sent once and not retried."""
        with self._condition:
            return self._probing and self._leader == threading.get_ident()

    def failed(self) -> None:
        """This thread's request met a transient fault: it retries for every call."""
        with self._condition:
            if self._leader is None:
                self._leader = threading.get_ident()

    def answered(self) -> None:
        """The endpoint answered (an error status that is not transient counts): all go on."""
        with self._condition:
            self._leader, self._probing = None, False
            self._error, self._failing = None, False
            self._condition.notify_all()

    def gave_up(self, failure: EndpointError) -> EndpointError:
        """This thread's call gave up with `failure`; the error to raise for it (a failed
        probe raises the leader's, so every call says the same)."""
        with self._condition:
            probe = self._probing and self._leader == threading.get_ident()
            if probe and self._error is not None:
                self._failing, self._opened = True, self._clock()
            else:
                self._error = failure
            self._leader, self._probing = None, False
            self._condition.notify_all()
            return _copy(self._error) if probe else failure

    def release(self) -> None:
        """This thread's call is over, however it ended: it retries for nobody any more."""
        with self._condition:
            if self._leader == threading.get_ident():
                self._leader, self._probing = None, False
                self._condition.notify_all()


def _copy(error: EndpointError) -> EndpointError:
    # A new exception per call: one instance raised in several threads would share (and
    # grow) one traceback.
    return EndpointError(str(error), status=error.status, base_url=error.base_url)


def _props_context(answer: Any) -> int | None:
    if not isinstance(answer, dict):
        return None
    settings = answer.get("default_generation_settings") or {}
    size = settings.get("n_ctx") if isinstance(settings, dict) else None
    return size if isinstance(size, int) and size > 0 else None


def _models_context(answer: Any) -> int | None:
    models = answer.get("data") if isinstance(answer, dict) else None
    if not isinstance(models, list) or not models or not isinstance(models[0], dict):
        return None
    size = models[0].get("max_model_len")  # vLLM
    return size if isinstance(size, int) and size > 0 else None


def _connection(url: str) -> tuple[str, dict[str, str], dict[str, str]]:
    """(address, query, headers) for the openai client from a base URL that may carry
    credentials: the URL without userinfo or query, the query parameters to send with every
    request, and the Authorization header a `user:password@` stands for.

    The openai client appends the request's path to its base URL, query and all
    (`/v1?api-key=K` would become `/v1/?api-key=Kchat/completions`), so the query is passed
    as its default_query. The password becomes a header rather than staying in the URL so
    that no URL object below us, and so no message of theirs, holds it; as with curl (and
    httpx), it takes the place of the Bearer key. A parameter given twice is sent once, with
    its last value.
    """
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return url, {}, {}  # config rejects such a URL; the client will say what is wrong
    headers: dict[str, str] = {}
    userinfo, at, host = parts.netloc.rpartition("@")
    if at:
        user, _, password = userinfo.partition(":")
        unquote = urllib.parse.unquote
        headers["Authorization"] = basic_credentials(unquote(user), unquote(password))
    query = dict(urllib.parse.parse_qsl(parts.query, keep_blank_values=True))
    address = urllib.parse.urlunsplit((parts.scheme, host, parts.path, "", ""))
    return address, query, headers


def _next_rung(rung: str, error: openai.APIStatusError) -> str:
    if rung == "json_object" and "schema" not in _error_text(error).lower():
        # json_object itself was refused, not the schema key beside it.
        return "text"
    return _RUNGS[_RUNGS.index(rung) + 1]


def _with_system_suffix(messages: list[dict], suffix: str) -> list[dict]:
    """A copy of `messages` with `suffix` appended to the last system message (one is added in
    front if there is none); the caller's list and dicts are left alone."""
    out = [dict(m) for m in messages]
    for message in reversed(out):
        if message.get("role") == "system":
            message["content"] = f"{message.get('content') or ''}{suffix}"
            return out
    return [{"role": "system", "content": suffix.lstrip("\n")}, *out]


# ------------------------------------------------------------------ error classes


def _error_text(error: openai.APIError) -> str:
    body = error.body
    if isinstance(body, dict):
        body = json.dumps(body, ensure_ascii=False)
    return f"{error.message} {body or ''}".strip()


def _is_refusal(error: BaseException) -> bool:
    if not isinstance(error, openai.APIStatusError) or error.status_code not in _REFUSAL_STATUSES:
        return False
    text = _error_text(error).lower()
    return any(word in text for word in _REFUSAL_WORDS)


def _is_transient(error: BaseException) -> bool:
    if isinstance(error, openai.APIConnectionError):  # APITimeoutError included
        return True
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        return (status in (408, 429) or status >= 500) and not _is_refusal(error)
    return False


# ------------------------------------------------------------------ waiting


@dataclass(frozen=True)
class RetryWait:
    """tenacity wait: what the server asked for (Retry-After, capped), else exponential
    backoff with full jitter. `rng` and `now` are injectable so tests can pin them."""

    start: float = BACKOFF_START
    cap: float = BACKOFF_CAP
    retry_after_cap: float = RETRY_AFTER_CAP
    rng: Callable[[], float] = random.random
    now: Callable[[], float] = time.time

    def __call__(self, retry_state: tenacity.RetryCallState) -> float:
        error = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(error, openai.APIStatusError):
            asked = retry_after_seconds(error.response.headers, now=self.now())
            if asked is not None:
                return min(max(asked, 0.0), self.retry_after_cap)
        # Full jitter: anywhere from 0 to the exponential ceiling, so that many threads hit
        # by the same fault do not come back in step.
        ceiling = min(self.cap, self.start * 2 ** (retry_state.attempt_number - 1))
        return self.rng() * ceiling


def retry_after_seconds(headers: Any, *, now: float) -> float | None:
    """Seconds the server asked to wait (retry-after-ms, or Retry-After as seconds or an HTTP
    date), or None when it asked nothing readable."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        try:
            asked = float(headers.get(name)) * scale
        except (TypeError, ValueError):  # absent, or not a number
            continue
        if not math.isnan(asked):
            return asked
    try:
        return email.utils.parsedate_to_datetime(headers.get("retry-after")).timestamp() - now
    except (TypeError, ValueError):
        return None


# ------------------------------------------------------------------ JSON helpers
