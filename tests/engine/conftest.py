"""Makes the plain-Python reference math importable as `independent_math`.

The suite runs with --import-mode=importlib, so sibling modules are not on sys.path;
this conftest (loaded before the tests in this folder) registers the helper by path.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

if "independent_math" not in sys.modules:
    _spec = importlib.util.spec_from_file_location(
        "independent_math", Path(__file__).with_name("independent_math.py")
    )
    assert _spec is not None and _spec.loader is not None
    _module = importlib.util.module_from_spec(_spec)
    sys.modules["independent_math"] = _module
    _spec.loader.exec_module(_module)
