"""Learner settings (the `quizapp.settings.Settings` dataclass) as key/JSON rows, plus the store's
own bookkeeping keys (named with a leading underscore)."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from typing import Any, cast

from sqlalchemy import Connection, Table, insert, select, update

from quizapp.errors import QuizappError
from quizapp.settings.model import Settings
from quizapp.store.models import SettingRow

SETTINGS = cast(Table, SettingRow.__table__)  # typed as the wider FromClause
_FIELDS = {f.name: f for f in fields(Settings)}


def get_value(conn: Connection, key: str) -> Any:
    raw = conn.execute(select(SETTINGS.c.value).where(SETTINGS.c.key == key)).scalar()
    return None if raw is None else json.loads(raw)


def set_value(conn: Connection, key: str, value: Any) -> None:
    raw = json.dumps(value)
    done = conn.execute(update(SETTINGS).where(SETTINGS.c.key == key).values(value=raw))
    if done.rowcount == 0:
        conn.execute(insert(SETTINGS).values(key=key, value=raw))


def _encode(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return list(value)
    return value


def _decode(name: str, raw: Any) -> Any:
    if name == "exam_date":
        return date.fromisoformat(raw) if raw else None
    if name in ("learning_steps_min", "relearning_steps_min"):
        return tuple(int(x) for x in raw)
    default = _FIELDS[name].default
    if isinstance(default, bool):
        return bool(raw)
    if isinstance(default, int):
        return int(raw)
    if isinstance(default, float):
        return float(raw)
    return raw


def load_settings(conn: Connection) -> Settings:
    """Stored settings over the defaults; a value that cannot be read keeps its default."""
    values: dict[str, Any] = {}
    for key, raw in conn.execute(select(SETTINGS.c.key, SETTINGS.c.value)):
        if key not in _FIELDS:
            continue
        try:
            values[key] = _decode(key, json.loads(raw))
        except (TypeError, ValueError):
            continue
    return replace(Settings(), **values)


def validate_settings(s: Settings) -> Settings:
    """Raise QuizappError (one line) for a setting out of range."""
    problems = []
    if not 0.7 <= s.desired_retention <= 0.99:
        problems.append("desired retention must be between 0.70 and 0.99")
    if s.new_per_day < 0 or s.reviews_per_day < 0:
        problems.append("daily limits cannot be negative")
    if not 0 <= s.rollover_hour <= 23:
        problems.append("the rollover hour must be 0..23")
    if s.leech_threshold < 1:
        problems.append("the leech threshold must be at least 1")
    if s.leech_action not in ("tag", "suspend"):
        problems.append("leech action must be 'tag' or 'suspend'")
    if any(m <= 0 for m in (*s.learning_steps_min, *s.relearning_steps_min)):
        problems.append("learning steps must be positive minutes")
    if s.maximum_interval_days < 1:
        problems.append("the maximum interval must be at least 1 day")
    if problems:
        raise QuizappError("; ".join(problems))
    return s


def save_settings(conn: Connection, s: Settings) -> None:
    validate_settings(s)
    for name in _FIELDS:
        set_value(conn, name, _encode(getattr(s, name)))
