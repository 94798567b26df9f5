"""The record of the page addresses a site has published (content/published.txt): `check` names every
recorded address the site no longer has (a node's id or a study's key renamed), and `surveysite
published` adds the ones it has, leaving every line there as it is."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from surveysite.build import Project
from surveysite.cli import main
from surveysite.problems import Problems
from surveysite.published import HEADER, PUBLISHED_PATH, _likely_new, _MovedFolders, read_moves

from .conftest import MINI, ROOT, MakeProject, edit, messages, strict_build

MINI_ADDRESSES = [
    "about/",
    "alpha/",
    "alpha/one/",
    "alpha/two/",
    "beta/",
    "studies/lee2023third/",
    "studies/mueller2021first/",
    "studies/smith2022second/",
]
FIRST = "content/studies/mueller2021first.yaml"


def record(project: Project) -> str:
    return (project.root / PUBLISHED_PATH).read_text(encoding="utf-8")


def published(project: Project, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["--root", str(project.root), "published"])
    out, err = capsys.readouterr()
    return code, out, err


def published_then_renamed(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> Project:
    """The mini survey with its addresses recorded, then its leaf alpha/one renamed alpha/first."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    edit(project, "content/taxonomy.yaml", "- id: one", "- id: first")
    for study in (project.root / "content" / "studies").glob("*.yaml"):
        text = study.read_text(encoding="utf-8")
        study.write_text(text.replace("alpha/one", "alpha/first"), encoding="utf-8")
    return project


