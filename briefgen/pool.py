"""Several servers of one model, used as one client.

`base_url` may list several endpoints of the same model (see split_urls for the syntax).
ClientPool holds one LLMClient per endpoint and offers the same surface (complete,
context_size, base_url, endpoint, model, on_call), so the engine does not know there are
several. Each call goes to the least busy endpoint: the fewest calls in flight, then the
fastest recent pace (seconds per answer token), then the order listed. The pipeline's -j N
threads share the pool, so N is the number of calls in flight across all endpoints, spread
about evenly (N/k each when they are alike); a slower server ends up with fewer.

A call an endpoint cannot answer (EndpointError: connection refused, timeouts, 5xx after the
client's own retries and circuit, see llm_client._Circuit) is sent to the next endpoint; an
endpoint that failed that way is set aside for as long as one call may retry
(max_retry_seconds, the client's circuit cool-down), so new calls go to the others, and is
tried again after. Only when every endpoint has failed the call does it fail, with an
EndpointError naming each (credentials masked), which the CLI turns into exit 4 as for one.

The cache key does not depend on which endpoint answered: `base_url` and `endpoint` are the
first listed (the engine's cache identity), so a brief made by the pool is found again by a
run against the first endpoint alone or any list starting with it. Which endpoint answered is
on every Completion (`endpoint`) and so in the ledger and the run log.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from briefgen.errors import EndpointError
from briefgen.ledger import safe_url, url_secrets

if TYPE_CHECKING:  # config.py reads URLs with this module; it need not load the client
    from briefgen.llm_client import Completion, LLMClient

# A separator is a comma or whitespace followed by a scheme: whitespace cannot be in a URL,
# and a comma inside one (in a query string) is kept because no "http" follows it.
_SEPARATOR = re.compile(r"[\s,]+(?=https?://)", re.IGNORECASE)

# Statuses after which an endpoint is set aside: it is down or overloaded. Any other refusal
# (401 for one server's wrong password, 404 for a wrong path) still moves the call on, since
# the other endpoints may be configured right, but says nothing of the endpoint's health.
_SET_ASIDE = frozenset({408, 429})


def split_urls(value: str | Sequence[str] | None) -> list[str]:
    """The endpoints in a base_url setting: a list (from briefgen.toml) or one string with
    the URLs separated by commas or whitespace (flag and environment)."""
    if not value:
        return []
    parts = [value] if isinstance(value, str) else list(value)
    found: list[str] = []
    for part in parts:
        found += [url for url in _SEPARATOR.split(part.strip().strip(",")) if url]
    return [url.strip().rstrip(",") for url in found]


def join_urls(urls: Sequence[str]) -> str:
    """One string for several endpoints, as split_urls reads it back (whitespace never
    appears in a URL, so it is the one separator that cannot be misread)."""
    return " ".join(urls)


def safe_urls(value: str | None) -> str:
    """`value` (one endpoint or several) as shown: each without credentials."""
    return ", ".join(safe_url(url) for url in split_urls(value))


def urls_secrets(value: str | None) -> list[str]:
    """The credentials any endpoint in `value` carries (ledger.url_secrets for each)."""
    return [secret for url in split_urls(value) for secret in url_secrets(url)]


class ClientPool:
    """Several LLMClients for one model, used as one; safe to share between threads."""

    def __init__(self, clients: Sequence[LLMClient], clock: Callable[[], float] = time.monotonic):
        if not clients:
            raise ValueError("a pool needs at least one client")
        self.clients = list(clients)
        self.model = self.clients[0].model
        self.timeout = self.clients[0].timeout
        self._clock = clock
        self._lock = threading.Lock()
        self._busy = [0] * len(self.clients)  # calls in flight per endpoint
        self._aside = [0.0] * len(self.clients)  # set aside until this clock reading
        self._on_call: Callable[[Completion], None] | None = None

    # The first endpoint names the pool: see the module docstring on cache keys.
    @property
    def base_url(self) -> str:
        return self.clients[0].base_url

    @property
    def endpoint(self) -> str:
        return self.clients[0].endpoint

    @property
    def base_urls(self) -> list[str]:
        """Every endpoint, as shown (no credentials)."""
        return [client.base_url for client in self.clients]

    @property
    def on_call(self) -> Callable[[Completion], None] | None:
        return self._on_call

    @on_call.setter
    def on_call(self, callback: Callable[[Completion], None] | None) -> None:
        # Each client reports its own completions (with its endpoint) from the calling thread.
        self._on_call = callback
        for client in self.clients:
            client.on_call = callback

    def context_size(self) -> int | None:
        """The smallest context any endpoint reports: any call may go to any endpoint, so a
        chunk must fit the smallest. None when none reports one."""
        sizes = [size for size in (c.context_size() for c in self.clients) if size]
        return min(sizes) if sizes else None

    def complete(
        self, messages: list[dict], *, schema: dict, schema_name: str, max_tokens: int
    ) -> Completion:
        """One answer, from the least busy endpoint that can give it; EndpointError when
        none can."""
        tried: set[int] = set()
        failures: list[EndpointError] = []
        requests = 0
        while True:
            index = self._take(tried)
            if index is None:
                raise self._all_failed(failures, requests)
            tried.add(index)
            client = self.clients[index]
            try:
                return client.complete(
                    messages, schema=schema, schema_name=schema_name, max_tokens=max_tokens
                )
            except EndpointError as error:
                requests += error.requests
                failures.append(error)
                if error.status is None or error.status in _SET_ASIDE or error.status >= 500:
                    with self._lock:
                        self._aside[index] = self._clock() + client.max_retry_seconds
            finally:
                with self._lock:
                    self._busy[index] -= 1

    def _take(self, tried: set[int]) -> int | None:
        """The endpoint for the next try, counted as busy; None when all were tried.

        Endpoints set aside come last, not never: when all are, one is still tried (its
        circuit fails the call at once, sending nothing, while it is known to be down)."""
        with self._lock:
            now = self._clock()
            left = [i for i in range(len(self.clients)) if i not in tried]
            if not left:
                return None
            index = min(
                left,
                key=lambda i: (
                    self._aside[i] > now,
                    self._busy[i],
                    self.clients[i].pace() or 0.0,  # not known yet: try it
                    i,
                ),
            )
            self._busy[index] += 1
            return index

    def _all_failed(self, failures: list[EndpointError], requests: int) -> EndpointError:
        shown = ", ".join(self.base_urls)
        why = "; ".join(str(error) for error in failures)
        error = EndpointError(
            f"none of the {len(self.clients)} endpoints ({shown}) could answer: {why}",
            status=failures[-1].status if failures else None,
            base_url=shown,
            requests=requests,
        )
        return error
