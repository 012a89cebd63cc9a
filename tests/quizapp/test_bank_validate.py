"""Each malformed-bank case has a fixture file; the validator names file, item and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizapp.bank.loader import validate_file
from quizapp.bank.validate import stated_count

BANKS = Path(__file__).parent / "fixtures" / "banks"
BAD = BANKS / "bad"

KINDS = (
    "flashcard, cloze, single_choice, multiple_response, true_false, computed, ordering, matching"
)
FAMILIES = (
    "weighted_sum, neuron_output, activation_derivative, softmax, loss, gradient_step, "
    "forward_pass, backprop, param_count, training_iterations, dropout, "
    "classification_metrics, regression_metrics, linear_regression, logistic_regression, knn, "
    "k_means, decision_tree, random_forest, svm, naive_bayes"
)
TOPICS = (
    "neurons, weights-bias, learning, activations, losses, architecture, training-config, "
    "frameworks, aws, exam, ml-basics, algorithms"
)
DOMAINS = (
    "Data Engineering, Exploratory Data Analysis, Modeling, "
    "Machine Learning Implementation and Operations"
)

# fixture name -> the exact problems reported after "<path>: "
EXPECTED: dict[str, list[str]] = {
    "unknown_kind": [
        f"item 'fx-unknown-kind' field 'kind': unknown kind 'flashcrd' (expected one of: {KINDS})"
    ],
    "missing_field": ["item 'fx-missing-back' field 'back': missing (required for flashcard)"],
    "wrong_type": ["item 'fx-wrong-type' field 'answer': expected a boolean, got string"],
    "answer_index": [
        "item 'fx-answer-index' field 'answer': single_choice has no answer index; "
        "mark each right choice with correct = true"
    ],
    "no_correct": [
        "item 'fx-no-correct' field 'choices': no choice has correct = true "
        "(single_choice needs exactly one)"
    ],
    "two_correct": [
        "item 'fx-two-correct' field 'choices': 2 choices are correct "
        "(single_choice needs exactly one)"
    ],
    "mr_one_correct": [
        "item 'fx-mr-one-correct' field 'choices': 1 choice is correct "
        "(multiple_response needs at least two)"
    ],
    "mr_prompt_no_count": [
        "item 'fx-mr-no-count' field 'prompt': does not say how many to choose "
        "(add e.g. 'Choose two.' to match the 2 correct choices)"
    ],
    "mr_prompt_count_mismatch": [
        "item 'fx-mr-mismatch' field 'prompt': says choose 3 but 2 choices are correct"
    ],
    "duplicate_id": ["item 'fx-dup' field 'id': duplicate id (also item #1 in this file)"],
    "duplicate_choices": [
        "item 'fx-dup-choices' field 'choices[3].text': duplicate of choice 1 ('sigmoid')"
    ],
    "unknown_family": [
        f"item 'fx-unknown-family' field 'family': unknown engine family 'softmaxx' "
        f"(expected one of: {FAMILIES})"
    ],
    "unknown_scenario": [
        "item 'fx-unknown-scenario' field 'scenario': unknown engine scenario 'casino' "
        "(expected one of: restaurant, cookie, spam, pixels, stocks, audio)"
    ],
    "cloze_no_gap": [
        "item 'fx-cloze-no-gap' field 'text': no gap: write each answer as {{answer}}"
    ],
    "unknown_topic": [
        f"item 'fx-unknown-topic' field 'topic': unknown topic 'biases' (expected one of: {TOPICS})"
    ],
    "unknown_domain": [
        f"item 'fx-unknown-domain' field 'domain': unknown domain 'Modelling' "
        f"(expected one of: {DOMAINS})"
    ],
    "unknown_difficulty": [
        "item 'fx-unknown-difficulty' field 'difficulty': unknown difficulty 'trivial' "
        "(expected one of: easy, medium, hard)"
    ],
    "unknown_source_file": [
        "item 'fx-unknown-file' field 'source.file': unknown source file 'eli5-ch2.txt' "
        "(expected one of: eli5-ch1-neural-networks.txt, lecture-deep-learning-intro.txt)"
    ],
    "unknown_source_section": [
        "item 'fx-unknown-section' field 'source.section': unknown section '1.9' of "
        "eli5-ch1-neural-networks.txt (expected one of: 1.1, 1.2, 1.3, 1.4, 1.5, summary)"
    ],
    "unknown_source_point": [
        "item 'fx-unknown-point' field 'source.point': unknown point 'bais' in "
        "eli5-ch1-neural-networks.txt § 1.2 (expected one of: weights, bias, cookie-example, "
        "spam-example, learning-process, update-rule)"
    ],
    "missing_choice_explanation": [
        "item 'fx-no-explanation' field 'choices[2].explanation': missing"
    ],
    "unknown_field": [
        "item 'fx-typo-field' field 'explanation': missing (required for true_false)",
        "item 'fx-typo-field' field 'explaination': unknown field (allowed for true_false: "
        "id, kind, source, topic, difficulty, prompt, answer, explanation, domains, domain, refs, "
        "tags)",
    ],
    "field_for_other_kind": ["item 'fx-other-kind' field 'answer': not used by kind 'flashcard'"],
    "bad_id": [
        "item 'Fx Bad_ID' field 'id': 'Fx Bad_ID' is not lowercase kebab-case "
        "(e.g. 'g12-bias-zero')"
    ],
    "no_items": [
        "unknown top-level key 'item' (expected [bank] and [[items]])",
        "no [[items]]",
    ],
    "syntax_error": [
        "TOML syntax error: Expected '=' after a key in a key/value pair (at line 6, column 6)"
    ],
}


def test_every_bad_fixture_has_an_expected_message() -> None:
    assert {p.stem for p in BAD.glob("*.toml")} == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_malformed_bank_reports_file_item_and_field(name: str) -> None:
    path = BAD / f"{name}.toml"
    items, errors = validate_file(path, shipped=True)  # the shipped rules (a learner's: see
    # test_learner_banks.py)
    assert errors == [f"{path}: {problem}" for problem in EXPECTED[name]]
    # the broken item is never handed on; in duplicate_id the first copy is fine
    assert [i.id for i in items] == (["fx-dup"] if name == "duplicate_id" else [])


def test_good_fixture_builds_items_of_every_kind() -> None:
    items, errors = validate_file(BANKS / "good.toml")
    assert errors == []
    by_id = {i.id: i for i in items}
    assert [i.kind for i in items] == [
        "flashcard",
        "cloze",
        "single_choice",
        "multiple_response",
        "true_false",
        "computed",
        "ordering",
        "matching",
    ]
    assert {i.bank for i in items} == {"good"}
    card = by_id["fx-flashcard"]
    assert card.tags == ("fixture",)
    assert (card.eli5, card.technical) == ("A head start.", "z = w·x + b")
    assert card.source.point == "bias"
    single = by_id["fx-single"]
    assert single.choose == 1
    assert [c.correct for c in single.choices] == [True, False, False, False]
    assert all(c.explanation for c in single.choices)
    assert by_id["fx-multiple"].choose == 2
    assert by_id["fx-true-false"].answer is True
    computed = by_id["fx-computed"]
    assert (computed.family, computed.scenario, computed.difficulty) == (
        "weighted_sum",
        "cookie",
        "medium",
    )
    assert by_id["fx-cloze"].text.count("{{") == 1


@pytest.mark.parametrize(
    ("prompt", "count"),
    [
        ("Which two are learned? (Choose two.)", 2),
        ("Pick the options that apply. Select 3.", 3),
        ("(Select THREE.)", 3),
        ("Choose exactly two of the following.", 2),
        ("Which of these are hyperparameters?", None),
        ("A team selects instances. Which apply? (Choose two.)", 2),
    ],
)
def test_stated_count_reads_the_instruction(prompt: str, count: int | None) -> None:
    assert stated_count(prompt) == count
