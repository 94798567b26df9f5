"""Writing the generated tree: an earlier run's folder is updated, rewriting only what changed."""

from __future__ import annotations

import json
import os
import shutil
import stat
import time
from pathlib import Path

import pytest

from surveysite import output
from surveysite.files import read_text
from surveysite.output import MARKER, write_tree
from surveysite.problems import Problems

from .conftest import marker_sums


def encoded(files: dict[str, str | bytes]) -> dict[str, bytes]:
    return {name: text.encode() if isinstance(text, str) else text for name, text in files.items()}


def tree(folder: Path) -> dict[str, bytes]:
    """Every file below a folder by its path there; the marker's records with their sizes and CRC-32s
    alone (as output.marker_text(output.records_of(...)) gives them), not the times written."""
    found = {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    if MARKER in found:
        found[MARKER] = marker_sums(found[MARKER])
    return found


FIRST = {"index.md": "# Home\n", "a/one.md": "one\n", "a/b/two.md": "two\n", "data.bin": b"\x00\x01"}


def test_a_second_run_leaves_unchanged_files_untouched(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    before = {name: (out / name).stat() for name in FIRST}
    write_tree(out, {**FIRST, "a/one.md": "one, revised\n"})
    for name in ("index.md", "a/b/two.md", "data.bin"):
        after = (out / name).stat()
        assert (after.st_ino, after.st_mtime_ns) == (before[name].st_ino, before[name].st_mtime_ns)
    assert (out / "a/one.md").read_text() == "one, revised\n"


def test_an_updated_tree_holds_exactly_the_new_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / ".index.md.surveysite-new").write_text("left by a killed run")
    second = {"index.md": "# Home, again\n", "c/d/three.md": "three\n", "data.bin": b"\x00\x01"}
    write_tree(out, second)
    assert tree(out) == {
        **{name: text.encode() if isinstance(text, str) else text for name, text in second.items()},
        MARKER: output.marker_text(output.records_of(second)),
    }
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_dir()) == ["c", "c/d"]


