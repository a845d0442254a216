"""Plain text for mail that needs it (`--format txt`): article text made safe for one line,
headings underlined, every line wrapped at 72 columns with links kept whole.

The *.txt.j2 templates write one logical line per paragraph or list item; wrap() then folds
each line, indenting what follows a list marker so a wrapped item still reads as one.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from typing import Any

WIDTH = 72

# A list item, a numbered source or a quote: what follows the marker is indented under it.
_MARKER = re.compile(r"^(?P<indent> *)(?P<mark>- |\* |\[\d+\] |> )?")


def txt(value: Any) -> str:
    """Article text for one plain-text line: whitespace (newlines included) collapsed, so it
    cannot end an item or forge a line, and other control characters (terminal escapes, say)
    dropped. Nothing else needs escaping in plain text."""
    text = " ".join(str(value).split())
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def underline(text: Any, char: str = "-") -> str:
    """A rule under a heading, as long as its text (no longer than a wrapped line)."""
    return char * min(len(str(text)), WIDTH)


def _wrap_line(line: str, width: int) -> list[str]:
    if len(line) <= width:
        return [line]
    found = _MARKER.match(line)
    prefix = found.group(0) if found else ""
    mark = found.group("mark") if found else None
    follow = prefix if mark == "> " else " " * len(prefix)
    return textwrap.wrap(
        line[len(prefix) :],
        width=width,
        initial_indent=prefix,
        subsequent_indent=follow,
        # A URL or a long word stays whole on a line of its own: a broken link is no link.
        break_long_words=False,
        break_on_hyphens=False,
    ) or [line]


def wrap(text: str, width: int = WIDTH) -> str:
    """Every line of `text` folded at `width` columns; blank lines and short lines kept."""
    out: list[str] = []
    for line in text.splitlines():
        out.extend(_wrap_line(line.rstrip(), width))
    return "\n".join(out) + ("\n" if text.endswith("\n") else "")
