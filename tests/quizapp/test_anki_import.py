"""`quizapp import anki`: packages built here (genanki; Anki's own exporter in the legacy and
current layouts, with review history) become learner banks; bad packages write nothing."""

from __future__ import annotations

import io
import os
import sqlite3
import tomllib
import zipfile
from pathlib import Path

import genanki
import pytest

from quizapp.bank.loader import load_all
from quizapp.cli import main
from quizapp.interop.anki_import import cloze_text, slug
from quizapp.interop.apkg import MAX_TOTAL_BYTES
from quizapp.interop.html_text import html_to_text
from quizapp.paths import user_banks_dir

DAY_MS = 86_400_000


def banks() -> dict[str, dict[str, object]]:
    folder = user_banks_dir()
    if not folder.exists():
        return {}
    return {p.stem: tomllib.loads(p.read_text("utf-8")) for p in sorted(folder.glob("*.toml"))}


def learner_items() -> dict[str, object]:
    loaded = load_all()
    assert not loaded.errors, loaded.errors
    return {i.id: i for b in loaded.banks if not b.shipped for i in b.items}


# -- genanki packages ---------------------------------------------------------------------


def genanki_package(path: Path, *, with_media: bool = True) -> Path:
    deck = genanki.Deck(2059400110, "AWS ML::Optimisers")
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=["What does <b>Adam</b> keep?", "Running means &amp; variances<br>of grads"],
            tags=["optim", "aws::ml"],
            guid="guid-basic-1",
        )
    )
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_AND_REVERSED_CARD_MODEL,
            fields=["SGD", "stochastic gradient descent"],
            guid="guid-rev-1",
        )
    )
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_TYPE_IN_THE_ANSWER_MODEL,
            fields=["Default learning rate of Adam?", "0.001"],
            guid="guid-type-1",
        )
    )
    deck.add_note(
        genanki.Note(
            model=genanki.CLOZE_MODEL,
            fields=[
                "{{c1::Momentum}} smooths the {{c2::gradient::what?}} <img src='x.png'>",
                "extra",
            ],
            guid="guid-cloze-1",
        )
    )
    renamed = genanki.Model(
        1607392320,
        "Vocab (mine)",
        fields=[{"name": "Term"}, {"name": "Meaning"}],
        templates=[{"name": "c", "qfmt": "{{Term}}", "afmt": "{{FrontSide}}<hr>{{Meaning}}"}],
    )
    deck.add_note(
        genanki.Note(model=renamed, fields=["epoch", "one pass [sound:e.mp3]"], guid="g-v")
    )
    odd = genanki.Model(
        1607392321,
        "Image Occlusion-ish",
        fields=[{"name": "A"}, {"name": "B"}, {"name": "C"}],
        templates=[{"name": "c", "qfmt": "{{A}}{{B}}", "afmt": "{{C}}<script>alert(1)</script>"}],
    )
    deck.add_note(genanki.Note(model=odd, fields=["a", "b", "c"], guid="g-odd"))
    package = genanki.Package(deck)
    if with_media:
        media = path.parent / "x.png"
        media.write_bytes(b"\x89PNG fake")
        package.media_files = [str(media)]
    package.write_to_file(str(path))
    return path


