"""Copies of simulated recordings for gradecoach evaluate, with their truth files edited by hand."""

from __future__ import annotations

import json
import shutil


def _copy(made, tmp_path, name="g3"):
    for suffix in (".csv", ".expected.jsonl"):
        shutil.copy(made / f"{name}{suffix}", tmp_path / f"{name}{suffix}")
    return tmp_path / f"{name}.csv"


def _edit_truth(csv, change):
    t = csv.with_name(csv.stem + ".expected.jsonl")
    lines = [json.loads(x) for x in t.read_text().splitlines()]
    lines = change(lines) or lines
    t.write_text("".join(json.dumps(e) + "\n" for e in lines))
