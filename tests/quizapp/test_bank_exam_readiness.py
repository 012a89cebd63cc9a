"""Issue 12: the shipped banks hold the kinds the current exam uses, AWS decisions with the
pages that confirm them, and no cue that beats knowledge."""

from __future__ import annotations

from collections import Counter

from quizapp.bank.cues import WARN, cue_report, key_is_longest
from quizapp.bank.loader import load_shipped
from quizapp.bank.profiles import shipped_profiles

ITEMS = load_shipped().items


def test_every_shipped_profile_validates_and_the_default_is_current() -> None:
    profiles = shipped_profiles()
    assert profiles.errors == ()
    assert [p.id for p in profiles.profiles] == ["mla-c01", "mls-c01"]
    assert profiles.default.id == "mla-c01" and not profiles.default.retired


def test_the_current_exams_new_kinds_are_there() -> None:
    kinds = Counter(i.kind for i in ITEMS)
    assert kinds["ordering"] >= 15 and kinds["matching"] >= 15
    for item in ITEMS:
        if item.kind == "ordering":
            assert 3 <= len(item.steps) <= 6 and all(s.explanation for s in item.steps)
        if item.kind == "matching":
            assert 3 <= len(item.pairs) <= 6 and all(p.explanation for p in item.pairs)


def test_at_least_sixty_aws_decisions_each_confirmed_by_a_page() -> None:
    aws = [i for i in ITEMS if i.bank == "aws-ml-engineering"]
    assert len(aws) >= 60
    assert all(i.kind in ("single_choice", "multiple_response") for i in aws)
    assert all(i.refs for i in aws)
    assert all(all(c.explanation for c in i.choices) for i in aws)


def test_every_ref_has_a_title_and_an_https_address() -> None:
    refs = [r for i in ITEMS for r in i.refs]
    assert refs
    for ref in refs:
        assert ref.title.strip() and ref.url.startswith("https://") and " " not in ref.url


def test_no_cue_picks_the_key_more_often_than_the_threshold() -> None:
    per_bank, overall = cue_report(ITEMS)
    assert [w for c in (*per_bank, overall) for w in c.warnings()] == []
    assert overall.key_longest_share is not None and overall.key_longest_share <= WARN
    single = [i for i in ITEMS if i.kind == "single_choice"]
    assert sum(map(key_is_longest, single)) / len(single) <= WARN


def test_each_profile_has_exam_questions_in_all_but_at_most_one_domain() -> None:
    exam_kinds = {"single_choice", "multiple_response", "ordering", "matching"}
    for profile in shipped_profiles().profiles:
        drawable = Counter(
            i.domain_in(profile.id)
            for i in ITEMS
            if i.kind in exam_kinds and i.domain_in(profile.id)
        )
        assert set(drawable) <= set(profile.weights())
        missing = [d for d in profile.weights() if not drawable[d]]
        assert len(missing) <= 1, f"{profile.id}: no exam question in {missing}"
