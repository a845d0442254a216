"""Stories sorted out of one feed: the grouping (stories.py, linkage.py), `briefgen stories`,
`make --by-story` and the warning `make` gives a folder of several stories.

The feed here is written by the test: two stories of three articles each (a harbour plan, a
glacier's retreat), told in different words but with the same names, and one article on
nothing else (a chess tournament). The sample corpus must stay one story.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re

import pytest
from conftest import SAMPLE

from briefgen import by_story, linkage, stories
from briefgen.cli import main
from briefgen.ingest import load
from briefgen.schema import Article, Brief

HARBOUR = [
    (
        "Northport council backs harbour plan",
        "2025-10-20",
        "The Northport city council approved the harbour redevelopment plan in a first vote on "
        "Monday. Councillors argued for hours about the cost of dredging the port district and "
        "the 300 jobs the harbour plan promises. Mayor Jane Holt called the vote a turning point "
        "for the waterfront. A second vote on the harbour budget is due in November.",
    ),
    (
        "Mayor Holt defends cost of Northport harbour",
        "2025-10-21",
        "Mayor Jane Holt said on Tuesday that the harbour redevelopment would pay for itself. "
        "Critics on the Northport council say the dredging of the port district could cost twice "
        "the estimate. Holt told reporters the harbour plan would bring 300 jobs to the "
        "waterfront and new ferry berths.",
    ),
    (
        "Dredging firms bid for Northport harbour works",
        "2025-10-24",
        "Three dredging firms have bid to deepen the Northport harbour, the port authority said. "
        "The works are the first stage of the harbour redevelopment the council approved this "
        "week. Mayor Jane Holt expects the contract to be signed before the council's second "
        "vote on the harbour budget.",
    ),
]
GLACIER = [
    (
        "Morteratsch glacier retreats a record 90 metres",
        "2025-09-02",
        "The Morteratsch glacier above Pontresina lost a record 90 metres of length this summer, "
        "glaciologists from the Swiss monitoring network said. Meltwater from the glacier filled "
        "the valley's streams for weeks. The retreat was measured with stakes drilled into the "
        "ice in spring.",
    ),
    (
        "Pontresina guides mark the shrinking Morteratsch ice",
        "2025-09-05",
        "Mountain guides in Pontresina have put up signs showing where the Morteratsch glacier "
        "ended in past decades. The glaciologists who measure the ice say the glacier's tongue is "
        "thinning faster than its length shows. Meltwater ponds now lie where visitors walked "
        "on ice ten years ago.",
    ),
    (
        "Glaciologists warn Morteratsch may split",
        "2025-09-09",
        "The Morteratsch glacier could split from its tributary within a decade, glaciologists "
        "of the Swiss monitoring network warned. Their stakes in the ice showed the worst summer "
        "melt on record. Pontresina depends on the glacier for visitors and meltwater.",
    ),
]
LONE = ("Reykjavik chess open ends in a draw", "2025-09-30",
        "The final round of the Reykjavik chess open ended with a quiet draw between the two "
        "leaders, who shared first prize. A teenager from Oslo finished third after a sharp "
        "Sicilian defence in the last game.")  # fmt: skip


def write(folder, items, prefix) -> None:
    for k, (title, date, text) in enumerate(items):
        (folder / f"{prefix}{k}.md").write_text(
            f"---\ntitle: {title}\npublished: {date}\n---\n\n{text}\n", encoding="utf-8"
        )


@pytest.fixture(scope="module")
def feed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("feed")
    write(folder, HARBOUR, "harbour")
    write(folder, GLACIER, "glacier")
    write(folder, [LONE], "chess")
    return folder


@pytest.fixture(scope="module")
def feed_articles(feed):
    return load([str(feed)]).articles


def titles(story) -> set[str]:
    return {a.title for a in story.articles}


# ---------------------------------------------------------------- the grouping


def test_two_stories_and_the_article_that_fits_neither(feed_articles):
    listing = stories.group(feed_articles)
    assert sorted(map(titles, listing.stories), key=sorted) == sorted(
        [{t for t, _, _ in GLACIER}, {t for t, _, _ in HARBOUR}], key=sorted
    )
    assert [a.title for a in listing.unsorted] == [LONE[0]]
    for story in listing.stories:
        assert story.title in titles(story)  # its most central article's title
        dates = [a.date for a in story.articles]
        assert dates == sorted(dates)  # oldest first
        assert (story.first, story.last) == (dates[0], dates[-1])
    glacier = next(s for s in listing.stories if "morteratsch" in s.terms)
    assert glacier.first == dt.date(2025, 9, 2) and glacier.last == dt.date(2025, 9, 9)


def test_dates_are_those_given_not_the_clock(feed_articles):
    refs = {a.id: (dt.date(2001, 1, 1 + k), "test") for k, a in enumerate(feed_articles)}
    listing = stories.group(feed_articles, references=refs)
    for story in listing.stories:
        assert {a.date for a in story.articles} <= {d for d, _ in refs.values()}


def test_copies_start_together_and_are_never_split(feed_articles):
    # At a threshold nothing reaches, only what starts together is a story.
    a, b = feed_articles[0], feed_articles[-1]
    listing = stories.group(feed_articles, copies={b.id: a.id}, threshold=1.01)
    assert [{x.id for x in s.articles} for s in listing.stories] == [{a.id, b.id}]
    assert len(listing.unsorted) == len(feed_articles) - 2


def test_the_sample_corpus_is_one_story():
    articles = load([str(SAMPLE)]).articles
    listing = stories.group(articles)
    assert len(listing.stories) == 1 and not listing.unsorted
    assert len(listing.stories[0].articles) == len(articles)
    assert stories.mixed_warning(articles) is None


def test_the_warning_names_the_stories_and_how_to_split(feed_articles):
    warning = stories.mixed_warning(feed_articles)
    assert warning and "2 stories" in warning
    assert "briefgen stories" in warning and "--by-story" in warning


def _topic_docs(seed: int, per_topic: int, topics: int) -> tuple[list[dict], list[int]]:
    """Random documents: each draws most words from its topic's vocabulary, the rest from a
    vocabulary every topic shares (the general words of news)."""
    rng = random.Random(seed)
    common = [f"common{i}" for i in range(300)]
    docs, truth = [], []
    for t in range(topics):
        own = [f"t{t}w{i}" for i in range(40)]
        for _ in range(per_topic):
            words = rng.choices(own, k=rng.randint(15, 40)) + rng.choices(common, k=60)
            docs.append(words)
            truth.append(t)
    return linkage.tfidf(docs), truth


def partition(labels) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for i, x in enumerate(labels):
        groups.setdefault(x, set()).add(i)
    return {frozenset(g) for g in groups.values()}


@pytest.mark.parametrize("threshold", [0.02, 0.05, 0.1, 0.2])
def test_the_sparse_rounds_give_the_clusters_of_every_pair_compared(monkeypatch, threshold):
    vectors, _ = _topic_docs(seed=7, per_topic=15, topics=5)
    monkeypatch.setattr(linkage, "EXACT_BELOW", 10**6)
    exact = linkage.average_linkage(vectors, range(len(vectors)), threshold)
    monkeypatch.setattr(linkage, "EXACT_BELOW", 0)
    sparse = linkage.average_linkage(vectors, range(len(vectors)), threshold)
    assert partition(sparse) == partition(exact)


def test_average_linkage_is_scikit_learns(monkeypatch):
    cluster = pytest.importorskip("sklearn.cluster")
    vectors, _ = _topic_docs(seed=3, per_topic=8, topics=4)
    vocab = sorted({t for v in vectors for t in v})
    dense = [[v.get(t, 0.0) for t in vocab] for v in vectors]
    for threshold in (0.05, 0.15, 0.3):
        theirs = cluster.AgglomerativeClustering(
            n_clusters=None, distance_threshold=1 - threshold, metric="cosine", linkage="average"
        ).fit_predict(dense)
        monkeypatch.setattr(linkage, "EXACT_BELOW", 10**6)
        assert partition(linkage.average_linkage(vectors, range(len(vectors)), threshold)) == (
            partition(theirs)
        )


def test_slugs_are_safe_file_names_and_unique():
    names = stories.unique_slugs(["Trump & Xi: talks / \"tariffs\"", "Trump & Xi: talks",
                                  "../etc/passwd", "Zürich café ☕", "☕", ""])  # fmt: skip
    assert names[:2] == ["trump-xi-talks-tariffs", "trump-xi-talks"]
    assert names[2] == "etc-passwd" and names[3] == "zurich-cafe"
    assert names[4:] == ["story", "story-2"]
    for n in names:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", n) and len(n) <= stories.SLUG_CHARS
    long = stories.slug("word " * 50)
    assert len(long) <= stories.SLUG_CHARS and not long.endswith("-")


def test_shifted_raises_every_source_number(runner, tmp_path):
    r = runner.invoke(main, ["make", "-a", "newsletter", "-f", "json", str(SAMPLE)])
    brief = Brief.model_validate_json(r.stdout)
    moved = by_story.shifted(brief, 10)
    assert [s.n for s in moved.sources] == [s.n + 10 for s in brief.sources]
    for before, after in zip(
        brief.key_points + brief.bottom_line, moved.key_points + moved.bottom_line
    ):
        assert after.citations == [n + 10 for n in before.citations]
        assert after.text == before.text


# ---------------------------------------------------------------- the command line


def run(runner, *args, code=0):
    r = runner.invoke(main, [str(a) for a in args])
    assert r.exit_code == code, r.stderr
    return r


def test_stories_table_lists_each_story_and_what_fits_none(runner, feed):
    out = run(runner, "stories", feed).stdout
    assert re.search(r"^1\. .+\(3 articles, 2025-\d\d-\d\d to 2025-\d\d-\d\d\)$", out, re.M)
    assert re.search(r"^2\. .+\(3 articles", out, re.M)
    assert "fit no story (1):" in out and LONE[0] in out


def test_stories_json_carries_its_version_and_every_article_once(runner, feed, feed_articles):
    listing = stories.StoriesListing.model_validate_json(
        run(runner, "stories", "-f", "json", feed).stdout
    )
    assert listing.schema_version.startswith("2.")
    ids = [a.id for s in listing.stories for a in s.articles] + [a.id for a in listing.unsorted]
    assert sorted(ids) == sorted(a.id for a in feed_articles)
    assert len({s.slug for s in listing.stories}) == len(listing.stories)


def test_make_warns_of_a_mixed_folder_without_changing_the_brief(runner, feed, monkeypatch):
    warned = run(runner, "make", "-f", "json", feed)
    assert "briefgen: warning: these articles hold 2 stories" in warned.stderr
    assert "briefgen stories" in warned.stderr and "--by-story" in warned.stderr
    monkeypatch.setattr(stories, "mixed_warning", lambda *a, **k: None)
    quiet = run(runner, "make", "-f", "json", feed)
    assert "stories" not in quiet.stderr

    def brief(text):
        data = json.loads(text)
        data["provenance"].pop("generated_at")
        return data

    assert brief(warned.stdout) == brief(quiet.stdout)


def test_make_on_the_sample_corpus_gives_no_warning(runner):
    r = run(runner, "make", SAMPLE)
    assert "stories" not in r.stderr and "warning" not in r.stderr


def test_make_by_story_writes_a_file_named_after_each_story(runner, feed, tmp_path):
    out = tmp_path / "briefs"
    r = run(runner, "make", "--by-story", "-o", out, feed)
    listing = stories.group(load([str(feed)]).articles)
    assert sorted(p.name for p in out.iterdir()) == sorted(f"{s.slug}.md" for s in listing.stories)
    for story in listing.stories:
        text = (out / f"{story.slug}.md").read_text(encoding="utf-8")
        assert all(a.title in text for a in story.articles)
        assert LONE[0] not in text
    assert f"fits no story, not briefed: {feed / 'chess0.md'}" in r.stderr
    run(runner, "make", "--by-story", "-q", "-f", "json", "-o", out, feed)
    for story in listing.stories:
        brief = Brief.model_validate_json((out / f"{story.slug}.json").read_text("utf-8"))
        # its own sources, numbered from [1], and only its own articles
        assert [s.n for s in brief.sources] == list(range(1, len(story.articles) + 1))
        assert {s.title for s in brief.sources} == titles(story)
        assert all(n <= len(story.articles) for p in brief.key_points for n in p.citations)


def test_make_by_story_merges_and_checks_each_story_never_the_whole_feed(
    runner, feed, tmp_path, monkeypatch
):
    # Issue 16: the whole feed's merge and off-topic check were made and thrown away, a
    # sixth of a 3,000-article run. Each is now made once per story, on its articles alone.
    from briefgen import corpus

    merged, checked = [], []
    real_merge, real_check = corpus.merge, corpus.find_off_topic
    monkeypatch.setattr(corpus, "merge", lambda a, *r: merged.append(len(a)) or real_merge(a, *r))
    monkeypatch.setattr(corpus, "find_off_topic", lambda a: checked.append(len(a)) or real_check(a))
    run(runner, "make", "--by-story", "-q", "-o", tmp_path / "briefs", feed)
    assert sorted(merged) == sorted(checked) == [len(HARBOUR), len(GLACIER)]


def test_a_dry_run_by_story_plans_one_synthesis_per_story(runner, feed, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-dry-run")
    model = ["--dry-run", "--model", "gpt-4o-mini", feed]
    whole = run(runner, "make", *model).stdout
    each = run(runner, "make", "--by-story", *model).stdout
    synthesis = re.compile(r"synthesis\s+(\d+)\s")
    # The two stories' briefs, not one of the whole feed; the chess article is not briefed.
    assert synthesis.search(whole)[1] == "1" and synthesis.search(each)[1] == "2"
    extract = re.compile(r"extract\s+(\d+)\s")
    assert extract.search(whole)[1] == extract.search(each)[1]  # every article is read


def test_make_by_story_html_needs_a_folder(runner, feed):
    r = run(runner, "make", "--by-story", "-f", "html", feed, code=2)
    assert "give -o DIR" in r.stderr


def test_make_by_story_without_o_puts_the_briefs_under_headings(runner, feed):
    out = run(runner, "make", "--by-story", "-q", feed).stdout
    assert len(re.findall(r"^Story \d of 2: ", out, re.M)) == 2
    data = json.loads(run(runner, "make", "--by-story", "-q", "-f", "json", feed).stdout)
    assert [Brief.model_validate(b).audience for b in data] == ["exec", "exec"]


def test_the_newsletter_by_story_is_one_issue_with_a_section_per_story(runner, feed):
    text = run(runner, "make", "--by-story", "-q", "-a", "newsletter", feed).stdout
    listing = stories.group(load([str(feed)]).articles)
    for story in listing.stories:
        assert re.search(rf"^## {re.escape(story.title)}$", text, re.M)
    data = json.loads(
        run(runner, "make", "--by-story", "-q", "-a", "newsletter", "-f", "json", feed).stdout
    )
    brief = Brief.model_validate(data)
    assert [s.n for s in brief.sources] == list(range(1, 7))  # one numbering for the issue
    titled = {s.n: s.title for s in brief.sources}
    for section, story in zip(brief.sections, listing.stories):
        assert section.heading == story.title
        for point in section.points:  # every citation names an article of its story
            assert {titled[n] for n in point.citations} <= titles(story)


def test_an_article_list_of_one_story_is_not_split_by_the_titles(feed_articles):
    # The same texts under unrelated titles still group by what they say.
    renamed = [
        Article(**{**a.model_dump(), "title": f"Item {k}"}) for k, a in enumerate(feed_articles)
    ]
    assert len(stories.group(renamed).stories) == 2


def test_stories_json_is_valid_against_the_published_schema(runner, feed):
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(run(runner, "schema", "stories").stdout)
    document = json.loads(run(runner, "stories", "-f", "json", feed).stdout)
    jsonschema.validate(document, schema)
    document["stories"][0]["surprise"] = 1  # the schema is exact: no key it does not name
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, schema)


# ---------------------------------------------------------------- with a model


@pytest.mark.block_network(allowed_hosts=["127.0.0.1"])
def test_make_by_story_with_a_model_caches_every_call_and_logs_the_run(runner, feed, tmp_path):
    """Each story's synthesis is a model call like the map calls: cached, so a re-run asks
    nothing, and the run's calls, tokens and cost are said and kept in the run log."""
    import sqlite3

    from test_servers import Server

    state = tmp_path / "state"
    env = {"OPENAI_API_KEY": None, "BRIEFGEN_API_KEY": None, "OPENAI_BASE_URL": None,
           "BRIEFGEN_BASE_URL": None}  # fmt: skip
    with Server(delay=0) as server:
        args = ["make", "--by-story", "--engine", "llm", "--base-url", server.url, "--model", "m",
                "--cache", str(state), "-f", "json", str(feed)]  # fmt: skip
        first = runner.invoke(main, args, env=env)
        assert first.exit_code == 0, first.stderr
        asked = server.chats
        again = runner.invoke(main, args, env=env)
        assert again.exit_code == 0, again.stderr
        assert server.chats == asked, "a re-run of the same feed asked the model again"
    stories_made = len(json.loads(first.stdout))
    # a map call per chunk, then one synthesis per story
    assert asked > stories_made >= 2
    assert f"{asked} calls ({asked} new, 0 cached)" in first.stderr
    assert f"{asked} calls (0 new, {asked} cached)" in again.stderr
    assert "not cached" not in first.stderr + again.stderr
    (log,) = state.rglob("log.db")
    with sqlite3.connect(log) as conn:
        runs = conn.execute("SELECT COUNT(*) FROM runs").fetchone()[0]
        calls = conn.execute("SELECT COUNT(*) FROM calls").fetchone()[0]
    assert runs == 2 and calls == 2 * asked


