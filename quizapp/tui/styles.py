"""Where the stylesheets live: next to this module (shipped as package data, *.tcss)."""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).resolve().parent


def styles(names: list[str]) -> list[Path]:
    """Absolute paths of the named sheets, for a screen's CSS_PATH (loaded on first show)."""
    return [HERE / name for name in names]
