"""A role the sentence gives a person, which its evidence does not.

"A JCS spokesperson said …", "Lee, a deputy minister, …", "eight NATO ambassadors":
a role word written in lower case says who someone is, and the sentence may say it
only where its evidence does. The evidence here is what the note leads to: each cited
quotation or paraphrase, its caveat, the cited records (title, description, authors)
and, for an archived source, the paragraphs the note cites (its locator leads there).
A role the source gives only in a paragraph the note does not cite is the commonest
slip — the writer took it from elsewhere in the article — and the warning names that
paragraph, so that the writer can cite it.

Capitalised titles ("Defence Minister Shin") are names, which the details check holds
to the evidence. Words of one role count as one: "spokesman" for "spokesperson",
"chairman" for "chair", "ministers" and "ministerial" for "minister".
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
from .evidence_text import EvidenceRecord, evidence_records, extract_words, record_texts

#: The stems of roles, as the evidence may write them in any case and form ("Minister",
#: "ministerial", "spokesman"): a role word's stem is the first it starts with.
_STEMS = ("spokes", "minister", "ambassador", "envoy", "director", "chair", "secretar", "president",
          "deput", "commander", "admiral", "colonel", "lieutenant", "diplomat", "advis", "lawmaker",
          "senator", "governor", "mayor", "premier", "chancellor", "negotiator", "attach", "chief")
#: Role words as a sentence writes them in lower case (a capitalised title is a name).
_ROLE_WORDS = frozenset(
    "spokesperson spokespersons spokesman spokesmen spokeswoman spokeswomen spokespeople minister "
    "ministers ambassador ambassadors envoy envoys director directors director-general chairman "
    "chairmen chairwoman chairwomen chairperson chairpersons secretary-general secretaries-general "
    "president presidents vice-president vice-presidents deputy deputies commander commanders admiral "
    "admirals colonel colonels lieutenant lieutenants diplomat diplomats adviser advisers advisor "
    "advisors lawmaker lawmakers senator senators governor governors mayor mayors premier premiers "
    "chancellor chancellors negotiator negotiators attaché attachés attache attaches chief chiefs".split())
_ENDS = ".,;:()[]\"\u201c\u201d!?"
#: What makes a chief a role: "spy chief", "intelligence chiefs".
_CHIEFS = frozenset({"spy", "intelligence", "army", "defence", "defense", "military", "navy"})
_ANY_ROLE = LazyPattern(r"(?<![^\W\d_])(?:" + "|".join(_STEMS) + ")")


@dataclass(frozen=True, slots=True)
class RoleMiss:
    """A role of the sentence that its evidence does not give."""

    role: str
    keys: tuple[str, ...]
    start: int
    end: int
    #: where the cited sources give it: (source id, paragraph numbers), none cited
    elsewhere: tuple[tuple[str, tuple[int, ...]], ...] = ()

    def message(self) -> str:
        said = f"the role \u201c{self.role}\u201d is not in its evidence ({', '.join(self.keys)})"
        if not self.elsewhere:
            return said
        where = "; ".join(f"{sid} para{'s' if len(nums) > 1 else ''}. {', '.join(map(str, nums))}"
                          for sid, nums in self.elsewhere)
        return f"{said}: the source gives it only where the note does not cite it ({where})"


def stem(role: str) -> str:
    """What the evidence must hold for ``role``: "spokesman" → "spokes", "vice-president" →
    "president", "army chiefs" → "chief"."""
    low = role.lower().split()[-1].removeprefix("vice-")
    return next(s for s in _STEMS if low.startswith(s))


def stems_in(text: str) -> frozenset[str]:
    """The role stems ``text`` holds, in any case and form, each at a word's start."""
    low = text.lower()
    present = [s for s in _STEMS if s in low]  # most texts hold none: no pattern is tried
    if not present:
        return frozenset()
    return frozenset(m.group() for m in _ANY_ROLE.finditer(low) if m.group() in present)


#: Words that make the noun after them someone in particular ("a spokesperson", "its
#: director", "eight ambassadors").
_DETERMINERS = frozenset(
    "a an the its his her their our one two three four five six seven eight nine ten eleven twelve "
    "several some many both each every other these those this that another whose former acting".split())
_REPORTING = frozenset(
    "said says told tells stated states explained explains added adds noted notes argued argues warned "
    "warns announced announces confirmed confirms insisted insists stressed stresses claimed claims "
    "wrote writes denied denies acknowledged acknowledges declared declares".split())


