"""Rendering: every audience x format, escaping, template overrides, iCalendar wire format."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from briefgen.errors import ConfigError, RenderError
from briefgen.render import md, render_brief, render_template, render_watchlist
from briefgen.render_ics import fold_ics_line
from briefgen.resources import prompts_dir, templates_dir, write_defaults
from briefgen.schema import (
    ArticleSummary,
    Brief,
    BriefQuote,
    Conflict,
    ConflictValue,
    Entity,
    KeyPoint,
    Provenance,
    Section,
    Skipped,
    SourceRef,
    WatchItem,
    WatchList,
)

AS_OF = dt.date(2025, 10, 27)
XSS_SCRIPT = "<script>alert(1)</script>"
XSS_IMG = '<img src=x onerror="alert(2)">'

# ---------------------------------------------------------------- factories (invented content)


def make_sources() -> list[SourceRef]:
    return [
        SourceRef(
            n=1,
            article_id="a1",
            title="Harbour authority delays container terminal vote",
            source="Coastal Ledger",
            url="https://example.com/ledger/terminal-vote",
            published=dt.date(2025, 10, 24),
            date_basis="metadata",
            path="articles/ledger.html",
        ),
        SourceRef(
            n=2,
            article_id="a2",
            title="Unions, shippers split over terminal plan",
            source="Port Weekly",
            published=dt.date(2025, 10, 25),
            date_basis="dateline",
            path="articles/portweekly.txt",
        ),
        SourceRef(
            n=3,
            article_id="a3",
            title="Terminal costs: what the numbers say",
            source=None,
            url="http://example.org/terminal-costs",
            path="articles/costs.md",
        ),
    ]


def make_watch_items() -> list[WatchItem]:
    return [
        WatchItem(
            description="Harbour board votes on the terminal contract",
            date_text="Thursday, October 30",
            date=dt.date(2025, 10, 30),
            precision="day",
            status="scheduled",
            article_ids=["a1", "a2"],
            citations=[1, 2],
            sentence="The board will vote on Thursday, October 30, after a two-week delay.",
            date_basis="2025-10-24",
        ),
        WatchItem(
            description="Deadline for objections, costs; appeals",
            date_text="mid-November",
            date=dt.date(2025, 11, 15),
            precision="part-of-month",
            status="deadline",
            article_ids=["a3"],
            citations=[3],
            sentence="Objections must be lodged by mid-November, the authority said.",
        ),
        WatchItem(
            description="Possible strike by dock workers",
            date_text="if talks fail",
            status="possible",
            article_ids=["a2"],
            citations=[2],
            sentence="The union warned of a strike if talks fail.",
        ),
    ]


def make_brief(audience: str = "exec", n_points: int = 5, **overrides) -> Brief:
    points = [
        KeyPoint(
            text=f"Point {i}: the harbour board delayed its vote by two weeks.",
            finding_ids=[i],
            citations=[1, 2] if i % 2 else [3],
            corroboration=2 if i % 2 else 1,
        )
        for i in range(1, n_points + 1)
    ]
    fields = dict(
        audience=audience,
        headline="Harbour terminal vote slips to 30 October",
        bottom_line=[
            KeyPoint(
                text="The harbour board postponed its terminal vote.",
                finding_ids=[1],
                citations=[1, 2],
                corroboration=2,
            ),
            KeyPoint(
                text="Cost estimates differ by a third between sources.",
                finding_ids=[9],
                citations=[1, 3],
                corroboration=2,
            ),
        ],
        key_points=points,
        watch=make_watch_items(),
        quotes=[
            BriefQuote(
                text="We will not sign a contract we cannot afford",
                speaker="Board chair Ana Ruiz",
                citations=[1],
            )
        ],
        conflicts=[
            Conflict(
                about="terminal cost",
                values=[
                    ConflictValue(
                        value="$1.2 billion",
                        article_ids=["a1"],
                        citations=[1],
                        evidence="The terminal would cost $1.2 billion.",
                    ),
                    ConflictValue(
                        value="$1.6 billion",
                        article_ids=["a3"],
                        citations=[3],
                        evidence="Independent estimates put the cost at $1.6 billion.",
                    ),
                ],
            )
        ],
        single_source=[p for p in points if p.corroboration == 1],
        article_summaries=[
            ArticleSummary(citation=1, title="Harbour authority delays", summary="The vote moved.")
        ],
        entities=[
            Entity(name="Ana Ruiz", kind="person", mentions=3),
            Entity(name="Harbour Board", kind="organization", mentions=5),
            Entity(name="Port Selden", kind="place", mentions=2),
        ],
        sections=[Section(heading="The vote", points=points[:2])],
        sources=make_sources(),
        provenance=Provenance(
            engine="extractive",
            generated_at=dt.datetime(2025, 10, 27, 9, 30, tzinfo=dt.timezone.utc),
            as_of=AS_OF,
            as_of_basis="latest article date",
            articles=3,
            skipped=[Skipped(path="articles/scan.pdf", reason="binary file")],
            date_notes=["'next Thursday' in a2 read against its dateline, 25 Oct 2025"],
        ),
    )
    fields.update(overrides)
    return Brief(**fields)


def make_watchlist() -> WatchList:
    resolved_a, resolved_b, unresolved = make_watch_items()
    passed = resolved_a.model_copy(
        update={
            "description": "Public hearing",
            "date_text": "October 20",
            "date": dt.date(2025, 10, 20),
            "sentence": "A public hearing on October 20 drew 300 residents.",
        }
    )
    return WatchList(
        as_of=AS_OF, upcoming=[resolved_a, resolved_b], unresolved=[unresolved], passed=[passed]
    )


def xss_brief(audience: str = "exec") -> Brief:
    """A brief whose article-derived text tries to inject markup everywhere it can."""
    brief = make_brief(audience)
    sources = make_sources()
    sources[0] = sources[0].model_copy(
        update={
            "title": f"Ledger {XSS_SCRIPT}",
            "url": 'https://example.com/a"><script>x</script>',
        }
    )
    sources[1] = sources[1].model_copy(update={"url": "javascript:alert(document.cookie)"})
    sources[2] = sources[2].model_copy(update={"url": "  JaVaScRiPt:alert(3)"})
    points = [p.model_copy() for p in brief.key_points]
    points[0] = points[0].model_copy(update={"text": f"Board says {XSS_SCRIPT} and {XSS_IMG}"})
    quote = BriefQuote(text=f"We said {XSS_IMG}", speaker=XSS_SCRIPT, citations=[1])
    return brief.model_copy(
        update={
            "headline": f"Vote {XSS_SCRIPT}",
            "key_points": points,
            "sections": [Section(heading=XSS_IMG, points=points)],
            "quotes": [quote],
            "sources": sources,
        }
    )


# ---------------------------------------------------------------- every audience x format

AUDIENCES = ["exec", "analyst", "newsletter"]


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("fmt", ["md", "html", "json", "txt"])
def test_every_audience_and_format_renders(audience, fmt):
    out = render_brief(make_brief(audience), fmt)
    assert "Harbour terminal vote slips to 30 October" in out
    if fmt == "html":
        assert out.lstrip().lower().startswith("<!doctype html>")
        assert '<meta charset="utf-8">' in out
        assert "<title>Harbour terminal vote slips to 30 October</title>" in out
        assert 'id="src-3"' in out
        # The newsletter is mailed: its [n] are plain, its sources absolute links
        # (tests/test_newsletter.py); the briefs link each [n] to the source list.
        if audience == "newsletter":
            assert 'href="#src-' not in out and 'href="http://example.org/terminal-costs"' in out
        else:
            assert 'href="#src-3"' in out
    if fmt == "json":
        json.loads(out)
    if fmt == "txt":
        assert max(len(line) for line in out.splitlines()) <= 72
        assert "<" not in out and "**" not in out


def test_exec_markdown_has_every_part():
    out = render_brief(make_brief("exec"), "md")
    assert out.startswith("# Harbour terminal vote slips to 30 October\n")
    assert (
        "**Bottom line:** The harbour board postponed its terminal vote. [1][2] "
        "Cost estimates differ by a third between sources. [1][3]\n" in out
    )
    for i in range(1, 6):
        assert re.search(
            rf"^- Point {i}: .*\[\d\](\[\d\])? _\((2 sources|single source)\)_$", out, re.M
        )
    assert "- Point 1: the harbour board delayed its vote by two weeks. [1][2] _(2 sources)_" in out
    assert (
        "- Point 2: the harbour board delayed its vote by two weeks. [3] _(single source)_" in out
    )
    assert "## What to watch" in out
    assert (
        "**Thu 30 Oct 2025** · scheduled event: Harbour board votes on the terminal contract [1][2]"
        in out
    )
    assert "**mid-Nov 2025** · deadline" in out
    assert "**if talks fail (unresolved)** · risk or trigger" in out
    assert "## Sources" in out
    assert (
        "- [1] Harbour authority delays container terminal vote — Coastal Ledger, Fri 24 Oct 2025"
        in out
    )
    assert "Sat 25 Oct 2025 (dateline)" in out  # inferred basis shown
    assert "(metadata)" not in out  # metadata basis is not worth a note
    assert "engine extractive" in out and "3 articles read · 1 skipped" in out
    assert "as of Mon 27 Oct 2025, latest article date" in out
    # exec is one screen: no analyst-only sections
    assert "Figures differ" not in out and "## Entities" not in out


@pytest.mark.parametrize("n_points", [5, 7])
def test_key_point_count_passes_through(n_points):
    out = render_brief(make_brief("exec", n_points=n_points), "md")
    assert len(re.findall(r"^- Point \d+:", out, re.M)) == n_points
    html = render_brief(make_brief("exec", n_points=n_points), "html")
    assert html.count("Point ") == n_points


def test_analyst_markdown_has_analyst_sections():
    out = render_brief(make_brief("analyst"), "md")
    assert "> “We will not sign a contract we cannot afford” — Board chair Ana Ruiz [1]" in out
    assert "**Figures differ: terminal cost**" in out
    assert "- $1.2 billion [1]: “The terminal would cost $1.2 billion.”" in out
    assert "- $1.6 billion [3]:" in out
    assert "## Single-source claims" in out
    assert (
        "## Article summaries" in out and "[1] **Harbour authority delays**: The vote moved." in out
    )
    assert "- **People:** Ana Ruiz (3)" in out and "- **Places:** Port Selden (2)" in out
    assert "`articles/scan.pdf`: binary file" in out
    assert "'next Thursday' in a2 read against its dateline" in out


def test_newsletter_uses_sections_or_falls_back_to_key_points():
    out = render_brief(make_brief("newsletter"), "md")
    assert "## Top line" in out and "## The vote" in out
    assert "## Dates for your diary" in out and "## In their words" in out
    assert "Point 3" not in out  # only the section's two points
    fallback = render_brief(make_brief("newsletter", sections=[]), "md")
    assert "Point 5" in fallback


def test_json_round_trips_into_brief():
    brief = make_brief("analyst")
    out = render_brief(brief, "json")
    data = json.loads(out)
    # schema order, stable; the contract's version first
    assert list(data)[:4] == ["schema_version", "audience", "headline", "bottom_line"]
    assert data["key_points"][0]["corroboration"] == 2
    assert Brief.model_validate(data) == brief
    assert render_brief(brief, "json") == out


def test_watchlist_json_round_trips():
    watch = make_watchlist()
    assert WatchList.model_validate_json(render_watchlist(watch, "json")) == watch


# ---------------------------------------------------------------- escaping


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_escapes_article_text(audience):
    out = render_brief(xss_brief(audience), "html")
    assert "<script" not in out.lower()
    assert "&lt;script&gt;" in out
    assert "<img" not in out
    assert not re.search(r"<[^>]*\sonerror", out)
    assert "&lt;img src=x onerror=" in out
    # a URL with quotes or brackets in it is not linked at all, so it cannot leave href=""
    assert 'href="https://example.com/a' not in out
    assert "Ledger &lt;script&gt;" in out


@pytest.mark.parametrize("audience", AUDIENCES)
@pytest.mark.parametrize("fmt", ["html", "md"])
def test_javascript_urls_are_never_links(audience, fmt):
    out = render_brief(xss_brief(audience), fmt)
    assert "javascript:" not in out.lower()
    assert "Unions, shippers split over terminal plan" in out  # the source itself still listed


def test_markdown_escapes_structure_but_stays_readable():
    assert md("# Not a heading") == r"\# Not a heading"
    assert md("- not a bullet") == r"\- not a bullet"
    assert md("1. not a list") == r"1\. not a list"
    assert md("2) not a list") == r"2\) not a list"
    assert md("6.5 magnitude aftershock hits Chile") == "6.5 magnitude aftershock hits Chile"
    assert md("see [this](https://evil.example)") == r"see \[this](https://evil.example)"
    assert md("a\n\n## b") == "a ## b"
    assert md("x <script>") == r"x \<script>"
    assert (
        md("![img](http://x/a.png) and [a [b]](u)") == r"!\[img](http://x/a.png) and \[a \[b]](u)"
    )
    assert md("[ref]: https://evil.example") == r"\[ref]: https://evil.example"
    assert md("[1] as said in [Washington] DC") == "[1] as said in [Washington] DC"  # readable
    assert md("costs $5 < $6, a_b *c*") == "costs $5 < $6, a_b *c*"  # ordinary text untouched
    brief = make_brief()
    brief.key_points[0].text = "[click me](javascript:alert(1)) now"
    out = render_brief(brief, "md")
    assert r"\[click me](javascript:alert(1)) now" in out


def test_newsletter_html_is_email_safe():
    out = render_brief(xss_brief("newsletter"), "html")
    lower = out.lower()
    for banned in ("<link", "<script", "<style", "@import", "@font-face", "<iframe"):
        assert banned not in lower
    assert not re.search(r"""\ssrc\s*=\s*["']?https?:""", lower)
    assert not re.search(r"url\(", lower)
    assert out.count('style="') > 10
    assert "max-width:640px" in out
    assert 'name="viewport"' in out


