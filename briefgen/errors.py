"""briefgen's exceptions, one tree, so callers can catch as broadly or narrowly as they need.

    BriefgenError                 anything briefgen raises on purpose
    ├── InputError                the articles given cannot be used at all
    │   ├── NoArticlesError       nothing readable was found in the paths given
    │   └── UnreadableFileError   one file cannot be read (binary, undecodable, empty); carries
    │                             the path and the reason, and ingest turns it into a Skipped row
    ├── ConfigError               a bad option, template directory or date
    └── RenderError               a template failed to render (names the template)

The CLI turns every BriefgenError into a one-line message and exit code 2; anything else is
a bug and keeps its traceback.
"""

from __future__ import annotations


class BriefgenError(Exception):
    """Base of every error briefgen raises on purpose."""


class InputError(BriefgenError):
    """The input cannot be used."""


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


class RenderError(BriefgenError):
    """A template failed to render."""
