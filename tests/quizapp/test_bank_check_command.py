"""`quizapp content check`: counts, problems and exit codes, human and JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from quizapp.bank.loader import check_shipped
from quizapp.bank.model import KINDS
from quizapp.bank.profiles import load_profiles
from quizapp.bank.taxonomy import load_taxonomy
from quizapp.cli import main
from quizapp.commands.content import NO_DOMAIN

BANKS = Path(__file__).parent / "fixtures" / "banks"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_json_schema_on_the_shipped_banks(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "check", "--json")
    data = json.loads(out)
    tax = load_taxonomy()
    profiles = load_profiles()
    assert {
        "items", "by_kind", "by_section", "by_domain", "by_profile_domain", "by_topic", "cues",
        "warnings", "errors",
    } <= set(data)  # fmt: skip
    assert isinstance(data["items"], int)
    assert list(data["by_kind"]) == list(KINDS)
    assert list(data["by_topic"]) == list(tax.topics)
    # by_domain: the default profile's domains, in its order, then the items in none of them
    assert list(data["by_profile_domain"]) == [p.id for p in profiles.profiles]
    for profile in profiles.profiles:
        counts = data["by_profile_domain"][profile.id]
        assert list(counts) == [d for d, _ in profile.domain_weights] + [NO_DOMAIN]
        assert all(isinstance(n, int) and n >= 0 for n in counts.values())
        assert sum(counts.values()) == data["items"], profile.id
    assert data["by_domain"] == data["by_profile_domain"][profiles.default.id]
    assert list(data["by_section"]) == [
        f"{f} § {s}" for f, sections in tax.sources.items() for s in sections
    ]
    for key in ("by_kind", "by_section", "by_domain", "by_topic"):
        assert all(isinstance(n, int) and n >= 0 for n in data[key].values())
        assert sum(data[key].values()) == data["items"], key
    shipped = check_shipped()
    assert data["items"] == len(shipped.items)
    # cue figures: one per bank in load order, then all banks together (bank null)
    *per_bank, overall = data["cues"]
    assert [c["bank"] for c in per_bank] == list(dict.fromkeys(i.bank for i in shipped.items))
    assert overall["bank"] is None
    for cue in data["cues"]:
        assert set(cue) == {
            "bank", "single_choice", "key_longest", "key_longest_share", "absolute_statements",
            "absolute_false", "absolute_false_share",
        }  # fmt: skip
        assert 0 <= cue["key_longest"] <= cue["single_choice"]
        assert 0 <= cue["absolute_false"] <= cue["absolute_statements"]
        for part, whole, share in (
            ("key_longest", "single_choice", "key_longest_share"),
            ("absolute_false", "absolute_statements", "absolute_false_share"),
        ):
            if cue[whole]:
                assert cue[share] == pytest.approx(cue[part] / cue[whole])
            else:
                assert cue[share] is None
    for key in ("single_choice", "key_longest", "absolute_statements", "absolute_false"):
        assert overall[key] == sum(c[key] for c in per_bank), key
    assert overall["single_choice"] == sum(i.kind == "single_choice" for i in shipped.items)
    assert all(isinstance(w, str) and "\n" not in w for w in data["warnings"])
    assert all(w.startswith("cue: ") for w in data["warnings"])
    assert all(isinstance(e, str) and "\n" not in e for e in data["errors"])
    assert code == (1 if data["errors"] else 0)  # warnings do not fail the check


def test_json_counts_of_given_files(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "content", "check", "--json", str(BANKS / "good.toml"))
    data = json.loads(out)
    assert code == 0
    assert data["errors"] == [] and data["warnings"] == []
    assert data["items"] == len(KINDS)
    assert data["by_kind"] == dict.fromkeys(KINDS, 1)
    assert data["by_section"]["eli5-ch1-neural-networks.txt § 1.2"] == len(KINDS)
    assert data["by_topic"]["weights-bias"] == len(KINDS)
    # six items give the older single `domain = "Modeling"` (the guide's exam, MLS-C01); the
    # ordering and matching items give a domain in both profiles
    assert data["by_profile_domain"]["mls-c01"]["Modeling"] == len(KINDS)
    assert data["by_domain"] == {
        "Data Preparation for ML": 0,
        "ML Model Development": 2,
        "Deployment and Orchestration of ML Workflows": 0,
        "ML Solution Monitoring, Maintenance, and Security": 0,
        NO_DOMAIN: len(KINDS) - 2,
    }
    figures = {
        "single_choice": 1,
        "key_longest": 1,
        "key_longest_share": 1.0,
        "absolute_statements": 0,
        "absolute_false": 0,
        "absolute_false_share": None,
    }
    assert data["cues"] == [{"bank": "good", **figures}, {"bank": None, **figures}]


def test_cue_warnings_are_reported_without_failing_the_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Four single-choice items whose key is the longest option, and four "always/only/never"
    statements that are all false: a warning each (per bank and overall), exit code 0."""
    items = []
    for n in range(4):
        items.append(
            f"""
[[items]]
id = "cue-single-{n}"
kind = "single_choice"
source = {{ file = "eli5-ch1-neural-networks.txt", section = "1.2", point = "bias" }}
topic = "weights-bias"
domains = {{ mla-c01 = "ML Model Development" }}
difficulty = "easy"
prompt = "Question {n}: what does the bias do?"
choices = [
  {{ text = "It shifts the weighted sum by a constant", correct = true, explanation = "Yes." }},
  {{ text = "Scales inputs", correct = false, explanation = "Weights do." }},
  {{ text = "Picks layers", correct = false, explanation = "Design does." }},
]
"""
        )
        items.append(
            f"""
[[items]]
id = "cue-absolute-{n}"
kind = "true_false"
source = {{ file = "eli5-ch1-neural-networks.txt", section = "1.2", point = "bias" }}
topic = "weights-bias"
domains = {{ mla-c01 = "ML Model Development" }}
difficulty = "easy"
prompt = "Statement {n}: a bias is always zero."
answer = false
explanation = "It is learned."
"""
        )
    bank = tmp_path / "cues.toml"
    bank.write_text('[bank]\ntitle = "Cues"\n' + "".join(items), encoding="utf-8")
    code, out, _ = run(capsys, "content", "check", "--json", str(bank))
    data = json.loads(out)
    assert code == 0 and data["errors"] == []
    assert data["warnings"] == [
        f"cue: in {where} the key is the longest option in 4 of 4 single-choice items "
        "(100%, above 35%)"
        if kind == "longest"
        else f"cue: in {where} 4 of 4 always/only/never statements are false (100%, above 35%)"
        for where in ("bank cues", "all banks")
        for kind in ("longest", "absolute")
    ]
    code, out, _ = run(capsys, "content", "check", str(bank))
    assert code == 0
    assert "Warnings (4):" in out and "No problems found." in out