# ---------------------------------------------------------------- templates and errors


def test_user_template_overrides_default(tmp_path):
    (tmp_path / "exec.md.j2").write_text(
        "CUSTOM {{ brief.headline }} / {{ brief.key_points | length }}"
    )
    assert render_brief(make_brief(), "md", templates=tmp_path) == (
        "CUSTOM Harbour terminal vote slips to 30 October / 5"
    )
    # templates not overridden still come from the defaults
    assert "## Key points" in render_brief(make_brief("analyst"), "md", templates=tmp_path)


def test_user_partial_overrides_default_partial(tmp_path):
    default = (templates_dir() / "_macros.md.j2").read_text()
    (tmp_path / "_macros.md.j2").write_text(default.replace("Generated by", "Made by"))
    out = render_brief(make_brief(), "md", templates=tmp_path)
    assert "Made by briefgen" in out and "Generated by" not in out


def test_missing_template_raises_render_error(tmp_path):
    with pytest.raises(RenderError, match=r"nope\.md\.j2"):
        render_template("nope.md.j2", {}, templates=tmp_path)
    (tmp_path / "exec.md.j2").write_text('{% include "_missing_partial.md.j2" %}')
    with pytest.raises(RenderError, match="_missing_partial"):
        render_brief(make_brief(), "md", templates=tmp_path)


