"""Loading question banks: the shipped ones (package data) and the learner's own.

Shipped banks are `content/banks/*.toml`, read with importlib.resources so they load from an
installed package. Learner banks are every `*.toml` in `quizapp.paths.user_banks_dir()` plus the
files or folders given with `--bank`. Broken shipped content is fatal (ContentError); a broken
learner file is reported in `LoadResult.errors`, listed in `.skipped`, and the rest still loads.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path

from quizapp.bank.model import Item
from quizapp.bank.validate import duplicate_id_errors, validate_document
from quizapp.errors import ContentError, QuizappError
from quizapp.paths import user_banks_dir

StrPath = str | PathLike[str]


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


def parse_bank(data: bytes, label: str, name: str, shipped: bool) -> tuple[Bank | None, list[str]]:
    """Decode, parse and validate one bank file's bytes."""
    try:
        doc = tomllib.loads(data.decode("utf-8"))
    except UnicodeDecodeError as err:
        return None, [f"{label}: not UTF-8 text ({err.reason} at byte {err.start})"]
    except tomllib.TOMLDecodeError as err:
        return None, [f"{label}: TOML syntax error: {err}"]
    items, errors = validate_document(doc, label, name)
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
        bank, problems = parse_bank(entry.read_bytes(), entry.name, Path(entry.name).stem, True)
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


def validate_file(path: StrPath) -> tuple[tuple[Item, ...], list[str]]:
    """Validate one bank file on its own: its valid items and its problems (one line each)."""
    path = Path(path)
    label = str(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        return (), [f"{label}: cannot read ({err.strerror or err})"]
    bank, errors = parse_bank(data, label, path.stem, False)
    return (bank.items if bank else ()), errors


def bank_files(paths: Iterable[StrPath]) -> list[Path]:
    """Expand files and folders (their *.toml, sorted) into bank files, without repeats.

    Raises QuizappError for a path that does not exist: the learner typed it.
    """
    found: list[Path] = []
    seen: set[Path] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            candidates = sorted(p for p in path.glob("*.toml") if p.is_file())
        elif path.is_file():
            candidates = [path]
        else:
            raise QuizappError(f"no such bank file or folder: {raw}")
        for candidate in candidates:
            key = candidate.resolve()
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found


def load_learner(paths: Sequence[Path], taken: dict[str, str]) -> LoadResult:
    """Learner bank files in order; a file with any problem (or a taken id) is skipped whole.

    `taken` maps ids already loaded to the file that holds them; it is extended in place.
    """
    result = LoadResult()
    banks: list[Bank] = []
    for path in paths:
        label = str(path)
        try:
            data = path.read_bytes()
        except OSError as err:
            bank, errors = None, [f"{label}: cannot read ({err.strerror or err})"]
        else:
            bank, errors = parse_bank(data, label, path.stem, False)
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
    if include_user_dir and user_banks_dir().is_dir():
        sources.append(user_banks_dir())
    sources.extend(extra_paths)
    taken = {item.id: bank.origin for bank in shipped.banks for item in bank.items}
    learner = load_learner(bank_files(sources), taken)
    return LoadResult(shipped.banks + learner.banks, learner.errors, learner.skipped)


def load_for_app(
    extra_paths: Iterable[StrPath] = (), *, shipped_root: Traversable | None = None
) -> LoadResult:
    """What the app loads at start: everything, refusing (ContentError) on broken shipped banks."""
    return load_all(extra_paths, include_user_dir=True, shipped_root=shipped_root)
