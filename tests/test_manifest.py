"""Run manifests: what a run kept, what is new since the last one, and how briefs show it.

Real pipeline runs on the sample corpus: four articles first, then the fifth arrives
(002, the Reuters piece, is the only teller of a watch item still to come, the first half of
next year, so it has news of its own; of the Kuala Lumpur talks it also tells alone, [4]
reports them held).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path

import pytest
from conftest import SAMPLE
from pydantic import ValidationError

from briefgen import manifest
from briefgen.manifest import Changes, Manifest
from briefgen.pipeline import Result, make_brief
from briefgen.render import md, render_brief
from briefgen.schema import SCHEMA_VERSION, Brief, KeyPoint

UTC = dt.timezone.utc
AS_OF = dt.date(2025, 10, 20)  # before every dated event in the corpus
FIRST = ("000", "001", "003", "004")
ARRIVES = "002"
EARLIER = dt.datetime(2025, 11, 22, 14, 5, tzinfo=UTC)
AUDIENCES = ("exec", "analyst", "newsletter")


def sample(prefix: str) -> Path:
    (path,) = SAMPLE.glob(f"{prefix}_*.txt")
    return path


def fill(folder: Path, prefixes) -> str:
    folder.mkdir(parents=True, exist_ok=True)
    for prefix in prefixes:
        shutil.copy(sample(prefix), folder)
    return str(folder)


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """'before' holds four articles; 'after' the same four and the fifth."""
    root = tmp_path_factory.mktemp("corpora")
    return {
        "before": fill(root / "before", FIRST),
        "after": fill(root / "after", (*FIRST, ARRIVES)),
    }


_RUNS: dict[tuple, Result] = {}


def run(folder: str, audience: str = "analyst", as_of: dt.date = AS_OF) -> Result:
    """A fresh copy of a (cached) pipeline run, so marking one test's result leaves the rest."""
    key = (folder, audience, as_of)
    if key not in _RUNS:
        _RUNS[key] = make_brief([folder], audience, as_of=as_of)
    r = _RUNS[key]
    return Result(r.brief.model_copy(deep=True), r.watch.model_copy(deep=True), r.corpus)


def previous(folder: str, audience: str = "analyst", as_of: dt.date = AS_OF) -> Manifest:
    return manifest.build(run(folder, audience, as_of), audience, [folder], EARLIER)


def new_article_id(result: Result) -> str:
    (aid,) = [a.id for a in result.corpus.articles if a.path.endswith(sample(ARRIVES).name)]
    return aid


def points(brief: Brief) -> list[KeyPoint]:
    sections = [p for s in brief.sections for p in s.points]
    return [*brief.bottom_line, *brief.key_points, *brief.single_source, *sections]


def marked(folders, audience: str = "analyst") -> tuple[Result, Changes]:
    result = run(folders["after"], audience)
    changes = manifest.compare(previous(folders["before"], audience), result)
    manifest.mark(result, changes)
    return result, changes


# ---------------------------------------------------------------- what is new


def test_a_first_run_marks_nothing_new(folders):
    result = run(folders["after"])
    changes = manifest.compare(None, result)
    manifest.mark(result, changes)
    assert changes.since is None and changes.lines() == []
    assert not any(p.new for p in points(result.brief))
    assert not any(i.new for i in [*result.brief.watch, *result.watch.upcoming])
    assert result.brief.provenance.previous_brief is None
    assert result.brief.provenance.changes == []


def test_the_same_articles_again_bring_nothing_new(folders):
    before = previous(folders["after"])
    result = run(folders["after"])
    changes = manifest.compare(before, result)
    manifest.mark(result, changes)
    assert changes.since == EARLIER
    assert (changes.articles_added, changes.articles_changed, changes.articles_removed) == (
        [],
        [],
        [],
    )
    assert changes.new_findings == set() and changes.new_watch == 0 and changes.now_passed == []
    assert changes.lines() == []
    assert not any(p.new for p in points(result.brief)) and not any(
        i.new for i in result.brief.watch
    )
    assert result.brief.provenance.previous_brief == EARLIER


def test_only_findings_first_told_by_the_new_article_are_new(folders):
    result, changes = marked(folders)
    fresh = new_article_id(result)
    title = next(a.title for a in result.corpus.articles if a.id == fresh)
    assert changes.articles_added == [title]
    assert changes.articles_changed == changes.articles_removed == []
    findings = result.corpus.digest.findings
    only_new = {f.id for f in findings if set(f.article_ids) == {fresh}}
    assert only_new and changes.new_findings == only_new
    # An old finding the new article corroborates is still old news.
    corroborated = [f for f in findings if fresh in f.article_ids and len(set(f.article_ids)) > 1]
    assert corroborated and not {f.id for f in corroborated} & changes.new_findings


