"""Every page of docs/ that the code or the documentation names exists (analysis/scheme.py
named docs/grading.md, which was missing)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NAMED = re.compile(r"docs/[A-Za-z0-9_./-]+\.md")


def test_named_doc_pages_exist():
    sources = [p for d in ("analysis", "firmware_bridge", "ui", "benchmarks") for p in (ROOT / d).rglob("*.py")]
    sources += [ROOT / "README.md", *(ROOT / "docs").glob("*.md")]
    named = {(m, p.relative_to(ROOT)) for p in sources for m in NAMED.findall(p.read_text(encoding="utf-8"))}
    assert named, "no page named at all: the pattern is wrong"
    missing = sorted(f"{m} (named in {p})" for m, p in named if not (ROOT / m).is_file())
    assert missing == []


def test_the_grading_page_gives_the_scheme_and_its_parameters():
    text = (ROOT / "docs" / "grading.md").read_text(encoding="utf-8")
    for option in ("--r1", "--alpha", "--min-amplitude", "--target"):
        assert option in text
    assert "docs/grading.md" in (ROOT / "analysis" / "scheme.py").read_text(encoding="utf-8")
