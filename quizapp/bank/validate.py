"""Validation of one parsed bank file against FORMAT.md, the taxonomy and the engine catalog.

Shipped banks cite the guide: `source` (a point of the taxonomy), `topic` (a taxonomy topic),
`difficulty` and `domains` are required. A learner's bank (`learner=True`) is the learner's:
`source` (any file, section and point), `topic` (any one-line name), `difficulty` and
`domains` are optional; an item without a topic gets its bank's name (the file stem), without
a difficulty "medium", without domains none (no exam draws it; practice quizzes do).

Every problem is one line naming the file, the item and the field, e.g.
``guide-1-2.toml: item 'g12-bias' field 'kind': unknown kind 'flashcrd' (expected one of ...)``.
Choice positions in field names are 1-based (``choices[2]`` is the second choice).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

from engine.catalog import FAMILIES, SCENARIOS
from quizapp.bank.files import MAX_FILE_BYTES, MAX_KEY_PARTS  # noqa: F401 (the limits, in one place)
from quizapp.bank.model import KINDS, Choice, Item, Pair, Ref, Source, Step
from quizapp.bank.profiles import Profiles, shipped_profiles
from quizapp.bank.taxonomy import Taxonomy, load_taxonomy

ID_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")  # used with fullmatch: no trailing newline

# Limits (content/FORMAT.md, "Limits"): what the screens can show, and what loads quickly.
MAX_ITEMS = 1000  # items in one file
MAX_CHOICES = 6  # the quiz has a pick key for 6 options (1-6, a-e), browse letters 10
MAX_ID_LENGTH = 64
MAX_TEXT_LENGTH = 2000  # any text field (front, back, text, prompt, explanation, choice text...)
MAX_TITLE_LENGTH = 200  # [bank] title
MAX_TAGS = 20
MAX_TAG_LENGTH = 40
MIN_ELEMENTS, MAX_ELEMENTS = 3, 6  # steps of an ordering item, pairs of a matching item
MAX_REFS = 5
URL_RE = re.compile(r"https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/[^\s<>\"'`]*)?")
LEGACY_DOMAIN_PROFILE = "mls-c01"  # `domain = "..."` (one domain) is the guide's exam's
# C0 and C1 control characters (and DEL); tab and newline are allowed in text fields only
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
LINE_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")
NUMBER_WORDS = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
CHOOSE_RE = re.compile(
    r"\b(?:choose|select|pick|mark|tick)\s+(?:exactly\s+|the\s+|any\s+)?"
    r"(\d+|" + "|".join(NUMBER_WORDS) + r")\b",
    re.IGNORECASE,
)

COMMON_REQUIRED = ("id", "kind", "source", "topic", "difficulty")
COMMON_OPTIONAL = ("domains", "domain", "refs", "tags")
# a learner's bank: only the id and the kind (with the kind's own fields) are required
LEARNER_REQUIRED = ("id", "kind")
LEARNER_OPTIONAL = ("source", "topic", "difficulty", *COMMON_OPTIONAL)
LEARNER_DIFFICULTY = "medium"  # a learner's item without a difficulty
MAX_TOPIC_LENGTH = 100  # a learner's own topic name (an Anki deck path fits)
# kind -> (required fields, optional fields), beyond the common ones
KIND_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "flashcard": (("front", "back"), ("eli5", "technical")),
    "cloze": (("text",), ("back",)),
    "single_choice": (("prompt", "choices"), ()),
    "multiple_response": (("prompt", "choices"), ()),
    "true_false": (("prompt", "answer", "explanation"), ()),
    "computed": (("family", "scenario"), ("prompt",)),
    "ordering": (("prompt", "steps"), ()),
    "matching": (("prompt", "pairs"), ()),
}
ALL_FIELDS = frozenset(COMMON_REQUIRED + COMMON_OPTIONAL).union(
    *(req + opt for req, opt in KIND_FIELDS.values())
)
BOOL_FIELDS = frozenset({"answer"})
SOURCE_KEYS = ("file", "section", "point")
CHOICE_KEYS = ("text", "correct", "explanation")  # required
OPTIONAL_CHOICE_KEYS = ("misconception",)
MISCONCEPTION_NAME = re.compile(r"[a-z][a-z0-9_]{0,79}")
STEP_KEYS = ("text", "explanation")
PAIR_KEYS = ("item", "match", "explanation")
REF_KEYS = ("title", "url")
TOP_LEVEL_KEYS = ("bank", "items")


def type_name(value: object) -> str:
    """The TOML name of a parsed value's type, for messages."""
    names = {bool: "boolean", str: "string", int: "integer", float: "float"}
    names |= {list: "array", dict: "table"}
    if isinstance(value, float) and not math.isfinite(value):
        return f"float {value}"  # nan, inf: no field of a bank is a number
    return names.get(type(value), type(value).__name__)