def test_points_are_new_when_every_finding_they_rest_on_is(folders):
    result, changes = marked(folders)
    fresh = new_article_id(result)
    told_by = {f.id: set(f.article_ids) for f in result.corpus.digest.findings}
    shown = points(result.brief)
    assert any(p.new for p in shown) and not all(p.new for p in shown)
    for p in shown:
        assert p.new == all(told_by[i] == {fresh} for i in p.finding_ids), p.text
    # One old finding makes a point old news; a point resting on nothing is never new.
    new_ids = sorted(changes.new_findings)
    old_id = min(told_by.keys() - changes.new_findings)
    extra = {
        (new_ids[0], new_ids[1]): True,
        (new_ids[0], old_id): False,
        (): False,
    }
    for ids in extra:
        result.brief.key_points.append(KeyPoint(text="x", finding_ids=list(ids), citations=[]))
    manifest.mark(result, changes)
    assert [p.new for p in result.brief.key_points[-3:]] == list(extra.values())


def test_a_watch_item_told_only_by_the_new_article_is_new(folders):
    result, changes = marked(folders)
    fresh = new_article_id(result)
    items = result.brief.watch
    assert any(i.new for i in items)
    for item in items:
        assert item.new == (item.article_ids == [fresh]), item.description
    # The summit was told before; the new article ("the end of October") joins its tellers.
    # [5] reports it held, so it is settled, out of the brief's watch list, and not new. The
    # Kuala Lumpur talks only the new article tells are settled too: [4] tells them held
    # ("Following two days of intensive negotiations").
    settled = [i for i in result.watch.settled if fresh in i.article_ids]
    summit = [i for i in settled if len(i.article_ids) > 1]
    assert summit and not any(i.new for i in summit)
    talks = [i for i in settled if i.article_ids == [fresh]]
    assert [(i.date, i.state) for i in talks] == [(dt.date(2025, 10, 24), "happened")]
    assert not [i for i in items if fresh in i.article_ids and len(i.article_ids) > 1]
    upcoming_or_undated = [*result.watch.upcoming, *result.watch.unresolved]
    assert changes.new_watch == sum(i.new for i in upcoming_or_undated) == 1
    assert "1 new watch item" in changes.lines()


def test_a_reworded_watch_item_is_known_by_its_date_and_an_article_in_common(folders):
    result = run(folders["after"])
    before = previous(folders["after"])
    for old in before.watch:
        old.sentence = "Reworded by an editor: " + old.sentence
    assert manifest.compare(before, result).new_watch == 0
    for old in before.watch:
        old.article_ids = ["someone-else"]
    dated = [i for i in [*result.watch.upcoming, *result.watch.unresolved] if i.date]
    assert manifest.compare(before, result).new_watch == len(dated) > 0


def test_items_whose_date_has_passed_leave_the_list_and_are_named(folders):
    before = previous(folders["after"], as_of=AS_OF)
    later = dt.date(2025, 11, 25)
    result = run(folders["after"], as_of=later)
    changes = manifest.compare(before, result)
    expected = {w.description for w in before.watch if w.bucket == "upcoming" and w.date < later}
    # Talks "to resume by mid-November" (11 to 20 Nov). The summit (30 Oct) and the Kuala
    # Lumpur talks (24 to 27 Oct) were never upcoming here: [5] and [4] report them held.
    assert len(expected) == 1
    assert set(changes.now_passed) == expected
    assert not expected & {i.description for i in result.brief.watch}
    assert any(line.startswith("1 watch item now passed: “") for line in changes.lines())


def test_an_item_whose_article_left_is_passed_only_if_its_date_is(folders, tmp_path):
    before = previous(folders["after"], as_of=AS_OF)
    gone = fill(tmp_path / "gone", FIRST)  # the fifth article removed (and the rest moved)
    result = run(gone, as_of=dt.date(2025, 10, 28))
    changes = manifest.compare(before, result)
    only_gone = [w for w in before.watch if w.bucket == "upcoming" and len(w.article_ids) == 1]
    only_gone = [w for w in only_gone if w.sentence.startswith(("Chinese Vice", "“The best"))]
    # The removed article's deal "in the first half of next year" is still ahead on the 28th:
    # not passed. (Its Kuala Lumpur talks were never upcoming: [4] reports them held.)
    assert [w.date for w in only_gone] == [dt.date(2026, 1, 1)]
    assert only_gone[0].description not in changes.now_passed
    # Moved files are neither added nor removed; the one that went is removed.
    assert changes.articles_added == []
    assert changes.articles_removed == [
        next(a.title for a in before.articles if a.path.endswith(sample(ARRIVES).name))
    ]


