"""Drawing quizzes: filters, weak-topic weighting, no repeats, exam domain allocation."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizapp.bank.loader import load_shipped
from quizapp.bank.model import Choice, Item, Source
from quizapp.errors import QuizappError
from quizapp.quiz.draw import allocate_capped, draw_plan, eligible, topic_weight
from quizapp.quiz.plan import AttemptPlan, QuizSetup
from quizapp.quiz.profiles import MLA_C01, MLS_C01, ExamProfile, allocate, custom_exam

SHIPPED = load_shipped().items
BY_ID = {i.id: i for i in SHIPPED}
MLS_C01_WEIGHTS = MLS_C01.domain_weights
DOMAINS = [d for d, _ in MLS_C01_WEIGHTS]
SOURCE = Source("eli5-ch1-neural-networks.txt", "1.1", "artificial-neuron")


def choice_item(item_id: str, domain: str, topic: str = "neurons") -> Item:
    choices = tuple(Choice(f"option {k}", k == 0, f"why {k}") for k in range(4))
    return Item(
        item_id,
        "single_choice",
        "test",
        SOURCE,
        topic,
        "",
        "easy",
        prompt=f"Question {item_id}?",
        choices=choices,
        choose=1,
        domains=(("mls-c01", domain),),
    )


def drawn_items(plan: AttemptPlan) -> list[Item]:
    return [BY_ID[q.item_id] for q in plan.questions]


def test_same_seed_same_plan_other_seed_other_plan() -> None:
    setup = QuizSetup.exam()
    a = draw_plan(setup, SHIPPED, seed=7)
    b = draw_plan(setup, reversed(SHIPPED), seed=7)  # input order does not matter
    c = draw_plan(setup, SHIPPED, seed=8)
    assert a == b
    assert [q.item_id for q in a.questions] != [q.item_id for q in c.questions]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**31 - 1), count=st.integers(1, 250))
def test_no_repeats_within_a_session(seed: int, count: int) -> None:
    plan = draw_plan(QuizSetup.practice(count), SHIPPED, seed=seed)
    ids = [q.item_id for q in plan.questions]
    assert len(ids) == len(set(ids))
    assert len(ids) == min(count, len(eligible(SHIPPED, QuizSetup.practice(count))))


def test_filters_by_topic_domain_and_kind() -> None:
    setup = QuizSetup.practice(500, topics={"activations", "losses"}, kinds={"true_false"})
    plan = draw_plan(setup, SHIPPED, seed=1)
    items = drawn_items(plan)
    expected = [
        i for i in SHIPPED if i.kind == "true_false" and i.topic in {"activations", "losses"}
    ]
    assert sorted(i.id for i in items) == sorted(i.id for i in expected)
    assert any("match this set-up" in note for note in plan.notes)

    choice = draw_plan(QuizSetup.practice(30, kinds={"choice"}), SHIPPED, seed=2)
    assert {i.kind for i in drawn_items(choice)} <= {"single_choice", "multiple_response"}
    deploy = "Deployment and Orchestration of ML Workflows"  # practice: the default profile's
    dom = draw_plan(QuizSetup.practice(10, domains={deploy}), SHIPPED, seed=3)
    assert {i.domain for i in drawn_items(dom)} == {deploy}


def test_no_matching_question_is_an_error() -> None:
    setup = QuizSetup.practice(5, topics={"frameworks"}, kinds={"computed"})
    with pytest.raises(QuizappError, match="no questions match"):
        draw_plan(setup, SHIPPED, seed=1)


def test_weight_formula() -> None:
    assert topic_weight("a", {"a": 0.0}) == 4.0
    assert topic_weight("a", {"a": 1.0}) == 1.0
    assert topic_weight("a", {"a": 0.25}, boost=2.0) == 2.5
    assert topic_weight("a", {"a": 7.0}) == 1.0  # clamped
    assert topic_weight("zzz", {}) == 2.5  # unknown: half mastered


def test_weak_topic_comes_up_as_often_as_its_weight_says() -> None:
    """First pick: P(weak topic) = 4a / (4a + b) with a weak items and b others (weights 4 : 1)."""
    setup = QuizSetup.practice(1, kinds={"choice", "true_false"})
    pool = eligible(SHIPPED, setup)
    topics = {i.topic for i in pool}
    mastery = dict.fromkeys(topics, 1.0) | {"losses": 0.0}
    a = sum(i.topic == "losses" for i in pool)
    b = len(pool) - a
    p = 4 * a / (4 * a + b)
    runs = 1500
    hits = sum(
        BY_ID[draw_plan(setup, SHIPPED, seed=s, mastery=mastery).questions[0].item_id].topic
        == "losses"
        for s in range(runs)
    )
    sigma = math.sqrt(runs * p * (1 - p))
    assert abs(hits - runs * p) < 4 * sigma
    # and the unweighted draw picks it at its plain share, far less often
    plain = sum(
        BY_ID[draw_plan(setup, SHIPPED, seed=s).questions[0].item_id].topic == "losses"
        for s in range(runs)
    )
    q = a / len(pool)
    assert abs(plain - runs * q) < 4 * math.sqrt(runs * q * (1 - q))
    assert hits > 2 * plain


def test_weak_topics_shift_a_whole_session() -> None:
    setup = QuizSetup.practice(15, kinds={"choice", "true_false"})
    topics = {i.topic for i in eligible(SHIPPED, setup)}
    strong = dict.fromkeys(topics, 1.0)
    weak = strong | {"activations": 0.0, "learning": 0.0}

    def weak_share(mastery: dict[str, float]) -> float:
        count = 0
        for seed in range(150):
            plan = draw_plan(setup, SHIPPED, seed=seed, mastery=mastery)
            items = drawn_items(plan)
            assert len({i.id for i in items}) == len(items)
            count += sum(i.topic in {"activations", "learning"} for i in items)
        return count / (150 * 15)

    assert weak_share(weak) > weak_share(strong) + 0.15


@pytest.mark.parametrize("profile", [MLA_C01, MLS_C01], ids=["mla-c01", "mls-c01"])
def test_a_full_exam_on_the_shipped_bank_records_its_quotas(profile: ExamProfile) -> None:
    setup = QuizSetup.exam(profile)
    plan = draw_plan(setup, SHIPPED, seed=11)
    assert len(plan.questions) == profile.questions == 65
    assert plan.time_limit_s == profile.minutes * 60 and plan.pass_score == profile.pass_score
    assert plan.profile == profile.id
    pool = Counter(i.domain_in(profile.id) for i in eligible(SHIPPED, setup))
    quotas = {q.domain: q for q in plan.quotas}
    drawn = Counter(i.domain_in(profile.id) for i in drawn_items(plan))
    targets = allocate(profile.weights(), 65)
    for domain in profile.weights():
        q = quotas[domain]
        assert q.target == targets[domain]
        assert q.available == pool[domain]
        assert q.drawn == drawn[domain]
        assert q.drawn >= min(q.target, q.available)
        if q.short:
            assert f"for {q.target} slots" in " ".join(plan.notes)
    assert sum(q.extra for q in plan.quotas) == sum(q.short for q in plan.quotas)
    assert {i.kind for i in drawn_items(plan)} <= set(profile.kinds)
    assert len(plan.unscored) == 15 and len(set(plan.unscored)) == 15
    assert all(0 <= p < 65 for p in plan.unscored)


def test_custom_length_keeps_domain_proportions_when_the_pool_allows() -> None:
    items = [choice_item(f"{d[:3]}-{k}", d) for d in DOMAINS for k in range(30)]
    profile = custom_exam(20, MLS_C01)
    plan = draw_plan(QuizSetup.exam(profile), items, seed=5)
    by_id = {i.id: i for i in items}
    drawn = Counter(by_id[q.item_id].domain_in("mls-c01") for q in plan.questions)
    assert [drawn[d] for d in DOMAINS] == [4, 5, 7, 4]
    assert plan.notes == ()
    assert plan.time_limit_s == profile.time_limit_s


def test_custom_length_with_a_short_pool_fills_and_says_so() -> None:
    items = [choice_item(f"{d[:3]}-{k}", d) for d in DOMAINS for k in range(30)]
    items = [
        i
        for i in items
        if not (
            i.domain_in("mls-c01") == "Exploratory Data Analysis" and int(i.id.split("-")[1]) >= 1
        )
    ]
    plan = draw_plan(QuizSetup.exam(custom_exam(20, MLS_C01)), items, seed=5)
    by_id = {i.id: i for i in items}
    drawn = Counter(by_id[q.item_id].domain_in("mls-c01") for q in plan.questions)
    # EDA wanted 5, has 1: 4 slots go to the others by 20 : 36 : 20 -> 1, 2, 1
    assert [drawn[d] for d in DOMAINS] == [5, 1, 9, 5]
    assert plan.notes == (
        "the bank has only 1 Exploratory Data Analysis question for 5 slots",
        "4 slots filled from Data Engineering (1), Modeling (2) and "
        "Machine Learning Implementation and Operations (1)",
    )


@given(
    st.lists(st.integers(0, 40), min_size=4, max_size=4),
    st.integers(1, 65),
)
def test_capped_allocation_invariants(avail: list[int], total: int) -> None:
    weights = dict(MLS_C01_WEIGHTS)
    available = dict(zip(DOMAINS, avail, strict=True))
    result = allocate_capped(weights, available, total)
    targets = allocate(weights, total)
    assert sum(result.values()) == min(total, sum(avail))
    for d in DOMAINS:
        assert min(targets[d], available[d]) <= result[d] <= available[d]


def test_choice_order_is_shuffled_per_attempt_and_computed_variants_are_seeded() -> None:
    plan = draw_plan(QuizSetup.exam(), SHIPPED, seed=3)
    first_shown: Counter[int] = Counter()
    for q in plan.questions:
        item = BY_ID[q.item_id]
        assert sorted(q.order) == list(range(len(q.order)))
        if item.kind in ("single_choice", "multiple_response"):
            first_shown[q.order[0]] += 1
        if item.kind == "true_false":
            assert q.order == (0, 1)
        if item.kind == "computed":
            assert q.variant is not None and q.variant.family == item.family
            assert (q.variant.difficulty, q.variant.scenario) == (item.difficulty, item.scenario)
        else:
            assert q.variant is None
    # every bank lists the right choice first; the attempt must not
    assert len(first_shown) >= 3
    again = draw_plan(QuizSetup.exam(), SHIPPED, seed=3)
    assert again.questions == plan.questions
    other = draw_plan(QuizSetup.exam(), SHIPPED, seed=4)
    shared = {q.item_id: q for q in other.questions}
    differing = [
        q
        for q in plan.questions
        if q.item_id in shared and len(q.order) > 2 and shared[q.item_id] != q
    ]
    assert differing


def test_plan_json_round_trip() -> None:
    plan = draw_plan(QuizSetup.exam(custom_exam(30)), SHIPPED, seed=9)
    assert AttemptPlan.from_json(plan.to_json()) == plan
    with pytest.raises(QuizappError):
        AttemptPlan.from_json("{not json")


def test_exam_uses_the_profile_length() -> None:
    with pytest.raises(QuizappError):
        QuizSetup("exam", 10, MLS_C01)
    with pytest.raises(QuizappError):
        QuizSetup.practice(5, kinds={"essay"})


@pytest.mark.parametrize("profile", [MLA_C01, MLS_C01], ids=["mla-c01", "mls-c01"])
def test_exam_draws_use_only_the_profiles_kinds_and_follow_its_weights(
    profile: ExamProfile,
) -> None:
    """Over 200 seeded draws from a bank with every kind in every domain, an exam holds only
    the kinds its profile lists, and each domain gets its largest-remainder share."""
    kinds = ("single_choice", "multiple_response", "true_false", "computed")
    items = []
    for d_index, (domain, _) in enumerate(profile.domain_weights):
        for kind in kinds:
            for k in range(25):
                item = choice_item(f"d{d_index}-{kind.replace('_', '-')}-{k}", "")
                items.append(replace(item, kind=kind, domains=((profile.id, domain),)))
    targets = allocate(profile.weights(), profile.questions)
    allowed = set(profile.kinds)
    for seed in range(200):
        plan = draw_plan(QuizSetup.exam(profile), items, seed=seed)
        by_id = {i.id: i for i in items}
        drawn = [by_id[q.item_id] for q in plan.questions]
        assert {i.kind for i in drawn} <= allowed
        assert Counter(i.domain_in(profile.id) for i in drawn) == targets
        assert plan.notes == ()
        assert len(plan.unscored) == profile.questions - profile.scored


def test_an_item_outside_a_profiles_domains_is_not_drawn_for_its_exam() -> None:
    inside = [choice_item(f"in-{k}", "Modeling") for k in range(5)]
    outside = [replace(choice_item(f"out-{k}", ""), domains=()) for k in range(5)]
    plan = draw_plan(QuizSetup.exam(custom_exam(5, MLS_C01)), inside + outside, seed=1)
    assert {q.item_id for q in plan.questions} == {i.id for i in inside}
