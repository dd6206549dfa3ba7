"""Named entities (PER, ORG, LOC) in German text.

The statistical part is Stanford CoreNLP's German CRF (trained on GermEval 2014 and CoNLL-2003),
served by our NER service (``ner-service/``, a separate GPL-3.0 program; ``ner_service`` is its
client). The text is tokenised and split into sentences here, by spaCy's German tokenizer, so
every offset is ours; the service labels those tokens. Around it:

* a rule layer (``doc_entities``), each rule measured on GermEval dev (numbers in
  ner-service/README.md):
  - punctuation is cut from span edges; a span of place names only is split into places
    ("Pjöngjang Moskau"); role words and titles ("Präsident", "Machthaber",
    "Herrn", "Dr.") from the front of person spans; a common noun after a genitive name
    ("Kims Plan" -> "Kims"); news agencies ("Reuters", "dpa") are organisations;
  - an unknown capitalised word right after a role word is a person ("Oberst Ollendorf");
  - a person name runs on over unknown capitalised words ("Kim Jong" + "Un");
  - a name with a capitalised particle is whole ("Alexander Van" + "der Bellen", "Van der Bellen");
  - one name, one type, everywhere in the document: the words of a full person name are persons
    where they stand alone, also in the genitive ("Kim", "Kims"), and any name found once is
    found again where the model missed it.
  The rules read the German noun lexicon of the ``german-nouns`` package (Wiktionary: common noun,
  first name, surname, place, ...), so they can tell capitalised common nouns from names.
* ``extract_entities``: plain dicts with character offsets, the module's public result.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

import spacy
from spacy.lang.de import German
from spacy.language import Language
from spacy.tokens import Doc, Span

from indexer.enrich import ner_service
from indexer.enrich.canonical import is_role_word
from indexer.enrich.german_nouns import noun_lemmas, noun_lexicon

ENTITY_TYPES = ("PER", "ORG", "LOC")
# Sentences of token strings -> one label per token (``ner_service.tag``; tests pass their own).
Tagger = Callable[[list[list[str]]], list[list[str]]]

# ---------------------------------------------------------------- noun lexicon feature


def lexicon_class(word: str, lexicon: dict[str, str] | None = None) -> str:
    """The lexicon class of one token: letters from ``noun_lexicon``, 'Nc' for an unknown
    compound ending in a common noun ("Rüstungsgespräche"), 'X' for other capitalised words,
    '' for the rest."""
    lexicon = noun_lexicon() if lexicon is None else lexicon
    if not word[:1].isupper():
        return ""
    found = lexicon.get(word)
    if found:
        return found
    head = word.rsplit("-", 1)[-1]
    if head != word and head[:1].isupper():
        found = lexicon.get(head)
        if found == "N":
            return "Nc"
    for i in range(1, len(word) - 3):
        tail = word[i:]
        if lexicon.get(tail[0].upper() + tail[1:]) == "N":
            return "Nc"
    return "X"


# ---------------------------------------------------------------- tokens and tags


@functools.lru_cache(maxsize=1)
def tokenizer() -> Language:
    """spaCy's German tokenizer with its rule-based sentence splitter (no model, no network)."""
    nlp = spacy.blank("de")
    nlp.add_pipe("sentencizer")
    return nlp


def tag_docs(docs: list[Doc], tagger: Tagger | None = None) -> list[Doc]:
    """Set each doc's ``ents`` from the tagger's labels, with one tagger call for the sentences
    of all docs, so a worker's batch is one conversation with the NER service
    (``ner_service.tag`` sends it in requests of bounded size). Whitespace tokens are not
    sent; they stay outside entities unless inside a run."""
    sentences = [[[t for t in sent if not t.is_space] for sent in doc.sents] for doc in docs]
    labels = iter((tagger or ner_service.tag)(
        [[t.text for t in sent] for doc_sentences in sentences for sent in doc_sentences]))
    for doc, doc_sentences in zip(docs, sentences, strict=True):
        doc.ents = [Span(doc, sent[a].i, sent[b - 1].i + 1, label=typ)
                    for sent in doc_sentences
                    for a, b, typ in ner_service.entity_runs(next(labels))]
    return docs


def tag_texts(texts: list[str], tagger: Tagger | None = None) -> list[Doc]:
    """Each text tokenised, with the model's entities (``tag_docs``)."""
    return tag_docs([tokenizer()(text) for text in texts], tagger)


# ---------------------------------------------------------------- rule layer

