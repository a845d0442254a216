"""Bounded synthesis (issue 16, item 5): what a brief of thousands of articles shows and sends.

The synthesis prompt lists only the articles its findings come from, within a budget, so its
size is flat in the number of articles; the exec brief and the newsletter list their top
sources and "and N more", every [n] shown having its entry; the analyst brief shows at most
SUMMARIES_MAX article summaries. Small corpora are shown and sent as before. The corpora
here are invented: stories told by one wire original and its reprints, as a day's feed is.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest
from llm_stub import stub_client

from briefgen import contract, source_list
from briefgen.engines.llm import LLMEngine
from briefgen.render import render_brief
from briefgen.schema import (
    Article,
    ArticleSummary,
    Brief,
    BriefQuote,
    CopyNote,
    Evidence,
    Finding,
    KeyPoint,
    Provenance,
    Section,
    SourceRef,
    TimelineEntry,
    WatchItem,
)
from briefgen.synthesis_articles import article_budget, article_lines
from briefgen.text import estimate_tokens

STORIES = 10
FINDINGS_PER_STORY = 12
SIZES = [10, 100, 1_000, 5_000]

# ---------------------------------------------------------------- the synthesis prompt


def feed(n_articles: int) -> tuple[list[Article], list[Finding]]:
    """n articles in STORIES stories; every finding of a story is carried by all its articles
    (an original and its reprints), as the merge step makes them."""
    articles = [
        Article(id=f"a{i}", title=f"Story {i % STORIES} report {i}", text="x", path=f"{i}.txt")
        for i in range(n_articles)
    ]
    findings = []
    for story in range(STORIES):
        told = [a.id for i, a in enumerate(articles) if i % STORIES == story]
        for k in range(FINDINGS_PER_STORY):
            text = f"Finding {k} of story {story}: the port talks moved on day {k}."
            evidence = Evidence(article_id=told[0], start=0, end=1, text=text)
            findings.append(
                Finding(
                    id=len(findings) + 1,
                    text=text,
                    kind="fact",
                    article_ids=told,
                    evidence=[evidence],
                )
            )
    return articles, findings


def engine() -> LLMEngine:
    def refuse(request):
        raise AssertionError("building a prompt calls no model")

    return LLMEngine(stub_client(refuse), model="m")


def prompt_tokens(messages: list[dict]) -> int:
    return sum(estimate_tokens(m["content"]) for m in messages)


def listed_lines(messages: list[dict]) -> dict[int, list[int]]:
    """(n) -> finding ids, as the prompt's <articles> block lists them."""
    user = messages[-1]["content"]
    if "<articles>" not in user:
        return {}
    block = user.split("<articles>\n", 1)[1].split("</articles>", 1)[0]
    lines = re.findall(r"^\((\d+)\) .*: findings ([\d, ]+)$", block, re.M)
    return {int(n): [int(i) for i in ids.split(", ")] for n, ids in lines}


def test_the_synthesis_prompt_is_flat_in_the_number_of_articles():
    eng = engine()
    sizes = {}
    for n in SIZES:
        articles, findings = feed(n)
        sizes[n] = prompt_tokens(eng.brief_messages(findings, "analyst", articles))
    _, findings = feed(SIZES[-1])
    without_articles = prompt_tokens(eng.brief_messages(findings, "analyst", []))
    # The "more articles" sentence is the only text besides the findings and the list.
    bound = without_articles + article_budget(eng.synthesis_budget) + 20
    assert all(tokens <= bound for tokens in sizes.values()), sizes
    # Listing every carrier, as before, grows with the corpus: the bound is what holds it.
    articles, findings = feed(SIZES[-1])
    every, _ = article_lines(findings, articles)
    assert len(every) == SIZES[-1]
    assert sum(estimate_tokens(str(line)) for line in every) > 10 * article_budget(
        eng.synthesis_budget
    )


def test_the_dry_run_plans_the_article_list_the_prompt_sends_within_its_budget():
    """--dry-run's synthesis estimate counts the <articles> list as the prompt sends it: all
    of a small corpus's articles, a large one's within the list's budget."""
    eng = engine()
    budget = article_budget(eng.synthesis_budget)
    planned = {}
    for n in SIZES:
        articles, findings = feed(n)
        planned[n] = eng.plan_write(10_000, articles).prompt_tokens
        sent = prompt_tokens(eng.brief_messages(findings, "analyst", articles))
        nothing = prompt_tokens(eng.brief_messages(findings, "analyst", []))
        listed = planned[n] - eng.plan_write(10_000).prompt_tokens
        # Never above the cap; below what is sent while the list is whole (each line lists
        # the ids of findings the map step has not made yet), near it once the cap holds.
        assert listed <= budget, (n, listed)
        if n < 1_000:
            assert listed <= sent - nothing, (n, listed, sent - nothing)
        else:
            assert abs(listed - (sent - nothing)) <= 0.1 * budget, (n, listed, sent - nothing)
    assert planned[10] < planned[100] < planned[1_000] == planned[5_000]