@pytest.fixture
def progress_db(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The progress database the command and the test open (`$QUIZAPP_DB`): a new SQLite
    file, then a new PostgreSQL database."""
    monkeypatch.setenv("QUIZAPP_DB", db_url)
    return db_url


def test_genanki_package_becomes_a_bank(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = genanki_package(tmp_path / "deck.apkg")
    assert main(["import", "anki", str(pkg)]) == 0
    out = capsys.readouterr().out
    assert "Image Occlusion-ish" in out and "media not imported: 1 file(s)" in out
    assert "2 reference(s)" in out  # the <img> and the [sound:]
    doc = banks()["aws-ml-optimisers"]
    items = {i["id"]: i for i in doc["items"]}  # type: ignore[attr-defined]
    assert len(items) == 6  # basic, reversed (2), type-in, cloze, renamed basic
    kinds = sorted(i["kind"] for i in items.values())
    assert kinds == ["cloze"] + ["flashcard"] * 5
    by_front = {i.get("front"): i for i in items.values()}
    adam = by_front["What does Adam keep?"]
    assert adam["back"] == "Running means & variances\nof grads"
    assert sorted(adam["tags"]) == ["aws::ml", "optim"] and adam["topic"] == "aws-ml-optimisers"
    assert "source" not in adam and "domains" not in adam
    assert by_front["stochastic gradient descent"]["back"] == "SGD"  # the reverse card
    assert by_front["Default learning rate of Adam?"]["back"] == "0.001"
    assert by_front["epoch"]["back"] == "one pass"
    cloze = next(i for i in items.values() if i["kind"] == "cloze")
    assert cloze["text"] == "{{Momentum}} smooths the {{gradient}}"
    assert cloze["back"] == "extra"
    loaded = learner_items()
    assert set(loaded) == set(items)
    assert all("<" not in str(i["front"] if "front" in i else i["text"]) for i in items.values())


@pytest.mark.usefixtures("progress_db")
def test_reimport_updates_in_place_and_keeps_progress(tmp_path: Path) -> None:
    from quizapp.collection import open_collection

    pkg = genanki_package(tmp_path / "deck.apkg", with_media=False)
    assert main(["import", "anki", str(pkg)]) == 0
    first = banks()["aws-ml-optimisers"]
    study = open_collection(None, load_all().items)
    try:
        card = study.reviews.next_card()
        assert card is not None
        study.reviews.answer(card, 3)
        answered = card.card_id
    finally:
        study.close()
    # the deck changes in Anki: a note edited, the same GUIDs
    deck = genanki.Deck(2059400110, "AWS ML::Optimisers")
    deck.add_note(
        genanki.Note(
            model=genanki.BASIC_MODEL,
            fields=["What does Adam keep? (edited)", "moments"],
            guid="guid-basic-1",
        )
    )
    genanki.Package(deck).write_to_file(str(pkg))
    assert main(["import", "anki", str(pkg)]) == 0
    second = banks()["aws-ml-optimisers"]
    assert [i["id"] for i in second["items"]] == [first["items"][0]["id"]]  # type: ignore[index]
    assert second["items"][0]["front"] == "What does Adam keep? (edited)"  # type: ignore[index]
    study = open_collection(None, load_all().items)
    try:
        with study.store.read() as tx:
            from quizapp.store.cards import load_memory

            memory = load_memory(tx, answered)
        assert memory is not None and memory.reps == 1
    finally:
        study.close()


def test_a_learners_own_bank_is_never_overwritten(tmp_path: Path) -> None:
    folder = user_banks_dir()
    folder.mkdir(parents=True)
    mine = folder / "aws-ml-optimisers.toml"
    mine.write_text('[bank]\ntitle = "mine"\n', "utf-8")
    pkg = genanki_package(tmp_path / "deck.apkg", with_media=False)
    assert main(["import", "anki", str(pkg)]) == 2
    assert mine.read_text("utf-8") == '[bank]\ntitle = "mine"\n'


# -- text ------------------------------------------------------------------------------------


def test_html_reduction_is_safe() -> None:
    raw = (
        "<div>a &lt;b&gt; &amp;amp;</div><script>evil()</script><style>x{}</style>"
        "<p onclick='x'>para</p>line<br/>two [sound:a.mp3]<img src=a.png>&#x26;lt;"
    )
    text = html_to_text(raw)
    assert text.text == "a <b> &amp;\n\npara\nline\ntwo &lt;"
    assert text.media == 2


def test_cloze_numbers_map_to_first_gaps() -> None:
    text, first = cloze_text("{{c2::b}} {{c1::a::hint}} {{c2::c}}")
    assert text == "{{b}} {{a}} {{c}}"
    assert first == {2: 1, 1: 2}


def test_slug() -> None:
    assert slug("AWS::ML Basics") == "aws-ml-basics"
    assert slug("日本語").startswith("deck-")


# -- Anki's own exports, with review history -----------------------------------------------


def anki_export(tmp_path: Path, *, legacy: bool, colpkg: bool = False) -> tuple[Path, int]:
    """A collection made with the `anki` package: 3 notes (basic, reversed, cloze), some
    cards answered 3-4 times at spaced times in the past, one manual reschedule entry;
    exported with scheduling. (path, number of real answers)."""
    from anki.collection import Collection, ExportAnkiPackageOptions

    (tmp_path / "anki").mkdir(exist_ok=True)
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        deck = col.decks.id("Exam::Week 1")
        assert deck is not None
        for model, fields in (
            ("Basic", {"Front": "What is <i>dropout</i>?", "Back": "Zeroing units at random"}),
            ("Basic (and reversed card)", {"Front": "L2", "Back": "weight decay"}),
            ("Cloze", {"Text": "{{c1::ReLU}} is max(0, x)"}),
        ):
            note = col.new_note(col.models.by_name(model))  # type: ignore[arg-type]
            for name, value in fields.items():
                note[name] = value
            col.add_note(note, deck)
        col.decks.select(deck)
        answers = 0
        for _ in range(12):
            card = col.sched.getCard()
            if card is None:
                break
            states = col._backend.get_scheduling_states(card.id)
            rating = 0 if answers == 1 else 2  # one Again, the rest Good
            col.sched.answer_card(col.sched.build_answer(card=card, states=states, rating=rating))
            answers += 1
        # spread the answers over the past weeks, oldest first, and add a manual entry
        rows = col.db.all("select id, cid from revlog order by id")
        assert len(rows) == answers
        base = rows[0][0] - 40 * DAY_MS
        for n, (rid, _cid) in enumerate(rows):
            col.db.execute("update revlog set id = ? where id = ?", base + n * 3 * DAY_MS, rid)
        cid = rows[0][1]
        col.db.execute(
            "insert into revlog (id, cid, usn, ease, ivl, lastIvl, factor, time, type) "
            "values (?, ?, 0, 0, 0, 0, 0, 0, 4)",
            base + 30 * DAY_MS,
            cid,
        )
        suffix = "colpkg" if colpkg else "apkg"
        out = tmp_path / f"{'legacy' if legacy else 'current'}.{suffix}"
        if colpkg:
            col.export_collection_package(str(out), include_media=True, legacy=legacy)
        else:
            options = ExportAnkiPackageOptions(
                with_scheduling=True, with_deck_configs=True, with_media=True, legacy=legacy
            )
            col.export_anki_package(out_path=str(out), options=options, limit=None)
        return out, answers
    finally:
        col.close()


@pytest.mark.usefixtures("progress_db")
@pytest.mark.parametrize(
    ("legacy", "colpkg"),
    [(True, False), (False, False), (False, True)],
    ids=["legacy", "current", "colpkg"],
)
def test_anki_export_with_history_keeps_intervals(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], legacy: bool, colpkg: bool
) -> None:
    pkg, answers = anki_export(tmp_path, legacy=legacy, colpkg=colpkg)
    names = zipfile.ZipFile(pkg).namelist()
    assert ("collection.anki21b" in names) is not legacy
    assert main(["import", "anki", str(pkg), "--with-progress"]) == 0
    out = capsys.readouterr().out
    assert ("current layout" in out) is not legacy
    assert f"{answers} review(s) replayed" in out
    assert "1 manual or reschedule" in out
    doc = banks()["exam-week-1"]
    assert len(doc["items"]) == 4  # type: ignore[arg-type]
    from quizapp.collection import open_collection
    from quizapp.store.review_history import review_count

    study = open_collection(None, load_all().items)
    try:
        with study.store.read() as tx:
            assert review_count(tx) == answers
            rows = tx.all(
                __import__("sqlalchemy").text(
                    "select stability, due, last_review, reps, state from card_memory "
                    "where learner = :q_learner and reps > 0"
                )
            )
    finally:
        study.close()
    assert sum(r[3] for r in rows) == answers
    for stability, due, last_review, _reps, state in rows:
        assert stability is not None and stability > 0
        assert due >= last_review
        assert state in (1, 2, 3)
    assert any(state == 2 and due - last >= 86_400 for _s, due, last, _r, state in rows)


@pytest.mark.usefixtures("progress_db")
def test_progress_import_twice_keeps_progress(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pkg, answers = anki_export(tmp_path, legacy=False)
    assert main(["import", "anki", str(pkg), "--with-progress"]) == 0
    assert main(["import", "anki", str(pkg), "--with-progress"]) == 0
    out = capsys.readouterr().out
    assert "already studied here kept their own progress" in out
    from quizapp.collection import open_collection
    from quizapp.store.review_history import review_count

    study = open_collection(None, load_all().items)
    try:
        with study.store.read() as tx:
            assert review_count(tx) == answers
    finally:
        study.close()


# -- bad packages ------------------------------------------------------------------------------


def zip_with(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def assert_refused(path: Path, capsys: pytest.CaptureFixture[str], words: str) -> None:
    assert main(["import", "anki", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1, err
    assert str(path) in err and words in err, err
    assert not user_banks_dir().exists() or not list(user_banks_dir().iterdir())


def test_not_a_zip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.apkg"
    bad.write_text("just text", "utf-8")
    assert_refused(bad, capsys, "not a zip")


def test_truncated(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = genanki_package(tmp_path / "deck.apkg", with_media=False)
    data = pkg.read_bytes()
    cut = tmp_path / "cut.apkg"
    cut.write_bytes(data[: len(data) // 2])
    assert_refused(cut, capsys, "")


def test_corrupt_member(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    pkg = genanki_package(tmp_path / "deck.apkg", with_media=False)
    data = bytearray(pkg.read_bytes())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo("collection.anki2")
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for at in range(start + 10, start + 60):
        data[at] ^= 0xFF
    bad = tmp_path / "flipped.apkg"
    bad.write_bytes(bytes(data))
    assert_refused(bad, capsys, "")


def test_zip_slip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = zip_with(tmp_path / "slip.apkg", {"collection.anki2": b"x", "../../evil.txt": b"x"})
    assert_refused(bad, capsys, "outside the folder")
    assert not (tmp_path.parent / "evil.txt").exists()


def test_zip_bomb_declared_and_actual(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bomb = tmp_path / "bomb.apkg"
    chunk = b"\0" * (1 << 20)
    with (
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf,
        zf.open("collection.anki2", "w", force_zip64=True) as member,
    ):
        for _ in range(MAX_TOTAL_BYTES // len(chunk) + 2):
            member.write(chunk)
    assert bomb.stat().st_size < 2_000_000
    assert_refused(bomb, capsys, "MB")
    # small declared sizes, but the zstd collection inside expands past the limit: the
    # bytes actually produced are counted while decompressing, and it stops there
    import zstandard

    cctx = zstandard.ZstdCompressor(level=3)
    chunk = b"\0" * (1 << 20)
    with io.BytesIO() as buf:
        with cctx.stream_writer(buf, closefd=False) as writer:
            for _ in range(MAX_TOTAL_BYTES // len(chunk) + 2):
                writer.write(chunk)
        packed = buf.getvalue()
    assert len(packed) < 200_000
    zbomb = zip_with(tmp_path / "zbomb.apkg", {"meta": b"\x08\x03", "collection.anki21b": packed})
    assert_refused(zbomb, capsys, "expands past 200 MB")


def test_missing_collection(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = zip_with(tmp_path / "empty.apkg", {"media": b"{}", "0": b"png"})
    assert_refused(bad, capsys, "no collection")


def test_collection_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = zip_with(tmp_path / "fake.apkg", {"collection.anki2": b"SELECT 1; -- not a db"})
    assert_refused(bad, capsys, "not an SQLite database")


def test_bad_zstd(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = zip_with(tmp_path / "zst.apkg", {"collection.anki21b": b"\x28\xb5\x2f\xfdgarbage"})
    assert_refused(bad, capsys, "")


def test_sqlite_without_anki_tables(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "plain.sqlite"
    with sqlite3.connect(db) as conn:
        conn.execute("create table t (x)")
    conn.close()
    bad = zip_with(tmp_path / "plain.apkg", {"collection.anki2": db.read_bytes()})
    assert_refused(bad, capsys, "no notes or cards")
    assert not os.path.exists(tmp_path / "plain.sqlite-wal")


def test_export_then_import_gives_the_same_items(tmp_path: Path) -> None:
    folder = user_banks_dir()
    folder.mkdir(parents=True)
    (folder / "mine.toml").write_text(
        '[bank]\ntitle = "Mine"\n\n'
        '[[items]]\nid = "m-one"\nkind = "flashcard"\n'
        'front = "Is 1 < 2 & 3 > 2?"\nback = "Yes.\\nBoth <b>hold</b>."\n\n'
        '[[items]]\nid = "m-two"\nkind = "cloze"\n'
        'text = "{{Adam}} keeps {{moment}} estimates"\nback = "see the paper"\n',
        "utf-8",
    )
    assert not load_all().errors
    out = tmp_path / "out.apkg"
    assert main(["export", "anki", str(out), "--bank", "mine"]) == 0
    assert main(["import", "anki", str(out)]) == 0
    (imported,) = [s for s in banks() if s != "mine"]
    items = banks()[imported]["items"]
    got = sorted(
        (i["kind"], i.get("front", i.get("text")), i.get("back"))
        for i in items  # type: ignore[attr-defined]
    )
    assert got == [
        ("cloze", "{{Adam}} keeps {{moment}} estimates", "see the paper"),
        ("flashcard", "Is 1 < 2 & 3 > 2?", "Yes.\nBoth <b>hold</b>."),
    ]


def test_note_types_are_recognised_by_structure() -> None:
    from quizapp.interop.anki_import import note_shape
    from quizapp.interop.apkg import NoteType, Template

    optional_reverse = NoteType(
        1,
        "Basic (optional reversed card)",
        0,
        ("Front", "Back", "Add Reverse"),
        (
            Template("1", "{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"),
            Template("2", "{{#Add Reverse}}{{Back}}{{/Add Reverse}}", "{{FrontSide}}{{Front}}"),
        ),
    )
    shape = note_shape(optional_reverse)
    assert shape is not None and shape.sides == {0: (0, 1), 1: (1, 0)}
    cloze_renamed = NoteType(
        2, "Lückentext", 0, ("T", "X"), (Template("c", "{{cloze:T}}", "{{X}}"),)
    )
    shape = note_shape(cloze_renamed)
    assert shape is not None and shape.cloze == (0, 1)
    three_sided = NoteType(3, "Basic", 0, ("A", "B", "C"), (Template("c", "{{A}} {{B}}", "{{C}}"),))
    assert note_shape(three_sided) is None  # its name says Basic; its structure does not