def test_given_files_report_problems_and_cross_file_ids(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bad = BANKS / "bad" / "cloze_no_gap.toml"
    code, out, _ = run(capsys, "content", "check", str(BANKS / "cross"), str(bad))
    assert code == 1
    assert f"{BANKS / 'cross' / 'b.toml'}: item 'fx-shared' field 'id': duplicate id" in out
    assert f"{bad}: item 'fx-cloze-no-gap' field 'text': no gap" in out
    assert "Problems (2):" in out


def test_human_output_shows_counts_and_the_learner_folder(
    capsys: pytest.CaptureFixture[str], _isolated_home: Path
) -> None:
    code, out, _ = run(capsys, "content", "check", str(BANKS / "good.toml"))
    assert code == 0
    assert "By kind:" in out and "By section:" in out
    assert "By topic:" in out and "Cues (" in out
    for profile in load_profiles().profiles:
        assert f"By domain of {profile.id}:" in out
    assert "eli5-ch1-neural-networks.txt § 1.2" in out
    assert "No problems found." in out
    assert str(_isolated_home / "banks") in out


def test_own_bank_clashing_with_shipped_id_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    shipped = check_shipped().items
    if not shipped:
        pytest.fail("no shipped items to clash with")
    taken = shipped[0]
    mine = tmp_path / "mine.toml"
    text = (BANKS / "good.toml").read_text().replace('"fx-flashcard"', f'"{taken.id}"')
    mine.write_text(text)
    code, out, _ = run(capsys, "content", "check", str(mine))
    assert code == 1
    assert f"{mine}: item '{taken.id}' field 'id': duplicate id (also in {taken.bank}.toml)" in out


def test_missing_path_is_a_one_line_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "content", "check", "/no/such/bank.toml")
    assert code == 2
    assert err == "quizapp: no such bank file or folder: /no/such/bank.toml\n"