def given_to_someone(sentence: str, start: int, end: int) -> bool:
    """Whether the role word at ``sentence[start:end]`` is given to someone: a determiner,
    a number, a possessive or a name stands in the three words before it ("a JCS
    spokesperson", "NATO's ambassadors", "eight NATO ambassadors"), a name just after it
    ("spokesperson Col. Lee"), or a reporting verb in the four words after it ("the
    minister later said"). A role in a list of words ("ministers officers staff") is not."""
    before = sentence[max(0, start - 60):start]
    for mark in ",;:(":  # the three words before, within its clause
        if mark in before:
            before = before[before.rindex(mark) + 1:]
    words = before.split()[-3:]
    for i, word in enumerate(words):
        if word.lower() in _DETERMINERS or word[0].isdigit() or word.endswith(("\u2019s", "'s")):
            return True
        # a capital makes a name, but not on the word that opens the sentence (asked only then)
        if word[0].isupper() and not (i == 0 and len(words) == len(sentence[:start].split())):
            return True
    after = sentence[end:end + 60].split()[:4]
    if after and after[0][0].isupper():
        return True
    return any(w.strip(".,;:").lower() in _REPORTING for w in after)


def role_words(text: str) -> set[str]:
    """The words of ``text`` as they are looked up among the role words: split at white
    space and apostrophes, punctuation at their ends left off."""
    return {w.strip(_ENDS) for w in text.replace("\u2019", " ").replace("'", " ").split()}


def check_sentence(sentence: str, keys: Iterable[str], corpus: Any,
                   records: Sequence[EvidenceRecord] | None = None) -> list[RoleMiss]:
    """Each lower-case role word of ``sentence``, given to someone, that the note's evidence
    does not hold (``records``: its ``evidence_records``, if walked already)."""
    hits = _ROLE_WORDS.intersection(role_words(sentence))
    if not hits:
        return []  # most sentences give no role: no pattern is tried
    found = [(a, b, word) for a, b, word in _spans(sentence, hits) if given_to_someone(sentence, a, b)]
    if not found:
        return []
    keys = tuple(keys)
    held, cited = _evidence(keys, corpus, records)
    out: list[RoleMiss] = []
    seen: set[str] = set()
    for start, end, role in found:
        role_stem = stem(role)
        if role_stem in seen or role_stem in held:
            continue
        seen.add(role_stem)
        where = [(sid, numbers, _paragraphs_with(sid, role_stem, corpus)) for sid, numbers in cited.items()]
        if any(set(numbers) & set(having) for _, numbers, having in where):
            continue  # a paragraph the note cites gives it
        out.append(RoleMiss(role, keys, start, end,
                            tuple((sid, having) for sid, _, having in where if having)))
    return out


def _spans(sentence: str, hits: Iterable[str]) -> list[tuple[int, int, str]]:
    """Where each role word of ``hits`` stands in ``sentence`` as a whole word, in order;
    "chief" only as a role ("spy chief", "intelligence chiefs")."""
    out: list[tuple[int, int, str]] = []
    for word in hits:
        at = sentence.find(word)
        while at >= 0:
            end = at + len(word)
            whole = ((at == 0 or not (sentence[at - 1].isalnum() or sentence[at - 1] == "-"))
                     and (end == len(sentence) or not (sentence[end].isalnum() or sentence[end] == "-")))
            if whole and word.startswith("chief"):
                before = sentence[:at].split()[-1:]
                whole = bool(before) and before[0].lower() in _CHIEFS
                if whole:
                    at -= len(before[0]) + 1
            if whole:
                out.append((at, end, sentence[at:end]))
            at = sentence.find(word, end)
    return sorted(out)


def _evidence(keys: tuple[str, ...], corpus: Any,
              records: Sequence[EvidenceRecord] | None) -> tuple[frozenset[str], dict[str, set[int]]]:
    """The role stems of the note's evidence texts, and the paragraphs it cites of each
    source it leads to."""
    texts: list[str] = []
    cited: dict[str, set[int]] = {}
    for key, record, caveat in records if records is not None else evidence_records(keys, corpus):
        texts += [extract_words(record.extract), caveat]
        source = record.source
        if source.id not in cited:
            texts += record_texts(source)
        numbers = cited.setdefault(source.id, set())
        if key in keys and getattr(record, "paragraph", None):
            numbers.add(record.paragraph)
    return stems_in(" ".join(texts)), cited


def _paragraphs_with(sid: str, role_stem: str, corpus: Any) -> tuple[int, ...]:
    """The numbered paragraphs of an archived source that give a role, found once a
    loaded archive (``Corpus.memo``) for each source and role."""
    from . import memo_table

    def read() -> tuple[int, ...]:
        held = (getattr(corpus, "sources", None) or {}).get(sid)
        at_start = _at_word_start(role_stem)
        return tuple(p.number for p in getattr(held, "paragraphs", None) or []
                     if p.number is not None and at_start(p.text.lower()) is not None)

    numbers: tuple[int, ...] = memo_table(corpus, "role-paragraphs").get((sid, role_stem), read)
    return numbers


@functools.lru_cache(maxsize=64)
def _at_word_start(role_stem: str) -> Callable[[str], re.Match[str] | None]:
    """A search for ``role_stem`` at the start of a word."""
    return re.compile(rf"(?<![^\W\d_]){re.escape(role_stem)}").search
