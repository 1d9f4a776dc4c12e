"""Every required dependency in pyproject.toml is one the code imports: a package nobody uses is
a download for every user and a name for the school's IT person to vet."""

from __future__ import annotations

import re
import tomllib
from importlib.metadata import packages_distributions
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_required_dependency_is_imported_by_the_code():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    modules: dict[str, set[str]] = {}                         # distribution -> its top-level modules
    for module, dists in packages_distributions().items():
        for d in dists:
            modules.setdefault(_norm(d), set()).add(module)
    source = "\n".join(p.read_text() for pkg in ("analysis", "firmware_bridge", "ui") for p in (ROOT / pkg).rglob("*.py"))
    unused = []
    for dep in deps:
        dist = _norm(re.match(r"[A-Za-z0-9._-]+", dep).group())
        names = modules.get(dist)
        assert names, f"{dist} is not installed"
        if not any(re.search(rf"^\s*(import|from)\s+{re.escape(m)}\b", source, re.M) for m in names):
            unused.append(dist)
    assert unused == []
