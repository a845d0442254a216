"""Long sentences cut to their main clause, verbatim (trim.py), and verification still holding."""

from __future__ import annotations

import pytest

from briefgen.pipeline import read_corpus
from briefgen.schema import Draft, DraftPoint
from briefgen.text import word_count
from briefgen.trim import ELLIPSIS, TRIM_ABOVE, pieces, trim, verbatim_in
from briefgen.verify import verify_draft

LONG_SAID = (
    "The United States and China have reached a tentative framework to avert a renewed "
    "escalation in their long-running trade dispute over tariffs and export controls on "
    "minerals, Treasury Secretary Scott Bessent told reporters on Sunday."
)


def test_a_trailing_attribution_is_cut_and_the_rest_is_verbatim():
    cut = trim(LONG_SAID)
    assert cut.endswith("export controls on minerals.")
    assert "Bessent" not in cut
    assert verbatim_in(cut, LONG_SAID)


def test_according_to_at_the_end_is_cut():
    sentence = (
        "The port fees on Chinese-built ships will be suspended for a year from November 10 "
        "under the arrangement reached by the two delegations in Kuala Lumpur this weekend, "
        "according to a fact sheet released by the White House."
    )
    cut = trim(sentence)
    assert "according" not in cut and cut.endswith("this weekend.")
    assert verbatim_in(cut, sentence)


def test_a_parenthesis_is_cut_and_marked_with_an_ellipsis():
    sentence = (
        "The aftershock, as reported by the Servicio Sismológico de la Universidad de Chile "
        "(University of Chile Seismological Service), had a magnitude of 5.8, and occurred at "
        "a depth of 32.6 kilometers, close to the coast of the O'Higgins Region."
    )
    cut = trim(sentence)
    assert ELLIPSIS in cut and "(University of Chile" not in cut
    assert "magnitude of 5.8" in cut  # the figures are the news: never cut
    assert verbatim_in(cut, sentence)
    assert all(p in sentence for p in pieces(cut))


def test_a_dash_aside_is_cut():
    sentence = (
        "China's new export controls on rare earth elements—a category critical to renewable "
        "energy technologies, electric vehicles and defense systems across the world—have "
        "intensified friction between the two largest economies ahead of the summit."
    )
    cut = trim(sentence)
    assert "renewable" not in cut
    assert cut.startswith("China's new export controls on rare earth elements")
    assert verbatim_in(cut, sentence)


def test_a_clause_carrying_a_condition_or_denial_is_never_cut():
    sentence = (
        "The tariff on Chinese goods will rise to 100 percent on November 1 as planned by the "
        "administration in Washington, unless Beijing does not lift its new export controls "
        "on rare earth magnets and processing equipment."
    )
    assert trim(sentence) == sentence


def test_short_sentences_and_quotations_are_left_whole():
    short = "China agreed to pause its rare earth export controls for one year."
    assert trim(short) == short
    quote = (
        "“We will be able to discuss them, helping us get this terrible fentanyl crisis under "
        "control and bring the tariffs down for the farmers and the workers of America,” "
        "he said."
    )
    assert trim(quote) == quote


def test_a_cut_that_leaves_no_main_verb_is_not_made():
    sentence = (
        "The VI Congress of Mayors and Councilors of the O'Higgins Region, as part of the "
        "program of annual activities of the Chilean Association of Municipalities, is "
        "taking place in Pichilemu, Chile."
    )
    assert trim(sentence, limit=20) == sentence


@pytest.mark.parametrize(
    "item, point",
    [
        (
            "APEC summit uncertainty: The proposed Xi-Trump meeting remains tentative, "
            "contingent on progress in trade talks.",
            "The proposed Xi-Trump meeting remains tentative, contingent on progress in trade "
            "talks.",
        ),
        (
            "Summary: China agreed to pause the rare earth export regime for one year.",
            "China agreed to pause the rare earth export regime for one year.",
        ),
        # A speaker before a quotation is no label; nor what has a verb ("He said:").
        ("Trump: “We have a deal with China on soybeans and rare earths now.”", None),
        ("He said: The talks were over before they began in the capital city.", None),
        # What follows must stand as a point itself.
        ("Time-sensitive talks: Negotiations pending White House-China coordination.", None),
    ],
)
def test_a_list_item_s_label_is_cut_at_any_length(item, point):
    assert trim(item) == (point or item)
    assert verbatim_in(trim(item), item)


@pytest.mark.parametrize(
    "sentence, point",
    [
        (
            "Separately, Bessent told CBS in an interview that the US and China had reached a "
            "final deal on TikTok.",
            "Bessent told CBS in an interview that the US and China had reached a final deal on "
            "TikTok.",
        ),
        (
            "In addition, the two sides agreed to extend the tariff truce for another ninety days.",
            "The two sides agreed to extend the tariff truce for another ninety days.",
        ),
        (
            "Regardless, China has flexed its muscles of late to show how much leverage it has.",
            "China has flexed its muscles of late to show how much leverage it has.",
        ),
        # Instead of what, after what: the connective carries what the sentence says.
        ("Instead, China bought its soybeans from Brazil and Argentina this autumn.", None),
        # No comma: no connective ("However much ..." is a clause of the sentence).
        ("However much the tariffs rise, the farmers will keep selling their soybeans.", None),
        # What is left must stand as a sentence.
        ("Meanwhile, talks with the ministers.", None),
    ],
)
def test_an_opening_connective_is_cut_and_the_rest_capitalised(sentence, point):
    assert trim(sentence) == (point or sentence)
    assert verbatim_in(trim(sentence), sentence)


