"""`make run` where python3 cannot import Odoo: tools/bootstrap.sh sets Odoo
18.0 up in the checkout from its source, and the addon runs on it.

No network: the Odoo source is the local tree this suite runs on (copied as a
directory: 1 GB; with fewer addons it is no valid Odoo) or a small git
repository made here. python3 imports Odoo on this machine, so
ODOO_BOOTSTRAP=1 forces the set-up, into a temporary ODOO_DIR and VENV_DIR.
The venv is made with VENV_OPTIONS="--system-site-packages --without-pip":
pip finds Odoo's pinned requirements installed instead of downloading them,
and runs from the system (installing pip into a venv takes 20 s here);
everything else takes the path of a bare machine. The set-ups take minutes:
they are marked ``bootstrap`` and run by ``make test-bootstrap``.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from conftest import ROOT, RpcClient, _free_port, _setting

BOOTSTRAP = ROOT / "tools" / "bootstrap.sh"
VENV_OPTIONS = "--system-site-packages --without-pip"


def _odoo_source():
    """The Odoo source tree that python3 imports here (not imported itself)."""
    return Path(importlib.util.find_spec("odoo").origin).parents[1]


def _env(tmp_path, **values):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"PYTHON", "DB_PORT", "DB_PASSWORD", "WORKERS"}
    }
    env.update(
        ODOO_BOOTSTRAP="1",
        VENV_OPTIONS=VENV_OPTIONS,
        ODOO_DIR=str(tmp_path / ".odoo"),
        VENV_DIR=str(tmp_path / ".venv"),
        **values,
    )
    return env


def _bash(env, script):
    """Run ``script`` after sourcing tools/common.sh, as the make targets do."""
    return subprocess.run(
        ["bash", "-c", f"set -euo pipefail; source tools/common.sh; {script}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def _wait_for_health(process, url, log_path, timeout=1200):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"make run stopped:\n{log_path.read_text()[-5000:]}")
        try:
            if requests.get(f"{url}/web/health", timeout=5).ok:
                return
        except requests.ConnectionError:
            pass
        time.sleep(1)
    pytest.fail(f"make run did not serve within {timeout} s")


@pytest.mark.bootstrap
def test_make_run_sets_odoo_up_from_a_source_directory(tmp_path):
    port = _free_port()
    env = _env(
        tmp_path,
        ODOO_SOURCE=str(_odoo_source()),
        DB=f"lco_bootstrap_{port}",
        DB_HOST=_setting("LCO_DB_HOST"),
        DB_USER=_setting("LCO_DB_USER"),
        DATA_DIR=str(tmp_path / "data"),
        HTTP_PORT=str(port),
        DEMO="0",
    )
    log_path = tmp_path / "run.log"
    venv_python = str(tmp_path / ".venv" / "bin" / "python")
    started = time.monotonic()
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [str(ROOT / "tools" / "run.sh")],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_for_health(process, url, log_path)
        print(
            f"make run: Odoo set up, addon installed in {time.monotonic() - started:.0f} s"
        )

        admin = RpcClient(url, env["DB"], "admin", "admin")
        module = admin.call(
            "ir.module.module",
            "search_read",
            [("name", "=", "lco_module")],
            fields=["state"],
        )
        assert module[0]["state"] == "installed"
        assert "Copying the Odoo source tree" in log_path.read_text()

        # The server is the venv's python, on the copy of the source.
        argv = Path(f"/proc/{process.pid}/cmdline").read_text().split("\0")
        assert argv[0] == venv_python
        addons = argv[argv.index("--addons-path") + 1].split(",")
        assert addons[:2] == [
            str(tmp_path / ".odoo" / "odoo" / "addons"),
            str(tmp_path / ".odoo" / "addons"),
        ]
        odoo_file = subprocess.run(
            [venv_python, "-c", "import odoo; print(odoo.__file__)"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert odoo_file == str(tmp_path / ".odoo" / "odoo" / "__init__.py")
        process.terminate()
        process.wait(timeout=60)

        # Once set up, the tools use the venv and fetch nothing again.
        started = time.monotonic()
        again = _bash(env, 'require_odoo run; echo "PYTHON=$PYTHON"')
        assert again.returncode == 0, again.stderr
        assert again.stdout.strip() == f"PYTHON={venv_python}"
        assert "Copying" not in again.stderr
        print(f"make run once set up: {time.monotonic() - started:.0f} s to check")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        # 1 GB, not to be kept by pytest with its last three temporary dirs
        # (rm takes a fifth of the time of shutil.rmtree here).
        started = time.monotonic()
        subprocess.run(["rm", "-rf", str(tmp_path / ".odoo")], check=False)
        print(f"removing the copy of Odoo: {time.monotonic() - started:.0f} s")


@pytest.mark.bootstrap
def test_bootstrap_clones_a_local_git_repository(tmp_path):
    """The clone path, on a stand-in of Odoo: only what bootstrap.sh looks at."""
    work = tmp_path / "work"
    (work / "odoo").mkdir(parents=True)
    (work / "odoo" / "__init__.py").write_text("")
    (work / "odoo" / "release.py").write_text(
        "version_info = (18, 0, 0, 'final', 0, '')\n"
    )
    (work / "requirements.txt").write_text("# nothing to install offline\n")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com"]
    subprocess.run([*git, "init", "-q", "-b", "18.0", str(work)], check=True)
    subprocess.run([*git, "-C", str(work), "add", "."], check=True)
    subprocess.run([*git, "-C", str(work), "commit", "-qm", "Odoo"], check=True)
    repository = tmp_path / "odoo.git"
    subprocess.run(
        ["git", "clone", "-q", "--bare", str(work), str(repository)], check=True
    )
    env = _env(tmp_path, ODOO_SOURCE=str(repository), DB_HOST="/nowhere")

    result = _bash(env, 'require_odoo run; echo "PYTHON=$PYTHON"')

    assert result.returncode == 0, result.stderr
    venv_python = tmp_path / ".venv" / "bin" / "python"
    assert result.stdout.strip() == f"PYTHON={venv_python}"
    assert f"Cloning Odoo 18.0 from file://{repository}" in result.stderr
    assert (tmp_path / ".odoo" / ".git").is_dir()
    odoo_file = subprocess.run(
        [str(venv_python), "-c", "import odoo.release; print(odoo.__file__)"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert odoo_file == str(tmp_path / ".odoo" / "odoo" / "__init__.py")
    # What gevent (the websocket of make run WORKERS=n) needs is pinned, and
    # checked: it patches the venv's python.
    requirements = (tmp_path / ".venv" / "odoo-requirements.txt").read_text()
    assert {"zope.interface==7.2", "zope.event==5.0"} <= set(requirements.split())
    subprocess.run(
        [str(venv_python), "-c", "import gevent.monkey; gevent.monkey.patch_all()"],
        check=True,
    )


def test_bootstrap_tells_which_system_packages_are_missing(tmp_path):
    """Before any download: git for the clone, Chromium for make test, and
    wkhtmltopdf, hidden here from PATH."""
    hidden = {"git", "chromium", "chromium-browser", "google-chrome", "wkhtmltopdf"}
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for directory in os.environ["PATH"].split(os.pathsep):
        if not os.path.isdir(directory):
            continue
        for name in os.listdir(directory):
            target = bin_dir / name
            if name not in hidden and not target.exists():
                target.symlink_to(Path(directory, name))
    env = _env(
        tmp_path,
        PATH=str(bin_dir),
        PYTHON=sys.executable,
        ODOO_SOURCE="https://odoo.invalid/odoo.git",
    )

    result = subprocess.run(
        [shutil.which("bash"), str(BOOTSTRAP), "test"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 1
    command = "apt-get install -y" if os.getuid() == 0 else "sudo apt-get install -y"
    lines = [line for line in result.stderr.splitlines() if command in line]
    assert lines, result.stderr
    assert {"git", "chromium", "wkhtmltopdf"} <= set(lines[-1].split()), lines
    assert not (tmp_path / ".odoo").exists()
    assert not (tmp_path / ".venv").exists()
