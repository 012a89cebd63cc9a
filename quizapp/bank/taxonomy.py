"""The bank vocabulary from content/taxonomy.toml: topics, difficulties, sources. (Exam
domains belong to the exam profiles: `quizapp.bank.profiles`.)"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib.resources import files


@dataclass(frozen=True, slots=True)
class Taxonomy:
    topics: dict[str, str]  # topic id -> label
    difficulties: tuple[str, ...]
    sources: dict[str, dict[str, tuple[str, ...]]]  # file -> section -> points

    def required_points(self) -> tuple[tuple[str, str, str], ...]:
        """Every (file, section, point) that the banks must cover, in taxonomy order."""
        return tuple(
            (file, section, point)
            for file, sections in self.sources.items()
            for section, points in sections.items()
            for point in points
        )


@cache
def load_taxonomy() -> Taxonomy:
    """Parse the shipped taxonomy once per process."""
    data = tomllib.loads(files("content").joinpath("taxonomy.toml").read_text(encoding="utf-8"))
    return Taxonomy(
        topics=dict(data["topics"]),
        difficulties=tuple(data["difficulties"]),
        sources={
            file: {section: tuple(points) for section, points in sections.items()}
            for file, sections in data["sources"].items()
        },
    )


def readable_topic(topic: str) -> str:
    """A learner's own topic id made readable: 'my-aws-cards' -> 'My aws cards'. A topic
    written as words already ('AWS ML', 'SageMaker') is kept as it is."""
    if topic != topic.lower() or " " in topic:
        return topic
    words = topic.replace("_", " ").replace("-", " ").split()
    text = " ".join(words) or topic
    return text[:1].upper() + text[1:]


def topic_label(topic: str) -> str:
    """The taxonomy's label of a topic, or (a learner's own topic) its id made readable."""
    return load_taxonomy().topics.get(topic) or readable_topic(topic)


def topic_labels(topics: Iterable[str] = ()) -> dict[str, str]:
    """Labels of every taxonomy topic, and of `topics` (learner topics among them) too."""
    labels = dict(load_taxonomy().topics)
    for topic in topics:
        labels.setdefault(topic, readable_topic(topic))
    return labels
