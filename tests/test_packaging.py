"""The addon builds as an installable wheel, the way OCA addons are packaged."""

import subprocess
import sys
import zipfile

from conftest import ROOT


def test_addon_builds_as_a_wheel(tmp_path):
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(tmp_path),
            str(ROOT / "lco_module"),
        ],
        check=True,
    )
    [wheel] = tmp_path.glob("odoo_addon_lco_module-18.0.*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(
            archive.read(name).decode() for name in names if name.endswith("METADATA")
        )
    prefix = "odoo/addons/lco_module/"
    for path in (
        "__manifest__.py",
        "security/ir.model.access.csv",
        "i18n/nl.po",
        "static/description/icon.png",
    ):
        assert prefix + path in names
    assert "Requires-Dist: odoo==18.0.*" in metadata
