"""A hedge the evidence carries, dropped by the sentence.

Evidence that says a thing is "reportedly" so, "planned", "proposed", "expected",
"under consideration", "agreed to explore", "not officially" done, or that something
"may" happen, does not carry a sentence that states the thing as done or certain:
"not officially organised by NATO" does not carry "rather than organised by NATO".

Each hedge of a cited text (a quotation or paraphrase, a caveat, a record's title)
governs the words after it in its clause — the thing hedged — and, for a hedge on the
whole clause ("reportedly", "is said to"), the words before it too. A sentence is
about that thing when it holds three of those words, or two of which one is among
the first two words of the hedged part and not a name (word stems: "organised" is
"organized", "drills" is "drill"), so that "South Korea" alone makes no match. It drops the
hedge when it keeps none of its own — no hedge word ("planned", "would", "may",
"proposed", "discussed" …) from a dozen words before those words to a few after them,
and no attribution anywhere ("according to", "reportedly", a reporting verb: "a
commentary argues") — and no cited text states the same words outside a hedge.

Cheap by construction: a note's evidence is read for hedges once per set of keys
(most evidence holds none, and then no sentence citing it is read at all).
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..plain import LazyPattern
from .evidence_text import EvidenceRecord, evidence_records, extract_words
from .text import FUNCTION_WORDS

#: Hedges on the whole clause: the words before and after them are hedged.
_CLAUSE = (r"reportedly|allegedly|purportedly|supposedly|in principle|unconfirmed"
           r"|(?:is|are|was|were|been|being) (?:said|reported|believed|thought|understood|rumou?red) to"
           r"|(?:is|are|was|were|has|have|had|do|does|did) not(?! only| least| just| merely| officially| formally)"
           r"|(?:is|are|was|were|has|have|had|do|does|did)n[\u2019']t|never|denied|denies|ruled out|rules out")
#: Hedges on what follows them. "may" is only a verb in lower case and before no number
#: ("May 2022" is a month); "officially" and "formally" hedge only when denied.
_AHEAD = (r"(?-i:may)(?!\s+\d)|might|could|would|will|(?:slated|scheduled) to|due to be|(?:is|are) to be"
          r"|(?:plans?|planned|planning|intends?|intended|intending|aims?|aimed|aiming|seeks?|sought"
          r"|seeking|hopes?|hoped|hoping|wants?|wanted|expects?|expected|likely|unlikely|poised|set"
          r"|ready|willing|proposes?|proposed|proposing|pledged?|pledges|promised?|promises|vowe?d?|vows"
          r"|committed|commits|offered|offers|asked|agreed in principle|invited) to"
          r"|proposed|proposals?|considering|considers?|under consideration|draft|tentative(?:ly)?"
          r"|potential(?:ly)?|possible|possibly|prospective|explor(?:e|es|ed|ing|ation)"
          r"|discuss(?:es|ed|ing)?|discussions?|envisag(?:e|es|ed|ing)"
          r"|contemplat(?:e|es|ed|ing)|mull(?:s|ed|ing)|call(?:s|ed)? for|urg(?:e|es|ed|ing)"
          r"|(?:not|never|n['\u2019]t)\s+(?:yet\s+)?(?:officially|formally)|unofficial(?:ly)?|informal(?:ly)?")
#: A contract, agreement or order to do a thing is not the thing done: "signed a contract
#: with Romania … to supply 54 K9 howitzers" (what is hedged follows the "to").
_DEAL = r"(?P<deal>contract|agreement|deal|order|memorandum|accord)s?\b[^.;:\u2014]{0,80}?\bto(?= \w)"
_HEDGE = LazyPattern(rf"\b(?:(?P<clause>{_CLAUSE})|{_DEAL}|(?P<ahead>{_AHEAD}))\b", re.IGNORECASE)
#: A word of every hedge above, in lower case (for a hedge of several words, one of
#: them): evidence holding none of these words holds no hedge, and the pattern is not tried.
_WORDS = frozenset(
    "reportedly allegedly purportedly supposedly principle unconfirmed said reported believed thought "
    "understood rumoured rumored may might could would plan plans planned planning intend intends intended "
    "intending aim aims aimed aiming seek seeks sought seeking hope hopes hoped hoping want wants wanted "
    "expect expects expected likely unlikely poised set ready willing propose proposes proposed proposing "
    "proposal proposals pledge pledged pledges promise promised promises vow vowed vows committed commits "
    "offered offers asked considering consider considers consideration draft tentative tentatively "
    "potential potentially possible possibly prospective explore explores explored exploring exploration "
    "discuss discusses discussed discussing discussion discussions envisage envisages envisaged envisaging "
    "contemplate contemplates contemplated contemplating mull mulls mulled mulling call calls called urge "
    "urges urged urging officially formally informal informally unofficial unofficially will slated invited "
    "scheduled due not isn't wasn't aren't weren't hasn't haven't hadn't don't doesn't didn't isn’t wasn’t "
    "aren’t weren’t hasn’t haven’t hadn’t don’t doesn’t didn’t never denied denies ruled rules".split())
#: The words of a contract's hedge: read only in a text that also holds "to".
_DEAL_WORDS = frozenset("contract contracts agreement agreements deal deals order orders memorandum accord "
                        "accords".split())

#: A hedge a sentence keeps: the hedges above and words that say a thing is intended,
#: possible, under way or only talked of.
_OWN = LazyPattern(
    r"\b(?:may|might|could|would|should|plan\w*|intend\w*|intention\w*|aim\w*|seek\w*|sought|hope\w*"
    r"|want\w*|expect\w*|likely|unlikely|poised|propos\w*|pledg\w*|promis\w*|vow\w*|commit\w*"
    r"|offer\w*|consider\w*|draft|tentative\w*|potential\w*|possib\w*|perhaps|prospect\w*|explor\w*"
    r"|discuss\w*|envisag\w*|contemplat\w*|mull\w*|calls? for|called for|urg\w*"
    r"|ambition\w*|aspir\w*|goal|invit\w*|officially|formally|informal\w*|unofficial\w*|in principle"
    r"|not yet|yet to|agenda|ready to|willing|set to|due|slated|scheduled|(?:is|are|was|were) to|to be"
    r"|upcoming|forthcoming|contract\w*|agreement\w*|deals?|orders?|ordered|memorand\w*|accords?"
    r"|not|no|never|none|nor|neither|without|denie[sd]|deny|ruled out|rules out"
    r"|refus\w*|declin\w*|reject\w*|\w+n[\u2019']t)\b", re.IGNORECASE)
#: What keeps a hedge of time ("will", "is to be held"): a future or a plan of the sentence's own.
_OWN_FUTURE = LazyPattern(r"\b(?:will|shall|next|future|would|(?:is|are|was|were) to|to be)\b", re.IGNORECASE)
#: Hedges of time: the thing is to come, not done.
_FUTURE = frozenset({"will", "slated to", "scheduled to", "due to be", "is to be", "are to be"})
#: What keeps a contract's or an agreement's hedge: an undertaking of the sentence's own.
_OWN_DEAL = LazyPattern(r"\b(?:agree\w* to|sign\w*|commit\w*|undert\w*)\b", re.IGNORECASE)
#: An attribution hedges the whole sentence.
_ATTRIBUTION = LazyPattern(
    r"\b(?:according to|reportedly|allegedly|purportedly|supposedly|in the view of|in (?:its|their|his|her) view"
    r"|(?:said|says|argued|argues|reported|claimed|suggested|suggests|believes|believed|described|describes"
    r"|wrote|writes|noted|told|tells|stated|considered|assessed|assesses|contends|contended|insists|insisted"
    r"|warned|warns|acknowledged|acknowledges|see|sees|saw|regard|regards|regarded|cited|quoted|reporting"
    r"|presents?|presented|portrays?|portrayed|frames?|framed|views|characteri[sz]es|characteri[sz]ed)\b)",
    re.IGNORECASE)
_TOKEN = LazyPattern(r"[\w\u2019'-]+|[,;:()\u2013\u2014.!?\u201c\u201d\"]")
_CLAUSE_END = frozenset(",;:()\u2013\u2014.!?\u201c\u201d\"")
_NOT_CONTENT = FUNCTION_WORDS | {"is", "are", "was", "were", "be", "been", "being", "has", "have", "had",
                                  "will", "would", "may", "might", "could", "can", "should", "do", "does",
                                  "did", "s", "t", "up", "out", "new", "also", "rather", "yet"}
#: Single words of the hedges above: not what is hedged.
_HEDGE_WORDS = frozenset(
    "reportedly allegedly purportedly supposedly unconfirmed proposed proposal proposals considering "
    "consider considers draft tentative tentatively potential potentially possible possibly prospective "
    "explore explores explored exploring exploration discuss discusses discussed discussing discussion "
    "discussions envisage envisages envisaged envisaging unofficial unofficially informal informally "
    "officially formally plan plans planned planning intend intends intended aim aims aimed seek seeks "
    "sought hope hopes hoped expect expects expected likely unlikely poised ready willing pledge pledged "
    "promise promised vow vowed committed offered asked agreed will slated scheduled".split())
#: Content words of the hedged part that count: after the hedge, and before a clause hedge.
_AHEAD_WORDS = 4
_BEFORE_WORDS = 3
#: How far from the hedged words a sentence's own hedge may stand (in words).
_OWN_BEFORE = 12
_OWN_AFTER = 4


def stem(word: str) -> str:
    """A word as hedged words are compared: lower case, without a possessive, its first
    five letters ("organised" and "organized" → "organ", "drills" → "drill")."""
    w = word.lower().replace("\u2019", "'")
    return (w[:-2] if w.endswith("'s") else w)[:5]


@dataclass(frozen=True, slots=True)
class Hedged:
    """One hedge of a cited text and the stems of the words it governs."""

    hedge: str  # as written in the evidence
    key: str  # the extract whose text holds it
    lead: tuple[str, ...]  # stems of the first two content words after it, names left out
    words: frozenset[str]  # stems of every word it governs


@dataclass(frozen=True, slots=True)
class HedgeEvidence:
    """What a note's evidence hedges, and the stems each text states outside any hedge."""

    hedged: tuple[Hedged, ...]
    plain: tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class Dropped:
    """A hedge the sentence drops: the hedge, its extract, the hedged words' span."""

    hedge: str
    key: str
    start: int
    end: int

    def message(self) -> str:
        return (f"the sentence drops \u201c{self.hedge}\u201d, which its evidence ({self.key}) "
                f"says of the same thing")


