"""Work shared between this process and one forked child, on a machine with two or more cores.

A large survey's per-file work (parsing BibTeX, reading study files, rendering pages) splits into
independent tasks. `run_split` runs the later part of a task list in a forked child while this
process runs the earlier part, then takes the child's results (and the results it added to the
Memo) back through a pipe, so the caller gets exactly what running every task here, in order, gives.

It forks only where that is safe and pays: on POSIX, with more than one core, no other thread
running (a fork copies one thread but every lock), children's ends not ignored (with SIGCHLD ignored,
as a parent process may leave it, the kernel reaps a child itself and its end cannot be awaited), and
enough work. Otherwise, and whenever the child fails for any reason (an exception, a result that
cannot be pickled, a crash), the tasks run here. `SURVEYSITE_JOBS=1` turns it off.
"""

from __future__ import annotations

import io
import os
import pickle
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from typing import Any, BinaryIO, NoReturn, TypeVar

from .cache import Mark, Memo

T = TypeVar("T")
MIN_WEIGHT = 4_000_000  # below about 4 MB of input (some 3,000 studies), a fork costs more than it saves


def jobs() -> int:
    """How many processes may share the work: SURVEYSITE_JOBS if set (1 or 2), else the usable cores."""
    setting = os.environ.get("SURVEYSITE_JOBS", "").strip()
    if setting.isascii() and setting.isdigit() and len(setting) <= 9:  # not '²', nor 5,000 digits
        return max(1, min(2, int(setting)))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return min(2, cores)


def can_fork() -> bool:
    """Whether a child may be forked here: POSIX, two jobs allowed, no other thread running, SIGCHLD
    not ignored, and not inside `one_process()`."""
    if not hasattr(os, "fork") or jobs() < 2 or _threads() != 1 or _held:
        return False
    return signal.getsignal(signal.SIGCHLD) is not signal.SIG_IGN


def fork() -> int:
    """os.fork, with this process's output streams flushed first: a child that leaves with
    child_exit then writes only what it printed itself, and nothing waiting here is written twice."""
    _flush()
    return os.fork()


def child_exit(status: int) -> NoReturn:
    """End a forked child at once (no exit handler, no cleanup of what the parent owns), its printed
    output written first: when standard output is a pipe or a file, Python holds it in a buffer."""
    _flush()
    os._exit(status)


def reap(pid: int) -> int:
    """Wait for a forked child to end: its exit status, or 0 when the kernel reaped it already (SIGCHLD
    ignored since the fork): the caller then judges it by whether what it sent arrived whole."""
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0


def _flush() -> None:
    for stream in (sys.stdout, sys.stderr):
        with suppress(AttributeError, OSError, ValueError):  # no stream, or a closed one: nothing to write
            stream.flush()


@contextmanager
def one_process() -> Iterator[None]:
    """Run everything in this process while inside (the MkDocs plugin: a fork there would copy
    MkDocs's memory too, for a saving small beside the build's own time)."""
    global _held
    before, _held = _held, True
    try:
        yield
    finally:
        _held = before


_held = False


_threads = threading.active_count  # tests stand in for it
_write = os.write  # and for this (a pipe that takes fewer bytes than it is given)


def run_split(
    tasks: Sequence[Callable[[], T]],
    weights: Sequence[int],
    memo: Memo,
    min_weight: int | None = None,
    child_share: float = 0.5,
    here: int = 0,
) -> list[T]:
    """Every task's result, in order; the first tasks run here, the later ones in a forked child.

    Weights are any measure of work (bytes, studies); below `min_weight` (MIN_WEIGHT) all run here.
    `child_share` is the share of the weight the child is meant to take: a child is slower than this
    process at work that reads much of what it inherited (each object it touches costs it a copied
    page), and what it makes is unpickled here after, so for such work the caller gives it less than
    half. The first `here` tasks run here whatever the weights (what would come back large).

    Where the two shares meet is not fixed: each process runs the first part of its share (see
    SLACK), then takes the tasks between them one run of tasks at a time, this process forward and the
    child backward, until they meet (see _Claims). The process that is quicker this time (the two
    cores of a machine are not equally fast from one minute to the next) does more, and neither waits
    long for the other. This process's tasks are always the first ones, the child's the rest; the
    child runs its own part in order, then the runs it claims, the last first.

    A task must leave alone what other tasks made or share: the child pickles each result as its task
    ends (see _send), and what the child changes stays in the child.
    """
    least = MIN_WEIGHT if min_weight is None else min_weight
    if len(tasks) < 2 or here >= len(tasks) or sum(weights) < least or not can_fork():
        return [task() for task in tasks]
    claims = _Claims.around(weights, child_share, here)
    try:  # the claims pipe closed however this ends
        return _shared(tasks, claims, memo)
    finally:
        claims.close()


