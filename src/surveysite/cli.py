"""The `surveysite` command: check the data, write the generated Markdown tree, or export a site project."""

from __future__ import annotations

import argparse
import datetime
import html
import os
import sys
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NoReturn

from .bibliography import Mended
from .build import Project, build_site, check, collector_paused, no_project, not_a_project, record_addresses
from .cache import Memo, load_memo, save_memo
from .export import export_tree, local_address, read_project_config, with_plugin_options
from .files import BYTE_ORDER_MARK, FileRefused
from .formatting import FORMAT_HINT, format_files
from .issueform import FORM_PATH, GUIDE, write_issue_form
from .model import shown_on_one_line
from .newproject import KEPT_IF_THERE, InitError, default_requirement, init_project
from .output import MARKER, KeptFileGone, OutputError, Seen, ours, write_tree
from .problems import DataError, Location, Problem, Problems, counted
from .published import PUBLISHED_PATH, keeps_record
from .scaffold import NotWritten, ScaffoldError, add_studies
from .stamp import (
    Inputs,
    Run,
    hashed_inputs,
    input_clock,
    kept_warnings,
    last_run,
    now_in,
    planned_run,
    record,
    trusted,
    up_to_date,
    used,
)
from .survey import load_survey


def run() -> NoReturn:
    """The `surveysite` command itself: main(), then the process ends at once.

    A run over a large survey ends with millions of objects alive (the Memo, the catalog, the pages);
    Python's usual exit frees them one by one, which took over a second at 10,000 studies. Every file
    the run writes is closed by then, so only the output streams are flushed before the process
    ends. (Tests and other callers use main, which returns.)
    """
    status = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what Python's own exit reports with 120
            status = status or 120
    os._exit(status)


