"""Lint: ruff for Python style, pylint-odoo for the Odoo-specific checks."""

import subprocess
import sys

from conftest import ROOT


def run(*command):
    result = subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check():
    run(sys.executable, "-m", "ruff", "check", ".")


def test_ruff_format():
    run(sys.executable, "-m", "ruff", "format", "--check", ".")


def test_pylint_odoo():
    run(
        sys.executable,
        "-m",
        "pylint",
        "--rcfile=.pylintrc",
        "lco_module",
        "lco_privacy_lookup",
    )
