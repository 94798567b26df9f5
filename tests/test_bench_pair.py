"""scripts/bench_pair.py's timing of processes started together (BENCHMARKS.md, "What two processes give")."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from bench_pair import timed_together


def test_each_process_is_timed_to_its_own_end_from_the_common_start(tmp_path: Path) -> None:
    slow = [sys.executable, "-c", "import time; time.sleep(0.6)"]
    quick = [sys.executable, "-c", "import time; time.sleep(0.05)"]
    times = timed_together([slow, quick], tmp_path, {})
    assert len(times) == 2
    assert times[0] >= 0.6  # in the order given, each to its own end
    assert times[1] < times[0] - 0.3  # not held to the slower one's end


def test_a_failed_process_stops_the_benchmark_with_what_it_printed(tmp_path: Path) -> None:
    failing = [sys.executable, "-c", "import sys; sys.exit('no survey here')"]
    with pytest.raises(SystemExit, match="no survey here"):
        timed_together([failing], tmp_path, {})