def _content(token: str) -> bool:
    low = token.lower()
    return token[0].isalnum() and len(low) > 1 and low not in _NOT_CONTENT and low not in _HEDGE_WORDS


_PUNCTUATION = ",.;:()\"'\u2019\u201c\u201d!?"


@functools.lru_cache(maxsize=16384)
def _may_hedge(text: str) -> bool:
    """Whether ``text`` holds a word of ``_WORDS`` (punctuation made spaces, split at white
    space: a few passes in C for most texts)."""
    words = words_of(text)
    return not _WORDS.isdisjoint(words) or ("to" in words and not _DEAL_WORDS.isdisjoint(words))


def words_of(text: str) -> list[str]:
    """The words of ``text`` in lower case, split at white space and punctuation."""
    low = text.lower()
    for mark in _PUNCTUATION:
        if mark in low:
            low = low.replace(mark, " ")
    return low.split()


def _tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(text)]


def read_text(text: str, key: str) -> tuple[list[Hedged], frozenset[str]]:
    """The hedges of one cited text and the stems it states outside them."""
    found = hedges_in(text, key)
    return found[0], found[1]


def hedges_in(text: str, key: str) -> tuple[list[Hedged], frozenset[str], set[int], list[tuple[int, int, str]]]:
    """The hedges of one cited text, the stems it states outside them, the tokens they
    govern and the text's tokens (none read when the text holds no hedge)."""
    if not _may_hedge(text):
        return [], frozenset(), set(), []
    matches = list(_HEDGE.finditer(text))
    if not matches:
        return [], frozenset(), set(), []
    tokens = _tokens(text)
    starts = [t[0] for t in tokens]
    hedged_at: set[int] = set()
    out: list[Hedged] = []
    for m in matches:
        first = bisect_left(starts, m.start())
        after = bisect_left(starts, m.end())
        ahead: list[int] = []
        # "proposed by Stoltenberg": what follows is who proposed it, not what was proposed
        agent = after < len(tokens) and tokens[after][2].lower() == "by"
        for i in range(after, len(tokens) if not agent else after):
            word = tokens[i][2]
            if word in _CLAUSE_END or len(ahead) >= _AHEAD_WORDS:
                break
            if _content(word):
                ahead.append(i)
        before: list[int] = []
        if m.group("clause") or agent:
            for i in range(first - 1, -1, -1):
                word = tokens[i][2]
                if word in _CLAUSE_END or len(before) >= _BEFORE_WORDS:
                    break
                if _content(word):
                    before.append(i)
        governed = ahead + before
        if len(governed) < 2:
            continue
        hedged_at.update(governed)
        lead = tuple(stem(tokens[i][2]) for i in ahead[:2] if not tokens[i][2][0].isupper())
        shown = f"{m.group('deal').lower()} \u2026 to" if m.group("deal") else " ".join(m.group().split())
        out.append(Hedged(shown, key, lead,
                          frozenset(stem(tokens[i][2]) for i in governed)))
    return out, _plain(tokens, hedged_at), hedged_at, tokens


