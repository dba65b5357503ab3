from odoo.exceptions import ValidationError
from odoo.tests import Form, tagged

from odoo.addons.lco_module.tests.common_request import LcoRequestCommon

from .. import uninstall_hook
from ..models.lco_request import RATE_LIMIT_PARAM


@tagged("post_install", "-at_install")
class TestRequestFormSettings(LcoRequestCommon):
    """The LCO manager and the administrator set the form's rate limit."""

    def test_manager_sets_the_rate_limit(self):
        form = Form(self.env["lco.settings"].with_user(self.manager_a))
        form.request_rate_limit = 4
        form.save().execute()
        params = self.env["ir.config_parameter"]
        self.assertEqual(params.get_param(RATE_LIMIT_PARAM), "4")
        # Opened again, the window shows what was saved.
        again = Form(self.env["lco.settings"].with_user(self.manager_a))
        self.assertEqual(again.request_rate_limit, 4)

    def test_rate_limit_is_checked(self):
        Settings = self.env["lco.settings"].with_user(self.manager_a)
        with self.assertRaises(ValidationError):
            Settings.create({"request_rate_limit": 0}).execute()
        self.assertNotIn("lco_request_rate_limit", self.env["res.config.settings"])

    def test_uninstall_hook_removes_the_rate_limit(self):
        params = self.env["ir.config_parameter"]
        params.set_param(RATE_LIMIT_PARAM, 5)
        uninstall_hook(self.env)
        self.assertFalse(params.get_param(RATE_LIMIT_PARAM))
