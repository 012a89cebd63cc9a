"""Reading bank-shaped TOML files safely: one line for every way a file can fail.

Shared by the bank loader and the exam-profile loader. Never blocks: only regular files are
opened (a FIFO, a device or a symlink loop is reported, not read); a file too large or too
deeply nested is refused before it is parsed.
"""

from __future__ import annotations

import codecs
import errno
import os
import re
import stat
import tomllib
from collections.abc import Iterable
from os import PathLike
from pathlib import Path
from typing import Any

from quizapp.errors import QuizappError
from quizapp.paths import special_file_kind

StrPath = str | PathLike[str]
MAX_FILE_BYTES = 1024 * 1024  # a bank file; the largest shipped one is ~70 KB
MAX_KEY_PARTS = 16  # a dotted key or [table.name] with more parts is "too deeply nested"


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
