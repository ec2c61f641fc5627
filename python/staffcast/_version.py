"""``staffcast.__version__``: the compiled core's STAFFCAST_VERSION, which CMake takes from
``project(staffcast VERSION ...)`` (the one place the version is written). An older core
without the attribute falls back to the installed distribution's metadata, which
scikit-build-core reads from the same line."""

from __future__ import annotations

import importlib.metadata

from . import _core

__all__ = ["__version__"]

__version__: str = getattr(_core, "__version__", None) or importlib.metadata.version("staffcast")
