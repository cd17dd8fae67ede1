"""Typed-answer matching: forgiving about form, strict about substance."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizbot.matching import matches, normalise


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("  The Scikit-Learn! ", "scikit learn"),
        ("Café", "cafe"),
        ("ＰｙＴｏｒｃｈ", "pytorch"),
        ("an apple", "apple"),
        ("The", "the"),  # a lone article is the answer, not an article
        ("Apache\tSpark", "apache spark"),
        ("STRASSE", "strasse"),
    ],
)
def test_normalise_folds_case_accents_punctuation_and_a_leading_article(raw: str, folded: str) -> None:
    assert normalise(raw) == folded


@pytest.mark.parametrize(
    ("given_", "accepted", "ok"),
    [
        ("spark", ["Apache Spark", "Spark"], True),
        ("apache sprak", ["Apache Spark"], True),  # one swapped pair in a long answer is a typo
        ("tensorflo", ["TensorFlow"], True),
        ("kears", ["Keras"], False),  # a swapped pair is too much of a five-letter word
        ("gti", ["Git"], False),  # short answers must be exact
        ("the", ["The Beatles"], False),
        ("air", ["chair"], False),
        ("cat", ["concatenate"], False),
        ("Keras PyTorch TensorFlow", ["PyTorch"], False),  # a list of guesses is not an answer
        ("1991", ["1990"], False),
        ("unsupervised learning", ["Supervised learning"], False),  # a whole different idea, one prefix away
        ("supervised", ["unsupervised"], False),
        ("gradient ascent", ["Gradient descent"], False),
        ("type ii error", ["Type I error"], False),
        ("deconvolution", ["convolution"], False),
        ("asymmetric", ["symmetric"], False),
        ("C", ["C++"], False),  # symbols that make another language survive folding
        ("C#", ["C++"], False),
        ("c++", ["C++"], True),
        ("1", ["-1"], False),
        ("-1", ["-1"], True),
        ("search", ["A* search"], False),  # "A*" is not an article
        ("B testing", ["A/B testing"], False),
        ("kubernetse", ["Kubernetes"], True),
        ("tensorflwo", ["TensorFlow"], True),  # two edits are forgiven in a long word
        ("scikit lern", ["Scikit-learn"], True),
        ("scikt lern", ["Scikit-learn"], False),  # but typos in two words are too many
        ("pytorch 2", ["PyTorch 3"], False),
        ("", ["anything"], False),
        ("!!!", ["anything"], False),
    ],
)
def test_matches_accepts_typos_but_not_fragments_guesses_or_near_numbers(
    given_: str, accepted: list[str], ok: bool
) -> None:
    assert matches(given_, accepted) is ok


words = st.text(alphabet=string.ascii_letters + "éüñ -.,!", min_size=1, max_size=30)


@given(words)
def test_folding_case_and_spacing_never_changes_the_verdict(text: str) -> None:
    assume(normalise(text))
    assert matches(" ".join(text.split()).swapcase(), [text]) == matches(text, [text.upper()])


@given(words)
def test_an_answer_always_matches_itself_in_any_case(text: str) -> None:
    assume(normalise(text))
    assert matches(text.upper(), [text])
    assert matches(f"  {text.lower()}?! ", [text])


@given(st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=20))
def test_leading_article_and_accents_do_not_change_the_verdict(word: str) -> None:
    assume(word not in ("a", "an", "the"))
    accented = unicodedata.normalize("NFC", "".join(c + "\u0301" if c in "aeiou" else c for c in word))
    assert matches(f"The {word}", [word])
    assert matches(word, [f"an {word}"])
    assert matches(accented, [word])


@given(
    st.text(alphabet=string.ascii_lowercase, min_size=5, max_size=20),
    st.text(alphabet=string.ascii_lowercase, min_size=1, max_size=4),
)
def test_a_strict_prefix_of_a_long_answer_never_matches(answer: str, cut: str) -> None:
    prefix = answer[: max(1, len(answer) // 2)]
    assume(normalise(prefix) != normalise(answer))
    assert not matches(prefix, [answer + cut])


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=9))
def test_numbers_match_only_exactly(number: int, delta: int) -> None:
    assert matches(str(number), [str(number)])
    assert not matches(str(number + delta), [str(number)])
