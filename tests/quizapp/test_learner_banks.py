"""Learner banks are the learner's (issue 15): a bank of the learner's (the data directory's
`banks/`, `--bank`, or written by `quizapp import`) needs no source, topic, difficulty or
domain; its items get their bank's name as topic, "medium" and no domain; its topics show in
the dashboard, the stats and browse. The shipped banks keep their stricter rules, and bad
input still gives one line naming file, item and field."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
import tomli_w
from textual.pilot import Pilot
from textual.widgets import DataTable, Select, Static

from quizapp.bank.loader import check_shipped, load_all, load_shipped, validate_file
from quizapp.bank.model import Item
from quizapp.bank.taxonomy import readable_topic, topic_label, topic_labels
from quizapp.cli import main
from quizapp.clock import FakeClock
from quizapp.collection import Collection, open_collection
from quizapp.errors import ContentError
from quizapp.paths import user_banks_dir
from quizapp.quiz import QuizSetup
from quizapp.quiz.draw import draw_plan
from quizapp.tui.app import QuizApp
from quizapp.tui.widgets.browse_rows import build_rows, search

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FIXTURES = Path(__file__).parent / "fixtures" / "banks"
DECK = "AWS ML::SageMaker"  # a topic as an Anki deck name gives it

# a learner's bank as a learner writes it: no source, topic, difficulty or domains at all
MY_DECK = """\
[bank]
title = "My deck"

[[items]]
id = "my-spot"
kind = "flashcard"
front = "How much can managed spot training save?"
back = "Up to 90% over on-demand instances."
tags = ["sagemaker", "cost"]

[[items]]
id = "my-s3"
kind = "cloze"
text = "S3 stands for {{Simple Storage Service}}."

[[items]]
id = "my-iam-global"
kind = "true_false"
prompt = "IAM is a global service."
answer = true
explanation = "IAM users and roles are not tied to a region."

[[items]]
id = "my-region-pick"
kind = "single_choice"
prompt = "Which service stores model artifacts by default?"
choices = [
  { text = "Amazon S3", correct = true, explanation = "SageMaker writes them to S3." },
  { text = "Amazon EFS", correct = false, explanation = "Not by default." },
]

