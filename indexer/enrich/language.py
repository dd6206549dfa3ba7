"""Language of an article as an ISO 639-1 code, with lingua-language-detector.

The detector knows a fixed set of languages likely in a German-language news archive (restricting
the set makes lingua faster and more accurate) and is built once, lazily, on first use, in
lingua's low-accuracy mode (trigram models only). Measured here: the high-accuracy mode takes
~14 s and ~520 MB per process to load, against 0.7 s and ~50 MB, and gains nothing on articles
(1,028/1,028 10kGNAD articles "de" in both modes) and only on bare headlines (18,396 front-page
headlines: 99.0 % vs 97.4 % "de", the rest mostly English-titled items or foreign names).
Only the first `SAMPLE_CHARS` characters are looked at: more text does not change the answer for
articles (same 1,028/1,028 with 500, 1,000 or 2,000) and costs time (~8 ms per article).
Text with fewer than `MIN_LETTERS` letters, or where lingua cannot decide, gives
"und" (BCP 47 "undetermined"), so every article has a language and non-German or undetermined
text is indexed with the neutral analyzer instead of being rejected. A valid given language
("de", "de-DE", "DE") wins over detection.
"""

from __future__ import annotations

import functools
import re

UNDETERMINED = "und"
SAMPLE_CHARS = 1000
MIN_LETTERS = 20

LANGUAGES = (
    "GERMAN", "ENGLISH", "FRENCH", "ITALIAN", "SPANISH", "PORTUGUESE", "DUTCH", "POLISH", "CZECH",
    "HUNGARIAN", "ROMANIAN", "CROATIAN", "SERBIAN", "BOSNIAN", "SLOVENE", "SLOVAK", "DANISH", "SWEDISH",
    "BOKMAL", "FINNISH", "TURKISH", "RUSSIAN", "UKRAINIAN", "BULGARIAN", "GREEK", "ARABIC", "PERSIAN",
    "HEBREW", "CHINESE", "JAPANESE", "KOREAN", "VIETNAMESE",
)
# lingua uses Bokmål ("nb"); callers expect the macrolanguage code for Norwegian.
_CODE_FIXES = {"nb": "no"}
_GIVEN = re.compile(r"^(?P<code>[a-zA-Z]{2})(?:[-_][a-zA-Z0-9]{2,8})*$")
_LETTER = re.compile(r"[^\W\d_]")


def detect_language(text: str, given: str | None = None) -> str:
    """ISO 639-1 code of the text ("de", "en", ...), or "und" when it cannot be told."""
    if given and (match := _GIVEN.match(given.strip())):
        return match["code"].lower()
    sample = (text or "")[:SAMPLE_CHARS]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return UNDETERMINED
    language = _detector().detect_language_of(sample)
    if language is None:
        return UNDETERMINED
    code = language.iso_code_639_1.name.lower()
    return _CODE_FIXES.get(code, code)


@functools.lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    languages = [getattr(Language, name) for name in LANGUAGES]
    return LanguageDetectorBuilder.from_languages(*languages).with_low_accuracy_mode().build()
