"""Write a generated tree to a folder atomically, never touching a folder it did not create."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Mapping
from pathlib import Path

MARKER = ".surveysite-pages"


class OutputError(Exception):
    """The output folder cannot be used."""


def write_tree(out: Path, pages: Mapping[str, str | bytes]) -> None:
    """Replace `out` with exactly these files (text or bytes); a failed run leaves the previous tree whole."""
    out = out.resolve()
    # An empty folder holds nothing to lose; any other folder must carry the marker of an earlier run.
    if out.exists() and not (out.is_dir() and (not any(out.iterdir()) or (out / MARKER).is_file())):
        raise OutputError(
            f"{out} exists and was not written by surveysite (no {MARKER} file); "
            "choose a new or empty output folder"
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        for name, text in sorted(pages.items()):
            target = staging / name
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(text, bytes):
                target.write_bytes(text)
            else:
                target.write_text(text, encoding="utf-8")
        (staging / MARKER).write_text("written by surveysite; replaced on every run\n")
        if out.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{out.name}.old.", dir=out.parent))
            out.rename(retired / out.name)
            staging.rename(out)
            shutil.rmtree(retired)
        else:
            staging.rename(out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