def test_published_writes_every_page_address_and_check_is_clean(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    assert messages(project) == []  # no record: no such check
    assert published(project, capsys) == (0, "", f"Added 8 page addresses to {PUBLISHED_PATH}.\n")
    assert record(project) == HEADER + "".join(f"{address}\n" for address in MINI_ADDRESSES)
    assert messages(project) == []
    assert published(project, capsys) == (
        0,
        "",
        f"{PUBLISHED_PATH} records every page address the site has; nothing to add.\n",
    )


def test_a_renamed_node_is_told_at_its_recorded_line(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial renamed a leaf's id, then its studies' categories: check said nothing, and
    the leaf's page, linked to from elsewhere, was gone from the built site."""
    project = published_then_renamed(make_project, capsys)
    line = HEADER.count("\n") + MINI_ADDRESSES.index("alpha/one/") + 1
    assert messages(project) == [
        f"{PUBLISHED_PATH}:1: warning: 1 of the site's page addresses is not recorded here (/alpha/first/); "
        "once the site is published with them, run `surveysite published` to add them",
        f"{PUBLISHED_PATH}:{line}: /alpha/one/ was published, and the site no longer has it: every link to "
        "it breaks. A node's id or a study's key renamed or removed? Give it back its old one; to send its "
        "readers to its new address, write 'alpha/one/ -> alpha/first/' on this line (/alpha/first/, which "
        "the record lacks, may be it); to retire the address on purpose, remove this line",
    ]
    code = main(["--root", str(project.root), "check"])
    assert code == 1
    capsys.readouterr()
    # `published` adds the new address and keeps the old one: only a hand retires an address.
    assert published(project, capsys)[0] == 0
    assert record(project).endswith("studies/smith2022second/\nalpha/first/\n")
    assert [m.split(": ")[0] for m in messages(project)] == [f"{PUBLISHED_PATH}:{line}"]
    assert "'alpha/one/ -> new/address/' on this line; to retire" in messages(project)[0]  # none unrecorded
    edit(project, PUBLISHED_PATH, "alpha/one/\n", "")
    assert messages(project) == []


def test_a_renamed_class_is_offered_its_new_address_and_its_nodes_theirs(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial renamed a class: check offered 'new/address/' for it and for each of its
    nodes. The one new folder beside it holding the same nodes is offered, and each node there; not
    when the new folder holds other nodes."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    edit(project, "content/taxonomy.yaml", "- id: alpha", "- id: first")
    edit(project, "content/survey.yaml", "  alpha: {", "  first: {")
    for study in (project.root / "content" / "studies").glob("*.yaml"):
        text = study.read_text(encoding="utf-8")
        study.write_text(text.replace("alpha/", "first/"), encoding="utf-8")
    told = {m.split(": /")[1].split(" ")[0]: m for m in messages(project) if "was published" in m}
    assert sorted(told) == ["alpha/", "alpha/one/", "alpha/two/"], told
    for old in told:
        new = old.replace("alpha/", "first/")
        assert f"write '{old} -> {new}' on this line (/{new}, which the record lacks, may be it)" in told[old]
    # Its nodes renamed too: the class's folder no longer holds what the old one held.
    edit(project, "content/taxonomy.yaml", "- id: one", "- id: uno")
    for study in (project.root / "content" / "studies").glob("*.yaml"):
        text = study.read_text(encoding="utf-8")
        study.write_text(text.replace("first/one", "first/uno"), encoding="utf-8")
    told = {m.split(": /")[1].split(" ")[0]: m for m in messages(project) if "was published" in m}
    assert "'alpha/ -> new/address/'" in told["alpha/"]
    assert "'alpha/one/ -> new/address/'" in told["alpha/one/"]
    assert "'alpha/two/ -> new/address/'" in told["alpha/two/"]


def _guesses(listed: list[str], have: list[str]) -> dict[str, str | None]:
    unlisted = sorted(set(have) - set(listed))
    gone = [entry for entry in listed if entry not in have]
    folders = _MovedFolders(gone, unlisted)
    return {entry: _likely_new(entry, unlisted, folders) for entry in gone}


def test_a_moved_folder_is_offered_only_when_what_it_held_tells() -> None:
    """A review of the renamed class's guess: a node two levels down was offered nothing; one new folder
    was offered to two lost classes; a class of one generic leaf was offered a hand-written section
    holding a page of that name. (1,000 classes renamed, which took 5 s to guess for, now take 0.06 s:
    measured, not timed here.)"""
    three = ["construct/", "construct/auto/", "construct/auto/attn/", "construct/one-shot/"]
    assert _guesses(three, [entry.replace("construct/", "heuristics/") for entry in three]) == {
        entry: entry.replace("construct/", "heuristics/") for entry in three
    }
    shared = _guesses(["alpha/", "alpha/one/", "alpha/two/", "beta/", "beta/one/", "beta/two/"],
                      ["gamma/", "gamma/one/", "gamma/two/"])  # fmt: skip
    assert set(shared.values()) == {None}
    assert set(_guesses(["alpha/", "alpha/faq/"], ["help/", "help/faq/", "help/contact/"]).values()) == {None}
    # A folder that is there still, whose nodes alone went, claims nothing (a review's 'beta/').
    kept = _guesses(["alpha/", "alpha/one/", "alpha/two/", "beta/", "beta/one/", "beta/two/"],
                    ["beta/", "first/", "first/one/", "first/two/"])  # fmt: skip
    assert kept == {"alpha/": "first/", "alpha/one/": "first/one/", "alpha/two/": "first/two/",
                    "beta/one/": None, "beta/two/": None}  # fmt: skip
    many = [f"class{i}/" for i in range(1000)] + [f"class{i}/leaf{i}/" for i in range(1000)]
    renamed = [entry.replace("class", "group") for entry in many]
    folders = _MovedFolders(many, renamed)
    assert [_likely_new(entry, renamed, folders) for entry in many[:50]] == renamed[:50]


def test_a_study_in_a_leaf_whose_move_is_recorded_is_told_the_new_leaf(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial renamed a leaf and recorded its move, but a study still named the old leaf:
    check offered the leaf of the closest spelling, a sibling, where the record says where it went."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    edit(project, "content/taxonomy.yaml", "- id: one", "- id: first")
    study = "content/studies/mueller2021first.yaml"
    assert "alpha/one" in (project.root / study).read_text(encoding="utf-8")
    said = [m for m in messages(project) if m.startswith(study)]
    assert len(said) == 1 and "unknown category 'alpha/one'; did you mean 'alpha/two'?" in said[0]
    edit(project, PUBLISHED_PATH, "alpha/one/\n", "alpha/one/ -> alpha/first/\n")
    line = HEADER.count("\n") + MINI_ADDRESSES.index("alpha/one/") + 1
    said = [m for m in messages(project) if m.startswith(study)]
    assert len(said) == 1
    assert said[0].endswith(
        f"unknown category 'alpha/one'; did you mean 'alpha/first'? ({PUBLISHED_PATH}:{line} moves "
        "'alpha/one/', which leads there)"
    )


def test_a_renamed_study_key_is_told(make_project: MakeProject, capsys: pytest.CaptureFixture[str]) -> None:
    project = make_project()
    assert published(project, capsys)[0] == 0
    edit(project, "bib/studies.bib", "{smith2022second,", "{smith2022later,")
    studies = project.root / "content" / "studies"
    (studies / "smith2022second.yaml").rename(studies / "smith2022later.yaml")
    found = messages(project)
    assert any(
        m.startswith(f"{PUBLISHED_PATH}:") and "/studies/smith2022second/ was published" in m for m in found
    ), found
    assert any("(/studies/smith2022later/)" in m and "warning" in m for m in found), found
    assert any("'studies/smith2022second/ -> studies/smith2022later/' on this line" in m for m in found), (
        found
    )


def test_a_line_that_is_no_address_or_is_listed_twice_is_told_and_published_writes_nothing(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["# ours", "", "/alpha/", "alpha/one", "alpha/two/", "  alpha/two/  ", "studies/../x/"]
    project = make_project({PUBLISHED_PATH: "\n".join(lines) + "\n"})
    assert messages(project) == [
        f"{PUBLISHED_PATH}:1: warning: 7 of the site's page addresses are not recorded here (/about/, "
        "/alpha/, /alpha/one/ and 4 more); once the site is published with them, run `surveysite "
        "published` to add them",
        f"{PUBLISHED_PATH}:3: '/alpha/' is not a page's address; write one as 'studies/key/' or "
        "'class/leaf/', from the site's root: no '/' first, one last",
        f"{PUBLISHED_PATH}:4: 'alpha/one' is not a page's address; write one as 'studies/key/' or "
        "'class/leaf/', from the site's root: no '/' first, one last",
        f"{PUBLISHED_PATH}:6: /alpha/two/ is listed twice (first at line 5); keep one",
        f"{PUBLISHED_PATH}:7: 'studies/../x/' is not a page's address; write one as 'studies/key/' or "
        "'class/leaf/', from the site's root: no '/' first, one last",
    ]
    before = record(project)
    code, out, err = published(project, capsys)
    assert code == 1
    assert f"{PUBLISHED_PATH}:3: '/alpha/' is not a page's address" in out
    assert err == f"Fix these first; {PUBLISHED_PATH} was left as it is.\n"
    assert record(project) == before


def test_published_keeps_every_line_as_written_and_adds_after_them(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """Nothing the maintainer wrote is lost: comments, order and a last line without its line break."""
    mine = "# ours, in our order\nstudies/smith2022second/\n\nbeta/"
    project = make_project({PUBLISHED_PATH: mine})
    assert published(project, capsys)[:2] == (0, "")
    added = [a for a in MINI_ADDRESSES if a not in ("studies/smith2022second/", "beta/")]
    assert record(project) == mine + "\n" + "".join(f"{a}\n" for a in added)


def test_published_on_data_with_problems_writes_nothing(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project()
    edit(project, FIRST, "alpha/one", "alpha/none")
    code, out, err = published(project, capsys)
    assert code == 1
    assert f"{FIRST}:" in out and "unknown category 'alpha/none'" in out
    assert err == f"Fix these first; {PUBLISHED_PATH} was not written.\n"
    assert not (project.root / PUBLISHED_PATH).exists()


def test_a_record_that_is_a_link_is_refused_not_followed(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    outside = tmp_path / "outside.txt"
    outside.write_text("alpha/\n", encoding="utf-8")
    project = make_project()
    (project.root / PUBLISHED_PATH).symlink_to(outside)
    found = messages(project)
    assert len(found) == 1 and found[0].startswith(f"{PUBLISHED_PATH}:1: "), found
    assert published(project, capsys)[0] == 1
    assert outside.read_text(encoding="utf-8") == "alpha/\n"


def test_a_renamed_node_is_told_with_the_studies_problems_not_after_them(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A review: with a study file broken too, check told the broken file alone, and the renamed node
    once that was mended."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    edit(project, "content/taxonomy.yaml", "- id: two", "- id: second")
    edit(project, FIRST, "placement: high", "placement: [high")
    found = messages(project)
    line = HEADER.count("\n") + MINI_ADDRESSES.index("alpha/two/") + 1
    assert any(m.startswith(f"{FIRST}:") for m in found), found
    assert [m for m in found if m.startswith(PUBLISHED_PATH)] == [
        f"{PUBLISHED_PATH}:{line}: /alpha/two/ was published, and the site no longer has it: every link to "
        "it breaks. A node's id or a study's key renamed or removed? Give it back its old one; to send its "
        "readers to its new address, write 'alpha/two/ -> alpha/second/' on this line (/alpha/second/, "
        "which the record lacks, may be it); to retire the address on purpose, remove this line"
    ]


def test_a_lost_study_is_offered_a_new_one_only_of_a_like_key(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial lost a study's address (its file saved as '.yml') while adding another of
    an unrelated key: check offered the one as the other's new address. A renamed key alike in
    spelling is still offered."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    studies = project.root / "content" / "studies"
    (studies / "lee2023third.yaml").rename(studies / "patel2024other.yaml")
    edit(project, "bib/studies.bib", "{lee2023third,", "{patel2024other,")
    line = HEADER.count("\n") + MINI_ADDRESSES.index("studies/lee2023third/") + 1
    told = [m for m in messages(project) if m.startswith(f"{PUBLISHED_PATH}:{line}:")]
    assert len(told) == 1 and "write 'studies/lee2023third/ -> new/address/' on this line;" in told[0]
    assert "may be it" not in told[0]
    # Nor by elimination at the root, where classes and hand-written pages stand side by side (a review:
    # a lost page was offered a class added): only a like spelling is offered there.
    (project.root / "content" / "pages" / "about.md").rename(project.root / "content" / "pages" / "info.md")
    about = [m for m in messages(project) if "/about/ was published" in m]
    assert len(about) == 1 and "may be it" not in about[0]
    (studies / "patel2024other.yaml").rename(studies / "lee2023thirds.yaml")
    edit(project, "bib/studies.bib", "{patel2024other,", "{lee2023thirds,")
    told = [m for m in messages(project) if m.startswith(f"{PUBLISHED_PATH}:{line}:")]
    assert len(told) == 1 and "(/studies/lee2023thirds/, which the record lacks, may be it)" in told[0]


@pytest.mark.parametrize("mark", [b"", b"\xef\xbb\xbf"], ids=["no mark", "byte order mark"])
def test_published_keeps_the_records_line_endings_and_byte_order_mark(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], mark: bytes
) -> None:
    """A review: a record checked out with CRLF on Windows was added to in LF, and a leading byte order
    mark was dropped."""
    project = make_project({PUBLISHED_PATH: mark + b"# ours\r\nbeta/\r\n"})
    assert published(project, capsys)[0] == 0
    added = [a for a in MINI_ADDRESSES if a != "beta/"]
    expected = mark + b"# ours\r\nbeta/\r\n" + "".join(f"{a}\r\n" for a in added).encode()
    assert (project.root / PUBLISHED_PATH).read_bytes() == expected
    assert messages(project) == []


def test_an_empty_record_is_given_the_header(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    project = make_project({PUBLISHED_PATH: "\n"})
    assert published(project, capsys)[0] == 0
    assert record(project) == HEADER + "".join(f"{address}\n" for address in MINI_ADDRESSES)


def test_an_address_in_capitals_is_told_to_be_written_in_lower_case(make_project: MakeProject) -> None:
    project = make_project({PUBLISHED_PATH: "About/\n"})
    assert f"{PUBLISHED_PATH}:1: 'About/' is not a page's address; write it in lower case: 'about/'" in (
        messages(project)
    )


def pages(project: Project, out: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """What `pages` printed besides its last line, which it must end with (it wrote the site)."""
    code = main(["--root", str(project.root), "pages", "--out", str(out)])
    printed, err = capsys.readouterr()
    assert code == 0 and err.startswith(("Wrote ", "Nothing changed")), (printed, err)
    return printed


def test_a_moved_address_sends_its_readers_to_the_new_one(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A node renamed on purpose: the record moves its old address, and the site has a page there that
    sends readers on (a query and a fragment too), relative to it, so that it holds in a subfolder."""
    project = published_then_renamed(make_project, capsys)
    edit(project, PUBLISHED_PATH, "alpha/one/\n", "alpha/one/  ->  alpha/first/\n")
    assert messages(project) == []  # the move records the address it leads to
    before = record(project)
    assert published(project, capsys) == (
        0, "", f"{PUBLISHED_PATH} records every page address the site has; nothing to add.\n"
    )  # fmt: skip
    assert record(project) == before and "alpha/one/  ->  alpha/first/\n" in before  # kept as written
    out = tmp_path / "out"
    pages(project, out, capsys)
    moved = (out / "alpha" / "one" / "index.html").read_text(encoding="utf-8")
    assert '<meta http-equiv="refresh" content="0; url=../../alpha/first/">' in moved
    assert '<link rel="canonical" href="../../alpha/first/">' in moved
    assert 'location.replace("../../alpha/first/" + location.search + location.hash)' in moved
    assert '<a href="../../alpha/first/">/alpha/first/</a>' in moved
    assert "//" not in moved.replace("../", "")  # nothing from another host
    assert (out / "alpha" / "first" / "index.md").is_file()
    assert not (out / "alpha" / "one" / "index.md").exists()
    # A feed reader follows no page: the old node's feed is the new node's.
    feed = (out / "feed.alpha.first.xml").read_bytes()
    assert (out / "feed.alpha.one.xml").read_bytes() == feed
    # A second run leaves both as they are; a move taken out takes them away.
    before = [(out / name).stat().st_mtime_ns for name in ("alpha/one/index.html", "feed.alpha.one.xml")]
    pages(project, out, capsys)
    assert [
        (out / name).stat().st_mtime_ns for name in ("alpha/one/index.html", "feed.alpha.one.xml")
    ] == before
    assert (out / "feed.alpha.one.xml").read_bytes() == feed
    edit(project, PUBLISHED_PATH, "alpha/one/  ->  alpha/first/\n", "alpha/one/ -> beta/\n")
    pages(project, out, capsys)
    assert "url=../../beta/" in (out / "alpha" / "one" / "index.html").read_text(encoding="utf-8")
    assert (out / "feed.alpha.one.xml").read_bytes() == (out / "feed.beta.xml").read_bytes()
    edit(project, PUBLISHED_PATH, "alpha/one/ -> beta/\n", "")
    pages(project, out, capsys)
    assert not (out / "alpha" / "one").exists()
    assert not (out / "feed.alpha.one.xml").exists()


def test_moves_check_tells_each_mistake_at_its_line_and_builds_make_only_sound_ones(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    lines = [
        "old/a/ -> old/b/",  # 1: through another move, to a page the site has
        "old/b/ -> alpha/two/",  # 2
        "alpha/one/ -> beta/",  # 3: the site has a page there again
        "gone/ -> nowhere/",  # 4: to a page the site does not have
        "loop/a/ -> loop/b/",  # 5: a loop
        "loop/b/ -> loop/a/",  # 6
        "self/ -> self/",  # 7
        "old/a/ -> beta/",  # 8: listed twice
        "old/c/ -> /beta/",  # 9: not a move
        "Old/D/ -> beta/",  # 10
        "old/e/ ->",  # 11
        "old/f/ -> old/b/ -> beta/",  # 12
        "<script>/ -> beta/",  # 13
        "old/g/ -> matrix/",  # 14: to a page every site has
        "matrix/ -> beta/",  # 15: a page every site has
        "whats-new/",  # 16: which a record may list
        "old/h/ -> beta/ # where it went",  # 17
        "old/i/ -> https://example.org/beta/",  # 18
        "old/j/ -> beta/#top",  # 19
        "old/k/ -> beta",  # 20
        *(a for a in MINI_ADDRESSES if a != "alpha/one/"),
    ]
    project = make_project({PUBLISHED_PATH: "\n".join(lines) + "\n"})
    move = (
        "A move is 'old/address/ -> new/address/', each in lower case and from the site's root: no '/' "
        "first, one last"
    )
    unmade = [
        f"{PUBLISHED_PATH}:3: /alpha/one/ is moved to /beta/, and the site has a page at /alpha/one/ "
        "again: its readers would never see it. Keep the page there (write 'alpha/one/' alone on this "
        "line), or give it another address",
        f"{PUBLISHED_PATH}:4: /gone/ is moved to /nowhere/, which the site does not have; move it to one of "
        "the site's pages",
        f"{PUBLISHED_PATH}:5: /loop/a/ is moved in a loop (/loop/a/ -> /loop/b/ -> /loop/a/); "
        "end it at a page the site has",
        f"{PUBLISHED_PATH}:6: /loop/b/ is moved in a loop (/loop/b/ -> /loop/a/ -> /loop/b/); "
        "end it at a page the site has",
    ]
    every = "/matrix/ is a page every site has; it cannot be moved (write 'matrix/' alone)"
    told = [
        *unmade,
        f"{PUBLISHED_PATH}:7: /self/ is moved to itself; write it alone, or give the address it moves to",
        f"{PUBLISHED_PATH}:8: /old/a/ is listed twice (first at line 1); keep one",
        f"{PUBLISHED_PATH}:9: 'old/c/ -> /beta/' is not a move: '/beta/' starts with '/'; write it from the "
        f"site's root, without it. {move}",
        f"{PUBLISHED_PATH}:10: 'Old/D/ -> beta/' is not a move: 'Old/D/' is in capitals; write "
        f"'old/d/'. {move}",
        f"{PUBLISHED_PATH}:11: 'old/e/ ->' is not a move: an address is missing. {move}",
        f"{PUBLISHED_PATH}:12: 'old/f/ -> old/b/ -> beta/' is not a move: a line moves one address. {move}",
        f"{PUBLISHED_PATH}:13: '<script>/ -> beta/' is not a move: '<script>/' is no page's address. {move}",
        f"{PUBLISHED_PATH}:15: {every}",
        f"{PUBLISHED_PATH}:17: 'old/h/ -> beta/ # where it went' is not a move: a comment goes on a line of "
        f"its own ('# ...'). {move}",
        f"{PUBLISHED_PATH}:18: 'old/i/ -> https://example.org/beta/' is not a move: "
        f"'https://example.org/beta/' is a full address; write it from the site's root "
        f"('class/leaf/'). {move}",
        f"{PUBLISHED_PATH}:19: 'old/j/ -> beta/#top' is not a move: 'beta/#top' has a '#...' or '?...' part; "
        f"write the page's address alone (a reader's is kept). {move}",
        f"{PUBLISHED_PATH}:20: 'old/k/ -> beta' is not a move: 'beta' lacks its last '/'; write "
        f"'beta/'. {move}",
    ]
    assert messages(project) == told
    # A build is not held up by the record (a preview shows what check will tell): it makes the sound
    # moves' pages, each to the page it ends at, and warns of each line of the record it cannot read
    # and each move it cannot make, all of which check tells.
    out = tmp_path / "out"
    warned = pages(project, out, capsys).splitlines()
    assert warned == [line.replace(": ", ": warning: ", 1) for line in told]
    made = sorted(str(p.relative_to(out)) for p in out.rglob("*.html"))
    assert made == ["old/a/index.html", "old/b/index.html", "old/g/index.html"]
    assert (out / "feed.old.a.xml").read_bytes() == (out / "feed.alpha.two.xml").read_bytes()
    assert "url=../../alpha/two/" in (out / "old" / "a" / "index.html").read_text(encoding="utf-8")
    assert "url=../../matrix/" in (out / "old" / "g" / "index.html").read_text(encoding="utf-8")
    assert (out / "alpha" / "one" / "index.md").is_file()


def test_a_move_the_site_cannot_make_fails_a_strict_build(tmp_path: Path) -> None:
    """A maintainer's trial moved an address to a key that was not there: check told it, but the
    site's workflow builds with `mkdocs build --strict` alone, which published a site without the
    page the record promised. The build warns of it, which ends a strict one."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    shutil.copy(ROOT / "mkdocs.yml", root / "mkdocs.yml")
    (root / PUBLISHED_PATH).write_text("# ours\nstudies/lee2023old/ -> studies/nothere/\n", encoding="utf-8")
    result = strict_build(root, tmp_path / "site")
    assert result.returncode == 1
    assert (
        f"WARNING -  {PUBLISHED_PATH}:2: /studies/lee2023old/ is moved to /studies/nothere/, which "
        "the site does not have" in result.stderr
    ), result.stderr
    (root / PUBLISHED_PATH).write_text("studies/lee2023old/ -> studies/lee2023third/\n", encoding="utf-8")
    assert strict_build(root, tmp_path / "site").returncode == 0


def test_published_refuses_while_init_s_example_is_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial ran `published` on a new project: the example's pages were recorded, and
    check failed on each once the example was replaced."""
    root = tmp_path / "new"
    assert main(["init", str(root), "--title", "Graph Learning"]) == 0
    capsys.readouterr()
    code, out, err = published(Project.at(root), capsys)
    assert code == 1
    told = "this is `surveysite init`'s example (its first line says so: '# EXAMPLE …'); replace it"
    refusing = [
        line for line in out.splitlines() if ": warning: " not in line
    ]  # (its pages' text: warned of)
    assert [line.split(": ", 1)[0] for line in refusing] == [
        "content/studies/example2023study.yaml:1",
        "content/taxonomy.yaml:1",
    ]
    assert all(told in line for line in refusing), out
    assert err == f"Fix these first; {PUBLISHED_PATH} was not written.\n"
    assert not (root / PUBLISHED_PATH).exists()
    # Once replaced (here: the first lines dropped), the addresses are recorded.
    for name in ("content/taxonomy.yaml", "content/studies/example2023study.yaml"):
        path = root / name
        path.write_text(path.read_text(encoding="utf-8").split("\n", 1)[1], encoding="utf-8")
    assert published(Project.at(root), capsys)[0] == 0
    assert "example-class/first-leaf/" in record(Project.at(root))


def test_moves_of_a_site_without_directory_urls_go_to_the_new_page_s_file(tmp_path: Path) -> None:
    """With use_directory_urls false a study page is served as 'studies/key.html' and a node's as
    'path/index.html': a moved address gets a page in both forms, each sending its reader to the new
    page's file (the engine's own folder form would be no page there)."""
    root = tmp_path / "project"
    shutil.copytree(MINI, root)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text(config + "\nuse_directory_urls: false\n", encoding="utf-8")
    moves = "gone/leaf/ -> alpha/one/\nstudies/lee2023old/ -> studies/lee2023third/\n"
    (root / PUBLISHED_PATH).write_text(moves, encoding="utf-8")
    site = tmp_path / "site"
    result = strict_build(root, site)
    assert result.returncode == 0, result.stderr
    expected = {
        "gone/leaf/index.html": "../../alpha/one/index.html",
        "gone/leaf.html": "../alpha/one/index.html",
        "studies/lee2023old/index.html": "../lee2023third.html",
        "studies/lee2023old.html": "lee2023third.html",
    }
    for path, target in expected.items():
        page = (site / path).read_text(encoding="utf-8")
        assert f'<meta http-equiv="refresh" content="0; url={target}">' in page, path
        assert (site / path).parent.joinpath(target).resolve().is_file(), path
    assert (site / "studies" / "lee2023third.html").is_file()
    # The export says the same for the engines that build it.
    out = tmp_path / "export"
    assert main(["--root", str(root), "export", str(out)]) == 0
    for path, target in expected.items():
        assert f"url={target}" in (out / "docs" / path).read_text(encoding="utf-8"), path


def test_a_move_from_an_address_that_would_be_a_file_the_site_makes_is_refused(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review: 'matrix.json/ -> matrix/' passed check, then ended a build with a traceback (a file
    where a folder was to be); 'alpha.one/ -> beta/' wrote beta's feed over feed.alpha.one.xml, the leaf's
    own; 'index/' would be the home page's file in a site without directory URLs. And a line that is no
    move was left out of a build without a word, which a strict build passed."""
    lines = [
        "matrix.json/ -> matrix/",
        "alpha.one/ -> beta/",
        "index/ -> beta/",
        "old/404/ -> beta/",
        "x/ -> y/ z/",
    ]
    project = make_project({PUBLISHED_PATH: "\n".join([*lines, *MINI_ADDRESSES]) + "\n"})
    found = [m for m in messages(project) if "warning" not in m]
    file = (
        "would be a file the site makes, not a page's address (a moved address holds no '.', and does "
        "not end in"
    )
    assert [m.split(": ", 1)[0] for m in found] == [f"{PUBLISHED_PATH}:{n}" for n in range(1, 6)]
    assert all(file in m for m in found[:4]), found
    assert "'y/ z/' is no page's address" in found[4]
    out = tmp_path / "out"
    warned = pages(project, out, capsys).splitlines()
    assert [w.split(": warning: ", 1)[0] for w in warned] == [f"{PUBLISHED_PATH}:{n}" for n in range(1, 6)]
    assert not list(out.rglob("*.html"))
    assert (out / "feed.alpha.one.xml").read_bytes() != (out / "feed.beta.xml").read_bytes()


def test_a_link_to_a_moved_page_is_told_with_the_page_to_link(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A hand page's link to a renamed node or study was told as leading nowhere, though the record says
    where the page went (a left-out item of the moves' session): check now names the page to link."""
    project = published_then_renamed(make_project, capsys)
    edit(project, PUBLISHED_PATH, "alpha/one/\n", "alpha/one/ -> alpha/first/\n")
    edit(project, PUBLISHED_PATH, "studies/lee2023third/\n", "studies/lee2023third/ -> studies/lee2023/\n")
    (project.root / FIRST.replace("mueller2021first", "lee2023")).write_bytes(
        (project.root / "content/studies/lee2023third.yaml").read_bytes()
    )
    (project.root / "content/studies/lee2023third.yaml").unlink()
    edit(project, "bib/studies.bib", "{lee2023third,", "{lee2023,")
    about = project.root / "content" / "pages" / "about.md"
    about.write_text(
        about.read_text(encoding="utf-8")
        + "\n[one](alpha/one/index.md#comparison), [third](studies/lee2023third.md), [gone](gone.md)\n",
        encoding="utf-8",
    )
    line = len(about.read_text(encoding="utf-8").splitlines())
    said = [m for m in messages(project) if m.startswith("content/pages/about.md")]
    record_lines = record(project).splitlines()
    one, third = (
        record_lines.index(m) + 1
        for m in ("alpha/one/ -> alpha/first/", "studies/lee2023third/ -> studies/lee2023/")
    )
    at = f"content/pages/about.md:{line}: the link"
    assert sorted(said) == [
        f"{at} 'alpha/one/index.md#comparison' on page 'about.md' leads to "
        f"/alpha/one/, which moved to /alpha/first/ ({PUBLISHED_PATH}:{one}); link "
        "'alpha/first/index.md#comparison' instead",
        f"{at} 'gone.md' on page 'about.md' leads to no page or file of the "
        "site; correct it (link a page by its .md file, e.g. 'matrix.md')",
        f"{at} 'studies/lee2023third.md' on page 'about.md' leads to "
        f"/studies/lee2023third/, which moved to /studies/lee2023/ ({PUBLISHED_PATH}:{third}); link "
        "'studies/lee2023.md' instead",
    ]


def _feed_ids(out: Path, name: str) -> list[str]:
    text = (out / name).read_text(encoding="utf-8")
    return re.findall(r"<id>([^<]*)</id>", text)


def test_a_renamed_class_keeps_its_downloads_and_the_tables_name_its_old_paths(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A maintainer's trial renamed a class and its leaves, recording the moves: /downloads/<class>.bib
    and .ris, which the home page had listed, were gone, and the matrix's filters at the old paths
    matched nothing. The old downloads are the new class's; the tables' data name each old path's new
    one, which matrix.js reads an address's filters by (test_browser has the reading)."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    edit(project, "content/taxonomy.yaml", "  - id: alpha", "  - id: gamma")
    edit(project, "content/survey.yaml", "  alpha:", "  gamma:")  # (its colour)
    for study in (project.root / "content" / "studies").glob("*.yaml"):
        study.write_text(study.read_text(encoding="utf-8").replace("alpha/", "gamma/"), encoding="utf-8")
    for path in ("alpha/", "alpha/one/", "alpha/two/"):
        edit(project, PUBLISHED_PATH, f"{path}\n", f"{path} -> {path.replace('alpha', 'gamma')}\n")
    # (a review's: an address whose class's downloads would be the site's own, all the studies')
    edit(project, PUBLISHED_PATH, "alpha/ -> gamma/\n", "alpha/ -> gamma/\nstudies/ -> gamma/\n")
    assert messages(project) == []
    out = tmp_path / "out"
    pages(project, out, capsys)
    for name in ("alpha.bib", "alpha.ris"):
        now = (out / "downloads" / name.replace("alpha", "gamma")).read_bytes()
        assert b"mueller2021first" in now and (out / "downloads" / name).read_bytes() == now
    assert (out / "downloads" / "studies.bib").read_text(encoding="utf-8").count("@") == 3  # all, as made
    moved = {"alpha": "gamma", "alpha/one": "gamma/one", "alpha/two": "gamma/two"}  # (no node at studies/)
    for data in ("matrix.json", "tables/gamma.json"):
        assert json.loads((out / data).read_text(encoding="utf-8"))["taxonomy"]["moved"] == moved
    # A table names the moves to its own nodes alone (the leaf's: the class and the leaf).
    leaf = json.loads((out / "tables/gamma/one.json").read_text(encoding="utf-8"))["taxonomy"]["moved"]
    assert leaf == {"alpha": "gamma", "alpha/one": "gamma/one"}
    assert (out / "downloads" / "beta.ris").read_bytes() != now  # (another class's are its own)
    edit(project, PUBLISHED_PATH, "alpha/ -> gamma/\nstudies/ -> gamma/\n", "")  # no longer kept
    edit(project, PUBLISHED_PATH, "alpha/one/ -> gamma/one/\n", "")
    edit(project, PUBLISHED_PATH, "alpha/two/ -> gamma/two/\n", "")
    pages(project, out, capsys)
    assert not (out / "downloads" / "alpha.bib").exists()
    assert "moved" not in json.loads((out / "matrix.json").read_text(encoding="utf-8"))["taxonomy"]


def test_a_renamed_node_and_study_keep_their_feed_ids(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A feed reader tells entries by their ids: a study renamed (with its move recorded) came back as a
    new entry, and a renamed node's feed had a new id. Both keep the ids of their first addresses;
    the study's RIS download stays at its old address too."""
    project = make_project()
    # (a study the site added, and so in an edition's feeds)
    edit(project, "content/studies/lee2023third.yaml", "in_survey: true", "in_survey: false")
    assert published(project, capsys)[0] == 0
    out = tmp_path / "out"
    pages(project, out, capsys)
    site_ids, node_ids = _feed_ids(out, "feed.xml"), _feed_ids(out, "feed.alpha.one.xml")
    assert any(i.endswith(":studies/lee2023third") for i in site_ids)
    # The leaf alpha/one renamed alpha/first, the study lee2023third renamed lee2023, no move recorded:
    # new ids (a second run, as after an edit, so that the feeds kept in the cache are what is tried).
    edit(project, "content/taxonomy.yaml", "- id: one", "- id: first")
    for study in (project.root / "content" / "studies").glob("*.yaml"):
        text = study.read_text(encoding="utf-8")
        study.write_text(text.replace("alpha/one", "alpha/first"), encoding="utf-8")
    studies = project.root / "content" / "studies"
    (studies / "lee2023third.yaml").rename(studies / "lee2023.yaml")
    edit(project, "bib/studies.bib", "{lee2023third,", "{lee2023,")
    pages(project, out, capsys)
    renamed = [i.replace("studies/lee2023third", "studies/lee2023") for i in site_ids]
    assert _feed_ids(out, "feed.xml") == renamed
    assert _feed_ids(out, "feed.alpha.first.xml")[0].endswith(":alpha/first")
    edit(project, PUBLISHED_PATH, "alpha/one/\n", "alpha/one/ -> alpha/first/\n")
    edit(project, PUBLISHED_PATH, "studies/lee2023third/\n", "studies/lee2023third/ -> studies/lee2023/\n")
    assert published(project, capsys)[0] == 0  # (nothing to add: the moves record the new addresses)
    assert messages(project) == []
    pages(project, out, capsys)
    assert _feed_ids(out, "feed.xml") == site_ids
    assert _feed_ids(out, "feed.alpha.first.xml") == _feed_ids(out, "feed.alpha.one.xml") == node_ids
    assert '<link rel="alternate" href="../studies/lee2023/"' not in (out / "feed.xml").read_text()
    assert 'href="studies/lee2023/"' in (out / "feed.xml").read_text(encoding="utf-8")
    # A reference manager follows no page either: the old study's RIS record is the new study's.
    ris = out / "downloads" / "studies"
    assert (ris / "lee2023third.ris").read_bytes() == (ris / "lee2023.ris").read_bytes()
    assert b"lee2023" in (ris / "lee2023.ris").read_bytes()
    edit(project, PUBLISHED_PATH, "studies/lee2023third/ -> studies/lee2023/\n", "")
    pages(project, out, capsys)
    assert not (ris / "lee2023third.ris").exists()
    # A study moved to a node, a node to a study: no feed written where a RIS record was, nor the other
    # way round (a review).
    edit(project, PUBLISHED_PATH, "alpha/one/ -> alpha/first/\n", "alpha/one/ -> studies/lee2023/\n")
    with (project.root / PUBLISHED_PATH).open("a", encoding="utf-8") as record_file:
        record_file.write("studies/lee2023third/ -> beta/\n")
    pages(project, out, capsys)
    assert "url=../../beta/" in (out / "studies" / "lee2023third" / "index.html").read_text(encoding="utf-8")
    assert not (ris / "lee2023third.ris").exists()
    assert not (out / "feed.alpha.one.xml").exists()


def test_a_page_s_first_address_is_the_first_moved_to_it_unless_it_was_published_under_its_own(
    tmp_path: Path,
) -> None:
    """A rename's old address is on the line the page had, moved further on a later line; a page
    listed on a line of its own was published under its own address, and a page merged into it does
    not give it its id (a review: the first record is sorted, so its line order tells no age)."""
    (tmp_path / "content").mkdir()
    (tmp_path / PUBLISHED_PATH).write_text(
        "a-merged/ -> kept/\nkept/\nold/ -> mid/\nmid/ -> new/\nsecond/ -> new/\n", encoding="utf-8"
    )
    problems = Problems()
    moves = read_moves(tmp_path, lambda: {"kept/", "new/"}, problems)
    assert not problems
    assert moves.ends == {
        "a-merged/": ("kept/", 1), "old/": ("new/", 3), "mid/": ("new/", 4), "second/": ("new/", 5)
    }  # fmt: skip
    assert moves.first == {"new/": "old/"}


def test_merging_a_study_into_one_published_after_it_keeps_that_one_s_feed_id(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A review: studies/lee2023third/ (line 6 of the sorted record) merged into
    studies/mueller2021first/ (line 7) gave mueller2021first the entry id of lee2023third."""
    project = make_project()
    assert published(project, capsys)[0] == 0
    out = tmp_path / "out"
    pages(project, out, capsys)
    ids = _feed_ids(out, "feed.xml")
    (project.root / "content/studies/lee2023third.yaml").unlink()
    text = (project.root / "bib/studies.bib").read_text(encoding="utf-8")
    start = text.index("@", text.index("{lee2023third,") - 20)
    end = text.find("\n@", start + 1)
    (project.root / "bib/studies.bib").write_text(
        text[:start] + (text[end + 1 :] if end > 0 else ""), "utf-8"
    )
    edit(
        project,
        PUBLISHED_PATH,
        "studies/lee2023third/\n",
        "studies/lee2023third/ -> studies/mueller2021first/\n",
    )
    assert messages(project) == []
    pages(project, out, capsys)
    assert _feed_ids(out, "feed.xml") == [i for i in ids if not i.endswith("lee2023third")]


def test_a_run_that_finds_nothing_changed_warns_again(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A run that wrote the site warned of a move it could not make; the next run, finding nothing
    changed, said only that: a maintainer who ran it again saw no warning (left out last session)."""
    project = make_project({PUBLISHED_PATH: "studies/lee2023old/ -> studies/nothere/\n"})
    shutil.copy(ROOT / "mkdocs.yml", project.root / "mkdocs.yml")  # (export reads the site's settings)
    warning = (
        f"{PUBLISHED_PATH}:1: warning: /studies/lee2023old/ is moved to /studies/nothere/, which the site "
        "does not have; move it to one of the site's pages\n"
    )
    out = tmp_path / "out"
    for command in (["pages", "--out", str(out)], ["export", str(tmp_path / "exported")]):
        for ends in ("Wrote ", "Nothing changed: "):
            assert main(["--root", str(project.root), *command]) == 0
            printed, err = capsys.readouterr()
            assert printed == warning and err.startswith(ends), (printed, err)
    edit(project, PUBLISHED_PATH, "studies/nothere/", "studies/lee2023third/")
    for ends in ("Wrote ", "Nothing changed: "):
        assert main(["--root", str(project.root), "pages", "--out", str(out)]) == 0
        printed, err = capsys.readouterr()
        assert printed == "" and err.startswith(ends), (printed, err)


def test_a_move_to_a_misspelt_address_or_with_another_arrow_is_told_how_to_mend_it(
    make_project: MakeProject, capsys: pytest.CaptureFixture[str]
) -> None:
    """A maintainer's trial: '-> architectures/eficient-attention/' was told only that the site does not
    have it, and '=>' for '->' that the line was no page's address."""
    project = published_then_renamed(make_project, capsys)
    told = {
        "alpha/one/ -> alpha/frist/": "/alpha/one/ is moved to /alpha/frist/, which the site does not have; "
        "move it to one of the site's pages; did you mean 'alpha/first/'?",
        "alpha/one/ => alpha/first/": "'alpha/one/ => alpha/first/' is not a page's address; write a move "
        "with '->': 'old/address/ -> new/address/'",
    }
    before = "alpha/one/"
    for line, expected in told.items():
        edit(project, PUBLISHED_PATH, f"{before}\n", f"{line}\n")
        said = [m for m in messages(project) if "alpha/one/" in m]
        assert len(said) == 1 and said[0].endswith(expected), said
        before = line
