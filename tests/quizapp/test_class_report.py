"""The instructor's class report: Moodle's facility and discrimination indexes checked against
SciPy / NumPy on hand-built attempts, mastery against the FSRS curve written out by hand, and
a database of three learners built through the app's own services, read back as JSON (on
SQLite and on PostgreSQL) and through `quizapp class report`."""

from __future__ import annotations

import json
import math
import os
import secrets
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from scipy import stats
from sqlalchemy.engine import make_url

from quizapp.bank.model import Choice, Item, Source
from quizapp.classroom.report import (
    AnswerRow,
    CardRow,
    ClassRows,
    build_class_report,
    discrimination,
    item_stats,
    mastery,
)
from quizapp.clock import FakeClock
from quizapp.collection import Collection, build_collection
from quizapp.practice import PracticeAttempt
from quizapp.quiz.record import Progress, QuizAnswer
from quizapp.scheduling.memory import NEW, REVIEW
from quizapp.store.database import open_store

NOW = datetime(2026, 3, 2, 10, tzinfo=UTC)
DAY = 86400.0


# -- the statistics against independent oracles --------------------------------------------


def test_discrimination_is_pearson_s_r_of_item_and_rest_of_test_scores() -> None:
    rng = np.random.default_rng(5)
    for _ in range(20):
        n = int(rng.integers(3, 40))
        x = rng.integers(0, 2, n).astype(float)
        rest = rng.integers(0, 10, n).astype(float) + 3 * x * rng.random()
        if x.std() == 0 or rest.std() == 0:
            continue
        index, _ = discrimination(x, rest)
        assert index == pytest.approx(stats.pearsonr(x, rest).statistic, abs=1e-12)


def test_discrimination_is_undefined_where_moodle_leaves_it_blank() -> None:
    assert discrimination([1.0], [3.0]) == (None, None)  # one attempt
    assert discrimination([], []) == (None, None)
    assert discrimination([1.0, 1.0, 1.0], [2.0, 5.0, 1.0])[0] is None  # everyone right
    assert discrimination([1.0, 0.0, 1.0], [4.0, 4.0, 4.0])[0] is None  # rest all equal


def test_discriminative_efficiency_is_one_when_the_order_is_perfect() -> None:
    index, efficiency = discrimination([0, 0, 1, 1], [1, 2, 5, 7])
    assert efficiency == pytest.approx(1.0)
    assert index is not None and 0 < index < 1
    _, reversed_ = discrimination([1, 1, 0, 0], [1, 2, 5, 7])
    assert reversed_ == pytest.approx(-1.0)


def answer(attempt: int, item: str, correct: bool | None, *, finished: bool = True) -> AnswerRow:
    return AnswerRow(f"l{attempt}", attempt, item, "t", "d", correct, None, "exam", finished)


# attempts 1..6 (strongest first) on questions a..g (1 right, 0 wrong); strong learners miss c
GRID = {
    1: {"a": 1, "b": 1, "c": 0, "d": 1, "f": 1, "g": 1},
    2: {"a": 1, "b": 1, "c": 0, "d": 1, "f": 1, "g": 0},
    3: {"a": 1, "b": 1, "c": 0, "d": 0, "f": 0, "g": 1},
    4: {"a": 1, "b": 0, "c": 1, "d": 1, "f": 0, "g": 0},
    5: {"a": 0, "b": 0, "c": 1, "d": 0, "f": 0, "g": 0},
    6: {"a": 0, "b": 0, "c": 1, "f": 0, "g": 0},  # d not shown in this attempt
}


def grid_rows() -> list[AnswerRow]:
    rows = [answer(a, i, bool(v)) for a, marks in GRID.items() for i, v in marks.items()]
    rows.append(answer(7, "a", False, finished=False))  # an unfinished attempt: left out
    rows.append(answer(6, "e", None))  # flagged, never answered: not an answer
    return rows


