"""Where quizapp keeps the learner's files: $QUIZAPP_HOME if set, else the platform data dir."""

from __future__ import annotations

import os
import stat
from pathlib import Path

HOME_ENV = "QUIZAPP_HOME"


def data_dir() -> Path:
    """The learner's quizapp folder (not created here)."""
    home = os.environ.get(HOME_ENV)
    if home:
        return Path(home).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir("quizapp", appauthor=False))


def user_banks_dir() -> Path:
    """The folder whose *.toml files are loaded as the learner's own banks."""
    return data_dir() / "banks"


def special_file_kind(mode: int) -> str:
    """What a path that is not a regular file or a folder is, for a message ("a device")."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "a special file"
