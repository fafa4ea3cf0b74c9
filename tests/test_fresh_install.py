"""The package as a user gets it: a wheel installed into a new virtual environment, whose pytest picks
up the plugin with no configuration and runs the README's example test file (issue 4, "Done when")."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]


def run(*command, cwd=None, timeout=600):
    result = subprocess.run([str(c) for c in command], capture_output=True, text=True, cwd=cwd, timeout=timeout)
    assert result.returncode == 0, f"{command} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
    return result.stdout


def test_example_tests_pass_in_a_fresh_project_after_pip_install(tmp_path):
    dist = tmp_path / "dist"
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist, REPO)
    [wheel] = dist.glob("mockmarketo-*.whl")
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    run(python, "-m", "pip", "install", "-q", wheel, "pytest", "zeep")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(REPO / "examples" / "test_signup.py", project / "test_signup.py")
    output = run(python, "-m", "pytest", "-q", "-p", "no:cacheprovider", cwd=project)
    assert "4 passed" in output
    # the packaged WSDL is served from inside the installed package
    check = "from mockmarketo.soap.wsdl import wsdl_path; print(wsdl_path())"
    assert "site-packages/mockmarketo/schemas/mktows.wsdl" in run(python, "-c", check, cwd=project)
    # the console's templates and static files ship in the wheel: its pages render from the installed package
    check = ("from werkzeug.test import Client; from mockmarketo.app import MockMarketoApp; "
             "from mockmarketo.config import Settings; c = Client(MockMarketoApp(Settings())); "
             "print(c.get('/_mock/ui/').status_code, c.get('/_mock/ui/static/console.js').status_code)")
    assert run(python, "-c", check, cwd=project).split() == ["200", "200"]
