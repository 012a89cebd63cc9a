"""Writing imported decks as learner bank files, validated before they are kept.

Each deck is one TOML file (written with tomli-w, so every string is escaped properly) in
the learner's banks folder, named from the deck. All files are written under hidden
temporary names first (the loader leaves names starting with `.` alone), each is loaded
with the bank loader exactly as the app will load it, their ids are checked against every
other bank, and only when all pass are they renamed into place: a failure writes nothing.

A file the importer wrote starts with `MARKER`; re-importing the deck rewrites it (same
ids, so progress stays). A file of the same name without the marker is the learner's own
and is never overwritten.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from quizapp.errors import QuizappError

MARKER = "# Imported by `quizapp import`; importing the deck again rewrites this file.\n"


@dataclass(frozen=True, slots=True)
class BankDoc:
    """One bank file to write: its stem, title and items (TOML tables, as the format says)."""

    stem: str
    title: str
    items: Sequence[dict[str, Any]]


MAX_ITEMS_PER_FILE = 1000  # the format's limits (content/FORMAT.md), with room to spare
MAX_BYTES_PER_FILE = 1_000_000
PART = "--part-"  # `<stem>--part-2.toml`: deck slugs never hold "--", so no deck's name clashes
TITLE_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def title_line(text: str) -> str:
    """A deck name as a bank title: one line, at most 200 characters."""
    return " ".join(TITLE_CONTROL.sub(" ", text).split())[:200] or "Imported"


def render(doc: BankDoc) -> bytes:
    import tomli_w

    header = {"title": title_line(doc.title)}
    body = tomli_w.dumps({"bank": header, "items": list(doc.items)})
    return (MARKER + body).encode("utf-8")


def split(doc: BankDoc) -> list[BankDoc]:
    """A deck too big for one bank file as several: `<stem>.toml`, `<stem>--part-2.toml`, ...
    (each within the format's item and size limits; the items keep their deck's topic)."""
    import tomli_w

    parts: list[list[dict[str, Any]]] = [[]]
    size = 0
    for item in doc.items:
        item_size = len(tomli_w.dumps({"items": [item]}).encode("utf-8"))
        if parts[-1] and (
            len(parts[-1]) >= MAX_ITEMS_PER_FILE or size + item_size > MAX_BYTES_PER_FILE
        ):
            parts.append([])
            size = 0
        parts[-1].append(item)
        size += item_size
    if len(parts) == 1:
        return [doc]
    return [
        BankDoc(
            doc.stem if n == 1 else f"{doc.stem}{PART}{n}", f"{doc.title} ({n}/{len(parts)})", part
        )
        for n, part in enumerate(parts, 1)
    ]


def stale_parts(folder: Path, stems: Iterable[str], keep: set[str]) -> list[Path]:
    """Parts an earlier import of these decks split off (`<stem>--part-N.toml`, written by
    the importer) that this import no longer writes: removed with the write."""
    out = []
    for stem in stems:
        for path in sorted(folder.glob(f"{stem}{PART}*.toml")):
            tail = path.stem[len(stem) + len(PART) :]
            if tail.isdigit() and path.stem not in keep and _ours(path):
                out.append(path)
    return out


def _ours(path: Path) -> bool:
    try:
        with path.open("rb") as f:
            return f.read(len(MARKER.encode())) == MARKER.encode()
    except OSError:
        return False


def _taken_ids(targets: set[Path], extra: Iterable[str]) -> dict[str, str]:
    """Ids held by every bank the app loads except the files about to be rewritten."""
    from quizapp.bank.loader import load_all

    loaded = load_all(extra)
    taken: dict[str, str] = {}
    for bank in loaded.banks:
        if not bank.shipped and Path(bank.origin).resolve() in targets:
            continue
        for item in bank.items:
            taken[item.id] = bank.origin
    return taken


def write_banks(docs: Sequence[BankDoc], folder: Path, extra: Iterable[str] = ()) -> list[Path]:
    """Write `docs` into `folder` as `<stem>.toml` (a deck past the format's limits split
    in parts), all or nothing; the paths written.

    Raises QuizappError (one line) if a file is invalid, an id is taken by another bank, or
    a target is a bank the importer did not write.
    """
    from quizapp.bank.loader import load_file

    stems = [doc.stem for doc in docs]
    docs = [part for doc in docs for part in split(doc)]
    folder.mkdir(parents=True, exist_ok=True)
    targets = [folder / f"{doc.stem}.toml" for doc in docs]
    if len(set(targets)) != len(targets):
        raise QuizappError(f"{folder}: two decks would be written to the same file")
    stale = stale_parts(folder, stems, {doc.stem for doc in docs})
    for target in targets:
        if os.path.lexists(target) and not (target.is_file() and _ours(target)):
            raise QuizappError(
                f"{target}: exists and was not written by `quizapp import`; "
                "move it or rename the deck (nothing imported)"
            )
    taken = _taken_ids({t.resolve() for t in targets + stale}, extra)
    temps: list[Path] = []
    try:
        for doc, target in zip(docs, targets, strict=True):
            temp = folder / f".{target.name}.importing"
            temps.append(temp)
            temp.write_bytes(render(doc))
            bank, errors = load_file(temp)
            if errors or bank is None:
                first = (errors[0] if errors else "unreadable").replace(str(temp), target.name)
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                raise QuizappError(f"{target}: not written, it would not load: {first}{more}")
            if len(bank.items) != len(doc.items):
                raise QuizappError(f"{target}: not written, some items would not load")
            for item in bank.items:
                if item.id in taken:
                    raise QuizappError(
                        f"{target}: not written, item id {item.id!r} is already in {taken[item.id]}"
                    )
                taken[item.id] = str(target)
        for temp, target in zip(temps, targets, strict=True):
            os.replace(temp, target)
        for path in stale:
            path.unlink()
        return targets
    except OSError as err:
        raise QuizappError(
            f"{folder}: cannot write the bank files: {err.strerror or err}"
        ) from None
    finally:
        for temp in temps:
            if temp.exists():
                temp.unlink()
