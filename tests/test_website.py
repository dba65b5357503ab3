"""Website beside the addon: with `website` installed, Odoo narrows each
request of the website to the website's company. The portal's tests
(lco_portal) run in a copy of the demo database with Website installed, among them
TestPortalTwoOrganisations: an outside aid worker who takes part in cases of
two organisations sees both on /my/lco. The request form's links then carry
Website's language prefix (/nl/...)."""

import re
import subprocess

from conftest import _setting, odoo_command
from test_backup_restore import copy_database, drop_database

DB = "lco_website"
CLASSES = (
    "lco_portal:TestPortalTwoOrganisations",
    "lco_portal:TestPortalHttp",
    "lco_portal:TestPortalAccess",
    "lco_portal:TestPortalProposals",
    "lco_portal:TestPortalReportDownload",
    "lco_portal:TestPortalProposalHttp",
    "lco_portal:TestEvaluationHttp",
    "lco_request_form:TestRequestForm",
)
SUMMARY = r"(\d+) failed, (\d+) error\(s\) of (\d+) tests"


def run_odoo(log, *args):
    with open(log, "w") as output:
        done = subprocess.run(
            odoo_command(DB, *args, "--stop-after-init", "--http-port", "0"),
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=1800,
            check=False,
        )
    return done.returncode, log.read_text()


def test_portal_tests_pass_with_website(tmp_path):
    copy_database(_setting("LCO_DB"), DB)
    try:
        status, text = run_odoo(
            tmp_path / "website.log", "-i", "website", "--log-level=warn"
        )
        assert status == 0, text[-3000:]
        status, text = run_odoo(
            tmp_path / "tests.log",
            "--test-enable",
            "--test-tags",
            ",".join(f"/{name}" for name in CLASSES),
            "--log-level=warn",
            "--log-handler=odoo.tests.result:INFO",
        )
        found = re.findall(SUMMARY, text)
        assert found, f"no test summary: {text[-3000:]}"
        failed, errors, count = map(int, found[-1])
        assert (failed, errors) == (0, 0), "\n".join(
            line for line in text.splitlines() if "FAIL:" in line or "ERROR:" in line
        )
        assert count >= 40, f"only {count} tests ran"
    finally:
        drop_database(DB)