def one_of(options: Iterable[str]) -> str:
    return "(expected one of: " + ", ".join(options) + ")"


def short(text: str, width: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def normalise(text: str) -> str:
    return " ".join(text.casefold().split())


def shown(value: str, width: int = 64) -> str:
    """A value quoted for a one-line message: escaped (repr) and cut to about `width`."""
    return repr(value if len(value) <= width else value[: width - 1] + "…")


def control_problem(text: str, pattern: re.Pattern[str] = CONTROL_RE) -> str | None:
    """Why `text` cannot be shown as it is (a control character), or None."""
    bad = pattern.search(text)
    if bad is None:
        return None
    return f"contains a control character (U+{ord(bad.group()):04X}) at character {bad.start() + 1}"


def cloze_problem(text: str) -> str | None:
    """What is wrong with a cloze's {{gap}} markup, or None.

    Each gap is `{{answer}}` on one line, the answer non-blank and without braces; no gap
    inside a gap; no `{{` or `}}` outside a gap; and no third brace next to a gap's (`{{{`).
    """
    if "{{{" in text or "}}}" in text:
        return "three braces in a row ({{{ or }}}): a gap is exactly {{answer}}"
    gaps = 0
    at = 0
    while True:
        start = text.find("{{", at)
        stray = text.find("}}", at)
        if stray != -1 and (start == -1 or stray < start):
            return f"}}}} without {{{{ at character {stray + 1}"
        if start == -1:
            break
        end = text.find("}}", start + 2)
        if end == -1:
            return f"{{{{ without }}}} at character {start + 1}"
        answer = text[start + 2 : end]
        if "{{" in answer:
            return f"gap inside a gap at character {start + 1}"
        if not answer.strip():
            return f"empty gap {{{{}}}} at character {start + 1}"
        if "{" in answer or "}" in answer:
            return f"brace inside the gap {shown(answer)}"
        if "\n" in answer:
            return f"the gap {shown(answer)} spans lines (a gap is on one line)"
        gaps += 1
        at = end + 2
    if not gaps:
        return "no gap: write each answer as {{answer}}"
    return None


def stated_count(prompt: str) -> int | None:
    """How many choices a prompt asks for ("Choose two.", "Select 3"), or None if unstated."""
    matches = CHOOSE_RE.findall(prompt)
    if not matches:
        return None
    word = matches[-1].lower()
    return int(word) if word.isdigit() else NUMBER_WORDS[word]


class _ItemChecker:
    """Checks one item table; collects its problems as lines."""

    def __init__(
        self,
        label: str,
        bank: str,
        position: int,
        raw: Mapping[str, Any],
        tax: Taxonomy,
        profiles: Profiles,
        learner: bool = False,
    ):
        self.label = label
        self.bank = bank
        self.raw = raw
        self.tax = tax
        self.profiles = profiles
        self.learner = learner
        self.errors: list[str] = []
        ident = raw.get("id")
        self.name = (
            f"item {shown(ident)}" if isinstance(ident, str) and ident else f"item #{position}"
        )

    def error(self, field: str, problem: str) -> None:
        self.errors.append(f"{self.label}: {self.name} field {shown(field)}: {problem}")

    def string(
        self, field: str, value: Any, limit: int = MAX_TEXT_LENGTH, *, one_line: bool = False
    ) -> str | None:
        """The value if it is a non-empty string the screens can show, else None after
        recording why. `one_line` values (ids, names) take no tab, newline or outer space."""
        if not isinstance(value, str):
            self.error(field, f"expected a string, got {type_name(value)}")
            return None
        if not value.strip():
            self.error(field, "empty")
            return None
        if one_line and value != value.strip():
            self.error(field, f"{shown(value)} has whitespace before or after it")
            return None
        problem = control_problem(value, LINE_CONTROL_RE if one_line else CONTROL_RE)
        if problem is None and len(value) > limit:
            problem = f"{len(value)} characters long (at most {limit})"
        if problem is not None:
            self.error(field, problem)
            return None
        return value

    def vocab(self, field: str, value: Any, allowed: Iterable[str], what: str) -> str | None:
        text = self.string(field, value, one_line=True)
        allowed = tuple(allowed)
        if text is not None and text not in allowed:
            self.error(field, f"unknown {what} {shown(text)} {one_of(allowed)}")
            return None
        return text

    def check(self) -> Item | None:
        raw = self.raw
        kind: Any = raw.get("kind")
        known_kind = isinstance(kind, str) and kind in KIND_FIELDS
        common = (
            (LEARNER_REQUIRED, LEARNER_OPTIONAL)
            if self.learner
            else (COMMON_REQUIRED, COMMON_OPTIONAL)
        )
        required = common[0] + (KIND_FIELDS[kind][0] if known_kind else ())
        optional = common[1] + (KIND_FIELDS[kind][1] if known_kind else ())
        for field in required:
            if field not in raw:
                self.error(field, "missing" + (f" (required for {kind})" if known_kind else ""))
        for field in raw:
            if field in required or field in optional:
                continue
            if not known_kind and field in ALL_FIELDS:
                continue  # cannot judge kind-specific fields without a kind
            if field == "answer" and kind in ("single_choice", "multiple_response"):
                self.error(
                    field,
                    f"{kind} has no answer index; mark each right choice with correct = true",
                )
            elif field in ALL_FIELDS:
                self.error(field, f"not used by kind {kind!r}")
            elif known_kind:
                kind_fields = KIND_FIELDS[kind][0] + KIND_FIELDS[kind][1]
                allowed = ", ".join(COMMON_REQUIRED + kind_fields + COMMON_OPTIONAL)
                self.error(field, f"unknown field (allowed for {kind}: {allowed})")
            else:
                self.error(field, "unknown field")

        values: dict[str, Any] = {}
        if "id" in raw:
            ident = self.string("id", raw["id"], MAX_ID_LENGTH, one_line=True)
            if ident is not None and not (ID_RE.fullmatch(ident) and re.search("[a-z]", ident)):
                self.error(
                    "id", f"{shown(ident)} is not lowercase kebab-case (e.g. 'g12-bias-zero')"
                )
                ident = None
            values["id"] = ident
        if "kind" in raw:
            values["kind"] = self.vocab("kind", kind, KINDS, "kind")
        if "topic" not in raw:
            values["topic"] = self.bank  # a learner's item: its bank is its topic
        elif self.learner:  # any name of the learner's, or a taxonomy topic
            values["topic"] = self.string("topic", raw["topic"], MAX_TOPIC_LENGTH, one_line=True)
        else:
            values["topic"] = self.vocab("topic", raw["topic"], self.tax.topics, "topic")
        domains = self.domains()
        values["difficulty"] = LEARNER_DIFFICULTY
        if "difficulty" in raw:
            values["difficulty"] = self.vocab(
                "difficulty", raw["difficulty"], self.tax.difficulties, "difficulty"
            )
        source = self.source(raw["source"]) if "source" in raw else None
        tags = self.tags(raw["tags"]) if "tags" in raw else ()
        refs = self.refs(raw["refs"]) if "refs" in raw else ()

        extra: dict[str, Any] = {}
        if known_kind:
            for field in ("front", "back", "eli5", "technical", "text", "prompt", "explanation"):
                if field in raw and field in required + optional:
                    extra[field] = self.string(field, raw[field])
            if "answer" in raw and kind == "true_false":
                if isinstance(raw["answer"], bool):
                    extra["answer"] = raw["answer"]
                else:
                    self.error("answer", f"expected a boolean, got {type_name(raw['answer'])}")
            getattr(self, f"check_{kind}")(extra)

        if self.errors or domains is None or (source is None and not self.learner):
            return None
        default = self.profiles.default.id
        return Item(
            id=values["id"],
            kind=values["kind"],
            bank=self.bank,
            source=source,
            topic=values["topic"],
            domain=next((d for p, d in domains if p == default), ""),
            difficulty=values["difficulty"],
            domains=domains,
            refs=refs,
            tags=tags,
            **extra,
        )

    def domains(self) -> tuple[tuple[str, str], ...] | None:
        """The item's domain per profile, from `domains = { mla-c01 = "..." }` or the older
        single `domain = "..."` (a domain of the guide's exam, MLS-C01)."""
        raw = self.raw
        known = self.profiles.domains()
        if "domains" in raw and "domain" in raw:
            self.error("domain", "give either domains (per profile) or domain, not both")
            return None
        if "domain" in raw:
            allowed = known.get(LEGACY_DOMAIN_PROFILE, ())
            domain = self.vocab("domain", raw["domain"], allowed, "domain")
            return None if domain is None else ((LEGACY_DOMAIN_PROFILE, domain),)
        value = raw.get("domains")
        if value is None and self.learner:
            return ()  # in no exam's domains: practice quizzes and reviews only
        if value is None:
            self.error(
                "domains",
                "missing (the item's domain per exam profile, e.g. "
                f'{{ {next(iter(known), "mla-c01")} = "..." }})',
            )
            return None
        if not isinstance(value, dict):  # {} is fine: in no exam's domains (practice only)
            self.error("domains", f"expected a table of profile = domain, got {type_name(value)}")
            return None
        found: list[tuple[str, str]] = []
        for profile, domain in value.items():
            field = f"domains.{profile}"
            if profile not in known:
                self.error(field, f"unknown exam profile {shown(profile)} {one_of(known)}")
                continue
            text = self.vocab(field, domain, known[profile], f"{profile} domain")
            if text is not None:
                found.append((profile, text))
        return tuple(found) if len(found) == len(value) else None

    def refs(self, value: Any) -> tuple[Ref, ...]:
        if not isinstance(value, list) or not value:
            self.error(
                "refs", f"expected an array of {{ title, url }} tables, got {type_name(value)}"
            )
            return ()
        if len(value) > MAX_REFS:
            self.error("refs", f"{len(value)} references (at most {MAX_REFS})")
            return ()
        refs: list[Ref] = []
        for n, raw in enumerate(value, start=1):
            field = f"refs[{n}]"
            if not isinstance(raw, dict):
                self.error(field, f"expected a table {{ title, url }}, got {type_name(raw)}")
                continue
            for key in raw:
                if key not in REF_KEYS:
                    self.error(f"{field}.{key}", "unknown key (expected title, url)")
            title = url = None
            for key in REF_KEYS:
                if key not in raw:
                    self.error(f"{field}.{key}", "missing")
            if "title" in raw:
                title = self.string(f"{field}.title", raw["title"], MAX_TITLE_LENGTH, one_line=True)
            if "url" in raw:
                url = self.string(f"{field}.url", raw["url"], 500, one_line=True)
                if url is not None and not URL_RE.fullmatch(url):
                    self.error(f"{field}.url", f"{shown(url)} is not an https:// address")
                    url = None
            if title is not None and url is not None:
                refs.append(Ref(title, url))
        return tuple(refs) if len(refs) == len(value) else ()

    def source(self, value: Any) -> Source | None:
        if not isinstance(value, dict):
            self.error(
                "source", f"expected a table {{ file, section, point }}, got {type_name(value)}"
            )
            return None
        ok = True
        for key in value:
            if key not in SOURCE_KEYS:
                self.error(f"source.{key}", "unknown key (expected file, section, point)")
                ok = False
        parts: dict[str, str] = {}
        for key in SOURCE_KEYS:
            if key not in value:
                self.error(f"source.{key}", "missing")
                ok = False
            elif (text := self.string(f"source.{key}", value[key], one_line=True)) is None:
                ok = False
            else:
                parts[key] = text
        if not ok:
            return None
        file, section, point = parts["file"], parts["section"], parts["point"]
        if self.learner:  # the learner's own sources: any file, section and point
            return Source(file, section, point)
        sections = self.tax.sources.get(file)
        if sections is None:
            self.error(
                "source.file", f"unknown source file {shown(file)} {one_of(self.tax.sources)}"
            )
            return None
        if section not in sections:
            self.error(
                "source.section", f"unknown section {shown(section)} of {file} {one_of(sections)}"
            )
            return None
        if point not in sections[section]:
            self.error(
                "source.point",
                f"unknown point {shown(point)} in {file} § {section} {one_of(sections[section])}",
            )
            return None
        return Source(file, section, point)

    def tags(self, value: Any) -> tuple[str, ...]:
        if not isinstance(value, list):
            self.error("tags", f"expected an array of strings, got {type_name(value)}")
            return ()
        if len(value) > MAX_TAGS:
            self.error("tags", f"{len(value)} tags (at most {MAX_TAGS})")
            return ()
        for n, tag in enumerate(value, start=1):
            if not isinstance(tag, str):
                self.error("tags", f"expected an array of strings, tag {n} is {type_name(tag)}")
                return ()
        for n, tag in enumerate(value, start=1):
            if self.string(f"tags[{n}]", tag, MAX_TAG_LENGTH, one_line=True) is None:
                return ()
        return tuple(value)

    # kind-specific checks: each may add fields to `extra`

    def check_flashcard(self, extra: dict[str, Any]) -> None:
        pass

    def check_true_false(self, extra: dict[str, Any]) -> None:
        pass

    def check_cloze(self, extra: dict[str, Any]) -> None:
        text = extra.get("text")
        if text and (problem := cloze_problem(text)) is not None:
            self.error("text", problem)

    def check_computed(self, extra: dict[str, Any]) -> None:
        raw = self.raw
        if "family" in raw:
            extra["family"] = self.vocab("family", raw["family"], FAMILIES, "engine family")
        if "scenario" in raw:
            extra["scenario"] = self.vocab(
                "scenario", raw["scenario"], SCENARIOS, "engine scenario"
            )

    def elements(
        self, field: str, keys: tuple[str, ...], distinct: tuple[str, ...]
    ) -> list[dict[str, str]] | None:
        """An array of MIN..MAX_ELEMENTS tables with text `keys`, each of `distinct` unique."""
        value = self.raw.get(field)
        if value is None:
            return None
        if not isinstance(value, list) or not MIN_ELEMENTS <= len(value) <= MAX_ELEMENTS:
            got = f"{len(value)}" if isinstance(value, list) else type_name(value)
            self.error(
                field,
                f"expected {MIN_ELEMENTS} to {MAX_ELEMENTS} tables {{ {', '.join(keys)} }}, "
                f"got {got}",
            )
            return None
        before = len(self.errors)
        parsed: list[dict[str, str]] = []
        seen: dict[tuple[str, str], int] = {}
        for n, raw in enumerate(value, start=1):
            name = f"{field}[{n}]"
            if not isinstance(raw, dict):
                self.error(name, f"expected a table {{ {', '.join(keys)} }}, got {type_name(raw)}")
                continue
            for key in raw:
                if key not in keys:
                    self.error(f"{name}.{key}", f"unknown key (expected {', '.join(keys)})")
            entry: dict[str, str] = {}
            for key in keys:
                if key not in raw:
                    self.error(f"{name}.{key}", "missing")
                elif (text := self.string(f"{name}.{key}", raw[key])) is not None:
                    entry[key] = text
            for key in distinct:
                if key in entry:
                    norm = (key, normalise(entry[key]))
                    if norm in seen:
                        self.error(
                            f"{name}.{key}",
                            f"duplicate of {field}[{seen[norm]}] ({short(entry[key])!r})",
                        )
                    seen.setdefault(norm, n)
            parsed.append(entry)
        return None if len(self.errors) > before else parsed

    def check_ordering(self, extra: dict[str, Any]) -> None:
        steps = self.elements("steps", STEP_KEYS, ("text",))
        if steps is not None:
            extra["steps"] = tuple(Step(s["text"], s["explanation"]) for s in steps)

    def check_matching(self, extra: dict[str, Any]) -> None:
        pairs = self.elements("pairs", PAIR_KEYS, ("item", "match"))
        if pairs is not None:
            extra["pairs"] = tuple(Pair(p["item"], p["match"], p["explanation"]) for p in pairs)

    def check_single_choice(self, extra: dict[str, Any]) -> None:
        choices = self.choices(extra)
        if choices is None:
            return
        correct = sum(c.correct for c in choices)
        if correct == 0:
            self.error("choices", "no choice has correct = true (single_choice needs exactly one)")
        elif correct > 1:
            self.error(
                "choices", f"{correct} choices are correct (single_choice needs exactly one)"
            )

    def check_multiple_response(self, extra: dict[str, Any]) -> None:
        choices = self.choices(extra)
        if choices is None:
            return
        correct = sum(c.correct for c in choices)
        if correct < 2:
            self.error(
                "choices",
                f"{correct} choice{'s are' if correct != 1 else ' is'} correct "
                "(multiple_response needs at least two)",
            )
            return
        if correct == len(choices):
            self.error("choices", "every choice is correct (multiple_response needs a wrong one)")
            return
        prompt = extra.get("prompt")
        if prompt:
            stated = stated_count(prompt)
            word = next((w for w, n in NUMBER_WORDS.items() if n == correct), str(correct))
            if stated is None:
                self.error(
                    "prompt",
                    f"does not say how many to choose (add e.g. 'Choose {word}.' to match "
                    f"the {correct} correct choices)",
                )
            elif stated != correct:
                self.error("prompt", f"says choose {stated} but {correct} choices are correct")

    def _choice_misconception(self, field: str, raw: dict[str, Any], correct: object) -> str:
        """The optional `misconception` a wrong option names ("" when none or broken)."""
        if "misconception" not in raw:
            return ""
        name = raw["misconception"]
        if not isinstance(name, str) or not MISCONCEPTION_NAME.fullmatch(name):
            self.error(
                f"{field}.misconception",
                "expected a snake_case name such as 'forgot_bias' (a-z, 0-9, _; at most 80)",
            )
            return ""
        if correct is True:
            self.error(f"{field}.misconception", "a right option names no misconception")
            return ""
        return name

    def choices(self, extra: dict[str, Any]) -> tuple[Choice, ...] | None:
        """Parse `choices`; store them (and `choose`) in extra; None if any is broken."""
        value = self.raw.get("choices")
        if value is None:
            return None
        if not isinstance(value, list) or not value:
            self.error("choices", f"expected a non-empty array of tables, got {type_name(value)}")
            return None
        if len(value) > MAX_CHOICES:
            self.error(
                "choices",
                f"{len(value)} choices (at most {MAX_CHOICES}, one per pick key "
                f"1-{MAX_CHOICES} of the quiz)",
            )
            return None
        before = len(self.errors)
        parsed: list[Choice] = []
        seen: dict[str, int] = {}
        for n, raw in enumerate(value, start=1):
            field = f"choices[{n}]"
            if not isinstance(raw, dict):
                self.error(
                    field,
                    f"expected a table {{ text, correct, explanation }}, got {type_name(raw)}",
                )
                continue
            for key in raw:
                if key not in CHOICE_KEYS + OPTIONAL_CHOICE_KEYS:
                    self.error(
                        f"{field}.{key}",
                        "unknown key (expected text, correct, explanation, misconception)",
                    )
            for key in CHOICE_KEYS:
                if key not in raw:
                    self.error(f"{field}.{key}", "missing")
            text = self.string(f"{field}.text", raw["text"]) if "text" in raw else None
            explanation = (
                self.string(f"{field}.explanation", raw["explanation"])
                if "explanation" in raw
                else None
            )
            correct = raw.get("correct")
            if "correct" in raw and not isinstance(correct, bool):
                self.error(f"{field}.correct", f"expected a boolean, got {type_name(correct)}")
            if text is not None:
                key = normalise(text)
                if key in seen:
                    self.error(
                        f"{field}.text", f"duplicate of choice {seen[key]} ({short(text)!r})"
                    )
                seen.setdefault(key, n)
            mistake = self._choice_misconception(field, raw, correct)
            if text is not None and explanation is not None and isinstance(correct, bool):
                parsed.append(Choice(text, correct, explanation, mistake))
        if len(self.errors) > before:
            return None
        if len(parsed) < 2:
            self.error("choices", f"only {len(parsed)} choice (need at least two)")
            return None
        choices = extra["choices"] = tuple(parsed)
        extra["choose"] = sum(c.correct for c in parsed)
        return choices


def validate_document(
    doc: Mapping[str, Any],
    label: str,
    bank: str,
    tax: Taxonomy | None = None,
    profiles: Profiles | None = None,
    *,
    learner: bool = False,
) -> tuple[tuple[Item, ...], list[str]]:
    """Check one parsed bank file. Returns the valid items (with `bank` set) and the problems.

    `label` names the file in messages; `bank` is the file stem stored on each item (and a
    learner's item's topic when it names none). `learner`: the learner's rules (see above).
    Duplicate ids within the file are reported here; across files, see `duplicate_id_errors`.
    """
    tax = tax or load_taxonomy()
    profiles = profiles or shipped_profiles()
    errors: list[str] = []
    for key in doc:
        if key not in TOP_LEVEL_KEYS:
            errors.append(
                f"{label}: unknown top-level key {shown(key)} (expected [bank] and [[items]])"
            )
    header = doc.get("bank", {})
    if not isinstance(header, dict):
        errors.append(f"{label}: [bank] must be a table, got {type_name(header)}")
    elif "title" in header and not isinstance(header["title"], str):
        errors.append(f"{label}: [bank] title: expected a string, got {type_name(header['title'])}")
    elif "title" in header:
        title = header["title"]
        problem = control_problem(title, LINE_CONTROL_RE)
        if problem is None and len(title) > MAX_TITLE_LENGTH:
            problem = f"{len(title)} characters long (at most {MAX_TITLE_LENGTH})"
        if problem is not None:
            errors.append(f"{label}: [bank] title: {problem}")
    raw_items = doc.get("items")
    if not raw_items:
        errors.append(f"{label}: no [[items]]")
        return (), errors
    if not isinstance(raw_items, list):
        errors.append(f"{label}: 'items' must be an array of tables ([[items]])")
        return (), errors
    if len(raw_items) > MAX_ITEMS:
        errors.append(
            f"{label}: {len(raw_items)} items (at most {MAX_ITEMS} in one file: split it)"
        )
        return (), errors

    items: list[Item] = []
    first_seen: dict[str, int] = {}
    for position, raw in enumerate(raw_items, start=1):
        if not isinstance(raw, dict):
            errors.append(f"{label}: item #{position}: expected a table, got {type_name(raw)}")
            continue
        checker = _ItemChecker(label, bank, position, raw, tax, profiles, learner)
        item = checker.check()
        errors.extend(checker.errors)
        ident = raw.get("id")
        if isinstance(ident, str) and ident:
            if ident in first_seen:
                errors.append(
                    f"{label}: item {shown(ident)} field 'id': duplicate id "
                    f"(also item #{first_seen[ident]} in this file)"
                )
                continue
            first_seen[ident] = position
        if item is not None:
            items.append(item)
    return tuple(items), errors


def duplicate_id_errors(
    banks: Iterable[tuple[str, Iterable[str]]], known: Mapping[str, str] | None = None
) -> list[str]:
    """Ids that appear in more than one file. `banks` is (label, ids) per file, in order.

    `known` maps ids already taken (e.g. by shipped banks) to the file that holds them.
    """
    owner: dict[str, str] = dict(known or {})
    errors = []
    for label, ids in banks:
        for ident in ids:
            if ident in owner and owner[ident] != label:
                errors.append(
                    f"{label}: item {shown(ident)} field 'id': "
                    f"duplicate id (also in {owner[ident]})"
                )
            else:
                owner.setdefault(ident, label)
    return errors
