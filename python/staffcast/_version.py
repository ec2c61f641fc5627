"""``staffcast.__version__``: the compiled core's STAFFCAST_VERSION, which CMake takes from
``project(staffcast VERSION ...)``, the one place the version is written (scikit-build-core
reads the package metadata's version from the same line)."""

from __future__ import annotations

from . import _core

__all__ = ["__version__"]

__version__: str = _core.__version__
