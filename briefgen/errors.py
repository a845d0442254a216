"""briefgen's exceptions, one tree, so callers can catch as broadly or narrowly as they need.

    BriefgenError                 anything briefgen raises on purpose
    ├── InputError                the articles given cannot be used at all
    │   ├── NoArticlesError       nothing readable was found in the paths given
    │   └── UnreadableFileError   one file cannot be read (binary, undecodable, empty); carries
    │                             the path and the reason, and ingest turns it into a Skipped row
    ├── ConfigError               a bad option, settings file, template directory, date or
    │                             manifest to compare with
    ├── OutputError               the output file cannot be written (names it and why)
    ├── RenderError               a template failed to render (names the template)
    └── LLMError                  a model endpoint could not give a usable answer
        ├── EndpointError         unreachable, refused (auth, not found), or transient faults
        │                         outlasted the retries; carries status (None when no HTTP
        │                         answer came) and base_url, as shown (no credentials)
        └── StructuredOutputError no valid answer after N attempts; carries every attempt and
                                  the last raw output, and its message ends with the start of it

The CLI turns every BriefgenError into a one-line message and the exit code its class
carries (`exit_code`, from exit_codes.py: 3 for InputError, 2 for ConfigError, 5 for
OutputError and RenderError, 4 for LLMError, 1 for anything else); anything else is a bug
and keeps its traceback. No message ever carries an API key or a base URL's
credentials (its userinfo, its query string): see ledger.safe_url and ledger.redact_text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from briefgen.exit_codes import ExitCode


class BriefgenError(Exception):
    """Base of every error briefgen raises on purpose."""

    exit_code: int = ExitCode.PROBLEMS


class InputError(BriefgenError):
    """The input cannot be used."""

    exit_code = ExitCode.NO_INPUT


class NoArticlesError(InputError):
    """No readable article was found."""


class UnreadableFileError(InputError):
    """One file cannot be read; the run goes on without it."""

    def __init__(self, path: str, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


class ConfigError(BriefgenError):
    """An option, a template directory or a date given by the user is wrong."""

    exit_code = ExitCode.USAGE


class OutputError(BriefgenError):
    """The output file cannot be written."""

    exit_code = ExitCode.OUTPUT


class RenderError(BriefgenError):
    """A template failed to render."""

    exit_code = ExitCode.OUTPUT


class LLMError(BriefgenError):
    """A model endpoint could not give a usable answer."""

    exit_code = ExitCode.ENDPOINT


class EndpointError(LLMError):
    """The endpoint is unreachable, refused the request, or stayed faulty through every retry.

    `status` is the last HTTP status (None for a timeout or a connection failure);
    `base_url` is the endpoint as shown, without credentials (ledger.safe_url);
    `requests` the HTTP requests the failed call sent (0 when it failed without sending,
    the endpoint being known to fail), for the run's cost line.
    """

    def __init__(
        self, message: str, *, status: int | None = None, base_url: str = "", requests: int = 0
    ):
        super().__init__(message)
        self.status = status
        self.base_url = base_url
        self.requests = requests


class _AttemptLike(Protocol):
    # structured.Attempt has this shape; a Protocol keeps errors.py free of imports from
    # the modules that raise these errors.
    number: int
    raw: str
    error: str | None


# How much of the last raw answer a StructuredOutputError message shows.
RAW_EXCERPT_CHARS = 300


class StructuredOutputError(LLMError):
    """The model gave no answer that fits the schema in the attempts allowed."""

    def __init__(self, schema_name: str, attempts: Sequence[_AttemptLike], last_raw: str):
        self.schema_name = schema_name
        self.attempts = list(attempts)
        self.last_raw = last_raw
        last_error = self.attempts[-1].error if self.attempts else None
        super().__init__(
            f"no valid {schema_name} after {len(self.attempts)} attempt"
            f"{'' if len(self.attempts) == 1 else 's'}; last error: {last_error or 'none'}; "
            f"last output began: {last_raw[:RAW_EXCERPT_CHARS]}"
        )
