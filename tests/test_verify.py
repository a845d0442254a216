"""verify.py against a model that lies: each lie is caught (dropped or corrected), and honest
paraphrases still pass. The corpus: five articles, one claim all five make (finding 1), the
rest told by one article each."""

from __future__ import annotations

import pytest

from briefgen.chunking import chunk_article
from briefgen.engines.extractive import ExtractiveEngine
from briefgen.ground import ground_notes
from briefgen.pipeline import read_corpus
from briefgen.schema import ChunkNotes, Claim, Draft, DraftPoint
from briefgen.verify import drop_failing, rest_on, verify_draft

ARTICLES = {
    "a1": ("China delays rare earth controls after talks", "Reuters", """\
China will delay its rare earth export controls by one year, the commerce ministry said on Thursday.

The two sides will meet again in mid-November in Geneva to settle the remaining issues.

"We had very constructive talks," Treasury Secretary Scott Bessent told reporters after the meeting.

China also pledged $660 billion in purchases of American farm goods over three years, the ministry said.

Commerce Minister Wang Wentao said the tariff truce was "a fragile first step" for both economies.
"""),
    "a2": ("Beijing puts export curbs on hold", "Associated Press", """\
Beijing agreed to delay its rare earth export controls by one year, officials said on Thursday.

Soybean buyers in Iowa welcomed the news, saying prices had been falling for months.
"""),
    "a3": ("Rare earth curbs delayed", "Bloomberg", """\
China will delay the planned rare earth export controls by one year under the deal, the ministry said.

Shares of mining companies in Sydney fell sharply on the announcement.
"""),
    "a4": ("A truce in the trade war", "Financial Times", """\
China will delay its rare earth export controls by one year as part of the truce, the ministry said.

European officials said they were studying the agreement closely.
"""),
    "a5": ("What the deal means for farmers", "Nikkei", """\
The rare earth export controls will be delayed by China by one year, the ministry said on Thursday.

Japanese carmakers said they hoped supplies of magnets would recover by the spring.
"""),
}  # fmt: skip


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lies")
    for name, (title, source, text) in ARTICLES.items():
        front = f"---\ntitle: {title}\nsource: {source}\npublished: 2025-10-30\n---\n"
        (folder / f"{name}.md").write_text(front + text, encoding="utf-8")
    return read_corpus([str(folder)])


def _id(corpus, start: str) -> int:
    return next(f.id for f in corpus.digest.findings if f.text.startswith(start))


@pytest.fixture(scope="module")
def ids(corpus):
    names = {
        "delay": "China will delay its rare earth",
        "pledge": "China also pledged",
        "wang": "Commerce Minister Wang",
        "meet": "The two sides will meet",
        "bessent": '"We had very',
        "shares": "Shares of mining",
        "soy": "Soybean buyers",
    }
    return {k: _id(corpus, v) for k, v in names.items()}


def _verify(corpus, text: str, *cited: int, headline: str = "Rare earth curbs delayed"):
    draft = Draft(
        headline=headline,
        bottom_line=[],
        key_points=[DraftPoint(text=text, finding_ids=list(cited))],
    )
    return verify_draft(draft, corpus.digest, corpus.articles)


def test_the_corpus_is_what_the_tests_assume(corpus, ids):
    found = {f.id: f for f in corpus.digest.findings}
    assert found[ids["delay"]].corroboration == 5
    assert all(found[ids[k]].corroboration == 1 for k in ids if k != "delay")


LIES = [
    ("China will not delay its rare earth export controls, the commerce ministry said.", "delay", "negation"),
    ("China will delay its rare earth export controls by two years.", "delay", "two years"),
    ("China pledged $660 million in purchases of American farm goods over three years.", "pledge", "$660 million"),
    ("The two sides will meet again in late November in Geneva.", "meet", "late November"),
    ("Bessent called the talks 'a historic breakthrough'.", "bessent", "not verbatim"),
    ("Wang called the truce “very fragile”.", "wang", "not verbatim"),
    ("“We had very constructive talks,” Wang Wentao said.", "bessent", "Scott Bessent's, not Wang"),
    ("All five reports agree: China pledged $660 billion in purchases of American farm goods.", "pledge", "All five reports"),
    ("Several outlets report that China pledged $660 billion in purchases of American farm goods.", "pledge", "Several outlets"),
    ("According to Bloomberg, China pledged $660 billion in purchases of American farm goods.", "pledge", "Bloomberg"),
    ("Both reports say mining shares in Sydney fell sharply.", "shares", "Both reports"),
    ("Soybean prices had been rising for months, buyers in Iowa said.", "soy", "opposite"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "cites", "reason"), LIES)
def test_each_lie_is_caught_and_dropped(corpus, ids, text, cites, reason):
    checked = _verify(corpus, text, ids[cites])
    assert checked.verified == 0
    assert reason in checked.problems[0].reason, checked.problems[0].reason
    assert drop_failing(checked, lambda: "x").dropped == 1


HONEST = [
    ("China agreed to delay its rare earth export controls by a year.", "delay"),
    ("All five reports agree that China will delay its rare earth export controls by one year.", "delay"),
    ("According to Reuters, China pledged $660 billion in purchases of American farm goods.", "pledge"),
    ("The sides meet again in Geneva in November.", "meet"),
    ("Bessent said the talks were “very constructive”.", "bessent"),
    ("Shares of Sydney mining companies fell sharply.", "shares"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "cites"), HONEST)
