"""The synthesis prompt's size, and the exec brief's length, from 10 to 5,000 articles.

    python benchmarks/synthesis_budget.py [--data DIR] [--max 5000] [--json FILE]

Issue 16 item 5: the synthesis prompt stays within its budget whatever the number of
articles. The corpus is benchmarks/scale.py's: near-copies of the 100 MultiLing 2011
articles (all ten stories in one folder), written to a temporary folder and deleted after.
Each size is read by the built-in engine (its findings are what a model's notes merge into,
and reading needs no model), then the LLM engine builds the synthesis prompt of an analyst
brief from them, calling nothing: findings beyond `synthesis_budget` are shortlisted by the
engine's own stages with each batch keeping its best findings by score (what it does when a
shortlist call fails), so the prompt has the size a model's shortlist would give it.

Columns: the findings given to the synthesis and the articles carrying them; the articles the
prompt lists; its tokens (briefgen.text.estimate_tokens over its messages, the schema not
counted) beside the anchor, the same prompt listing every carrying article as briefgen did
before the bound; and the exec brief as Markdown: its lines and the sources it lists.
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import re
import tempfile
from pathlib import Path

from _common import DEFAULT_DATA, data_or_skip, machine, save_results, table
from scale import write_corpus

from briefgen.engines.llm import LLMEngine, _finding_view
from briefgen.pipeline import brief_corpus, read_corpus
from briefgen.prompting import render_messages
from briefgen.synthesis_articles import article_lines
from briefgen.text import estimate_tokens

SIZES = [10, 100, 1_000, 5_000]
AUDIENCE = "analyst"  # the longest synthesis prompt: it also asks for article summaries


class _NoServer:
    """What LLMEngine needs of a client to build prompts: no request is ever sent."""

    base_url = "http://no-server.invalid/v1"
    on_call = None

    def context_size(self) -> None:
        return None


class PromptOnly(LLMEngine):
    """The LLM engine with every shortlist batch kept by score, as when its call fails."""

    def _shortlist_batch(self, batch, audience, keep):
        return {f.id for f in batch[:keep]}


def tokens(messages: list[dict]) -> int:
    return sum(estimate_tokens(m["content"]) for m in messages)


def anchor_messages(engine: LLMEngine, findings, articles) -> list[dict]:
    """The prompt as built before the bound: every article carrying a finding listed."""
    every, _ = article_lines(findings, articles, math.inf)
    return render_messages(
        f"brief-{AUDIENCE}.j2",
        engine.prompts,
        findings=[_finding_view(f) for f in findings],
        articles=every,
        articles_more=0,
        limits={"key_points": 10},
    )


def measure(data: Path, n: int) -> dict:
    engine = PromptOnly(_NoServer(), model="none")
    with tempfile.TemporaryDirectory(prefix="briefgen-synthesis-") as tmp:
        write_corpus(data, n, Path(tmp))
        corpus = read_corpus([tmp])
    chosen = engine.shortlist(corpus.digest.findings, AUDIENCE)
    messages = engine.brief_messages(chosen, AUDIENCE, corpus.articles)
    listed = len(re.findall(r"^\(\d+\) ", messages[-1]["content"], re.M))
    carriers = {a for f in chosen for a in f.article_ids}
    exec_md = _exec_markdown(corpus)
    return {
        "articles": n,
        "findings": len(corpus.digest.findings),
        "given": len(chosen),
        "carriers": len(carriers),
        "listed": listed,
        "prompt_tokens": tokens(messages),
        "anchor_tokens": tokens(anchor_messages(engine, chosen, corpus.articles)),
        "exec_lines": exec_md.count("\n"),
        "exec_sources": len(re.findall(r"^- \[\d+\]", exec_md.rpartition("## Sources")[2], re.M)),
    }


def _exec_markdown(corpus) -> str:
    from briefgen.render import render_brief

    return render_brief(brief_corpus(corpus, "exec").brief, "md")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=str(DEFAULT_DATA), help="MultiLing 2011 folder")
    ap.add_argument("--max", type=int, default=SIZES[-1], help="stop after this many articles")
    ap.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    args = ap.parse_args()
    data = data_or_skip(args.data)
    print(f"# briefgen synthesis budget, {dt.date.today()}, {machine()}")
    print(f"# data: near-copies of the articles of {data}; {AUDIENCE} synthesis prompt\n")
    results = [measure(data, n) for n in SIZES if n <= args.max]
    headers = [
        "articles",
        "findings",
        "given",
        "carrying them",
        "listed",
        "prompt tokens",
        "anchor (all listed)",
        "exec md lines",
        "exec sources listed",
    ]
    rows = [
        [
            r["articles"],
            r["findings"],
            r["given"],
            r["carriers"],
            r["listed"],
            r["prompt_tokens"],
            r["anchor_tokens"],
            r["exec_lines"],
            r["exec_sources"],
        ]
        for r in results
    ]
    print(table(headers, rows))
    if args.json:
        save_results(args.json, data, sizes=results)


if __name__ == "__main__":
    main()
