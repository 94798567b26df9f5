"""Regenerate tests/golden/mini from tests/fixtures/mini: python scripts/regenerate_goldens.py"""

from __future__ import annotations

import sys
from pathlib import Path

from surveysite.cli import main

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    sys.exit(
        main(
            [
                "--root",
                str(ROOT / "tests" / "fixtures" / "mini"),
                "--templates",
                str(ROOT / "templates"),
                "pages",
                "--out",
                str(ROOT / "tests" / "golden" / "mini"),
            ]
        )
    )
