"""Merging notes across articles: corroboration, single-source findings, conflicts, quotes, entities."""

from __future__ import annotations

from briefgen import agreement
from briefgen import merge as merge_module
from briefgen.chunking import chunk_article
from briefgen.engines.extractive import ExtractiveEngine
from briefgen.merge import merge
from briefgen.schema import Article


def _article(aid: str, text: str) -> Article:
    return Article(id=aid, title=aid, text=text, path=f"{aid}.txt")


def _digest(*texts: str):
    engine = ExtractiveEngine()
    articles = [_article(f"a{i}", t) for i, t in enumerate(texts)]
    notes = [engine.extract(c, a) for a in articles for c in chunk_article(a)]
    return articles, merge(articles, notes)


def _finding_with(digest, words: str):
    return next(f for f in digest.findings if words in f.text)


def test_same_fact_in_other_words_is_one_finding_citing_both():
    _, d = _digest(
        "Beijing will delay its rare earth export regime by one year, officials said on Sunday. "
        "The weather in the capital was mild.",
        "Officials confirmed that China agreed to delay the proposed rare earth export controls by one year. "
        "Stock markets rose slightly on the news.",
    )
    f = _finding_with(d, "rare earth")
    assert sorted(f.article_ids) == ["a0", "a1"]
    assert f.corroboration == 2 and not f.single_source
    # Each supporting article brings its own verbatim evidence.
    assert {e.article_id for e in f.evidence} == {"a0", "a1"}


def test_the_same_parties_named_in_another_order_are_one_finding():
    # Clauses keep their own "and": "China and the United States" names two parties, not one
    # party "China the United States" whom the other article never names.
    _, d = _digest(
        "China and the United States agreed on Friday to suspend new port fees on each other's "
        "ships for one year, officials from both countries said. The fees had raised costs.",
        "The United States and China agreed on Friday to suspend port fees on each other's ships "
        "for a year, the two governments said. Shipping lines welcomed the news.",
    )
    f = _finding_with(d, "port fees")
    assert sorted(f.article_ids) == ["a0", "a1"] and f.corroboration == 2


def test_clauses_are_the_sentence_as_written():
    text = "China and the United States agreed on Friday, after talks in Geneva, to pause the fees."
    clauses = [c for _, _, c in merge_module._clause_words(text)]
    # "after talks in Geneva" is too short to state a fact alone: it joins the next clause.
    assert clauses == [
        "China and the United States agreed on Friday",
        "after talks in Geneva, to pause the fees.",
    ]
    assert all(c in text for c in clauses)


def test_a_sentence_giving_another_count_of_the_same_thing_does_not_support():
    # One clause agrees ("carrying 65 people"), but the sentence gives 15 killed where the
    # finding says 12: cited for it, the reader would take both articles to say 12.
    _, d = _digest(
        "A passenger ferry carrying 65 people capsized off Bali on Monday, and at least 12 "
        "people were killed, the rescue agency said. Divers searched the wreck.",
        "The ferry that sank off Bali on Monday, killing at least 15 people, had been carrying "
        "65 people, officials said. The port reopened on Tuesday.",
    )
    f = _finding_with(d, "at least 12")
    assert f.article_ids == ["a0"]


def test_a_sentence_that_gives_the_same_figure_and_another_still_supports():
    # "an additional 100% tariff, on top of the current 55% tariffs": the 55% counts another
    # thing, and the 100% is the finding's.
    assert not agreement.figures_differ(
        "Trump's proposal for 100% tariffs on Chinese imports underscores his stance on trade.",
        "Trump vowed to impose an additional 100% tariff on Chinese goods, on top of the current "
        "55% tariffs.",
    )
    assert agreement.figures_differ(
        "At least 12 people were killed when the ferry sank.",
        "The ferry sank on Monday, killing at least 15 people.",
    )


def test_a_quarter_point_is_a_change_in_points_not_a_share():
    # Read as a share (25%), "a quarter point" contradicted the "4.5%" both sentences give.
    assert (
        agreement.judge(
            "The Bank of Norland raised its benchmark interest rate by a quarter point to 4.5%",
            "The Bank of Norland lifted interest rates to 4.5% on Thursday",
            "",
            "",
        )
        == "agree"
    )
    assert (
        agreement.judge(
            "rates rose by a quarter point", "rates rose by 0.25 percentage points", "", ""
        )
        == "agree"
    )
    assert (
        agreement.judge("rates rose by a quarter point", "rates rose by half a point", "", "")
        == "contradict"
    )
    # A share is still a share: "a quarter of voters" is 25% of them.
    assert agreement.judge("a quarter of voters backed it", "25% of voters backed it", "", "") == (
        "agree"
    )


def test_unrelated_claims_stay_single_source():
    _, d = _digest(
        "The central bank raised interest rates by half a point to fight inflation in March.",
        "A new football stadium opened in the northern city with forty thousand seats.",
    )
    assert all(f.single_source for f in d.findings)


def test_shared_names_alone_do_not_corroborate():
    _, d = _digest(
        "Treasury Secretary Scott Bessent and Vice Premier He Lifeng dined at a restaurant in Geneva last night.",
        "Treasury Secretary Scott Bessent and Vice Premier He Lifeng disagreed sharply about shipping fees at the port.",
    )
    assert all(f.single_source for f in d.findings)


