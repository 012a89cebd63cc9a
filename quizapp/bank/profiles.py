"""Exam profiles as data: `content/profiles/*.toml` (shipped) and `<data dir>/profiles/*.toml`
(the learner's own), validated like banks (one line per problem, naming file, profile and field).

A profile says what an exam simulation looks like: how many questions and how many of them are
scored, the minutes, the scaled pass mark, the domains with their weights and which item kinds
it draws. A shorter exam of a profile (`ExamProfile.shorter`) keeps its domain shares, its
share of scored questions, its pace and its pass mark, and is recorded as "<id>-<questions>".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

from quizapp.errors import ContentError

EXAM_KINDS = ("single_choice", "multiple_response", "ordering", "matching")
STATUSES = ("current", "retired")
SCALE_MIN, SCALE_MAX = 100, 1000
MAX_QUESTIONS = 200
MAX_MINUTES = 600
MAX_DOMAINS = 10
MAX_ID = 32  # the attempt row keeps 40 characters: room for "-<questions>"
PROFILE_KEYS = (
    "id", "code", "name", "status", "retired_on", "questions", "scored", "minutes",
    "pass_mark", "kinds",
)  # fmt: skip
ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_SHORTER = re.compile(r"(.+)-(\d+)")


@dataclass(frozen=True, slots=True)
class ExamProfile:
    """One exam's shape. `id` is what an attempt records ("mla-c01", "mla-c01-30")."""

    id: str
    code: str  # "MLA-C01"
    title: str  # the exam's full name
    status: str  # current | retired
    retired_on: date | None
    questions: int
    scored: int  # questions that count; the others are drawn and answered but not counted
    minutes: float
    pass_score: int  # on the 100-1000 scale
    domain_weights: tuple[tuple[str, int], ...]
    kinds: tuple[str, ...]
    base: str = ""  # a shorter exam: the id of its full profile

    @property
    def name(self) -> str:
        """The id an attempt records (the name older code and attempts use)."""
        return self.id

    @property
    def full_id(self) -> str:
        return self.base or self.id

    @property
    def retired(self) -> bool:
        return self.status == "retired"

    @property
    def time_limit_s(self) -> float:
        return float(round(self.minutes * 60))

    @property
    def label(self) -> str:
        minutes = (
            f"{self.minutes:.0f}" if self.minutes == int(self.minutes) else f"{self.minutes:.1f}"
        )
        when = f", retired {self.retired_on:%d %b %Y}" if self.retired_on else ""
        return (
            f"{self.code}{when}: {self.questions} questions, {minutes} min, "
            f"pass at {self.pass_score}"
        )

    def weights(self) -> dict[str, int]:
        return dict(self.domain_weights)

    def shorter(self, questions: int) -> ExamProfile:
        """This exam with `questions` (1..its length) questions, at the same pace, with the
        same share scored (at least one) and the same pass mark and domain shares."""
        if not 1 <= questions <= self.questions:
            raise ValueError(f"{self.code} has between 1 and {self.questions} questions")
        if questions == self.questions:
            return self
        scored = max(1, round(self.scored * questions / self.questions))
        minutes = round(self.minutes * 60 * questions / self.questions) / 60
        return replace(
            self,
            id=f"{self.id}-{questions}",
            questions=questions,
            scored=scored,
            minutes=minutes,
            base=self.id,
        )


def _type(value: object) -> str:
    names = {bool: "boolean", str: "string", int: "integer", float: "float", date: "date"}
    return names.get(type(value), "array" if isinstance(value, list) else "table")