[[items]]
id = "my-own-source"
kind = "flashcard"
topic = "aws"
source = { file = "my-notes.md", section = "week 2", point = "endpoints" }
domains = { mla-c01 = "Deployment and Orchestration of ML Workflows" }
difficulty = "hard"
front = "What serves a model in real time?"
back = "A SageMaker real-time endpoint."
"""


def imported_deck() -> dict[str, object]:
    """A bank as `quizapp import anki` writes it for a deck without source, topic or domain:
    the deck's name as topic, the note's tags kept (written with tomli-w)."""
    return {
        "bank": {"title": "AWS ML (from Anki)"},
        "items": [
            {
                "id": "anki-n1",
                "kind": "flashcard",
                "topic": DECK,
                "front": "What is SageMaker Clarify for?",
                "back": 'Bias and explainability ("SHAP") reports.',
                "tags": ["aws::sagemaker", "from-anki"],
            },
            {
                "id": "anki-n2",
                "kind": "cloze",
                "topic": DECK,
                "text": "Ground Truth {{labels}} data; Clarify finds {{bias}}.",
                "tags": ["labelling"],
            },
        ],
    }


def write_learner_banks() -> Path:
    folder = user_banks_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "my-deck.toml").write_text(MY_DECK, encoding="utf-8")
    (folder / "aws-ml.toml").write_bytes(tomli_w.dumps(imported_deck()).encode())
    return folder


def learner_items() -> tuple[tuple[Item, ...], tuple[Item, ...]]:
    """(every item loaded, the learner's)."""
    write_learner_banks()
    result = load_all()
    assert result.errors == [] and result.skipped == []
    mine = tuple(i for b in result.banks if not b.shipped for i in b.items)
    return result.items, mine


# -- loading ------------------------------------------------------------------------------


def test_learner_bank_without_source_topic_or_domain_loads_with_defaults() -> None:
    _, mine = learner_items()
    by_id = {i.id: i for i in mine}
    assert set(by_id) == {
        "my-spot",
        "my-s3",
        "my-iam-global",
        "my-region-pick",
        "my-own-source",
        "anki-n1",
        "anki-n2",
    }
    spot = by_id["my-spot"]
    assert spot.source is None
    assert spot.topic == "my-deck"  # the bank's name (its file stem)
    assert (spot.domain, spot.domains) == ("", ())  # in no domain
    assert spot.difficulty == "medium"
    assert spot.tags == ("sagemaker", "cost")
    assert by_id["my-region-pick"].choose == 1
    own = by_id["my-own-source"]
    assert own.source is not None and own.source.file == "my-notes.md"  # not in the taxonomy
    assert own.topic == "aws" and own.difficulty == "hard"
    assert own.domain_in("mla-c01") == "Deployment and Orchestration of ML Workflows"


def test_an_imported_deck_written_without_source_topic_or_domain_loads() -> None:
    _, mine = learner_items()
    deck = [i for i in mine if i.bank == "aws-ml"]
    assert [i.id for i in deck] == ["anki-n1", "anki-n2"]
    assert {i.topic for i in deck} == {DECK}
    assert deck[0].tags == ("aws::sagemaker", "from-anki")
    assert all(i.source is None and i.domains == () for i in deck)


def test_bank_given_with_bank_path_follows_the_learner_rules(tmp_path: Path) -> None:
    path = tmp_path / "Elsewhere.TOML"
    path.write_text(MY_DECK, encoding="utf-8")
    result = load_all([path], include_user_dir=False)
    assert result.errors == []
    assert {i.topic for b in result.banks if not b.shipped for i in b.items} == {
        "Elsewhere",
        "aws",
    }


def test_learner_rules_accept_only_the_taxonomy_problems_of_the_bad_fixtures() -> None:
    """The bad fixtures give the same lines under the learner's rules as under the shipped
    ones, except an unknown source or topic, which a learner's bank may have."""
    own_vocabulary = {
        "unknown_source_file",
        "unknown_source_section",
        "unknown_source_point",
        "unknown_topic",
    }
    for path in sorted((FIXTURES / "bad").glob("*.toml")):
        items, errors = validate_file(path)
        strict_items, strict = validate_file(path, shipped=True)
        if path.stem in own_vocabulary:
            assert errors == [] and len(items) == 1, path.stem
            assert strict and not strict_items
        else:
            assert errors == strict, path.stem
            assert [i.id for i in items] == [i.id for i in strict_items]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("topic", "3", "field 'topic': expected a string, got integer"),
        ("topic", '"  padded"', "field 'topic': '  padded' has whitespace before or after it"),
        ("topic", '"two\\nlines"', "field 'topic': contains a control character (U+000A)"),
        ("topic", '"' + "t" * 101 + '"', "field 'topic': 101 characters long (at most 100)"),
        ("difficulty", '"trivial"', "field 'difficulty': unknown difficulty 'trivial'"),
        ("domains", '{ nope = "Modeling" }', "field 'domains.nope': unknown exam profile 'nope'"),
        ("domains", '{ mla-c01 = "Modelling" }', "field 'domains.mla-c01': unknown mla-c01"),
        ("domains", '"Modeling"', "field 'domains': expected a table of profile = domain"),
        ("source", '"my notes"', "field 'source': expected a table { file, section, point }"),
        ("source", '{ file = "a.md", section = "1" }', "field 'source.point': missing"),
        ("sauce", '"x"', "field 'sauce': unknown field (allowed for flashcard: id, kind,"),
    ],
)
def test_bad_learner_input_still_gives_one_line(
    tmp_path: Path, field: str, value: str, problem: str
) -> None:
    path = write_banks_dir_file(
        tmp_path,
        f'[[items]]\nid = "bad-one"\nkind = "flashcard"\nfront = "f"\nback = "b"\n'
        f"{field} = {value}\n",
    )
    result = load_all()
    assert result.skipped == [str(path)]
    assert len(result.errors) == 1
    (line,) = result.errors
    assert "\n" not in line
    assert line.startswith(f"{path}: item 'bad-one' {problem}")
    assert not any(i.id == "bad-one" for i in result.items)


