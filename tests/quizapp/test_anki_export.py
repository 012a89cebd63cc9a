"""`quizapp export anki`: the package opens in Anki (Anki's own importer, the `anki` package),
with the right notes, cards, decks, fields and tags; a second export updates the notes in
place; bank text arrives as literal text; a cloze with two gaps is one note with two cards."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from anki.collection import (
    Collection,
    ImportAnkiPackageOptions,
    ImportAnkiPackageRequest,
)
from anki.import_export_pb2 import IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.bank.loader import load_file, load_shipped
from quizapp.cli import main
from quizapp.interop.anki_export import (
    ExportBank,
    cloze_field,
    deck_id,
    deck_name,
    field_text,
    item_tags,
    note_guid,
    write_anki_package,
)

SOURCE = 'source = { file = "eli5-ch1-neural-networks.txt", section = "1.2", point = "bias" }'
COMMON = f"""{SOURCE}
topic = "weights-bias"
domains = {{ mla-c01 = "ML Model Development", mls-c01 = "Modeling" }}
difficulty = "easy"
"""
BANK = f"""
[bank]
title = "My <own> bank & more"

[[items]]
id = "mine-flash"
kind = "flashcard"
{COMMON}front = "Is <b>bold</b> & <script>x</script> text?"
back = "Line one\\nline two"
eli5 = "A child's <i>view</i>"
tags = ["my tag", "exam"]

[[items]]
id = "mine-cloze"
kind = "cloze"
{COMMON}text = "A neuron adds {{{{the bias}}}} to {{{{the weighted sum}}}} & more."
back = "Extra < note"

[[items]]
id = "mine-single"
kind = "single_choice"
{COMMON}prompt = "Which one?"
choices = [
  {{ text = "Alpha", correct = false, explanation = "Not alpha." }},
  {{ text = "Beta <b>", correct = true, explanation = "Beta it is." }},
  {{ text = "Gamma", correct = false, explanation = "Not gamma." }},
]

[[items]]
id = "mine-multi"
kind = "multiple_response"
{COMMON}prompt = "Which two? Choose two."
choices = [
  {{ text = "One", correct = true, explanation = "Yes one." }},
  {{ text = "Two", correct = true, explanation = "Yes two." }},
  {{ text = "Three", correct = false, explanation = "Not three." }},
]

[[items]]
id = "mine-tf"
kind = "true_false"
{COMMON}prompt = "A bias is always zero."
answer = false
explanation = "It is learned."

[[items]]
id = "mine-order"
kind = "ordering"
{COMMON}prompt = "Put the steps in order."
steps = [
  {{ text = "Forward pass", explanation = "First the prediction." }},
  {{ text = "Loss", explanation = "Then the error." }},
  {{ text = "Backward pass", explanation = "Then the gradients." }},
]

[[items]]
id = "mine-match"
kind = "matching"
{COMMON}prompt = "Match each function with its range."
pairs = [
  {{ item = "sigmoid", match = "0 to 1", explanation = "Squashes to (0, 1)." }},
  {{ item = "tanh", match = "-1 to 1", explanation = "Centred on zero." }},
  {{ item = "ReLU", match = "0 to infinity", explanation = "Zero below zero." }},
]

