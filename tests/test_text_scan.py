"""The evidence checks' text readers give what their plain regular expressions give.

``opens``, ``word_before`` and ``_after_the`` look back from a position instead of
searching the whole text before it (which made a long paragraph quadratic), and
``find_dates`` lets a lookahead skip places no date can start. Each must read every
text exactly as the plain expression does: these tests compare them on the project's
own texts and on generated ones full of the characters the rules turn on.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from briefgen import sentences as S
from briefgen.checks import text as T
from briefgen.sentences import word_before

ROOT = Path(__file__).resolve().parent.parent

# The characters and words the rules turn on, and some that look like them.
PIECES = [*"aAjJsSmMnNdDeEtThH ſK\n\t\r\u2003\u00a0.!?:;,\u201d\"'\u2019)\u201c(\u2018[]_-\u2013\u2014/0123456789",
          "January", "May", "Sept", "sept", "JULY", "Dec", "e.g.", "Gen.", "2023", "11", "\u0661\u0662",
          "the", "The", "tHe", "two", "eleven", "second", "1,000", "3.5", "bathe", "_the", "NATO",
          "Republic of Korea", "ſixteen", "SEVENTEEN", "ninety-nine", "4th", "12,500"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))

_WORD_BEFORE = re.compile(r"[\w.]*$")
_THE = re.compile(r"\bthe\s+$", re.IGNORECASE)


def _project_texts() -> list[str]:
    """Paragraphs of every archived text and every spec in the repository."""
    out: list[str] = []
    for path in sorted([*ROOT.glob("seeds/*.txt"), *ROOT.glob("briefs/*.yaml")]):
        out.extend(path.read_text(encoding="utf-8").split("\n\n"))
    return out


def _same_as_patterns(text: str) -> None:
    for pos in range(len(text) + 1):
        before = text[:pos]
        assert T.opens(text, pos) == (T._OPENS.search(before) is not None), (text, pos)
        m = _WORD_BEFORE.search(before)
        assert word_before(text, 0, pos) == (m.group(0) if m else ""), (text, pos)
        assert T._after_the(text, pos) == (_THE.search(before) is not None), (text, pos)


@SETTINGS
@given(texts)
def test_look_back_readers_match_their_patterns(text: str) -> None:
    _same_as_patterns(text)


def test_look_back_readers_match_on_the_project_texts() -> None:
    paragraphs = _project_texts()
    assert paragraphs
    for paragraph in paragraphs:
        for line in paragraph.splitlines()[:3]:  # whole paragraphs would be slow: lines will do
            _same_as_patterns(line[:300])


def _dates_without_lookahead(text: str) -> list[tuple[int, int, str]]:
    start = len(T._DATE_START) + len("(?:")
    plain = re.compile(T._DATE.pattern[start:-1], T._DATE.flags)
    return [(m.start(), m.end(), m.group(0)) for m in plain.finditer(text)]


@SETTINGS
@given(texts)
def test_date_lookahead_changes_no_match(text: str) -> None:
    assert [(m.start(), m.end(), m.group(0)) for m in T._DATE.finditer(text)] == \
        _dates_without_lookahead(text)


def test_date_lookahead_changes_no_match_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        assert [(m.start(), m.end(), m.group(0)) for m in T._DATE.finditer(paragraph)] == \
            _dates_without_lookahead(paragraph)


def test_date_lookahead_admits_every_month_however_cased() -> None:
    """The lookahead lets through every character the month names match ignoring case."""
    months = [m.capitalize() for m in T.MONTHS]
    ahead = re.compile(T._DATE_START, re.IGNORECASE)
    for month in months:
        for variant in (month, month.upper(), month.lower(), month.replace("s", "\u017f")):
            if re.fullmatch(month, variant, re.IGNORECASE):
                assert ahead.match(variant), variant


def _number_spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in pattern.finditer(text)]


@SETTINGS
@given(texts)
def test_number_lookaheads_change_no_match(text: str) -> None:
    for words in (T.NUMBER_WORDS, T.DETAIL_NUMBER_WORDS):
        plain = re.compile(r"\b(" + "|".join(sorted(words, key=len, reverse=True)) + r")\b",
                           re.IGNORECASE)
        assert _number_spans(T._words_pattern(tuple(words)), text) == _number_spans(plain, text)
    assert _number_spans(T._NUM_RE, text) == _number_spans(re.compile(T._NUM), text)


# --------------------------------------------------------------------------- names, token by token
#
# ``name_words``, ``common_words``, ``known_in`` and ``find_names`` read only the tokens that
# can matter (capitalised words and joiners, found by a quick scan). The references below
# read every token of ``_TOKEN.finditer``, as these functions once did.

NAME_PIECES = [*PIECES, *"Ⓐⓐǅé²ªİ&K", "of", "for", "on", "and", "de", "In", "of-", "the.", "Korea\u2019s",
               "U.S.", "Seoul", "X", "x-Of", "NATO\u2019s", "Gen.", "\u00c9lys\u00e9e", "'the", "_Of"]
name_texts = st.lists(st.sampled_from(NAME_PIECES), max_size=40).map("".join)


def _name_words_ref(text: str) -> set[str]:
    return {m.group().rstrip(".") for m in T._TOKEN.finditer(text)
            if m.group()[0].isupper() and not T.opens(text, m.start())}


def _common_words_ref(text: str) -> set[str]:
    return {w for token in T._TOKEN.findall(text) if (w := token.rstrip(".")).islower()}


def _find_names_ref(text: str, skip: list[tuple[int, int]],
                    known: set[str]) -> list[tuple[int, int, str]]:
    tokens = [(m.start(), m.end(), m.group(0)) for m in T._TOKEN.finditer(text)]
    tokens = [tok for tok in tokens if not any(s < tok[1] and tok[0] < e for s, e in skip)]
    inside = {t.rstrip(".") for s, _, t in tokens if t[0].isupper() and not T.opens(text, s)}
    runs: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    pending: list[tuple[int, int, str]] = []
    for tok in tokens:
        s, _e, t = tok
        gap = text[(pending or current)[-1][1]:s] if (pending or current) else ""
        is_name_word = t[0].isupper() and t[0].isalpha() and t.rstrip(".").lower() not in T._MONTH_INDEX
        possessive = bool(current) and T._POSSESSIVE.search(current[-1][2]) is not None
        if is_name_word and (not current or gap.strip() == "") and not possessive:
            current.extend(pending)
            pending = []
            current.append(tok)
            continue
        if current and t.lower() in T._JOINERS and gap.strip() == "" and t.islower():
            pending.append(tok)
            continue
        if current:
            runs.append(current)
        current, pending = ([tok] if is_name_word else []), []
    if current:
        runs.append(current)
    out = []
    for run in runs:
        while run and run[0][2].lower() in T.FUNCTION_WORDS:
            run = run[1:]
        first = run[0][2].rstrip(".") if run else ""
        if (len(run) > 1 and T.opens(text, run[0][0]) and not T._ACRONYM.match(run[0][2])
                and first not in inside and first not in known):
            run = run[1:]
        while run and run[-1][2].lower() in T._JOINERS:
            run = run[:-1]
        if not run:
            continue
        start, end = run[0][0], run[-1][1]
        name = text[start:end]
        stripped = re.sub(r"(?:[\u2019']s?|\.)$", "", name)
        if not T._ACRONYM.match(name):
            end -= len(name) - len(stripped)
            name = stripped
        if not name:
            continue
        if (len(run) == 1 and T.opens(text, start) and not T._ACRONYM.match(name)
                and run[0][2].rstrip(".") not in inside and run[0][2].rstrip(".") not in known):
            continue
        out.append((start, end, name))
    return out


def _same_names(text: str) -> None:
    names = _name_words_ref(text)
    assert T.name_words([text]) == names, text
    assert T.common_words([text]) == _common_words_ref(text), text
    assert T.name_and_common_words([text]) == (names, _common_words_ref(text)), text
    skip = [(m.start(), m.end()) for m in re.finditer(r"\d+|May|of", text)]
    for known in (set(), names | {"Seoul", "The", "In", "X"}):
        assert T.find_names(text, (), known) == _find_names_ref(text, [], known), text
        assert T.find_names(text, skip, known) == _find_names_ref(text, skip, known), text
        # the memo key holds every word of ``known`` that find_names can ask about
        asked = {t.rstrip(".") for t in T._TOKEN.findall(text) if t[0].isupper()}
        assert T.known_in(text, known) == frozenset(asked & known), text


@SETTINGS
@given(name_texts)
@example("a&Bravo Of x-Of Charlie of-Delta \u2019Echo Ⓐ \u24b6 _Fox Golf_Hotel")
@example("The Republic of Korea\u2019s Minister. In Seoul, the U.S. Navy (Pacific) and\u00a0NATO")
def test_name_readers_match_reading_every_token(text: str) -> None:
    _same_names(text)


def test_name_readers_match_reading_every_token_on_the_project_texts() -> None:
    for paragraph in _project_texts():
        _same_names(paragraph)


# --------------------------------------------------------------------------- dates, where they may start

DATE_PIECES = [*PIECES, "mayor", "MARCH", "mArCh", "\u0130", "\u0131", "Augu\u017ft", "19", "20", "99",
               "2023-07-11", "13.07.2023", "13\u201315 December", "July\u2013September 2022", "of 2023"]
date_texts = st.lists(st.sampled_from(DATE_PIECES), max_size=40).map("".join)


def _same_dates(text: str) -> None:
    assert [(m.start(), m.end(), m.group(0)) for m in T._date_matches(text)] == \
        [(m.start(), m.end(), m.group(0)) for m in T._DATE.finditer(text)], text


@SETTINGS
@given(date_texts)
@example("in 2012\u20132024, 11 July, 12.07.2024 and May 2023; Sept 9 mayor x2023 1-2023")
def test_dates_tried_only_where_they_may_start(text: str) -> None:
    _same_dates(text)


def test_dates_tried_only_where_they_may_start_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        _same_dates(paragraph)


def _normal_ref(text: str) -> str:
    from briefgen.quotes import fold

    t = fold(text).lower()
    t = re.sub(r"'s\b|s'(?=\s|$)", "", t)
    t = re.sub(r"[^\w\s]", " ", t)
    return " ".join(T._SPELLING.get(w, w) for w in t.split())


@SETTINGS
@given(name_texts)
@example("The allies\u2019 programme \u2014 NATO's  defence\u00a0centre's\ns' x\u2019s\u2003")
def test_normal_reads_as_folded_text(text: str) -> None:
    assert T.normal(text) == _normal_ref(text)


# --------------------------------------------------------------------------- sentence ends

def _ends_ref(text: str, lo: int, hi: int) -> list[int]:
    """Where sentences start, reading the rest of the text after each end as a copy."""
    out = []
    for match in S._SENTENCE_END.finditer(text, lo, hi):
        after = match.end()
        if after >= hi:
            break
        follower = text[after:hi].lstrip(S._OPENERS)[:1]
        if not follower or not (follower.isupper() or follower.isdigit()):
            continue
        if text[match.start()] == ".":
            m = _WORD_BEFORE.search(text[lo:match.start()])
            word = m.group(0) if m else ""
            if word.lower() in S._ABBREVIATIONS or len(word) == 1 or re.fullmatch(r"(?:\w\.)+\w", word):
                continue
        out.append(after)
    return out


SENTENCE_PIECES = [*PIECES, " ", " ", ". ", "? ", "! ", ".\u201d ", ".) ", " \u201cThe", " (Seoul", " [x",
                   "e.g. ", "U.S. ", " J. ", "Gen. ", "no. ", "\u00c9", "\u0661"]
sentence_texts = st.lists(st.sampled_from(SENTENCE_PIECES), max_size=50).map("".join)


@SETTINGS
@given(sentence_texts)
@example("It rose. \u201c(The talks) began.\u201d U.S. Navy. Gen. Kim said. 3 ships. e.g. This. J. Doe. x. (")
def test_sentence_ends_read_forward(text: str) -> None:
    for lo in range(0, len(text) + 1, 7):
        for hi in range(lo, len(text) + 1, 5):
            assert list(S._ends(text, lo, hi)) == _ends_ref(text, lo, hi), (text, lo, hi)
    assert list(S._ends(text, 0, len(text))) == _ends_ref(text, 0, len(text))


# --------------------------------------------------------------------------- the glossary, word by word

def _house_glossary() -> T.Glossary:
    from briefgen.yamlload import load_yaml

    settings = load_yaml(ROOT / "templates" / "settings.yaml", "settings.yaml", kind="settings").data
    groups = settings.get("glossary") or [["Republic of Korea", "ROK", "South Korea"]]
    return T.Glossary([*groups, ["U.S.", "United States"], ["the Alliance", "NATO"]])


GLOSSARY = _house_glossary()
GLOSSARY_PIECES = [*NAME_PIECES, " ", " ", "  ", "Republic of Korea", "South Korea", "south korean",
                   "U.S.", "us", "USA", "NATO", "the Alliance", "alliance", "Korea", "of", "Japan"]
glossary_parts = st.lists(st.lists(st.sampled_from(GLOSSARY_PIECES), max_size=12).map("".join), max_size=6)


@SETTINGS
@given(glossary_parts)
@example(["the Republic of", "Korea and the U.S.", "", "South Korea\u2019s alliance"])
def test_glossary_by_words_matches_its_pattern(parts: list[str]) -> None:
    normal = [T.normal(p) for p in parts]
    for text in (*normal, " ".join(normal)):
        assert GLOSSARY.apply_words(text) == GLOSSARY.apply(text), text


def test_capital_scan_admits_every_upper_case_character() -> None:
    """The quick class the name readers scan for leaves out only characters that are not
    upper case (it is written to skip quotes, dashes and spaces at once)."""
    left_out = [c for c in map(chr, range(sys.maxunicode + 1))
                if c.isupper() and T._MAY_CAPITAL.match(c) is None]
    assert left_out == []
    assert all(T._MAY_NAME.match(c) for c in "AZ\u00c0\u0130\u24b6")