# What `surveysite --help` ends with: the site is built and previewed by MkDocs, whose plugin runs this.
EPILOG = (
    "The site is built and previewed by MkDocs, which runs surveysite as a plugin (see mkdocs.yml): "
    "mkdocs build --strict writes it to site/, mkdocs serve previews it and shows each saved edit. "
    "In a project made by init, scripts/site build and scripts/site serve set up and do the same."
)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status (0 clean, 1 problems, 2 usage)."""
    parser = argparse.ArgumentParser(prog="surveysite", description=__doc__, epilog=EPILOG)
    parser.add_argument(
        "--version", action=_Version, nargs=0, help="print which surveysite this is, and exit"
    )
    _project_options(parser, None)
    # The same options after the command, as most tools take them: `surveysite check --root DIR` was
    # refused as 'unrecognized arguments' (a maintainer's trial). Given there, they win.
    after = argparse.ArgumentParser(add_help=False)
    _project_options(after, argparse.SUPPRESS)
    # A command that neither renders nor reuses takes --root alone after it: `format --edit-url x` was
    # taken, and did nothing (a maintainer's trial).
    root_only = argparse.ArgumentParser(add_help=False)
    _project_options(root_only, argparse.SUPPRESS, ("--root",))
    commands = parser.add_subparsers(dest="command", required=True)

    parsers: dict[str, argparse.ArgumentParser] = {}

    def command(name: str, help: str, parents: list[argparse.ArgumentParser]) -> argparse.ArgumentParser:
        """A command, its --help led by what it does and ended by its exit status (a trial found only
        the usage and the options there)."""
        parsers[name] = commands.add_parser(
            name, help=help, description=help[:1].upper() + help[1:] + ".", epilog=exit_status(name),
            parents=parents,
        )  # fmt: skip
        return parsers[name]

    project_command = partial(command, parents=[after])

    def data_command(name: str, help: str) -> argparse.ArgumentParser:
        """A command that neither renders nor reuses: after it, --root alone is taken."""
        made = command(name, help, [root_only])
        made.set_defaults(root_only=True)
        return made

    # (init first: what a new maintainer runs first, as a trial looked for it there)
    init = command("init", help="write a new survey project into a new folder", parents=[])
    init.add_argument(
        "folder", help="a new folder, or one holding none of the files init writes (a README is kept)"
    )
    init.add_argument("--title", required=True, help='the title, e.g. "Graph Learning for Chemistry"')
    init.add_argument(
        "--requirement",
        help="how requirements.txt installs surveysite (default: this copy's origin, or its version)",
    )
    check_command = project_command(
        "check", help="validate all data; print every problem as path:line: message"
    )
    check_command.add_argument(
        "--format",
        choices=("text", "github", "markdown"),
        default="text",
        help="text: path:line: message; github: workflow annotations; markdown: table rows",
    )
    pages = project_command("pages", help="write the generated Markdown pages to a folder")
    pages.add_argument(
        "--out",
        type=Path,
        required=True,
        help="output folder (what the last run wrote there replaced, unless edited since)",
    )
    export = project_command(
        "export", help="write a standalone site project that mkdocs, properdocs and zensical build"
    )
    export.add_argument(
        "dir", type=Path, help="output folder (what the last export wrote replaced, unless edited since)"
    )
    new = data_command(
        "new", help="add studies: append their BibTeX entries, create a study file for each (all or none)"
    )
    new.add_argument(
        "file", type=Path, nargs="?", help="file of BibTeX entries, one or more (default: standard input)"
    )
    new.add_argument("--bibtex", type=Path, help="the same file, given by name (`new --bibtex FILE`)")
    new.add_argument(
        "--rekey",
        action="store_true",
        help="give each entry whose key the survey's key rule refuses the key the rule suggests "
        "(a reference manager's 'smith_graphs_2019' as 'smith2019graphs'), and each whose key cannot be "
        "an address (DBLP's 'DBLP:conf/...') one made so too; the file given is not changed",
    )
    new.add_argument(
        "--skip-existing",
        action="store_true",
        help="leave out each entry of a paper bib/ holds already (the same DOI, arXiv id or title) "
        "rather than refuse them all, telling which: to add what is new in an export given again",
    )
    new.add_argument(
        "--strip",
        action="store_true",
        help="leave out the fields the site does not keep (abstract; a reference manager's file, "
        "annote, owner) rather than refuse the entries, and those a reference manager adds of its own "
        "(keywords, urldate, timestamp) or a bibliographic site about its record (biburl, bibsource); "
        "and write what an export writes its own way as BibTeX reads it (biblatex's journaltitle, date "
        "and extended names; an arXiv id given only in a url, DOI, note, howpublished, volume, pages or "
        "journal; an @article "
        "with no journal; a DOI given as its address; ADS's journal macros; a month's name in braces or "
        "quotes; a value of parts joined by '#'); the file given is not changed",
    )
    data_command(
        "issue-form",
        help=f"write {FORM_PATH}, and the example study file of an init-made CONTRIBUTING.md, from the "
        "taxonomy (check reports them when out of date)",
    )
    data_command(
        "published",
        help=f"add the site's page addresses to {PUBLISHED_PATH}, the record of those published, "
        "which check holds the site to (a renamed node or study is reported; 'old/ -> new/' on a line moves "
        "an address)",
    )
    fmt = data_command("format", help="rewrite bib/*.bib in the project's layout")
    fmt.add_argument("--check", action="store_true", help="change nothing; exit 1 if a file needs formatting")
    _commands_own_options_first(parser, parsers, sys.argv[1:] if argv is None else argv)
    args, unknown = parser.parse_known_args(argv)
    unused = _unused_options(args)
    if unknown:  # told with the command's own usage: the top level's lists options the command refuses
        given = {arg.split("=")[0] for arg in unknown}
        why = f" ({_what_it_does(args)}: {', '.join(unused)} do not apply)" if given & set(unused) else ""
        parsers[args.command].error(f"unrecognized arguments: {' '.join(unknown)}{why}")
    # `surveysite --no-cache published` was taken, and did nothing
    if ignored := [
        flag for flag in unused if getattr(args, flag[2:].replace("-", "_"), None) not in (None, False)
    ]:
        parsers[args.command].error(
            f"{', '.join(ignored)} before '{args.command}' {'does' if len(ignored) == 1 else 'do'} not apply "
            f"({_what_it_does(args)})"
        )
    try:
        return _command(args)
    # Ctrl-C: a data-safety trial met Python's traceback from every command. Each writes all or nothing
    # (a file replaced whole, a folder's files renamed into place, `new`'s files taken back).
    except KeyboardInterrupt:
        print(f"surveysite: {args.command} interrupted", file=sys.stderr)
        return 130
    # The machine refused a folder or file named on the command line or in the project; or an option
    # held a byte the terminal could not decode (--edit-url), which no file can carry.
    except OSError as error:
        print(f"surveysite: {_system_error(error)}", file=sys.stderr)
        return 2
    except UnicodeEncodeError as error:
        print(f"surveysite: a value holds a character no file can carry ({error.reason}); type it again",
              file=sys.stderr)  # fmt: skip
        return 2


def _commands_own_options_first(
    parser: argparse.ArgumentParser, parsers: Mapping[str, argparse.ArgumentParser], argv: list[str]
) -> None:
    """Refuse, saying where it goes, a command's own option given before the command: `surveysite
    --format github check` was told "invalid choice: 'github'" (a maintainer's trial)."""
    ours = {flag: action for action in parser._actions for flag in action.option_strings}
    value = False  # whether this argument is the value of the top level's option before it
    for arg in argv:
        if value:
            value = False
            continue
        if arg in parsers or not arg.startswith("--") or arg == "--":
            return  # the command (what follows is its), or a word argparse tells of
        flag = arg.split("=")[0]
        # As argparse reads an option: whole, or by the start of one (--no for --no-cache).
        top = [action for name, action in ours.items() if name == flag] or [
            action for name, action in ours.items() if name.startswith(flag)
        ]
        if top:
            if top[0].nargs == 0 and not isinstance(top[0], argparse._StoreTrueAction):
                return  # --help, --version: argparse answers them and ends
            value = "=" not in arg and top[0].nargs != 0
            continue
        owners = [
            name
            for name, command in parsers.items()
            if any(option.startswith(flag) for option in command._option_string_actions if option != "--help")
        ]
        if owners:
            whole = next(o for o in parsers[owners[0]]._option_string_actions if o.startswith(flag))
            parser.error(f"{whole} is an option of {' and '.join(owners)}: give it after the command, e.g. "
                         f"surveysite {owners[0]} {whole} ...")  # fmt: skip


def _unused_options(args: argparse.Namespace) -> list[str]:
    """The project options a command does not use: for init, all of them (it makes a project), for a
    data command, all but --root (see data_command), for the others none."""
    if args.command != "init" and not getattr(args, "root_only", False):
        return []
    return [flag for flag, _ in PROJECT_OPTIONS if args.command == "init" or flag != "--root"]


def _what_it_does(args: argparse.Namespace) -> str:
    """Why a command has no use for the options _unused_options names."""
    does = "writes a new project in the folder given" if args.command == "init" else "renders nothing"
    return f"{args.command} {does}"


# The options naming the project and how to read it (see _project_options).
PROJECT_OPTIONS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("--root", {"type": Path,
                "help": "project folder (default: this folder, or the nearest above it that is one)"}),
    ("--templates", {"type": Path,
                     "help": "own templates, over the packaged ones (default: ROOT/templates)"}),
    ("--edit-url", {"help": "base URL for 'edit this study' links, e.g. .../edit/main/"}),
    ("--no-cache", {"action": "store_true",
                    "help": "reuse nothing from earlier runs (and keep nothing for later)"}),
)  # fmt: skip


class _Version(argparse.Action):
    """--version: this copy's version as installed (pip's metadata; 'unknown' for a copy run from its
    folder), looked up only when asked for (argparse's own action takes it in every run)."""

    def __call__(self, parser: argparse.ArgumentParser, *args: Any) -> NoReturn:
        import importlib.metadata  # here: its import alone (email, zipfile, sockets) took 40 ms of every run

        try:
            version = importlib.metadata.version("surveysite")
        except importlib.metadata.PackageNotFoundError:
            version = "unknown"
        print(f"surveysite {version}")  # (to standard output, as argparse's own action prints it)
        parser.exit()


def _project_options(parser: argparse.ArgumentParser, default: Any, only: tuple[str, ...] = ()) -> None:
    """PROJECT_OPTIONS (those named in `only`, if given), each with `default` (None: its own)."""
    for flag, settings in PROJECT_OPTIONS:
        if not only or flag in only:
            parser.add_argument(flag, **settings, **({} if default is None else {"default": default}))


# What each command's exit status 0 and 1 say (a trial found check's words under init, which has no 1).
_DONE_AND_PROBLEMS = {
    "init": ("0 the project written", ""),
    "check": ("0 no problem (warnings allowed)", "1 problems found"),
    "pages": ("0 the pages written", "1 problems in the data, each told (nothing written)"),
    "export": ("0 the project written", "1 problems in the data, each told (nothing written)"),
    "new": ("0 the studies added", "1 problems in the entries or the project, each told (nothing added)"),
    "format": (
        "0 formatted, or with --check nothing to change",
        "1 problems, or with --check a file to change",
    ),
    "issue-form": ("0 written", "1 problems in the taxonomy, each told (nothing written)"),
    "published": ("0 recorded, or nothing to add", "1 problems, each told (nothing written)"),
}


def exit_status(command: str) -> str:
    """What a command's --help ends with: what its exit status says."""
    done, problems = _DONE_AND_PROBLEMS[command]
    told = f"{done}, {problems}" if problems else done
    return f"Exit status: {told}, 2 a usage error or a file that could not be read or written."


def _nearest_project(here: Path) -> Path:
    """The folder a command works on when none is given: this one if it holds bib/ or content/, else
    the nearest above it holding both, with content/taxonomy.yaml (a maintainer in content/studies/,
    as git finds its repository); this one when there is none (which is then reported)."""
    if not not_a_project(Project.at(here)):
        return here
    for folder in here.resolve().parents:
        if (folder / "content" / "taxonomy.yaml").is_file() and (folder / "bib").is_dir():
            return folder
    return here


def _reads_into(project: Project, out: Path) -> str:
    """Why `out` cannot be the output folder: it is in (or is) a folder the project's data is read
    from, where what is written would be read as data next time, or it holds the project, which
    replacing it would delete; '' when it can be."""
    target = out.resolve()
    for folder in (project.bib, project.content, project.templates):
        if target.is_relative_to(folder.resolve()):
            return (
                f"{out} is inside {folder}, which surveysite reads; choose an output folder outside "
                "bib/, content/ and templates/"
            )
    for folder in (project.root, project.templates):  # (the templates may be kept elsewhere)
        if folder.resolve().is_relative_to(target):
            return (
                f"{out} holds {folder}, which writing the output folder anew would delete; choose an "
                "output folder outside the project"
            )
    return ""


def _system_error(error: OSError) -> str:
    """An OSError as a sentence naming its file: 'cannot use /etc/hostname/sub: Not a directory'."""
    what = error.strerror or type(error).__name__
    if error.filename is None:
        return what
    name = str(error.filename)
    shown = name if len(name) <= 80 else name[:77] + "..."
    return f"cannot use {ascii(shown)[1:-1] if not shown.isprintable() else shown}: {what}"


def _command(args: argparse.Namespace) -> int:
    """Run one parsed command; returns its exit status."""
    if args.command == "init":
        requirement, private = (args.requirement, "") if args.requirement else default_requirement()
        if not args.folder.strip():  # ('' is this folder to a Path: `init "$DIR"` with DIR unset wrote here)
            print("surveysite: the folder's name is empty; give the folder to write the project into, e.g. "
                  "surveysite init my-survey --title ...", file=sys.stderr)  # fmt: skip
            return 2
        return _init(Path(args.folder), args.title, requirement, private)
    root = args.root if args.root is not None else _nearest_project(Path.cwd())
    if args.templates is not None and not args.templates.is_dir():  # (a mistyped one was taken for none)
        print(f"surveysite: --templates {args.templates}: no such folder", file=sys.stderr)
        return 2
    project = Project.at(root, args.templates, args.edit_url)
    # The project's folder when it is not this one but above or below it (found above, or given by
    # --root as a folder in this one): paths are then shown from here, as a terminal opens them.
    above = None
    here = Path.cwd().resolve()
    if project.root != here and (args.root is None or project.root.is_relative_to(here)):
        above = project.root
    if args.root is None and above is not None:
        print(f"surveysite: the survey project in {project.root}", file=sys.stderr)
    if not_a_project(project):  # a folder given by mistake (or none given, in the wrong folder): usage
        print(f"surveysite: {project.root}: {no_project(project.root)}", file=sys.stderr)
        return 2
    if args.command == "new":
        if args.file and args.bibtex:
            print(
                "surveysite new: give the file of entries once: `new FILE` or `new --bibtex FILE`",
                file=sys.stderr,
            )
            return 2
        return _new(project, args.file or args.bibtex, above, args.strip, args.rekey, args.skip_existing)
    if args.command == "issue-form":
        return _issue_form(project, above)
    if args.command == "published":
        return _published(project, above)
    if args.command == "format":
        return _format(project, args.check, above)
    if args.command in ("pages", "export") and (
        refused := _reads_into(project, args.out if args.command == "pages" else args.dir)
    ):  # before anything is read or written
        print(f"surveysite: {refused}", file=sys.stderr)
        return 2
    warm, last = (None, None) if args.no_cache or args.command == "check" else _stamped(args, project)
    if (
        warm is not None
        and last is not None
        and (count := up_to_date(warm[0], warm[1].stamp, last)) is not None
    ):
        for problem in kept_warnings(last):  # as the run that wrote them told them (a trial missed one)
            print(_from_here(problem, above))
        print(f"Nothing changed: {count} files in {warm[0].out} are up to date.", file=sys.stderr)
        used(warm[0])
        return 0
    # Only check, pages and export use it. Read with the collector paused, and what it holds moved to the
    # oldest generation: the collections its objects set off walked them all again (at 10,000
    # studies, 0.76 s against 0.33 s).
    with collector_paused(promote=True):
        memo = Memo(keep=False) if args.no_cache else load_memo(project.root)
    if args.command == "check":
        with collector_paused(promote=True):  # a run that ends here: see collector_paused
            problems = check(project, memo)  # reads the cache but does not rewrite it
        told: list[Problem | str] = [*problems] if args.format != "text" else _told_first(problems)
        for each in told:
            if isinstance(each, str):  # (what stands for the alike lines left out)
                print(each)
                continue
            # (GitHub reads an annotation's path from the repository's folder, wherever this ran)
            print(_formatted(_from_here(each, None if args.format == "github" else above), args.format))
        errors, warning_count = counted(problems)  # (with those of a file of many not told: Problems.sorted)
        warnings = f"{warning_count} warning(s)" if warning_count else ""
        if errors:
            print(f"{errors} problem(s) found{'; ' + warnings if warnings else ''}.", file=sys.stderr)
            return 1
        print(f"No problems found{'; ' + warnings if warnings else ''}.", file=sys.stderr)
        return 0
    try:
        # A run that ends here (see collector_paused). The cache and the stamp are written inside the
        # pause too: the stamp's few allocations set off a full collection that walked the whole
        # build, 0.7 s at 10,000 studies.
        with collector_paused(promote=True):
            # Before any output file is compared or its time read (a review found a file compared, then
            # rewritten in the same second by another writer, recorded as settled): see stamp._RACY_NS.
            # The time by the clock that stamps the output folder's files too, if it lags (see now_in):
            # `pages` alone records keys by it (an export records none).
            output = warm[0].out if warm is not None and args.command == "pages" else None
            since = now_in(output)
            # The study files the stamp hashed, by the digests of their bytes: see stamp.Inputs.
            read = {} if warm is None else warm[1].digests()
            files, kept, keys, out, warned = _generated(args, project, memo, trusted(last), read)
            try:
                left = write_tree(out, files, kept, args.command)
            except KeptFileGone:  # the output folder changed while the run made its files
                since = now_in(output)
                files, kept, keys, out, warned = _generated(args, project, memo, None, read)
                left = write_tree(out, files, kept, args.command)
            if not args.no_cache:
                save_memo(memo, project.root)
            if warm is not None:
                own = {*files, *kept, MARKER}  # what the run wrote there, and what it left as it was
                record(*warm, own, left, keys, since, warned)  # what the output holds, without walking it
    except DataError as error:
        for problem in error.problems:
            print(_from_here(problem, above))
        print(f"{sum(counted(error.problems))} problem(s) found; nothing written.", file=sys.stderr)
        return 1
    except OutputError as error:
        print(f"surveysite: {error}", file=sys.stderr)
        return 2
    for problem in warned:  # (what the data allows, but the site cannot keep: a move of the record)
        print(_from_here(problem, above))
    print(f"Wrote {len(files) + len(kept)} files to {out}.", file=sys.stderr)
    if args.command == "export":
        print(
            f"Build the site in {out} with `mkdocs build`, `properdocs build` or `zensical build`.",
            file=sys.stderr,
        )
        if (address := local_address(read_project_config(project))) is not None:
            print(
                f"Its site_url is {address}, this machine: the pages' canonical links and the sitemap name"
                " it; set the site's public address (SITE_URL) when you build a site to publish.",
                file=sys.stderr,
            )
    return 0


def _generated(
    args: argparse.Namespace,
    project: Project,
    memo: Memo,
    compare: Mapping[str, tuple[Seen, str]] | None,
    read: Mapping[str, str],
) -> tuple[dict[str, str | bytes], Mapping[str, Seen], Mapping[str, str], Path, tuple[Problem, ...]]:
    """The files `pages` or `export` writes, those it leaves as they are, the keys of the files it may
    trust next time (see stamp.trusted), where, and what the build warns of (see Site.warnings);
    raises DataError if the data has problems. With
    `compare` (the files the last run wrote, as stamp.trusted gives them; None: compare nothing),
    `pages` leaves out each page and file that an earlier run's output folder already holds (see
    render_site). `read`: the input files the stamp hashed, by path, and the digests of their bytes
    (see build_site)."""
    if args.command == "pages":
        kept_in = args.out if compare is not None and ours(args.out) else None
        site = build_site(project, memo, kept_in, compare or {}, read)
        return {**site.pages, **site.files, **site.encoded}, site.kept, site.keys, args.out, site.warnings
    config = read_project_config(project)
    project = with_plugin_options(project, config)
    site = build_site(project, memo, read=read, directory_urls=config.directory_urls)
    return export_tree(project, config, site), {}, {}, args.dir, site.warnings


def _stamped(
    args: argparse.Namespace, project: Project
) -> tuple[tuple[Run, Inputs] | None, dict[str, Any] | None]:
    """The inputs and stamp of this `pages` or `export` run (None when its inputs allow no shortcut),
    and what the last such run kept (see stamp.last_run), whose record of the input files spares
    reading again those unchanged since."""
    run = planned_run(project, args.command, args.out if args.command == "pages" else args.dir)
    if run is None:
        return None, None
    last = last_run(run)
    inputs = hashed_inputs(run, last, *input_clock(run))
    return (None if inputs is None else (run, inputs)), last


MAX_ENTRY_BYTES = 1_000_000  # `new` reads its entries: no more than this (not /dev/zero, nor `yes` piped in)


def _new(
    project: Project,
    bibtex_file: Path | None,
    above: Path | None = None,
    strip: bool = False,
    rekey: bool = False,
    skip_existing: bool = False,
) -> int:
    try:
        if bibtex_file is None:
            if sys.stdin.isatty():  # (a trial's `surveysite new` waited without a word)
                print(
                    "surveysite: reading BibTeX entries typed or pasted here; end with Ctrl-D on a line of "
                    "its own (Ctrl-Z, Enter on Windows), or give a file: surveysite new --bibtex FILE",
                    file=sys.stderr,
                )
            data = sys.stdin.buffer.read(MAX_ENTRY_BYTES + 1)
        else:
            with bibtex_file.open("rb") as stream:
                data = stream.read(MAX_ENTRY_BYTES + 1)
    except OSError as error:
        where = bibtex_file or "standard input"
        print(f"surveysite: cannot read the BibTeX entry from {where}: {error.strerror}", file=sys.stderr)
        return 2
    shown = str(bibtex_file) if bibtex_file else "<stdin>"
    if len(data) > MAX_ENTRY_BYTES:
        print(
            f"surveysite: {shown}: more than {MAX_ENTRY_BYTES:,} bytes, more than the entries of a batch; "
            "give the entries to add, a few hundred at a time. Nothing was added.",
            file=sys.stderr,
        )
        return 1
    try:
        # A mark at the start, or at a line's start: each file of `cat a.bib b.bib | surveysite new` may
        # begin with one (a file saved so was refused for it; a second was told as 'text outside any
        # entry' of a character no one could see).
        text = data.decode("utf-8").removeprefix(BYTE_ORDER_MARK).replace("\n" + BYTE_ORDER_MARK, "\n")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        print(
            f"surveysite: {shown}:{line}: byte 0x{data[error.start]:02x} is not UTF-8; save the entry as "
            "UTF-8. Nothing was added.",
            file=sys.stderr,
        )
        return 1
    try:
        left_out: list[tuple[Location, str, str, bool]] | None = [] if strip else None
        rekeyed: list[tuple[str, str]] | None = [] if rekey else None
        mended: Mended | None = [] if strip else None
        skipped: list[tuple[Location, str, str]] | None = [] if skip_existing else None
        keys, bib_file, study_files, warnings = add_studies(
            project, text, datetime.date.today().isoformat(), shown, left_out, rekeyed, mended, skipped
        )
    except ScaffoldError as error:
        print(f"surveysite: {error}", file=sys.stderr)
        return 2 if isinstance(error, NotWritten) else 1
    for warning in warnings:  # added all the same, as `check` would let them be: told now, not only then
        print(warning, file=sys.stderr)
    bib_shown, *studies_shown = (
        _path_from_here(str(f.relative_to(project.root)), above) for f in (bib_file, *study_files)
    )
    # (A maintainer's trial found its entry rewritten, '{EquiMol}: ...' braced, and was not told.)
    laid_out = (
        "in the site's BibTeX layout (as `surveysite format` writes it: names 'Last, First', words a "
        "style must keep in capitals braced)"
    )
    if skipped:
        print(
            "Already here, given twice or removed from the site, so left out as --skip-existing asks "
            f"({shown} is not changed):"
        )
        for place, key, entry in skipped:
            print(f"  {key} (line {place.line}): {entry}")
    if not keys:
        print("Nothing was added: every entry given is left out, as listed above.")
        return 0
    if left_out:  # (told first: what the maintainer's copy holds and bib/ will not)
        said = [(key, f"{name} (line {place.line})") for place, key, name, _ in left_out]
        _by_entry(f"Left out, as --strip asks ({shown} is not changed):", said, ", ")
    if mended:
        said = [(key, f"{what} (line {place.line})") for place, key, _, what in mended]
        _by_entry(f"Written as BibTeX reads them, as --strip asks ({shown} is not changed):", said, "; ")
    if rekeyed:
        print(f"Keys given as --rekey asks ({shown} is not changed):")
        for old, key in rekeyed:
            print(f"  {old} -> {key}")
    if len(keys) == 1:
        print(f"Added '{keys[0]}' to {bib_shown}, {laid_out}.")
        print(f"Created {studies_shown[0]}: replace every TODO, then run `surveysite check`.")
        return 0
    print(f"Added {len(keys)} entries to {bib_shown}, {laid_out}: {', '.join(keys)}.")
    print(f"Created {len(keys)} study files: in each, replace every TODO, then run `surveysite check`.")
    for shown_file in studies_shown:
        print(f"  {shown_file}")
    return 0


def _by_entry(heading: str, said: list[tuple[str, str]], separator: str) -> None:
    """Print the heading, then what is said of each entry on a line of its own, by its key ('' for
    what is between the entries)."""
    by_key: dict[str, list[str]] = {}
    for key, what in said:
        by_key.setdefault(key, []).append(what)
    print(heading)
    for key, told in by_key.items():
        print(f"  {key or 'between the entries'}: {separator.join(told)}")


def _init(folder: Path, title: str, requirement: str, private: str = "") -> int:
    try:
        written, theirs = init_project(folder, title, requirement, datetime.date.today())
    except InitError as error:
        print(f"surveysite: {error}", file=sys.stderr)
        return 2
    except FileRefused as error:  # (the issue form's: see write_issue_form)
        print(f"surveysite: {error}; nothing was written", file=sys.stderr)
        return 2
    except OSError as error:
        where = f" ({error.filename})" if error.filename else ""
        why = error.strerror or str(error)
        print(f"surveysite: cannot write the project: {why}{where}; nothing was written", file=sys.stderr)
        return 2
    here = folder.resolve() == Path.cwd().resolve()
    print(f"Wrote a new survey project of {len(written)} files to {'this folder' if here else folder}.")
    for path in theirs:  # a repository made on GitHub with its README and .gitignore (a trial was refused)
        kept = (
            "kept as it was"
            if path in KEPT_IF_THERE
            else "kept, any of init's lines it lacked added at its end"
        )
        print(f"  {path} was there already: {kept}")
    print(f"requirements.txt installs: {requirement}")
    if private:  # this copy came from a folder of this machine: the pinned version may be on no index
        print(
            f"  This surveysite was installed from {private}, which others cannot install from: if "
            f"{requirement} is on no package index the site is built with, put a requirement they can "
            "install in requirements.txt (e.g. surveysite @ git+https://github.com/OWNER/REPO@COMMIT), "
            "or give one to init with --requirement."
        )
    go = "" if here else f"cd {folder} && "
    if private:  # scripts/site installs requirements.txt, which then names what may be on no index
        print(f"Next: {go}surveysite check && mkdocs serve (scripts/site serve once requirements.txt names "
              "a surveysite it can install).")  # fmt: skip
    else:
        print(f"Next: {go}surveysite check && mkdocs build --strict (or: scripts/site serve).")
    return 0


def _from_here(problem: Problem, above: Path | None) -> Problem:
    """The problem with its place given from this folder (see _place_from_here)."""
    return problem if above is None else replace(problem, location=_place_from_here(problem.location, above))


def _place_from_here(where: Location, above: Path | None) -> Location:
    """A place in the project, its path from this folder when `above` (the project's folder, above or
    below this one) is given, as a terminal or an editor opens a path:line given from where the command
    ran; as it is otherwise."""
    return Location(_path_from_here(where.path, above), where.line)


def _path_from_here(path: str, above: Path | None) -> str:
    """A path in the project, from this folder when `above` is given (see _place_from_here); as it is
    otherwise, or when absolute."""
    return path if above is None or Path(path).is_absolute() else os.path.relpath(above / path)


ALIKE_SHOWN = 3  # study files told of one same problem before the rest are counted (see _told_first)
ALIKE_ALL = 10  # up to this many study files of one same problem are each told
STUDY_FILES = "content/studies/"


def _told_first(problems: list[Problem]) -> list[Problem | str]:
    """The problems as `check` tells them in its text: those of the survey's own files (survey.yaml,
    the taxonomy, bib/, templates) before the study files', and of one same problem in more study
    files than ALIKE_ALL, the first ALIKE_SHOWN and a line counting the rest. A maintainer's trial
    changed the taxonomy once and met some 150 lines, one per study and facet, with the taxonomy's
    own lines last; another, its first six studies just added, was told of three and not told which
    the other three were. (The other formats list every problem.)"""
    own = [p for p in problems if not p.location.path.startswith(STUDY_FILES)]
    studies = [p for p in problems if p.location.path.startswith(STUDY_FILES)]
    alike = Counter(p.message for p in studies)
    told: list[Problem | str] = [*own]
    seen: Counter[str] = Counter()
    for problem in studies:
        count = alike[problem.message]
        if count <= ALIKE_ALL:
            told.append(problem)
            continue
        seen[problem.message] += 1
        if seen[problem.message] <= ALIKE_SHOWN:
            told.append(problem)
        elif seen[problem.message] == ALIKE_SHOWN + 1:
            told.append(f"{STUDY_FILES}... ({count - ALIKE_SHOWN} more study files): {problem.message}")
    if any(isinstance(each, str) for each in told):
        told.append("(`surveysite check --format markdown` lists every study file)")
    return told


def _formatted(problem: Problem, style: str) -> str:
    where, message = problem.location, problem.message
    if style == "github":
        level = "warning" if problem.warning else "error"
        return f"::{level} file={_workflow_property(where.path)},line={where.line}::{_workflow_data(message)}"
    if style == "markdown":
        # One row of a table, whatever the data quoted in it holds: its line breaks shown as '\\n', its
        # HTML as text, and no link or image (a hostile-input trial's value put an image from another
        # site, and a row of its own, into the check workflow's summary). Backslashes first, which
        # would escape the escapes.
        # (The path is in a code span, where nothing is a link and a backslash shows as it is.)
        path, text = (
            html.escape(shown_on_one_line(t), quote=False).replace("|", "&#124;")
            for t in (str(where), message)
        )
        text = text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")
        path = path.replace("`", "'")
        return f"| `{path}` | {'warning: ' if problem.warning else ''}{text} |"  # (as the text says it)
    return str(problem)


