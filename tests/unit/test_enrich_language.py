"""Language detection: ISO 639-1 codes for real German and non-German news text."""

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.enrich.language import UNDETERMINED, detect_language

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize("path", sorted(SAMPLES.glob("*.txt")), ids=lambda p: p.stem)
def test_samples_are_german(path):
    assert detect_language(path.read_text(encoding="utf-8")) == "de"


@pytest.mark.parametrize("code, text", [
    ("de", "Nordkoreas Machthaber Kim Jong Un will sich US-Angaben zufolge mit Russlands Präsident treffen."),
    ("de", "Die Bundesregierung hat am Mittwoch den Haushaltsentwurf für das kommende Jahr beschlossen."),
    ("de", "Der Nationalrat in Wien stimmte dem Budget mit den Stimmen der Regierungsparteien zu."),
    ("en", "The White House said on Monday that North Korean leader Kim Jong Un expects to travel to Russia."),
    ("fr", "Le dirigeant nord-coréen Kim Jong-un devrait se rendre en Russie pour rencontrer Vladimir Poutine."),
    ("it", "Il leader nordcoreano Kim Jong-un dovrebbe recarsi in Russia per incontrare il presidente Putin."),
    ("es", "El líder norcoreano Kim Jong-un viajará a Rusia para reunirse con Putin, según la Casa Blanca."),
    ("nl", "De Noord-Koreaanse leider Kim Jong-un reist naar Rusland om president Poetin te ontmoeten."),
    ("pl", "Przywódca Korei Północnej Kim Dzong Un uda się do Rosji, aby spotkać się z Putinem."),
    ("tr", "Kuzey Kore lideri Kim Jong-un, Putin ile görüşmek için Rusya'ya gidecek."),
    ("ru", "Лидер КНДР Ким Чен Ын собирается посетить Россию для встречи с Путиным."),
    ("uk", "Лідер КНДР Кім Чен Ин збирається відвідати Росію для зустрічі з Путіним."),
    ("ar", "من المتوقع أن يسافر زعيم كوريا الشمالية كيم جونغ أون إلى روسيا للقاء بوتين."),
])
def test_languages(code, text):
    assert detect_language(text) == code


@pytest.mark.parametrize("text", ["", "   ", "12345 !!! 678", "OK", "Kim?"])
def test_too_little_text_is_undetermined(text):
    assert detect_language(text) == UNDETERMINED


@pytest.mark.parametrize("given_code, expected", [("de", "de"), ("de-DE", "de"), ("EN", "en"), ("fr_CH", "fr")])
def test_valid_given_language_wins(given_code, expected):
    assert detect_language("The White House said on Monday that Kim expects to travel.", given=given_code) == expected


def test_invalid_given_language_is_ignored():
    assert detect_language("Die Bundesregierung hat am Mittwoch den Haushalt beschlossen.", given="german") == "de"


@given(st.text(max_size=300))
def test_always_a_short_code(text):
    code = detect_language(text)
    assert code == UNDETERMINED or (len(code) == 2 and code.isalpha() and code.islower())