_STOP_WORDS = German.Defaults.stop_words
_NAME_RE = re.compile(r"^[A-ZÄÖÜ][\w'’.-]*$")
NEWS_ORGS = {
    "dpa", "afp", "ap", "reuters", "bloomberg", "kna", "epd", "sda", "apa", "ddp", "dapd", "sid",
    "xinhua", "tass", "ria", "interfax", "kcna", "yonhap", "kyodo", "ansa", "efe", "cnn", "bbc",
    "nsc", "nato", "uno", "un", "eu", "ezb", "fbi", "cia",
}


_ENGLISH_GLUE = {"’s", "'s", "of", "the", "and", "for", "with"}
# A result or a time at a name's edge, from sports lines: "3:0 Soriano", "Lukas Klapfer 1:56,6"
_SCORE_RE = re.compile(r"^\d+:\d+(?:[.,]\d+)?\.?$")
_URL_RE = re.compile(r"^(?:https?:|www\.)|\w\.(?:com|org|net|de|at|ch)(?:/|$)", re.IGNORECASE)


def doc_entities(doc: Doc, rules: bool = True) -> list[Span]:
    """Model entities plus the rule layer, as non-overlapping spans sorted by position."""
    spans = [sp for sp in doc.ents if sp.label_ in ENTITY_TYPES]
    if not rules:
        return spans
    lexicon = noun_lexicon()
    spans = [fixed for sp in spans if (fixed := _fix_span(sp, lexicon)) is not None]
    spans = [part for sp in spans for part in _split_places(sp, lexicon)]
    spans = _persons_after_roles(doc, spans, lexicon)
    spans = _extend_persons(doc, spans, lexicon)
    spans = _particle_names(doc, spans, lexicon)
    spans = _consistent_names(doc, spans, lexicon)
    return sorted(spans, key=lambda sp: sp.start)


def _fix_span(span: Span, lexicon: dict[str, str]) -> Span | None:
    """Cut punctuation at the edges (but not a final "." or "!": "Yahoo !", "R ."), role words
    and titles before a person, a common noun after a genitive ("Kims Plan" -> "Kims", but not
    after a first name: "Hans Eichel"); news agencies are organisations. Results and times at
    the edges go ("0:0 Stranzl", "Lukas Klapfer 1:56,6"), and so does everything from a URL on
    ("Gauland pic.twitter.com/vRR4ubIRiQ Gauland").

    Measured on GermEval 2014 dev with CoreNLP's CRF: the rules that helped the small model of
    before (cutting an inflected common noun from the end of a person, dropping hyphenated
    compounds ending in a common noun) cost 21 correct spans there ("Shelly Manne",
    "Berlin-Charlottenburg", "Rhein-Sieg-Kreises") and are gone."""
    doc, start, end, label = span.doc, span.start, span.end, span.label_
    end = next((i for i in range(start, end) if _URL_RE.search(doc[i].text)), end)
    while start < end and (not _has_alnum(doc[start].text) or _SCORE_RE.match(doc[start].text)
                           or (label == "PER" and is_role_word(doc[start].text))):
        start += 1
    while end > start and _SCORE_RE.match(doc[end - 1].text):
        end -= 1
    # A final "." or "!" stays ("Yahoo !", "Susanne R .", "Chr ."), unless it is all that is left.
    while end > start and not _has_alnum(doc[end - 1].text) and (
            doc[end - 1].text not in ".!" or end - start == 1):
        end -= 1
    if label in ("PER", "LOC"):
        for i in range(start, end - 1):
            if _genitive_before_noun(doc, i, i > start, lexicon):
                end = i + 1  # "Kims Plan", but "Hans Eichel" and "François Hollande"
                break
    if start == end:
        return None
    if label == "PER" and sum(t.lower_ in _ENGLISH_GLUE for t in doc[end : end + 3]) >= 2:
        return None  # the start of an English name: "Democratic People’s Republic of Korea"
    if end - start == 1 and doc[start].text.lower() in NEWS_ORGS:
        label = "ORG"
    if (start, end, label) == (span.start, span.end, span.label_):
        return span
    return Span(doc, start, end, label=label)


def _genitive_before_noun(doc: Doc, i: int, after_name: bool, lexicon: dict[str, str]) -> bool:
    """Whether token ``i`` is a name in the genitive before a common noun: "Kims Plan", "Tom
    Rostons Buch", not a name in the nominative ending in "s" ("Hans Eichel", "François
    Hollande"). The next word must be a common noun; where that is only guessed from its
    ending ("Hollande": "Lande"), the "s" word must follow another name (``after_name``) or
    its base be a name of the lexicon or the text ("Papens" where "Franz von Papen" occurs)."""
    word, following = doc[i].text, doc[i + 1].text
    if not word.endswith("s") or word in noun_lemmas():
        return False
    cls = lexicon_class(following, lexicon)
    if not _common_noun(cls):
        return False
    if cls != "Nc" or after_name or "-" in following:
        return True
    base = word[:-1]
    return any(c in lexicon_class(base, lexicon) for c in "VFTE") or any(
        token.text == base for token in doc)


