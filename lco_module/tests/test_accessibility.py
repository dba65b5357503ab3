import json
import os
from pathlib import Path
from unittest import SkipTest

from odoo.tests import HttpCase, tagged

from .common_portal import LcoEvaluationCommon
from .test_bilingual import load_languages

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


class LcoAxeCase(HttpCase):
    """A page checked with axe-core's WCAG 2.1 A/AA rules and the keyboard
    checks (CHECK_JS), at phone width. Skipped without axe-core, unless
    LCO_AXE_REQUIRED says it must be there (make test)."""

    browser_size = "390x844"
    # The language the pages are checked in, for the report of a failure.
    lang = None

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

    def check(self, url, login=None):
        """axe-core and the keyboard checks on ``url``, as ``login``."""
        code = f"{self.axe}\n{CHECK_JS % {'tags': json.dumps(WCAG_TAGS)}}"
        with self.subTest(url=url, login=login, lang=self.lang):
            try:
                self.browser_js(url, code, login=login, timeout=120)
            except AssertionError as error:
                # Only what failed, not the 650 kB of axe-core in the code.
                raise AssertionError(str(error).rpartition('" failed')[2]) from None


@tagged("post_install", "-at_install")
class TestAccessibility(LcoEvaluationCommon, LcoAxeCase):
    """Every page lco_module serves outside the back office passes axe-core's
    WCAG 2.1 A/AA rules at phone width, in Dutch and in French, and every
    control on it is reached and seen with the keyboard: as the public (the
    evaluation link of the mail, the login page; lco_request_form checks its
    request form), as Kim
    (the client, on the portal) and as Ann (an outside aid worker)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # A consent Kim is asked to give on the portal.
        case = cls.case_a1.with_user(cls.coordinator_a)
        cls.asked = cls.env["lco.consent"].browse(case.action_new_consent()["res_id"])
        # Rita answered by the link of her mail: its page thanks her.
        cls.answer(cls.eval_aunt, 4, 4, 5, 3, 4, 5, comment="Goed")

    def test_public_pages(self):
        # Odoo's login page speaks the browser's language (Accept-Language).
        self.lang = None
        self.check("/web/login")
