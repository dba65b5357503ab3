"""Lint: the hooks of .pre-commit-config.yaml, as `make lint` runs them (ruff,
pylint-odoo, oca-checks-odoo-module, oca-checks-po, each addon's README.rst and
index.html generated from its readme/ fragments, ...)."""

import subprocess
import sys

from conftest import ROOT


def test_pre_commit_hooks_pass():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pre_commit",
            "run",
            "--all-files",
            "--show-diff-on-failure",
            "--color=never",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
