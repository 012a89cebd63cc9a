"""Reading a class member's new password: never echoed, printed or logged.

On a terminal it is asked twice with `getpass` (no echo; refused outright when the terminal
cannot turn echo off, rather than falling back to showing it); otherwise it is the first line
of standard input, so a script can pipe it in (`printf '%s\n' "$PW" | quizapp class
add-learner ada`) without putting it on a command line, where `ps` would show it.
"""

from __future__ import annotations

import getpass
import warnings
from collections.abc import Callable
from typing import TextIO

from quizapp.errors import QuizappError

UNCHANGED = "nothing was changed"


def read_password(who: str, stdin: TextIO, ask: Callable[[str], str] = getpass.getpass) -> str:
    """The password for `who`, from the terminal (`ask`, twice) or one line of `stdin`."""
    if stdin.isatty():
        password = _from_terminal(who, ask)
    else:
        line = stdin.readline()
        if not line:
            raise QuizappError(f"no password on standard input; {UNCHANGED}")
        password = line.removesuffix("\n").removesuffix("\r")
    if not password:
        raise QuizappError(f"an empty password is refused; {UNCHANGED}")
    if "\x00" in password:
        raise QuizappError(f"a password cannot hold a NUL character; {UNCHANGED}")
    return password


def _from_terminal(who: str, ask: Callable[[str], str]) -> str:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", getpass.GetPassWarning)  # echo would stay on
            first = ask(f"new password for {who}: ")
            if first and ask("the same again: ") != first:
                raise QuizappError(f"the two passwords differ; {UNCHANGED}")
    except getpass.GetPassWarning:
        raise QuizappError(
            "this terminal cannot hide what is typed; pipe the password in on standard "
            f"input instead; {UNCHANGED}"
        ) from None
    except EOFError:
        raise QuizappError(f"no password given; {UNCHANGED}") from None
    return first
