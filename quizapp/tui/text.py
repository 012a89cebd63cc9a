"""Bank and learner text on screen: shown exactly as written, never read as markup.

Bank files are data. A flashcard front holding `[@click=app.quit]q[/]` must show those
characters, not a link that quits the app, and a lone `[/]` must not crash it (issue 9). So
every screen builds what quotes bank or learner text as `Content` from pieces:

- `literal(text, style="")`: bank or learner text as written (optionally in a style of ours);
- `markup(source)`: the app's own markup; `source` is a constant of the app (or holds only
  numbers and words of ours), never bank or learner text;
- `assemble(*parts)`: one `Content` from pieces; a plain `str` or a `(str, style)` piece is
  literal text, a `Content` piece (from `literal` or `markup`) stays as it is;
- `join(lines)`: pieces on separate lines (plain `str` lines are literal too).

Markup-escaping the text instead (`rich.markup.escape`) is not enough: it leaves `[$accent]`,
`[B]` and `[ b]` as tags, and mangles backslashes (`\\[b]`, a trailing `\\`).
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.content import Content

Part = Content | str | tuple[str, str]


def literal(text: str, style: str = "") -> Content:
    """`text` exactly as written (control codes dropped), in `style` if one is given."""
    return Content.styled(text, style) if style else Content(text)


def markup(source: str) -> Content:
    """Our own markup (e.g. `"[b]Front[/b]"`) as Content. Never pass bank or learner text."""
    return Content.from_markup(source)


def assemble(*parts: Part) -> Content:
    """One Content from pieces: `str` and `(str, style)` pieces are literal text (an empty
    styled piece adds nothing, as `[b][/b]` would)."""
    return Content.assemble(*(p for p in parts if not (isinstance(p, tuple) and not p[0])))


def join(lines: Iterable[Part], separator: str = "\n") -> Content:
    """Pieces one after the other with `separator` between them (a new line by default)."""
    return Content(separator).join(
        line if isinstance(line, Content) else assemble(line) for line in lines
    )
