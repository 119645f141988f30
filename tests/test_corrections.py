"""Corrections printed once, where they help: one per brief, pinned where the analyst
asks ([@x, correction]), and saying whose work they correct in a note citing several."""

from __future__ import annotations

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
    assert both.endswith("June 2024. On Example Institute: They moved on in July.")
    # the other correction went to the first note citing its extract, which cites one source
    (first,) = [t for t in notes if "Officials said so in March." in t]
    assert notes.index(first) < notes.index(both) and "On Doe" not in first
