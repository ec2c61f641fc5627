"""Prints the Python requirements of pyproject.toml (runtime, the given extras, build)."""

import sys
import tomllib

with open("pyproject.toml", "rb") as handle:
    project = tomllib.load(handle)
requirements = list(project["build-system"]["requires"])
requirements += project["project"]["dependencies"]
for extra in sys.argv[1:]:
    requirements += project["project"]["optional-dependencies"][extra]
print("\n".join(requirements))