[[items]]
id = "mine-computed"
kind = "computed"
{COMMON}family = "weighted_sum"
scenario = "cookie"
"""
EXPORTED = 7  # every item but the computed one
CARDS = 8  # the cloze has two gaps: two cards


@pytest.fixture
def bank_file(tmp_path: Path) -> Path:
    path = tmp_path / "banks" / "mine.toml"
    path.parent.mkdir()
    path.write_text(BANK, encoding="utf-8")
    bank, errors = load_file(path)
    assert not errors and bank is not None and len(bank.items) == 8
    return path


@pytest.fixture
def anki_col(tmp_path: Path) -> Iterator[Collection]:
    (tmp_path / "anki").mkdir()
    col = Collection(str(tmp_path / "anki" / "collection.anki2"))
    try:
        yield col
    finally:
        col.close()


def anki_import(col: Collection, package: Path) -> None:
    options = ImportAnkiPackageOptions(
        update_notes=IMPORT_ANKI_PACKAGE_UPDATE_CONDITION_IF_NEWER,
        with_scheduling=True,
    )
    col.import_anki_package(ImportAnkiPackageRequest(package_path=str(package), options=options))


def note_by_guid(col: Collection, item_id: str):  # type: ignore[no-untyped-def]
    nid = col.db.scalar("select id from notes where guid = ?", note_guid(item_id))
    assert nid, f"no note for {item_id}"
    return col.get_note(nid)


def export(bank_file: Path, out: Path, *extra: str) -> int:
    return main(["--bank", str(bank_file), "export", "anki", str(out), "--bank", "mine", *extra])


def test_export_opens_in_anki_with_notes_cards_decks_and_fields(
    bank_file: Path, tmp_path: Path, anki_col: Collection, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "mine.apkg"
    assert export(bank_file, out) == 0
    printed = capsys.readouterr().out
    assert f"Wrote {EXPORTED} notes ({CARDS} cards) in 1 deck" in printed
    assert "skipped 1 computed" in printed
    assert out.stat().st_mode & 0o044  # a plain file, not mkstemp's 0600

    anki_import(anki_col, out)
    assert anki_col.note_count() == EXPORTED
    assert anki_col.card_count() == CARDS
    names = {d.name for d in anki_col.decks.all_names_and_ids()}
    assert {"quizapp", "quizapp::mine"} <= names
    assert len(anki_col.find_cards('"deck:quizapp::mine"')) == CARDS

    flash = note_by_guid(anki_col, "mine-flash")
    assert flash.note_type()["name"].startswith("Basic")
    assert flash["Front"] == "Is &lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;x&lt;/script&gt; text?"
    assert flash["Back"].startswith("Line one<br>line two<br><br><b>ELI5:</b> A child's")
    assert set(flash.tags) >= {
        "topic::weights-bias",
        "domain::ML_Model_Development",
        "kind::flashcard",
        "my_tag",
        "exam",
    }

    single = note_by_guid(anki_col, "mine-single")
    assert single["Front"] == "Which one?<br><br>A. Alpha<br>B. Beta &lt;b&gt;<br>C. Gamma"
    assert single["Back"].startswith("<b>Answer: B</b><br><br>A. Alpha<br><i>Wrong:</i> Not alpha.")
    assert "B. Beta &lt;b&gt;<br><i>Right:</i> Beta it is." in single["Back"]
    multi = note_by_guid(anki_col, "mine-multi")
    assert multi["Back"].startswith("<b>Answer: A, B</b>")
    tf = note_by_guid(anki_col, "mine-tf")
    assert tf["Front"] == "True or false?<br><br>A bias is always zero."
    assert tf["Back"] == "<b>False</b><br><br>It is learned."
    assert "kind::true_false" in tf.tags


def test_text_arrives_as_literal_text(
    bank_file: Path, tmp_path: Path, anki_col: Collection
) -> None:
    out = tmp_path / "mine.apkg"
    assert export(bank_file, out) == 0
    anki_import(anki_col, out)
    flash = note_by_guid(anki_col, "mine-flash")
    # the field holds no markup at all: unescaping it gives the bank text back
    assert html.unescape(flash["Front"]) == "Is <b>bold</b> & <script>x</script> text?"
    card = flash.cards()[0]
    question = card.question()
    assert "<script>" not in question and "<b>bold" not in question
    assert "&lt;b&gt;bold&lt;/b&gt; &amp;" in question


def test_cloze_with_two_gaps_is_one_note_with_two_cards(
    bank_file: Path, tmp_path: Path, anki_col: Collection
) -> None:
    out = tmp_path / "mine.apkg"
    assert export(bank_file, out) == 0
    anki_import(anki_col, out)
    cloze = note_by_guid(anki_col, "mine-cloze")
    assert cloze.note_type()["name"].startswith("Cloze")
    assert cloze["Text"] == "A neuron adds {{c1::the bias}} to {{c2::the weighted sum}} &amp; more."
    assert cloze["Back Extra"] == "Extra &lt; note"
    cards = sorted(cloze.cards(), key=lambda c: c.ord)
    assert [c.ord for c in cards] == [0, 1]
    assert "the weighted sum" in cards[0].question() and "the bias" not in cards[0].question()
    assert "the bias" in cards[1].question() and "the weighted sum" not in cards[1].question()


def test_second_export_updates_instead_of_duplicating(
    bank_file: Path, tmp_path: Path, anki_col: Collection
) -> None:
    first, second = tmp_path / "first.apkg", tmp_path / "second.apkg"
    bank, _ = load_file(bank_file)
    assert bank is not None
    write_anki_package([ExportBank(bank.name, bank.title, bank.items)], first, timestamp=1.7e9)
    anki_import(anki_col, first)
    assert (anki_col.note_count(), anki_col.card_count()) == (EXPORTED, CARDS)

    bank_file.write_text(BANK.replace("Is <b>bold</b>", "Now <b>bolder</b>"), encoding="utf-8")
    bank, _ = load_file(bank_file)
    assert bank is not None
    write_anki_package(
        [ExportBank(bank.name, bank.title, bank.items)], second, timestamp=1.7e9 + 60
    )
    anki_import(anki_col, second)
    assert (anki_col.note_count(), anki_col.card_count()) == (EXPORTED, CARDS)
    assert note_by_guid(anki_col, "mine-flash")["Front"].startswith("Now &lt;b&gt;bolder")
    assert len(anki_col.decks.all_names_and_ids()) == 3  # Default, quizapp, quizapp::mine


def test_shipped_banks_export_whole(
    tmp_path: Path, anki_col: Collection, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "all.apkg"
    assert main(["export", "anki", str(out)]) == 0
    printed = capsys.readouterr().out
    shipped = load_shipped().banks
    items = [i for b in shipped for i in b.items]
    notes = [i for i in items if i.kind != "computed"]
    cards = sum(i.text.count("{{") if i.kind == "cloze" else 1 for i in notes)
    computed = len(items) - len(notes)
    assert f"Wrote {len(notes)} notes ({cards} cards) in {len(shipped)} decks" in printed
    assert f"skipped {computed} computed" in printed

    anki_import(anki_col, out)
    assert anki_col.note_count() == len(notes)
    assert anki_col.card_count() == cards
    names = {d.name for d in anki_col.decks.all_names_and_ids()}
    assert {f"quizapp::{b.name}" for b in shipped} <= names
    first = shipped[0].items[0]
    note = note_by_guid(anki_col, first.id)
    assert html.unescape(re.sub(r"<[^>]*>", " ", note.fields[0])).strip() != ""
    flash = next(i for i in items if i.kind == "flashcard")
    assert note_by_guid(anki_col, flash.id)["Front"] == field_text(flash.front)
    assert "kind::flashcard" in note_by_guid(anki_col, flash.id).tags


def test_unknown_bank_is_one_line_listing_the_known(
    bank_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.apkg"
    code = main(["--bank", str(bank_file), "export", "anki", str(out), "--bank", "nope"])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1
    assert "unknown bank 'nope'" in err and "mine" in err and "guide-summary" in err
    assert not out.exists()


def test_with_progress_says_it_is_not_exported_and_still_writes(
    bank_file: Path, tmp_path: Path, anki_col: Collection, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "p.apkg"
    assert export(bank_file, out, "--with-progress") == 0
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if "--with-progress" in line]
    assert len(lines) == 1 and "not exported" in lines[0]
    anki_import(anki_col, out)
    assert anki_col.note_count() == EXPORTED


def test_unwritable_target_is_one_line_and_leaves_nothing(
    bank_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "no-such-folder" / "x.apkg"
    assert export(bank_file, missing) == 2
    assert "no-such-folder" in capsys.readouterr().err
    assert export(bank_file, tmp_path / "x.txt") == 2
    assert ".apkg" in capsys.readouterr().err
    (tmp_path / "dir.apkg").mkdir()
    assert export(bank_file, tmp_path / "dir.apkg") == 2
    assert "folder" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["banks", "dir.apkg"]


def test_ids_guids_tags_and_escaping_are_stable_and_safe() -> None:
    assert deck_id("quizapp::a") == deck_id("quizapp::a") != deck_id("quizapp::b")
    assert 1 < deck_id("quizapp") < 2**53
    assert note_guid("x") == note_guid("x") != note_guid("y")
    assert deck_name("a::b") == "quizapp::a:b"
    assert field_text("a<b>&\nc\td") == "a&lt;b&gt;&amp;<br>c    d"
    assert cloze_field("x {{a::b}} y {{<c>}}") == "x {{c1::a&#58;&#58;b}} y {{c2::&lt;c&gt;}}"
    bank, _ = load_shipped().banks[0], None
    tags = item_tags(bank.items[0])
    assert all(" " not in t for t in tags)
    assert any(t.startswith("kind::") for t in tags)


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n<>&"))
)
def test_field_text_is_the_text_escaped(text: str) -> None:
    field = field_text(text)
    assert "<" not in field.replace("<br>", "") and ">" not in field.replace("<br>", "")
    assert html.unescape(field.replace("<br>", "\n")) == text


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet="ab:<&} ", min_size=1).filter(lambda s: "}" not in s), max_size=4))
def test_cloze_field_numbers_every_gap(answers: list[str]) -> None:
    text = " and ".join(f"{{{{{a}}}}}" for a in answers) + " end"
    field = cloze_field(text)
    found = re.findall(r"\{\{c(\d+)::(.*?)\}\}", field)
    assert [int(n) for n, _ in found] == list(range(1, len(answers) + 1))
    assert [html.unescape(a) for _, a in found] == answers
    assert all("::" not in a for _, a in found)
