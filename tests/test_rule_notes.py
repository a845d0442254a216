"""What the pipeline makes good of a small model's notes and draft: the built-in rules' names
beside its own (rule_fill.with_rule_notes), a summary for every article (filled_summaries), and
no point said twice under the bottom line (assemble.said_once).

Qwen 1.5B's names of the sample corpus, against the hand-checked list of benchmarks/
entities.py: precision 0.75, recall 0.38, types 0.75 ("Russia" an organization, "US Treasury
Secretary Scott Bessent" a name); the rules' 0.92, 0.94, 0.96. A model's brief now shows the
rules' names, and the model's own only where they share no word with one of the rules'.
"""

from __future__ import annotations

import json
import re

from llm_stub import every_sentence_a_fact, first_finding_brief, stand_in, stub_client, with_fields

from briefgen import pipeline, rule_fill
from briefgen.engines.llm import LLMEngine
from briefgen.schema import ChunkNotes, Entity


def test_the_rules_names_come_first_and_the_models_fill_what_they_miss():
    ruled = ChunkNotes(article_id="a", chunk_index=0, entities=[
        Entity(name="Scott Bessent", kind="person", mentions=2),
        Entity(name="Russia", kind="place"),
    ])  # fmt: skip
    model = ChunkNotes(article_id="a", chunk_index=0, entities=[
        Entity(name="US Treasury Secretary Scott Bessent", kind="organization"),
        Entity(name="Russia", kind="organization"),
        Entity(name="Chenkai", kind="person"),
    ])  # fmt: skip
    merged = rule_fill.with_rule_notes(model, ruled)
    assert [(e.name, e.kind) for e in merged.entities] == [
        ("Scott Bessent", "person"),
        ("Russia", "place"),
        ("Chenkai", "person"),
    ]


def test_a_models_brief_names_and_types_as_the_rules_do(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Title: Talks in Geneva\nDate: 2025-10-23\n\nTreasury Secretary Scott Bessent met "
        "officials from Russia in Geneva. Scott Bessent said Russia would consider the offer. "
        "The columnist Chenkai wrote that the talks were a test.\n",
        encoding="utf-8",
    )

    names = [("US Treasury Secretary Scott Bessent", "organization"),
             ("Russia", "organization"), ("Chenkai", "person")]  # fmt: skip
    handler = stand_in(notes=lambda sentences: every_sentence_a_fact(sentences, entities=names))
    engine = LLMEngine(stub_client(handler), model="m")
    result = pipeline.make_brief([str(tmp_path)], "analyst", engine=engine)
    kinds = {e.name: e.kind for e in result.corpus.digest.entities}
    assert kinds["Scott Bessent"] == "person" and kinds["Russia"] == "place"
    assert kinds["Chenkai"] == "person"
    assert "US Treasury Secretary Scott Bessent" not in kinds


def test_an_analyst_reads_every_articles_summary_not_a_title(tmp_path):
    """Qwen 1.5B summarised four of the sample's five articles, three by a title and one by
    another article's: each such article is summarised in its own best sentences instead;
    a real summary the model wrote stays."""
    texts = {
        "a.txt": ("Ports reopen after strike",
                  "Dockworkers ended a nine-day strike on Monday after a pay deal. Ships queued "
                  "outside the harbour for a week. The union said members backed the offer."),
        "b.txt": ("Shipping lines count the cost",
                  "Shipping lines said the strike cost them millions in delays. Several carriers "
                  "diverted vessels to a rival port during the stoppage."),
        "c.txt": ("Union claims a win on pay",
                  "The union said the deal raises pay by six percent over two years. Members "
                  "voted by a wide margin to accept it."),
    }  # fmt: skip
    for name, (title, body) in texts.items():
        (tmp_path / name).write_text(f"Title: {title}\nDate: 2025-06-0{len(name)}\n\n{body}\n")

    def write(prompt: str) -> str:
        numbers = dict(re.findall(r"^\((\d+)\) (.+?) \(", prompt, re.M)[:3])
        by_title = {t: int(n) for n, t in numbers.items()}
        return with_fields(first_finding_brief(prompt), article_summaries=[
            # its own title, another's title, and a summary of its own
            {"article": by_title["Ports reopen after strike"], "summary": "Ports reopen after strike"},
            {"article": by_title["Shipping lines count the cost"], "summary": "Union claims a win on pay"},
            {"article": by_title["Union claims a win on pay"],
             "summary": "The union said members voted to accept a six percent raise."},
        ])  # fmt: skip

    engine = LLMEngine(stub_client(stand_in(write, notes=every_sentence_a_fact)), model="m")
    brief = pipeline.make_brief([str(tmp_path)], "analyst", engine=engine).brief
    summaries = {s.title: s.summary for s in brief.article_summaries}
    assert summaries["Ports reopen after strike"].startswith("Dockworkers ended a nine-day strike")
    assert summaries["Shipping lines count the cost"].startswith("Shipping lines said the strike")
    assert summaries["Union claims a win on pay"] == (
        "The union said members voted to accept a six percent raise."
    )


def test_a_point_the_top_line_says_is_not_said_again_below_it(tmp_path):
    """Qwen's newsletter put its top line under "Why it matters" too, word for word."""
    (tmp_path / "a.txt").write_text(
        "Title: Ports reopen\nDate: 2025-06-02\n\nDockworkers ended a nine-day strike on Monday "
        "after a pay deal. Ships queued outside the harbour for a week.\n",
        encoding="utf-8",
    )

    def write(prompt: str) -> str:
        found = dict(re.findall(r"^\[(\d+)\] \([^)]*\) (.+)$", prompt, re.M))
        (top, top_text), (other, other_text) = list(found.items())[:2]
        top_point = {"text": top_text, "findings": [int(top)]}
        brief = {
            "headline": "Ports reopen",
            "bottom_line": [top_point],
            "key_points": [],
            "sections": [
                {"heading": "What happened", "points": [{"text": other_text, "findings": [int(other)]}]},
                {"heading": "Why it matters", "points": [top_point]},
            ],
            "article_summaries": [],
        }  # fmt: skip
        return json.dumps(brief)

    engine = LLMEngine(stub_client(stand_in(write, notes=every_sentence_a_fact)), model="m")
    brief = pipeline.make_brief([str(tmp_path)], "newsletter", engine=engine).brief
    top = brief.bottom_line[0].text
    below = [p.text for s in brief.sections for p in s.points]
    assert top not in below and below
    assert [s.heading for s in brief.sections] == ["What happened"]