class _Checker:
    def __init__(self, label: str, raw: Mapping[str, Any]) -> None:
        self.label = label
        self.raw = raw
        self.errors: list[str] = []
        ident = raw.get("id")
        self.name = f"profile {ident!r}" if isinstance(ident, str) and ident else "profile"

    def error(self, field: str, problem: str) -> None:
        self.errors.append(f"{self.label}: {self.name} field {field!r}: {problem}")

    def text(self, field: str, limit: int) -> str | None:
        value = self.raw.get(field)
        if value is None:
            self.error(field, "missing")
        elif not isinstance(value, str):
            self.error(field, f"expected a string, got {_type(value)}")
        elif not value.strip() or value != value.strip() or len(value) > limit:
            self.error(field, f"expected one line of 1 to {limit} characters, no outer spaces")
        elif any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            self.error(field, "contains a control character")
        else:
            return value
        return None

    def integer(self, field: str, low: int, high: int) -> int | None:
        value = self.raw.get(field)
        if value is None:
            self.error(field, "missing")
        elif isinstance(value, bool) or not isinstance(value, int):
            self.error(field, f"expected a whole number, got {_type(value)}")
        elif not low <= value <= high:
            self.error(field, f"{value} is out of range ({low} to {high})")
        else:
            return value
        return None

    def check(self, domains_raw: Any) -> ExamProfile | None:
        raw = self.raw
        for key in raw:
            if key not in PROFILE_KEYS:
                self.error(key, f"unknown field (expected: {', '.join(PROFILE_KEYS)})")
        ident = self.text("id", MAX_ID)
        if ident is not None and not (ID_RE.fullmatch(ident) and re.search("[a-z]", ident)):
            self.error("id", f"{ident!r} is not lowercase kebab-case (e.g. 'mla-c01')")
            ident = None
        code = self.text("code", 20)
        title = self.text("name", 200)
        status = self.text("status", 20)
        if status is not None and status not in STATUSES:
            self.error("status", f"unknown status {status!r} (expected current or retired)")
            status = None
        retired_on = raw.get("retired_on")
        if status == "retired" and retired_on is None:
            self.error("retired_on", "missing (a retired profile says when, e.g. 2026-03-31)")
        elif retired_on is not None and type(retired_on) is not date:
            self.error("retired_on", f"expected a date like 2026-03-31, got {_type(retired_on)}")
            retired_on = None
        elif status == "current" and retired_on is not None:
            self.error("retired_on", "a current profile has no retirement date")
        questions = self.integer("questions", 1, MAX_QUESTIONS)
        scored = self.integer("scored", 1, questions or MAX_QUESTIONS)
        minutes_raw = raw.get("minutes")
        minutes: float | None = None
        if minutes_raw is None:
            self.error("minutes", "missing")
        elif isinstance(minutes_raw, bool) or not isinstance(minutes_raw, int | float):
            self.error("minutes", f"expected a number, got {_type(minutes_raw)}")
        elif not 0 < minutes_raw <= MAX_MINUTES:  # also refuses nan
            self.error("minutes", f"{minutes_raw} is out of range (above 0, at most {MAX_MINUTES})")
        else:
            minutes = float(minutes_raw)
        pass_mark = self.integer("pass_mark", SCALE_MIN + 1, SCALE_MAX)
        kinds = self.kinds(raw.get("kinds"))
        domains = self.domains(domains_raw)
        if self.errors:
            return None
        assert ident and code and title and status and questions and scored and minutes
        assert pass_mark and kinds and domains
        return ExamProfile(
            ident, code, title, status, retired_on, questions, scored, minutes, pass_mark,
            domains, kinds,
        )  # fmt: skip

    def kinds(self, value: Any) -> tuple[str, ...] | None:
        if value is None:
            self.error("kinds", "missing")
            return None
        if not isinstance(value, list) or not value:
            got = "an empty array" if value == [] else _type(value)
            self.error("kinds", f"expected a non-empty array of item kinds, got {got}")
            return None
        kinds: list[str] = []
        for n, kind in enumerate(value, start=1):
            if kind not in EXAM_KINDS:
                self.error(
                    f"kinds[{n}]",
                    f"{kind!r} cannot be an exam question (expected one of: "
                    f"{', '.join(EXAM_KINDS)}; true/false, cloze and computed questions stay "
                    "in practice quizzes)",
                )
            elif kind in kinds:
                self.error(f"kinds[{n}]", f"{kind!r} is listed twice")
            else:
                kinds.append(kind)
        return tuple(kinds)

    def domains(self, value: Any) -> tuple[tuple[str, int], ...] | None:
        if value is None:
            self.error("domains", "missing (add [[domains]] tables with name and weight)")
            return None
        if not isinstance(value, list) or not 1 <= len(value) <= MAX_DOMAINS:
            self.error("domains", f"expected 1 to {MAX_DOMAINS} [[domains]] tables")
            return None
        found: list[tuple[str, int]] = []
        for n, entry in enumerate(value, start=1):
            field = f"domains[{n}]"
            if not isinstance(entry, dict):
                self.error(field, f"expected a table {{ name, weight }}, got {_type(entry)}")
                continue
            for key in entry:
                if key not in ("name", "weight"):
                    self.error(f"{field}.{key}", "unknown key (expected name, weight)")
            name, weight = entry.get("name"), entry.get("weight")
            if not isinstance(name, str) or not name.strip() or name != name.strip():
                self.error(f"{field}.name", "expected a domain name on one line")
                continue
            if any(name == d for d, _ in found):
                self.error(f"{field}.name", f"{name!r} is listed twice")
                continue
            if isinstance(weight, bool) or not isinstance(weight, int) or not 1 <= weight <= 100:
                self.error(f"{field}.weight", "expected a whole percentage from 1 to 100")
                continue
            found.append((name, weight))
        total = sum(w for _, w in found)
        if len(found) == len(value) and total != 100:
            self.error("domains", f"the weights add up to {total}, not 100")
        return tuple(found)


