"""The addon (and its bridge to privacy_lookup) builds as an installable wheel,
the way OCA addons are packaged."""

import subprocess
import sys
import zipfile

import pytest
from conftest import ROOT

# Each addon of the repository, with files its wheel must hold.
ADDONS = {
    "lco_module": (
        "__manifest__.py",
        "security/ir.model.access.csv",
        "i18n/nl.po",
        "static/description/icon.png",
    ),
    "lco_portal": (
        "__manifest__.py",
        "security/ir.model.access.csv",
        "i18n/nl.po",
    ),
    "lco_privacy_lookup": (
        "__manifest__.py",
        "wizard/privacy_lookup_wizard.py",
        "i18n/nl.po",
    ),
}


@pytest.mark.parametrize("addon", ADDONS)
def test_addon_builds_as_a_wheel(tmp_path, addon):
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
            str(ROOT / addon),
        ],
        check=True,
    )
    [wheel] = tmp_path.glob(f"odoo_addon_{addon}-18.0.*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(
            archive.read(name).decode() for name in names if name.endswith("METADATA")
        )
    prefix = f"odoo/addons/{addon}/"
    for path in ADDONS[addon]:
        assert prefix + path in names
    assert "Requires-Dist: odoo==18.0.*" in metadata
