"""Quote speakers of the extractive engine against a labelled set, beside the old rule.

    python benchmarks/speakers.py [--data DIR] [--json FILE]

The labelled set is tests/data/speakers.jsonl: quotations of the sample corpus and of
MultiLing 2011 (read from --data, never copied) with the speaker a human reader gives them,
or null when the text does not say (see tests/data/speakers.md). For every labelled article
the extractive engine reads the whole article (`ExtractiveEngine.extract` over one chunk)
and each labelled quotation is matched to the Quote whose words start at its offset.

- briefgen: the engine as it is (speakers from `briefgen.speakers.speaker_of`).
- anchor: the rule before issue 11, frozen below: a speech-verb regex on the rest of the
  quote's sentence, "he said" given the last person seen (a titled two-word name or the
  last speaker), any unnamed role "an unnamed source"; measured on the same quotes.

A speaker counts as right when `same_speaker` says it is the labelled one (or one of the
roles listed as also right); WRONG when it names someone else; null when it names nobody.
Without the MultiLing data only the sample corpus rows are measured (and the header says so).

A second table scores the same two rules on tests/data/speakers_heldout.jsonl: MultiLing
topics M007-M009, labelled blind after the rules were written and never used to tune them, so
it shows how the rules generalise. The exit status still judges the first set only.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from _common import DEFAULT_DATA, REPO, machine, table

LABELS = REPO / "tests" / "data" / "speakers.jsonl"
HELDOUT = REPO / "tests" / "data" / "speakers_heldout.jsonl"
GOAL_WRONG = 0

# ---------------------------------------------------------------- the anchor: the old rule

_SPEECH = (
    r"said|says|say|told|tells|stated|states|added|adds|wrote|writes|noted|notes|argued|argues|"
    r"asked|replied|explained|explains|echoed|warned|warns|predicted|described|described the "
    r"talks as|insisted|claimed|stressed|emphasized|emphasised|revealed|announced|admits|admitted"
)
_NAME = r"(?:[A-Z][\w.’'\-]*(?:\s+(?:[A-Z][\w.’'\-]*|of|de|da|van|von|bin|al)){0,5})"
_BEFORE = re.compile(rf"(?P<who>{_NAME})(?:,[^,“\"]{{3,120}},)?\s+(?:{_SPEECH})\b", re.U)
_AFTER = re.compile(rf"\b(?:{_SPEECH})\s+(?P<who>{_NAME})", re.U)
_ACCORDING = re.compile(rf"\baccording to (?P<who>{_NAME})", re.U)
_PRONOUN = re.compile(rf"\b(?P<pro>he|she)\s+(?:{_SPEECH})\b", re.I)
_UNNAMED = re.compile(
    rf"\b(?:the|a|one|another) (?:person|official|source|people|diplomat|analyst)\b"
    rf"[^.“\"]{{0,60}}?\b(?:{_SPEECH})\b",
    re.I,
)
_NOT_A_NAME = frozenset(
    "The A An This That It He She They We I But And Meanwhile However Heading Announcing "
    "Separately According When While After Before In On At As If".split()
)
_QUOTE = re.compile(r"“([^”]{2,}?)”|\"([^\"]{2,}?)\"")


def _old_attribute(outside: str, last_person: str | None) -> str | None:
    for pattern in (_BEFORE, _AFTER, _ACCORDING):
        for m in pattern.finditer(outside):
            parts = m.group("who").split()
            while parts and parts[0] in _NOT_A_NAME:
                parts.pop(0)
            while parts and parts[-1].lower() in {"of", "de", "da", "van", "von", "bin", "al"}:
                parts.pop()
            who = " ".join(parts).strip(" ,.")
            if who:
                return who
    if _PRONOUN.search(outside) and last_person:
        return last_person
    if _UNNAMED.search(outside):
        return "an unnamed source"
    return None


def anchor_speakers(article, places) -> dict[int, str | None]:
    """The old engine's speakers: quote start offset -> speaker, sentence by sentence."""
    from briefgen import extract_rules as rules
    from briefgen.engines.extractive import _is_heading
    from briefgen.text import sentence_spans

    text, last_person, out = article.text, None, {}
    for start, end in sentence_spans(text):
        sentence = text[start:end]
        if _is_heading(sentence):
            continue
        found = []
        for m in _QUOTE.finditer(sentence):
            outside = sentence[: m.start()] + " " + sentence[m.end() :]
            speaker = _old_attribute(outside, last_person)
            out[start + m.start() + 1] = speaker
            found.append(speaker)
        for entity in rules.find_entities(sentence, places):
            if entity.kind == "person" and " " in entity.name:
                last_person = entity.name
        for s in found:
            if s and s != "an unnamed source":
                last_person = s
    return out


# ---------------------------------------------------------------- briefgen


