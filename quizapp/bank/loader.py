"""Loading question banks: the shipped ones (package data) and the learner's own.

Shipped banks are `content/banks/*.toml`, read with importlib.resources so they load from an
installed package. Learner banks are every `*.toml` (any case, not hidden) in
`quizapp.paths.user_banks_dir()` plus the files or folders given with `--bank`. Broken shipped
content is fatal (ContentError); a broken learner file is reported in `LoadResult.errors` (one
line naming it, for a file that cannot be read at all), listed in `.skipped`, and the rest
still loads. Nothing found is skipped silently, and nothing blocks: only regular files are
opened (a FIFO, a device or a symlink loop is reported, not read).
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import tomllib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from os import PathLike
from pathlib import Path
from typing import Any

from quizapp.bank.model import Item
from quizapp.bank.validate import (
    MAX_FILE_BYTES,
    MAX_KEY_PARTS,
    duplicate_id_errors,
    validate_document,
)
from quizapp.errors import ContentError, QuizappError
from quizapp.paths import special_file_kind, user_banks_dir

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


# Strings and comments, blanked before looking for dotted keys (keeping their line breaks).
# An unclosed string runs to the end of its line (or file): each is scanned once, so the
# scan is linear even on a file of `"\"\"\"...`.
_STRING_OR_COMMENT = re.compile(
    r'"""[\s\S]*?(?:"""|\Z)|\'\'\'[\s\S]*?(?:\'\'\'|\Z)'
    r'|"(?:[^"\\\n]|\\.?)*+(?:"|$)|\'[^\'\n]*+(?:\'|$)|#[^\n]*',
    re.MULTILINE,
)
_KEY_PART = r'(?:[A-Za-z0-9_-]++|"")'
# a dotted key or table name: a.b.c = 1, [a.b.c], "a".b; linear (possessive, never restarts
# inside a word)
_DOTTED_KEY = re.compile(rf'(?<![A-Za-z0-9_"-]){_KEY_PART}(?:[ \t]*+\.[ \t]*+{_KEY_PART})++')
# what a message cannot print as it is: control characters, undecodable bytes of a file name
_UNSHOWABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_BE)


def file_label(path: StrPath) -> str:
    """How messages name a file: its path, with control characters and undecodable bytes
    escaped so the message stays one printable line."""
    return _UNSHOWABLE.sub(lambda m: repr(m.group())[1:-1], str(path))


def too_large(size: int) -> str:
    return f"too large: {size:,} bytes (at most {MAX_FILE_BYTES:,}; split it into several files)"


def nesting_problem(text: str) -> str | None:
    """Why the TOML text is too deeply nested to parse quickly, or None.

    tomllib spends time and memory quadratic in the parts of a dotted key or table name
    (`a.a.a...` of 100 000 parts takes gigabytes), so long ones are refused before parsing.
    Arrays and inline tables nested too deep stop tomllib with a RecursionError instead.
    """
    blanked = _STRING_OR_COMMENT.sub(
        lambda m: "" if m.group().startswith("#") else '""' + "\n" * m.group().count("\n"), text
    )
    for match in _DOTTED_KEY.finditer(blanked):
        parts = match.group().count(".") + 1
        if parts > MAX_KEY_PARTS:
            line = blanked.count("\n", 0, match.start()) + 1
            return (
                f"too deeply nested: a dotted key or table name of {parts} parts at line {line} "
                f"(at most {MAX_KEY_PARTS})"
            )
    return None


def read_toml(data: bytes) -> tuple[dict[str, Any] | None, str | None]:
    """Decode and parse one bank file's bytes: the document, or why not (one line)."""
    if len(data) > MAX_FILE_BYTES:
        return None, too_large(len(data))
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]  # some editors write one; it carries no text
    elif data.startswith(_UTF16_BOMS):
        return None, (
            "not UTF-8 text: it starts with a UTF-16/UTF-32 byte-order mark; save it as UTF-8"
        )
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        return None, f"not UTF-8 text ({err.reason} at byte {err.start}, line {line})"
    if (at := text.find("\ufeff")) != -1:
        line = text.count("\n", 0, at) + 1
        return None, f"a byte-order mark (U+FEFF) inside the file, at line {line}: delete it"
    if (problem := nesting_problem(text)) is not None:
        return None, problem
    try:
        return tomllib.loads(text), None
    except tomllib.TOMLDecodeError as err:
        return None, f"TOML syntax error: {err}"
    except RecursionError:
        return None, (
            "too deeply nested: arrays or inline tables inside each other deeper than the "
            "TOML reader can follow"
        )


