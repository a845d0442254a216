from briefgen.text import content_words, estimate_tokens, sentence_spans


def _sentences(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentences_respect_abbreviations_and_initials():
    text = "The U.S. and China met. Mr. Bessent said it went well. Talks resume on Oct. 3 in D.C. today."
    assert _sentences(text) == [
        "The U.S. and China met.",
        "Mr. Bessent said it went well.",
        "Talks resume on Oct. 3 in D.C. today.",
    ]


def test_lines_are_sentence_boundaries_and_quotes_close_sentences():
    text = "A heading\n“We agreed,” he said. “It is done.” Then they left."
    assert _sentences(text) == [
        "A heading",
        "“We agreed,” he said.",
        "“It is done.”",
        "Then they left.",
    ]


def test_token_estimate_needs_no_tokenizer_and_grows_with_text():
    assert estimate_tokens("") == 0
    assert estimate_tokens("one two three four") >= 4
    assert estimate_tokens("word " * 100) > estimate_tokens("word " * 10)


def test_content_words_drop_stopwords_and_fold_plurals():
    assert content_words("The tariffs on China's exports") == ["tariff", "china", "export"]


def test_hyphenated_words_match_their_parts():
    assert content_words("rare-earth controls") == content_words("rare earth controls")
