"""Where the stylesheets live: next to this module (shipped as package data, *.tcss).

A sheet in a screen's CSS_PATH applies to the whole app once loaded, so every selector in
it starts with the type of the screen (or dialog) it styles: `ReviewScreen #card`, never a
bare `#card` that another screen's widget of the same id would pick up.
"""

from __future__ import annotations

from pathlib import Path, PurePath

HERE = Path(__file__).resolve().parent


def styles(names: list[str]) -> list[str | PurePath]:
    """Absolute paths of the named sheets, for a screen's CSS_PATH (loaded on first show)."""
    return [HERE / name for name in names]