def parse_bank(data: bytes, label: str, name: str, shipped: bool) -> tuple[Bank | None, list[str]]:
    """Decode, parse and validate one bank file's bytes."""
    doc, problem = read_toml(data)
    if doc is None:
        return None, [f"{label}: {problem}"]
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


def os_reason(path: Path, err: OSError) -> str:
    """Why a path could not be opened, in words."""
    if err.errno == errno.ELOOP:
        return "symbolic link loop"
    if err.errno == errno.ENOENT and os.path.islink(path):
        return "broken symbolic link (its target does not exist)"
    if err.errno in (errno.EACCES, errno.EPERM):
        return "permission denied"
    return (err.strerror or str(err)).lower()


def not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder, not a bank file"
    kind = special_file_kind(mode)
    return "not a regular file" if kind == "a special file" else f"{kind}, not a regular file"


_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)


def read_bank_file(path: Path) -> tuple[bytes | None, str | None]:
    """A learner bank file's bytes, or why it cannot be read (one line, without the label).

    Never blocks: anything but a regular file (a FIFO, a device, a folder) is refused from
    its stat before it is opened, and opened non-blocking in case it was swapped since.
    """
    name = path.name
    if _UNSHOWABLE.search(name):
        return None, "the file name has undecodable bytes or control characters: rename it"
    try:
        info = os.stat(path)
    except OSError as err:
        return None, f"cannot read: {os_reason(path, err)}"
    if not stat.S_ISREG(info.st_mode):
        return None, f"cannot read: {not_regular(info.st_mode)}"
    if info.st_size > MAX_FILE_BYTES:
        return None, too_large(info.st_size)
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as err:
        return None, f"cannot read: {os_reason(path, err)}"
    chunks: list[bytes] = []
    size = 0
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            return None, f"cannot read: {not_regular(mode)}"
        while size <= MAX_FILE_BYTES:
            chunk = os.read(fd, 1 << 16)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as err:
        return None, f"cannot read: {os_reason(path, err)}"
    finally:
        os.close(fd)
    if size > MAX_FILE_BYTES:
        return None, too_large(size)
    return b"".join(chunks), None


def load_file(path: Path) -> tuple[Bank | None, list[str]]:
    """Read, parse and validate one learner bank file; every problem names it."""
    label = file_label(path)
    data, problem = read_bank_file(path)
    if data is None:
        return None, [f"{label}: {problem}"]
    return parse_bank(data, label, path.stem, False)


def validate_file(path: StrPath) -> tuple[tuple[Item, ...], list[str]]:
    """Validate one bank file on its own: its valid items and its problems (one line each)."""
    bank, errors = load_file(Path(path))
    return (bank.items if bank else ()), errors


def is_bank_name(name: str) -> bool:
    """A bank in a folder: `*.toml` in any case (x.TOML too); hidden files are left alone."""
    return name.lower().endswith(".toml") and not name.startswith(".")


def find_bank_files(paths: Iterable[StrPath]) -> tuple[list[Path], list[str]]:
    """Expand files and folders (their bank files, sorted) into bank files, without repeats,
    and one line per folder that cannot be listed.

    Every bank-named entry of a folder is returned, whatever it is: reading it says why a
    FIFO, a folder or a broken link is not a bank. Raises QuizappError for a path that does
    not exist: the learner typed it.
    """
    found: list[Path] = []
    problems: list[str] = []
    seen: set[str] = set()
    for raw in paths:
        path = Path(raw).expanduser()
        if path.is_dir():
            try:
                with os.scandir(path) as entries:
                    names = sorted(e.name for e in entries if is_bank_name(e.name))
            except OSError as err:
                problems.append(
                    f"{file_label(path)}: cannot list this folder: {os_reason(path, err)}"
                )
                continue
            candidates = [path / name for name in names]
        elif os.path.lexists(path):
            candidates = [path]
        else:
            raise QuizappError(f"no such bank file or folder: {raw}")
        for candidate in candidates:
            key = os.path.realpath(candidate)  # unlike Path.resolve, no error on a loop
            if key not in seen:
                seen.add(key)
                found.append(candidate)
    return found, problems


def folder_problem(folder: Path) -> str | None:
    """Why the learner's banks folder, which exists, cannot be used (None if it can)."""
    try:
        info = os.stat(folder)
    except OSError as err:
        return f"{file_label(folder)}: cannot read: {os_reason(folder, err)}"
    if not stat.S_ISDIR(info.st_mode):
        return f"{file_label(folder)}: not a folder, so no bank in it was loaded"
    return None


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
