"""Corrections printed once, where they help: one per brief, pinned where the analyst
asks ([@x, correction]), and saying whose work they correct in a note citing several."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.commands.common import build_document
from briefgen.document import plain_text
from briefgen.workspace import open_workspace
from workspaces import edit, make_workspace

SEEDS = "seeds/daily-2024-03-05.yaml"
BRIEF = "briefs/cyber.yaml"


def _notes(ws) -> list[str]:
    w = open_workspace(ws)
    _, doc = build_document(w, "cyber", w.settings(), lambda *_: None)
    return [plain_text(n.content) for n in doc.notes()]


def _caveat(ws, extract: str, caveat: str) -> None:
    edit(ws / SEEDS, f"  - id: {extract}\n", f"  - id: {extract}\n    caveat: \"{caveat}\"\n")


def test_a_correction_is_printed_once_at_the_first_note_citing_it(tmp_path):
    ws = make_workspace(tmp_path)
    _caveat(ws, "daily-annual-talks", "The talks were agreed on 14 February 2024.")
    notes = _notes(ws)
    cited = [i for i, t in enumerate(notes) if "Allies Agree" in t or "Doe" in t]
    having = [i for i, t in enumerate(notes) if "were agreed on 14 February 2024" in t]
    assert len(having) == 1 and having[0] == cited[0]


def test_two_extracts_with_the_same_correction_print_it_once(tmp_path):
    ws = make_workspace(tmp_path)
    _caveat(ws, "daily-annual-talks", "Officials say so; no document confirms it.")
    _caveat(ws, "daily-cyber-priority", "Officials say so; no document confirms it")
    notes = _notes(ws)
    assert sum("no document confirms it" in t for t in notes) == 1


def test_two_extracts_sharing_a_facts_key_print_one_correction(tmp_path):
    ws = make_workspace(tmp_path)
    edit(ws / SEEDS, "    topics: [cyber]\n  - id: daily-cyber-priority",
         "    topics: [cyber]\n    facts:\n      - {key: exercises, value: 1, as_of: 2024-03-05}\n"
         "  - id: daily-cyber-priority")
    _caveat(ws, "daily-annual-talks", "One exercise was held by March 2024.")
    _caveat(ws, "daily-cyber-priority", "There was one exercise by then.")
    notes = _notes(ws)
    assert sum("exercise" in t for t in notes) == 1


def test_a_pinned_correction_goes_to_the_note_that_pins_it(tmp_path):
    ws = make_workspace(tmp_path)
    _caveat(ws, "daily-annual-talks", "The talks were agreed on 14 February 2024.")
    edit(ws / BRIEF, "Talks began in Brussels [@daily-annual-talks].",
         "Talks began in Brussels [@daily-annual-talks, correction].")
    text = (ws / BRIEF).read_text(encoding="utf-8")
    notes = _notes(ws)
    having = [i for i, t in enumerate(notes) if "were agreed on 14 February 2024" in t]
    assert len(having) == 1
    # the pinning note is the second of the key points: count the citations before it
    before = text[:text.index("[@daily-annual-talks, correction]")].count("[@")
    assert having == [before]


def test_a_note_citing_several_sources_says_whose_error_it_corrects(tmp_path):
    ws = make_workspace(tmp_path)
    (ws / "seeds" / "think-2024-06.txt").write_text("Headline\nCyber talks moved on in June.\n",
                                                    encoding="utf-8")
    (ws / "seeds" / "think-2024-06.yaml").write_text(
        "source:\n  id: think-2024-06\n  kind: think-tank\n  text: think-2024-06.txt\n"
        "  publisher: The Example Institute\n  date: 2024-06\n  accessed: 2026-11-23\n  front_matter: 1\n"
        "extracts:\n  - id: think-talks\n    quote: Cyber talks moved on in June.\n    topics: [cyber]\n"
        "    caveat: \"They moved on in July.\"\n", encoding="utf-8")
    _caveat(ws, "daily-cyber-priority", "Officials said so in March.")
    edit(ws / BRIEF, "[@daily-annual-talks; @daily-cyber-priority]",
         "[@daily-cyber-priority; @think-talks]")
    notes = _notes(ws)
    (both,) = [t for t in notes if "Example Institute" in t and "Doe" in t]
    assert both.endswith("June 2024. On Example Institute: they moved on in July.")
    # the other correction went to the first note citing its extract, which cites one source
    (first,) = [t for t in notes if "Officials said so in March." in t]
    assert notes.index(first) < notes.index(both) and "On Doe" not in first


def _two_sources_with_caveat(tmp_path, caveat: str) -> str:
    """The note citing two sources whose second extract carries ``caveat``."""
    ws = make_workspace(tmp_path)
    (ws / "seeds" / "think-2024-06.txt").write_text("Headline\nCyber talks moved on in June.\n",
                                                    encoding="utf-8")
    (ws / "seeds" / "think-2024-06.yaml").write_text(
        "source:\n  id: think-2024-06\n  kind: think-tank\n  text: think-2024-06.txt\n"
        "  publisher: The Example Institute\n  date: 2024-06\n  accessed: 2026-11-23\n  front_matter: 1\n"
        "extracts:\n  - id: think-talks\n    quote: Cyber talks moved on in June.\n    topics: [cyber]\n"
        f"    caveat: \"{caveat}\"\n", encoding="utf-8")
    edit(ws / BRIEF, "[@daily-annual-talks; @daily-cyber-priority]",
         "[@daily-cyber-priority; @think-talks]")
    (both,) = [t for t in _notes(ws) if "Example Institute" in t and "Doe" in t]
    return both


def test_after_on_whose_colon_a_correction_starts_in_lower_case(tmp_path):
    # CMOS 6.63: within a sentence, the word after a colon is lower case unless a name
    both = _two_sources_with_caveat(tmp_path, "The piece is dated June 2024, not July.")
    assert both.endswith("On Example Institute: the piece is dated June 2024, not July.")


def test_a_name_or_two_sentences_after_the_colon_keep_their_capital(tmp_path):
    both = _two_sources_with_caveat(tmp_path, "Finland joined in April. The talks moved on in July.")
    assert both.endswith("On Example Institute: Finland joined in April. The talks moved on in July.")


def test_after_colon_lowers_only_common_words():
    from briefgen.sentences import after_colon

    assert after_colon("Officially the ITPP, adopted in 2023.") == "officially the ITPP, adopted in 2023."
    assert after_colon("Correct on 14 February 2023; Finland joined later.") == (
        "correct on 14 February 2023; Finland joined later.")
    # a word the quotation writes in lower case is common; one written capitalised inside
    # a sentence is a name
    assert after_colon("Talks began in May.", "the talks began") == "talks began in May."
    assert after_colon("Crescente misdates it.", "as Crescente wrote") == "Crescente misdates it."
    for kept in ("NATO dates it to 2005.", "South Korea joined in 2022.", "Finland joined in April.",
                 "\u201cWashington Declaration\u201d means the summit declaration.", "KF-VUB is a think tank.",
                 "Yoon attended three summits."):
        assert after_colon(kept) == kept


_AROUND = list("ab zZ,;.'-_1\u2019\u00e9\u0661\u00b2\u2028\t") + ["a ", ", ", "; ", "Z ", ". ", "s"]
_WORD = st.sampled_from(["talks", "Talks", "officially", "Crescente", "a"])


@settings(max_examples=500, deadline=None)
@given(_WORD.flatmap(lambda word: st.tuples(st.just(word), st.lists(
    st.sampled_from([*_AROUND, word, word, word.upper(), word[:-1]]), max_size=10))))
def test_the_word_searches_find_what_their_patterns_find(case):
    """after_colon's two searches, made without compiling a pattern per word, are held to
    the patterns they stand for."""
    import re

    from briefgen.sentences import _follows_lower, _stands_alone

    word, pieces = case
    text = "".join(pieces)
    assert _stands_alone(word, text) == (re.search(rf"(?<![\w\u2019'-]){word}\b", text) is not None)
    assert _follows_lower(word, text) == (re.search(rf"(?<=[a-z,;] ){word}\b", text) is not None)