def _plain(tokens: list[tuple[int, int, str]], hedged_at: set[int]) -> frozenset[str]:
    return frozenset(stem(t[2]) for i, t in enumerate(tokens) if i not in hedged_at and _content(t[2]))


def evidence_hedges(keys: Iterable[str], corpus: Any,
                    records: Sequence[EvidenceRecord] | None = None) -> HedgeEvidence:
    """The hedges of a note's evidence: each cited extract's words and caveat (and the
    extracts the caveat cites), and each cited record's title. The stems each text
    states outside a hedge are read only when some text holds one. ``records``: the
    evidence's ``evidence_records``, if walked already (``NoteEvidence.records``)."""
    if records is None:
        records = list(evidence_records(keys, corpus))
    if not _any_hedge(records):
        return HedgeEvidence((), ())  # most evidence holds no hedge word (each text looked at once)
    hedged: list[Hedged] = []
    texts: list[tuple[str, str]] = []
    sources: set[str] = set()
    for key, record, caveat in records:
        texts += [(extract_words(record.extract), key), (caveat, key)]
        source = record.source
        if source.id not in sources:
            sources.add(source.id)
            texts += [(getattr(source, name, None) or "", key) for name in ("title", "description")]
    plain: list[frozenset[str]] = []
    unhedged: list[str] = []
    for text, key in texts:
        if not text:
            continue
        found, stated, _, _ = hedges_in(text, key)
        if found:
            hedged.extend(found)
            plain.append(stated)
        else:
            unhedged.append(text)
    if hedged:  # what the other texts state, read only now
        plain += [_plain(_tokens(text), set()) for text in unhedged]
    return HedgeEvidence(tuple(hedged), tuple(plain))