def test_facility_and_discrimination_per_question_against_numpy() -> None:
    found = {s.id: s for s in item_stats(grid_rows())}
    assert set(found) == set("abcdfg")
    for item in "abcdfg":
        attempts = [a for a, marks in GRID.items() if item in marks]
        x = np.array([GRID[a][item] for a in attempts], dtype=float)
        rest = np.array([sum(GRID[a].values()) - GRID[a][item] for a in attempts], dtype=float)
        s = found[item]
        assert s.answers == len(attempts) and s.right == int(x.sum())
        assert s.facility == pytest.approx(x.sum() / len(attempts))
        expected = np.corrcoef(x, rest)[0, 1] if x.std() and rest.std() else None
        if expected is None:
            assert s.discrimination is None
        else:
            assert s.discrimination == pytest.approx(expected, abs=1e-12)
    assert found["a"].facility == pytest.approx(4 / 6)  # by hand: 4 right of 6
    assert found["c"].discrimination is not None and found["c"].discrimination < 0
    flagged = [s.id for s in item_stats(grid_rows()) if s.flagged]
    assert flagged == ["c"]
    assert next(s.id for s in item_stats(grid_rows())) == "c"  # flagged questions come first


def forgetting(stability: float, days: float, decay: float) -> float:
    """FSRS-6's curve written out: R(t) = (1 + (0.9^(-1/w20) - 1) t / S)^-w20, t whole days."""
    factor = 0.9 ** (-1.0 / decay) - 1.0
    return float((1.0 + factor * math.floor(days) / stability) ** -decay)


def test_mastery_is_mean_retrievability_with_new_cards_counting_zero() -> None:
    now = NOW.timestamp()
    cards = [
        CardRow("ann", "loss", "D1", REVIEW, 10.0, now - 5.5 * DAY),
        CardRow("ann", "loss", "D1", NEW, None, None),
        CardRow("ann", "nets", "D2", REVIEW, 3.0, now - 3 * DAY),
    ]
    decay = 0.3
    topics, domains = mastery(cards, now, decay)
    loss = (forgetting(10.0, 5.5, decay) + 0.0) / 2
    nets = forgetting(3.0, 3, decay)
    assert dict(topics) == pytest.approx({"loss": loss, "nets": nets})
    assert nets == pytest.approx(0.9)  # R(S) = 0.9 by construction
    assert dict(domains) == pytest.approx({"D1": loss, "D2": nets})
    assert mastery([], now, decay) == ((), ())


def test_learners_exam_and_misconceptions_from_rows() -> None:
    now = NOW.timestamp()
    rows = ClassRows(
        answers=(
            AnswerRow("ann", 1, "c-ws", "t", "d", False, "forgot_bias", "exam", True),
            AnswerRow("bob", 2, "q1", "t", "d", False, "picked_l1", "practice", True),
        ),
        practice_mistakes=(("ann", "weighted_sum", "forgot_bias"), ("bob", "softmax", "percent")),
        best_exam={"ann": 820.0},
        last_active={"bob": now - 60},
        reviews_7d={"bob": 4},
    )
    report = build_class_report(rows, now, {"c-ws": "weighted_sum"}).to_json()
    assert report["misconceptions"][0] == {
        "family": "weighted_sum", "name": "forgot_bias", "count": 2, "learners": 1,
    }  # fmt: skip
    assert {"family": None, "name": "picked_l1", "count": 1, "learners": 1} in report[
        "misconceptions"
    ]
    learners = {x["name"]: x for x in report["learners"]}
    assert learners["ann"]["best_exam"] == pytest.approx(0.8)  # (820 - 100) / 900
    assert learners["bob"]["best_exam"] is None and learners["bob"]["reviews_7d"] == 4
    assert learners["bob"]["last_active"] == (NOW - timedelta(seconds=60)).isoformat()
    assert learners["ann"]["last_active"] is None
    assert learners["ann"]["mastery"] == {"topics": {}, "domains": {}}