HARBOUR_LATER = (
    "Northport council passes harbour budget in second vote",
    "2025-11-12",
    "The Northport council passed the harbour budget in its second vote on Wednesday, clearing "
    "the way for the dredging of the port district. Mayor Jane Holt said the harbour works "
    "would start in March. The winning dredging firm will deepen the harbour by four metres.",
)


def _new_points(brief: Brief) -> list[str]:
    """The texts of everything the brief marks new: its points, wherever they stand, and
    its watch items."""
    found = []

    def walk(value):
        if isinstance(value, dict):
            if value.get("new"):
                found.append(value.get("text") or value.get("description") or "")
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(brief.model_dump())
    return found


def test_each_story_s_brief_marks_what_is_new_since_that_story_s_last_brief(runner, tmp_path):
    """A feed's stories are recorded one by one (-o DIR): a day later, with one more harbour
    article, the harbour brief marks what that article brings, the glacier brief marks
    nothing, and `history` lists every story's briefs."""
    feed = tmp_path / "feed"
    feed.mkdir()
    write(feed, HARBOUR, "harbour")
    write(feed, GLACIER, "glacier")
    out = tmp_path / "briefs"
    state = tmp_path / "state"

    def briefs():
        """The analyst briefs by story, recorded in `state`, and what the run said."""
        r = run(runner, "make", "--by-story", "-a", "analyst", "-f", "json",
                "--cache", state, "-o", out, feed)  # fmt: skip
        return {p.name: Brief.model_validate_json(p.read_text("utf-8")) for p in out.iterdir()}, r

    first, _ = briefs()
    assert len(first) == 2 and not any(_new_points(b) for b in first.values())

    write(feed, [HARBOUR_LATER], "harbour_later")
    again, r = briefs()
    harbour = next(b for b in again.values() if any("harbour" in s.title for s in b.sources))
    glacier = next(b for b in again.values() if b is not harbour)
    assert _new_points(harbour) and all(
        any(w in t for w in ("second vote", "March", "four metres", "budget"))
        for t in _new_points(harbour)
    ), _new_points(harbour)
    assert not _new_points(glacier)
    assert "1 article added: “Northport council passes harbour budget" in r.stderr

    listed = json.loads(run(runner, "history", "--json", "--cache", state, feed).stdout)
    keys = [b["story"] for b in listed["briefs"]]
    # The glacier's second brief is the same edition as its first: not recorded twice. The
    # harbour story keeps its key though a newer article now leads it.
    assert None not in keys and len(set(keys)) == 2
    assert keys.count(keys[0]) == 2  # the newest, the harbour's, and its first


