"""Exam profiles as data (`quizapp.bank.profiles`): a malformed profile file is one line naming
the file, the profile and the field; the learner's profiles load after the shipped ones, are
validated like them, and may not take an id that is already taken."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from importlib.resources import files
from pathlib import Path

import pytest

from quizapp.bank import profiles as profiles_module
from quizapp.bank.profiles import (
    EXAM_KINDS,
    ExamProfile,
    load_profiles,
    parse_profile,
    shipped_profiles,
    user_profiles_dir,
)
from quizapp.errors import ContentError

SHIPPED = shipped_profiles()
SHIPPED_IDS = [p.id for p in SHIPPED.profiles]
MLA_TEXT = files("content").joinpath("profiles", "mla-c01.toml").read_text(encoding="utf-8")

GOOD = """\
# a learner's own exam
[profile]
id = "my-exam"
code = "MY-01"
name = "My own exam"
status = "current"
questions = 20
scored = 15
minutes = 40
pass_mark = 700
kinds = ["single_choice", "ordering"]

[[domains]]
name = "Alpha"
weight = 60

[[domains]]
name = "Beta"
weight = 40
"""

OTHER = GOOD.replace('id = "my-exam"', 'id = "other-exam"')


def edit(old: str, new: str) -> Callable[[str], str]:
    def change(text: str) -> str:
        assert old in text, old
        return text.replace(old, new, 1)

    return change


# case -> (how GOOD is broken, the field named, the problem after "field '<field>': ")
MALFORMED: dict[str, tuple[Callable[[str], str], str, str]] = {
    "missing field": (edit("minutes = 40\n", ""), "minutes", "missing"),
    "missing kinds": (
        edit('kinds = ["single_choice", "ordering"]\n', ""),
        "kinds",
        "missing",
    ),
    "unknown field": (
        edit("minutes = 40\n", "minutes = 40\nduration = 40\n"),
        "duration",
        "unknown field (expected: id, code, name, status, retired_on, questions, scored, "
        "minutes, pass_mark, kinds)",
    ),
    "bad status": (
        edit('status = "current"', 'status = "active"'),
        "status",
        "unknown status 'active' (expected current or retired)",
    ),
    "retired without retired_on": (
        edit('status = "current"', 'status = "retired"'),
        "retired_on",
        "missing (a retired profile says when, e.g. 2026-03-31)",
    ),
    "retired_on not a date": (
        edit('status = "current"', 'status = "retired"\nretired_on = "March 2026"'),
        "retired_on",
        "expected a date like 2026-03-31, got string",
    ),
    "current with a retired_on": (
        edit('status = "current"', 'status = "current"\nretired_on = 2026-03-31'),
        "retired_on",
        "a current profile has no retirement date",
    ),
    "weights not adding to 100": (
        edit("weight = 40", "weight = 30"),
        "domains",
        "the weights add up to 90, not 100",
    ),
    "duplicate domain": (
        edit('name = "Beta"', 'name = "Alpha"'),
        "domains[2].name",
        "'Alpha' is listed twice",
    ),
    "weight not a percentage": (
        edit("weight = 40", "weight = 0"),
        "domains[2].weight",
        "expected a whole percentage from 1 to 100",
    ),
    "no domains": (
        lambda text: text.split("[[domains]]")[0],
        "domains",
        "missing (add [[domains]] tables with name and weight)",
    ),
    "empty kinds": (
        edit('kinds = ["single_choice", "ordering"]', "kinds = []"),
        "kinds",
        "expected a non-empty array of item kinds, got an empty array",
    ),
    "kind listed twice": (
        edit('"ordering"]', '"single_choice"]'),
        "kinds[2]",
        "'single_choice' is listed twice",
    ),
    "minutes zero": (
        edit("minutes = 40", "minutes = 0"),
        "minutes",
        "0 is out of range (above 0, at most 600)",
    ),
    "minutes above 600": (
        edit("minutes = 40", "minutes = 601"),
        "minutes",
        "601 is out of range (above 0, at most 600)",
    ),
    "minutes negative": (
        edit("minutes = 40", "minutes = -5.5"),
        "minutes",
        "-5.5 is out of range (above 0, at most 600)",
    ),
    "minutes nan": (
        edit("minutes = 40", "minutes = nan"),
        "minutes",
        "nan is out of range (above 0, at most 600)",
    ),
    "minutes as text": (
        edit("minutes = 40", 'minutes = "40"'),
        "minutes",
        "expected a number, got string",
    ),
    "scored above questions": (
        edit("scored = 15", "scored = 21"),
        "scored",
        "21 is out of range (1 to 20)",
    ),
    "questions not whole": (
        edit("questions = 20", "questions = 20.5"),
        "questions",
        "expected a whole number, got float",
    ),
    "pass mark off the scale": (
        edit("pass_mark = 700", "pass_mark = 1200"),
        "pass_mark",
        "1200 is out of range (101 to 1000)",
    ),
    "code not one line": (
        edit('code = "MY-01"', 'code = "MY-01\\nMY-02"'),
        "code",
        "contains a control character",
    ),
    "code with outer spaces": (
        edit('code = "MY-01"', 'code = " MY-01"'),
        "code",
        "expected one line of 1 to 20 characters, no outer spaces",
    ),
}
# kinds an exam cannot ask: each is one line naming its place in `kinds`
for _kind in ("true_false", "computed", "cloze", "flashcard", "essay"):
    MALFORMED[f"{_kind} in kinds"] = (
        edit('"ordering"]', f'"{_kind}"]'),
        "kinds[2]",
        f"'{_kind}' cannot be an exam question (expected one of: "
        "single_choice, multiple_response, ordering, matching; true/false, cloze and computed "
        "questions stay in practice quizzes)",
    )


def learner_folder(tmp_path: Path, **texts: str) -> Path:
    folder = tmp_path / "profiles"
    folder.mkdir(exist_ok=True)
    for name, text in texts.items():
        (folder / f"{name}.toml").write_text(text, encoding="utf-8")
    return folder


def test_the_good_fixture_parses() -> None:
    profile, errors = parse_profile(GOOD.encode(), "mine.toml")
    assert errors == []
    assert profile == ExamProfile(
        "my-exam", "MY-01", "My own exam", "current", None, 20, 15, 40.0, 700,
        (("Alpha", 60), ("Beta", 40)), ("single_choice", "ordering"),
    )  # fmt: skip


@pytest.mark.parametrize("case", list(MALFORMED))
def test_a_malformed_profile_is_one_line_naming_file_profile_and_field(
    case: str, tmp_path: Path
) -> None:
    change, field, problem = MALFORMED[case]
    folder = learner_folder(tmp_path, mine=change(GOOD), other=OTHER)
    mine = folder / "mine.toml"
    result = load_profiles(folder)
    assert result.errors == (f"{mine}: profile 'my-exam' field '{field}': {problem}",)
    # the broken file is skipped; the shipped profiles and the learner's good one still load
    assert [p.id for p in result.profiles] == [*SHIPPED_IDS, "other-exam"]
    # the same line, file by file
    assert parse_profile(change(GOOD).encode(), str(mine)) == (None, list(result.errors))


@pytest.mark.parametrize(
    ("case", "text", "problem"),
    [
        ("not TOML", "[profile\nid = 'x'\n", "TOML syntax error: "),
        ("no [profile]", "[[domains]]\nname = 'A'\nweight = 100\n", "no [profile] table"),
        (
            "an unknown table",
            GOOD + "\n[extra]\nkey = 1\n",
            "unknown top-level key 'extra' (expected [profile] and [[domains]])",
        ),
        ("not UTF-8", GOOD.replace("own", "\udcff"), "not UTF-8 text"),
    ],
)
def test_a_file_that_is_no_profile_is_one_line_naming_the_file(
    case: str, text: str, problem: str, tmp_path: Path
) -> None:
    folder = learner_folder(tmp_path, other=OTHER)
    mine = folder / "mine.toml"
    mine.write_bytes(text.encode("utf-8", "surrogateescape"))
    result = load_profiles(folder)
    [line] = result.errors
    assert line.startswith(f"{mine}: {problem}") and "\n" not in line
    assert [p.id for p in result.profiles] == [*SHIPPED_IDS, "other-exam"]


def test_a_profile_without_an_id_is_named_as_a_profile() -> None:
    profile, errors = parse_profile(edit('id = "my-exam"\n', "")(GOOD).encode(), "mine.toml")
    assert profile is None
    assert errors == ["mine.toml: profile field 'id': missing"]


def test_several_problems_in_one_file_are_one_line_each() -> None:
    text = edit("minutes = 40", "minutes = 0")(edit('status = "current"', 'status = "x"')(GOOD))
    _, errors = parse_profile(text.encode(), "mine.toml")
    assert errors == [
        "mine.toml: profile 'my-exam' field 'status': unknown status 'x' (expected current or "
        "retired)",
        "mine.toml: profile 'my-exam' field 'minutes': 0 is out of range (above 0, at most 600)",
    ]


def test_a_learner_profile_loads_after_the_shipped_ones(tmp_path: Path) -> None:
    retired = edit('status = "current"', 'status = "retired"\nretired_on = 2025-12-31')(GOOD)
    folder = learner_folder(tmp_path, b_mine=retired, a_other=OTHER)
    result = load_profiles(folder)
    assert result.errors == ()
    # shipped first (by file name), then the learner's (by file name)
    assert [p.id for p in result.profiles] == [*SHIPPED_IDS, "other-exam", "my-exam"]
    assert result.profiles[: len(SHIPPED_IDS)] == SHIPPED.profiles
    mine = result.get("my-exam")
    assert mine is not None and mine.retired and mine.retired_on == date(2025, 12, 31)
    assert mine.label == "MY-01, retired 31 Dec 2025: 20 questions, 40 min, pass at 700"
    # the default stays the first current profile, a shipped one
    assert result.default is SHIPPED.default and not result.default.retired
    # its shorter exams are found by the id an attempt records, like the shipped ones'
    shorter = result.get("my-exam-10")
    assert shorter == mine.shorter(10) and shorter.base == "my-exam"
    assert (shorter.questions, shorter.scored, shorter.minutes) == (10, 8, 20.0)
    assert result.get("my-exam-20") is None  # its full length is "my-exam"
    assert result.domains()["my-exam"] == ("Alpha", "Beta")


def test_a_learner_profile_is_validated_exactly_like_a_shipped_one(tmp_path: Path) -> None:
    """MLA-C01's own file under another id loads as MLA-C01 under that id; broken the same way,
    the shipped loader refuses it with the same line the learner's loader reports."""
    copy = MLA_TEXT.replace('id = "mla-c01"', 'id = "my-mla"')
    folder = learner_folder(tmp_path, mla=copy)
    result = load_profiles(folder)
    assert result.errors == ()
    assert result.get("my-mla") == replace(SHIPPED.get("mla-c01"), id="my-mla")

    broken = copy.replace('kinds = ["single_choice"', 'kinds = ["true_false"')
    (folder / "mla.toml").write_text(broken, encoding="utf-8")
    [line] = load_profiles(folder).errors
    label = str(folder / "mla.toml")
    with pytest.raises(ContentError) as caught:
        profiles_module._from_files([(label, broken.encode())], shipped=True)
    assert str(caught.value) == line
    assert line.startswith(f"{label}: profile 'my-mla' field 'kinds[1]': 'true_false' cannot")


