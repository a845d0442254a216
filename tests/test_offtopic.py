"""Off-topic articles, passages and the writer's asides (briefgen.offtopic): found against the
other articles, listed in the analyst brief, never written from."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.corpus_dates import build_watchlist
from briefgen.ingest import load
from briefgen.offtopic import find_off_topic, without_off_topic
from briefgen.pipeline import make_brief, read_corpus
from briefgen.render import render_brief

# Four reports of one story, worded apart, and one of another story swept into the folder.
STRIKE = [
    "Dockworkers at the port of Rotterdam walked out on Monday after wage talks with the "
    "terminal operators broke down, leaving dozens of container ships waiting offshore.\n\n"
    "The union said its members would stay out until the operators raised their offer of a "
    "four percent pay rise over two years.\n\n"
    "The operators said the strike was costing the port millions of euros a day and urged "
    "the union to return to the table.",
    "Container traffic through Rotterdam, Europe's busiest port, ground to a halt as "
    "dockworkers began an open-ended strike over pay.\n\n"
    "Shipping lines diverted vessels to Antwerp and Hamburg, and freight forwarders warned "
    "of delays for retailers before the holiday season.\n\n"
    "The union wants a six percent pay rise, while the terminal operators have offered four "
    "percent over two years.",
    "Talks between the dockworkers' union and Rotterdam's terminal operators resumed on "
    "Wednesday under a government mediator, the port authority said.\n\n"
    "The mediator said both sides had agreed to meet daily until a deal on wages was "
    "reached, and that the strike would go on in the meantime.\n\n"
    "More than forty container ships were anchored off the port on Wednesday, the port "
    "authority said.",
    "The strike at the port of Rotterdam entered its third day on Wednesday, with container "
    "ships queuing at sea and terminals idle.\n\n"
    "Dockworkers picketed the terminal gates while union leaders met the operators and a "
    "government mediator to discuss the wage offer.\n\n"
    # An opinion column's parable: three sentences that share nothing with the story.
    "Once a farmer lost his old donkey down a dry well behind the barn in the hills. "
    "The villagers came with shovels and threw earth onto the animal until it climbed out. "
    "Every clod of earth became a step for the patient creature under the moonlight. "
    "Analysts said the operators could raise their wage offer to end the strike at the port "
    "within days.",
]
FOOTBALL = (
    "Rovers reached the cup final on Saturday after a stoppage-time header from their captain "
    "settled a tense semi-final against United.\n\n"
    "The home side dominated possession in the first half, but the visiting goalkeeper made "
    "three fine saves before the interval.\n\n"
    "Supporters poured onto the pitch at the final whistle, and the club said the final would "
    "be played at the national stadium next month."
)
PARABLE = "Once a farmer lost his old donkey down a dry well behind the barn in the hills."


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for i, text in enumerate(STRIKE):
        (tmp_path / f"strike{i}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "football.txt").write_text(FOOTBALL, encoding="utf-8")
    return tmp_path


def _articles(folder: Path):
    return load([str(folder)]).articles


def test_an_article_on_another_story_is_off_topic_and_the_others_are_not(folder):
    articles = _articles(folder)
    found = find_off_topic(articles)
    football = next(a for a in articles if "Rovers" in a.text)
    assert set(found.articles) == {football.id}
    assert "share little" in found.articles[football.id]


def test_no_article_is_off_topic_in_a_corpus_of_one_story(sample_dir):
    assert find_off_topic(load([sample_dir]).articles).articles == {}


def test_too_few_articles_to_judge_are_never_off_topic(folder):
    articles = [a for a in _articles(folder) if "Rovers" in a.text or "Antwerp" in a.text]
    assert find_off_topic(articles).articles == {}


def test_a_parable_inside_an_article_on_the_story_is_an_off_topic_passage(folder):
    articles = _articles(folder)
    column = next(a for a in articles if PARABLE in a.text)
    found = find_off_topic(articles)
    passages = [column.text[s:e] for s, e, _ in found.passages.get(column.id, [])]
    assert any(PARABLE in p and "moonlight" in p for p in passages)
    # The story's own sentences around it stay.
    assert not any("Analysts said the operators" in p for p in passages)
    assert not any("Dockworkers picketed" in p for p in passages)
    # No passage in the reports that stay on the story.
    others = [a for a in articles if a is not column and "Rovers" not in a.text]
    assert not any(found.passages.get(a.id) for a in others)


def test_the_writers_first_person_aside_is_flagged_and_quotations_are_not(tmp_path):
    aside = "I am not a regular viewer of the show, but I watched it last night with friends."
    lines = [
        STRIKE[0],
        aside,
        "“I will not accept four percent,” a dockworker said at the gate.",
        "The union leader said: “My members are angry. I have never seen them like this.",
        "“We want a fair deal and I think we will get one,” she added.",
        "The talks fall under Annex I of the port's collective agreement, officials said.",
    ]
    (tmp_path / "a.txt").write_text("\n\n".join(lines), encoding="utf-8")
    article = load([str(tmp_path / "a.txt")]).articles[0]
    found = find_off_topic([article])  # asides need no other article to be seen
    flagged = [article.text[s:e] for s, e, _ in found.passages.get(article.id, [])]
    assert flagged == [aside]


def test_findings_resting_only_on_off_topic_text_are_not_written_from(folder):
    corpus = read_corpus([str(folder)])
    kept = without_off_topic(corpus.digest, corpus.off_topic)
    texts = [f.text for f in kept.findings]
    assert not any("Rovers" in t or "goalkeeper" in t for t in texts)
    assert not any("donkey" in t or "villagers" in t for t in texts)
    assert any("Rotterdam" in t for t in texts)
    # The digest itself is untouched, so what cites a finding left out still resolves.
    assert any("Rovers" in f.text for f in corpus.digest.findings)


@pytest.mark.parametrize("audience", ["exec", "analyst"])
def test_the_brief_lists_the_off_topic_article_and_makes_no_point_of_it(folder, audience):
    result = make_brief([str(folder)], audience=audience)
    brief = result.brief
    football = next(s for s in brief.sources if s.title.startswith("Rovers"))
    assert [(a.citation, a.title) for a in brief.off_topic] == [(football.n, football.title)]
    shown = [brief.headline, *(p.text for p in brief.bottom_line + brief.key_points)]
    assert not any("Rovers" in t or "donkey" in t for t in shown)
    for point in brief.bottom_line + brief.key_points:
        assert football.n not in point.citations

    # Its dated event ("next month") is read, but not put on the watch list.
    def citing_football(watch):
        items = [*watch.upcoming, *watch.unresolved, *watch.passed, *watch.settled]
        return [item for item in items if football.n in item.citations]

    assert not citing_football(result.watch)
    result.corpus.off_topic = None  # the same corpus, were nothing off the story
    assert citing_football(build_watchlist(result.corpus, brief.provenance.as_of))
    if audience == "analyst":
        md = render_brief(brief, "md")
        assert "## Off-topic articles" in md
        assert f"- [{football.n}] **{football.title}**" in md
        html = render_brief(brief, "html")
        assert "Off-topic articles</h2>" in html and "share little" in html


def test_no_off_topic_section_when_every_article_is_on_the_story(sample_dir):
    brief = make_brief([sample_dir], audience="analyst").brief
    assert brief.off_topic == []
    assert "Off-topic" not in render_brief(brief, "md")
