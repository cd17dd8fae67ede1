from quizbot.invisible import looks_empty, strip_invisible


def test_zero_width_soft_hyphen_bom_and_bidi_controls_are_removed() -> None:
    assert strip_invisible("Sp\u200bar\u00adk\ufeff\u202e") == "Spark"


def test_line_breaks_and_tabs_are_kept() -> None:
    assert strip_invisible("a\tb\nc") == "a\tb\nc"


def test_a_value_of_only_invisible_characters_looks_empty() -> None:
    assert looks_empty("\u200b\u200d\x00 \ufeff")
    assert not looks_empty("\u200bx")
