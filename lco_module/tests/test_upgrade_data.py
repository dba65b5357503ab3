import re
from datetime import date, datetime

from odoo.modules.migration import load_script
from odoo.tests import TransactionCase, tagged
from odoo.tools import convert_file

from .. import uninstall_hook
from ..models.lco_postcode_route import DEFAULT_COMPANY_PARAM

PRE_MIGRATE = "lco_module/migrations/18.0.1.1.0/pre-migrate.py"
# lco_request_form's setting, under the addon's prefix since before the split.
RATE_LIMIT_PARAM = "lco_module.request_rate_limit"
ADMIN_RECORDS = (
    "lco_module.ir_cron_lco_agreement_reminder",
    "lco_module.mt_lco_request_decided",
    "lco_module.mail_activity_type_lco_agreement",
)


@tagged("post_install", "-at_install")
class TestUpgradeKeepsAdminChanges(TransactionCase):
    """`-u lco_module` keeps what an administrator changed (issue 9)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.admin = cls.env.ref("base.user_admin")

    def reload_data(self, filename):
        """Load one data file of the addon the way `-u lco_module` does
        (odoo.modules.loading.load_data: mode update, noupdate off)."""
        convert_file(
            self.env, "lco_module", filename, {}, mode="update", noupdate=False
        )
        self.env.invalidate_all()

    def test_cron_keeps_the_interval_and_next_run_the_admin_set(self):
        cron = self.env.ref("lco_module.ir_cron_lco_agreement_reminder")
        next_run = datetime(2031, 1, 6, 22, 30)
        cron.with_user(self.admin).write(
            {"interval_number": 1, "interval_type": "weeks", "nextcall": next_run}
        )
        forget = self.env.ref("lco_module.ir_cron_lco_consent_expiry")
        forget.with_user(self.admin).active = False

        self.reload_data("data/ir_cron_data.xml")

        self.assertEqual(cron.interval_type, "weeks")
        self.assertEqual(cron.nextcall, next_run)
        self.assertFalse(forget.active, "a cron switched off stays off")

    def test_subtype_and_activity_type_keep_the_admin_changes(self):
        subtype = self.env.ref("lco_module.mt_lco_request_decided")
        subtype.with_user(self.admin).default = False
        activity_type = self.env.ref("lco_module.mail_activity_type_lco_agreement")
        activity_type.with_user(self.admin).write(
            {"delay_count": 2, "summary": "Do what was agreed"}
        )

        self.reload_data("data/mail_message_subtype_data.xml")
        self.reload_data("data/mail_activity_type_data.xml")

        self.assertFalse(subtype.default)
        self.assertEqual(activity_type.delay_count, 2)
        self.assertEqual(activity_type.summary, "Do what was agreed")

    def test_migration_marks_the_admin_records_noupdate(self):
        """A database installed at 18.0.1.0.0 had them updatable: the data file's
        noupdate alone does not change that, the migration does."""
        data = self.env["ir.model.data"]
        for xmlid in ADMIN_RECORDS:
            module, name = xmlid.split(".")
            imd = data.search([("module", "=", module), ("name", "=", name)])
            self.assertTrue(imd.noupdate, f"{xmlid} is noupdate on a new database")
            imd.noupdate = False
        data.flush_model()

        load_script(PRE_MIGRATE, "lco_pre_migrate").migrate(self.env.cr, "18.0.1.0.0")
        data.invalidate_model()

        for xmlid in ADMIN_RECORDS:
            module, name = xmlid.split(".")
            imd = data.search([("module", "=", module), ("name", "=", name)])
            self.assertTrue(imd.noupdate, f"{xmlid} is noupdate after the upgrade")


@tagged("post_install", "-at_install")
class TestBirthdateMigration(TransactionCase):
    """The birth date of 18.0.1.0.0 (`birthdate_date`, the field name of OCA's
    partner_contact_birthdate) is kept in `lco_birthdate` (issue 9)."""

    def test_birth_dates_are_kept_under_the_new_name(self):
        partner = self.env["res.partner"].create(
            {"name": "Mia Client", "lco_birthdate": date(1984, 7, 9)}
        )
        self.env.flush_all()
        cr = self.env.cr
        # The database as 18.0.1.0.0 left it (rolled back after the test).
        cr.execute(
            "ALTER TABLE res_partner RENAME COLUMN lco_birthdate TO birthdate_date"
        )
        cr.execute(
            "UPDATE ir_model_fields SET name = 'birthdate_date'"
            " WHERE model IN ('res.partner', 'res.users') AND name = 'lco_birthdate'"
        )
        cr.execute(
            "UPDATE ir_model_data SET name = replace(name, 'lco_birthdate',"
            " 'birthdate_date') WHERE module = 'lco_module'"
            " AND name LIKE 'field_res_%__lco_birthdate'"
        )

        migration = load_script(PRE_MIGRATE, "lco_pre_migrate")
        migration.migrate(cr, "18.0.1.0.0")
        migration.migrate(cr, "18.0.1.0.0")  # twice: changes nothing more
        self.env.invalidate_all()

        self.assertEqual(partner.lco_birthdate, date(1984, 7, 9))
        field = self.env.ref("lco_module.field_res_partner__lco_birthdate")
        self.assertEqual(field.name, "lco_birthdate")
        self.assertEqual(field.field_description, "Birth Date")
        self.assertEqual(
            self.env.ref("lco_module.field_res_users__lco_birthdate").name,
            "lco_birthdate",
        )


@tagged("post_install", "-at_install")
class TestUninstallAndDeletedCompany(TransactionCase):
    """Uninstalling leaves no case numbering or settings behind, and a deleted
    organisation takes its numbering and setting along (issue 9)."""

    def case_sequences(self):
        return self.env["ir.sequence"].search([("code", "=", "lco.case")])

    def test_uninstall_hook_removes_numbering_and_settings(self):
        params = self.env["ir.config_parameter"]
        params.set_param(DEFAULT_COMPANY_PARAM, self.env.company.id)
        params.set_param(RATE_LIMIT_PARAM, 5)
        self.assertTrue(self.case_sequences())

        uninstall_hook(self.env)

        self.assertFalse(self.case_sequences())
        self.assertFalse(params.get_param(DEFAULT_COMPANY_PARAM))
        self.assertFalse(params.get_param(RATE_LIMIT_PARAM))
        # Installing again numbers every company once.
        companies = self.env["res.company"].search([])
        companies._create_lco_case_sequence()
        self.assertEqual(self.case_sequences().company_id, companies)
        self.assertEqual(len(self.case_sequences()), len(companies))

    def test_deleted_company_is_no_longer_the_default_organisation(self):
        company = self.env["res.company"].create({"name": "OCMW Closed"})
        self.assertEqual(
            self.case_sequences()
            .filtered_domain([("company_id", "=", company.id)])
            .company_id,
            company,
        )
        params = self.env["ir.config_parameter"]
        params.set_param(DEFAULT_COMPANY_PARAM, company.id)

        company.unlink()

        self.assertFalse(params.get_param(DEFAULT_COMPANY_PARAM))
        self.assertFalse(
            self.case_sequences().filtered(lambda seq: not seq.company_id),
            "no numbering of the deleted company left without company",
        )
        self.assertEqual(
            self.env["lco.postcode.route"]._default_company(), self.env.company
        )


@tagged("post_install", "-at_install")
class TestOdooViewCheck(TransactionCase):
    """Odoo's own check of always-invisible fields (base's TestInvisibleField,
    which logs an error Odoo's CI fails on) finds nothing in the addon's views."""

    def test_always_invisible_fields_say_why(self):
        # The expression of odoo/addons/base/tests/test_views.py.
        uncommented = (
            r"""(<field [^>]*invisible=['"](True|1)['"][^>]*>)[\s\t\n ]*(.*)"""
        )
        view_ids = (
            self.env["ir.model.data"]
            .search([("module", "=", "lco_module"), ("model", "=", "ir.ui.view")])
            .mapped("res_id")
        )
        views = self.env["ir.ui.view"].search(
            [("id", "in", view_ids), ("type", "in", ("list", "form"))]
        )
        self.assertTrue(views)
        found = [
            f"{view.model_data_id.name}: {field}"
            for view in views
            for field, _value, suffix in re.findall(uncommented, view.arch_db)
            if not suffix.startswith("<!--")
        ]
        self.assertFalse(found, "always invisible fields without a comment saying why")