def test_an_edited_article_is_changed_and_a_renamed_one_is_not_news(tmp_path):
    folder = fill(tmp_path / "c", FIRST)
    before = manifest.build(make_brief([folder], as_of=AS_OF), "exec", [folder], EARLIER)
    edited = Path(folder) / sample("001").name
    edited.write_text(edited.read_text(encoding="utf-8") + "\nOne more line.\n", "utf-8")
    os.rename(Path(folder) / sample("004").name, Path(folder) / "renamed.txt")
    result = make_brief([folder], as_of=AS_OF)
    changes = manifest.compare(before, result)
    title = next(a.title for a in result.corpus.articles if a.path == str(edited))
    assert changes.articles_changed == [title]
    assert changes.articles_added == changes.articles_removed == []
    assert changes.lines()[0] == f"1 article changed: “{title}”"


def test_the_summary_lines_name_a_few_and_count_the_rest():
    changes = Changes(
        since=EARLIER,
        articles_added=["A", "B", "C", "D", "E"],
        articles_removed=["Old"],
        new_findings={3, 4, 9},
        new_watch=1,
        now_passed=["Talks " + "and more talks " * 10],
    )
    assert changes.lines() == [
        "5 articles added: “A”, “B”, “C” and 2 more",
        "1 article removed: “Old”",
        "3 new findings",
        "1 new watch item",
        "1 watch item now passed: “Talks and more talks and more talks and more talks…”",
    ]


# ---------------------------------------------------------------- what a manifest holds


def test_a_manifest_keeps_articles_findings_watch_items_and_the_brief(folders):
    result = run(folders["after"])
    kept = manifest.build(result, "analyst", [folders["after"] + "/"], EARLIER)
    assert kept.version == SCHEMA_VERSION and kept.as_of == AS_OF
    assert kept.paths == [os.path.realpath(folders["after"])]
    for entry, article in zip(kept.articles, result.corpus.articles):
        assert entry.sha256 == hashlib.sha256(article.text.encode("utf-8")).hexdigest()
    assert len(kept.findings) == len(result.corpus.digest.findings)
    evidence = [e for f in kept.findings for e in f.evidence]
    assert evidence and all(e == " ".join(e.split()).casefold() for e in evidence)
    buckets = [w.bucket for w in kept.watch]
    assert buckets.count("upcoming") == len(result.watch.upcoming) > 0
    # Nothing dated has passed by 20 October: the past "2020" is no watch item at all.
    assert buckets.count("passed") == len(result.watch.passed) == 0
    assert Brief.model_validate(kept.brief) == result.brief
    with pytest.raises(ValidationError, match="timezone-aware"):
        manifest.build(result, "analyst", [folders["after"]], dt.datetime(2025, 11, 22))


# ---------------------------------------------------------------- storage


def small(paths: list[str], audience: str = "exec", minute: int = 0) -> Manifest:
    return Manifest(
        created=dt.datetime(2025, 11, 22, 14, minute, 5, 250, tzinfo=UTC),
        audience=audience,
        as_of=AS_OF,
        paths=paths,
        articles=[],
        findings=[],
        watch=[],
        brief={},
    )


def test_save_and_latest_round_trip_choosing_the_newest(tmp_path):
    state, paths = tmp_path / "state", [str(tmp_path / "news")]
    saved = {m: manifest.save(state, small(paths, minute=m)) for m in (7, 30, 2)}
    key = manifest.corpus_key(paths)
    assert saved[30] == state / "manifests" / key / "exec" / "20251122T143005000250Z.json"
    assert json.loads(saved[30].read_text(encoding="utf-8"))["audience"] == "exec"
    assert sorted(p.name for p in saved[30].parent.iterdir()) == sorted(
        p.name for p in saved.values()
    )
    assert manifest.latest(state, paths, "exec") == small(paths, minute=30)


def test_latest_skips_damaged_and_other_version_files(tmp_path):
    state, paths = tmp_path / "state", [str(tmp_path / "news")]
    assert manifest.latest(state, paths, "exec") is None
    manifest.save(state, small(paths, minute=1))
    newest = manifest.save(state, small(paths, minute=3))
    other = small(paths, minute=5).model_dump(mode="json") | {"version": "0"}
    (newest.parent / "20251122T150000000000Z.json").write_text(json.dumps(other))
    (newest.parent / "20251122T160000000000Z.json").write_text('{"version": "1", "cr')
    (newest.parent / "20251122T170000000000Z.json").write_bytes(b"\xff\xfe\x00")
    assert manifest.latest(state, paths, "exec") == small(paths, minute=3)
    newest.write_text("[]")
    assert manifest.latest(state, paths, "exec") == small(paths, minute=1)


