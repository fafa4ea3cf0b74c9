"""The user docs (README.md and docs/*.md) speak of what users have: files of this repository, never the
maintainers' reference files beside it, nor the sections of those files; and the README names every
test marker and how to run it."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
USER_DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
TOP_LEVEL = {path.name for path in REPO.iterdir()}


def text_of(doc: Path) -> str:
    return doc.read_text(encoding="utf-8")


def named_paths(text: str) -> list[str]:
    """Repository paths a doc names: `code` spans that start with a top-level entry of the repository
    (`docs/control-api.md`, `tests/hostile/`), and relative Markdown link targets."""
    spans = [span for span in re.findall(r"`([^`\s]+)`", text)
             if "/" in span and span.split("/", 1)[0] in TOP_LEVEL and "://" not in span]
    links = [target.split("#", 1)[0] for target in re.findall(r"\]\(([^)\s]+)\)", text)
             if not re.match(r"[a-z]+:|#", target)]
    return spans + links


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda doc: doc.name)
def test_a_user_doc_never_points_beside_the_repository(doc):
    text = text_of(doc)
    assert [word for word in ("../shared", "shared/reference", "shared/clients", "shared/tools", "facts", "§")
            if re.search(rf"(?<![\w-]){re.escape(word)}", text)] == []


@pytest.mark.parametrize("doc", USER_DOCS, ids=lambda doc: doc.name)
def test_a_user_doc_names_only_files_of_the_repository(doc):
    base = REPO if doc.parent == REPO else doc.parent
    missing = [path for path in named_paths(text_of(doc))
               if not (REPO / path).exists() and not (base / path).exists()]
    assert missing == []


def test_the_check_finds_a_missing_file():
    assert named_paths("see `docs/nothing.md` and [that](missing.md#part), not `/_mock/leads`") == [
        "docs/nothing.md", "missing.md"]


def test_the_readme_never_says_to_install_from_a_package_index():
    """mockmarketo is not published on any index: `pip install mockmarketo` would fail."""
    assert re.findall(r"pip install '?mockmarketo(?!\s*[\w.\[/@-])", text_of(REPO / "README.md")) == []


def test_the_readme_names_every_marker_and_how_to_run_it():
    config = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["pytest"]["ini_options"]
    markers = [line.split(":", 1)[0] for line in config["markers"]]
    readme = text_of(REPO / "README.md")
    assert [marker for marker in markers if f"`python3 -m pytest -m {marker}`" not in readme] == []
    assert sorted(markers) == ["browser", "container", "interop", "postgres", "reference", "slow"]
