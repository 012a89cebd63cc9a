"""`quizapp content check`: validate banks and print what they hold."""

from __future__ import annotations

import argparse
import json
import os
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from quizapp.bank.loader import (
    check_shipped,
    file_label,
    find_bank_files,
    shipped_banks_dir,
    validate_file,
)
from quizapp.bank.model import KINDS, Item
from quizapp.bank.taxonomy import load_taxonomy
from quizapp.bank.validate import duplicate_id_errors
from quizapp.paths import user_banks_dir


def section_key(file: str, section: str) -> str:
    return f"{file} § {section}"


def summarise(items: Sequence[Item]) -> dict[str, dict[str, int]]:
    """Counts by kind, section, topic and domain, in taxonomy order (zeros included)."""
    tax = load_taxonomy()
    by_section = {section_key(f, s): 0 for f, sections in tax.sources.items() for s in sections}
    kinds = Counter(i.kind for i in items)
    topics = Counter(i.topic for i in items)
    domains = Counter(i.domain for i in items)
    for item in items:
        by_section[section_key(item.source.file, item.source.section)] += 1
    return {
        "by_kind": {k: kinds[k] for k in KINDS},
        "by_section": by_section,
        "by_topic": {t: topics[t] for t in tax.topics},
        "by_domain": {d: domains[d] for d in tax.domains},
    }


def coverage_errors(items: Sequence[Item]) -> list[str]:
    """One line per taxonomy (file, section, point) that no item covers."""
    covered = {(i.source.file, i.source.section, i.source.point) for i in items}
    return [
        f"coverage: no item covers {section_key(f, s)} point {p!r}"
        for f, s, p in load_taxonomy().required_points()
        if (f, s, p) not in covered
    ]


def shipped_paths() -> set[str]:
    """Resolved paths of the shipped bank files, when they live on disk."""
    try:
        root = Path(os.fspath(shipped_banks_dir()))  # type: ignore[call-overload]
    except TypeError:
        return set()
    return {os.path.realpath(p) for p in root.glob("*.toml")}


def check_paths(paths: Sequence[str]) -> tuple[list[str], tuple[Item, ...], list[str]]:
    """Validate each file alone, then ids across them (and against shipped ids for own banks)."""
    files, errors = find_bank_files(paths)  # errors: folders that cannot be listed
    per_file: list[tuple[str, tuple[Item, ...]]] = []
    for path in files:
        items, problems = validate_file(path)
        errors.extend(problems)
        per_file.append((file_label(path), items))
    errors.extend(duplicate_id_errors((label, [i.id for i in its]) for label, its in per_file))
    shipped = shipped_paths()
    own = [
        (label, its)
        for p, (label, its) in zip(files, per_file, strict=True)
        if os.path.realpath(p) not in shipped  # Path.resolve raises on a symlink loop
    ]
    if own:
        taken = {i.id: b.origin for b in check_shipped().banks for i in b.items}
        for label, its in own:  # one file at a time: clashes among them are reported above
            errors.extend(duplicate_id_errors([(label, [i.id for i in its])], taken))
    items = tuple(i for _, its in per_file for i in its)
    return [file_label(p) for p in files], items, errors


def report(payload: dict[str, Any], heading: str) -> str:
    lines = [heading, ""]
    tax = load_taxonomy()
    for title, key in (
        ("By kind", "by_kind"),
        ("By section", "by_section"),
        ("By topic", "by_topic"),
        ("By domain", "by_domain"),
    ):
        counts: dict[str, int] = payload[key]
        width = max(map(len, counts))
        lines.append(f"{title}:")
        for name, count in counts.items():
            label = f"{name:<{width}}"
            if key == "by_topic":
                label += f"  {tax.topics[name]}"
            lines.append(f"  {count:>5}  {label}".rstrip())
        lines.append("")
    errors: list[str] = payload["errors"]
    if errors:
        lines.append(f"Problems ({len(errors)}):")
        lines.extend(f"  {e}" for e in errors)
    else:
        lines.append("No problems found.")
    lines += [
        "",
        f"Your own banks: put *.toml files in {payload['learner_banks_dir']}",
        "(or pass --bank PATH); they are validated exactly like these. Check one with:",
        "  quizapp content check FILE",
    ]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    targets = [*args.paths, *getattr(args, "bank", [])]
    if targets:
        files, items, errors = check_paths(targets)
        heading = f"Checked {len(files)} file(s): {len(items)} valid items"
    else:
        shipped = check_shipped()
        files = [b.origin for b in shipped.banks]
        items = shipped.items
        errors = shipped.errors + coverage_errors(items)
        heading = f"Shipped banks: {len(files)} file(s), {len(items)} valid items"
    payload: dict[str, Any] = {
        "items": len(items),
        **summarise(items),
        "errors": errors,
        "files": files,
        "learner_banks_dir": str(user_banks_dir()),
    }
    if args.json:
        print(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print(report(payload, heading))
    return 1 if errors else 0