def test_honest_paraphrases_pass(corpus, ids, text, cites):
    checked = _verify(corpus, text, ids[cites])
    assert checked.problems == [] and checked.verified == 1
    assert checked.draft.key_points[0].finding_ids == [ids[cites]]


def test_a_point_citing_a_better_corroborated_finding_of_its_article_is_corrected(corpus, ids):
    text = next(f.text for f in corpus.digest.findings if f.id == ids["pledge"])
    checked = _verify(corpus, text, ids["delay"])
    assert checked.problems == [] and checked.corrected == 1
    assert checked.draft.key_points[0].finding_ids == [ids["pledge"]]


def test_a_verbatim_point_is_still_checked_and_its_citations_recomputed(corpus, ids):
    # No bypass: word for word in an article, it cites the finding that holds the sentence.
    sentence = (
        "The two sides will meet again in mid-November in Geneva to settle the remaining issues."
    )
    checked = _verify(corpus, sentence, ids["delay"])
    assert checked.draft.key_points[0].finding_ids == [ids["meet"]] and checked.corrected == 1
    assert rest_on(sentence, corpus.digest, corpus.articles, [ids["delay"]]) == [ids["meet"]]
    # A made-up quote after a verbatim sentence still fails.
    checked = _verify(corpus, sentence + " Bessent called it 'a done deal'.", ids["meet"])
    assert "not verbatim" in checked.problems[0].reason


def test_a_point_citing_nothing_known_rests_on_what_its_words_come_from(corpus, ids):
    checked = _verify(corpus, "Shares of mining companies in Sydney fell sharply.", 999)
    assert checked.problems == [] and checked.draft.key_points[0].finding_ids == [ids["shares"]]


def test_the_headline_is_checked_and_rests_on_findings(corpus, ids):
    checked = _verify(corpus, "Shares of Sydney mining companies fell.", ids["shares"],
                      headline="China refuses to delay rare earth controls")  # fmt: skip
    assert [p.where for p in checked.problems] == ["headline"]
    cleaned = drop_failing(checked, lambda: "China delays rare earth controls after talks")
    assert cleaned.draft.headline == "China delays rare earth controls after talks"
    assert cleaned.draft.headline_findings == [ids["delay"]]
    honest = _verify(corpus, "Shares of Sydney mining companies fell.", ids["shares"],
                     headline="China delays rare earth export controls by one year")  # fmt: skip
    assert honest.problems == [] and honest.draft.headline_findings == [ids["delay"]]


def test_a_title_case_headline_is_checked_for_its_names_not_its_capitals(corpus, ids):
    # Qwen 1.5B set its headline so ("US and China Reach Tentative Framework to Avert Trade
    # Dispute"), and every capitalised run was taken for a name no finding gives.
    point = "Shares of Sydney mining companies fell."
    honest = _verify(corpus, point, ids["shares"],
                     headline="China Delays Rare Earth Export Controls by One Year")  # fmt: skip
    assert honest.problems == [] and honest.draft.headline_findings == [ids["delay"]]
    # A name the findings never give is still a name, capitals or not.
    made_up = _verify(corpus, point, ids["shares"],
                      headline="Xi Jinping Delays Rare Earth Export Controls by One Year")  # fmt: skip
    assert [p.where for p in made_up.problems] == ["headline"]
    assert "Xi Jinping" in made_up.problems[0].reason
    # Title Case is no licence to deny what the findings say.
    denied = _verify(corpus, point, ids["shares"],
                     headline="China Refuses to Delay Rare Earth Export Controls")  # fmt: skip
    assert [p.where for p in denied.problems] == ["headline"]


@pytest.mark.parametrize("audience", ["exec", "analyst", "newsletter"])
def test_the_extractive_brief_passes_untouched(corpus, audience):
    draft = ExtractiveEngine().write(corpus.digest, audience, corpus.articles)
    checked = verify_draft(draft, corpus.digest, corpus.articles)
    assert checked.problems == [] and checked.corrected == 0
    assert checked.draft.headline_findings


NOTE_LIES = [
    "China will not delay its rare earth export controls.",
    "China will delay its rare earth export controls by two years.",
    "China will delay its rare earth export controls until late November.",
    "Xi Jinping said China will delay its rare earth export controls.",
]


@pytest.mark.parametrize("claim", NOTE_LIES)
def test_a_map_note_adding_a_negation_figure_date_or_name_is_dropped(corpus, claim):
    article = next(a for a in corpus.articles if a.title.startswith("China delays"))
    chunk = chunk_article(article, 1000)[0]
    evidence = "China will delay its rare earth export controls by one year"
    notes = ChunkNotes(article_id=article.id, chunk_index=0, claims=[
        Claim(text=claim, kind="fact", evidence=evidence),
        Claim(text="China is delaying rare earth export controls for a year.", kind="fact", evidence=evidence),
    ])  # fmt: skip
    grounded, stats = ground_notes(notes, article, chunk)
    assert [c.text for c in grounded.claims] == [notes.claims[1].text]
    assert stats.dropped == 1


def test_a_quotes_speaker_of_record_is_read_at_its_own_place_after_paragraph_breaks():
    """The quotation is found in the article itself, not in a copy with its paragraph breaks
    folded: offsets in the copy would point before the quotation, at other words."""
    from briefgen.verify import _speakers_of_record

    article = (
        "Talks resumed.\n\n\n\nOfficials met in Kuala Lumpur.\n\n\n\n"
        "Markets rose.\n\n\n\n“We will sign the deal soon,” Scott Bessent said on Sunday."
    )
    assert _speakers_of_record("We will sign the deal soon", [article], None) == {"Scott Bessent"}