def test_corpus_key_separates_folders_and_audiences(tmp_path, monkeypatch):
    news, other = tmp_path / "news", tmp_path / "other"
    news.mkdir(), other.mkdir()
    (tmp_path / "link").symlink_to(news)
    monkeypatch.chdir(tmp_path)
    key = manifest.corpus_key([str(news)])
    assert key == manifest.corpus_key(["news"]) == manifest.corpus_key(["./news/", "link"])
    assert manifest.corpus_key([str(news), str(other)]) == manifest.corpus_key(["other", "news"])
    assert len({key, manifest.corpus_key(["other"]), manifest.corpus_key(["news", "other"])}) == 3
    state = tmp_path / "state"
    manifest.save(state, small([str(news)], "exec"))
    assert manifest.latest(state, ["news"], "exec") is not None
    assert manifest.latest(state, ["news"], "newsletter") is None
    assert manifest.latest(state, ["other"], "exec") is None


def test_prune_keeps_the_newest_of_each_corpus_and_audience(tmp_path):
    state = tmp_path / "state"
    a, b = [str(tmp_path / "a")], [str(tmp_path / "b")]
    for minute in range(5):
        manifest.save(state, small(a, "exec", minute))
    for minute in range(3):
        manifest.save(state, small(a, "newsletter", minute))
    for minute in range(2):
        manifest.save(state, small(b, "exec", minute))
    assert manifest.count(state) == 10
    assert manifest.prune(state, keep=2) == 3 + 1 + 0
    assert manifest.count(state) == 6
    assert manifest.latest(state, a, "exec") == small(a, "exec", 4)
    left = sorted(p.name[11:13] for p in (state / "manifests").rglob("*.json"))
    assert left == ["00", "01", "01", "02", "03", "04"]
    assert manifest.prune(state, keep=2) == 0
    assert manifest.prune(state, keep=0) == 6 and manifest.latest(state, b, "exec") is None


def test_a_failed_save_raises_oserror(tmp_path):
    state = tmp_path / "state"
    state.write_text("a file where the state folder should be")
    with pytest.raises(OSError):
        manifest.save(state, small([str(tmp_path)]))


# ---------------------------------------------------------------- how briefs show it

MARKER = {"md": "**New**", "html": ">New</span>"}


def shown_points(brief: Brief) -> list:
    audience = brief.audience
    body = brief.key_points
    if audience == "newsletter":
        body = [p for s in brief.sections for p in s.points] or brief.key_points
    extra = brief.single_source if audience == "analyst" else []
    return [*brief.bottom_line, *body, *extra, *brief.watch]


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_briefs_mark_new_items_and_say_since_when(folders, audience, fmt):
    result, _ = marked(folders, audience)
    text = render_brief(result.brief, fmt)
    new = [p for p in shown_points(result.brief) if p.new]
    assert new and text.count(MARKER[fmt]) == len(new)
    # The newsletter tells readers what it tags New, not the producer's article and findings
    # counts (tests/test_newsletter.py).
    said = "1 new point" if audience == "newsletter" else "1 article added"
    assert "Sat 22 Nov 2025, 14:05 UTC" in text and said in text
    if fmt == "md":
        lines = text.splitlines()
        # Under the headline: its date (newsletter) and its own sources' line, then this.
        opens = "_New since the last issue" if audience == "newsletter" else "_Since the last brief"
        (since,) = [ln for ln in lines[:10] if ln.startswith(opens)]
        assert since.startswith(f"{opens} (Sat 22 Nov 2025, 14:05 UTC): ")
        listed = [p for p in shown_points(result.brief) if isinstance(p, KeyPoint)]
        for point in listed[len(result.brief.bottom_line) :]:
            # A point is shown with its relative dates made absolute (dated_text).
            shown = point.dated_text or point.text
            (line,) = [ln for ln in lines if ln.startswith(f"- {md(shown)} [")]
            assert (MARKER["md"] in line) == point.new, point.text


@pytest.mark.parametrize("fmt", ["md", "html"])
@pytest.mark.parametrize("audience", AUDIENCES)
def test_briefs_show_no_marks_on_a_first_run(folders, audience, fmt):
    result = run(folders["after"], audience)
    manifest.mark(result, manifest.compare(None, result))
    text = render_brief(result.brief, fmt)
    assert MARKER[fmt] not in text and "since the last brief" not in text.lower()


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_a_brief_with_nothing_new_is_the_brief_a_first_run_makes(folders, fmt):
    # The same articles make the same brief: no tag, no line (stderr says "nothing new").
    result = run(folders["after"], "exec")
    changes = manifest.compare(previous(folders["after"], "exec"), result)
    manifest.mark(result, changes)
    assert changes.since is not None and changes.lines() == []
    text = render_brief(result.brief, fmt)
    assert MARKER[fmt] not in text
    assert "since the last brief" not in text.lower()
    first = run(folders["after"], "exec")
    first.brief.provenance.generated_at = result.brief.provenance.generated_at
    assert render_brief(first.brief, fmt) == text