def test_template_syntax_error_names_the_file(tmp_path):
    (tmp_path / "exec.html.j2").write_text("<h1>{{ brief.headline }</h1>\n{% for x in %}")
    with pytest.raises(RenderError, match=r"exec\.html\.j2"):
        render_brief(make_brief(), "html", templates=tmp_path)


def test_undefined_variable_raises_render_error(tmp_path):
    (tmp_path / "exec.md.j2").write_text("line one\n{{ brief.no_such_field }}\n")
    with pytest.raises(RenderError, match=r"exec\.md\.j2.*no_such_field"):
        render_brief(make_brief(), "md", templates=tmp_path)


def test_bad_templates_dir_and_format_are_config_errors(tmp_path):
    with pytest.raises(ConfigError):
        render_brief(make_brief(), "md", templates=tmp_path / "absent")
    with pytest.raises(ConfigError):
        render_brief(make_brief(), "pdf")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        render_watchlist(make_watchlist(), "html")  # type: ignore[arg-type]


# ---------------------------------------------------------------- watch list and dates


def test_watch_dates_are_worded_at_their_precision():
    from briefgen.render import when

    base = make_watch_items()[0]

    def at(date, precision, text="as written"):
        return when(
            base.model_copy(update={"date": date, "precision": precision, "date_text": text})
        )

    assert at(dt.date(2025, 10, 30), "day") == "Thu 30 Oct 2025"
    assert at(dt.date(2025, 11, 15), "part-of-month") == "mid-Nov 2025"
    assert at(dt.date(2025, 11, 3), "part-of-month") == "early-Nov 2025"
    assert at(dt.date(2025, 11, 30), "month") == "Nov 2025"
    assert at(dt.date(2026, 8, 1), "quarter") == "Q3 2026"
    assert at(dt.date(2026, 8, 1), "half-year") == "second half of 2026"
    assert at(dt.date(2026, 1, 1), "half-year") == "first half of 2026"
    assert at(dt.date(2026, 1, 1), "year") == "2026"
    assert at(None, None, "next spring") == "next spring (unresolved)"