def test_a_file_where_a_folder_goes_is_replaced_as_a_whole(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    write_tree(out, {"a": "now a file\n", "index.md/inner.md": "now a folder\n"})
    assert tree(out) == {
        "a": b"now a file\n",
        "index.md/inner.md": b"now a folder\n",
        MARKER: output.marker_text(
            output.records_of({"a": "now a file\n", "index.md/inner.md": "now a folder\n"})
        ),
    }


def test_a_run_failing_while_writing_leaves_the_previous_tree_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    before = tree(out)
    real = os.write
    written: list[int] = []

    def failing(descriptor: int, data: bytes) -> int:
        if written:
            raise OSError(28, "No space left on device")
        written.append(descriptor)
        return real(descriptor, data)

    monkeypatch.setattr(output.os, "write", failing)
    with pytest.raises(output.OutputError, match="No space left"):
        write_tree(out, {**FIRST, "a/one.md": "changed\n", "index.md": "changed\n", "new/x.md": "x\n"})
    assert written  # the first changed file was written, beside its target
    assert tree(out) == before
    assert not (out / "new").exists()


def test_many_files_are_written_by_several_writers_and_a_failure_still_leaves_the_tree_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = {
        f"{folder}/s{i:04}.md": f"study {i}\n" * (i % 7 + 1)
        for i in range(3 * output._MANY_FILES // 2)
        for folder in ("studies", "downloads/studies")
    }
    out = tmp_path / "out"
    write_tree(out, many)
    assert tree(out) == {
        **{k: v.encode() for k, v in many.items()},
        MARKER: output.marker_text(output.records_of(many)),
    }
    before = tree(out)
    real, calls = os.write, []

    def failing(descriptor: int, data: bytes) -> int:
        calls.append(descriptor)
        if len(calls) > output._MANY_FILES:  # well after both writers have started
            raise OSError(28, "No space left on device")
        return real(descriptor, data)

    monkeypatch.setattr(output.os, "write", failing)
    with pytest.raises(output.OutputError, match="No space left"):
        write_tree(out, {name: "changed\n" for name in many})
    assert tree(out) == before
    assert not [p for p in out.rglob("*") if p.name.endswith(".surveysite-new")]


def test_each_folder_is_written_by_one_writer_and_the_writers_share_the_work() -> None:
    files: list[tuple[Path, str | bytes]] = [
        (Path("out") / folder / f"f{i}", "x")
        for folder, count in (("a", 900), ("b", 500), ("c", 400), ("d", 30), ("e", 1))
        for i in range(count)
    ]
    lanes = output._lanes(files, 2)
    assert sorted(f for lane in lanes for f in lane) == sorted(files)
    folders = [{path.parent for path, _ in lane} for lane in lanes]
    assert not folders[0] & folders[1]
    assert sorted(len(lane) for lane in lanes) == [901, 930]
    in_a = [path for path, _ in lanes[0] if path.parent.name == "a"]
    assert in_a == [path for path, _ in files[:900]]  # the largest folder first, in its order


def test_unchanged_names_only_the_regular_files_the_folder_holds_byte_for_byte(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    outside = tmp_path / "outside.md"
    outside.write_text("same\n")
    (out / "linked.md").symlink_to(outside)
    os.mkfifo(out / "pipe.md")  # compared without waiting for a writer
    given = {"index.md": "# Home\n", "a/one.md": "one, revised\n", "new.md": "new\n", "linked.md": "same\n"}
    given["pipe.md"] = "x\n"
    index = (out / "index.md").stat()
    assert output.unchanged(out, given) == {
        "index.md": (index.st_size, index.st_mtime_ns),  # the same bytes, as they were seen
        "pipe.md": b"x\n",  # the others as they were compared: encoded, for write_tree to write
        "a/one.md": b"one, revised\n",
        "new.md": b"new\n",  # not there
        "linked.md": b"same\n",  # the same bytes, but through a link: never taken as kept
    }


def test_kept_files_are_left_as_they_are_and_the_rest_updated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    before = (out / "a/one.md").stat()
    write_tree(out, {"index.md": "# Home, again\n"}, kept=output.unchanged(out, {"a/one.md": "one\n"}))
    after = (out / "a/one.md").stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert tree(out) == {
        "index.md": b"# Home, again\n",
        "a/one.md": b"one\n",
        MARKER: output.marker_text(output.records_of({"index.md": "# Home, again\n", "a/one.md": "one\n"})),
    }


CASES = ["kept file deleted", "kept file rewritten since", "folder not updatable in place", "new folder"]


@pytest.mark.parametrize("case", CASES)
def test_a_kept_file_that_cannot_be_kept_changes_nothing_and_says_so(tmp_path: Path, case: str) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    kept = output.unchanged(out, {"a/one.md": "one\n"})
    assert isinstance(kept["a/one.md"], tuple)
    if case == "kept file deleted":
        (out / "a/one.md").unlink()
    if case == "kept file rewritten since":  # by another run: same size, another time
        (out / "a/one.md").write_text("ONE\n")
        os.utime(out / "a/one.md", ns=(0, 1))
    files = {"index.md": "# Home, again\n"}
    if case == "folder not updatable in place":  # a folder where a file of the last run is
        files = {"index.md/inner.md": "# Home, in a folder\n"}
    if case == "new folder":
        out = tmp_path / "elsewhere"
    before = tree(out) if out.exists() else None
    with pytest.raises(output.KeptFileGone):
        write_tree(out, files, kept=kept)  # type: ignore[arg-type]
    assert (tree(out) if out.exists() else None) == before


def test_an_update_in_place_says_what_the_folder_then_holds_and_a_new_tree_leaves_that_to_a_walk(
    tmp_path: Path,
) -> None:
    """The stamp of a `pages` run keeps the output's files with their sizes and times: write_tree
    gives them when it updated the folder in place, so that the folder is not walked again."""
    out = tmp_path / "out"
    assert write_tree(out, FIRST) is None  # written anew: nothing is known without a walk
    (out / ".a.surveysite-new").write_text("left by a killed run")
    kept = output.unchanged(out, {"a/b/two.md": "two\n"})
    left = write_tree(
        out, {"index.md": "# Home, again\n", "c/d/three.md": "three\n", "data.bin": b"\x00\x01"}, kept=kept
    )  # one file changed, one kept, one left as it is, one new in new folders, one and a folder gone
    assert left is not None and left == output.tree(out)
    assert sorted(left[0]) == sorted(["index.md", "a/b/two.md", "c/d/three.md", "data.bin", MARKER])
    assert left[1] == {"a", "a/b", "c", "c/d"}
    (out / "a/b/link").symlink_to(out / "index.md")
    assert output.tree(out) is None  # anything but files and folders: no tree


def test_a_file_is_read_whole_when_the_system_gives_it_a_few_bytes_at_a_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "page.md"
    page.write_bytes(b"# A page\n\nRead in pieces.\n")
    real = os.read
    monkeypatch.setattr(output.os, "read", lambda descriptor, most: real(descriptor, min(most, 3)))
    size = page.stat().st_size
    assert output.holds(page, size, b"# A page\n\nRead in pieces.\n".__eq__) is not None
    assert output.holds(page, size, b"# A page\n\nRead in pieces!\n".__eq__) is None
    assert read_text(tmp_path, page, Problems(), 100) == "# A page\n\nRead in pieces.\n"


def _users(out: Path) -> None:
    """What a user puts in a folder an earlier run wrote: notes, a git checkout, a site built there,
    an empty folder, a link, and a file in a folder of the run's own."""
    (out / "NOTES.md").write_text("my notes")
    (out / ".git").mkdir()
    (out / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (out / "site").mkdir()
    (out / "site" / "index.html").write_text("built from the export")
    (out / "drafts").mkdir()
    (out / "link").symlink_to(out / "index.md")
    (out / "a" / "b" / "mine.txt").write_text("mine")


USERS = {
    "NOTES.md": b"my notes",
    ".git/HEAD": b"ref: refs/heads/main\n",
    "site/index.html": b"built from the export",
    "a/b/mine.txt": b"mine",
}


def test_what_the_user_put_in_an_earlier_runs_folder_is_kept_and_the_rest_updated(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    _users(out)
    second = {"index.md": "# Home, again\n", "c/d/three.md": "three\n"}  # a/one.md, a/b/two.md, data.bin gone
    left = write_tree(out, second)
    assert {name: data for name, data in tree(out).items() if name != "link"} == {
        **{name: text.encode() for name, text in second.items()},
        MARKER: output.marker_text(output.records_of(second)),
        **USERS,
    }
    assert (out / "drafts").is_dir() and (out / "link").is_symlink()
    assert not (out / "a" / "one.md").exists() and (out / "a" / "b").is_dir()
    assert left is not None and sorted(left[0]) == sorted([*second, MARKER, *USERS])
    write_tree(out, FIRST)  # and back: the user's files are still the user's
    assert (out / "NOTES.md").read_text() == "my notes" and (out / "a" / "one.md").read_text() == "one\n"


@pytest.mark.parametrize(
    ("mine", "files"),
    [
        ("c/d/three.md", {"c/d/three.md": "three\n"}),  # a file of the user's where the run writes one
        ("c", {"c/d/three.md": "three\n"}),  # a file of the user's where the run needs a folder
        ("c/d", {"c/d": "a file\n"}),  # a folder holding the user's file where the run writes one
    ],
)
def test_a_run_that_would_write_over_what_the_user_put_there_changes_nothing_and_names_it(
    tmp_path: Path, mine: str, files: dict[str, str]
) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    path = out / mine
    if mine == "c/d":
        (path).mkdir(parents=True)
        (path / "x.txt").write_text("mine")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("mine")
    before = tree(out)
    with pytest.raises(output.OutputError, match=f"{out / mine} was not written by surveysite"):
        write_tree(out, {**FIRST, **files})
    assert tree(out) == before


def test_with_the_users_files_there_a_tree_of_another_shape_is_written_in_place(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / "NOTES.md").write_text("my notes")
    write_tree(out, {"a": "now a file\n", "index.md/inner.md": "now a folder\n"})
    assert tree(out) == {
        "a": b"now a file\n",
        "index.md/inner.md": b"now a folder\n",
        MARKER: output.marker_text(
            output.records_of({"a": "now a file\n", "index.md/inner.md": "now a folder\n"})
        ),
        "NOTES.md": b"my notes",
    }


@pytest.mark.parametrize(
    "marker",
    [
        b"written by surveysite; replaced on every run\n",
        b"written by `surveysite pages`; replaced on every run\n",
    ],
)
def test_a_folder_whose_marker_lists_no_files_is_written_only_when_it_holds_nothing_else(
    tmp_path: Path, marker: bytes
) -> None:
    """An earlier version's marker named no files: it cannot tell the user's files from an earlier
    run's. Taken for the run's, a data-safety trial's export deleted the folder's .git
    and notes; kept as the user's, a review's deleted study stayed published. What the folder holds
    besides what the run writes is named, and nothing is changed; a folder of the run's files alone
    is written, and its marker lists them from then on."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / MARKER).write_bytes(marker)
    (out / "NOTES.md").write_text("from before")
    (out / ".git").mkdir()
    (out / ".git" / "config").write_text("[core]\n")
    before = tree(out)
    with pytest.raises(output.OutputError) as refused:
        write_tree(out, {"index.md": "# Home\n", "data.bin": b"\x00\x01"})
    said = str(refused.value)
    assert "lists no files" in said and ".git/config, NOTES.md, a/b/two.md and 1 more" in said, said
    assert tree(out) == before
    for name in (".git/config", "NOTES.md", "a/b/two.md", "a/one.md"):
        (out / name).unlink()
    write_tree(out, {"index.md": "# Home again\n", "data.bin": b"\x00\x01"})
    assert tree(out) == {
        "index.md": b"# Home again\n",
        "data.bin": b"\x00\x01",
        MARKER: output.marker_text(
            output.records_of({"data.bin": b"\x00\x01", "index.md": "# Home again\n"})
        ),
    }


def test_an_empty_folder_is_written_into_not_replaced(tmp_path: Path) -> None:
    """Replaced, an empty output folder lost its mode (and owner), and a shell inside it was left in a
    folder that no longer existed: `cd EMPTY && surveysite export .` wrote the site and failed."""
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o2775)
    inode = out.stat().st_ino
    write_tree(out, FIRST)
    assert out.stat().st_ino == inode and stat.S_IMODE(out.stat().st_mode) == 0o2775
    assert {name for name in tree(out)} == {*FIRST, MARKER}


@pytest.mark.parametrize("how", ["replaced", "deleted by the run", "same size and time"])
def test_a_file_edited_since_the_last_run_is_neither_replaced_nor_deleted(tmp_path: Path, how: str) -> None:
    """The marker gives each file's size and CRC-32 as written: an edit is found even when it keeps the
    file's size and time, and the run stops before it changes anything."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    status = (out / "a/one.md").stat()
    (out / "a/one.md").write_text("ONE\n" if how == "same size and time" else "one, and my note\n")
    if how == "same size and time":
        os.utime(out / "a/one.md", ns=(status.st_atime_ns, status.st_mtime_ns))
    before = tree(out)
    files = {name: text for name, text in FIRST.items() if name != "a/one.md" or how != "deleted by the run"}
    if how != "deleted by the run":
        files["a/one.md"] = "one, revised\n"
    with pytest.raises(
        output.OutputError, match=r"a file surveysite wrote \(a/one.md\) has been edited since"
    ):
        write_tree(out, files)
    assert tree(out) == before
    (out / "a/one.md").unlink()
    write_tree(out, files)
    assert tree(out) == {**encoded(files), MARKER: output.marker_text(output.records_of(files))}


def test_a_file_edited_to_what_the_run_writes_and_a_copied_folder_are_written_as_usual(
    tmp_path: Path,
) -> None:
    """What is not lost is not refused: a file that holds what the run writes, and a folder copied (every
    file's time new, its bytes the same), then run again with a change."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / "a/one.md").write_text("one, revised\n")
    write_tree(out, {**FIRST, "a/one.md": "one, revised\n"})
    copy = tmp_path / "copy"
    shutil.copytree(out, copy, copy_function=shutil.copy)
    second = {**FIRST, "a/one.md": "one, again\n", "index.md": "# Home, again\n"}
    write_tree(copy, second)
    assert tree(copy) == {**encoded(second), MARKER: output.marker_text(output.records_of(second))}


def test_a_marker_of_the_last_version_listing_names_alone_is_read_and_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / MARKER).write_bytes(output.MARKER_TEXT + json.dumps(sorted(FIRST)).encode() + b"\n")
    (out / "a/one.md").write_text("one, edited: not known without sizes and sums\n")
    files: dict[str, str | bytes] = {
        "index.md": "# Home, again\n",
        "a/one.md": "one\n",
        "data.bin": b"\x00\x01",
    }
    write_tree(out, files, kept=output.unchanged(out, {"a/b/two.md": "two\n"}))  # type: ignore[arg-type]
    assert (out / "index.md").read_text() == "# Home, again\n"
    listed = json.loads((out / MARKER).read_bytes().partition(b"\n")[2])
    assert {name: record[:2] for name, record in listed.items()} == {
        name: list(record) for name, record in output.records_of({**files, "a/b/two.md": "two\n"}).items()
    }
    assert all(record[2] == (out / name).stat().st_mtime_ns for name, record in listed.items())


@pytest.mark.parametrize("where", ["new folder", "earlier run's folder"])
def test_a_write_the_system_refuses_names_the_output_folder_not_a_staging_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A data-safety trial's read-only parent folder was told "Permission denied: '.../.out.k2j3x'", a
    folder it never saw (and a full disk named '.index.md.surveysite-new')."""
    out = tmp_path / "out"
    if where == "new folder":

        def refused(prefix: str, dir: Path) -> str:
            raise PermissionError(13, "Permission denied", str(Path(dir) / f"{prefix}k2j3x"))

        monkeypatch.setattr(output.tempfile, "mkdtemp", refused)
        said = rf"cannot use {out}: Permission denied \(writing in {tmp_path}\)$"
    else:
        write_tree(out, FIRST)

        real_open = os.open

        def full(path: Path, flags: int, *args: int) -> int:
            if flags & os.O_WRONLY:
                raise OSError(28, "No space left on device", str(path))
            return real_open(path, flags, *args)

        monkeypatch.setattr(output.os, "open", full)
        said = rf"cannot use {out}: No space left on device \({out / 'index.md'}\)$"
    before = tree(out) if out.exists() else None
    with pytest.raises(output.OutputError, match=said) as refused_write:
        write_tree(out, {**FIRST, "index.md": "# Home, again\n"})
    assert "surveysite-new" not in str(refused_write.value) and ".out." not in str(refused_write.value)
    assert (tree(out) if out.exists() else None) == before


@pytest.mark.parametrize(
    ("listed", "said"),
    [
        (b'{"index.md":[7,1,2],,}', r"\.surveysite-pages cannot be read \(its list is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, r"\.surveysite-pages cannot be read \(its list is not JSON"),
        (b'"index.md"', r"\.surveysite-pages cannot be read \(its list is neither names nor records\)"),
        (b"", r"\.surveysite-pages cannot be read \(it lists no files\)"),
        (b"{}", r"\.surveysite-pages cannot be read \(it lists no files\)"),
        (b"header", r"\.surveysite-pages cannot be read \(its first line is not the one surveysite writes\)"),
        (b"empty", r"\.surveysite-pages cannot be read \(its first line is not the one surveysite writes\)"),
        (None, r"a file surveysite wrote \(a/one\.md\) its record in \.surveysite-pages is damaged"),
    ],
    ids=[
        "a stray comma",
        "nested past Python's limit",
        "a string",
        "its list deleted",
        "its list emptied",
        "its first line deleted",
        "the file emptied",
        "a negative number in one record",
    ],
)
def test_a_marker_damaged_by_hand_loses_no_edit(tmp_path: Path, listed: bytes | None, said: str) -> None:
    """A review typed a stray comma into the marker (and, elsewhere, made one record negative): it was
    taken for the oldest version's, which lists no files, and an edit was replaced without a word."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    head, _, rest = (out / MARKER).read_bytes().partition(b"\n")
    if listed is None:
        records = json.loads(rest)
        records["a/one.md"][0] = -1
        listed = json.dumps(records).encode()
    if listed == b"header":
        (out / MARKER).write_bytes(rest)
    elif listed == b"empty":
        (out / MARKER).write_bytes(b"")
    else:
        (out / MARKER).write_bytes(head + b"\n" + listed + b"\n")
    (out / "a/one.md").write_text("one, and my note\n")
    before = tree(out)
    with pytest.raises(output.OutputError, match=said):
        write_tree(out, {**FIRST, "a/one.md": "one, revised\n"})
    assert tree(out) == before


def test_a_folder_that_cannot_be_read_whole_is_not_written_anew(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review's output folder held a subfolder the walk could not read: it was taken for a tree of
    another shape, written anew as a whole, and the user's notes and an edit were gone."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / "notes").mkdir()
    (out / "notes" / "todo.txt").write_text("mine")
    real = os.scandir

    def refusing(path: str) -> object:
        if str(path).endswith("notes"):
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    before = tree(out)
    monkeypatch.setattr(output.os, "scandir", refusing)
    with pytest.raises(output.OutputError, match=r"out cannot be read whole: Permission denied \(.*notes\)"):
        write_tree(out, {**FIRST, "index.md": "# Home, again\n"})
    monkeypatch.undo()
    assert tree(out) == before


def test_a_file_edited_to_what_a_run_writes_is_not_taken_for_an_edit_by_a_later_run(tmp_path: Path) -> None:
    """The last marker's sum was carried over for a kept file of the same size: a file edited to exactly
    what the run wrote kept the sum of what it held before, and the run after that refused it."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / "a/one.md").write_text("ONE\n")  # the same size
    write_tree(out, {"index.md": "# Home\n"}, kept=output.unchanged(out, {"a/one.md": "ONE\n"}))  # type: ignore[arg-type]
    write_tree(out, {"index.md": "# Home\n", "a/one.md": "one, again\n"})
    assert (out / "a/one.md").read_text() == "one, again\n"


@pytest.mark.parametrize("stopped_at", [1, 2, 3, 4])
def test_a_run_stopped_between_its_renames_leaves_a_folder_the_next_run_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stopped_at: int
) -> None:
    """A review's Ctrl-C between the renames left the files not yet renamed with their old bytes while the
    marker gave the new ones: every later run refused them as edited. A run after the stopped one, with
    other files again, writes them; and one that deletes a file, stopped, deletes it next time."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    real, calls = os.replace, []

    def stopping(source: object, target: object) -> None:
        calls.append(target)
        if len(calls) == stopped_at:
            raise KeyboardInterrupt
        real(source, target)  # type: ignore[arg-type]

    monkeypatch.setattr(output.os, "replace", stopping)
    second = {"index.md": "# Home, again\n", "a/one.md": "one, revised\n", "data.bin": b"\x00\x02"}
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, second)  # a/b/two.md to delete
    monkeypatch.undo()
    third = {"index.md": "# Home, a third time\n", "a/one.md": "one\n", "data.bin": b"\x00\x01"}
    write_tree(out, third)
    assert tree(out) == {**encoded(third), MARKER: output.marker_text(output.records_of(third))}


def test_a_file_to_delete_of_a_marker_of_names_alone_is_deleted_after_a_run_stopped_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review upgraded from the marker that gave names alone, and stopped the run before it deleted a
    removed study's page: the marker then no longer listed it, and it stayed published as the user's."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    (out / MARKER).write_bytes(output.MARKER_TEXT + json.dumps(sorted(FIRST)).encode() + b"\n")

    def stopping(path: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "unlink", stopping)
    second = {name: text for name, text in FIRST.items() if name != "a/b/two.md"}
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, second)
    monkeypatch.undo()
    assert (out / "a/b/two.md").exists()
    write_tree(out, second)
    assert tree(out) == {**encoded(second), MARKER: output.marker_text(output.records_of(second))}


def test_a_run_stopped_before_its_renames_leaves_no_staged_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A review's Ctrl-C at the first rename left every staged file (the downloads among them) beside
    its target, until a run that wrote something."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    before = tree(out)

    def stopping(source: object, target: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", stopping)
    with pytest.raises(KeyboardInterrupt):
        write_tree(out, {**FIRST, "index.md": "# Home, again\n", "a/one.md": "one, again\n"})
    monkeypatch.undo()
    assert tree(out) == before


def test_a_folder_whose_files_have_crlf_line_ends_is_not_taken_for_edited(tmp_path: Path) -> None:
    """A review cloned a published output folder with `git clone -c core.autocrlf=true` (Git for
    Windows' default): every text file then ends its lines in CR LF, and all were refused as edited.
    Line ends are not an edit; any other change still is."""
    out = tmp_path / "out"
    files = {**FIRST, "a/one.md": "one\ntwo\n"}
    write_tree(out, files)
    for name in ("a/one.md", "index.md"):
        (out / name).write_bytes((out / name).read_bytes().replace(b"\n", b"\r\n"))
    (out / "a/b/two.md").write_bytes(b"two, mine\r\n")
    with pytest.raises(output.OutputError, match=r"a file surveysite wrote \(a/b/two\.md\) has been edited"):
        write_tree(
            out, {name: text + "more\n" if isinstance(text, str) else text for name, text in files.items()}
        )
    (out / "a/b/two.md").unlink()
    second = {name: text + "more\n" if isinstance(text, str) else text for name, text in files.items()}
    write_tree(out, second)
    assert tree(out) == {**encoded(second), MARKER: output.marker_text(output.records_of(second))}


@pytest.mark.parametrize(
    "leftover", ["killed while staging", "holds a file of its own", "still being written"]
)
def test_a_staging_folder_a_killed_run_left_beside_the_output_is_cleared(
    tmp_path: Path, leftover: str
) -> None:
    """A data-safety trial's export killed with SIGKILL left its staging folder (.out.k2j3x...) beside the
    output, for good. The next run deletes such a folder when it holds only files the run writes and
    has not been touched for a minute (another run may still be writing into its own)."""
    out = tmp_path / "out"
    write_tree(out, FIRST)
    staging = tmp_path / ".out.k2j3x_7a"
    (staging / "a").mkdir(parents=True)
    (staging / "a/one.md").write_text("one\n")
    (staging / "index.md").write_text("# Ho")  # cut short
    if leftover == "holds a file of its own":
        (staging / "notes.txt").write_text("mine")
    (tmp_path / ".out.notes").mkdir()  # not a name a run gives its folders
    if leftover != "still being written":
        old = time.time_ns() - 2 * output.LEFTOVER_AGE_NS
        for folder in (staging / "a", staging):
            os.utime(folder, ns=(old, old))
    write_tree(out, {**FIRST, "index.md": "# Home, again\n"})
    assert staging.exists() == (leftover != "killed while staging")
    assert (tmp_path / ".out.notes").is_dir()
