"""Reading an Anki package (.apkg / .colpkg) safely: its collection only, opened read-only.

A package is a zip. Nothing in it is executed and nothing is extracted under a name it
chooses: every member name is checked first (an absolute name, a drive, `..` or a backslash
escaping the folder refuses the whole package: zip slip), the declared sizes are summed
against `MAX_TOTAL_BYTES` (zip bomb), and the one member read (the collection) is copied in
chunks that count the bytes actually produced, stopping at the limit. The current layout's
`collection.anki21b` is zstd-compressed SQLite and is decompressed the same way.

Both layouts are read: legacy (`collection.anki21`, else `collection.anki2`: SQLite with the
note types and decks as JSON in the `col` row) and current (`collection.anki21b`, preferred
when present: tables `notetypes`, `fields`, `templates`, `decks`). The SQLite file is opened
read-only (`mode=ro`, `query_only`, `trusted_schema=OFF`) from a temporary folder that is
removed afterwards. Every problem is a `PackageError`, one line naming the file.
"""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Any

from quizapp.errors import QuizappError

MAX_TOTAL_BYTES = 200 * 1024 * 1024  # what a package may expand to, all members together
MAX_MEMBERS = 100_000
CHUNK = 1 << 16
LEGACY_NAMES = ("collection.anki21", "collection.anki2")
CURRENT_NAME = "collection.anki21b"
SQLITE_MAGIC = b"SQLite format 3\x00"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
FIELD_REF = re.compile(r"\{\{([^{}]+)\}\}")
CLOZE_KIND = 1


class PackageError(QuizappError):
    """The package cannot be read; str() is one line naming the file."""


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    question: str  # the front template (qfmt): only read to see which fields it shows
    answer: str


@dataclass(frozen=True, slots=True)
class NoteType:
    id: int
    name: str
    kind: int  # 0 standard, 1 cloze (Anki's own flag; the structure is checked too)
    fields: tuple[str, ...]
    templates: tuple[Template, ...]


@dataclass(frozen=True, slots=True)
class Note:
    id: int
    guid: str
    type_id: int
    fields: tuple[str, ...]  # raw HTML, in the note type's field order
    tags: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Card:
    id: int
    note_id: int
    deck_id: int
    ord: int  # template number (standard) or cloze number - 1


@dataclass(frozen=True, slots=True)
class Review:
    at_ms: int  # revlog id: when it was answered (epoch milliseconds)
    card_id: int
    ease: int  # 1-4; 0 for a manual change
    kind: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled
    duration_ms: int


@dataclass(slots=True)
class Package:
    """What quizapp reads from a package (plain data; the SQLite file is gone)."""

    path: Path
    layout: str  # "legacy" or "current"
    note_types: dict[int, NoteType] = field(default_factory=dict)
    decks: dict[int, str] = field(default_factory=dict)  # id -> name, "Parent::Child"
    notes: list[Note] = field(default_factory=list)
    cards: list[Card] = field(default_factory=list)
    reviews: list[Review] = field(default_factory=list)
    media_files: int = 0


