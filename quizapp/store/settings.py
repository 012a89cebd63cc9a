"""Learner settings (the `quizapp.settings.Settings` dataclass) as key/JSON rows, plus the store's
own bookkeeping keys (named with a leading underscore); each learner has their own."""

from __future__ import annotations

import json
from dataclasses import fields, replace
from datetime import date
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from quizapp.errors import QuizappError
from quizapp.settings.model import NEW_CARD_ORDERS, Settings
from quizapp.store.tables import SETTINGS, me, mine
from quizapp.store.transaction import Tx

_FIELDS = {f.name: f for f in fields(Settings)}
_MY_KEY = (mine(SETTINGS), SETTINGS.c.key == bindparam("b_key"))  # the primary key
GET = select(SETTINGS.c.value).where(*_MY_KEY)
ALL = select(SETTINGS.c.key, SETTINGS.c.value).where(mine(SETTINGS))
SET = update(SETTINGS).where(*_MY_KEY).values(value=bindparam("v"))
ADD = insert(SETTINGS).values(learner=me(), key=bindparam("b_key"), value=bindparam("v"))


def get_value(tx: Tx, key: str) -> Any:
    raw = tx.scalar(GET, {"b_key": key})
    return None if raw is None else json.loads(raw)


def set_value(tx: Tx, key: str, value: Any) -> None:
    raw = json.dumps(value)
    if tx.run(SET, {"b_key": key, "v": raw}) == 0:
        tx.run(ADD, {"b_key": key, "v": raw})


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


def load_settings(tx: Tx) -> Settings:
    """Stored settings over the defaults; a value that cannot be read keeps its default."""
    values: dict[str, Any] = {}
    for key, raw in tx.all(ALL):
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
    if not 1 <= s.study_minutes_per_day <= 1440:
        problems.append("study minutes per day must be 1..1440")
    if s.new_card_order not in NEW_CARD_ORDERS:
        problems.append("new card order must be 'mixed', 'bank' or 'topic'")
    if problems:
        raise QuizappError("; ".join(problems))
    return s


def save_settings(tx: Tx, s: Settings) -> None:
    validate_settings(s)
    for name in _FIELDS:
        set_value(tx, name, _encode(getattr(s, name)))