def _shared(tasks: Sequence[Callable[[], T]], claims: _Claims, memo: Memo) -> list[T]:
    since = memo.mark()
    try:
        reader, writer = os.pipe()
    except OSError:  # no pipe for the results (too many open files): all run here
        return [task() for task in tasks]
    try:
        pid = fork()
    except OSError:  # no child can be made (no memory for it, too many processes): all run here
        for end in (reader, writer):
            os.close(end)
        return [task() for task in tasks]
    if pid == 0:  # the child: run its share, send it back, and leave without running any exit handler
        os.close(reader)
        _send(writer, tasks, claims, memo, since)
    try:
        os.close(writer)
        own = [tasks[i]() for i in claims.mine()]
    except BaseException:
        os.close(reader)
        os.kill(pid, signal.SIGKILL)
        reap(pid)
        raise
    with os.fdopen(reader, "rb") as stream:
        shared = _received(stream)  # read as it is unpickled
    shared = shared if reap(pid) == 0 else None
    if shared is None or sorted(shared[0]) != list(range(len(own), len(tasks))):  # the child failed
        return own + [task() for task in tasks[len(own) :]]  # its share done here
    results, changes = shared
    memo.merge(changes)
    return own + [results[index] for index in range(len(own), len(tasks))]


# The part of each share that is run before the shares' meeting point is claimed: each process's own
# part is its share less SLACK of it, and the rest (SLACK of each share) is claimed by whichever is
# quicker. With half, a child given half of the work may end up with a quarter to three quarters.
SLACK = 0.5
MOST_CLAIMS = 512  # about how many runs the claimed part is cut into (a byte each in a pipe)