def parse_profile(data: bytes, label: str) -> tuple[ExamProfile | None, list[str]]:
    """One profile file: the profile, or None and the problems (one line each)."""
    from quizapp.bank.files import read_toml

    doc, problem = read_toml(data)
    if doc is None:
        return None, [f"{label}: {problem}"]
    errors = [
        f"{label}: unknown top-level key {key!r} (expected [profile] and [[domains]])"
        for key in doc
        if key not in ("profile", "domains")
    ]
    raw = doc.get("profile")
    if not isinstance(raw, dict):
        return None, [*errors, f"{label}: no [profile] table"]
    checker = _Checker(label, raw)
    profile = checker.check(doc.get("domains"))
    errors += checker.errors
    return (None if errors else profile), errors


@dataclass(frozen=True, slots=True)
class Profiles:
    """The profiles in order (shipped by file name, then the learner's) and learner problems."""

    profiles: tuple[ExamProfile, ...]
    errors: tuple[str, ...] = ()

    @property
    def default(self) -> ExamProfile:
        """The first current profile (the exam a learner would take today)."""
        return next((p for p in self.profiles if not p.retired), self.profiles[0])

    def get(self, ident: str) -> ExamProfile | None:
        """The profile an attempt recorded as `ident`: "mla-c01" or a shorter "mla-c01-30"."""
        for profile in self.profiles:
            if profile.id == ident:
                return profile
        match = _SHORTER.fullmatch(ident)
        if match:
            base = next((p for p in self.profiles if p.id == match[1]), None)
            if base is not None and 1 <= int(match[2]) < base.questions:
                return base.shorter(int(match[2]))
        return None

    def domains(self) -> dict[str, tuple[str, ...]]:
        """Profile id -> its domain names: what an item's `domains` table may say."""
        return {p.id: tuple(d for d, _ in p.domain_weights) for p in self.profiles}


def _from_files(found: Iterable[tuple[str, bytes]], shipped: bool) -> Profiles:
    profiles: list[ExamProfile] = []
    errors: list[str] = []
    for label, data in found:
        profile, problems = parse_profile(data, label)
        if shipped and problems:
            raise ContentError("\n".join(problems))
        errors += problems
        if profile is not None:
            profiles.append(profile)
    return Profiles(tuple(profiles), tuple(errors))


@cache
def shipped_profiles() -> Profiles:
    """The profiles shipped in `content/profiles/` (broken shipped content is fatal)."""
    root = files("content").joinpath("profiles")
    found = sorted(
        (entry.name, entry.read_bytes())
        for entry in root.iterdir()
        if entry.name.endswith(".toml") and entry.is_file()
    )
    return _from_files(found, shipped=True)


def user_profiles_dir() -> Path:
    from quizapp.paths import data_dir

    return data_dir() / "profiles"


def load_profiles(folder: Path | None = None) -> Profiles:
    """Shipped profiles, then the learner's (`folder`, default `<data dir>/profiles/`), in
    file-name order. A broken learner file is reported and skipped; so is one whose id is
    taken (by a shipped profile, an earlier learner file, or a shorter exam such as
    "mla-c01-30"). Every problem is one line naming the file."""
    from quizapp.bank.files import file_label, find_bank_files, read_bank_file

    shipped = shipped_profiles()
    folder = folder if folder is not None else user_profiles_dir()
    if not folder.is_dir():
        return shipped
    paths, errors = find_bank_files([folder])
    kept: list[ExamProfile] = []
    origin: dict[str, str] = {}  # learner profile id -> its file
    for path in paths:
        label = file_label(path)
        data, problem = read_bank_file(path)
        if data is None:
            errors.append(f"{label}: {problem}")
            continue
        profile, problems = parse_profile(data, label)
        errors += problems
        if profile is None:
            continue
        clash = _taken(profile.id, Profiles((*shipped.profiles, *kept)), origin)
        if clash is not None:
            errors.append(f"{label}: profile {profile.id!r} field 'id': {clash}: skipped")
            continue
        origin[profile.id] = label
        kept.append(profile)
    return Profiles((*shipped.profiles, *kept), tuple(errors))


def _taken(ident: str, loaded: Profiles, origin: Mapping[str, str]) -> str | None:
    """Why a learner profile cannot have the id `ident` (None if it can)."""
    if ident in origin:
        return f"duplicate id (also in {origin[ident]})"
    found = loaded.get(ident)
    if found is None:
        return None
    if found.base:
        return f"the id of a shorter exam of profile {found.base!r}"
    return "the id of a shipped profile"


@cache
def app_profiles() -> Profiles:
    """The profiles this process uses (shipped and the learner's), read once."""
    return load_profiles()
