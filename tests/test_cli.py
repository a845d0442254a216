"""End to end through the command line (click's CliRunner, and a real interpreter for --help).

Nothing here holds an expected brief: the engine's sentence choice may be tuned, so every
test checks what any correct output must have (structure, citations, dates, escaping, exit
codes and messages), and can fail.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import DEBRIS, E2E_DATA, SAMPLE, collapse

import briefgen.pipeline
from briefgen import newsletter
from briefgen.cli import main
from briefgen.render import md as md_escape
from briefgen.resources import prompts_dir, templates_dir
from briefgen.schema import Brief, WatchList
from briefgen.wording import period_bounds, when

AUDIENCES = ("exec", "analyst", "newsletter")
FORMATS = ("md", "html", "json")
WATCH_FORMATS = ("md", "json", "ics")
HARBOUR = E2E_DATA / "harbour"

KEY_POINT_LINE = re.compile(
    r"^- (?P<text>.+) (?P<cites>(?:\[\d+\])+)"
    # the newsletter words it for subscribers: "one report", "reported by Reuters and AP"
    r"(?: _\((?P<corr>single source|\d+ sources|one report|\d+ reports|reported [^)]+)\)_)?$"
)
SOURCE_LINE = re.compile(r"^- \[(\d+)\] \S")


@pytest.fixture(scope="module", autouse=True)
def _read_sample_once():
    """Ingest and extract the sample corpus once for this module; every command still runs.

    The CLI commands, make_brief, the watch list, assembling and rendering all run for real on
    each invocation; only read_corpus of the sample folder is memoised (a deep copy each
    time, so no run sees another's changes). Other paths, and stdin, are read afresh.
    """
    real = briefgen.pipeline.read_corpus
    cache = {}

    def read_corpus(paths, stdin=None, engine=None, **kwargs):
        sample = [str(p) for p in paths] == [str(SAMPLE)] and stdin is None and not kwargs
        if not sample or getattr(engine, "name", "extractive") != "extractive":
            return real(paths, stdin=stdin, engine=engine, **kwargs)
        if "sample" not in cache:
            cache["sample"] = real(paths, engine=engine)
        return copy.deepcopy(cache["sample"])

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(briefgen.pipeline, "read_corpus", read_corpus)
        yield


def run(runner, *args, input=None):
    return runner.invoke(main, [str(a) for a in args], input=input, catch_exceptions=False)


def raw(result) -> str:
    """stdout exactly as written: Result.stdout turns CRLF into LF, which would hide iCalendar's."""
    return result.stdout_bytes.decode("utf-8")


@pytest.fixture(scope="module")
def outputs(runner):
    """stdout of every audience x format and every watch list format on the sample corpus."""
    out = {}
    for audience in AUDIENCES:
        for fmt in FORMATS:
            r = run(runner, "make", "--audience", audience, "--format", fmt, SAMPLE)
            assert r.exit_code == 0, r.stderr
            out[audience, fmt] = raw(r)
    for fmt in WATCH_FORMATS:
        r = run(runner, "watchlist", "--format", fmt, SAMPLE)
        assert r.exit_code == 0, r.stderr
        out["watchlist", fmt] = raw(r)
    r = run(runner, "sources", SAMPLE)
    assert r.exit_code == 0, r.stderr
    out["sources", "table"] = r.stdout
    return out


def brief_of(outputs, audience) -> Brief:
    return Brief.model_validate_json(outputs[audience, "json"])


def section(text: str, heading: str) -> list[str]:
    """The lines under a '## heading', up to the next heading or the footer rule."""
    lines = text.splitlines()
    start = lines.index(f"## {heading}") + 1
    end = next(
        (i for i in range(start, len(lines)) if lines[i].startswith("#") or lines[i] == "---"),
        len(lines),
    )
    return [ln for ln in lines[start:end] if ln.strip()]


def cited(cites: str) -> list[int]:
    return [int(n) for n in re.findall(r"\[(\d+)\]", cites)]


# ---------------------------------------------------------------- every audience x format


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("audience", AUDIENCES)
def test_every_audience_and_format_renders(outputs, audience, fmt):
    assert outputs[audience, fmt].strip()


@pytest.mark.parametrize("audience", AUDIENCES)
def test_json_validates_as_a_brief(outputs, audience):
    brief = brief_of(outputs, audience)
    assert brief.audience == audience
    assert brief.key_points and brief.sources


@pytest.mark.parametrize("audience", AUDIENCES)
def test_markdown_has_headline_cited_points_and_numbered_sources(outputs, audience):
    text, brief = outputs[audience, "md"], brief_of(outputs, audience)
    first = 2 if audience == "newsletter" else 0  # the newsletter opens with its preheader
    assert text.splitlines()[first] == "# " + md_escape(brief.headline)

    sources = [int(SOURCE_LINE.match(ln)[1]) for ln in section(text, "Sources")]
    assert sources == [s.n for s in brief.sources] == list(range(1, len(brief.sources) + 1))

    for line, point in _point_lines(text, brief):
        m = KEY_POINT_LINE.match(line)
        assert m, f"not '- text [n]': {line}"
        assert cited(m["cites"]) == point.citations
        assert set(point.citations) <= set(sources)


def _point_lines(text: str, brief: Brief):
    """(md line, KeyPoint) for every key point; a newsletter shows them in its sections."""
    if brief.audience == "newsletter":
        heads, points = (
            [s.heading for s in brief.sections],
            [p for s in brief.sections for p in s.points],
        )
    else:
        heads, points = ["Key points"], brief.key_points
    lines = [ln for h in heads for ln in section(text, h)]
    assert points and len(lines) == len(points)
    return list(zip(lines, points))


@pytest.mark.parametrize(
    "audience",
    [
        "exec",
        "analyst",
        "newsletter",
    ],
)
def test_markdown_points_say_how_many_sources_back_them(outputs, audience):
    text, brief = outputs[audience, "md"], brief_of(outputs, audience)
    lines = _point_lines(text, brief)
    assert any(p.corroboration >= 2 for _, p in lines)
    for line, point in lines:
        m = KEY_POINT_LINE.match(line)
        assert m and m["corr"], f"no '_(k sources)_' marker: {line}"
        n = len(set(point.citations))
        if audience == "newsletter":
            assert m["corr"] == newsletter.sourcing(point, brief.sources)
        else:
            assert m["corr"] == ("single source" if n == 1 else f"{n} sources")


def test_exec_has_five_to_seven_points_and_a_bottom_line_of_three_sentences_at_most(outputs):
    brief = brief_of(outputs, "exec")
    assert 5 <= len(brief.key_points) <= 7
    assert 1 <= len(brief.bottom_line) <= 3
    text = outputs["exec", "md"]
    (bottom,) = [ln for ln in text.splitlines() if ln.startswith("**Bottom line:** ")]
    assert len(re.findall(r"(?:\[\d+\])+", bottom)) == len(brief.bottom_line)
    assert len(section(text, "Key points")) == len(brief.key_points)


@pytest.mark.parametrize("audience", AUDIENCES)
def test_html_is_a_full_document(outputs, audience):
    text = outputs[audience, "html"].strip()
    assert text.lower().startswith("<!doctype html>")
    assert text.endswith("</html>")
    for tag in ("<html", "<head", "<title>", "<body", "</body>"):
        assert tag in text
    brief = brief_of(outputs, audience)
    assert [f'id="src-{s.n}"' in text for s in brief.sources] == [True] * len(brief.sources)


def test_corroboration_is_visible(outputs):
    for audience in ("exec", "analyst"):
        text = outputs[audience, "md"]
        assert re.search(r"(\[\d+\]){2,} _\([2-9] sources\)_$", text, re.M), audience
        assert "_(single source)_" in text, audience
    assert re.search(r"^- .*(\[\d+\]){2,}$", outputs["newsletter", "md"], re.M)


# ---------------------------------------------------------------- debris


@pytest.mark.parametrize("debris", DEBRIS)
def test_no_debris_in_any_output(outputs, debris):
    leaked = [key for key, text in outputs.items() if debris in text]
    assert not leaked


# ---------------------------------------------------------------- dates


def test_default_as_of_is_stated(outputs):
    for audience in AUDIENCES:
        p = brief_of(outputs, audience).provenance
        # [5] reports the summit of Thu 30 Oct as held: the newest date the articles give.
        assert p.as_of == dt.date(2025, 10, 30)
        assert "newest" in p.as_of_basis and "[5]" in p.as_of_basis
        assert "as of Thu 30 Oct 2025" in outputs[audience, "md"]
    assert WatchList.model_validate_json(outputs["watchlist", "json"]).as_of == p.as_of
    assert "_As of Thu 30 Oct 2025_" in outputs["watchlist", "md"]


def _day_items(items, day):
    return [i for i in items if i.date == day and i.precision == "day"]


def test_as_of_moves_items_between_upcoming_and_passed(runner, outputs):
    talks, mid_nov, july = dt.date(2025, 10, 24), dt.date(2025, 11, 11), dt.date(2026, 7, 1)
    before = WatchList.model_validate_json(outputs["watchlist", "json"])
    assert all(_day_items(before.upcoming, d) for d in (july,))
    assert [i.date for i in before.upcoming if i.precision == "part-of-month"] == [mid_nov]

    r = run(runner, "watchlist", "-f", "json", "--as-of", "2025-10-26", SAMPLE)
    assert r.exit_code == 0, r.stderr
    early = WatchList.model_validate_json(r.stdout)
    # The Kuala Lumpur talks run from 24 to 27 October: not passed on the 26th, but [4] tells
    # them held ("Following two days of intensive negotiations"): settled, not upcoming.
    assert not _day_items(early.passed, talks) and not _day_items(early.upcoming, talks)
    assert [(i.end, i.state) for i in _day_items(early.settled, talks)] == [
        (dt.date(2025, 10, 27), "happened")
    ]
    r = run(runner, "watchlist", "-f", "json", "--as-of", "2025-11-25", SAMPLE)
    after = WatchList.model_validate_json(r.stdout)
    assert after.as_of == dt.date(2025, 11, 25)
    assert not [i for i in after.upcoming if i.date in (talks, mid_nov)]
    assert mid_nov in {i.date for i in after.passed}
    assert _day_items(after.settled, talks)
    assert _day_items(after.upcoming, july) and not _day_items(after.passed, july)


def test_as_of_2030_leaves_no_2025_item_upcoming(runner):
    r = run(runner, "make", "-a", "analyst", "-f", "json", "--as-of", "2030-01-02", SAMPLE)
    assert r.exit_code == 0, r.stderr
    brief = Brief.model_validate_json(r.stdout)
    assert brief.provenance.as_of == dt.date(2030, 1, 2)
    assert "--as-of" in brief.provenance.as_of_basis
    assert not [i for i in brief.watch if i.date is not None and i.date.year <= 2025]
    r = run(runner, "watchlist", "-f", "json", "--as-of", "2030-01-02", SAMPLE)
    watch = WatchList.model_validate_json(r.stdout)
    assert not [i for i in watch.upcoming if i.date.year <= 2025]
    assert [i for i in watch.passed if i.date.year == 2025]


@pytest.mark.parametrize("command", ["make", "watchlist"])
@pytest.mark.parametrize("value", ["2025-13-01", "next-tuesday", "26/10/2025"])
def test_invalid_as_of_is_a_usage_error_naming_it(runner, command, value):
    r = run(runner, command, "--as-of", value, HARBOUR)
    assert r.exit_code == 2
    assert value in r.stderr
    assert "--as-of" in r.stderr
    assert r.stdout == ""


def test_exec_what_to_watch_does_not_list_the_summit_reported_held(outputs):
    brief = brief_of(outputs, "exec")
    assert not _day_items(brief.watch, dt.date(2025, 10, 30))
    watch = section(outputs["exec", "md"], "What to watch")
    assert not any("30 Oct" in ln for ln in watch)
    settled = WatchList.model_validate_json(outputs["watchlist", "json"]).settled
    summit = _day_items(settled, dt.date(2025, 10, 30))
    assert [(i.state, i.state_citations) for i in summit] == [("happened", [5])]
    assert any("Xi" in i.sentence for i in summit)


def test_analyst_output_says_what_undated_articles_dates_rest_on(outputs):
    brief = brief_of(outputs, "analyst")
    undated = [s for s in brief.sources if s.published is None]
    assert undated and len(brief.provenance.date_notes) == len(undated)
    # Markdown may escape a bracket ("\\[4]"); the reader sees [4] either way.
    notes = [
        collapse(ln).replace("\\[", "[") for ln in section(outputs["analyst", "md"], "Date notes")
    ]
    for s in undated:
        assert any(n.startswith(f"- [{s.n}] ") and collapse(s.date_basis) in n for n in notes)
        assert not any(a.article_id in s.date_basis for a in brief.sources)  # [n], never ids


# ---------------------------------------------------------------- HTML safety


SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags, self.attrs = [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(name for name, _ in attrs)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "vote.txt").write_text(
        f"Council votes {SCRIPT} on the harbour plan\n\n"
        f"The Northport city council voted on Monday to approve the harbour plan {SCRIPT} "
        "after a long debate about costs and jobs.\n"
        f"The harbour plan will cost the city about 40 million dollars {IMG} over five years, "
        "officials said.\n"
        "Opponents argued that the council had not studied the environmental impact of the "
        "dredging work in the bay.\n"
        "The council will hold a second vote on the harbour plan on November 12, 2025, before "
        "construction can begin.\n",
        encoding="utf-8",
    )
    (folder / "plan.md").write_text(
        f'---\ntitle: "Harbour plan {IMG} passes first vote"\npublished: 2025-10-21\n---\n'
        f"The Northport city council voted on Monday to approve the harbour plan {SCRIPT} "
        "after a long debate about costs and jobs.\n\n"
        f"Critics said {IMG} the harbour plan would cost the city far more than 40 million "
        "dollars over five years.\n\n"
        "The council will hold a second vote on the harbour plan on November 12, 2025, before "
        "construction can begin.\n",
        encoding="utf-8",
    )
    (folder / "mayor.txt").write_text(
        f"Mayor {SCRIPT} defends harbour plan\n\n"
        f"Mayor Jane Holt said {SCRIPT} the harbour plan would create 300 jobs in the port "
        "district within two years.\n"
        f"Holt said the city had studied the {IMG} environmental impact of dredging the bay "
        "for more than a year.\n",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize("audience", AUDIENCES)
def test_article_markup_is_escaped_in_html(runner, hostile, audience):
    r = run(runner, "make", "-a", audience, "-f", "json", hostile)
    brief = Brief.model_validate_json(r.stdout)
    shown = [brief.headline, *(p.text for p in [*brief.bottom_line, *brief.key_points])]
    assert any(SCRIPT in t for t in shown) and any(
        IMG in t for t in [*shown, *(s.title for s in brief.sources)]
    )

    r = run(runner, "make", "-a", audience, "-f", "html", hostile)
    assert r.exit_code == 0, r.stderr
    html = r.stdout
    parser = _Tags()
    parser.feed(html)
    assert "script" not in parser.tags and "img" not in parser.tags
    assert not [a for a in parser.attrs if a.lower().startswith("on")]
    assert "<script" not in html.lower()
    assert not re.search(r"<[^>]*\bonerror\s*=", html, re.I)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("audience", AUDIENCES)
def test_article_markup_cannot_become_markdown_html(runner, hostile, audience):
    text = run(runner, "make", "-a", audience, hostile).stdout
    assert "<script" in text  # the words are kept...
    assert not re.search(r"(?<!\\)<(script|img)", text)  # ...but never as a raw tag


# ---------------------------------------------------------------- bad input

BAD = {
    "binary.txt": (b"PK\x03\x04\x00\x00binary\x00\xff\xfe data", "binary"),
    "empty.txt": (b"", "empty"),
    "latin1.txt": (
        b"Caf\xe9 owners in the old town said on Monday that trade was slow.\n",
        "utf-8",
    ),
}


def _bad_files(folder: Path) -> None:
    for name, (data, _) in BAD.items():
        (folder / name).write_bytes(data)


def test_bad_files_are_skipped_by_name_and_reason(runner, tmp_path):
    shutil.copytree(HARBOUR, tmp_path, dirs_exist_ok=True)
    _bad_files(tmp_path)
    r = run(runner, "make", tmp_path)
    assert r.exit_code == 0, r.stderr
    assert r.stdout.startswith("# ")
    lines = r.stderr.splitlines()
    for name, (_, reason) in BAD.items():
        named = [ln for ln in lines if str(tmp_path / name) in ln]
        assert named and reason in named[0].lower(), (name, r.stderr)


def test_only_bad_files_is_an_error_naming_the_reasons(runner, tmp_path):
    _bad_files(tmp_path)
    r = run(runner, "make", tmp_path)
    assert r.exit_code == 3  # no readable input
    assert r.stdout == ""
    assert "error" in r.stderr
    for name, (_, reason) in BAD.items():
        assert name in r.stderr and reason in r.stderr.lower()


def test_missing_path_is_named(runner, tmp_path):
    missing = tmp_path / "nowhere" / "article.txt"
    r = run(runner, "make", missing, HARBOUR)
    assert r.exit_code == 1  # the brief is made, and the path given is a problem to see
    assert r.stdout.startswith("# ")
    assert str(missing) in r.stderr and "no such file" in r.stderr
    r = run(runner, "make", missing)
    assert r.exit_code == 3
    assert str(missing) in r.stderr and r.stdout == ""


# ---------------------------------------------------------------- stdin and sources


def test_make_reads_an_article_from_stdin(runner):
    data = (HARBOUR / "council.md").read_bytes()
    r = run(runner, "make", "-f", "json", "-", input=data)
    assert r.exit_code == 0, r.stderr
    brief = Brief.model_validate_json(r.stdout)
    assert [s.path for s in brief.sources] == ["-"]
    assert brief.sources[0].title == "Northport council backs harbour plan in first vote"
    assert brief.provenance.as_of == dt.date(2025, 10, 20)
    assert brief.key_points


def test_sources_reads_stdin(runner):
    r = run(runner, "sources", "-", input=(HARBOUR / "mayor.txt").read_bytes())
    assert r.exit_code == 0, r.stderr
    (row,) = [ln for ln in r.stdout.splitlines() if re.match(r"\[1\]\s+[0-9a-f]{12}\s", ln)]
    assert row.split()[-1] == "-" and "2025-10-21" in row


def test_empty_stdin_is_an_error(runner):
    r = run(runner, "make", "-", input=b"")
    assert r.exit_code == 3 and "empty" in r.stderr


def test_sources_table_lists_articles_and_skipped_files(runner, tmp_path):
    shutil.copytree(HARBOUR, tmp_path, dirs_exist_ok=True)
    _bad_files(tmp_path)
    r = run(runner, "sources", tmp_path)
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split()[:7] == ["n", "id", "title", "date", "basis", "words", "debris"]
    assert set(lines[1]) <= {"-", " "}
    rows = [ln for ln in lines[2:] if re.match(r"\[\d\]\s+[0-9a-f]{12}\s", ln)]
    assert len(rows) == 2
    assert any("2025-10-20" in ln and "council.md" in ln for ln in rows)
    skipped = r.stdout[r.stdout.index("skipped 3:") :]
    for name, (_, reason) in BAD.items():
        (line,) = [ln for ln in skipped.splitlines() if name in ln]
        assert reason in line.lower()


def test_sources_table_of_the_sample_counts_debris(outputs, sample_articles):
    lines = outputs["sources", "table"].splitlines()
    header = lines[0].split()
    rows = [ln.split() for ln in lines[2:] if re.match(r"\[\d\]\s+[0-9a-f]{12}\s", ln)]
    assert sorted(r[1] for r in rows) == sorted(sample_articles)
    debris = header.index("debris") - len(header)  # titles hold spaces: count from the right
    assert all(r[debris].isdigit() for r in rows)
    assert sum(int(r[debris]) for r in rows) > 0
    # The sample has no publication dates: each shows the date make infers for it.
    assert all(re.fullmatch(r"2025-10-\d\d", r[debris - 3]) for r in rows)
    assert all(r[debris - 2] == "inferred" for r in rows)


def test_sources_json_parses(runner, tmp_path):
    shutil.copytree(HARBOUR, tmp_path, dirs_exist_ok=True)
    _bad_files(tmp_path)
    data = (HARBOUR / "mayor.txt").read_bytes()
    r = run(runner, "sources", "--format", "json", tmp_path, "-", input=data)
    assert r.exit_code == 0, r.stderr
    got = json.loads(r.stdout)
    assert {a["title"] for a in got["articles"]} == {
        "Northport council backs harbour plan in first vote",
        "Mayor backs harbour plan as council vote nears",
    }
    for a in got["articles"]:
        assert {"id", "title", "published", "words", "debris_cut", "path"} <= set(a)
        assert "text" not in a
    reasons = {Path(s["path"]).name: s["reason"] for s in got["skipped"]}
    assert set(BAD) <= set(reasons)
    assert any(s["path"] == "-" and "duplicate" in s["reason"] for s in got["skipped"])


# ---------------------------------------------------------------- -o FILE


def test_output_file_gets_the_brief_and_stdout_stays_empty(runner, tmp_path):
    target = tmp_path / "out" / "brief.md"
    r = run(runner, "make", "-o", target, HARBOUR)
    assert r.exit_code == 0, r.stderr
    assert r.stdout == ""
    assert target.read_text(encoding="utf-8") == run(runner, "make", HARBOUR).stdout
    assert [p.name for p in target.parent.iterdir()] == ["brief.md"]


@pytest.mark.parametrize(
    "broken", ["{% for x in %}\n", "# {{ brief.headline }}\n{{ brief.no_such_field }}\n"]
)
def test_a_failed_render_leaves_the_output_file_alone(runner, tmp_path, broken):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "exec.md.j2").write_text(broken, encoding="utf-8")
    target = tmp_path / "brief.md"
    target.write_text("the previous brief\n", encoding="utf-8")
    r = run(runner, "make", "--templates", templates, "-o", target, HARBOUR)
    assert r.exit_code == 5  # the output could not be made
    assert "exec.md.j2" in r.stderr
    assert r.stdout == ""
    assert target.read_text(encoding="utf-8") == "the previous brief\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["brief.md", "templates"]


# ---------------------------------------------------------------- watch list


def test_watchlist_md_lists_upcoming_by_date_then_unresolved(runner, tmp_path):
    # The sample corpus, plus an undated article alone: with no date anywhere in its corpus,
    # its "next month" cannot be resolved, and is listed after the dated items.
    undated = tmp_path / "undated"
    undated.mkdir()
    (undated / "vote.txt").write_text(
        "Port board to vote on expansion\n\nThe port board will vote next month on the "
        "expansion plan, officials said on a call with reporters.\n",
        encoding="utf-8",
    )
    dated = tmp_path / "dated.txt"
    dated.write_text(
        "Council sets budget vote\n\nMARCH 3, 2025\n\nThe city council will vote on the "
        "budget on March 14, 2025, the clerk said in a statement on Monday.\n",
        encoding="utf-8",
    )
    args = ["watchlist", "-q", "--as-of", "2025-03-05", str(undated), str(dated)]
    text = runner.invoke(main, args).stdout
    watch = WatchList.model_validate_json(runner.invoke(main, [*args, "-f", "json"]).stdout)
    assert watch.upcoming and watch.unresolved
    heads = [ln for ln in text.splitlines() if ln.startswith("## ")]
    assert heads.index("## Upcoming") < heads.index("## Date not fixed")
    later = [ln for ln in section(text, "Date not fixed") if ln.startswith("- **")]
    assert len(later) == len(watch.unresolved)
    assert all("(unresolved)" in ln for ln in later)


def test_watchlist_md_upcoming_items_are_in_date_order(outputs):
    text = outputs["watchlist", "md"]
    watch = WatchList.model_validate_json(outputs["watchlist", "json"])
    upcoming = section(text, "Upcoming")
    items = [ln for ln in upcoming if ln.startswith("- **")]
    assert len(items) == len(watch.upcoming) >= 4
    resolved = re.findall(r"resolved: (\d{4}-\d{2}-\d{2})", "\n".join(upcoming))
    assert len(resolved) == len(items)
    assert resolved == sorted(resolved)


def _unfold_ics(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def _ics_unescape(value: str) -> str:
    return re.sub(r"\\([\\;,nN])", lambda m: "\n" if m[1] in "nN" else m[1], value)


def test_watchlist_ics_has_one_event_per_dated_item(outputs):
    text = outputs["watchlist", "ics"]
    watch = WatchList.model_validate_json(outputs["watchlist", "json"])
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert text.count("\n") == text.count("\r\n")
    assert all(len(ln.encode("utf-8")) <= 75 for ln in text.split("\r\n"))

    lines = _unfold_ics(text)
    # A half-year or a year is no day on a calendar: it is named in the calendar's description.
    dated = [*watch.upcoming, *watch.settled, *watch.passed]
    vague = [i for i in dated if i.precision in ("half-year", "year")]
    dated = [i for i in dated if i not in vague]
    assert vague, "the sample has 'the first half of next year' and '2030'"
    assert lines.count("BEGIN:VEVENT") == lines.count("END:VEVENT") == len(dated)
    starts = sorted(ln.rsplit(":", 1)[1] for ln in lines if ln.startswith("DTSTART"))
    assert starts == sorted(f"{period_bounds(i.date, i.precision, i.end)[0]:%Y%m%d}" for i in dated)
    summaries = {_ics_unescape(ln[len("SUMMARY:") :]) for ln in lines if ln.startswith("SUMMARY:")}
    # Summaries show relative dates made absolute ('on Friday (24 Oct)'): compare without them.
    bare = {re.sub(r" \([^()]*\)", "", s) for s in summaries}
    assert {re.sub(r" \([^()]*\)", "", i.description) for i in dated} == bare
    assert not summaries & {i.description for i in watch.unresolved}
    calendar = _ics_unescape(next(ln for ln in lines if ln.startswith("DESCRIPTION:")))
    assert all(f"{when(i)}: {i.description}" in calendar for i in vague if i in watch.upcoming)


# ---------------------------------------------------------------- init and templates


def _default_templates() -> list[Path]:
    root = templates_dir()
    return [
        p.relative_to(root)
        for p in sorted(root.rglob("*"))
        if p.is_file() and not any(part.startswith(".") for part in p.relative_to(root).parts)
    ]


def test_init_writes_the_default_templates(runner, tmp_path):
    target = tmp_path / "mine"
    r = run(runner, "init", target)
    assert r.exit_code == 0, r.stderr
    defaults = _default_templates()
    assert "exec.md.j2" in {str(p) for p in defaults}
    for rel in defaults:
        assert (target / "templates" / rel).read_bytes() == (templates_dir() / rel).read_bytes()
    listed = r.stdout.splitlines()
    assert len(listed) >= len(defaults) and all(Path(p).is_file() for p in listed)


def test_init_writes_the_prompts(runner, tmp_path):
    r = run(runner, "init", tmp_path / "mine")
    assert r.exit_code == 0
    prompts = tmp_path / "mine" / "prompts"
    assert prompts.is_dir() and any(p.is_file() for p in prompts.rglob("*"))
    for p in prompts_dir().rglob("*"):
        if p.is_file() and not p.name.startswith("."):
            assert (prompts / p.relative_to(prompts_dir())).is_file()


def test_init_refuses_to_overwrite_without_force(runner, tmp_path):
    target = tmp_path / "mine"
    assert run(runner, "init", target).exit_code == 0
    edited = target / "templates" / "exec.md.j2"
    edited.write_text("my own template\n", encoding="utf-8")

    r = run(runner, "init", target)
    assert r.exit_code != 0
    named = re.search(r"(\S+) already exists", r.stderr)
    assert named, r.stderr
    assert Path(named[1]).is_file() and target in Path(named[1]).parents
    assert edited.read_text(encoding="utf-8") == "my own template\n"

    r = run(runner, "init", "--force", target)
    assert r.exit_code == 0, r.stderr
    assert edited.read_bytes() == (templates_dir() / "exec.md.j2").read_bytes()


def test_edited_template_is_used(runner, tmp_path):
    target = tmp_path / "mine"
    assert run(runner, "init", target).exit_code == 0
    exec_md = target / "templates" / "exec.md.j2"
    exec_md.write_text(
        exec_md.read_text(encoding="utf-8") + "\nEDITED-TEMPLATE-MARKER\n", encoding="utf-8"
    )
    r = run(runner, "make", "--templates", target / "templates", HARBOUR)
    assert r.exit_code == 0, r.stderr
    assert "EDITED-TEMPLATE-MARKER" in r.stdout
    assert r.stdout.startswith("# ")
    r = run(runner, "make", "-a", "analyst", "--templates", target / "templates", HARBOUR)
    assert r.exit_code == 0 and "EDITED-TEMPLATE-MARKER" not in r.stdout


# ---------------------------------------------------------------- startup


def test_python_m_briefgen_help(tmp_path):
    r = subprocess.run(
        [sys.executable, "-m", "briefgen", "--help"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    for command in ("make", "watchlist", "sources", "init"):
        assert re.search(rf"^\s+{command}\s", r.stdout, re.M), command


HEAVY = (
    "trafilatura",
    "feedparser",
    "jinja2",
    "openai",
    "pydantic",
    "yaml",
    "lxml",
    "briefgen.pipeline",
    "briefgen.schema",
    "briefgen.ingest",
    "briefgen.render",
)


def test_help_imports_nothing_heavy(tmp_path):
    code = (
        "import json, sys\n"
        "import briefgen.cli\n"
        "for args in (['--help'], ['make', '--help'], ['watchlist', '--help']):\n"
        "    try:\n"
        "        briefgen.cli.main(args)\n"
        "    except SystemExit as exc:\n"
        "        assert exc.code == 0, args\n"
        f"heavy = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "print('HEAVY=' + json.dumps(heavy))\n"
    )
    r = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60
    )
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout.rsplit("HEAVY=", 1)[1]) == []


# ---------------------------------------------------------------- determinism


def test_two_runs_give_the_same_output(runner):
    def dump(fmt):
        r = run(runner, "make", "-a", "analyst", "-f", fmt, HARBOUR)
        assert r.exit_code == 0, r.stderr
        return r.stdout

    first, second = json.loads(dump("json")), json.loads(dump("json"))
    for d in (first, second):
        assert d["provenance"].pop("generated_at")
    # A preview records nothing, so the second is not measured against the first
    # (tests/test_previews.py has what a recorded brief changes).
    assert first["provenance"]["previous_brief"] is None
    assert first == second
    assert dump("md") == dump("md")
    ics = [run(runner, "watchlist", "-f", "ics", HARBOUR).stdout for _ in range(2)]
    assert ics[0] == ics[1] and "BEGIN:VEVENT" in ics[0]
