"""Copies of one story count as one source: found by shingles (datasketch MinHash LSH)."""

from __future__ import annotations

import random

from briefgen.copies import find_copies, independent_sources, shingles
from briefgen.schema import Article


def _article(aid: str, text: str, title: str = "A title") -> Article:
    return Article(id=aid, title=title, text=text, path=f"{aid}.txt")


def _lightly_edited(text: str, every: int, seed: int = 1) -> str:
    """The text with one word in `every` replaced, as a syndicating desk might."""
    rng = random.Random(seed)
    words = text.split()
    for i in range(rng.randrange(every), len(words), every):
        words[i] = "edited"
    return " ".join(words)


def test_sample_corpus_has_no_copies(sample_articles):
    # Five outlets' own reports of one story share names and phrases, not their text.
    assert find_copies(list(sample_articles.values())) == {}


def test_a_lightly_edited_copy_under_another_title_is_found(sample_articles):
    originals = list(sample_articles.values())
    source = originals[2]
    copy = _article("copy", _lightly_edited(source.text, every=20), title="Another headline")
    found = find_copies([*originals, copy])
    assert found == {"copy": source.id}


def test_the_earlier_article_is_the_original(sample_articles):
    source = list(sample_articles.values())[0]
    copy = _article("copy", _lightly_edited(source.text, every=25))
    # Whatever comes first in the order given (the pipeline passes oldest first) is the original.
    assert find_copies([copy, source]) == {source.id: "copy"}


def test_a_trimmed_syndication_is_a_copy(sample_articles):
    source = list(sample_articles.values())[1]
    words = source.text.split()
    trimmed = _article("trimmed", " ".join(words[: len(words) // 3]))
    assert find_copies([source, trimmed]) == {"trimmed": source.id}


def test_copies_of_copies_share_one_original(sample_articles):
    source = list(sample_articles.values())[3]
    first = _article("c1", _lightly_edited(source.text, every=20, seed=1))
    second = _article("c2", _lightly_edited(first.text, every=20, seed=2))
    assert find_copies([source, first, second]) == {"c1": source.id, "c2": source.id}


def test_the_lsh_path_finds_the_same_copies(sample_articles):
    # Large corpora go through MinHash LSH instead of comparing every pair.
    originals = list(sample_articles.values())
    copy = _article("copy", _lightly_edited(originals[4].text, every=20))
    articles = [*originals, copy]
    assert (
        find_copies(articles, exact_below=0) == find_copies(articles) == {"copy": originals[4].id}
    )


def test_short_texts_are_never_copies():
    a = _article("a", "Markets fell sharply on Monday.")
    b = _article("b", "Markets fell sharply on Monday.")
    assert find_copies([a, b]) == {}


def test_independent_sources_count_a_copy_once():
    copies = {"b": "a", "c": "a"}
    assert independent_sources(["a", "b", "c", "d"], copies) == 2
    assert independent_sources(["b", "c"], copies) == 1
    assert independent_sources(["d"], {}) == 1


def test_shingles_ignore_case_and_punctuation():
    assert shingles("One, two THREE four five six.") == shingles("one two three four five six")
    assert len(shingles("one two three four five six")) == 2