def _split_places(span: Span, lexicon: dict[str, str]) -> list[Span]:
    """A span made only of place names is that many places: "Wenn Pjöngjang Moskau Waffen
    liefert" (sample 002; the model tags "Pjöngjang Moskau" as one organisation). Every word
    must be a place in the lexicon and no common noun ("Frankfurt Oder" stays: "Oder" is also
    a noun), so "Rhein-Main", "Berlin-Brandenburg" and "Sankt Petersburg" are untouched.
    Measured: GermEval 2014 dev unchanged (it fires nowhere), test unchanged (twice),
    HIPE-2020 dev 0.593 -> 0.595 ("Zürich Basel"), HIPE sonar dev 0.571 -> 0.574 ("Potsdam
    Berlin"), europeana lft 0.4269 -> 0.4271 ("Italien Belgien", "Wien Serbien", "Frankreich Italien")."""
    if len(span) < 2 or not all(_place_word(t.text, lexicon) for t in span):
        return [span]
    return [Span(span.doc, i, i + 1, label="LOC") for i in range(span.start, span.end)]


def _place_word(word: str, lexicon: dict[str, str]) -> bool:
    cls = lexicon_class(word, lexicon)
    return word.isalpha() and "T" in cls and "N" not in cls


def _common_noun(cls: str) -> bool:
    """A lexicon class of a common noun ('Plan' is also a place: NT), not of a name."""
    return cls.startswith("N") and not any(c in cls for c in "VFE")


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _name_like(token, lexicon) -> bool:
    if not _NAME_RE.match(token.text) or is_role_word(token.text):
        return False
    cls = lexicon_class(token.text, lexicon)
    return cls == "X" or any(c in cls for c in "VFE")


def _extend_persons(doc: Doc, spans: list[Span], lexicon) -> list[Span]:
    """A person name runs on over the capitalised words right after it that the lexicon does not
    know and that are no German function words: "Kim Jong" + "Un" (the CRF stops before "Un").
    Measured on GermEval 2014 dev: no span changed. (A wider rule, over particles and
    compound nouns, lost six there: "Madoff den Rest", "Heidi Klums Modelsuche".)"""
    taken = {i for sp in spans for i in range(sp.start, sp.end)}
    out = []
    for sp in spans:
        end = sp.end
        while (sp.label_ == "PER" and end < len(doc) and end not in taken
               and _NAME_RE.match(doc[end].text) and doc[end].lower_ not in _STOP_WORDS
               and lexicon_class(doc[end].text, lexicon) == "X"):
            end += 1
        out.append(sp if end == sp.end else Span(doc, sp.start, end, label="PER"))
    return out


# Capitalised name particles ("Alexander Van der Bellen", "De Maizière") and the lower-case
# ones that may follow them. The model reads lower-case particles well ("Ursula von der Leyen",
# "Vincent van Gogh") but stops a name at "der" after a capitalised one ("Alexander Van").
CAPITAL_PARTICLES = {"Van", "Von", "De", "Di", "Da", "Du", "Del", "Della", "Le", "La", "Ten", "Ter"}
_LOWER_PARTICLES = {"van", "von", "der", "den", "de", "da", "di", "del", "della", "du", "la", "le",
                    "ten", "ter", "zu"}


def _particle_names(doc: Doc, spans: list[Span], lexicon: dict[str, str]) -> list[Span]:
    """A person span that ends in a capitalised particle goes on over at most two lower-case
    particles to the capitalised word they introduce: "Alexander Van" + "der Bellen". A "Van"
    outside every span that is followed by a lower-case particle and a capitalised word starts
    a person: "Van der Bellen", but not "ein Van der Firma" (a common noun). Dutch "Van" is
    hardly a German word; "Von", "De", "Da" at the start of a German sentence mostly are, so
    they start nothing. After the model's "Van" the name may be any capitalised word
    ("Bellen" is also a noun). Measured: no span changes in GermEval 2014 dev and test or
    in the HIPE dev sets; written for 10kGNAD ("Alexander Van" was a person in 10 articles)."""
    taken = {i for sp in spans for i in range(sp.start, sp.end)}
    out = []
    for sp in spans:
        if sp.label_ == "PER" and doc[sp.end - 1].text in CAPITAL_PARTICLES:
            end = _particle_tail(doc, sp.end, taken)
            if end is not None:
                taken.update(range(sp.end, end))
                sp = Span(doc, sp.start, end, label="PER")
        out.append(sp)
    for token in doc:
        if token.text == "Van" and token.i not in taken:
            end = _particle_tail(doc, token.i + 1, taken, min_particles=1)
            if end is not None and lexicon_class(doc[end - 1].text, lexicon) != "N":
                out.append(Span(doc, token.i, end, label="PER"))
                taken.update(range(token.i, end))
    return out