def test_a_story_continues_the_recorded_story_it_mostly_shares_whatever_its_title(tmp_path):
    from types import SimpleNamespace

    from briefgen import manifest, story_history

    paths = [str(tmp_path / "feed")]

    def kept(key: str, ids: list[str]) -> None:
        manifest.save(
            tmp_path,
            manifest.Manifest(
                created=dt.datetime(2025, 10, 1, tzinfo=dt.timezone.utc),
                audience="exec",
                as_of=dt.date(2025, 10, 1),
                paths=paths,
                articles=[
                    manifest.ManifestArticle(id=i, path=f"{i}.md", title=i, sha256="0") for i in ids
                ],
                findings=[],
                watch=[],
                brief={},
                story=key,
            ),
        )

    def story(slug: str, ids: list[str]):
        return SimpleNamespace(slug=slug, articles=[SimpleNamespace(id=i) for i in ids])

    kept("harbour-plan", ["h1", "h2", "h3"])
    kept("glacier", ["g1", "g2", "g3"])
    today = [
        story("council-passes-budget", ["h1", "h2", "h3", "h4"]),  # grew, new lead title
        story("glacier", ["x1", "x2", "x3", "g1"]),  # one of the glacier's three: not enough
        story("chess", ["c1", "c2"]),
    ]
    keys = story_history.story_keys(tmp_path, paths, "exec", today)
    assert keys == ["harbour-plan", "glacier-2", "chess"]
