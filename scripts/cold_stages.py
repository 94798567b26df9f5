"""Where a run's time goes, by stage: the table of BENCHMARKS.md ("Where a cold run's time goes").

Reads py-spy's raw output (one line per distinct stack: frames joined by ';', then a count) and
counts each sample once, in the first stage of STAGES its stack passes through. To record one cold
run in one process, at 10,000 studies, into a folder holding the last run's output (as bench.py
times it):

    pip install py-spy        # into any environment: it samples another process
    cd /tmp/bench/synthetic-10000
    SURVEYSITE_JOBS=1 py-spy record -r 200 -f raw -o cold.raw -- .../.venv/bin/surveysite \\
        --no-cache pages --out /tmp/bench/pages-10000
    python scripts/cold_stages.py cold.raw

Samples are taken 200 times a second of the process's own time, so the seconds are py-spy's, a
little above the run's; the shares are what the table is for.

With --serial, of a run in two processes (recorded without SURVEYSITE_JOBS=1; py-spy follows the
first process only), it counts only the samples outside the shared work (parallel._shared): what
that process does while the other core has nothing to do. In a cold run those seconds count whole,
the shared ones by half.
"""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

CHECKS = ("validate (surveysite/validate", "check_rules", "claim_addresses", "build_catalog (", "load_pages",
          "load_taxonomy", "table_files", "check_survey")  # fmt: skip
# (stage, what a frame of it names): in this order, the first that a stack passes through counts it.
STAGES = (
    ("bibtexparser parse_string (the bare parse's work)", ("parse_string (bibtexparser",)),
    ("the quick BibTeX reader (bibblock, the same work for the usual layout)", ("read_entries (",)),
    (
        "our BibTeX checks and records (parse_part, beyond the parse)",
        ("parse_part (",),
    ),  # the identifiers are checked as each entry is read (_identifier_fault, within parse_part)
    ("references from records (make_reference)", ("make_reference (",)),
    ("study files: YAML", ("load_yaml (",)),
    ("study files: reading, checks, annotation", ("_read (surveysite/loading",)),
    ("loading: the rest", ("load_sources (",)),
    ("checks and catalog (validate, rules, addresses, catalog)", CHECKS),
    ("related studies", ("related_of (", "related_places (", "related_studies (")),
    ("study views", ("Views._study_views (",)),
    ("views: the rest", ("Views.__init__ (",)),
    ("study pages (Jinja)", ("_study_pages (",)),
    ("downloads (BibTeX, CSV, JSON)", ("_downloads (",)),
    ("RIS, taxonomy, feeds", ("_reading_files (",)),
    ("table data, matrix data, site feed", ("_data_files (",)),
    ("home, node, matrix, what's new pages", ("_head_pages (", "_tail_pages (")),
    ("comparing with the output folder", ("_compared (", "unchanged (")),
    ("render: the rest", ("render_site (",)),
    ("writing the output", ("write_tree (",)),
    ("imports", ("_find_and_load",)),
)
RATE = 200  # samples a second, as recorded above


SHARED = "_shared (surveysite/parallel"  # a frame of the work shared with a child (see --serial)


def stages(raw: str, rate: int = RATE, serial: bool = False) -> tuple[dict[str, float], float]:
    """Seconds of samples by stage ('other' for the rest), and in all; with `serial`, only those of
    samples outside the shared work."""
    counts: Counter[str] = Counter()
    for line in raw.splitlines():
        if not line.strip():
            continue
        stack, count = line.rsplit(" ", 1)
        if serial and SHARED in stack:
            continue
        name = next((name for name, marks in STAGES if any(mark in stack for mark in marks)), "other")
        counts[name] += int(count)
    seconds = {name: counts[name] / rate for name in [*(n for n, _ in STAGES), "other"]}
    return seconds, sum(counts.values()) / rate


def table(seconds: dict[str, float], total: float) -> str:
    """The Markdown table of BENCHMARKS.md."""
    lines = ["| stage | s of samples | share |", "| --- | ---: | ---: |"]
    lines += [f"| {name} | {s:.2f} | {s / total * 100:.0f} % |" for name, s in seconds.items()]
    lines.append(f"| the whole run | {total:.2f} | 100 % |")
    return "\n".join(lines)


def main() -> None:
    raw_help = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw_help)
    parser.add_argument("raw", type=Path, help="py-spy's raw output (record -f raw)")
    parser.add_argument("--rate", type=int, default=RATE, help="the sampling rate it was recorded at")
    parser.add_argument("--serial", action="store_true", help="only the samples outside the shared work")
    args = parser.parse_args()
    seconds, total = stages(args.raw.read_text(encoding="utf-8"), args.rate, args.serial)
    print(table(seconds, total))


if __name__ == "__main__":
    main()
