from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged

PRE_MIGRATE = "lco_module/migrations/18.0.1.2.0/pre-migrate.py"


@tagged("post_install", "-at_install")
class TestSplitRequestForm(TransactionCase):
    """lco_module 18.0.1.2.0 hands the form's records over to this module
    before its own update, which would otherwise delete them (issue 19)."""

    def test_the_form_records_change_module_and_keep_their_ids(self):
        migration = load_script(PRE_MIGRATE, "lco_pre_migrate_1_2")
        names = migration.REQUEST_FORM_XMLIDS
        records = {name: self.env.ref(f"lco_request_form.{name}") for name in names}
        cr = self.env.cr
        # The database as lco_module 18.0.1.1.0 left it (rolled back after).
        cr.execute(
            "UPDATE ir_model_data SET module = 'lco_module'"
            " WHERE module = 'lco_request_form' AND name IN %s",
            [tuple(names)],
        )
        cr.execute(
            "UPDATE ir_ui_view SET key = replace(key, 'lco_request_form.',"
            " 'lco_module.') WHERE key LIKE 'lco\\_request\\_form.%%'"
        )
        self.env.invalidate_all()
        self.env.registry.clear_cache()  # env.ref's lookup is cached
        self.assertFalse(self.env.ref("lco_request_form.request_form", False))

        migration.migrate(cr, "18.0.1.1.0")
        migration.migrate(cr, "18.0.1.1.0")  # twice: changes nothing more
        self.env.invalidate_all()
        self.env.registry.clear_cache()

        for name, record in records.items():
            self.assertEqual(self.env.ref(f"lco_request_form.{name}"), record)
        self.assertEqual(records["request_form"].key, "lco_request_form.request_form")
        self.assertEqual(
            self.env.ref("base.module_lco_request_form").state,
            "installed",
            "an installed module is left as it is",
        )
        self.assertEqual(
            records["field_lco_request__remote_addr_hash"].name, "remote_addr_hash"
        )

    def test_an_uninstalled_module_is_installed_in_the_same_run(self):
        migration = load_script(PRE_MIGRATE, "lco_pre_migrate_1_2")
        module = self.env.ref("base.module_lco_request_form")
        # As on a database of 18.0.1.1.0 once the loader listed the new module.
        self.env.cr.execute(
            "UPDATE ir_module_module SET state = 'uninstalled' WHERE id = %s",
            [module.id],
        )
        migration.migrate(self.env.cr, "18.0.1.1.0")
        module.invalidate_recordset(["state"])
        self.assertEqual(module.state, "to install")
