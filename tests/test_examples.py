"""Every Python example in the README and docs/ runs as written, from a clone, on sample_corpus/.

The blocks run in the order a reader meets them (README, getting started,
library, nightly), each as a plain script in a new process, in one folder that
holds ``sample_corpus/`` as a clone does: later blocks read the databases
earlier ones made. The README's library example also runs without its
``__main__`` guard, from stdin as a REPL reads it, and through ``exec`` as a
notebook cell runs it: the scan's worker processes must never run the caller's
code again.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT

PAGES = ["README.md", "docs/getting-started.md", "docs/library.md", "docs/nightly.md"]
FENCE = re.compile(r"^( *)```python\n(.*?)^\1```", re.S | re.M)


def python_blocks() -> list[tuple[str, str]]:
    blocks = []
    for page in PAGES:
        text = (ROOT / page).read_text(encoding="utf-8")
        for m in FENCE.finditer(text):
            line = text[: m.start()].count("\n") + 1
            blocks.append((f"{page}:{line}", textwrap.dedent(m.group(2))))
    return blocks


BLOCKS = python_blocks()


def clone_like(tmp_path_factory, name: str) -> Path:
    """A folder laid out as a clone is, for the examples' relative paths."""
    folder = tmp_path_factory.mktemp(name)
    (folder / "sample_corpus").symlink_to(ROOT / "sample_corpus", target_is_directory=True)
    return folder


@pytest.fixture(scope="module")
def clone(tmp_path_factory) -> Path:
    return clone_like(tmp_path_factory, "clone")


def run_python(folder: Path, args: list[str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, *args], cwd=folder, input=stdin, capture_output=True, text=True,
                          timeout=300)


def test_the_docs_have_python_examples():
    assert len(BLOCKS) >= 10 and {where.split(":")[0] for where, _ in BLOCKS} == set(PAGES)


@pytest.mark.parametrize("where, code", BLOCKS, ids=[where for where, _ in BLOCKS])
def test_every_python_example_runs_as_a_script(clone, where, code):
    script = clone / f"example_{re.sub(r'[^a-z0-9]+', '_', where.lower())}.py"
    script.write_text(code, encoding="utf-8")
    done = run_python(clone, [script.name])
    assert done.returncode == 0, f"{where}\n{done.stderr}"
    assert "Traceback" not in done.stderr and done.stdout.strip(), where


def unguarded(code: str) -> str:
    """The code with its ``if __name__ == "__main__":`` block run at top level, as a notebook user writes it."""
    head, guard, body = code.partition('if __name__ == "__main__":')
    assert guard, "the README example has a __main__ guard to take away"
    body = body.split("\n", 1)[1]
    return head + textwrap.dedent(body)


@pytest.mark.parametrize("how", ["script without guard", "REPL from stdin", "notebook exec"])
def test_the_readme_library_example_runs_without_a_main_guard(clone, tmp_path, how):
    readme = next(code for where, code in BLOCKS if where.startswith("README.md"))
    code = unguarded(readme).replace('"syndicate.duckdb"', repr(str(tmp_path / "guardless.duckdb")))
    if how == "script without guard":
        script = tmp_path / "plain.py"
        script.write_text(code, encoding="utf-8")
        done = run_python(clone, [str(script)])
    elif how == "REPL from stdin":
        done = run_python(clone, ["-"], stdin=code)
    else:
        done = run_python(clone, ["-c", f"exec(compile({code!r}, '<cell>', 'exec'), {{'__name__': '__main__'}})"])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "being written" not in done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].startswith("29 pages read (29 new,")  # one scan, not one per worker
    assert sum(line.startswith("29 pages read") for line in lines) == 1


# ---- the documented commands and their output ------------------------------------------------------------------

QUERY_COMMANDS = {"sql", "copies", "origin", "top"}
DOCUMENTED = ["README.md", "docs/getting-started.md", "docs/commands.md", "docs/sql.md"]


def documented_commands() -> list[tuple[str, str, str]]:
    """(where, command, output) of every query command in a console block that runs on the sample database as is:
    no other --db, no --write, no pipe, not an example of an error."""
    found = []
    for page in DOCUMENTED:
        lines = (ROOT / page).read_text(encoding="utf-8").split("\n")
        in_console, i = False, 0
        while i < len(lines):
            line = lines[i]
            if line.startswith("```"):
                in_console = line.startswith("```console") and not in_console
                i += 1
                continue
            if not (in_console and line.startswith("$ syndicate ")):
                i += 1
                continue
            command, j = line[2:], i + 1
            while command.count('"') % 2 and j < len(lines):  # a quoted query over several lines
                command += "\n" + lines[j]
                j += 1
            k = j
            while k < len(lines) and not lines[k].startswith(("$ ", "```")):
                k += 1
            output = "\n".join(lines[j:k]).rstrip("\n")
            words = command.split()
            if (words[1] in QUERY_COMMANDS and not {"--db", "--write", "|"} & set(words)
                    and not output.startswith("error:")):
                found.append((f"{page}:{i + 1}", command, output))
            i = k
    return found


COMMANDS = documented_commands()


@pytest.fixture(scope="module")
def sample_folder(tmp_path_factory) -> Path:
    folder = clone_like(tmp_path_factory, "documented")
    done = run_python(folder, ["-m", "syndicate", "scan", "sample_corpus/", "--workers", "1"])
    assert done.returncode == 0, done.stderr
    return folder


def test_the_docs_show_query_commands():
    assert len(COMMANDS) >= 12 and {where.split(":")[0] for where, _, _ in COMMANDS} == set(DOCUMENTED)


@pytest.mark.parametrize("where, command, output", COMMANDS, ids=[where for where, _, _ in COMMANDS])
def test_every_documented_query_prints_what_the_docs_show(sample_folder, monkeypatch, where, command, output):
    import shlex

    from click.testing import CliRunner

    from syndicate.cli import cli

    monkeypatch.chdir(sample_folder)
    result = CliRunner().invoke(cli, shlex.split(command, comments=True)[1:])
    assert result.exit_code == 0, f"{where}: {result.output}"
    assert result.stdout.rstrip("\n") == output, where