def test_the_prompt_lists_only_articles_that_carry_the_findings_given():
    articles, findings = feed(1_000)
    given = [f for f in findings if f.id % FINDINGS_PER_STORY < 3 and f.id <= 36]  # 3 stories
    messages = engine().brief_messages(given, "analyst", articles)
    lines = listed_lines(messages)
    assert lines
    ids = {f.id for f in given}
    for n, listed in lines.items():
        carried = [f.id for f in given if articles[n - 1].id in f.article_ids]
        assert carried and listed == carried  # its findings among those given, in order
        assert set(listed) <= ids
    # Every finding keeps an article to be attributed to; the rest are counted.
    assert ids == {i for listed in lines.values() for i in listed}
    carriers = {a for f in given for a in f.article_ids}
    left_out = len(carriers) - len(lines)
    assert left_out > 0
    assert f"{left_out} more articles carry these findings" in messages[-1]["content"]


def test_a_small_corpus_gets_the_whole_list_and_no_more_line():
    articles, findings = feed(10)
    messages = engine().brief_messages(findings, "exec", articles)
    lines = listed_lines(messages)
    assert sorted(lines) == list(range(1, 11))  # every article, in number order
    assert "more articles carry" not in messages[-1]["content"]
    assert article_lines(findings, articles, article_budget(6000)) == article_lines(
        findings, articles
    )


# ---------------------------------------------------------------- a brief of many sources


def point(text: str, citations: list[int], **extra) -> KeyPoint:
    return KeyPoint(text=text, finding_ids=[1], citations=citations, **extra)


def wide_brief(audience: str, n_sources: int = 600, shared: bool = True) -> Brief:
    """A brief of n sources whose every sentence cites a block of forty (an original and
    its reprints). With `shared`, every block also cites sources 1-3 (the wire story)."""
    sources = [
        SourceRef(
            n=i,
            article_id=f"a{i}",
            title=f"Port strike report {i}",
            source=f"Outlet {i % 7}",
            path=f"a{i}.txt",
            copy_of=None if i % 40 == 1 else i - (i - 1) % 40,
        )
        for i in range(1, n_sources + 1)
    ]
    blocks = iter(range(41, n_sources, 40))

    def cites() -> list[int]:
        start = next(blocks)
        return [*([1, 2, 3] if shared else []), *range(start, start + 40)]

    points = [point(f"Point {k}: the dockers stayed out on day {k}.", cites()) for k in range(6)]
    points[2] = points[2].model_copy(
        update={"disputed_by": cites()[-2:], "copies": [CopyNote(n=42, of=41)]}
    )
    sections = [Section(heading="What happened", points=points[:3])]
    watch = [
        WatchItem(
            description=f"Vote {k} on the deal",
            status="scheduled",
            article_ids=["a1"],
            citations=cites(),
            sentence=f"The vote {k} is due.",
        )
        for k in range(2)
    ]
    fields = dict(
        audience=audience,
        headline="Dockers stay out as port talks stall",
        headline_support=point("Dockers stay out as port talks stall", cites()),
        bottom_line=[point("The strike goes on.", cites())],
        key_points=points,
        sections=sections if audience == "newsletter" else [],
        watch=watch,
        quotes=[BriefQuote(text="We stay out", speaker="A docker", citations=cites())]
        if audience == "newsletter"
        else [],
        timeline=[
            TimelineEntry(
                date=dt.date(2025, 10, 1), text="Strike began", citations=cites(), past=True
            )
        ]
        if audience == "newsletter"
        else [],
        article_summaries=[
            ArticleSummary(citation=s.n, title=s.title, summary=f"Summary {s.n}.") for s in sources
        ]
        if audience == "analyst"
        else [],
        sources=sources,
        provenance=Provenance(
            engine="extractive",
            generated_at=dt.datetime(2025, 10, 27, tzinfo=dt.timezone.utc),
            as_of=dt.date(2025, 10, 27),
            as_of_basis=f"the newest article's date, [{n_sources}] (its publication date)",
            articles=n_sources,
        ),
    )
    return Brief(**fields)


def split(text: str, fmt: str) -> tuple[str, str]:
    """The text before the source list, and the list."""
    heading = {"md": "## Sources", "txt": "Sources\n-------", "html": ">Sources</h2>"}[fmt]
    body, _, rest = text.rpartition(heading)
    footer = {"md": "\n---\n", "txt": "\n--\n", "html": "<!-- briefgen"}[fmt]
    listed, _, end = rest.partition(footer)
    return body + end, listed


def entries(listed: str, fmt: str) -> list[int]:
    pattern = {"md": r"^- \[(\d+)\]", "txt": r"^\[(\d+)\]", "html": r'id="src-(\d+)"'}[fmt]
    return [int(n) for n in re.findall(pattern, listed, re.M)]