# -- three learners in one database, through the app's services ------------------------------

SOURCE = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")


def bank() -> list[Item]:
    def choice_item(item_id: str) -> Item:
        return Item(
            item_id, "single_choice", "class", SOURCE, "neurons", "Domain A", "medium",
            prompt=f"Question {item_id}?",
            choices=(
                Choice("right", True, "yes"),
                Choice("wrong", False, "no", misconception="picked_wrong"),
            ),
        )  # fmt: skip

    return [
        Item("f1", "flashcard", "class", SOURCE, "neurons", "Domain A", "easy", "F1", "B1"),
        Item("f2", "flashcard", "class", SOURCE, "losses", "Domain B", "easy", "F2", "B2"),
        *(choice_item(f"q{n}") for n in range(1, 5)),
        Item(
            "c-ws",
            "computed",
            "class",
            SOURCE,
            "neurons",
            "Domain A",
            "medium",
            family="weighted_sum",
        ),
    ]


def open_as(url: str, learner: str, clock: FakeClock) -> Collection:
    return build_collection(open_store(url, learner=learner), bank(), clock=clock)


def take_quiz(
    study: Collection,
    marks: dict[str, bool],
    *,
    mode: str = "practice",
    mistake: str | None = None,
) -> None:
    """A finished attempt answering the questions of `marks` right (True) or wrong."""
    rec = study.quizzes.recorder()
    at = study.time.clock.now()
    aid = rec.start_attempt(
        mode=mode, profile="practice" if mode == "practice" else "mla-c01",
        question_count=len(marks), time_limit_s=None, plan_json='{"version":1}', at=at,
    )  # fmt: skip
    for pos, (item, right) in enumerate(marks.items()):
        wrong_note = None if right else (mistake if item == "c-ws" else "picked_wrong")
        ans = QuizAnswer(
            pos, item, "neurons", "Domain A", (0 if right else 1,), None, right, False, wrong_note
        )
        rec.save_answer(aid, ans, Progress(pos, 1.0, None), at=at)
    right = sum(marks.values())
    score = 100 + round(900 * right / len(marks))
    rec.finish(aid, score, Progress(len(marks) - 1, 5.0, None), at=at)


# ann is strong, bob middling, cy weak; q4 is missed by the strong and got by the weak
MARKS = {
    "ann": {"q1": True, "q2": True, "q3": True, "q4": False, "c-ws": True},
    "bob": {"q1": True, "q2": True, "q3": False, "q4": False, "c-ws": False},
    "cy": {"q1": True, "q2": False, "q3": False, "q4": True, "c-ws": False},
}


def fill_class(url: str, clock: FakeClock) -> None:
    for name, marks in MARKS.items():
        study = open_as(url, name, clock)
        try:
            take_quiz(study, marks, mistake="forgot_bias")
            if name == "ann":
                take_quiz(study, {"q1": True, "q2": True}, mode="exam")  # 1000
                take_quiz(study, {"q1": True, "q2": False}, mode="exam")  # 550
            if name != "cy":
                study.practice.record(
                    PracticeAttempt(
                        "weighted_sum@1",
                        "weighted_sum",
                        "medium",
                        "1",
                        1.0,
                        False,
                        "forgot_bias",
                        False,
                        3.0,
                    )
                )
            if name == "bob":  # one review: f1 (topic neurons, new cards in bank order)
                bank_order = replace(study.settings.current(), new_card_order="bank")
                study.settings.save(bank_order)
                card = study.reviews.next_card()
                assert card is not None
                study.reviews.answer(card, 3)
        finally:
            study.close()


@pytest.fixture
def class_db(db_url: str) -> str:
    fill_class(db_url, FakeClock(NOW))
    return db_url


