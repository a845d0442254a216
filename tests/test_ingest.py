"""ingest.load: every input format, stdin, bad input, duplicates, ids, titles and dates."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
from pathlib import Path

import pytest
from conftest import DEBRIS

from briefgen import ingest
from briefgen.ingest import IngestResult, article_id, load

DATA = Path(__file__).parent / "data" / "ingest"
SAMPLE = Path(__file__).parent.parent / "examples" / "trade-talks"


@pytest.fixture(scope="module")
def fixtures() -> IngestResult:
    return load([str(DATA)])


def by_path(result: IngestResult) -> dict:
    return {a.path: a for a in result.articles}


def reasons(result: IngestResult) -> dict[str, str]:
    return {s.path: s.reason for s in result.skipped}


def test_folder_walk_is_sorted_and_names_paths(fixtures):
    paths = [a.path for a in fixtures.articles]
    assert paths == sorted(paths)
    assert all(p.startswith(str(DATA) + os.sep) for p in paths)


def test_html_page(fixtures):
    a = by_path(fixtures)[f"{DATA}/page.html"]
    assert a.title == "Harbour expansion approved after long review"
    assert a.source == "Harbour Gazette"
    assert a.url == "https://gazette.example.org/news/harbour-expansion"
    assert (a.published, a.date_basis) == (dt.date(2024, 3, 5), "metadata")
    assert "expected to cost 310 million euros" in a.text
    assert "Fishermen remain worried" in a.text
    for debris in [
        "SCRIPT_TEXT",
        "Related articles",
        "Port traffic",
        "Leave a comment",
        "Please enter",
        "All rights reserved",
        "cookies",
        "Share on",
        "News >",
    ]:
        assert debris not in a.text
    assert a.words > 50


def test_rss_feed_uses_full_content(fixtures):
    articles = by_path(fixtures)
    first, second = articles[f"{DATA}/feed.rss#1"], articles[f"{DATA}/feed.rss#2"]
    assert first.title == "Bridge reopens two months early"
    assert first.url == "https://courier.example.net/bridge-reopens"
    assert first.source == "Valley Courier"
    assert first.published == dt.date(2024, 2, 12)
    assert "teaser" not in first.text and "strengthened both piers" in first.text
    assert "- Weight limit: 12 tonnes" in first.text
    assert "<p>" not in first.text and "Share this article" not in first.text
    assert second.text.startswith("The central library will open until 9 p.m.")


def test_atom_feed(fixtures):
    a = by_path(fixtures)[f"{DATA}/feed.atom#1"]
    assert a.title == "Storm season forecast raised"
    assert a.url == "https://monitor.example.com/storm-forecast"
    assert a.published == dt.date(2024, 4, 1)
    assert (
        a.text.splitlines()[-1] == "Warmer sea temperatures were the main reason, the agency said."
    )


def test_markdown_front_matter(fixtures):
    a = by_path(fixtures)[f"{DATA}/note.md"]
    assert a.title == "Rail strike called off at the last minute"
    assert (a.source, a.url) == ("Northern Ledger", "https://ledger.example.com/rail-strike")
    assert (a.published, a.date_basis) == (dt.date(2024, 6, 3), "metadata")
    # The body's own heading is not the title here, so it stays; markup is gone.
    assert a.text.startswith("A different heading that is not the title\n")
    assert "new pay offer of 6%" in a.text and "the union said." in a.text
    assert "**" not in a.text and "](" not in a.text and "train.jpg" not in a.text


def test_markdown_heading_is_title(tmp_path):
    (tmp_path / "a.md").write_text("# Dam opens\n\nThe dam opened on Monday.\n", encoding="utf-8")
    a = load([str(tmp_path / "a.md")]).articles[0]
    assert (a.title, a.text) == ("Dam opens", "The dam opened on Monday.")


def test_json_list_and_jsonl(fixtures):
    articles, why = by_path(fixtures), reasons(fixtures)
    water = articles[f"{DATA}/list.json#1"]
    assert (water.title, water.source, water.url) == (
        "Water prices to rise 4% in July",
        "Utility Weekly",
        "https://example.com/water",
    )
    assert water.published == dt.date(2024, 5, 8)
    ferry = articles[f"{DATA}/list.json#3"]  # "content" and "date" accepted too
    assert ferry.published == dt.date(2024, 5, 9) and ferry.text.startswith("The island ferry")
    assert why[f"{DATA}/list.json#2"] == "record 2 has no text"
    assert articles[f"{DATA}/records.jsonl#1"].title == "Airport adds late flights"  # "body"
    assert why[f"{DATA}/records.jsonl#2"].startswith("invalid JSON: line 2 column")
    assert f"{DATA}/records.jsonl#3" in articles  # records count past the blank line


def test_json_shapes(tmp_path):
    (tmp_path / "one.json").write_text(
        '{"text": "A single record of news text."}', encoding="utf-8"
    )
    wrapped = (
        '{"articles": [{"text": "First wrapped record."}, {"text": "Second wrapped record."}]}'
    )
    (tmp_path / "wrapped.json").write_text(wrapped, encoding="utf-8")
    result = load([str(tmp_path)])
    assert [a.path for a in result.articles] == [
        f"{tmp_path}/one.json",
        f"{tmp_path}/wrapped.json#1",
        f"{tmp_path}/wrapped.json#2",
    ]


def test_bad_inputs_are_skipped_with_reasons(fixtures):
    why = reasons(fixtures)
    assert why[f"{DATA}/binary.txt"] == "binary file (contains NUL bytes)"
    assert why[f"{DATA}/empty.txt"] == "empty file"
    assert why[f"{DATA}/blank.txt"] == "empty file"
    assert why[f"{DATA}/latin1.txt"] == "not UTF-8 text (invalid byte 0xe9 at offset 3)"
    assert why[f"{DATA}/broken.json"] == "invalid JSON: line 3 column 9: Expecting ':' delimiter"


def test_missing_unsupported_hidden_and_cleaned_away(tmp_path):
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / ".hidden.txt").write_text("Hidden text that must not be read.", encoding="utf-8")
    (tmp_path / ".briefgen").mkdir()
    (tmp_path / ".briefgen" / "cache.json").write_text("{}", encoding="utf-8")
    (tmp_path / "junk.txt").write_text("Leave a comment\nShare this article\n", encoding="utf-8")
    result = load([str(tmp_path), str(tmp_path / "nope.txt")])
    assert result.articles == []
    assert reasons(result) == {
        f"{tmp_path}/junk.txt": "no article text after cleaning",
        f"{tmp_path}/report.pdf": "unsupported file type .pdf",
        f"{tmp_path}/nope.txt": "no such file or directory",
    }


def test_unknown_extension_on_command_line_is_sniffed(tmp_path):
    path = tmp_path / "story.dat"
    path.write_text('[{"title": "Sniffed", "text": "JSON without a json name."}]', encoding="utf-8")
    (tmp_path / "page.php").write_bytes((DATA / "page.html").read_bytes())
    result = load([str(path), str(tmp_path / "page.php")])
    assert [a.title for a in result.articles] == [
        "Sniffed",
        "Harbour expansion approved after long review",
    ]


def test_permission_denied(tmp_path, monkeypatch):
    path = tmp_path / "locked.txt"
    path.write_text("Locked text.", encoding="utf-8")

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(ingest, "open", refuse, raising=False)  # works even when run as root
    assert reasons(load([str(path)])) == {str(path): "permission denied"}


def test_unreadable_feed_and_declared_charset(tmp_path):
    (tmp_path / "bad.xml").write_text("<rss><channel><title>x</title>", encoding="utf-8")
    html = "<html><head><meta charset='iso-8859-1'></head><body><p>Caf\xe9 rents doubled.</p></body></html>"
    (tmp_path / "old.html").write_bytes(html.encode("latin-1"))
    result = load([str(tmp_path)])
    assert reasons(result)[f"{tmp_path}/bad.xml"].startswith(("not a readable feed", "feed has no"))
    assert result.articles[0].text == "Café rents doubled."


@pytest.mark.parametrize(
    ("data", "title"),
    [
        (
            b"Plain text from a pipe, read as an article.",
            "Plain text from a pipe, read as an article.",
        ),
        ((DATA / "feed.atom").read_bytes(), "Storm season forecast raised"),
        ((DATA / "page.html").read_bytes(), "Harbour expansion approved after long review"),
        (b'{"title": "From stdin", "text": "A JSON record on stdin."}', "From stdin"),
        (
            b'{"text": "Line one record."}\n{"title": "Two", "text": "Line two."}\n',
            "Line one record.",
        ),
        (b"\xef\xbb\xbfBOM text is fine too.", "BOM text is fine too."),
        ("UTF-16 text with a BOM.".encode("utf-16"), "UTF-16 text with a BOM."),
    ],
)
def test_stdin_is_sniffed(data, title):
    result = load(["-"], stdin=io.BytesIO(data))
    assert result.articles[0].title == title
    assert result.articles[0].path.startswith("-")


def test_stdin_binary_is_skipped():
    assert reasons(load(["-"], stdin=io.BytesIO(b"\x00\x01\x02"))) == {
        "-": "binary file (contains NUL bytes)"
    }


def test_duplicates_and_stable_ids(tmp_path):
    text = "The same story, told twice.\nWith a second line."
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    (tmp_path / "b.txt").write_text(
        "  THE SAME story,   told twice.\n\nWith a second line.\n", encoding="utf-8"
    )
    first = load([str(tmp_path)])
    assert [a.path for a in first.articles] == [f"{tmp_path}/a.txt"]
    assert reasons(first) == {f"{tmp_path}/b.txt": f"duplicate of {tmp_path}/a.txt"}
    again = load([str(tmp_path / "a.txt")])
    assert again.articles[0].id == first.articles[0].id == article_id(text)
    # Fixed value: ids must not change between runs, versions or machines.
    assert article_id(text) == article_id("the same   story, told TWICE. with a second line.")
    assert article_id(text) == "7ef0c54acfb1"


def test_ids_are_stable_across_loads(fixtures):
    assert [a.id for a in load([str(DATA)]).articles] == [a.id for a in fixtures.articles]


def test_wikinews_dateline(fixtures):
    a = by_path(fixtures)[f"{DATA}/wikinews.txt"]
    assert a.title == "Lighthouse keepers' cottage opens as museum"
    assert (a.published, a.date_basis) == (dt.date(2019, 3, 14), "metadata")
    assert "Thursday, March 14, 2019" not in a.text
    assert a.text.startswith("The restored keepers' cottage")


@pytest.mark.parametrize(
    ("head", "date"),
    [
        ("Saturday, January 8, 2005", dt.date(2005, 1, 8)),
        ("January 8, 2005", dt.date(2005, 1, 8)),
        ("8 January 2005", dt.date(2005, 1, 8)),
        ("2005-01-08", dt.date(2005, 1, 8)),
        ("2005/01/08", dt.date(2005, 1, 8)),
        ("Published: Jan. 8, 2005 10:30 am", dt.date(2005, 1, 8)),
    ],
)
def test_standalone_dateline_is_parsed_and_removed(tmp_path, head, date):
    path = tmp_path / "a.txt"
    path.write_text(
        f"Dam opens after ten years\n\n{head}\n\nThe dam opened on Monday.\n", encoding="utf-8"
    )
    a = load([str(path)]).articles[0]
    assert (a.title, a.published, a.date_basis) == ("Dam opens after ten years", date, "dateline")
    assert a.text == "The dam opened on Monday."


def test_datelines_in_text(tmp_path):
    (tmp_path / "a.txt").write_text(
        "WASHINGTON, March 3, 2021 (Reuters) - Lawmakers met on Wednesday to discuss it.",
        encoding="utf-8",
    )
    (tmp_path / "b.txt").write_text(
        "Tuesday, January 18, 2005Through a telethon, people raised money.", encoding="utf-8"
    )
    (tmp_path / "c.txt").write_text(
        "On October 18, 2025, officials agreed a framework for restarting the talks.",
        encoding="utf-8",
    )
    (tmp_path / "d.txt").write_text(
        "Talks resume\nFebruary 30, 2024\nNo such day exists.", encoding="utf-8"
    )
    a, b, c, d = load([str(tmp_path)]).articles
    assert a.published == dt.date(2021, 3, 3) and a.text.startswith("WASHINGTON")
    assert (
        b.published == dt.date(2005, 1, 18) and b.text == "Through a telethon, people raised money."
    )
    assert (c.published, c.date_basis) == (None, None)  # a date in the story, not a dateline
    assert (d.published, d.date_basis) == (None, None)


def test_long_first_line_title_is_cut(tmp_path):
    line = (
        "Trade officials from the US and China will meet in Malaysia on Friday to try to see if "
        "they can reach a compromise before a planned summit. Second sentence."
    )
    (tmp_path / "a.txt").write_text(line, encoding="utf-8")
    title = load([str(tmp_path)]).articles[0].title
    assert title.endswith("…") and len(title) <= 91
    assert (
        title
        == "Trade officials from the US and China will meet in Malaysia on Friday to try to see if…"
    )


# ---------------------------------------------------------------- the sample corpus


@pytest.fixture(scope="module")
def sample() -> dict:
    result = load([str(SAMPLE)])
    assert result.skipped == []
    return {Path(a.path).name[:3]: a for a in result.articles}


def test_sample_has_no_debris(sample):
    assert len(sample) == 5
    for article in sample.values():
        for debris in DEBRIS:
            assert debris not in article.text, (article.path, debris)


def test_sample_keeps_content(sample):
    assert "- Rare earths export licensing regime pause (one year)" in sample["000"].text
    assert "\nU.S. Negotiating Perspective\n" in sample["000"].text
    assert sample["000"].text.endswith("as much leverage as the CCP if not more.")
    assert "\nLast year, China imported 133,000 tons" in sample["001"].text
    assert "- Joint R&D: Work with Chinese partners" in sample["001"].text
    assert "Meanwhile, in related news, India has said" in sample["002"].text
    assert "Key Points to Understand the China-US Trade Standoff" in sample["003"].text
    assert "5. How might this affect global inflation?" in sample["003"].text
    assert sample["004"].text.startswith("In a carefully choreographed summit in Busan")
    assert [sample[k].debris_cut for k in sorted(sample)] == [1, 8, 13, 7, 1]


def test_sample_titles_and_sources(sample):
    assert sample["001"].title == "US, China edge toward fragile truce ahead of Trump-Xi meeting"
    assert sample["003"].title == "China and US agree to recent trade talks"
    assert sample["004"].title == "Renewed Dialogue After Prolonged Tensions"
    assert sample["004"].source == "Bloomberg"
    assert sample["002"].source == "Reuters"
    assert sample["000"].title.endswith("…") and len(sample["000"].title) <= 91
    assert all(a.published is None and a.date_basis is None for a in sample.values())


def test_sample_copy_is_a_duplicate(tmp_path):
    src = SAMPLE / "004_2581613a730de5de.txt"
    shutil.copy(src, tmp_path / "copy.txt")
    result = load([str(src), str(tmp_path / "copy.txt")])
    assert len(result.articles) == 1
    assert reasons(result) == {f"{tmp_path}/copy.txt": f"duplicate of {src}"}


def test_a_title_label_in_plain_text_is_not_part_of_the_title(tmp_path):
    (tmp_path / "a.txt").write_text(
        "Title: Dockworkers set strike date\nSource: Harbour Ledger\nDate: 2025-06-02\n\n"
        "Dockworkers voted on Monday to strike from June 20 unless pay rises.\n",
        encoding="utf-8",
    )
    from briefgen.ingest import load

    article = load([str(tmp_path)]).articles[0]
    assert article.title == "Dockworkers set strike date"
    assert "Title:" not in article.text


@pytest.mark.parametrize("fmt", ["md", "html", "json"])
def test_a_brief_briefgen_wrote_is_not_read_as_an_article(tmp_path, sample_dir, runner, fmt):
    """`make -o DIR/brief.md DIR` twice (or `follow`) must not cite the brief as a source."""
    import shutil

    from briefgen.cli import main

    folder = tmp_path / "articles"
    shutil.copytree(sample_dir, folder)
    brief = folder / f"brief.{fmt}"
    first = runner.invoke(main, ["make", "-f", fmt, "-o", str(brief), str(folder)])
    assert first.exit_code == 0, first.stderr
    loaded = load([str(folder)])
    assert len(loaded.articles) == 5
    assert [(s.path, s.reason) for s in loaded.skipped] == [
        (str(brief), "a brief made by briefgen, not an article")
    ]
