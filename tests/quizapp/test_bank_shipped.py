"""The shipped banks: valid, covering every taxonomy point, and big enough to study from."""

from __future__ import annotations

from collections import Counter

import pytest

from engine.catalog import FAMILIES
from quizapp.bank.loader import check_shipped
from quizapp.bank.taxonomy import load_taxonomy


@pytest.fixture(scope="module")
def shipped():
    return check_shipped()


def test_shipped_banks_validate(shipped) -> None:
    assert shipped.errors == []
    assert shipped.banks, "no shipped banks found in content/banks"


def test_every_taxonomy_point_is_covered(shipped) -> None:
    covered = {(i.source.file, i.source.section, i.source.point) for i in shipped.items}
    missing = [p for p in load_taxonomy().required_points() if p not in covered]
    assert missing == []


def test_item_counts(shipped) -> None:
    kinds = Counter(i.kind for i in shipped.items)
    authored = sum(n for kind, n in kinds.items() if kind != "computed")
    choice = kinds["single_choice"] + kinds["multiple_response"]
    assert authored >= 250, kinds
    assert kinds["flashcard"] + kinds["cloze"] >= 120, kinds
    assert choice >= 90, kinds
    assert kinds["multiple_response"] >= 20, kinds
    assert kinds["true_false"] >= 40, kinds


def test_computed_items_cover_every_engine_family(shipped) -> None:
    families = {i.family for i in shipped.items if i.kind == "computed"}
    assert sorted(set(FAMILIES) - families) == []


def test_item_ids_are_unique_across_banks(shipped) -> None:
    ids = Counter(i.id for i in shipped.items)
    assert [i for i, n in ids.items() if n > 1] == []
