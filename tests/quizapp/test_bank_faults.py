"""Bank files that cannot be read, and content the screens cannot show (issue 9).

A learner bank file that cannot be read is reported once, in one line naming it, and skipped;
the rest still loads; nothing hangs, nothing is skipped silently, nothing raises. The validator
refuses what the app cannot show (too many choices, bad ids, broken cloze markup, over-long
text), one line per problem naming file, item and field. Everything goes through the loader
the app uses (`load_for_app`), and the worst cases through `quizapp content check` in a
subprocess with a timeout and a memory cap, so a hang or a blow-up fails instead of stalling.
"""

from __future__ import annotations

import contextlib
import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest

from quizapp.bank import validate
from quizapp.bank.loader import LoadResult, load_all, load_for_app
from quizapp.bank.model import KINDS
from quizapp.paths import user_banks_dir

FIXTURES = Path(__file__).parent / "fixtures" / "banks"
SHIPPED_OK = FIXTURES / "shipped_ok"
GOOD = (FIXTURES / "good.toml").read_text(encoding="utf-8")
GOOD_IDS = len(KINDS)  # good.toml has one item of each kind
DEEP = 100_000
SOURCE = '{ file = "eli5-ch1-neural-networks.txt", section = "1.2", point = "bias" }'


def good(prefix: str) -> str:
    """good.toml with its ids renamed, so several copies can load side by side."""
    return GOOD.replace('id = "fx-', f'id = "{prefix}-')


def banks() -> Path:
    folder = user_banks_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.toml").write_text(good("ok"), encoding="utf-8")
    return folder


def load(folder: Path) -> LoadResult:
    """What the app loads, with `folder` (the learner's banks/) also given as --bank: a file
    found twice must still be read and reported once."""
    with deadline(30):
        return load_for_app([folder], shipped_root=SHIPPED_OK)


