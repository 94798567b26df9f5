"""scripts/cold_stages.py, which makes BENCHMARKS.md's table of where a cold run's time goes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "cold_stages.py"

LOAD = "<module> (surveysite:8);load_sources (surveysite/loading.py:90);_part (surveysite/loading.py:191)"
VIEWS = "<module> (surveysite:8);Views.__init__ (surveysite/views.py:339);Views._study_views (views.py:553)"
RAW = "\n".join([
    f"{LOAD};parse_part (surveysite/bibliography.py:127);parse_string (bibtexparser/entrypoint.py:203) 40",
    f"{LOAD};parse_part (surveysite/bibliography.py:147) 5",
    f"{LOAD};parse_part (surveysite/bibliography.py:218);read_entries (surveysite/bibblock.py:80) 10",
    f"{LOAD};parse_part (surveysite/bibliography.py:230);_identifier_fault (surveysite/bibliography.py:75) 5",
    f"{VIEWS};related_of (surveysite/related.py:48) 10",
    f"{VIEWS} 20",
    "<module> (surveysite:8);main (surveysite/cli.py:98) 10",
])  # fmt: skip


def test_each_sample_counts_once_in_the_first_stage_its_stack_passes_through(tmp_path: Path) -> None:
    raw = tmp_path / "cold.raw"
    raw.write_text(RAW, encoding="utf-8")
    done = subprocess.run([sys.executable, str(SCRIPT), str(raw), "--rate", "10"], capture_output=True,
                          text=True, check=True)  # fmt: skip
    rows = {
        cells[0]: (float(cells[1]), cells[2])
        for line in done.stdout.splitlines()[2:]
        if (cells := [cell.strip() for cell in line.strip("|").split("|")])
    }
    assert rows["bibtexparser parse_string (the bare parse's work)"] == (4.0, "40 %")  # not also parse_part
    assert rows["the quick BibTeX reader (bibblock, the same work for the usual layout)"] == (1.0, "10 %")
    assert rows["our BibTeX checks and records (parse_part, beyond the parse)"] == (1.0, "10 %")
    assert rows["related studies"] == (1.0, "10 %")  # inside the study views: counted as itself
    assert rows["study views"] == (2.0, "20 %")
    assert rows["other"] == (1.0, "10 %")
    assert rows["the whole run"] == (10.0, "100 %")
    assert rows["study files: YAML"] == (0.0, "0 %")


def test_serial_counts_only_the_samples_outside_the_shared_work(tmp_path: Path) -> None:
    shared = (
        "<module> (surveysite:8);run_split (surveysite/parallel.py:126);_shared (surveysite/parallel.py:150)"
    )
    raw = tmp_path / "parent.raw"
    raw.write_text("\n".join([
        f"{shared};_study_views (surveysite/views.py:770) 30",
        "<module> (surveysite:8);_find_and_load (<frozen importlib._bootstrap>:1176) 4",
        "<module> (surveysite:8);write_tree (surveysite/output.py:160) 6",
    ]), encoding="utf-8")  # fmt: skip
    done = subprocess.run([sys.executable, str(SCRIPT), str(raw), "--rate", "10", "--serial"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    rows = {cells[0]: cells[1] for line in done.stdout.splitlines()[2:]
            if (cells := [cell.strip() for cell in line.strip("|").split("|")])}  # fmt: skip
    assert rows["imports"] == "0.40" and rows["writing the output"] == "0.60"
    assert rows["study views"] == "0.00" and rows["the whole run"] == "1.00"
