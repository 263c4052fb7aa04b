"""A user's own strategy class, loaded from `path/to/file.py:ClassName`.

This runs the user's code in this process, so only the CLI (or the user's own
Python) calls it, on the user's machine. The server never does: its API takes
built-in strategy names only.
"""

from __future__ import annotations

import importlib.util
import inspect
import re
import sys
import traceback
from pathlib import Path
from types import ModuleType

from invsim.backtest.strategy import Strategy

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


class UserStrategyError(ValueError):
    """A strategy reference that cannot be loaded (the message says why, in one line)."""


def is_file_reference(reference: str) -> bool:
    """Say whether a --strategy value names a file (`something.py:Class`), not a built-in."""
    path, _, _ = reference.rpartition(":")
    return path.endswith(".py")


def load_strategy(reference: str) -> type[Strategy]:
    """Import `file.py:ClassName` and return the class, which must subclass Strategy."""
    path_text, _, class_name = reference.rpartition(":")
    if not path_text.endswith(".py") or not _IDENTIFIER.match(class_name):
        raise UserStrategyError(f"{reference}: give the strategy as path/to/file.py:ClassName")
    path = Path(path_text).expanduser()
    if not path.is_file():
        raise UserStrategyError(f"{path_text}: no such file")
    module = _import(path)
    found = getattr(module, class_name, None)
    if found is None:
        classes = sorted(n for n, v in vars(module).items()
                         if inspect.isclass(v) and v.__module__ == module.__name__)
        listed = ", ".join(classes) or "none"
        raise UserStrategyError(f"{path.name} has no class {class_name} (classes: {listed})")
    if not (inspect.isclass(found) and issubclass(found, Strategy)) or found is Strategy:
        raise UserStrategyError(f"{class_name} in {path.name} is not a Strategy: subclass "
                                "invsim.backtest.strategy.Strategy")
    return found


def display_name(strategy: type[Strategy]) -> str:
    """Return the name a strategy goes by: its `name`, or its class name."""
    return strategy.name or strategy.__name__


def _import(path: Path) -> ModuleType:
    """Execute a file as a fresh module (registered, so dataclasses and pickling work)."""
    path = path.resolve()
    module_name = f"invsim_user_strategy_{abs(hash(path))}"
    spec = importlib.util.spec_from_file_location(module_name, path)
    if spec is None or spec.loader is None:
        raise UserStrategyError(f"{path.name}: cannot be imported as Python")
    module = importlib.util.module_from_spec(spec)
    sys.modules[module_name] = module
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the user's code: any failure is reported, in one line
        sys.modules.pop(module_name, None)
        where = _line_of(error, path)
        raise UserStrategyError(f"{path.name}{where}: {type(error).__name__}: "
                                f"{_first_line(error)}") from error
    return module


def _line_of(error: Exception, path: Path) -> str:
    """Return ' line N' where the error arose in the user's file, if known."""
    if isinstance(error, SyntaxError) and error.lineno:
        return f" line {error.lineno}"
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename == str(path)]
    return f" line {frames[-1].lineno}" if frames else ""


def _first_line(error: Exception) -> str:
    """Return the first line of an error's message."""
    if isinstance(error, SyntaxError):
        return error.msg
    text = str(error).strip()
    return text.splitlines()[0] if text else "(no message)"
