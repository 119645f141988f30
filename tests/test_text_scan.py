"""The evidence checks' text readers give what their plain regular expressions give.

``opens``, ``word_before`` and ``_after_the`` look back from a position instead of
searching the whole text before it (which made a long paragraph quadratic), and
``find_dates`` lets a lookahead skip places no date can start. Each must read every
text exactly as the plain expression does: these tests compare them on the project's
own texts and on generated ones full of the characters the rules turn on.
"""

from __future__ import annotations

import functools
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
_OPENS = re.compile(T.OPENS_PATTERN)
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
        assert T.opens(text, pos) == (_OPENS.search(before) is not None), (text, pos)
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
                   "e.g. ", "U.S. ", " J. ", "Gen. ", "no. ", "\u00c9", "\u0661", "approx", "Approx. ",
                   "paras", "X.Y.Zebra", "abcdefg", "a.bcdefg", "ninetyone", "\n"]
sentence_texts = st.lists(st.sampled_from(SENTENCE_PIECES), max_size=50).map("".join)


@SETTINGS
@given(sentence_texts)
@example("It rose. \u201c(The talks) began.\u201d U.S. Navy. Gen. Kim said. 3 ships. e.g. This. J. Doe. x. (")
def test_sentence_ends_read_forward(text: str) -> None:
    for lo in range(0, len(text) + 1, 7):
        for hi in range(lo, len(text) + 1, 5):
            assert list(S._ends(text, lo, hi)) == _ends_ref(text, lo, hi), (text, lo, hi)
    assert list(S._ends(text, 0, len(text))) == _ends_ref(text, 0, len(text))


def _sentence_start_ref(text: str, lo: int, hi: int) -> int:
    """Where the sentence ending at ``hi`` starts, reading every sentence from ``lo``."""
    start = lo
    for end in _ends_ref(text, lo, hi):
        start = end
    while start < hi and text[start].isspace():
        start += 1
    return start


@SETTINGS
@given(sentence_texts)
@example("Approx. 3 ships. It rose approx. The abcdefg. Then x.y.Zebra. Gen. Kim? Yes! \u201cNo.\u201d (Seoul)")
def test_sentence_start_read_back(text: str) -> None:
    for lo in range(0, len(text) + 1, 3):
        for hi in range(lo, len(text) + 1):
            assert S.sentence_start(text, lo, hi) == _sentence_start_ref(text, lo, hi), (text, lo, hi)


def test_sentence_start_read_back_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        for hi in range(0, len(paragraph) + 1, 11):
            lo = max(0, hi - 700)
            assert S.sentence_start(paragraph, lo, hi) == _sentence_start_ref(paragraph, lo, hi)


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


# --------------------------------------------------------------------------- words looked for in lower case

def test_the_odd_characters_are_all_that_match_a_letter_only_ignoring_case() -> None:
    """``CASE_ODD`` holds every character that a pattern ignoring case takes for an ASCII
    letter although its lower case is not that letter: the readers that look for words in
    ``text.lower()`` before trying such a pattern rely on it."""
    letter = re.compile("[a-z]", re.IGNORECASE)
    odd = [c for c in map(chr, range(128, sys.maxunicode + 1))
           if letter.fullmatch(c) and not (c.lower().isascii() and letter.fullmatch(c.lower()))]
    assert sorted(odd) == sorted(T.CASE_ODD)
    assert [c for c in map(chr, range(sys.maxunicode + 1)) if T.case_odd(f"a{c}b")] == sorted(T.CASE_ODD)


CERTAINTY_PIECES = [*NAME_PIECES, " ", " ", "certainly", "Certainly", "CLEARLY", "never", "Never", "proved",
                    "proven", "improve", "provide", "no doubt", "No  doubt", "without doubt", "doubtless",
                    "undoubtedly", "inevitable", "inevitably", "guaranteed", "alwayS", "\u017furely",
                    "\u0130ndisputably", "undeniably", "def\u0131nitely", "unquestionably", "surely", "sure"]
certainty_texts = st.lists(st.sampled_from(CERTAINTY_PIECES), max_size=30).map("".join)


def _same_certainty(text: str) -> None:
    from briefgen.checks import details as D

    assert [m.span() for m in D.certainty_words(text)] == \
        [m.span() for m in D.CERTAINTY.finditer(text)], text


@SETTINGS
@given(certainty_texts)
@example("It is \u017furely clear, def\u0131nitely PROVED and beyond doubt: never.")
def test_certainty_words_skipped_only_where_none_stands(text: str) -> None:
    _same_certainty(text)