def test_a_learner_item_missing_its_kind_fields_is_one_line_each(tmp_path: Path) -> None:
    path = write_banks_dir_file(tmp_path, '[[items]]\nid = "no-back"\nkind = "flashcard"\n')
    items, errors = validate_file(path)
    assert items == ()
    assert errors == [
        f"{path}: item 'no-back' field 'front': missing (required for flashcard)",
        f"{path}: item 'no-back' field 'back': missing (required for flashcard)",
    ]


def write_banks_dir_file(tmp_path: Path, text: str) -> Path:
    folder = user_banks_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "bad.toml"
    path.write_text(text, encoding="utf-8")
    return path


# -- the shipped banks keep their rules -----------------------------------------------------

SHIPPED_ITEM = {
    "id": "sh-item",
    "kind": "flashcard",
    "source": {"file": "eli5-ch1-neural-networks.txt", "section": "1.2", "point": "bias"},
    "topic": "weights-bias",
    "domains": {"mla-c01": "ML Model Development"},
    "difficulty": "easy",
    "front": "f",
    "back": "b",
}


@pytest.mark.parametrize(
    ("left_out", "problem"),
    [
        ("source", "field 'source': missing"),
        ("topic", "field 'topic': missing"),
        ("difficulty", "field 'difficulty': missing"),
        ("domains", "field 'domains': missing (the item's domain per exam profile"),
    ],
)
def test_a_shipped_item_without_source_topic_or_domain_is_refused(
    tmp_path: Path, left_out: str, problem: str
) -> None:
    root = tmp_path / "shipped"
    root.mkdir()
    item = {k: v for k, v in SHIPPED_ITEM.items() if k != left_out}
    (root / "sh.toml").write_bytes(tomli_w.dumps({"items": [item]}).encode())
    result = check_shipped(root)
    assert result.items == ()
    (line,) = result.errors
    assert line.startswith(f"sh.toml: item 'sh-item' {problem}")
    with pytest.raises(ContentError, match="1 problem"):
        load_shipped(root)


def test_a_shipped_item_must_cite_the_taxonomy(tmp_path: Path) -> None:
    root = tmp_path / "shipped"
    root.mkdir()
    item = dict(SHIPPED_ITEM, topic="my-own", source={"file": "x.md", "section": "1", "point": "p"})
    (root / "sh.toml").write_bytes(tomli_w.dumps({"items": [item]}).encode())
    errors = check_shipped(root).errors
    assert [e.split(":", 2)[1].strip() for e in errors] == [
        "item 'sh-item' field 'topic'",
        "item 'sh-item' field 'source.file'",
    ]


def test_the_shipped_banks_all_cite_the_guide() -> None:
    shipped = load_shipped().items
    assert shipped and all(i.source is not None and i.difficulty for i in shipped)


# -- topics: labels, stats, dashboard, browse, quizzes ------------------------------------


def test_topic_labels_use_the_taxonomy_or_make_the_id_readable() -> None:
    assert topic_label("weights-bias") == "Weights and bias"
    assert topic_label("my-aws_cards") == "My aws cards"
    assert topic_label(DECK) == DECK  # written as words: kept as written
    assert readable_topic("sagemaker") == "Sagemaker"
    labels = topic_labels(["my-deck", "aws"])
    assert labels["my-deck"] == "My deck" and labels["aws"] == topic_label("aws")


