"""The README's Quickstart stays true: two lines, and CI runs the test line verbatim."""

import re

from conftest import ROOT


def quickstart_lines() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quickstart", 1)[1].split("\n## ", 1)[0]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quickstart_is_two_lines_scan_then_tests():
    install_and_scan, tests = quickstart_lines()
    assert "pip install -e ." in install_and_scan and "syndicate scan sample_corpus/" in install_and_scan
    assert "pip install -e '.[test]'" in tests and "pytest" in tests


def test_ci_runs_the_readme_test_line_verbatim():
    _, tests = quickstart_lines()
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert tests in ci


def test_install_instructions_name_this_project():
    """'syndicate' on PyPI is another project: no instruction may install it."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^name = "syndicate-news"', pyproject, re.M)
    texts = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md")), *sorted((ROOT / "syndicate").rglob("*.py"))]
    for path in texts:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"pip install ['\"]?syndicate(\[|\s|['\"]|$)", text, re.M), path