def test_watchlist_markdown_keeps_order_and_sources():
    out = render_watchlist(make_watchlist(), "md", sources=make_sources())
    positions = [out.index(s) for s in ("## Upcoming", "## Date not fixed", "## Already passed")]
    assert positions == sorted(positions)
    assert out.index("Thu 30 Oct 2025") < out.index("mid-Nov 2025")
    assert "Date as written: mid-November; resolved: 2025-11-15 (precision: part-of-month)" in out
    assert "resolved: unresolved" in out
    assert "From: “The union warned of a strike if talks fail.”" in out
    assert "**mid-Nov 2025** · deadline: Deadline for objections, costs; appeals [3]" in out
    assert out.rstrip().endswith("<http://example.org/terminal-costs>")
    assert "## Sources" not in render_watchlist(make_watchlist(), "md")


# ---------------------------------------------------------------- iCalendar


def parse_ics(text: str) -> tuple[list[tuple[str, str]], list[dict[str, str]]]:
    """A tiny RFC 5545 reader: unfold, split name[;params]:value, collect VEVENTs."""
    unfolded = re.sub(r"\r\n[ \t]", "", text)
    props, events, current = [], [], None
    for line in unfolded.split("\r\n"):
        if not line:
            continue
        name, _, value = line.partition(":")
        props.append((name, value))
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name] = value
    return props, events


