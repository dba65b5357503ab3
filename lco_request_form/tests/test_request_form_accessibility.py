import json
import os
from unittest import SkipTest

from odoo.tests import HttpCase, tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon
from odoo.addons.lco_module.tests.test_accessibility import (
    AXE_JS,
    CHECK_JS,
    WCAG_TAGS,
)
from odoo.addons.lco_module.tests.test_bilingual import load_languages

from ..controllers.request_form import (
    FORM_URL,
    THANKS_URL,
    YOUTH_FORM_URL,
    YOUTH_THANKS_URL,
)


@tagged("post_install", "-at_install")
class TestRequestFormAccessibility(LcoRequestCommon, HttpCase):
    """The public form, its youth-care variant and their thanks pages pass axe-core's WCAG 2.1 A/AA rules
    at phone width, in Dutch and in French, and every control on them is
    reached and seen with the keyboard (lco_module's TestAccessibility checks
    the other public pages the same way)."""

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

    def check(self, url):
        code = f"{self.axe}\n{CHECK_JS % {'tags': json.dumps(WCAG_TAGS)}}"
        with self.subTest(url=url):
            try:
                self.browser_js(url, code, timeout=120)
            except AssertionError as error:
                # Only what failed, not the 650 kB of axe-core in the code.
                raise AssertionError(str(error).rpartition('" failed')[2]) from None

    def test_public_pages(self):
        for lang in ("nl_BE", "fr_BE"):
            for url in (FORM_URL, THANKS_URL, YOUTH_FORM_URL, YOUTH_THANKS_URL):
                self.check(f"{url}?lang={lang}")
