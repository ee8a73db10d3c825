"""Language detection by stop words."""

from __future__ import annotations

import pytest

from cleaner.lang import detect_language_of_words, stopwords, words_of


def detect_language(texts: list[str]) -> str | None:
    return detect_language_of_words([words_of(text) for text in texts])


@pytest.mark.parametrize(
    ("language", "sentence"),
    [
        ("en", "The council said that it would open the library on Sundays from the start of next month."),
        (
            "de",
            "Der Stadtrat hat am Dienstag beschlossen, dass die Bibliothek auch am Sonntag geöffnet wird.",
        ),
        (
            "fr",
            "Le conseil a décidé que la bibliothèque serait ouverte le dimanche à partir du mois prochain.",
        ),
        ("es", "El ayuntamiento ha decidido que la biblioteca abrirá también los domingos a partir del mes."),
        ("it", "Il consiglio ha deciso che la biblioteca sarà aperta anche la domenica dal mese prossimo."),
        ("pt", "A câmara decidiu que a biblioteca vai abrir também aos domingos a partir do próximo mês."),
        (
            "nl",
            "De gemeenteraad heeft besloten dat de bibliotheek vanaf volgende maand ook op zondag open is.",
        ),
        (
            "pl",
            "Rada miasta zdecydowała, że biblioteka będzie otwarta także w niedziele od przyszłego miesiąca.",
        ),
        (
            "ru",
            "Городской совет решил, что со следующего месяца библиотека будет работать и по воскресеньям.",
        ),
    ],
)
def test_detects_the_language_of_a_sentence(language: str, sentence: str) -> None:
    assert detect_language([sentence]) == language


def test_menus_do_not_outvote_the_sentences() -> None:
    menu = ["Home", "News", "About us", "Contact us", "Sign in", "Search", "More", "Follow us"]
    sentence = "Der Stadtrat hat am Dienstag beschlossen, dass die Bibliothek auch am Sonntag geöffnet wird."
    assert detect_language([*menu, sentence]) == "de"


def test_no_language_for_figures_or_unknown_scripts() -> None:
    assert detect_language(["1 Kyle Busch 5040 5 1 17 27", "2 Martin Truex Jr. 5035 7 0 15 24"]) is None
    assert detect_language([]) is None


def test_stopwords_are_casefolded_and_unknown_languages_have_none() -> None:
    assert "the" in stopwords("en")
    assert stopwords("xx") == frozenset()
    assert words_of("Don't STOP") == ["don't", "stop"]
