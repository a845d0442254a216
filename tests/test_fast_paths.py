"""The fast paths taken for speed give what the plain readings they replace give."""

from __future__ import annotations

import random
from pathlib import Path

from briefgen import ground

_ALPHABET = "ab AB\t\n\u00a0\u2003\x1c“”‘’\"'İΣσ.,ſK"


def _fold_quotes(ch: str) -> str:
    return ch.translate(ground._QUOTE_FOLD)


def _outcome(find, *args):
    # The loop fails on a fold that changes a character's length ("İ".lower()); the fast
    # path hands such text to the loop, so it must fail the same way, not answer otherwise.
    try:
        return find(*args)
    except IndexError:
        return IndexError


def test_find_folded_matches_the_character_loop() -> None:
    rng = random.Random(7)
    folds = [str.lower, _fold_quotes, str.upper, str.casefold]
    for _ in range(3000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(0, 30)))
        start = rng.randint(0, len(text))
        end = rng.randint(start, len(text))
        fold = rng.choice(folds)
        # A needle cut from the folded text itself, so that most searches find something.
        hay = "".join(" " if c.isspace() else fold(c) for c in text[start:end])
        a = rng.randint(0, len(hay))
        needle = hay[a : a + rng.randint(0, 6)]
        if rng.random() < 0.2:
            needle = needle + "b"
        want = _outcome(ground._find_folded_slowly, needle, text, start, end, fold)
        assert _outcome(ground.find_folded, needle, text, start, end, fold) == want


def test_find_folded_maps_back_across_spacing() -> None:
    text = "He said:  “We  WILL\n go.”"
    at = ground.find_folded("we will go", text, 0, len(text), str.lower)
    assert at is not None and text[at[0] : at[1]] == "We  WILL\n go"


def test_the_cue_gate_passes_every_sentence_a_cue_finds() -> None:
    from briefgen import dated_future

    sentences = [
        "The bill takes effect on 1 March.",
        "Voting starts Monday in the north.",
        "The council votes on 14 November.",
        "It WILL BE REVIEWED ON November 10, 2026.",
        "The deadline: Friday.",
        "Nothing here is to come.",
        "The deadline for bids from abroad is 3 May.",
    ]
    for s in sentences:
        any_cue = any(cue.search(s) for _, cue in dated_future._CUES)
        assert bool(dated_future._ANY_CUE.search(s)) == any_cue, s
    assert dated_future.find("Nothing here is to come.") == []
    assert dated_future.find("The bill takes effect on 1 March.")[0].mention.text == "1 March"


_WINDOWS = [
    " 10/11/2026 in the hall.",
    " 14.11. at the latest",
    " Nov. 14th 2026, he said.",
    " the 14th of March next year.",
    " march 3, officials said",
    " Tuesday next week.",
    " tuesday, the 14th",
    " next Friday at noon",
    " 1 March 2027.",
    " 2027, when the law lapses",
    " the 2005 terror attacks",
    " 15:00 BST (UTC+1).",
    " a 31 mile relay around London",
    " the 14th.",
    " noon tomorrow",
    " May 2027",
    " mid-December 2026",
    " the end of the month",
    " Sept. 30",
    " 30 Sept",
    " the weekend of 3 and 4 June",
    " SATURDAY 5 PM",
    " 2026-11-14",
    " Monday",
]


def test_the_dateparser_gate_rejects_only_what_makes_no_date() -> None:
    from briefgen import dated_future

    text = (Path(__file__).parents[1] / "examples" / "trade-talks").glob("*")
    sample = [w for p in text if p.is_file() for w in p.read_text(encoding="utf-8").split(" on ")]
    windows = _WINDOWS + [" " + w[:40] for w in sample]
    passed = 0
    for window in windows:
        if dated_future._could_date(window):
            passed += 1
        elif dated_future._DATE_LIKE.search(window):
            # Rejected by the new test alone: dateparser must make no date of it either.
            assert dated_future._parse_window(window, 0) is None, window
    assert passed >= 15  # the dated phrases above go on to dateparser
    assert dated_future.parse_after("is due on 10 Sept 2027.", 6) is not None