def open_study(tmp_path: Path, items: tuple[Item, ...], clock: FakeClock) -> Collection:
    return open_collection(f"sqlite:///{tmp_path / 'progress.db'}", items, clock=clock)


def test_collection_stats_and_dashboard_show_the_learner_topics(tmp_path: Path) -> None:
    items, mine = learner_items()
    clock = FakeClock(START)
    study = open_study(tmp_path, items, clock)
    try:
        keys = {i.key for i in study.browse.card_infos()}
        assert {"my-spot", "my-s3#c1", "anki-n1", "anki-n2#c1", "anki-n2#c2"} <= keys
        assert {i.id for i in study.browse.items()} >= {i.id for i in mine}
        for info in study.browse.card_infos():
            if info.key == "my-spot":
                study.reviews.answer(study.reviews.card(info.card_id), 4, 5.0)
        summary = study.stats.summary()
        assert {"my-deck", DECK, "aws"} <= set(summary.topics)
        assert summary.topics["my-deck"] > 0  # the reviewed card counts
        assert "" not in summary.domains  # no domain: in no domain's mastery
        dash = {t.topic: t.label for t in study.stats.dashboard().topics}
        assert dash["my-deck"] == "My deck" and dash[DECK] == DECK
    finally:
        study.close()


def test_stats_command_lists_the_learner_topics(capsys: pytest.CaptureFixture[str]) -> None:
    learner_items()
    assert main(["stats"]) == 0
    out = capsys.readouterr().out
    topics = out.split("Mastery by topic:")[1].split("\n\n")[0]
    assert "My deck" in topics and DECK in topics and "Weights and bias" in topics


def test_content_check_counts_learner_topics_and_items_without_source(
    capsys: pytest.CaptureFixture[str],
) -> None:
    folder = write_learner_banks()
    assert main(["content", "check", str(folder / "my-deck.toml")]) == 0
    out = capsys.readouterr().out
    assert "Checked 1 file(s): 5 valid items" in out
    assert "4  (no source)" in out and "1  my-notes.md § week 2" in out
    assert re.search(r"\n +4  my-deck +My deck\n", out)


def test_browse_lists_and_filters_the_learner_topics(tmp_path: Path) -> None:
    items, _ = learner_items()
    study = open_study(tmp_path, items, FakeClock(START))
    try:
        labels = topic_labels(i.topic for i in study.browse.items())
        rows = build_rows(study.browse.items(), study.browse.card_infos(), labels)
    finally:
        study.close()
    assert labels["my-deck"] == "My deck"
    mine_rows = search(rows, "", topic="my-deck")
    assert [r.key for r in mine_rows] == [
        "my-spot",
        "my-s3#c1",
        "my-iam-global",
        "my-region-pick",
    ]
    assert all("my deck" in r.haystack for r in mine_rows)  # its label is searched
    assert [r.key for r in search(rows, "from-anki")] == ["anki-n1"]  # tags are searched


def test_exam_never_draws_a_learner_item_without_a_domain() -> None:
    items, mine = learner_items()
    no_domain = {i.id for i in mine if not i.domains}
    for seed in range(5):
        plan = draw_plan(QuizSetup.exam(seed=seed), items, seed=seed)
        assert not no_domain & {q.item_id for q in plan.questions}
    practice = draw_plan(QuizSetup.practice(10, topics=["my-deck"]), items, seed=1)
    assert {q.item_id for q in practice.questions} == {"my-iam-global", "my-region-pick"}


# -- the screens --------------------------------------------------------------------------


def make_app(tmp_path: Path, items: tuple[Item, ...]) -> QuizApp:
    clock = FakeClock(START)
    ticks = itertools.count(step=4.0)
    return QuizApp(
        lambda: open_study(tmp_path, items, clock),
        clock=clock,
        seed=7,
        monotonic=lambda: float(next(ticks)),
    )