def engine_speakers(article, engine) -> dict[int, str | None]:
    """The engine's speakers today: quote start offset -> speaker."""
    from briefgen.schema import Chunk

    chunk = Chunk(
        article_id=article.id, index=0, start=0, end=len(article.text), text=article.text, tokens=0
    )
    notes = engine.extract(chunk, article)
    out = {}
    for q in notes.quotes:
        at = article.text.find(q.text, q.span.start)
        if at >= 0:
            out[at] = q.speaker
    return out


# ---------------------------------------------------------------- scoring


def score(labels: list[dict], found: dict[tuple[str, int], str | None]) -> dict[str, object]:
    from briefgen.speakers import same_speaker

    n = {"labelled": len(labels), "found": 0, "right": 0, "null": 0, "wrong": 0}
    wrong = []
    for rec in labels:
        key = (rec["path"], rec["offset"])
        if key not in found:
            continue
        n["found"] += 1
        got = found[key]
        accepted = [rec["speaker"], *rec.get("also", [])]
        if any(same_speaker(got, truth) for truth in accepted):
            n["right"] += 1
        elif got is None:
            n["null"] += 1
        else:
            n["wrong"] += 1
            wrong.append(
                f"{rec['path']}@{rec['offset']} {rec['key']!r}: {got!r} (is {accepted[0]!r})"
            )
    n["accuracy"] = round(100 * n["right"] / max(1, n["labelled"]), 1)
    return {**n, "wrong_list": wrong}


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def measure(labels: list[dict], data: Path, engine, places) -> dict[str, dict]:
    """Both rules scored on `labels`: {"briefgen": ..., "anchor (old rule)": ...}."""
    from briefgen.ingest import load

    now: dict[tuple[str, int], str | None] = {}
    old: dict[tuple[str, int], str | None] = {}
    for path in sorted({r["path"] for r in labels}):
        corpus = next(r["corpus"] for r in labels if r["path"] == path)
        file = REPO / path if corpus == "sample" else data / path
        article = load([str(file)]).articles[0]
        now.update({(path, k): v for k, v in engine_speakers(article, engine).items()})
        old.update({(path, k): v for k, v in anchor_speakers(article, places).items()})
    return {"briefgen": score(labels, now), "anchor (old rule)": score(labels, old)}


def report(results: dict[str, dict]) -> None:
    rows = [
        ["quotes labelled", *(r["labelled"] for r in results.values())],
        ["found by the engine", *(r["found"] for r in results.values())],
        ["speaker right", *(r["right"] for r in results.values())],
        ["null (unattributed)", *(r["null"] for r in results.values())],
        ["WRONG speaker", *(r["wrong"] for r in results.values())],
        ["accuracy (right / labelled), %", *(r["accuracy"] for r in results.values())],
    ]
    print(table(["", *results], rows))


def wrong_lists(results: dict[str, dict], title: str = "") -> None:
    for name, r in results.items():
        if r["wrong_list"]:
            print(f"\n{name}{title}: wrong speakers")
            for line in r["wrong_list"]:
                print("  " + line)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="the multiling2011 folder")
    ap.add_argument("--json", help="write the results here too")
    args = ap.parse_args(argv)

    from briefgen import extract_rules as rules
    from briefgen.engines.extractive import ExtractiveEngine

    data = Path(args.data).expanduser()
    labels = _read(LABELS)
    have_data = (data / "M000" / "articles").is_dir()
    if not have_data:
        labels = [r for r in labels if r["corpus"] == "sample"]
    engine, places = ExtractiveEngine(), rules.load_places()
    results = measure(labels, data, engine, places)

    print(f"# Quote speakers, {len(labels)} labelled quotations ({machine()})")
    print(
        f"data: sample corpus + {'MultiLing at ' + str(data) if have_data else 'no MultiLing (skipped)'}"
    )
    print()
    report(results)
    print(f"\ngoal: {GOAL_WRONG} wrong speakers (null is allowed)")
    wrong_lists(results)

    heldout = None
    if have_data and (data / "M007" / "articles").is_dir():
        held = _read(HELDOUT)
        heldout = measure(held, data, engine, places)
        print(f"\n# Held-out set, {len(held)} labelled quotations (MultiLing M007-M009)")
        print("labelled blind after the rules were written, never used to tune them")
        print()
        report(heldout)
        wrong_lists(heldout, " (held-out)")
    else:
        print("\nheld-out set (MultiLing M007-M009): skipped, no MultiLing data")
    if args.json:
        out = {**results, "heldout": heldout}
        Path(args.json).write_text(json.dumps(out, indent=2) + "\n", encoding="utf-8")
    return 0 if results["briefgen"]["wrong"] <= GOAL_WRONG else 1


if __name__ == "__main__":
    sys.exit(main())