def test_certainty_words_skipped_only_where_none_stands_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        _same_certainty(paragraph)


# --------------------------------------------------------------------------- a note's evidence, read on demand

@functools.cache
def _eager_read(text: str, context: object) -> tuple[tuple[T.Span, ...], frozenset[float], str]:
    dates: list[T.Span] = []
    for mention in T.find_dates(text, context):  # type: ignore[arg-type]
        dates.extend((mention.first, mention.last))
    return tuple(dates), frozenset(v for *_, v in T.find_numbers(text, T.NUMBER_WORDS)), T.normal(text)


def _eager_evidence(keys: list[str], corpus: object, glossary: T.Glossary) -> tuple[object, ...]:
    """A note's evidence read at once, text by text, as ``gather`` once read it: names,
    quoted texts, numbers, dates, and the numbers and dates a caveat corrects."""
    from collections import deque

    from briefgen.checks import evidence_text as E

    dates: list[T.Span] = []
    numbers: set[float] = set()
    reads: list[tuple[tuple[T.Span, ...], frozenset[float], str]] = []
    quoted: list[str] = []
    caveated = []
    source_dates: list[T.Span] = []
    seen: set[str] = set()
    done: set[str] = set()
    queue = deque(keys)
    while queue:
        key = queue.popleft()
        if key in done:
            continue
        done.add(key)
        record = corpus.extracts.get(key)  # type: ignore[attr-defined]
        if record is None:
            continue
        source = record.source
        span = E.source_date(source)
        context = span.end if span else None
        reads.append(_eager_read(E.extract_words(record.extract), context))
        if getattr(record.extract, "quote", None):
            quoted.append(reads[-1][2])
        caveat, cites = E.caveat_parts(record.extract)
        if caveat:
            reads.append(_eager_read(caveat, context))
            caveated.append((key, reads[-2], reads[-1], caveat, context))
        queue.extend(cites)
        if source.id not in seen:
            seen.add(source.id)
            got = [_eager_read(text, None) for text in E.record_texts(source)]
            reads.extend(got)
            quoted.extend(r[2] for r in got)
            if span:
                source_dates.append(span)
                dates.append(span)
            dates.extend(T.Span.of(r.date.year, r.date.month, r.date.day)
                         for r in getattr(source, "relations", None) or [] if r.date is not None)
    for read in reads:
        dates.extend(read[0])
        numbers.update(read[1])
    corrected_numbers: dict[float, str] = {}
    corrected_dates: list[tuple[T.Span, str]] = []
    for key, quote, caveat_read, caveat, context in caveated:
        if re.search(r"\b(?:correct|accurate|right|true)\s+(?:on|as of|at|in|until|to)\b", caveat, re.I):
            continue
        others = [r for r in reads if r is not quote]
        counts = [v for *_, v in T.find_numbers(caveat, T.NUMBER_WORDS,
                                               [(m.start, m.end) for m in T.find_dates(caveat, context)])]
        if counts:
            for value in quote[1] - caveat_read[1]:
                if not any(value in r[1] for r in others):
                    corrected_numbers.setdefault(value, key)
        if caveat_read[0]:
            elsewhere = [d for r in others for d in r[0]] + source_dates
            for date in quote[0]:
                if not E.holds_date(elsewhere, date):
                    corrected_dates.append((date, key))
    names = glossary.apply_words(" ".join(r[2] for r in reads))
    return names, tuple(quoted), numbers, dates, corrected_numbers, corrected_dates


def test_evidence_read_on_demand_equals_evidence_read_at_once(tmp_path: Path) -> None:
    """Every note's evidence in the repository's briefs, and each extract's alone, read
    on demand, holds the names, numbers and dates it holds read at once."""
    from briefgen.brief import CITATION, parse_citation
    from briefgen.checks import evidence_text as E
    from briefgen.workspace import open_workspace
    from workspaces import copy_repository_workspace

    ws = open_workspace(copy_repository_workspace(tmp_path / "ws"))
    corpus = ws.corpus()
    key_sets = [[key] for key in corpus.extracts]
    for topic in ws.topics():
        for _, text, _ in ws.brief(topic).prose():
            key_sets.extend(list(parse_citation(m.group(1))) for m in CITATION.finditer(text))
    assert len(key_sets) > len(corpus.extracts) + 50
    key_sets.append([*list(corpus.extracts)[:3], "no-such-extract"])
    for glossary in (GLOSSARY, T.Glossary()):
        for keys in key_sets:
            eager = _eager_evidence(keys, corpus, glossary)
            evidence = E.gather(keys, corpus, glossary)
            assert (evidence.names, evidence.quoted, evidence.numbers, evidence.dates,
                    evidence.corrected_numbers, evidence.corrected_dates) == eager, keys
            for span in eager[3]:  # type: ignore[attr-defined]
                assert evidence.has_date(span)


