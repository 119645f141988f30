"""The lint: statements of fact without a citation, extracts and sources no brief uses."""

from __future__ import annotations

from ..errors import Problem


def lint(ws, loaded_briefs: dict, topics: list[str], strict: bool) -> list[Problem]:
    """Uncited statements of fact, extracts no brief uses, sources no brief cites."""
    from ..compose import uncited_sentences

    severity = "error" if strict else "warning"
    corpus = ws.corpus(strict=False)
    problems: list[Problem] = []
    used: set[str] = set()
    for topic in topics:
        loaded = loaded_briefs.get(topic)
        if loaded is None:
            continue
        for loc, text, factual in loaded.prose():
            if factual:
                for sentence in uncited_sentences(text):
                    short = sentence if len(sentence) <= 70 else sentence[:67] + "..."
                    problems.append(Problem(loaded.path, loaded.line(loc),
                                            f"statement of fact without a citation: \u201c{short}\u201d",
                                            severity))
        used.update(key for _, key in loaded.cited_keys())
    if set(topics) == set(ws.topics()):
        cited_sources = set()
        for record in corpus.catalogue():  # no record is loaded: the index lists them
            if record.id not in used:
                problems.append(Problem(record.path, record.line,
                                        f"extract {record.id!r} is used by no brief", severity))
            else:
                cited_sources.add(record.source_id)
        for source_id, path, line in corpus.source_catalogue():
            if source_id not in cited_sources:
                problems.append(Problem(path, line, f"source {source_id!r} is cited by no brief",
                                        severity))
    else:
        for topic in topics:
            for record in corpus.by_topic(topic):
                if record.id not in used:
                    problems.append(Problem(record.path, record.line,
                                            f"extract {record.id!r} (topic {topic}) is used by no "
                                            "brief checked", severity))
    return problems