def unescape_text(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_ics_structure_and_one_event_per_resolved_item():
    out = render_watchlist(make_watchlist(), "ics", sources=make_sources())
    props, events = parse_ics(out)
    assert props[:4] == [
        ("BEGIN", "VCALENDAR"),
        ("VERSION", "2.0"),
        ("PRODID", props[2][1]),
        ("CALSCALE", "GREGORIAN"),
    ]
    assert props[-1] == ("END", "VCALENDAR")
    assert len(events) == 3  # two upcoming + one passed; the unresolved strike is left out
    # 'mid-November' is a span over the middle of the month (11-20), not a day.
    assert [e["DTSTART;VALUE=DATE"] for e in events] == ["20251030", "20251111", "20251020"]
    assert [e["DTEND;VALUE=DATE"] for e in events] == ["20251031", "20251121", "20251021"]
    assert all(e["DTSTAMP"] == "20251027T000000Z" for e in events)
    uids = [e["UID"] for e in events]
    assert len(set(uids)) == 3 and all(u.endswith("@briefgen") for u in uids)
    # The strike has no date: not an event, but named in the calendar's own description.
    assert not any("strike" in value for e in events for value in e.values())
    calendar = dict(props[: props.index(("BEGIN", "VEVENT"))])
    calendar_description = unescape_text(calendar["DESCRIPTION"])
    assert "if talks fail (unresolved): Possible strike by dock workers [2]" in calendar_description
    assert events[1]["SUMMARY"] == r"Deadline for objections\, costs\; appeals"
    assert events[1]["CATEGORIES"] == "deadline"
    description = unescape_text(events[1]["DESCRIPTION"])
    assert description.startswith(
        "Objections must be lodged by mid-November, the authority said.\n"
    )
    assert (
        "[3] Terminal costs: what the numbers say <http://example.org/terminal-costs>"
        in description
    )


def test_ics_is_deterministic_and_uids_are_stable():
    a = render_watchlist(make_watchlist(), "ics")
    assert a == render_watchlist(make_watchlist(), "ics")
    changed = make_watchlist()
    changed.upcoming[0].description = "Harbour board votes on a revised contract"
    uids_a = [e["UID"] for e in parse_ics(a)[1]]
    uids_b = [e["UID"] for e in parse_ics(render_watchlist(changed, "ics"))[1]]
    assert uids_a[0] != uids_b[0] and uids_a[1:] == uids_b[1:]


def test_ics_crlf_folding_and_escaping_with_long_non_ascii_text():
    watch = make_watchlist()
    long_text = "Πρόθεσμία; 東京の港湾局, émission ✓ 🚢 " * 12
    watch.upcoming[0].description = long_text
    watch.upcoming[0].sentence = "Line one,\nline two; with a back\\slash."
    out = render_watchlist(watch, "ics")
    assert out.endswith("\r\n")
    assert not re.search(r"(?<!\r)\n", out) and not re.search(r"\r(?!\n)", out)
    physical = out.split("\r\n")[:-1]
    assert max(len(line.encode("utf-8")) for line in physical) <= 75
    assert any(line.startswith(" ") for line in physical)  # something was folded
    _, events = parse_ics(out)
    assert unescape_text(events[0]["SUMMARY"]) == long_text
    assert events[0]["DESCRIPTION"].startswith(r"Line one\,\nline two\; with a back\\slash.")


def test_fold_never_splits_characters_or_escapes():
    line = "DESCRIPTION:" + "é\\," * 40
    folded = fold_ics_line(line)
    for part in folded.split("\r\n"):
        assert len(part.encode("utf-8")) <= 75
        assert not part.endswith("\\") or part.endswith("\\\\")
    assert folded.replace("\r\n ", "") == line


def test_ics_template_can_be_overridden(tmp_path):
    (tmp_path / "watchlist.ics.j2").write_text(
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:{{ prodid }}\nX-COUNT:{{ events | length }}\nEND:VCALENDAR\n"
    )
    out = render_watchlist(make_watchlist(), "ics", templates=tmp_path)
    assert "X-COUNT:3\r\n" in out and out.endswith("END:VCALENDAR\r\n")


# ---------------------------------------------------------------- resources


def test_resource_dirs_exist_and_hold_the_defaults():
    assert templates_dir().is_dir() and prompts_dir().is_dir()
    assert (templates_dir() / "exec.md.j2").is_file()
    for name in ("exec", "analyst", "newsletter"):
        for fmt in ("md", "html", "txt"):
            assert (templates_dir() / f"{name}.{fmt}.j2").is_file()
    assert (templates_dir() / "watchlist.md.j2").is_file()
    assert (templates_dir() / "watchlist.ics.j2").is_file()


def test_write_defaults_copies_and_refuses_to_overwrite(tmp_path):
    written = write_defaults(tmp_path)
    copied = tmp_path / "templates" / "exec.md.j2"
    assert copied in written and copied.read_text() == (templates_dir() / "exec.md.j2").read_text()
    expected_prompts = {
        p.name for p in prompts_dir().iterdir() if p.is_file() and not p.name.startswith(".")
    }
    assert {p.name for p in written if p.parent == tmp_path / "prompts"} == expected_prompts
    assert not any(p.name.startswith(".") for p in written)

    copied.write_text("my edits")
    with pytest.raises(ConfigError, match=r"exists"):
        write_defaults(tmp_path)
    assert copied.read_text() == "my edits"  # refused before touching anything
    write_defaults(tmp_path, overwrite=True)
    assert copied.read_text() == (templates_dir() / "exec.md.j2").read_text()


def test_copied_defaults_work_as_a_templates_dir(tmp_path):
    write_defaults(tmp_path)
    brief = make_brief("analyst")
    assert render_brief(brief, "html", templates=tmp_path / "templates") == render_brief(
        brief, "html"
    )


# The newsletter leaves this production detail to stderr: tests/test_newsletter.py.
@pytest.mark.parametrize("audience", ["exec", "analyst"])
def test_footer_says_what_is_missing_dropped_and_why(audience):
    brief = make_brief(audience)
    brief.provenance.missing = ["a/b.txt part 2 (HTTP 503 <overloaded>)"]
    brief.provenance.points_dropped = 2
    brief.provenance.warnings = ["the model's brief could not be used (<timeout>)"]
    md_out = render_brief(brief, "md")
    assert "**Incomplete:** 1 part of the articles could not be read" in md_out
    assert "a/b.txt part 2" in md_out and "2 written points dropped" in md_out
    assert "**Note:** the model's brief could not be used" in md_out
    html_out = render_brief(brief, "html")
    assert "<strong>Incomplete:</strong>" in html_out and "&lt;overloaded&gt;" in html_out
    assert "<timeout>" not in html_out and "&lt;timeout&gt;" in html_out
    clean = render_brief(make_brief(audience), "md")
    assert "Incomplete" not in clean and "dropped" not in clean and "**Note:**" not in clean
