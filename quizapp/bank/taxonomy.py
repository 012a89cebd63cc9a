"""The bank vocabulary from content/taxonomy.toml: topics, difficulties, sources. (Exam
domains belong to the exam profiles: `quizapp.bank.profiles`.)"""

from __future__ import annotations

import tomllib
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
