"""What the browse screen lists and searches: one row per bank item or skill card (no Textual).

Rows are built once from the items the Collection holds and its `card_infos()`; searching is an
in-memory filter over a lower-cased text of every field, so it keeps up with typing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, tzinfo

from engine.problems.titles import family_name
from quizapp.bank.model import Item, gap_of_key
from quizapp.browse import CardInfo
from quizapp.scheduling.skills import SKILL_DOMAIN
from quizapp.tui.format import cloze_front

KIND_LABELS: dict[str, str] = {
    "flashcard": "flashcard",
    "cloze": "cloze",
    "single_choice": "single choice",
    "multiple_response": "multiple response",
    "true_false": "true / false",
    "computed": "computed",
    "ordering": "ordering",
    "matching": "matching",
    "skill": "skill card",
}
KIND_SHORT: dict[str, str] = {
    "flashcard": "card",
    "cloze": "cloze",
    "single_choice": "choice",
    "multiple_response": "multi",
    "true_false": "t/f",
    "computed": "calc",
    "ordering": "order",
    "matching": "match",
    "skill": "skill",
}
DOMAIN_SHORT: dict[str, str] = {  # the default exam profile's (MLA-C01) domains, shortened
    "Data Preparation for ML": "Data Preparation",
    "ML Model Development": "Model Development",
    "Deployment and Orchestration of ML Workflows": "Deployment & Orchestration",
    "ML Solution Monitoring, Maintenance, and Security": "Monitoring & Security",
}


@dataclass(frozen=True, slots=True)
class BrowseRow:
    """One listed thing: a bank item (with its card, for flashcards and clozes) or a skill."""

    key: str  # the item id, or the skill card's key
    kind: str
    topic: str
    domain: str
    difficulty: str
    summary: str  # one line: front, prompt, cloze with gaps hidden, or the skill
    item: Item | None
    card: CardInfo | None
    haystack: str  # every searchable field, lower case

    @property
    def has_card(self) -> bool:
        return self.card is not None and not self.card.retired


def family_label(family: str) -> str:
    return family_name(family)


def item_summary(item: Item, gap: int | None = None) -> str:
    if item.kind == "cloze":
        text = cloze_front(item.text, gap)
    elif item.kind == "flashcard":
        text = item.front
    else:
        text = item.prompt or f"{family_label(item.family)} · {item.scenario}"
    return " ".join(text.split())


def item_haystack(item: Item, topic_label: str) -> str:
    parts = [
        item.id,
        item.kind,
        KIND_LABELS.get(item.kind, item.kind),
        item.topic,
        topic_label,
        item.domain,
        item.difficulty,
        item.front,
        item.back,
        item.eli5,
        item.technical,
        item.text,
        item.prompt,
        item.explanation,
        item.family,
        family_label(item.family),
        item.scenario,
        item.source.section if item.source else "",
        item.source.point if item.source else "",
        *item.tags,
    ]
    for choice in item.choices:
        parts += [choice.text, choice.explanation]
    for step in item.steps:
        parts += [step.text, step.explanation]
    for pair in item.pairs:
        parts += [pair.item, pair.match, pair.explanation]
    parts += [domain for _, domain in item.domains]
    parts += [ref.title for ref in item.refs]
    return "\n".join(p for p in parts if p).lower()


def build_rows(
    items: Iterable[Item], infos: Iterable[CardInfo], topic_labels: dict[str, str]
) -> tuple[BrowseRow, ...]:
    """Bank items in bank order (with their cards; a cloze one row per gap card, its gap
    hidden), then the computed skill cards."""
    infos = tuple(infos)
    by_item: dict[str, list[CardInfo]] = {}
    for info in sorted(infos, key=lambda i: gap_of_key(i.key) or 0):
        if info.item_id is not None:
            by_item.setdefault(info.item_id, []).append(info)
    skills = [info for info in infos if info.kind == "skill"]
    rows = []
    for item in items:
        label = topic_labels.get(item.topic, item.topic)
        cards: list[CardInfo | None] = [*by_item.get(item.id, ())] or [None]
        for card in cards:
            gap = gap_of_key(card.key) if card is not None and item.kind == "cloze" else None
            rows.append(
                BrowseRow(
                    key=item.id if card is None else card.key,
                    kind=item.kind,
                    topic=item.topic,
                    domain=item.domain,
                    difficulty=item.difficulty,
                    summary=item_summary(item, gap),
                    item=item,
                    card=card,
                    haystack=item_haystack(item, label),
                )
            )
    for info in skills:
        family = info.family or ""
        label = topic_labels.get(info.topic, info.topic)
        words = (info.key, "skill card", "computed", family, family_label(family), info.topic)
        rows.append(
            BrowseRow(
                key=info.key,
                kind="skill",
                topic=info.topic,
                domain=SKILL_DOMAIN,
                difficulty=info.difficulty,
                summary=f"{family_label(family)} ({info.difficulty}): a fresh variant each review",
                item=None,
                card=info,
                haystack="\n".join((*words, label, SKILL_DOMAIN, info.difficulty)).lower(),
            )
        )
    return tuple(rows)


def matches(
    row: BrowseRow,
    words: Sequence[str],
    kind: str | None = None,
    topic: str | None = None,
    domain: str | None = None,
) -> bool:
    """Every word in the row's text, and the row of the kind, topic and domain (None: any)."""
    if kind is not None and row.kind != kind:
        return False
    if topic is not None and row.topic != topic:
        return False
    if domain is not None and row.domain != domain:
        return False
    return all(word in row.haystack for word in words)


def search(
    rows: Iterable[BrowseRow],
    query: str,
    kind: str | None = None,
    topic: str | None = None,
    domain: str | None = None,
) -> list[BrowseRow]:
    words = query.lower().split()
    return [row for row in rows if matches(row, words, kind, topic, domain)]


def due_text(card: CardInfo | None, now: datetime, tz: tzinfo | None) -> str:
    """Short due date for the list: 'now', 'today', 'in 3d', '5 Mar' (or '' without one)."""
    if card is None or card.due is None or card.state in ("suspended", "retired"):
        return ""
    local, today = card.due.astimezone(tz), now.astimezone(tz)
    days = (local.date() - today.date()).days
    if card.due <= now:
        return "now"
    if days == 0:
        return "today"
    if days < 30:
        return f"in {days}d"
    return f"{local.day} {local:%b}" + (f" {local:%y}" if local.year != today.year else "")


def state_text(card: CardInfo | None) -> str:
    if card is None:
        return "—"
    if card.leech and card.state not in ("suspended", "retired"):
        return f"{card.state} ⚑"
    return "relearn" if card.state == "relearning" else card.state