_RATE_RISE = (
    "The Bank of Norland lifted interest rates to 4.5% on Thursday, but three of the seven policymakers on its rate-setting committee voted against the move, the minutes showed, the widest split since 2019.\n\n"
    '"We are close to the point where further rises do more harm than good," said committee member Tomas Berg, who voted to keep rates on hold.\n\n'
    'Finance Minister Karl Jensen welcomed the decision. "The bank is doing what it must to bring prices down," Jensen told reporters in the capital.\n\n'
    "Markets had expected the increase. The norland crown rose 0.3% against the dollar after the announcement.\n\n"
    "Economists polled by Reuters expect one more rise before the summer. The next decision is due on 7 May."
)
_UNION = (
    "Norland's largest trade union said on Saturday it would ballot members on strike action unless public-sector pay rises matched inflation.\n\n"
    "The Federation of Public Workers said its 300,000 members had seen real wages fall for two years. A ballot would open on 2 March and close on 16 March, the union said.\n\n"
    'Union leader Anna Dahl said the central bank\'s rate rise on Thursday would "squeeze families twice, through prices and through their mortgages."\n\n'
    'The government has offered a 3% rise. Finance Minister Karl Jensen said a higher offer would "feed the very inflation the bank is fighting."'
)


def test_a_speakers_name_alone_does_not_make_two_of_his_sentences_one_finding():
    # Four words of a name and title weigh more than the rest: "Finance Minister Karl Jensen
    # welcomed the decision" was cited for what he said of the pay offer, in quotation marks
    # or not.
    quoted = 'would "feed the very inflation the bank is fighting."'
    for union in (_UNION, _UNION.replace(quoted, quoted.replace('"', ""))):
        _, d = _digest(_RATE_RISE, union)
        assert _finding_with(d, "feed the very").article_ids == ["a1"]


def test_a_quotation_is_supported_only_by_an_article_that_carries_it():
    # "who voted to keep rates on hold" agrees with [a0]'s "voted to hold rates", but the
    # reader takes a citation beside a quotation for the quotation.
    _, d = _digest(
        "Two of the seven members of the committee voted to hold rates at 4.25%, the minutes "
        "showed. The bank will decide again in May.",
        '"We are close to the point where further rises do more harm than good," said '
        "committee member Tomas Berg, who voted to keep rates on hold. Markets were calm.",
    )
    assert _finding_with(d, "more harm than good").article_ids == ["a1"]
    # An article that carries the quotation supports it, whoever it names as the speaker.
    _, d = _digest(
        '"We are close to the point where further rises do more harm than good," said '
        "committee member Tomas Berg, who voted to keep rates on hold. Markets were calm.",
        'Berg said: "We are close to the point where further rises do more harm than good." '
        "He was outvoted.",
    )
    assert sorted(_finding_with(d, "more harm than good").article_ids) == ["a0", "a1"]


def test_findings_are_numbered_and_ranked_by_score():
    _, d = _digest(
        "First sentence about trade talks in Malaysia this week. " * 1,
        "Trade talks in Malaysia continue this week with officials.",
    )
    assert [f.id for f in d.findings] == list(range(1, len(d.findings) + 1))
    assert [f.score for f in d.findings] == sorted((f.score for f in d.findings), reverse=True)


def test_different_figures_for_the_same_measure_are_a_conflict():
    articles, d = _digest(
        "The company said exports of soybeans to China reached 12 million tons last year.",
        "Customs data show exports of soybeans to China reached 9 million tons last year.",
    )
    assert len(d.conflicts) == 1
    values = {v.value for v in d.conflicts[0].values}
    assert values == {"12 million tons", "9 million tons"}
    assert {a for v in d.conflicts[0].values for a in v.article_ids} == {"a0", "a1"}


def test_figures_of_different_things_are_not_a_conflict():
    _, d = _digest(
        "Unemployment in the region fell to 4% in the spring.",
        "The new stadium cost 300 million dollars and seats 40% more fans than the old one.",
    )
    assert d.conflicts == []


def test_same_quote_in_two_articles_is_one_quote_with_both_sources():
    quote = "“We have reached a very substantial framework that avoids the tariffs,” Scott Bessent said."
    _, d = _digest(f"{quote} Talks went on.", f"On Sunday, {quote}")
    assert len(d.quotes) == 1
    assert sorted(d.quotes[0].article_ids) == ["a0", "a1"]
    assert d.quotes[0].speaker == "Scott Bessent"


def test_speaker_surname_expands_to_full_name_and_entities_are_typed():
    _, d = _digest(
        "Economist Wu Xinbo of Fudan University spoke in Shanghai. "
        "“China believes negotiations alone are insufficient,” Wu said. "
        "President Donald Trump travelled to Japan."
    )
    assert d.quotes[0].speaker == "Wu Xinbo"
    kinds = {e.name: e.kind for e in d.entities}
    assert kinds["Donald Trump"] == "person"
    assert kinds["Japan"] == "place"
    assert kinds["Shanghai"] == "place"
    assert kinds["Fudan University"] == "organization"
    assert "Chinese" not in kinds


def test_an_articles_lede_outranks_its_later_sentences(monkeypatch):
    # The second sentence of a0 uses more of the story's common words ("ferry traffic",
    # "harbour", "double") than its first, but the first is the writer's own summary.
    texts = (
        "The harbour authority opened a new passenger terminal for island ferries on the east quay on Monday. "
        "Ferry operators said harbour ferry traffic to the islands would double by next summer.",
        "Tourism officials expect ferry traffic across the harbour to double as island routes grow.",
        "Island councils welcomed the extra ferry routes and harbour traffic forecasts.",
    )

    def scores():
        _, d = _digest(*texts)
        return _finding_with(d, "passenger terminal").score, _finding_with(d, "would double").score

    lede, later = scores()
    assert lede > later
    # Without the lede's bonus the later sentence would rank first: the case is a real test.
    monkeypatch.setattr(merge_module, "LEDE_BONUS", 0.0)
    lede, later = scores()
    assert lede < later