def _any_hedge(records: Sequence[EvidenceRecord]) -> bool:
    """Whether a text ``evidence_hedges`` reads (each extract's words and caveat, each
    source's title and description) may hold a hedge (``_may_hedge``)."""
    sources: set[str] = set()
    for _key, record, caveat in records:
        words = extract_words(record.extract)
        if (words and _may_hedge(words)) or (caveat and _may_hedge(caveat)):
            return True
        source = record.source
        if source.id not in sources:
            sources.add(source.id)
            for name in ("title", "description"):
                text = getattr(source, name, None)
                if text and _may_hedge(text):
                    return True
    return False


def check_sentence(sentence: str, evidence: HedgeEvidence) -> list[Dropped]:
    """Each hedge of the evidence that ``sentence`` drops (one per hedge word)."""
    if not evidence.hedged or _ATTRIBUTION.search(sentence):
        return []
    tokens = _tokens(sentence)
    stems = [stem(t[2]) if _content(t[2]) else "" for t in tokens]
    own: list[int] | None = None  # where the sentence's own hedges stand, read on first need
    own_future: list[int] = []
    own_deal: list[int] = []
    out: list[Dropped] = []
    seen: set[str] = set()
    for h in evidence.hedged:
        at = [i for i, s in enumerate(stems) if s and s in h.words]
        matched = {stems[i] for i in at}
        if len(matched) < 2 or (len(matched) < 3 and not matched.intersection(h.lead)):
            continue
        if any(matched <= plain for plain in evidence.plain):
            continue  # a cited text states it without a hedge
        first, last = min(at), max(at)
        if own is None:
            own_at, future_at = _OWN.compiled.match, _OWN_FUTURE.compiled.match
            own = [i for i, t in enumerate(tokens) if t[2][0].isalpha() and own_at(sentence, t[0])]
            own_future = [i for i, t in enumerate(tokens) if t[2][0].isalpha() and future_at(sentence, t[0])]
            deal_at = _OWN_DEAL.compiled.match
            own_deal = [i for i, t in enumerate(tokens) if t[2][0].isalpha() and deal_at(sentence, t[0])]
        if h.hedge.endswith("\u2026 to") and any(first - _OWN_BEFORE <= i <= last + _OWN_AFTER for i in own_deal):
            continue
        if h.hedge.lower() in _FUTURE and any(first - _OWN_BEFORE <= i <= last + _OWN_AFTER for i in own_future):
            continue
        if any(first - _OWN_BEFORE <= i <= last + _OWN_AFTER for i in own):
            continue
        word = h.hedge.lower()
        if word in seen:
            continue
        seen.add(word)
        out.append(Dropped(h.hedge, h.key, tokens[first][0], tokens[last][1]))
    return out

