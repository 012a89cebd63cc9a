"""`quizapp keys [--json]`: every binding id, its default keys and what it does, by screen,
and the key names a `keymap.toml` may use.

Read from the screens' own bindings (the help screen's registry), so it cannot drift; that
needs the UI's modules, imported here in `run()` only (`quizapp --help` stays light).
"""

from __future__ import annotations

import argparse
import json
import textwrap
from typing import Any

EXAMPLE = '[keys]\n"review.grade1" = "j"\n"review.reveal" = "enter,space"'
Table = list[tuple[str, list[dict[str, Any]]]]


def keys_table() -> Table:
    """(screen, [{id, keys, description, label}]) in the order of the help screen."""
    from quizapp.tui.screens.help import binding_table

    return [
        (
            title,
            [
                {
                    "id": b.id,
                    "keys": b.key.split(","),
                    "description": b.tooltip or b.description,
                    "label": b.description,
                }
                for b in bindings
            ],
        )
        for title, bindings in binding_table()
    ]


def format_keys(table: Table, names: dict[str, list[str]], path: str) -> str:
    id_width = max(len(b["id"]) for _, rows in table for b in rows)
    key_width = max(len(",".join(b["keys"])) for _, rows in table for b in rows)
    lines = [
        "Every key binding by id, with its default keys. Rebind any of them in",
        f"{path}, for example:",
        "",
        textwrap.indent(EXAMPLE, "    "),
    ]
    for title, rows in table:
        lines += ["", title]
        for b in rows:
            keys = ",".join(b["keys"])
            lines.append(f"  {b['id']:<{id_width}}  {keys:<{key_width}}  {b['description']}")
    wrap = textwrap.TextWrapper(width=100, initial_indent="  ", subsequent_indent=" " * 15)
    letters = names["letters"]
    lines += [
        "",
        "Key names (Textual's; several keys for one binding are separated by commas)",
        f"  letters      {letters[0]}-{letters[25]}, {letters[26]}-{letters[-1]} (with shift)",
        f"  digits       {names['digits'][0]}-{names['digits'][-1]}",
        f"  function     {names['function'][0]}-{names['function'][-1]}",
        *wrap.wrap(f"named        {' '.join(names['named'])}"),
        *wrap.wrap(f"punctuation  {' '.join(names['punctuation'])}"),
        "  modifiers    "
        + ", ".join(f"{m}+" for m in names["modifiers"])
        + " before a key: ctrl+s, shift+tab, alt+n",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    from quizapp.keymap import keymap_path
    from quizapp.tui.screens.help import key_names

    table = keys_table()
    names = key_names()
    path = str(keymap_path())
    if getattr(args, "json", False):
        keys = [k for kind, ks in names.items() if kind != "modifiers" for k in ks]
        data = {
            "keymap": path,
            "screens": [{"screen": title, "bindings": rows} for title, rows in table],
            "key_names": {"keys": keys, "modifiers": names["modifiers"]},
        }
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        print(format_keys(table, names, path))
    return 0
