"""Typed-answer matching: forgiving about form, strict about substance."""

from __future__ import annotations

import string
import unicodedata

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from quizbot.matching import Match, judge, matches, normalise, spellings
from quizbot.words import Vocabulary, english_words


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
        ("kears", ["Keras"], True),  # a swapped pair in a five-letter word is a typo ("Sprak" for Spark)
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


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("Tolkein", "Tolkien"),  # a swapped pair
        ("Portgual", "Portugal"),
        ("Sprak", "Spark"),  # five letters are enough for one edit
        ("Hadopp", "Hadoop"),  # a wrong letter
        ("Kubrenetse", "Kubernetes"),  # two edits in a word of 10+ letters
        ("Shakespear", "Shakespeare"),  # a missing letter
        ("Dolphin", "Dolphins"),  # a plural "s" is a typo even when the rest is a real word
        ("newyork", "New York"),  # a missing space
    ],
)
def test_a_typo_is_forgiven_and_says_which_answer_it_was_taken_as(typed: str, accepted: str) -> None:
    assert judge(typed, ["something else", accepted]) == Match(accepted, typo=True)


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("hitchhikers", "hitchhiker's"),
        ("hitchhiker's", "hitchhikers"),
        ("Hitchhikers Guide to the Galaxy", "The Hitchhiker’s Guide to the Galaxy"),
        ("Spiderman", "Spider-Man"),
        ("Spider Man", "Spider-Man"),
        ("Spider-Man", "Spiderman"),
        ("JD Salinger", "J.D. Salinger"),
        ("J. D. Salinger", "JD Salinger"),
        ("J.R.R. Tolkien", "JRR Tolkien"),
        ("1500", "1,500"),
        ("1,500,000", "1500000"),
        ("Pride and Prejudice", "Pride & Prejudice"),
        ("AT&T", "AT and T"),
        ("AC DC", "AC/DC"),
        ("Catch 22", "Catch-22"),
    ],
)
def test_punctuation_inside_a_word_may_be_typed_or_left_out(typed: str, accepted: str) -> None:
    assert judge(typed, [accepted]) == Match(accepted, typo=False)


@pytest.mark.parametrize(
    ("typed", "accepted"),
    [
        ("Baseball", "Basketball"),  # a real word: another sport, not a typo
        ("Kingston", "Kingstown"),  # another capital
        ("Steven", "Seven"),  # a name; and a number word besides
        ("MMXVII", "MMXVI"),  # Roman numerals are numbers
        ("FFVIII", "FFVII"),  # a code written in capitals
        ("7/8", "7.8"),  # punctuation between digits keeps its meaning
        ("78", "7.8"),
        ("7,8", "7.8"),
        ("1999", "1,998"),
        ("Sixty", "Sixth"),
        ("Angles", "Angels"),
        ("unsupervised", "supervised"),
        ("carpet", "car pet"),
    ],
)
def test_a_real_word_a_number_or_a_code_is_another_answer_not_a_typo(typed: str, accepted: str) -> None:
    assert judge(typed, [accepted]) is None


def test_the_banks_own_answers_are_real_words_too() -> None:
    bank = Vocabulary(["Kingston", "Bacca", "Tigger"])
    assert judge("Kingstown", ["Kingston"]) == Match("Kingston", typo=True)  # unknown to the English list
    assert judge("Kingstown", ["Kingston"], words=Vocabulary(["Kingstown"])) is None
    assert judge("Bacca", ["Bacta"], words=bank) is None
    assert judge("Tigger", ["Tiger"], words=bank) is None
    assert judge("Kingstn", ["Kingston"], words=bank) == Match("Kingston", typo=True)


def test_a_listed_near_miss_never_counts_even_when_a_typo_would() -> None:
    assert judge("Bacca", ["Bacta"]) == Match("Bacta", typo=True)
    assert judge("Bacca", ["Bacta"], reject=["Bacca"]) is None
    assert judge("bacca!", ["Bacta"], reject=["Bacca"]) is None
    assert judge("Bacda", ["Bacta"], reject=["Bacca"]) is None  # as close to the near miss as to the answer
    assert judge("Bactaa", ["Bacta"], reject=["Bacca"]) == Match("Bacta", typo=True)


def test_typos_false_asks_for_the_exact_answer_in_any_form() -> None:
    assert judge("Sprak", ["Spark"], typos=False) is None
    assert judge("  the SPARK! ", ["Spark"], typos=False) == Match("Spark")


@pytest.mark.parametrize("invisible", ["\u200b", "\u00ad", "\ufeff", "\u200d", "\u2060", "\u200e"])
def test_invisible_characters_inside_a_word_are_ignored(invisible: str) -> None:
    assert judge(f"Sp{invisible}ark", ["Spark"]) == Match("Spark")
    assert judge(f"{invisible}Spark{invisible}", ["Spark"]) == Match("Spark")


def test_an_answer_of_only_invisible_characters_matches_nothing() -> None:
    assert judge("\u200b\u00ad\ufeff", ["Spark"]) is None
    assert spellings("\u200b \ufeff") == frozenset()


@given(st.text(alphabet=string.ascii_lowercase, min_size=6, max_size=9), st.data())
def test_one_swapped_pair_in_a_made_up_word_of_6_to_9_letters_is_forgiven(
    word: str, data: st.DataObject
) -> None:
    i = data.draw(st.integers(min_value=0, max_value=len(word) - 2))
    typo = word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    assume(typo != word and typo not in english_words())
    assume(not set(word) <= set("mdclxvi"))  # a Roman numeral is a number
    assert judge(typo, [word]) == Match(word, typo=True)
