"""The README's promises that files elsewhere must keep: the two set-up commands, and CI running the
test command exactly as the README states it."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()


def setup_commands() -> list[str]:
    section = README.split("## Set-up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^    (python3 .+)$", section, re.M)


def test_readme_states_exactly_two_setup_commands():
    assert setup_commands() == ["python3 -m pip install . && mockmarketo serve",
                                "python3 -m pip install -e '.[test]' && python3 -m pytest"]


def test_ci_runs_the_readmes_test_command():
    assert setup_commands()[1] in (REPO / ".ci" / "run").read_text().splitlines()


def test_readme_example_is_the_example_file_the_suite_runs():
    example = (REPO / "examples" / "test_signup.py").read_text().rstrip("\n")
    assert f"```python\n{example}\n```" in README