def test_the_report_reads_every_learner_of_the_database(class_db: str) -> None:
    clock = FakeClock(NOW + timedelta(hours=1))
    teacher = open_as(class_db, "teacher", clock)
    try:
        report = teacher.class_report.report().to_json()
    finally:
        teacher.close()
    items = {i["id"]: i for i in report["items"]}
    assert set(items) == {"q1", "q2", "q3", "q4", "c-ws"}
    assert items["q1"]["answers"] == 5  # three quizzes and ann's two exams
    assert items["q1"]["facility"] == 1.0 and items["q1"]["discrimination"] is None
    assert items["q2"]["answers"] == 5 and items["q2"]["facility"] == pytest.approx(0.6)
    # q4: right only for cy, the weakest on the rest of her quiz: strong learners miss it
    x, rest = [0, 0, 1], [4, 2, 1]  # ann 4 of the other 4, bob 2, cy 1
    r = stats.pearsonr(x, rest).statistic
    assert items["q4"]["discrimination"] == pytest.approx(r, abs=1e-4)
    assert items["q4"]["flagged"] is True and report["items"][0]["id"] == "q4"
    assert not items["q3"]["flagged"]

    mistakes = {(m["family"], m["name"]): m for m in report["misconceptions"]}
    # practice (ann, bob) and the computed quiz question (bob, cy), filed under its family
    assert mistakes["weighted_sum", "forgot_bias"] == {
        "family": "weighted_sum", "name": "forgot_bias", "count": 4, "learners": 3,
    }  # fmt: skip
    assert mistakes[None, "picked_wrong"]["count"] == 6  # ann q4 and exam q2, bob q3 q4, cy q2 q3
    assert report["misconceptions"][0]["name"] == "picked_wrong"

    learners = {x["name"]: x for x in report["learners"]}
    assert set(learners) == {"ann", "bob", "cy", "teacher"}
    assert learners["ann"]["best_exam"] == 1.0 and learners["bob"]["best_exam"] is None
    assert learners["bob"]["reviews_7d"] == 1 and learners["ann"]["reviews_7d"] == 0
    assert learners["cy"]["last_active"] == NOW.isoformat()
    assert learners["teacher"]["last_active"] is None
    bob, ann = learners["bob"]["mastery"], learners["ann"]["mastery"]
    assert set(bob["topics"]) >= {"neurons", "losses"} and set(bob["domains"]) >= {"Domain A"}
    assert ann["topics"]["neurons"] == 0.0  # nothing studied
    assert bob["topics"]["neurons"] > 0.0  # f1 (neurons) was answered Good an hour ago


