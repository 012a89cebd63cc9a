"""Loading question banks: the shipped ones (package data) and the learner's own.

Shipped banks are `content/banks/*.toml`, read with importlib.resources so they load from an
installed package. Learner banks are every `*.toml` (any case, not hidden) in
`quizapp.paths.user_banks_dir()` plus the files or folders given with `--bank`. Broken shipped
content is fatal (ContentError); a broken learner file is reported in `LoadResult.errors` (one
line naming it, for a file that cannot be read at all), listed in `.skipped`, and the rest
still loads. Nothing found is skipped silently, and nothing blocks: only regular files are
opened (a FIFO, a device or a symlink loop is reported, not read).

Learner banks are the learner's: they need not cite the guide (`source`, `topic`,
`difficulty` and `domains` are optional there; see `quizapp.bank.validate`), while the
shipped banks keep the stricter rules.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from quizapp.bank.files import (
    StrPath,
    file_label,
    find_bank_files,
    folder_problem,
    read_bank_file,
    read_toml,
)
from quizapp.bank.model import Item
from quizapp.bank.profiles import Profiles, app_profiles
from quizapp.bank.validate import duplicate_id_errors, validate_document
from quizapp.errors import ContentError
from quizapp.paths import user_banks_dir


@dataclass(frozen=True, slots=True)
class Bank:
    """One bank file's valid items."""

    name: str  # file stem; stored as Item.bank
    title: str
    origin: str  # how messages name the file: its name if shipped, else its path
    shipped: bool
    items: tuple[Item, ...]


@dataclass(slots=True)
class LoadResult:
    """Banks in load order (shipped by file name, then the learner's) and learner problems."""

    banks: tuple[Bank, ...] = ()
    errors: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # learner files left out, as given

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for bank in self.banks for item in bank.items)

    def by_id(self) -> dict[str, Item]:
        return {item.id: item for item in self.items}


def shipped_banks_dir() -> Traversable:
    return files("content").joinpath("banks")


def parse_bank(
    data: bytes, label: str, name: str, shipped: bool, profiles: Profiles | None = None
) -> tuple[Bank | None, list[str]]:
    """Decode, parse and validate one bank file's bytes. A shipped bank's `domains` may name
    the shipped exam profiles; a learner's (`profiles`) the learner's own too. A learner's
    bank follows the learner's rules (no source, topic, difficulty or domains needed: see
    `quizapp.bank.validate`)."""
    doc, problem = read_toml(data)
    if doc is None:
        return None, [f"{label}: {problem}"]
    items, errors = validate_document(doc, label, name, profiles=profiles, learner=not shipped)
    header = doc.get("bank")
    title = header.get("title") if isinstance(header, dict) else None
    bank = Bank(name, title if isinstance(title, str) else name, label, shipped, items)
    return bank, errors


def read_shipped(root: Traversable) -> tuple[tuple[Bank, ...], tuple[str, ...]]:
    """Every shipped bank under `root` (valid items only) and every problem, cross-file too."""
    banks: list[Bank] = []
    errors: list[str] = []
    entries = sorted(
        (e for e in root.iterdir() if e.name.endswith(".toml") and e.is_file()),
        key=lambda e: e.name,
    )
    for entry in entries:
        try:
            data = entry.read_bytes()
        except OSError as err:
            errors.append(f"{entry.name}: cannot read: {err.strerror or err}")
            continue
        bank, problems = parse_bank(data, entry.name, Path(entry.name).stem, True)
        errors.extend(problems)
        if bank is not None:
            banks.append(bank)
    errors.extend(duplicate_id_errors((b.origin, [i.id for i in b.items]) for b in banks))
    return tuple(banks), tuple(errors)


@cache
def _shipped_cached() -> tuple[tuple[Bank, ...], tuple[str, ...]]:
    return read_shipped(shipped_banks_dir())


def check_shipped(root: Traversable | None = None) -> LoadResult:
    """The shipped banks and all their problems, without raising (for `content check`)."""
    banks, errors = _shipped_cached() if root is None else read_shipped(root)
    return LoadResult(banks, list(errors))


def load_shipped(root: Traversable | None = None) -> LoadResult:
    """The shipped banks; raises ContentError listing every problem if any is broken.

    Parsed once per process (the default root is cached).
    """
    result = check_shipped(root)
    if result.errors:
        raise ContentError(
            f"{len(result.errors)} problem(s) in the shipped question banks:\n"
            + "\n".join(result.errors)
        )
    return result


def load_file(path: Path, *, shipped: bool = False) -> tuple[Bank | None, list[str]]:
    """Read, parse and validate one learner bank file (or, `shipped`, a shipped one by its
    path, with the shipped rules); every problem names it."""
    label = file_label(path)
    data, problem = read_bank_file(path)
    if data is None:
        return None, [f"{label}: {problem}"]
    return parse_bank(data, label, path.stem, shipped, None if shipped else app_profiles())


def validate_file(path: StrPath, *, shipped: bool = False) -> tuple[tuple[Item, ...], list[str]]:
    """Validate one bank file on its own: its valid items and its problems (one line each).
    `shipped`: the file is one of the shipped banks, checked with their stricter rules."""
    bank, errors = load_file(Path(path), shipped=shipped)
    return (bank.items if bank else ()), errors


def load_learner(paths: Sequence[Path], taken: dict[str, str]) -> LoadResult:
    """Learner bank files in order; a file with any problem (or a taken id) is skipped whole.

    `taken` maps ids already loaded to the file that holds them; it is extended in place.
    """
    result = LoadResult()
    banks: list[Bank] = []
    for path in paths:
        label = file_label(path)
        bank, errors = load_file(path)
        if bank is not None and not errors:
            errors = duplicate_id_errors([(label, [i.id for i in bank.items])], taken)
        if errors or bank is None:
            result.errors.extend(errors)
            result.skipped.append(label)
            continue
        taken.update((item.id, label) for item in bank.items)
        banks.append(bank)
    result.banks = tuple(banks)
    return result


def load_all(
    extra_paths: Iterable[StrPath] = (),
    include_user_dir: bool = True,
    *,
    shipped_root: Traversable | None = None,
) -> LoadResult:
    """Shipped banks, then the learner's folder (if asked) and `extra_paths`.

    Raises ContentError if the shipped banks are broken (the app must not start), and
    QuizappError if an extra path does not exist. Learner problems land in `.errors`.
    """
    shipped = load_shipped(shipped_root)
    sources: list[StrPath] = []
    problems: list[str] = []  # folders that cannot be listed (files go in .skipped too)
    folder = user_banks_dir()
    if include_user_dir and os.path.lexists(folder):
        if (problem := folder_problem(folder)) is None:
            sources.append(folder)
        else:
            problems.append(problem)
    sources.extend(extra_paths)
    files, unlisted = find_bank_files(sources)
    problems += unlisted
    taken = {item.id: bank.origin for bank in shipped.banks for item in bank.items}
    learner = load_learner(files, taken)
    return LoadResult(shipped.banks + learner.banks, problems + learner.errors, learner.skipped)


def load_for_app(
    extra_paths: Iterable[StrPath] = (), *, shipped_root: Traversable | None = None
) -> LoadResult:
    """What the app loads at start: everything, refusing (ContentError) on broken shipped banks."""
    return load_all(extra_paths, include_user_dir=True, shipped_root=shipped_root)