def _issue_form(project: Project, above: Path | None = None) -> int:
    try:
        written: list[str] = []
        problems = write_issue_form(project.root, written)
    except FileRefused as error:  # (naming the file: see write_issue_form)
        print(f"surveysite: {error}; nothing was changed", file=sys.stderr)
        return 2
    except OSError as error:
        print(f"surveysite: cannot write {FORM_PATH}: {error.strerror or error}", file=sys.stderr)
        return 2
    if problems:
        for problem in problems:
            print(_from_here(problem, above))
        print("Fix these first; the issue form was not written.", file=sys.stderr)
        return 1
    guide = f", and the example study file of {_path_from_here(GUIDE, above)}" if GUIDE in written else ""
    print(f"Wrote {_path_from_here(FORM_PATH, above)}{guide}.", file=sys.stderr)
    return 0


def _published(project: Project, above: Path | None = None) -> int:
    try:
        added, problems = record_addresses(project)
    except (FileRefused, OSError) as error:
        print(f"surveysite: cannot write {PUBLISHED_PATH}: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(_from_here(problem, above))
    shown = _path_from_here(PUBLISHED_PATH, above)
    if any(not problem.warning for problem in problems):
        kept = "was left as it is" if keeps_record(project.root) else "was not written"
        print(f"Fix these first; {shown} {kept}.", file=sys.stderr)
        return 1
    if added:
        print(f"Added {added} page address{'es' if added > 1 else ''} to {shown}.", file=sys.stderr)
    else:
        print(f"{shown} records every page address the site has; nothing to add.", file=sys.stderr)
    return 0


def _workflow_data(text: str) -> str:
    """Text as a GitHub workflow command's message: no line break can start a command of its own."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _workflow_property(text: str) -> str:
    """Text as a workflow command's property value, where ':' and ',' also end it."""
    return _workflow_data(text).replace(":", "%3A").replace(",", "%2C")


def _format(project: Project, check_only: bool, above: Path | None = None) -> int:
    tex = load_survey(project.root, Problems()).tex_commands  # (its own problems: check's to tell)
    unwritten: list[str] = []
    changed, problems = format_files(
        project.root, project.bib, write=not check_only, tex=tex, unwritten=unwritten
    )
    for problem in problems:
        print(_from_here(problem, above))
    for place, what in changed:
        where = _place_from_here(place, above)
        if check_only:
            print(f"{where}: {what}; {FORMAT_HINT}")
        else:
            print(f"{where.path}: formatted")
    if problems:
        print(f"{len(problems)} problem(s) found; those files were left as they are.", file=sys.stderr)
    elif not changed:  # (a trial took a silent run for one that did nothing)
        print("Every .bib file is in the project's layout already; nothing to change.", file=sys.stderr)
    return 2 if unwritten else 1 if problems or (check_only and changed) else 0