async def until(pilot: Pilot[None], condition: Callable[[], object], timeout: float = 10.0) -> None:
    import asyncio

    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        assert asyncio.get_running_loop().time() < deadline, f"timed out: {condition}"
        await pilot.pause(0.02)
    await pilot.pause()


async def test_dashboard_and_browse_screens_show_the_learner_topics(tmp_path: Path) -> None:
    from quizapp.tui.screens.browse import BrowseScreen
    from quizapp.tui.screens.dashboard import DashboardScreen
    from quizapp.tui.widgets.mastery import MasteryBars

    items, _ = learner_items()
    app = make_app(tmp_path, items)
    async with app.run_test(size=(100, 40)) as pilot:
        await until(
            pilot,
            lambda: isinstance(app.screen, DashboardScreen) and app.screen.data is not None,
        )
        bars = {t.topic: t.label for t in app.screen.query_one("#mastery", MasteryBars).topics}
        assert bars["my-deck"] == "My deck" and bars[DECK] == DECK
        await pilot.press("b")
        await until(pilot, lambda: isinstance(app.screen, BrowseScreen))
        screen = app.screen
        assert isinstance(screen, BrowseScreen)
        await until(pilot, lambda: screen.rows is not None)
        topic = screen.query_one("#topic", Select)
        options = {value: label for label, value in topic._options}
        assert options["my-deck"] == "My deck" and options[DECK] == DECK
        assert options["weights-bias"] == "Weights and bias"
        topic.value = "my-deck"
        await pilot.pause()
        table = screen.query_one(DataTable)
        await until(pilot, lambda: len(table.rows) == 4)
        assert [str(k.value) for k in table.rows] == [
            "my-spot",
            "my-s3#c1",
            "my-iam-global",
            "my-region-pick",
        ]
        table.focus()
        table.move_cursor(row=0)
        await pilot.press("enter")
        await until(pilot, lambda: screen.detail is not None)
        await pilot.pause(0.1)
        detail = screen.query_one("#detail-text", Static).render()
        text = getattr(detail, "plain", str(detail))
        assert "My deck · medium" in text and "my-deck" in text
        assert "spot training" in text


@pytest.mark.parametrize(
    ("misconception", "correct", "problem"),
    [
        ('"Forgot Bias"', "false", "expected a snake_case name such as 'forgot_bias'"),
        ("3", "false", "expected a snake_case name such as 'forgot_bias'"),
        ('"forgot_bias"', "true", "a right option names no misconception"),
    ],
)
def test_a_choice_misconception_is_a_name_on_a_wrong_option(
    tmp_path: Path, misconception: str, correct: str, problem: str
) -> None:
    path = write_banks_dir_file(
        tmp_path,
        '[[items]]\nid = "sc-one"\nkind = "single_choice"\nprompt = "p"\nchoices = [\n'
        f'  {{ text = "a", correct = {correct}, explanation = "x", '
        f"misconception = {misconception} }},\n"
        f'  {{ text = "b", correct = {"false" if correct == "true" else "true"}, '
        'explanation = "y" },\n]\n',
    )
    result = load_all()
    (line,) = result.errors
    assert line.startswith(f"{path}: item 'sc-one' field 'choices[1].misconception': {problem}")


def test_a_choice_misconception_loads_on_a_wrong_option(tmp_path: Path) -> None:
    write_banks_dir_file(
        tmp_path,
        '[[items]]\nid = "sc-one"\nkind = "single_choice"\nprompt = "p"\nchoices = [\n'
        '  { text = "a", correct = false, explanation = "x", misconception = "forgot_bias" },\n'
        '  { text = "b", correct = true, explanation = "y" },\n]\n',
    )
    result = load_all()
    (item,) = [i for i in result.items if i.id == "sc-one"]
    assert [c.misconception for c in item.choices] == ["forgot_bias", ""]
