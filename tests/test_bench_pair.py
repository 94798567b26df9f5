"""scripts/bench_pair.py's timing of processes started together (BENCHMARKS.md, "The twenty-fourth round")."""

from __future__ import annotations

import sys
import threading
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


def test_a_process_that_writes_much_error_output_neither_stops_nor_loses_it(tmp_path: Path) -> None:
    # More than a pipe holds (64 KB): read only after the end, a pipe would stop it, and the wait.
    noisy = [sys.executable, "-c", "import sys; sys.stderr.write('x' * 300_000 + 'the end'); sys.exit(1)"]
    raised: list[BaseException] = []

    def run() -> None:
        try:
            timed_together([noisy], tmp_path, {})
        except SystemExit as error:
            raised.append(error)

    waiting = threading.Thread(target=run, daemon=True)
    waiting.start()
    waiting.join(timeout=30)
    assert not waiting.is_alive()
    assert len(raised) == 1 and str(raised[0]).endswith("the end")
