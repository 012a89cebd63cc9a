"""The learner's key overrides: `keymap.toml` in the data directory, binding id -> keys.

    [keys]
    "dashboard.review" = "v"
    "review.reveal" = "enter,space"

Binding ids are those of the app's bindings (e.g. "dashboard.review"; `quizapp keys` lists
them). A file that cannot be read as TOML at all (unreadable, not UTF-8, bad syntax, nested
too deeply) is `KeymapUnreadable`: the app reports it in one line and starts with the default
keys. An unknown id or a malformed entry is refused in one line naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.paths import data_dir

KEYMAP_FILE = "keymap.toml"
_ID = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")  # "<screen>.<action>"
_KEYS = re.compile(r"^[A-Za-z0-9_+,]+$")


class KeymapUnreadable(QuizappError):
    """The keymap file cannot be read as TOML at all; the app ignores it (default keys)."""


def keymap_path() -> Path:
    return data_dir() / KEYMAP_FILE


def load_keymap(
    path: Path | None = None, known_ids: frozenset[str] | None = None
) -> dict[str, str]:
    """Read the overrides; {} when there is no file. QuizappError on anything malformed
    (KeymapUnreadable when the file cannot be read as TOML at all)."""
    path = path or keymap_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise KeymapUnreadable(
            f"{path}: cannot read the keymap ({err.strerror or type(err).__name__})"
        ) from err
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark (some editors add one) is fine
    except UnicodeDecodeError as err:
        raise KeymapUnreadable(
            f"{path}: not UTF-8 text (byte 0x{raw[err.start]:02x} at offset {err.start})"
        ) from err
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise KeymapUnreadable(f"{path}: not valid TOML: {err}") from err
    except RecursionError as err:  # tomllib recurses once per nested array or inline table
        raise KeymapUnreadable(f"{path}: not valid TOML: nested too deeply") from err
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or set(data) - {"keys"}:
        raise QuizappError(f'{path}: expected only a [keys] table of "binding.id" = "key"')
    keymap: dict[str, str] = {}
    for binding_id, value in keys.items():
        if isinstance(value, dict):  # `dashboard.review = "v"` unquoted: a nested table in TOML
            dotted = f"{binding_id}.{next(iter(value), 'action')}"
            raise QuizappError(
                f'{path}: key \'{dotted}\': put the binding id in quotes: "{dotted}" = "key"'
            )
        if not _ID.match(binding_id) or (known_ids is not None and binding_id not in known_ids):
            raise QuizappError(f"{path}: key '{binding_id}': unknown binding id")
        if not isinstance(value, str) or not _KEYS.match(value.replace(" ", "")):
            raise QuizappError(
                f'{path}: key \'{binding_id}\': expected keys like "v" or "ctrl+s,enter"'
            )
        keymap[binding_id] = value.replace(" ", "")
    return keymap