class _Claims:
    """The tasks between this process's share and the child's, in runs claimed one at a time.

    A pipe holds a byte per run, its writing end closed: each process claims a run by reading one
    byte (the kernel hands each byte to one reader); reading nothing, a process stops claiming: every
    run is claimed. This process's k-th claim is the k-th run from the front, the child's the k-th
    from the back: as there are as many bytes as runs, they never claim the same run. (run_split
    closes this process's end; a child's closes as it exits.)
    """

    def __init__(self, front: int, runs: list[int], back: int, count: int, reader: int) -> None:
        self.front = front  # the tasks before it are this process's own
        self.back = back  # the tasks from it on are the child's own
        # The runs claimed, from the front: where each starts, the next one's start (or `back`) its end.
        self.spans = [range(start, end) for start, end in zip(runs, [*runs[1:], back], strict=False)]
        self.count = count
        self.reader = reader

    @classmethod
    def around(cls, weights: Sequence[int], child_share: float, here: int = 0) -> _Claims:
        """The claims around the cut at `child_share` of the weight, the first `here` tasks this
        process's own; none (that cut, fixed) if the pipe cannot be made or cannot hold them."""
        count = len(weights)
        front = _cut(weights, 1 - (1 - child_share) * (1 - SLACK))  # this process's own: the first tasks
        back = _cut(weights, child_share * (1 - SLACK))  # the child's own: the last
        front = min(max(front, here), count - 1)
        back = max(front, back)
        step = sum(weights[front:back]) / MOST_CLAIMS
        runs: list[int] = []
        running = 0
        for index in range(front, back):  # a run starts where the weight before it reaches a step more
            if not runs or (step and running >= step * len(runs)):
                runs.append(index)
            running += weights[index]
        try:
            reader, writer = os.pipe()
        except OSError:
            return cls.fixed(weights, child_share, here)
        written = -1
        try:
            os.set_blocking(writer, False)
            written = _write(writer, b"." * len(runs)) if runs else 0
        except OSError:  # a pipe too small for any of them
            pass
        finally:
            os.close(writer)  # (before a fork: a process reading nothing then knows all are claimed)
            if written != len(runs):  # too small for all of them, or interrupted
                os.close(reader)
        if written != len(runs):
            return cls.fixed(weights, child_share, here)
        return cls(front, runs, back, count, reader)

    @classmethod
    def fixed(cls, weights: Sequence[int], child_share: float, here: int = 0) -> _Claims:
        """No run to claim: the shares meet at the cut at `child_share` of the weight (or after the
        first `here` tasks)."""
        cut = min(max(_cut(weights, child_share), here), len(weights) - 1)
        return cls(cut, [], cut, len(weights), -1)

    def _claimed(self) -> bool:
        return os.read(self.reader, 1) != b""  # (any error, as any task's, fails the process that met it)

    def mine(self) -> Iterator[int]:
        """This process's tasks, in order: its own, then runs claimed from the front."""
        yield from range(self.front)
        for span in self.spans:
            if not self._claimed():
                return
            yield from span

    def theirs(self) -> Iterator[int]:
        """The child's tasks, in the order it runs them: its own, then runs claimed from the back."""
        yield from range(self.back, self.count)
        for span in reversed(self.spans):
            if not self._claimed():
                return
            yield from span

    def close(self) -> None:
        """Close this process's end of the pipe (once)."""
        if self.reader >= 0:
            os.close(self.reader)
            self.reader = -1


def _cut(weights: Sequence[int], child_share: float = 0.5) -> int:
    """The index after which about `child_share` of the weight lies (each side keeps at least one)."""
    mine, running = sum(weights) * (1 - child_share), 0
    for index, weight in enumerate(weights):
        if running + weight / 2 >= mine:
            return max(1, min(index, len(weights) - 1))
        running += weight
    return len(weights) - 1


def _send(
    writer: int,
    tasks: Sequence[Callable[[], Any]],
    claims: _Claims,
    memo: Memo,
    since: Mark,
) -> None:
    status = 1
    try:
        # Each result is pickled as soon as it is made, as part of the shared work: pickled after the
        # last task, while this process waited for them, 17 MB of loaded studies and 28 MB of views
        # took 0.11 and 0.15 s at 10,000 studies. One pickler writes them all, so what two results
        # share (or a result and the Memo) is written once and read back as one object. They wait in
        # memory (as many bytes again as the child's share of the pickle, freed as the child ends):
        # this process reads the pipe only once its own share is done.
        buffer = io.BytesIO()
        pickler = pickle.Pickler(buffer, pickle.HIGHEST_PROTOCOL)
        for index in claims.theirs():
            pickler.dump((index, tasks[index]()))
        pickler.dump((_END, memo.changes(since)))
        with os.fdopen(writer, "wb") as stream:
            stream.write(buffer.getbuffer())
        status = 0
    except BaseException:  # any failure means the parent does this share itself
        pass
    finally:
        child_exit(status)


_END = -1  # in place of a task's index: what follows is the Memo's changes, and nothing more


def _received(stream: BinaryIO) -> tuple[dict[int, Any], Any] | None:
    """The child's results by task index, and its Memo's changes; None if it failed to send them."""
    results: dict[int, Any] = {}
    try:
        unpickler = pickle.Unpickler(stream)  # one, as one pickler wrote them: see _send
        while True:
            index, value = unpickler.load()  # written by our own forked child, just now
            if index == _END:
                return results, value
            results[index] = value
    except Exception:  # nothing sent (the child failed), or a broken message: the parent redoes the share
        return None


def chunked(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """The items in runs of `size` (the last shorter), as tasks for run_split."""
    return [items[i : i + size] for i in range(0, len(items), size)]
