from odoo.tests import tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon
from odoo.addons.lco_module.tests.test_accessibility import LcoAxeCase

from ..controllers.request_form import (
    FORM_URL,
    THANKS_URL,
    YOUTH_FORM_URL,
    YOUTH_THANKS_URL,
)


@tagged("post_install", "-at_install")
class TestRequestFormAccessibility(LcoRequestCommon, LcoAxeCase):
    """The public form, its youth-care variant and their thanks pages pass axe-core's WCAG 2.1 A/AA rules
    at phone width, in Dutch and in French, and every control on them is
    reached and seen with the keyboard (lco_module's TestAccessibility checks
    the other public pages the same way)."""

    def test_public_pages(self):
        for lang in ("nl_BE", "fr_BE"):
            self.lang = lang
            for url in (FORM_URL, THANKS_URL, YOUTH_FORM_URL, YOUTH_THANKS_URL):
                self.check(f"{url}?lang={lang}")
