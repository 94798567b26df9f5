"""Regenerate tests/golden/<name> from tests/fixtures/<name> for every fixture survey:
python scripts/regenerate_goldens.py"""

from __future__ import annotations

import sys
from pathlib import Path

from surveysite.cli import main

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ("mini", "wide")

if __name__ == "__main__":
    for name in FIXTURES:
        status = main(
            [
                "--no-cache",
                "--root",
                str(ROOT / "tests" / "fixtures" / name),
                "pages",
                "--out",
                str(ROOT / "tests" / "golden" / name),
            ]
        )
        if status:
            sys.exit(status)
