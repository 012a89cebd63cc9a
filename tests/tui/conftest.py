"""Makes `tui_support` (building the app on a throw-away database) and `tui_quiz_bank` (the
quiz screens' bank and helpers) importable.

The suite runs with --import-mode=importlib, so sibling modules are not on sys.path;
this conftest registers the helpers by path. `async def` tests (Pilot) are run by
pytest-asyncio, each on a fresh event loop (asyncio_mode = "auto" in pyproject.toml).
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

# helper modules of this folder, importable by these names (order: the second uses the first)
HELPERS = {
    "tui_support": "tui_support.py",
    "tui_quiz_bank": "tui_quiz_bank.py",
    "tui_sequence_bank": "tui_sequence_bank.py",
}
for _name, _file in HELPERS.items():
    if _name not in sys.modules:
        _spec = importlib.util.spec_from_file_location(_name, Path(__file__).with_name(_file))
        assert _spec is not None and _spec.loader is not None
        _module = importlib.util.module_from_spec(_spec)
        sys.modules[_name] = _module
        _spec.loader.exec_module(_module)