def test_exam_kinds_are_the_ones_a_profile_may_list() -> None:
    assert EXAM_KINDS == ("single_choice", "multiple_response", "ordering", "matching")
    for profile in SHIPPED.profiles:
        assert set(profile.kinds) <= set(EXAM_KINDS)


@pytest.mark.parametrize(
    ("taken", "why"),
    [
        ("mla-c01", "the id of a shipped profile"),
        ("mls-c01", "the id of a shipped profile"),
        ("mla-c01-30", "the id of a shorter exam of profile 'mla-c01'"),
    ],
)
def test_a_learner_profile_reusing_a_taken_id_is_reported_and_skipped(
    taken: str, why: str, tmp_path: Path
) -> None:
    mine = GOOD.replace('id = "my-exam"', f'id = "{taken}"')
    folder = learner_folder(tmp_path, mine=mine, other=OTHER)
    result = load_profiles(folder)
    assert result.errors == (
        f"{folder / 'mine.toml'}: profile '{taken}' field 'id': {why}: skipped",
    )
    assert [p.id for p in result.profiles] == [*SHIPPED_IDS, "other-exam"]
    # the shipped profile (or shorter exam) keeps its shape
    assert result.get(taken) == SHIPPED.get(taken) and result.get(taken).code != "MY-01"