def safe_member_name(name: str) -> bool:
    """Whether a member name stays inside the folder it would be extracted to."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in PurePosixPath(name).parts


def _copy_limited(src: IO[bytes], dst: IO[bytes], budget: int, label: str) -> int:
    """Copy in chunks; the bytes written, refusing once past `budget`."""
    written = 0
    while chunk := src.read(CHUNK):
        written += len(chunk)
        if written > budget:
            raise PackageError(f"{label}: expands past {MAX_TOTAL_BYTES // (1024 * 1024)} MB")
        dst.write(chunk)
    return written


def _check_members(zf: zipfile.ZipFile, label: str) -> list[zipfile.ZipInfo]:
    members = zf.infolist()
    if len(members) > MAX_MEMBERS:
        raise PackageError(f"{label}: too many files in the package ({len(members)})")
    for info in members:
        if not safe_member_name(info.filename):
            raise PackageError(
                f"{label}: member {info.filename!r} would land outside the folder (refused)"
            )
    declared = sum(info.file_size for info in members)
    if declared > MAX_TOTAL_BYTES:
        raise PackageError(
            f"{label}: declares {declared // (1024 * 1024)} MB uncompressed, past the "
            f"{MAX_TOTAL_BYTES // (1024 * 1024)} MB limit"
        )
    return members


def _extract_collection(zf: zipfile.ZipFile, members: list[zipfile.ZipInfo], folder: Path,
                        label: str) -> tuple[Path, str]:  # fmt: skip
    names = {info.filename: info for info in members}
    target = folder / "collection.sqlite"
    if CURRENT_NAME in names:
        raw = folder / "collection.zst"
        with zf.open(names[CURRENT_NAME]) as src, raw.open("wb") as dst:
            _copy_limited(src, dst, MAX_TOTAL_BYTES, label)
        import zstandard

        try:
            with raw.open("rb") as src, target.open("wb") as dst:
                reader = zstandard.ZstdDecompressor().stream_reader(src)
                _copy_limited(reader, dst, MAX_TOTAL_BYTES, label)
        except zstandard.ZstdError as err:
            raise PackageError(f"{label}: {CURRENT_NAME} is not valid zstd data ({err})") from None
        raw.unlink()
        return target, "current"
    for name in LEGACY_NAMES:
        if name in names:
            with zf.open(names[name]) as src, target.open("wb") as dst:
                _copy_limited(src, dst, MAX_TOTAL_BYTES, label)
            return target, "legacy"
    raise PackageError(
        f"{label}: no collection in the package (expected {CURRENT_NAME} or collection.anki2)"
    )


def _unicase(a: str, b: str) -> int:
    x, y = a.casefold(), b.casefold()
    return (x > y) - (x < y)


@contextmanager
def _open_sqlite(path: Path, label: str) -> Iterator[sqlite3.Connection]:
    with path.open("rb") as f:
        if f.read(len(SQLITE_MAGIC)) != SQLITE_MAGIC:
            raise PackageError(f"{label}: the collection is not an SQLite database")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as err:
        raise PackageError(f"{label}: cannot open the collection ({err})") from None
    with closing(conn):
        conn.create_collation("unicase", _unicase)
        conn.execute("PRAGMA query_only = ON")
        conn.execute("PRAGMA trusted_schema = OFF")
        yield conn


def _tables(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def _varint(blob: bytes, at: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if at >= len(blob) or shift > 63:
            raise ValueError("truncated protobuf varint")
        byte = blob[at]
        at += 1
        value |= (byte & 0x7F) << shift
        shift += 7
        if not byte & 0x80:
            return value, at


def proto_strings(blob: bytes) -> dict[int, str]:
    """The length-delimited fields of a protobuf message, by field number, as text (a
    template config's q_format is 1, a_format 2); other fields skipped. Only read, never run."""
    out: dict[int, str] = {}
    at = 0
    while at < len(blob):
        key, at = _varint(blob, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, at = _varint(blob, at)
        elif wire == 1:
            at += 8
        elif wire == 5:
            at += 4
        elif wire == 2:
            size, at = _varint(blob, at)
            out.setdefault(number, blob[at : at + size].decode("utf-8", "replace"))
            at += size
        else:
            raise ValueError(f"unsupported protobuf wire type {wire}")
    return out


def _proto_kind(blob: bytes) -> int:
    """A notetype config's `kind` (field 1, varint; omitted when 0)."""
    return 1 if blob[:2] == b"\x08\x01" else 0


def _read_current_types(conn: sqlite3.Connection) -> tuple[dict[int, NoteType], dict[int, str]]:
    fields: dict[int, list[tuple[int, str]]] = {}
    for ntid, ord_, name in conn.execute("SELECT ntid, ord, name FROM fields"):
        fields.setdefault(int(ntid), []).append((int(ord_), str(name)))
    templates: dict[int, list[tuple[int, Template]]] = {}
    for ntid, ord_, name, config in conn.execute("SELECT ntid, ord, name, config FROM templates"):
        formats = proto_strings(bytes(config or b""))
        template = Template(str(name), formats.get(1, ""), formats.get(2, ""))
        templates.setdefault(int(ntid), []).append((int(ord_), template))
    types = {}
    for ntid, name, config in conn.execute("SELECT id, name, config FROM notetypes"):
        tid = int(ntid)
        types[tid] = NoteType(
            tid,
            str(name),
            _proto_kind(bytes(config or b"")),
            tuple(n for _, n in sorted(fields.get(tid, []))),
            tuple(t for _, t in sorted(templates.get(tid, []), key=lambda p: p[0])),
        )
    decks = {
        int(i): str(n).replace("\x1f", "::") for i, n in conn.execute("SELECT id, name FROM decks")
    }
    return types, decks


def _read_legacy_types(
    conn: sqlite3.Connection, label: str
) -> tuple[dict[int, NoteType], dict[int, str]]:
    row = conn.execute("SELECT models, decks FROM col").fetchone()
    if row is None:
        raise PackageError(f"{label}: the collection has no note types")
    models: Any = json.loads(row[0] or "{}")
    decks_json: Any = json.loads(row[1] or "{}")
    types = {}
    for key, model in dict(models).items():
        tid = int(model.get("id", key))
        tmpls = tuple(
            Template(str(t.get("name", "")), str(t.get("qfmt", "")), str(t.get("afmt", "")))
            for t in sorted(model.get("tmpls", []), key=lambda t: int(t.get("ord", 0)))
        )
        flds = tuple(
            str(f.get("name", ""))
            for f in sorted(model.get("flds", []), key=lambda f: int(f.get("ord", 0)))
        )
        types[tid] = NoteType(
            tid, str(model.get("name", "")), int(model.get("type", 0)), flds, tmpls
        )
    decks = {int(d.get("id", k)): str(d.get("name", "")) for k, d in dict(decks_json).items()}
    return types, decks


def _read_collection(conn: sqlite3.Connection, package: Package, label: str) -> None:
    tables = _tables(conn)
    if not {"notes", "cards"} <= tables:
        raise PackageError(f"{label}: the collection has no notes or cards table")
    if "notetypes" in tables and "decks" in tables:
        package.note_types, package.decks = _read_current_types(conn)
    else:
        package.note_types, package.decks = _read_legacy_types(conn, label)
    for nid, guid, mid, flds, tags in conn.execute(
        "SELECT id, guid, mid, flds, tags FROM notes ORDER BY id"
    ):
        package.notes.append(
            Note(
                int(nid),
                str(guid),
                int(mid),
                tuple(str(flds).split("\x1f")),
                tuple(str(tags).split()),
            )
        )
    for cid, nid, did, ord_, odid in conn.execute(
        "SELECT id, nid, did, ord, odid FROM cards ORDER BY id"
    ):
        deck = int(odid) if odid else int(did)  # a card in a filtered deck: its home deck
        package.cards.append(Card(int(cid), int(nid), deck, int(ord_)))
    if "revlog" in tables:
        for rid, cid, ease, kind, ms in conn.execute(
            "SELECT id, cid, ease, type, time FROM revlog ORDER BY id"
        ):
            package.reviews.append(Review(int(rid), int(cid), int(ease), int(kind), int(ms)))


def read_package(path: Path) -> Package:
    """The package's note types, decks, notes, cards and review log; PackageError if it is
    not a readable Anki package."""
    label = str(path)
    if not path.is_file():
        raise PackageError(f"{label}: no such file")
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise PackageError(f"{label}: not an Anki package (not a zip file)") from None
    except OSError as err:
        raise PackageError(f"{label}: cannot read: {err.strerror or err}") from None
    folder = Path(tempfile.mkdtemp(prefix="quizapp-import-"))
    try:
        with zf:
            members = _check_members(zf, label)
            try:
                db, layout = _extract_collection(zf, members, folder, label)
            except (zipfile.BadZipFile, EOFError, zlib.error, OSError, NotImplementedError) as err:
                raise PackageError(f"{label}: corrupt or truncated package ({err})") from None
            package = Package(path, layout)
            package.media_files = sum(1 for m in members if m.filename.isdigit() and not m.is_dir())
        try:
            with _open_sqlite(db, label) as conn:
                _read_collection(conn, package, label)
        except sqlite3.Error as err:
            raise PackageError(f"{label}: corrupt collection ({err})") from None
        except (ValueError, TypeError, AttributeError) as err:
            raise PackageError(f"{label}: unreadable collection data ({err})") from None
        return package
    finally:
        shutil.rmtree(folder, ignore_errors=True)