# --------------------------------------------------------------------------- reporting verbs, by set

VERB_PIECES = [*NAME_PIECES, " ", "said", "Said", "says", "unsaid", "said_", "_said", "\u00e9said", "said\u00e9",
               "told", "tells", "reported", "reports", "added", "adds", "denies", "x1said", "said2", "according to"]
verb_texts = st.lists(st.sampled_from(VERB_PIECES), max_size=30).map("".join)


@SETTINGS
@given(verb_texts)
@example("NATO\u2019s envoy said, \u201cwe added\u201d; unsaid, \u00e9told, told\u0661 and reports_")
def test_reporting_verbs_found_by_set_as_by_pattern(text: str) -> None:
    from briefgen.checks import speakers as SP

    verb = re.compile(rf"\b(?:{SP._VERBS})\b")
    assert SP.has_verb(text) == (verb.search(text) is not None), text
    for word in text.split():
        assert (word in SP._VERB_WORDS) == (verb.fullmatch(word) is not None), word


def test_reporting_verbs_found_by_set_as_by_pattern_in_the_project_texts() -> None:
    from briefgen.checks import speakers as SP

    verb = re.compile(rf"\b(?:{SP._VERBS})\b")
    for paragraph in _project_texts():
        for line in paragraph.splitlines():
            assert SP.has_verb(line) == (verb.search(line) is not None), line
        for word in paragraph.split():
            bare = word.strip(".,;:!?\"'\u201c\u201d\u2018\u2019()").lower()
            assert (bare in SP._VERB_WORDS) == (verb.fullmatch(bare) is not None), word


def test_a_speaker_capital_is_the_class_it_was() -> None:
    from briefgen.checks import speakers as SP

    capital = re.compile(r"^[A-Z0-9\u00c0-\u024f\uac00-\ud7af]")
    assert [c for c in map(chr, range(sys.maxunicode + 1))
            if SP._capital(c) != (capital.match(c) is not None)] == []


# --------------------------------------------------------------------------- number words, by set

NUMBER_PIECES = [*PIECES, " ", "twenty-one", "Twenty", "TWO", "tw\u0131", "\u0130", "\u212aeleven", "two_", "_two",
                 "\u00e9two", "two\u00e9", "two2", "ſix", "six", "Sixth", "dozen", "hundred", "the two", "one"]
number_texts = st.lists(st.sampled_from(NUMBER_PIECES), max_size=30).map("".join)


def _same_number_words(text: str) -> None:
    for words in (T.NUMBER_WORDS, T.DETAIL_NUMBER_WORDS, {"co-op": 2, "Two": 2, "six": 6}):
        assert list(T._WordList(words).matches(text)) == \
            [(m.start(), m.end(), m.group(0)) for m in T._words_pattern(tuple(words)).finditer(text)], text


@SETTINGS
@given(number_texts)
@example("twenty-one, TWO_ two2 \u00e9two \u212aeleven elevenths, the two, ſix and six")
def test_number_words_found_by_set_as_by_pattern(text: str) -> None:
    _same_number_words(text)


def test_number_words_found_by_set_as_by_pattern_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        _same_number_words(paragraph)


NEGATION_PIECES = [*CERTAINTY_PIECES, "not", "Not only", "NOT", "no.", "No. 5", "none", "nor", "Neither", "without",
                   "cannot", "didn't", "didn\u2019t", "N'T", "nothing", "nobody", "nowhere", "know", "\u0131"]
negation_texts = st.lists(st.sampled_from(NEGATION_PIECES), max_size=30).map("".join)


def _same_negations(text: str) -> None:
    from briefgen.checks import details as D

    assert [m.span() for m in D.negation_words(text)] == [m.span() for m in D.NEGATION.finditer(text)], text


@SETTINGS
@given(negation_texts)
@example("It did not take part, N\u2019T; n\u0131t and no. 5, nor NOBODY")
def test_negations_skipped_only_where_none_stands(text: str) -> None:
    _same_negations(text)


def test_negations_skipped_only_where_none_stands_in_the_project_texts() -> None:
    for paragraph in _project_texts():
        _same_negations(paragraph)