FORMATS = ["md", "txt", "html"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", ["exec", "newsletter"])
def test_the_source_list_is_the_top_sources_then_and_n_more(audience, fmt):
    brief = wide_brief(audience)
    body, listed = split(render_brief(brief, fmt), fmt)
    numbers = entries(listed, fmt)
    assert len(numbers) == source_list.SOURCE_LIST_MAX
    noun = "reports" if audience == "newsletter" else "sources"
    assert f"and {len(brief.sources) - len(numbers)} more {noun}" in listed
    # Most cited first: the wire story every sentence cites opens the list.
    counts = {n: sum(n in c for c in source_list.citation_lists(brief)) for n in numbers}
    assert numbers[:3] == [1, 2, 3]
    assert [counts[n] for n in numbers] == sorted(counts.values(), reverse=True)
    assert "more" in body  # the citations not listed are counted where they are cited


@pytest.mark.parametrize("shared", [True, False])
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", ["exec", "newsletter"])
def test_every_cited_number_is_listed(audience, fmt, shared):
    brief = wide_brief(audience, shared=shared)
    body, listed = split(render_brief(brief, fmt), fmt)
    numbers = set(entries(listed, fmt))
    if fmt == "html":
        cited = {int(n) for n in re.findall(r'href="#src-(\d+)"', body)}
        cited |= {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    else:
        cited = {int(n) for n in re.findall(r"\[(\d+)\]", body)}
    assert cited and cited <= numbers
    # Nothing shown loses all its citations, even when no source is shared: the list grows.
    assert len(numbers) >= (source_list.SOURCE_LIST_MAX if shared else 10)


def test_a_brief_of_few_sources_lists_them_all_in_number_order():
    wide = wide_brief("exec")
    brief = wide.model_copy(
        update={
            "headline_support": None,
            "bottom_line": [],
            "watch": [],
            "key_points": [point("One point.", [1, 4, 9])],
            "sources": wide.sources[: source_list.SOURCE_LIST_MAX],
        }
    )
    text = render_brief(brief, "md")
    body, listed = split(text, "md")
    assert entries(listed, "md") == list(range(1, source_list.SOURCE_LIST_MAX + 1))
    assert "more" not in text
    assert "[1][4][9]" in body


def test_json_keeps_every_source_and_citation_and_validates():
    brief = wide_brief("exec")
    data = json.loads(render_brief(brief, "json"))
    assert len(data["sources"]) == len(brief.sources)
    assert [p["citations"] for p in data["key_points"]] == [p.citations for p in brief.key_points]
    schema = contract.json_schema("brief")
    cls = jsonschema.validators.validator_for(schema)
    cls(schema, format_checker=cls.FORMAT_CHECKER).validate(data)


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_analyst_brief_caps_its_article_summaries(fmt):
    brief = wide_brief("analyst")
    text = render_brief(brief, fmt)
    shown = re.findall(r"Summary (\d+)\.", text)
    assert len(shown) == source_list.SUMMARIES_MAX
    left_out = len(brief.article_summaries) - source_list.SUMMARIES_MAX
    assert f"and {left_out} more articles, not summarised here" in text
    assert "briefgen sources" in text
    # Originals first (a reprint's summary repeats its original's), in number order.
    copies = {s.n for s in brief.sources if s.copy_of is not None}
    numbers = [int(n) for n in shown]
    assert not copies.intersection(numbers) and numbers == sorted(numbers)
    # The analyst brief still lists every source, and its JSON every summary.
    assert len(json.loads(render_brief(brief, "json"))["article_summaries"]) == 600
    if fmt == "md":
        assert len(entries(split(text, "md")[1], "md")) == len(brief.sources)


def test_the_analyst_brief_shows_every_summary_up_to_the_cap():
    brief = wide_brief("analyst")
    few = brief.article_summaries[: source_list.SUMMARIES_MAX]
    text = render_brief(brief.model_copy(update={"article_summaries": few}), "md")
    assert len(re.findall(r"Summary (\d+)\.", text)) == source_list.SUMMARIES_MAX
    assert "not summarised here" not in text


def test_a_synthesis_prompt_too_long_for_the_context_is_cut_to_fit_it():
    """At the default budget the prompt reaches ~8,000 tokens: more than a model of 8k
    context can read with its answer. Where the context is known, the last findings (they
    come best first) are dropped until prompt, schema and answer fit; else nothing is cut."""
    from briefgen.engines.llm import SCHEMA_TOKENS, SYNTHESIS_TOKENS
    from briefgen.engines.llm_schema import BriefAnswer

    articles, findings = feed(1_000)
    unbounded = engine()
    full = unbounded._within_context(findings, "analyst", articles)
    assert full[0] == findings  # no context known: the prompt is as brief_messages makes it
    assert full[1] == unbounded.brief_messages(findings, "analyst", articles)
    small = engine()
    small.context_tokens = 4096
    kept, messages = small._within_context(findings, "analyst", articles)
    assert prompt_tokens(messages) + SCHEMA_TOKENS[BriefAnswer] + SYNTHESIS_TOKENS <= 4096
    assert prompt_tokens(full[1]) + SCHEMA_TOKENS[BriefAnswer] + SYNTHESIS_TOKENS > 4096
    assert 0 < len(kept) < len(findings) and kept == findings[: len(kept)]
    assert messages == small.brief_messages(kept, "analyst", articles)
    roomy = engine()
    roomy.context_tokens = 128_000
    assert roomy._within_context(findings, "analyst", articles)[0] == findings