def test_two_learner_files_with_one_id_keep_the_first(tmp_path: Path) -> None:
    folder = learner_folder(tmp_path, a=GOOD, b=GOOD.replace('code = "MY-01"', 'code = "MY-02"'))
    result = load_profiles(folder)
    assert result.errors == (
        f"{folder / 'b.toml'}: profile 'my-exam' field 'id': duplicate id "
        f"(also in {folder / 'a.toml'}): skipped",
    )
    assert [p.id for p in result.profiles] == [*SHIPPED_IDS, "my-exam"]
    assert result.get("my-exam").code == "MY-01"


def test_an_unreadable_entry_is_one_line_and_the_rest_loads(tmp_path: Path) -> None:
    folder = learner_folder(tmp_path, other=OTHER)
    (folder / "old.toml").mkdir()
    (folder / "notes.txt").write_text("not a profile")  # not a *.toml: ignored
    result = load_profiles(folder)
    assert result.errors == (f"{folder / 'old.toml'}: cannot read: a folder, not a bank file",)
    assert [p.id for p in result.profiles] == [*SHIPPED_IDS, "other-exam"]


def test_the_learner_folder_is_in_the_data_dir_and_may_be_missing(
    _isolated_home: Path,
) -> None:
    assert user_profiles_dir() == _isolated_home / "profiles"
    assert load_profiles() == SHIPPED  # no folder: the shipped profiles, no problem
    learner_folder(_isolated_home, other=OTHER)
    assert [p.id for p in load_profiles().profiles] == [*SHIPPED_IDS, "other-exam"]


def test_the_shipped_profiles_are_the_two_exams() -> None:
    assert SHIPPED.errors == ()
    assert SHIPPED_IDS == ["mla-c01", "mls-c01"]
    assert SHIPPED.default.id == "mla-c01"
    for profile in SHIPPED.profiles:
        assert sum(w for _, w in profile.domain_weights) == 100
        assert 1 <= profile.scored <= profile.questions