def _particle_tail(doc: Doc, i: int, taken: set[int], min_particles: int = 0) -> int | None:
    """The end of "[particle [particle]] Name" starting at token ``i``, or None."""
    j = i
    while j < len(doc) and j - i < 2 and doc[j].text in _LOWER_PARTICLES and j not in taken:
        j += 1
    if j - i < min_particles or j >= len(doc) or j in taken:
        return None
    word = doc[j].text
    if not _NAME_RE.match(word) or word.lower() in _STOP_WORDS or is_role_word(word):
        return None
    return j + 1


def _persons_after_roles(doc: Doc, spans: list[Span], lexicon) -> list[Span]:
    """An unknown capitalised word right after a role word or title is a person."""
    taken = {i for sp in spans for i in range(sp.start, sp.end)}
    out = list(spans)
    for i in range(1, len(doc)):
        if i in taken or not is_role_word(doc[i - 1].text) or not _name_like(doc[i], lexicon):
            continue
        end = i + 1
        while end < len(doc) and end not in taken and _name_like(doc[end], lexicon):
            end += 1
        out.append(Span(doc, i, end, label="PER"))
        taken.update(range(i, end))
    return out


def _consistent_names(doc: Doc, spans: list[Span], lexicon) -> list[Span]:
    """One name, one type, found everywhere in the document.

    The words of multi-word person names ("Kim", "Putin") are persons wherever they stand alone,
    also in the genitive ("Kims"), even where the model said LOC or ORG; any other name found
    once is found again where the model missed it."""
    person_words: set[str] = set()
    for sp in spans:
        if sp.label_ == "PER" and len(sp) > 1:
            person_words.update(t.text for t in sp if lexicon_class(t.text, lexicon) != "N"
                                and _NAME_RE.match(t.text) and t.text not in CAPITAL_PARTICLES)
    out: list[Span] = []
    for sp in spans:
        if sp.label_ != "PER" and len(sp) == 1 and _person_word(sp.text, person_words):
            sp = Span(doc, sp.start, sp.end, label="PER")
        out.append(sp)
    known: dict[tuple[str, ...], str] = {}
    for sp in out:
        known.setdefault(tuple(t.text for t in sp), sp.label_)
    for word in person_words:
        known.setdefault((word,), "PER")
    # Candidates by their first word, longest first: one dictionary lookup per token, not a
    # scan of every known name (that scan was ~80 % of the worker's entity time).
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for words, label in sorted(known.items(), key=lambda kv: -len(kv[0])):
        by_first.setdefault(words[0], []).append((words, label))
    single_persons = {words[0] for words, label in known.items() if len(words) == 1 and label == "PER"}
    texts = [t.text for t in doc]
    taken = {i for sp in out for i in range(sp.start, sp.end)}
    for i, text in enumerate(texts):
        if i in taken:
            continue
        found = next(((len(words), label) for words, label in by_first.get(text, ())
                      if tuple(texts[i : i + len(words)]) == words
                      and not taken.intersection(range(i, i + len(words)))), None)
        if found is None and _person_word(text, single_persons):
            found = (1, "PER")   # the genitive of a person's name: "Kims"
        if found is not None:
            n, label = found
            out.append(Span(doc, i, i + n, label=label))
            taken.update(range(i, i + n))
    return out


def _person_word(word: str, names: set[str]) -> bool:
    """'Kim' or its genitive 'Kims' / "Kim's" / "Schulz'" for a name in ``names``."""
    if word in names:
        return True
    for ending in ("s", "'", "’", "’s", "'s"):
        if word.endswith(ending) and word[: -len(ending)] in names:
            return True
    return False


# ---------------------------------------------------------------- public API


def extract_entities(text: str, tagger: Tagger | None = None, *,
                     tagged: Doc | None = None) -> list[dict]:
    """Persons, organisations and places in ``text``, tagged by ``tagger`` (default: the NER
    service; raises ``ner_service.NerUnavailable`` when it cannot answer), or taken from
    ``tagged``, the text's ``tag_texts`` result.

    Returns ``[{"text", "type": "PER"|"ORG"|"LOC", "start", "end"}]`` sorted by position, with
    character offsets into ``text`` (``text[start:end] == item["text"]``)."""
    if not text or not text.strip():
        return []
    doc = tagged if tagged is not None else tag_texts([text], tagger)[0]
    return [
        {"text": sp.text, "type": sp.label_, "start": sp.start_char, "end": sp.end_char}
        for sp in doc_entities(doc)
    ]
