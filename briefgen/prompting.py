"""Prompts: Jinja files in prompts/, rendered into chat messages, with a hash for the cache.

A prompt file holds the system message, a line `=== user ===`, then the user message, so a
person editing it sees the whole conversation in one place. Whatever came from an article
passes through the `data` filter, which defuses anything that could close or open the
delimiters the prompt puts around data: an article cannot end its own <article> block and
speak as the prompt (prompt injection).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from pathlib import Path

import jinja2

from briefgen.errors import ConfigError
from briefgen.resources import prompts_dir

USER_MARKER = "=== user ==="
# The tags the prompts use around data; a copy of any of them inside the data is neutralised.
_DELIMITER = re.compile(r"<\s*(/?)\s*(article|articles|findings)\b", re.I)


def defuse(text: str) -> str:
    """Text with any delimiter tag made harmless: '</article>' becomes '‹/article>'."""
    return _DELIMITER.sub(lambda m: "‹" + m.group(1) + m.group(2), str(text))


class _ContentLoader(jinja2.FileSystemLoader):
    """A loader whose compiled templates stay valid while their files' text is the same.

    A prompt edited while briefgen runs (`follow`) must be used at once. Jinja's own reload
    check compares modification times, which miss an edit made within the same tick (the
    cache keys hash the text, so they would not); compiling every template at every render
    instead cost about 10 ms of CPU per model call. Reading the file again is microseconds.
    """

    def get_source(self, environment, template):
        source, filename, _ = super().get_source(environment, template)

        def uptodate() -> bool:
            try:
                return Path(filename).read_text(encoding="utf-8") == source
            except OSError:
                return False

        return source, filename, uptodate


@lru_cache(maxsize=8)
def _environment(folder: str) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=_ContentLoader(folder),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=False,
        autoescape=False,  # plain text to a model, not HTML
        auto_reload=True,  # asks uptodate() above at every use
    )
    env.filters["data"] = defuse
    return env


def render_messages(name: str, folder: Path | None = None, **variables) -> list[dict[str, str]]:
    """The chat messages of prompt `name` (e.g. "extract.j2") rendered with `variables`."""
    folder = folder or prompts_dir()
    try:
        text = _environment(str(folder)).get_template(name).render(**variables)
    except jinja2.TemplateNotFound as exc:
        raise ConfigError(f"prompt {exc.name!r} not found in {folder}") from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"prompt {name} failed to render: {exc}") from None
    if USER_MARKER not in text:
        raise ConfigError(f"prompt {name} has no '{USER_MARKER}' line between system and user")
    system, user = text.split(USER_MARKER, 1)
    return [
        {"role": "system", "content": system.strip()},
        {"role": "user", "content": user.strip()},
    ]


def render_text(name: str, folder: Path | None = None, **variables) -> str:
    """A prompt file that is one message (e.g. revise.j2)."""
    folder = folder or prompts_dir()
    try:
        return _environment(str(folder)).get_template(name).render(**variables).strip()
    except jinja2.TemplateError as exc:
        raise ConfigError(f"prompt {name} failed to render: {exc}") from None


def prompt_hash(name: str, folder: Path | None = None) -> str:
    """A hash of prompt `name` and the partials it can include: changes when either is edited."""
    folder = Path(folder or prompts_dir())
    digest = hashlib.sha256()
    for path in [folder / name, *sorted(folder.glob("_*.j2"))]:
        if path.is_file():
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:16]
