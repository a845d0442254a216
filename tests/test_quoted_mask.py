"""offtopic._quoted_mask fills between quotation marks by slices; it must mark the same characters
as the plain character-by-character reading it replaced (kept here as the specification)."""

from __future__ import annotations

import random

from briefgen.offtopic import _quoted_mask
from briefgen.polarity import quoted_spans


def _by_character(text: str) -> list[bool]:
    mask = [False] * len(text)
    pos = 0
    for line in text.split("\n"):
        first_close, first_open = line.find("”"), line.find("“")
        inside = first_close != -1 and (first_open == -1 or first_close < first_open)
        for k, ch in enumerate(line):
            if ch in "“«" or (ch == '"' and not inside):
                inside = True
            elif ch in "”»" or (ch == '"' and inside):
                mask[pos + k] = True
                inside = False
                continue
            mask[pos + k] = inside
        for a, b, _ in quoted_spans(line):
            mask[pos + a : pos + b] = [True] * (b - a)
        pos += len(line) + 1
    return mask


def test_marks_and_what_they_enclose_are_inside():
    text = "He said “I will go” and left. I stayed."
    mask = _quoted_mask(text)
    assert mask[text.index("I will")] and mask[text.index("“")] and mask[text.index("”")]
    assert not mask[text.index("I stayed")]


def test_an_open_quotation_ends_with_its_line_and_a_leading_close_continues_one():
    text = '“I began\nand I ended” then I spoke\n"plain'
    mask = _quoted_mask(text)
    assert mask[text.index("I began")]
    assert mask[text.index("I ended")]  # the line's first mark closes: it continues
    assert not mask[text.index("I spoke")]
    assert mask[text.index("plain")]


def test_same_marks_as_character_by_character():
    rng = random.Random(15)
    pieces = ["I", " ", "me", "word", "“", "”", "«", "»", '"', "'", "’", "\n", ".", "said"]
    texts = ["", "\n", "\n\n", 'a "b" c', "“x\n", "x”\n“y"]
    texts += ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(400)]
    for text in texts:
        assert [bool(x) for x in _quoted_mask(text)] == _by_character(text), repr(text)