def test_what_follows_said_that_is_kept_when_the_attribution_opens_it():
    sentence = (
        "Edmond Mulet, the acting head of the UN mission for Haiti, told the BBC that it "
        "could take decades to fully reconstruct the country, and any recent development "
        "had been negated by the quake."
    )
    cut = trim(sentence, limit=20)
    assert "decades" in cut and verbatim_in(cut, sentence)


@pytest.fixture(scope="module")
def corpus(sample_dir):
    return read_corpus([sample_dir])


def test_every_cut_of_the_sample_corpus_is_verbatim_and_shorter(corpus):
    cuts = 0
    for f in corpus.digest.findings:
        cut = trim(f.text)
        assert verbatim_in(cut, f.text), cut
        assert word_count(cut) <= word_count(f.text)
        cuts += cut != f.text.strip()
    assert cuts >= 10  # the rules do fire on real news copy


def test_verification_accepts_cut_points_and_still_catches_changed_ones(corpus):
    """A point cut by trim.py, ellipsis and all, passes verify.py (verify needs no change);
    an ellipsis does not let a changed figure or an added negation through."""
    f = next(f for f in corpus.digest.findings if f.text.startswith("China, which turns out"))
    cut = trim(f.text, limit=20)
    assert ELLIPSIS in cut
    changed_figure = cut.replace("computer chips", "computer chips by 95%")
    negated = cut.replace("modelled its curbs", "has not modelled its curbs")
    draft = Draft(
        headline="China and US agree to recent trade talks",
        bottom_line=[],
        key_points=[DraftPoint(text=t, finding_ids=[f.id]) for t in (cut, changed_figure, negated)],
    )
    checked = verify_draft(draft, corpus.digest, corpus.articles)
    assert [p.where for p in checked.problems] == ["key point 2", "key point 3"]
    assert f.id in checked.draft.key_points[0].finding_ids


def test_exec_points_read_at_most_about_thirty_words(sample_dir):
    from briefgen.pipeline import make_brief

    brief = make_brief([sample_dir], audience="exec").brief
    lengths = [word_count(p.text) for p in brief.key_points]
    assert lengths and max(lengths) <= TRIM_ABOVE + 5, lengths


def test_a_trailing_participle_clause_and_a_plural_attribution_are_cut():
    long = (
        "The ministry's decision to double the levy on imported steel from every country in the "
        "region was the largest change to its tariff schedule in a decade, underscoring the "
        "government's resolve to protect local mills, experts say."
    )
    cut = trim(long)
    assert cut == (
        "The ministry's decision to double the levy on imported steel from every country in the "
        "region was the largest change to its tariff schedule in a decade."
    )
    # A noun in -ing is not a participle: "during" opens no clause to cut, so the sentence
    # stays whole when nothing else may go.
    during = (
        "Dock workers at all twelve ports of the eastern seaboard will walk out for three days "
        "in the first week of the month, during the busiest shipping season of the whole year"
    )
    assert trim(during) == during


@pytest.mark.parametrize(
    ("sentence", "point"),
    [
        (
            "While both sides are signaling cooperation, the scope of concessions and the absence "
            "of resolution on core structural issues indicate that this is an interim arrangement "
            "shaped more by political necessity than long-term strategic convergence.",
            "The scope of concessions and the absence of resolution on core structural issues "
            "indicate that this is an interim arrangement shaped more by political necessity than "
            "long-term strategic convergence.",
        ),
        (
            "Although shares of the carmaker had fallen sharply in early trading on the exchange, "
            "the company's board approved the merger with its rival supplier of batteries late on "
            "Tuesday evening in Munich.",
            "The company's board approved the merger with its rival supplier of batteries late on "
            "Tuesday evening in Munich.",
        ),
        # A concession that holds a denial is what the main clause is read against: kept.
        (
            "Although the two sides did not agree, the talks between the two delegations went on "
            "late into the night with officials from both governments exchanging long and detailed "
            "proposals on tariffs and quotas.",
            None,
        ),
        # A clause of time or cause may be what the main clause hangs on: kept.
        (
            "When the parliament approves the budget in its final reading next spring, the "
            "government will raise the pensions of every retired worker in the country by a "
            "tenth from the first of July.",
            None,
        ),
        # A comma inside the clause: where it ends is not known, so nothing is cut.
        (
            "Although Beijing, for its part, has softened its tone in recent weeks of talks, the "
            "controls on exports of rare earth magnets and the licences they require remain in "
            "force today.",
            None,
        ),
    ],
)
def test_a_leading_concession_is_cut_from_a_long_sentence(sentence, point):
    assert word_count(sentence) > TRIM_ABOVE
    assert trim(sentence) == (point or sentence)
    assert verbatim_in(trim(sentence), sentence)


def test_a_short_sentence_keeps_its_concession():
    sentence = "Despite the productive tone, fundamental frictions remain largely untouched."
    assert trim(sentence) == sentence
