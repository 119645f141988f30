"""Reading pandoc's JSON AST in tests."""

from __future__ import annotations


def stringify(node) -> str:
    """Plain text of a pandoc JSON node (as pandoc's own ``stringify``)."""
    if isinstance(node, list):
        return "".join(stringify(n) for n in node)
    if not isinstance(node, dict):
        return ""
    kind, content = node.get("t"), node.get("c")
    if kind == "Str":
        return content
    if kind in ("Space", "SoftBreak", "LineBreak"):
        return " "
    if kind == "Note":
        return ""  # a note's text is not part of the text around its mark
    if kind in ("Link", "Image", "Span"):
        return stringify(content[1])
    if kind in ("Quoted",):
        mark = "\u201c" if content[0]["t"] == "DoubleQuote" else "\u2018"
        close = "\u201d" if mark == "\u201c" else "\u2019"
        return mark + stringify(content[1]) + close
    if kind == "Header":
        return stringify(content[2])
    return stringify(content)