@contextlib.contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Fail (instead of hanging the run) if the block takes longer than `seconds`."""

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"still loading after {seconds} s: something blocked")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def assert_one_line_each(result: LoadResult, expected: dict[Path, str]) -> None:
    """Exactly one error line per bad file, `<path>: <problem>`; the good file still loads."""
    assert result.errors == [f"{path}: {problem}" for path, problem in expected.items()]
    assert result.skipped == [str(path) for path in expected]
    ids = {item.id for item in result.items}
    assert {f"ok-{s}" for s in ("flashcard", "cloze", "single", "computed")} <= ids
    assert len(result.items) == 2 + GOOD_IDS  # shipped_ok's two, then good.toml's


# -- files that cannot be read -------------------------------------------------------------


def nested_arrays(folder: Path) -> Path:
    path = folder / "nested.toml"
    path.write_text("a = " + "[" * DEEP + "]" * DEEP, encoding="utf-8")
    return path


def nested_inline_tables(folder: Path) -> Path:
    path = folder / "inline.toml"
    path.write_text("a = " + "{ b = " * DEEP + "1" + " }" * DEEP, encoding="utf-8")
    return path


def nested_table_header(folder: Path) -> Path:
    path = folder / "header.toml"
    path.write_text("[" + ".".join(["t"] * DEEP) + "]\n", encoding="utf-8")
    return path


def nested_dotted_key(folder: Path) -> Path:
    # 2000 parts: tomllib reads it in milliseconds (100 000 parts take gigabytes; that one
    # is checked in a subprocess below)
    path = folder / "dotted.toml"
    path.write_text("k" + ".k" * 1999 + " = 1\n", encoding="utf-8")
    return path


def utf16_bom(folder: Path) -> Path:
    path = folder / "utf16.toml"
    path.write_bytes(good("w").encode("utf-16"))  # with its byte-order mark FF FE
    return path


def inner_bom(folder: Path) -> Path:
    path = folder / "inner-bom.toml"
    text = good("ib").replace('[[items]]\nid = "ib-cloze"', '\ufeff[[items]]\nid = "ib-cloze"')
    path.write_text(text, encoding="utf-8")
    return path


def not_utf8(folder: Path) -> Path:
    path = folder / "latin1.toml"
    path.write_bytes(good("l1").replace("A head start.", "Une tête d'avance.").encode("latin-1"))
    return path


def fifo(folder: Path) -> Path:
    path = folder / "pipe.toml"
    os.mkfifo(path)
    return path


def symlink_loop(folder: Path) -> Path:
    (folder / "loop-b.toml").symlink_to("loop-a.toml")
    path = folder / "loop-a.toml"
    path.symlink_to("loop-b.toml")
    return path


def broken_symlink(folder: Path) -> Path:
    path = folder / "gone.toml"
    path.symlink_to("nowhere.toml")
    return path


def folder_named_toml(folder: Path) -> Path:
    path = folder / "old.toml"
    path.mkdir()
    return path


def too_large(folder: Path) -> Path:
    path = folder / "huge.toml"
    path.write_text(good("hg") + ("# padding\n" * 110_000), encoding="utf-8")
    return path


def undecodable_name(folder: Path) -> Path:
    path = Path(os.fsdecode(bytes(folder) + b"/caf\xe9.toml"))  # a Latin-1 name on a UTF-8 disk
    path.write_text(good("nm"), encoding="utf-8")
    return path


UNREADABLE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "nested arrays": (
        nested_arrays,
        "too deeply nested: arrays or inline tables inside each other deeper than the TOML "
        "reader can follow",
    ),
    "nested inline tables": (
        nested_inline_tables,
        "too deeply nested: arrays or inline tables inside each other deeper than the TOML "
        "reader can follow",
    ),
    "nested table header": (
        nested_table_header,
        "too deeply nested: a dotted key or table name of 100000 parts at line 1 (at most 16)",
    ),
    "nested dotted key": (
        nested_dotted_key,
        "too deeply nested: a dotted key or table name of 2000 parts at line 1 (at most 16)",
    ),
    "UTF-16 byte-order mark": (
        utf16_bom,
        "not UTF-8 text: it starts with a UTF-16/UTF-32 byte-order mark; save it as UTF-8",
    ),
    "byte-order mark inside": (
        inner_bom,
        "a byte-order mark (U+FEFF) inside the file, at line 17: delete it",
    ),
    "not UTF-8": (not_utf8, "not UTF-8 text (invalid continuation byte at byte 381, line 14)"),
    "FIFO": (fifo, "cannot read: a named pipe (FIFO), not a regular file"),
    "broken symlink": (
        broken_symlink,
        "cannot read: broken symbolic link (its target does not exist)",
    ),
    "folder named *.toml": (folder_named_toml, "cannot read: a folder, not a bank file"),
    "too large": (
        too_large,
        f"too large: {len(good('hg').encode()) + 1_100_000:,} bytes "
        "(at most 1,048,576; split it into several files)",
    ),
    "undecodable file name": (
        undecodable_name,
        "the file name has undecodable bytes or control characters: rename it",
    ),
}


@pytest.mark.parametrize("case", list(UNREADABLE))
def test_unreadable_file_is_reported_once_and_the_rest_loads(case: str) -> None:
    make, problem = UNREADABLE[case]
    folder = banks()
    path = make(folder)
    result = load(folder)
    label = str(path).replace("\udce9", "\\udce9")  # printable: undecodable bytes escaped
    assert_one_line_each(result, {Path(label): problem})


def test_symlink_loop_is_reported_once_per_link_never_skipped() -> None:
    folder = banks()
    symlink_loop(folder)
    result = load(folder)
    problem = "cannot read: symbolic link loop"
    assert_one_line_each(result, {folder / "loop-a.toml": problem, folder / "loop-b.toml": problem})
    # given by its own path it is reported too, not taken for a missing file
    alone = load_all([folder / "loop-a.toml"], include_user_dir=False, shipped_root=SHIPPED_OK)
    assert alone.errors == [f"{folder / 'loop-a.toml'}: {problem}"]


def test_utf8_byte_order_mark_is_accepted() -> None:
    folder = banks()
    (folder / "bom.toml").write_bytes(b"\xef\xbb\xbf" + good("bom").encode("utf-8"))
    result = load(folder)
    assert result.errors == []
    assert sum(i.id.startswith("bom-") for i in result.items) == GOOD_IDS


def test_upper_case_extension_is_loaded() -> None:
    folder = banks()
    (folder / "Mine.TOML").write_text(good("up"), encoding="utf-8")
    (folder / "other.Toml").write_text(good("mx"), encoding="utf-8")
    result = load(folder)
    assert result.errors == []
    assert [b.name for b in result.banks][2:] == ["Mine", "good", "other"]
    assert len(result.items) == 2 + 3 * GOOD_IDS


def test_unreadable_file_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """chmod 000 does not bind root: simulate EACCES where the file is opened (see the
    subprocess test below for the real thing as another user)."""
    folder = banks()
    secret = folder / "secret.toml"
    secret.write_text(good("sc"), encoding="utf-8")
    denied = PermissionError(errno.EACCES, "Permission denied", str(secret))
    real_open, real_read_bytes = os.open, Path.read_bytes

    def fake_open(path: object, *args: object, **kwargs: object) -> int:
        if os.fspath(path) == str(secret):  # type: ignore[call-overload]
            raise denied
        return real_open(path, *args, **kwargs)  # type: ignore[arg-type]

    def fake_read_bytes(self: Path) -> bytes:
        if str(self) == str(secret):
            raise denied
        return real_read_bytes(self)

    monkeypatch.setattr(os, "open", fake_open)
    monkeypatch.setattr(Path, "read_bytes", fake_read_bytes)
    result = load(folder)
    assert_one_line_each(result, {secret: "cannot read: permission denied"})


def test_folder_that_cannot_be_listed_is_reported(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    banks()
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "mine.toml").write_text(good("lk"), encoding="utf-8")
    real_scandir = os.scandir

    def fake_scandir(path: object = ".") -> object:
        if os.fspath(path) == str(locked):  # type: ignore[call-overload]
            raise PermissionError(errno.EACCES, "Permission denied", str(locked))
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", fake_scandir)
    with deadline(30):
        result = load_for_app([locked], shipped_root=SHIPPED_OK)
    assert result.errors == [f"{locked}: cannot list this folder: permission denied"]
    assert len(result.items) == 2 + GOOD_IDS  # the learner's banks/ still loads


def test_banks_that_is_not_a_folder_is_reported() -> None:
    user_banks_dir().parent.mkdir(parents=True, exist_ok=True)
    user_banks_dir().write_text("not a folder")
    result = load_for_app(shipped_root=SHIPPED_OK)
    assert result.errors == [f"{user_banks_dir()}: not a folder, so no bank in it was loaded"]
    assert len(result.items) == 2


# -- content the app cannot show -------------------------------------------------------------


def item(ident: str = '"q-one"', kind: str = "single_choice", **fields: str) -> str:
    """One [[items]] table; `ident` and `fields` are TOML values, written as they are."""
    lines = ["[[items]]", f"id = {ident}", f'kind = "{kind}"', f"source = {SOURCE}"]
    lines += ['topic = "weights-bias"', 'domain = "Modeling"', 'difficulty = "easy"']
    lines += [f"{key} = {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def choices(n: int) -> str:
    rows = [
        f'{{ text = "option {i}", correct = {str(i == 1).lower()}, explanation = "why {i}" }}'
        for i in range(1, n + 1)
    ]
    return "[\n  " + ",\n  ".join(rows) + ",\n]"


def single(n: int = 4, ident: str = '"q-one"', **fields: str) -> str:
    return item(ident, **({"prompt": '"Which one?"', "choices": choices(n)} | fields))


def cloze(text: str) -> str:
    return item('"q-one"', "cloze", text=text)


NL_ID = repr("x\n")
BAD_CONTENT: dict[str, tuple[str, str]] = {
    "7 choices": (
        single(7),
        "item 'q-one' field 'choices': 7 choices (at most 6, one per pick key 1-6 of the quiz)",
    ),
    "27 choices": (
        single(27),
        "item 'q-one' field 'choices': 27 choices (at most 6, one per pick key 1-6 of the quiz)",
    ),
    "11 choices": (
        single(11),
        "item 'q-one' field 'choices': 11 choices (at most 6, one per pick key 1-6 of the quiz)",
    ),
    "id ending in a newline": (
        single(ident='"x\\n"'),
        f"item {NL_ID} field 'id': {NL_ID} has whitespace before or after it",
    ),
    "id with a leading space": (
        single(ident='" q-one"'),
        "item ' q-one' field 'id': ' q-one' has whitespace before or after it",
    ),
    "id with a control character": (
        single(ident='"q\\u0007one"'),
        "item 'q\\x07one' field 'id': contains a control character (U+0007) at character 2",
    ),
    "id too long": (
        single(ident='"' + "a" * 65 + '"'),
        f"item '{'a' * 63}…' field 'id': 65 characters long (at most 64)",
    ),
    "cloze {{{b}}}": (
        cloze('"a {{{b}}} c"'),
        "item 'q-one' field 'text': three braces in a row ({{{ or }}}): a gap is exactly "
        "{{answer}}",
    ),
    "cloze unclosed {{": (
        cloze('"a {{b c"'),
        "item 'q-one' field 'text': {{ without }} at character 3",
    ),
    "cloze stray }}": (
        cloze('"a b}} then {{c}}"'),
        "item 'q-one' field 'text': }} without {{ at character 4",
    ),
    "cloze empty gap": (
        cloze('"a {{}} c"'),
        "item 'q-one' field 'text': empty gap {{}} at character 3",
    ),
    "cloze blank gap": (
        cloze('"a {{  }} c"'),
        "item 'q-one' field 'text': empty gap {{}} at character 3",
    ),
    "cloze nested gap": (
        cloze('"a {{b {{c}} d}} e"'),
        "item 'q-one' field 'text': gap inside a gap at character 3",
    ),
    "cloze gap over two lines": (
        cloze('"a {{b\\nc}} d"'),
        "item 'q-one' field 'text': the gap 'b\\nc' spans lines (a gap is on one line)",
    ),
    "text too long": (
        single(prompt='"' + "p" * 2001 + '"'),
        "item 'q-one' field 'prompt': 2001 characters long (at most 2000)",
    ),
    "choice text too long": (
        item(
            prompt='"Which?"',
            choices='[{ text = "' + "c" * 2001 + '", correct = true, explanation = "e" },'
            ' { text = "d", correct = false, explanation = "e" }]',
        ),
        "item 'q-one' field 'choices[1].text': 2001 characters long (at most 2000)",
    ),
    "control character in a text": (
        single(prompt='"Which \\u001b[31mone?"'),
        "item 'q-one' field 'prompt': contains a control character (U+001B) at character 7",
    ),
    "too many tags": (
        single(tags="[" + ", ".join(['"t"'] * 21) + "]"),
        "item 'q-one' field 'tags': 21 tags (at most 20)",
    ),
    "tag too long": (
        single(tags='["' + "t" * 41 + '"]'),
        "item 'q-one' field 'tags[1]': 41 characters long (at most 40)",
    ),
    "nan for a boolean": (
        item(kind="true_false", prompt='"Bias is a weight."', answer="nan", explanation='"No."'),
        "item 'q-one' field 'answer': expected a boolean, got float nan",
    ),
    "inf for a choice's correct": (
        item(
            prompt='"Which?"',
            choices='[{ text = "c", correct = inf, explanation = "e" },'
            ' { text = "d", correct = true, explanation = "e" }]',
        ),
        "item 'q-one' field 'choices[1].correct': expected a boolean, got float inf",
    ),
    "nan for an id": (single(ident="nan"), "item #1 field 'id': expected a string, got float nan"),
}


@pytest.mark.parametrize("case", list(BAD_CONTENT))
def test_content_the_app_cannot_show_is_refused(case: str) -> None:
    body, problem = BAD_CONTENT[case]
    folder = banks()
    path = folder / "bad.toml"
    path.write_text('[bank]\ntitle = "Faults"\n\n' + body, encoding="utf-8")
    assert_one_line_each(load(folder), {path: problem})


def test_bank_title_with_a_control_character_is_refused() -> None:
    folder = banks()
    path = folder / "bad.toml"
    path.write_text('[bank]\ntitle = "Faults\\u0007"\n\n' + single(), encoding="utf-8")
    problem = "[bank] title: contains a control character (U+0007) at character 7"
    assert_one_line_each(load(folder), {path: problem})


def test_too_many_items_in_one_file_is_refused() -> None:
    folder = banks()
    path = folder / "big.toml"
    body = "".join(item(f'"q-{n}"', "flashcard", front='"f"', back='"b"') for n in range(1001))
    path.write_text(body, encoding="utf-8")
    assert_one_line_each(load(folder), {path: "1001 items (at most 1000 in one file: split it)"})


def test_values_at_the_limits_still_load() -> None:
    """The limits are inclusive (a guard for the checks above, not a fault)."""
    folder = banks()
    body = single(
        6,
        ident='"' + "a" * 64 + '"',
        tags="[" + ", ".join(['"' + "t" * 40 + '"'] * 20) + "]",
    ).replace('prompt = "Which one?"', 'prompt = "' + "p" * 2000 + '"')
    body += cloze('"The {{bias}} and\\nthe {{weights}}, tab\\tand {single} braces"').replace(
        'id = "q-one"', 'id = "q-two"'
    )
    body += "".join(item(f'"f-{n}"', "flashcard", front='"f"', back='"b"') for n in range(998))
    (folder / "edge.toml").write_text('[bank]\ntitle = "' + "T" * 200 + '"\n' + body)
    result = load(folder)
    assert result.errors == []
    assert len(result.items) == 2 + GOOD_IDS + 1000


def test_max_choices_matches_the_quiz_pick_keys() -> None:
    """The limit is what the screens support: one quiz pick key per option, a letter for
    each in the quiz and in browse."""
    from quizapp.quiz import questions
    from quizapp.tui.screens import quiz
    from quizapp.tui.widgets import browse_detail

    assert validate.MAX_CHOICES == len(quiz.PICK_KEYS) == 6
    assert len(browse_detail.LETTERS) >= validate.MAX_CHOICES
    assert len(questions.LETTERS) >= validate.MAX_CHOICES


# -- `quizapp content check`, in a subprocess: a hang or a memory blow-up fails ---------------


def limit_memory() -> None:
    cap = 2 << 30  # tomllib on a 100 000-part dotted key wants tens of GB
    resource.setrlimit(resource.RLIMIT_AS, (cap, cap))


def content_check(
    *paths: Path, home: Path, prefix: Sequence[str] = ()
) -> tuple[int, list[str], str, str]:
    """Exit code, the problem lines, stdout and stderr of `quizapp content check PATHS`."""
    done = subprocess.run(
        [*prefix, sys.executable, "-m", "quizapp", "content", "check", *map(str, paths)],
        capture_output=True,
        encoding="utf-8",
        errors="replace",
        timeout=60,
        env={**os.environ, "QUIZAPP_HOME": str(home)},
        preexec_fn=limit_memory,
    )
    lines = done.stdout.splitlines()
    problems: list[str] = []
    if any(line.startswith("Problems (") for line in lines):
        start = next(i for i, line in enumerate(lines) if line.startswith("Problems ("))
        for line in lines[start + 1 :]:
            if not line.startswith("  "):
                break
            problems.append(line.strip())
    return done.returncode, problems, done.stdout, done.stderr


def test_content_check_reports_each_bad_file_once(tmp_path: Path, _isolated_home: Path) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "good.toml").write_text(good("ok"), encoding="utf-8")
    (folder / "bom.toml").write_bytes(b"\xef\xbb\xbf" + good("bom").encode())
    (folder / "upper.TOML").write_text(good("up"), encoding="utf-8")
    nested_arrays(folder)
    nested_table_header(folder)
    (folder / "dotted.toml").write_text("k" + ".k" * (DEEP - 1) + " = 1\n", encoding="utf-8")
    fifo(folder)
    symlink_loop(folder)

    code, problems, out, err = content_check(folder, folder, home=_isolated_home)  # read once

    assert (code, err) == (1, ""), out + err
    # good, BOM and .TOML load
    assert out.startswith(f"Checked 9 file(s): {3 * GOOD_IDS} valid items\n")
    deep = "too deeply nested"
    assert problems == [
        f"{folder / 'dotted.toml'}: {deep}: a dotted key or table name of 100000 parts at "
        "line 1 (at most 16)",
        f"{folder / 'header.toml'}: {deep}: a dotted key or table name of 100000 parts at "
        "line 1 (at most 16)",
        f"{folder / 'loop-a.toml'}: cannot read: symbolic link loop",
        f"{folder / 'loop-b.toml'}: cannot read: symbolic link loop",
        f"{folder / 'nested.toml'}: {deep}: arrays or inline tables inside each other deeper "
        "than the TOML reader can follow",
        f"{folder / 'pipe.toml'}: cannot read: a named pipe (FIFO), not a regular file",
    ]


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("pipe.toml", "cannot read: a named pipe (FIFO), not a regular file"),
        ("loop-a.toml", "cannot read: symbolic link loop"),
    ],
)
def test_content_check_of_one_unreadable_file(
    tmp_path: Path, _isolated_home: Path, name: str, problem: str
) -> None:
    fifo(tmp_path)
    symlink_loop(tmp_path)
    code, problems, out, err = content_check(tmp_path / name, home=_isolated_home)
    assert (code, err, problems) == (1, "", [f"{tmp_path / name}: {problem}"]), out + err


def test_content_check_accepts_a_utf8_byte_order_mark(tmp_path: Path, _isolated_home: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + good("bom").encode())
    code, problems, out, err = content_check(path, home=_isolated_home)
    assert (code, err, problems) == (0, "", []), out + err
    assert out.startswith(f"Checked 1 file(s): {GOOD_IDS} valid items\n")


@pytest.fixture
def locked_out(tmp_path: Path) -> Iterator[Path]:
    """tmp_path, with every permission given back afterwards (so it can be removed)."""
    yield tmp_path
    for path in (tmp_path, *tmp_path.rglob("*")):
        with contextlib.suppress(OSError):
            path.chmod(0o755)


def test_content_check_unreadable_file_and_folder_for_real(
    locked_out: Path, _isolated_home: Path
) -> None:
    """chmod 000 for real. Permissions do not bind root: as root, the check runs without the
    capabilities that bypass them (setpriv), so they bind again."""
    prefix: list[str] = []
    if os.geteuid() == 0:
        setpriv = shutil.which("setpriv")
        if setpriv is None:
            pytest.skip("running as root without setpriv: chmod 000 would not bind")
        prefix = [setpriv, "--bounding-set=-dac_override,-dac_read_search", "--"]
    mine = locked_out / "mine"
    locked = locked_out / "locked"
    for folder in (mine, locked):
        folder.mkdir()
    (mine / "good.toml").write_text(good("ok"), encoding="utf-8")
    (mine / "secret.toml").write_text(good("sc"), encoding="utf-8")
    (locked / "hidden.toml").write_text(good("hd"), encoding="utf-8")
    (mine / "secret.toml").chmod(0)
    locked.chmod(0)
    code, problems, out, err = content_check(mine, locked, home=_isolated_home, prefix=prefix)
    assert (code, err) == (1, ""), out + err
    assert out.startswith(f"Checked 2 file(s): {GOOD_IDS} valid items\n")
    assert problems == [
        f"{locked}: cannot list this folder: permission denied",
        f"{mine / 'secret.toml'}: cannot read: permission denied",
    ]
