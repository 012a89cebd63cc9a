"""The learner's key overrides: `keymap.toml` in the data directory, binding id -> keys.

    [keys]
    "dashboard.review" = "v"
    "review.reveal" = "enter,space"

Binding ids are those of the app's bindings (e.g. "dashboard.review"); an
unknown id or a malformed file is refused in one line naming the file and the key.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from quizapp.errors import QuizappError
from quizapp.paths import data_dir

KEYMAP_FILE = "keymap.toml"
_ID = re.compile(r"^[a-z_]+\.[a-z_]+$")
_KEYS = re.compile(r"^[A-Za-z0-9_+,]+$")


def keymap_path() -> Path:
    return data_dir() / KEYMAP_FILE


def load_keymap(
    path: Path | None = None, known_ids: frozenset[str] | None = None
) -> dict[str, str]:
    """Read the overrides; {} when there is no file. QuizappError on anything malformed."""
    path = path or keymap_path()
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as err:
        raise QuizappError(f"{path}: cannot read the keymap ({err.strerror})") from err
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as err:
        raise QuizappError(f"{path}: not valid TOML: {err}") from err
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or set(data) - {"keys"}:
        raise QuizappError(f'{path}: expected only a [keys] table of "binding.id" = "key"')
    keymap: dict[str, str] = {}
    for binding_id, value in keys.items():
        if not _ID.match(binding_id) or (known_ids is not None and binding_id not in known_ids):
            raise QuizappError(f"{path}: key '{binding_id}': unknown binding id")
        if not isinstance(value, str) or not _KEYS.match(value.replace(" ", "")):
            raise QuizappError(
                f'{path}: key \'{binding_id}\': expected keys like "v" or "ctrl+s,enter"'
            )
        keymap[binding_id] = value.replace(" ", "")
    return keymap
