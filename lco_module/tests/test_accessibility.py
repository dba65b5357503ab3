import json
import os
from pathlib import Path
from unittest import SkipTest

from odoo.tests import HttpCase, tagged

from ..controllers.request_form import FORM_URL, THANKS_URL
from .common import skip_without_demo
from .test_bilingual import load_languages
from .test_evaluation import LcoEvaluationCommon

# axe-core (MPL-2.0) from npm, installed by tools/test.sh into tests/.axe
# (`npm ci --prefix tests/.axe`); LCO_AXE_JS names another copy.
AXE_JS = Path(
    os.environ.get("LCO_AXE_JS")
    or Path(__file__).resolve().parents[2]
    / "tests/.axe/node_modules/axe-core/axe.min.js"
)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

# Runs in the page once it is loaded: axe-core's WCAG 2.1 A/AA rules, then
# what keyboard use needs (no positive tabindex, every visible control in the
# tab order, a visible focus). Fails with each violation's id and targets.
CHECK_JS = """
(async () => {
    const failures = [];
    const result = await window.axe.run(document, {
        runOnly: {type: "tag", values: %(tags)s},
        resultTypes: ["violations"],
    });
    for (const violation of result.violations) {
        const targets = violation.nodes.map((node) => node.target.join(" ")).join(", ");
        failures.push(`${violation.id} (${violation.impact}): ${targets}`);
    }
    const controls = "a[href], button, input, select, textarea, summary, [tabindex], [role=button]";
    for (const el of document.querySelectorAll(controls)) {
        const style = getComputedStyle(el);
        const shown = el.getClientRects().length && style.visibility !== "hidden";
        if (!shown || el.disabled || el.type === "hidden") {
            continue;
        }
        const name = el.outerHTML.slice(0, 120);
        if (el.tabIndex > 0) {
            failures.push(`positive tabindex: ${name}`);
        } else if (el.tabIndex < 0 && !el.closest("[inert]")) {
            failures.push(`not reachable with Tab: ${name}`);
        } else {
            el.focus();
            const focused = getComputedStyle(el);
            const visible = (focused.outlineStyle !== "none" && parseFloat(focused.outlineWidth) > 0)
                || focused.boxShadow !== "none";
            if (document.activeElement !== el) {
                failures.push(`cannot take focus: ${name}`);
            } else if (!visible) {
                failures.push(`focus not visible: ${name}`);
            }
            el.blur();
        }
    }
    if (!document.documentElement.lang) {
        failures.push("no lang on <html>");
    }
    if (failures.length) {
        console.error(`${location.pathname}: ${failures.length} failure(s)\\n`
            + failures.join("\\n"));
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestAccessibility(LcoEvaluationCommon, HttpCase):
    """Every page lco_module serves outside the back office passes axe-core's
    WCAG 2.1 A/AA rules at phone width, in Dutch and in French, and every
    control on it is reached and seen with the keyboard: as the public (the
    request form, the evaluation link of the mail, the login page), as Kim
    (the client, on the portal) and as Ann (an outside aid worker)."""

    browser_size = "390x844"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        if not AXE_JS.is_file():
            message = (
                f"axe-core is not installed ({AXE_JS}): npm ci --prefix tests/.axe"
            )
            if os.environ.get("LCO_AXE_REQUIRED"):
                raise AssertionError(message)
            raise SkipTest(message)
        cls.axe = AXE_JS.read_text()
        load_languages(cls.env)
        # A consent Kim is asked to give on the portal.
        case = cls.case_a1.with_user(cls.coordinator_a)
        cls.asked = cls.env["lco.consent"].browse(case.action_new_consent()["res_id"])
        # Rita answered by the link of her mail: its page thanks her.
        cls.answer(cls.eval_aunt, 4, 4, 5, 3, 4, 5, comment="Goed")

    def check(self, url, login=None):
        """axe-core and the keyboard checks on ``url``, as ``login``."""
        code = f"{self.axe}\n{CHECK_JS % {'tags': json.dumps(WCAG_TAGS)}}"
        with self.subTest(url=url, login=login, lang=self.lang):
            try:
                self.browser_js(url, code, login=login, timeout=120)
            except AssertionError as error:
                # Only what failed, not the 650 kB of axe-core in the code.
                raise AssertionError(str(error).rpartition('" failed')[2]) from None

    def evaluation_url(self, evaluation):
        return f"/lco/evaluation/{evaluation.id}?access_token={evaluation.access_token}"

    def test_public_pages(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = lang
            self.client_a1.lang = self.aunt_a1.lang = lang
            self.check(f"{FORM_URL}?lang={lang}")
            self.check(f"{THANKS_URL}?lang={lang}")
            self.check(self.evaluation_url(self.eval_client))
            self.check(self.evaluation_url(self.eval_aunt))
        # Odoo's login page speaks the browser's language (Accept-Language).
        self.lang = None
        self.check("/web/login")

    def test_client_portal(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = self.portal_client.lang = lang
            for url in (
                "/my",
                "/my/lco",
                f"/my/lco/{self.case_a1.id}",
                f"/my/lco/consent/{self.asked.id}",
                f"/lco/evaluation/{self.eval_client.id}",
            ):
                self.check(url, login=self.portal_client.login)

    def test_outside_aid_worker_portal(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = self.portal_external.lang = lang
            for url in ("/my", "/my/lco", f"/my/lco/{self.case_a1.id}"):
                self.check(url, login=self.portal_external.login)

    def test_aunt_with_an_overdue_agreement(self):
        """Rita's own agreement is overdue: its red badge stays readable."""
        for lang in ("nl_BE", "fr_BE"):
            self.lang = self.portal_aunt.lang = lang
            self.check(f"/my/lco/{self.case_a1.id}", login=self.portal_aunt.login)

    def test_demo_portal_users(self):
        """The demo's client and housing consultant on their own case, where
        the review measured a colour-contrast failure. Skipped only without
        demo data (a production database); failing where the demo was
        installed and its portal users are missing."""
        skip_without_demo(self)
        users = [
            self.env.ref(f"lco_module.user_portal_{name}")
            for name in ("client", "external")
        ]
        for user in users:
            cases = self.env["lco.case"].with_user(user).search([])
            for lang in ("nl_BE", "fr_BE"):
                self.lang = user.lang = lang
                for url in (
                    "/my",
                    "/my/lco",
                    *(f"/my/lco/{case.id}" for case in cases),
                ):
                    self.check(url, login=user.login)
