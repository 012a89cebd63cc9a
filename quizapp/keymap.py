"""The learner's key overrides: `keymap.toml` in the data directory, binding id -> keys.

    [keys]
    "dashboard.review" = "v"
    "review.reveal" = "enter,space"

Binding ids are those of the app's bindings (e.g. "dashboard.review"; `quizapp keys` lists
them). A file that cannot be read as TOML at all (unreadable, not UTF-8, bad syntax, nested
too deeply) is `KeymapUnreadable`: the app reports it in one line and starts with the default
keys. An unknown id or a malformed entry is refused in one line naming the file and the key;
with `problems` given, that entry is left out instead (it keeps its default keys) and the
line is added to `problems`. `check_keys` does the same for key names Textual does not know
and for two actions of one screen on one key.
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
    path: Path | None = None,
    known_ids: frozenset[str] | None = None,
    problems: list[str] | None = None,
) -> dict[str, str]:
    """Read the overrides; {} when there is no file. QuizappError on anything malformed
    (KeymapUnreadable when the file cannot be read as TOML at all); with `problems`, a
    malformed entry is left out and its one line appended there instead."""
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
        fault = _entry_fault(binding_id, value, known_ids)
        if fault is None:
            keymap[binding_id] = value.replace(" ", "")
        elif problems is None:
            raise QuizappError(f"{path}: {fault}")
        else:
            problems.append(f"{path}: {fault}")
    return keymap


def _entry_fault(binding_id: str, value: object, known_ids: frozenset[str] | None) -> str | None:
    """What is wrong with one `"id" = "keys"` entry (None: nothing)."""
    if isinstance(value, dict):  # `dashboard.review = "v"` unquoted: a nested table in TOML
        dotted = f"{binding_id}.{next(iter(value), 'action')}"
        return f'key \'{dotted}\': put the binding id in quotes: "{dotted}" = "key"'
    if not _ID.match(binding_id) or (known_ids is not None and binding_id not in known_ids):
        return f"key '{binding_id}': unknown binding id"
    if not isinstance(value, str) or not _KEYS.match(value.replace(" ", "")):
        return f'key \'{binding_id}\': expected keys like "v" or "ctrl+s,enter"'
    return None


def bad_key_name(key: str, names: frozenset[str], modifiers: frozenset[str]) -> bool:
    """True when `key` ("ctrl+s", "v", "question_mark") is not a key Textual can send."""
    *mods, name = key.split("+")
    return name not in names or any(m not in modifiers for m in mods) or len(set(mods)) != len(mods)


def check_keys(
    keymap: dict[str, str],
    scopes: list[tuple[str, dict[str, str]]],
    names: frozenset[str],
    modifiers: frozenset[str],
    path: Path | None = None,
) -> tuple[dict[str, str], list[str]]:
    """`keymap` without the entries that cannot work, and a line for each one left out.

    `scopes` is (screen, {binding id: default keys}) for every set of bindings active at
    once (a screen's together with the app's). An entry is left out (its binding keeps its
    default keys) when one of its keys is not a key name (`names`, after `modifiers+`), or
    when one of its keys is also another action's on a screen where both are active: of two
    entries on one key the later one is left out; an entry on another binding's default key
    is left out, so it never takes that key away silently."""
    where = f"{path or keymap_path()}: "
    problems: list[str] = []
    kept: dict[str, str] = {}
    for binding_id, keys in keymap.items():
        wrong = [k for k in keys.split(",") if bad_key_name(k, names, modifiers)]
        if wrong:
            problems.append(
                f"{where}key '{binding_id}': '{wrong[0]}' is not a key name"
                " (quizapp keys lists them); its default keys are in use"
            )
        else:
            kept[binding_id] = keys
    order = list(kept)
    while True:
        clash = _first_clash(kept, order, scopes)
        if clash is None:
            return kept, problems
        loser, other, key, screen = clash
        del kept[loser]
        problems.append(
            f"{where}key '{loser}': '{key}' is already '{other}' ({screen});"
            " its default keys are in use"
        )


def _first_clash(
    keymap: dict[str, str], order: list[str], scopes: list[tuple[str, dict[str, str]]]
) -> tuple[str, str, str, str] | None:
    """(entry to leave out, the binding it clashes with, the key, the screen), or None."""
    for screen, defaults in scopes:
        owner: dict[str, str] = {}  # key -> binding id
        ids = sorted(defaults, key=lambda i: (i in keymap, order.index(i) if i in keymap else 0))
        for binding_id in ids:  # defaults first, then the entries in the file's order
            keys = keymap.get(binding_id, defaults[binding_id])
            for key in dict.fromkeys(keys.split(",")):
                other = owner.setdefault(key, binding_id)
                if other != binding_id and binding_id in keymap:
                    return binding_id, other, key, screen
    return None