def test_class_report_command_prints_json_and_a_table(
    class_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from quizapp.cli import main

    assert main(["--db", class_db, "--learner", "teacher", "class", "report", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert set(data) == {"items", "misconceptions", "learners"}
    assert {"id", "answers", "facility", "discrimination"} <= set(data["items"][0])
    assert {"family", "name", "count", "learners"} == set(data["misconceptions"][0])
    assert {"name", "mastery", "reviews_7d", "last_active", "best_exam"} <= set(data["learners"][0])
    assert main(["--db", class_db, "class", "report"]) == 0
    text = capsys.readouterr().out
    assert "q4" in text and "!" in text and "forgot_bias" in text and "ann" in text
    assert "strong learners miss" in text


def test_class_report_on_an_empty_database_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quizapp.cli import main

    url = f"sqlite:///{tmp_path / 'empty.db'}"
    assert main(["--db", url, "class", "report"]) == 0
    assert "No quiz answers yet" in capsys.readouterr().out


# -- on PostgreSQL with row-level security: the same code, the database decides who is seen --


def _connect(url: str) -> Any:
    import psycopg

    u = make_url(url)
    return psycopg.connect(
        host=u.host, port=u.port, dbname=u.database, user=u.username, password=u.password,
        autocommit=True, connect_timeout=10,
    )  # fmt: skip


@pytest.fixture
def rls_class(pg_url: str, pg_admin_url: str) -> Iterator[dict[str, str]]:
    """A class database owned by a non-superuser (a superuser would bypass row-level
    security): learners a and b (each with a finished quiz) and an instructor; URL by role."""
    import pg_support
    from psycopg import sql

    from quizapp.classroom.admin import add_member, init_class

    tag = f"report_{os.getpid()}_{secrets.token_hex(3)}"
    names = {k: f"{tag}_{k}" for k in ("owner", "a", "b", "teacher")}
    passwords = {k: secrets.token_urlsafe(12) for k in names}
    urls = {
        k: make_url(pg_url).set(username=n, password=passwords[k]).render_as_string(False)
        for k, n in names.items()
    }
    try:
        with _connect(pg_url) as admin:
            admin.execute(
                sql.SQL("CREATE ROLE {} LOGIN CREATEROLE PASSWORD {}").format(
                    sql.Identifier(names["owner"]), sql.Literal(passwords["owner"])
                )
            )
            admin.execute(
                sql.SQL("ALTER DATABASE {} OWNER TO {}").format(
                    sql.Identifier(str(make_url(pg_url).database)), sql.Identifier(names["owner"])
                )
            )
        init_class(urls["owner"])
        for k, kind in (("a", "learner"), ("b", "learner"), ("teacher", "instructor")):
            add_member(urls["owner"], names[k], lambda k=k: passwords[k], kind)  # type: ignore[misc]
        clock = FakeClock(NOW)
        for k, marks in (("a", MARKS["ann"]), ("b", MARKS["cy"])):
            study = build_collection(open_store(urls[k]), bank(), clock=clock)
            try:
                take_quiz(study, marks, mistake="forgot_bias")
            finally:
                study.close()
        yield {**urls, **{f"{k}_name": n for k, n in names.items()}}
    finally:
        with _connect(pg_admin_url) as admin:
            for role in reversed(names.values()):
                if admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                    with _connect(pg_support.with_database(pg_admin_url, str(
                        make_url(pg_url).database))) as there:  # fmt: skip
                        there.execute(
                            sql.SQL("REASSIGN OWNED BY {} TO CURRENT_USER").format(
                                sql.Identifier(role)
                            )
                        )
                        there.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(role)))
                    admin.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(role)))


def report_as(url: str, capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    from quizapp.cli import main

    assert main(["--db", url, "class", "report", "--json"]) == 0
    data: dict[str, Any] = json.loads(capsys.readouterr().out)
    return data


@pytest.mark.postgresql
def test_the_instructor_sees_every_learner_and_a_learner_only_themself(
    rls_class: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    a, b = rls_class["a_name"], rls_class["b_name"]
    whole = report_as(rls_class["teacher"], capsys)
    assert {x["name"] for x in whole["learners"]} == {a, b}
    items = {i["id"]: i for i in whole["items"]}
    assert items["q1"]["answers"] == 2 and items["q2"]["facility"] == 0.5
    own = report_as(rls_class["a"], capsys)
    assert [x["name"] for x in own["learners"]] == [a]
    assert {i["id"]: i["answers"] for i in own["items"]}["q1"] == 1
    assert all(m["learners"] == 1 for m in own["misconceptions"])


def test_every_report_statement_only_reads_and_is_marked_across_learners() -> None:
    from sqlalchemy import Select
    from sqlalchemy.sql.expression import Executable

    from quizapp.store import class_report as module
    from quizapp.store.transaction import ACROSS

    found = [v for v in vars(module).values() if isinstance(v, Executable)]
    found += list(module.LAST_ACTIVE)
    assert len(found) >= 10
    for stmt in found:
        assert isinstance(stmt, Select) and stmt.get_execution_options().get(ACROSS), stmt


def test_an_unreadable_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from quizapp.cli import main

    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not SQLite" * 100)
    assert main(["--db", f"sqlite:///{bad}", "class", "report"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("quizapp: ") and err.count("\n") == 1
