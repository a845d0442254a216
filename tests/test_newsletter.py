"""The newsletter is for subscribers (issue 15, item 6).

No production detail in it (findings counted, "single source", engine, date bases, run
warnings: those go to stderr and stay in the analyst brief); sourcing in readers' words; a
preheader; [n] that match a source list of plain absolute links, no '#src-n' fragments; and
a plain-text rendering wrapped at 72 columns with links written out whole.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from briefgen import ingest, newsletter, plain_text
from briefgen.cli import main
from briefgen.render import render_brief
from briefgen.schema import Brief, CopyNote, KeyPoint, Provenance, Section, SourceRef, WatchItem

SAMPLE = Path(__file__).resolve().parents[1] / "examples" / "trade-talks"
LONG_URL = "https://news.example.com/world/asia/" + "very-long-slug-" * 6 + "2025-10-30.html"
PREVIOUS = dt.datetime(2025, 11, 22, 14, 5, tzinfo=dt.timezone.utc)
FORMATS = ("md", "html", "txt")


def source(n: int, outlet: str | None, url: str | None = None, **more) -> SourceRef:
    return SourceRef(
        n=n,
        article_id=f"a{n}",
        title=f"Report number {n}",
        source=outlet,
        url=url,
        published=dt.date(2025, 10, 20 + n),
        date_basis="inferred from the dates the articles state",
        path=f"articles/{n}.txt",
        **more,
    )


def point(text: str, citations: list[int], corroboration: int, **more) -> KeyPoint:
    return KeyPoint(
        text=text,
        finding_ids=[citations[0]],
        citations=citations,
        corroboration=corroboration,
        **more,
    )


TWO_OUTLETS = point("Ministers agreed a framework on Sunday.", [1, 2], 2)
ONE_OUTLET = point("Tariffs of 100 percent are off the table.", [2], 1, new=True)
UNNAMED = point("Soybean purchases will resume this season.", [3], 1)


def brief(audience: str = "newsletter", **update) -> Brief:
    fields = dict(
        audience=audience,
        headline="Trade truce takes shape",
        headline_support=TWO_OUTLETS,
        bottom_line=[TWO_OUTLETS, ONE_OUTLET],
        key_points=[TWO_OUTLETS, ONE_OUTLET, UNNAMED],
        sections=[Section(heading="What happened", points=[TWO_OUTLETS, ONE_OUTLET, UNNAMED])],
        watch=[
            WatchItem(
                description="Talks resume",
                date_text="mid-November",
                date=dt.date(2025, 11, 15),
                precision="part-of-month",
                status="scheduled",
                article_ids=["a3"],
                citations=[3],
                sentence="Talks resume by mid-November.",
                new=True,
            )
        ],
        sources=[
            source(1, "Reuters", "https://www.reuters.com/world/truce"),
            source(2, "AP", LONG_URL),
            source(3, None),
        ],
        provenance=Provenance(
            engine="llm",
            model="qwen2.5-coder-1.5b",
            generated_at=dt.datetime(2025, 11, 23, 8, 0, tzinfo=dt.timezone.utc),
            as_of=dt.date(2025, 10, 30),
            as_of_basis="the newest article's date, [3] (inferred from the dates the articles state)",
            articles=3,
            points_dropped=2,
            warnings=[
                "the model's brief could not be used (timeout); the extractive engine wrote it"
            ],
            missing=["articles/3.txt part 2 (HTTP 503)"],
            previous_brief=PREVIOUS,
            changes=["1 article added: “Report number 3”", "26 new findings (4 in this brief)"],
        ),
    )
    fields.update(update)
    return Brief(**fields)


# Words meant for the producer or the analyst, never for a subscriber.
PRODUCTION = (
    "new findings",
    "in this brief",
    "single source",
    "engine",
    "qwen2.5",
    "inferred from",
    "newest article's date",
    "could not be used",
    "HTTP 503",
    "written points dropped",
    "skipped",
)


def words(text: str) -> str:
    """The text as read: tags gone, wrapped lines joined."""
    return " ".join(re.sub(r"<[^>]+>", "", text).split())


# ---------------------------------------------------------------- no production detail


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_newsletter_carries_no_production_detail_the_exec_brief_does(fmt):
    reader = render_brief(brief(), fmt)
    assert [w for w in PRODUCTION if w.lower() in reader.lower()] == []
    producer = render_brief(brief("exec"), fmt)  # the same brief for the producer says it all
    for words in ("26 new findings (4 in this brief)", "single source", "engine llm", "HTTP 503"):
        assert words in producer, words


@pytest.mark.parametrize("fmt", FORMATS)
def test_what_is_new_is_told_from_what_the_issue_tags(fmt):
    out = words(render_brief(brief(), fmt))
    assert (
        "New since the last issue (Sat 22 Nov 2025, 14:05 UTC): 2 new points and 1 new date" in out
    )
    # On a first run, or when nothing shown is new, there is no such line.
    first = brief(provenance=brief().provenance.model_copy(update={"previous_brief": None}))
    assert "since the last issue" not in render_brief(first, fmt).lower()
    stale = brief(
        bottom_line=[TWO_OUTLETS],
        sections=[Section(heading="What happened", points=[TWO_OUTLETS, UNNAMED])],
        watch=[],
    )
    assert "since the last issue" not in render_brief(stale, fmt).lower()


def test_since_last_counts_the_tags_a_reader_sees():
    b = brief()
    assert newsletter.since_last(b, b.sections) == "2 new points and 1 new date"
    only_dates = b.model_copy(update={"bottom_line": [], "sections": []})
    assert newsletter.since_last(only_dates, []) == "1 new date"


# ---------------------------------------------------------------- sourcing in words


def test_sourcing_names_outlets_only_when_they_tell_the_count():
    sources = brief().sources
    assert newsletter.sourcing(TWO_OUTLETS, sources) == "reported by Reuters and AP"
    assert newsletter.sourcing(ONE_OUTLET, sources) == "reported only by AP"
    assert newsletter.sourcing(UNNAMED, sources) == "one report"  # no outlet given
    assert newsletter.sourcing(TWO_OUTLETS) == "2 reports"  # no sources at hand
    # Two stories from one outlet are two reports, not "reported by Reuters".
    same = [source(1, "Reuters"), source(2, "Reuters")]
    assert newsletter.sourcing(TWO_OUTLETS, same) == "2 reports"
    # A copy counts once and is not named as a second outlet.
    copied = point("x", [1, 2], 1, copies=[CopyNote(n=2, of=1)])
    assert newsletter.sourcing(copied, brief().sources) == "reported only by Reuters"
    three = [source(1, "Reuters"), source(2, "AP"), source(3, "Bloomberg")]
    assert (
        newsletter.sourcing(point("x", [1, 2, 3], 3), three)
        == "reported by Reuters, AP and Bloomberg"
    )


def test_labels_in_the_newsletter_use_readers_words():
    md = render_brief(brief(), "md")
    assert "_Based on_ [1][2] _(reported by Reuters and AP)_" in md
    assert "- Tariffs of 100 percent are off the table. [2] **New** _(reported only by AP)_" in md
    assert "- Soybean purchases will resume this season. [3] _(one report)_" in md


# ---------------------------------------------------------------- preheader


def test_preheader_is_the_bottom_line_in_words():
    b = brief()
    text = newsletter.preheader(b, b.sections)
    # The headline's own words are in the subject already: the next sentences follow.
    assert text.startswith("Ministers agreed a framework on Sunday. Tariffs of 100 percent")
    assert "[" not in text and len(text) <= newsletter.PREHEADER_CHARS
    long = b.model_copy(update={"bottom_line": [point("word " * 80, [1], 1)]})
    cut = newsletter.preheader(long)
    assert cut.endswith("…") and len(cut) <= newsletter.PREHEADER_CHARS
    empty = b.model_copy(update={"bottom_line": [], "key_points": [], "sections": []})
    assert newsletter.preheader(empty) == "Trade truce takes shape"


def test_preheader_comes_first_in_html_hidden_and_escaped_and_first_line_in_md():
    hostile = point("Deal <script>alert(1)</script> & more", [1], 1)
    b = brief(bottom_line=[hostile])
    html = render_brief(b, "html")
    body = html.split("<body", 1)[1].split(">", 1)[1].lstrip()
    hidden = re.match(r'<div style="display:none;[^"]*mso-hide:all;">(.*?)</div>', body)
    assert hidden, body[:200]
    assert hidden[1].startswith("Deal &lt;script&gt;alert(1)&lt;/script&gt; &amp; more")
    assert "<script" not in html
    md = render_brief(b, "md")
    first, blank, heading = md.splitlines()[:3]
    assert first.startswith("Deal \\<script>") and blank == "" and heading.startswith("# ")
    assert "display:none" not in render_brief(b.model_copy(update={"audience": "exec"}), "html")


# ---------------------------------------------------------------- links that work in mail


def test_html_citations_are_plain_and_sources_are_absolute_links():
    html = render_brief(brief(), "html")
    assert "#src-" not in html.replace('id="src-', "")  # anchors may stay; no link goes there
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert hrefs and all(h.startswith(("https://", "http://")) for h in hrefs)
    assert f'<a href="{LONG_URL}"' in html and f">{LONG_URL}</a>" in html  # written out too
    # Every [n] in the text is an entry of the source list; the unlinked one by title.
    cited = {int(n) for n in re.findall(r"\[(\d+)\]", html.split(">Sources</h2>")[0])}
    listed = re.findall(r"<p [^>]*>\[(\d+)\] ", html.split(">Sources</h2>")[1])
    assert cited <= {int(n) for n in listed} == {1, 2, 3}
    assert "[3] Report number 3, Thu 23 Oct 2025</p>" in html


def test_html_escapes_article_text_in_the_newsletter():
    evil = source(1, "<b>Wire</b>", 'https://x.example/"onmouseover="alert(1)')
    evil = evil.model_copy(update={"title": "<img src=x onerror=alert(2)>"})
    html = render_brief(brief(sources=[evil, *brief().sources[1:]]), "html")
    assert "<img" not in html and "<b>Wire</b>" not in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html and "&lt;b&gt;Wire&lt;/b&gt;" in html
    # A URL that could leave its attribute is neither linked nor written out.
    assert "onmouseover" not in html and 'href="https://x.example/' not in html


# ---------------------------------------------------------------- plain text


def test_txt_is_wrapped_at_72_with_links_whole():
    out = render_brief(brief(), "txt")
    lines = out.splitlines()
    assert all(len(line) <= 72 or line.strip() == LONG_URL for line in lines)
    assert f"    {LONG_URL}" in lines and "    https://www.reuters.com/world/truce" in lines
    assert lines[:2] == ["Trade truce takes shape", "=" * len("Trade truce takes shape")]
    assert "- Tariffs of 100 percent are off the table. [2] NEW (reported only by AP)" in words(out)
    assert "[3] Report number 3, Thu 23 Oct 2025" in lines
    assert "<" not in out and "**" not in out and "_(" not in out


def test_txt_keeps_article_text_on_its_own_lines():
    forged = point("First line\n\nSources\n-------\n\x1b[31mred\x07 text", [1], 1)
    out = render_brief(brief(sections=[Section(heading="What happened", points=[forged])]), "txt")
    assert "- First line Sources ------- [31mred text [1] (reported only by Reuters)" in out
    assert "\x1b" not in out and "\x07" not in out


def test_wrap_indents_items_and_quotes_under_their_marker():
    item = "- " + " ".join(["word"] * 30)
    wrapped = plain_text.wrap(item + "\n").splitlines()
    assert wrapped[0].startswith("- word") and all(ln.startswith("  word") for ln in wrapped[1:])
    assert all(len(ln) <= 72 for ln in wrapped)
    quote = plain_text.wrap("> “" + "said " * 30 + "”").splitlines()
    assert len(quote) > 1 and all(ln.startswith("> ") for ln in quote)
    numbered = plain_text.wrap("[12] " + "title " * 20).splitlines()
    assert all(ln.startswith("     ") for ln in numbered[1:])
    assert plain_text.wrap("short\n\n" + LONG_URL + "\n") == "short\n\n" + LONG_URL + "\n"
    assert plain_text.underline("x" * 100, "=") == "=" * 72


@pytest.mark.parametrize("audience", ["exec", "analyst"])
def test_txt_works_for_the_briefs_too_with_their_detail(audience):
    out = render_brief(brief(audience), "txt")
    assert all(len(line) <= 72 or line.strip() == LONG_URL for line in out.splitlines())
    assert "single source" in out and "engine llm" in out
    assert "    https://www.reuters.com/world/truce" in out.splitlines()


# ---------------------------------------------------------------- briefgen's own outputs


# The newsletter's footer is its own (reader_footer), and the txt briefs have theirs: each
# must carry the mark by which briefgen knows its own outputs (ingest.py).
@pytest.mark.parametrize(
    ("audience", "fmt"),
    [*(("newsletter", f) for f in FORMATS), ("exec", "txt"), ("analyst", "txt")],
)
def test_a_newsletter_kept_with_the_articles_is_not_read_back(tmp_path, audience, fmt):
    article = tmp_path / "story.txt"
    article.write_text("Port talks resume\n\nThe port authority returns to talks on June 10.\n")
    kept = tmp_path / f"{audience}.{fmt}"
    kept.write_text(render_brief(brief(audience), fmt), encoding="utf-8")
    loaded = ingest.load([str(tmp_path)])
    assert [a.path for a in loaded.articles] == [str(article)]
    assert [Path(s.path).name for s in loaded.skipped] == [kept.name]


# ---------------------------------------------------------------- the command line


@pytest.fixture(scope="module")
def sample_run(runner, tmp_path_factory):
    """`make -a newsletter` of the sample corpus in every format, with its stderr."""
    folder = tmp_path_factory.mktemp("news") / "trade-talks"
    shutil.copytree(SAMPLE, folder, ignore=shutil.ignore_patterns(".briefgen"))
    state = folder.parent / "state"
    out = {}
    for fmt in FORMATS:
        args = ["make", "-a", "newsletter", "--format", fmt, "--cache", str(state), str(folder)]
        result = runner.invoke(main, args, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        out[fmt] = (result.stdout, result.stderr)
    return out


def test_make_newsletter_txt_from_the_command_line(sample_run):
    text, err = sample_run["txt"]
    lines = text.splitlines()
    assert all(len(line) <= 72 for line in lines)
    assert "Top line" in lines and "Sources" in lines and "Dates for your diary" in lines
    assert "[5] Renewed Dialogue After Prolonged Tensions — Bloomberg" in lines
    # The production detail is on stderr, not in the newsletter.
    assert "engine" in err and "points verified" in err
    assert "engine" not in text and "single source" not in text


def test_sample_newsletter_html_and_md_read_as_meant(sample_run):
    html, _ = sample_run["html"]
    assert "#src-" not in html.replace('id="src-', "")
    assert "display:none" in html.split("<table", 1)[0]
    assert "single source" not in html and "engine" not in html
    assert re.search(r"\(reported only by [^)]+\)|\(reported by [^)]*\)", html)
    md, _ = sample_run["md"]
    assert md.splitlines()[2].startswith("# ") and "(inferred" not in md
