from psycopg2 import IntegrityError

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common_request import LcoRequestCommon


@tagged("post_install", "-at_install")
class TestOrganisationNumbers(LcoRequestCommon):
    """Each organisation's cases and requests carry its code (issue 22, item
    6): LCO/HEI/2026/0001, AANV/HEI/2026/0001."""

    def test_two_organisations_number_their_first_case_differently(self):
        Company = self.env["res.company"]
        heidebeek = Company.create({"name": "OCMW Zonnedorp"})
        namur = Company.create({"name": "CPAS de Marche-Ouest"})
        self.assertEqual((heidebeek.lco_code, namur.lco_code), ("ZON", "MAR"))
        self.manager_a.company_ids |= heidebeek | namur
        year = fields.Date.today().year
        Case = self.env["lco.case"].with_user(self.manager_a)
        first = Case.create({"company_id": heidebeek.id, "client_id": self.service.id})
        other = Case.create({"company_id": namur.id, "client_id": self.service.id})
        self.assertEqual(first.name, f"LCO/ZON/{year}/0001")
        self.assertEqual(other.name, f"LCO/MAR/{year}/0001")

    def test_request_numbered_by_its_organisation(self):
        """Routed by its postcode to OCMW B before it is numbered."""
        year = fields.Date.today().year
        request_b = self._request(client_zip="9903")
        request_a = self._request(client_zip="9901")
        self.assertEqual(request_b.company_id, self.company_b)
        self.assertEqual(request_b.name, f"AANV/B/{year}/0001")
        self.assertEqual(request_a.name, f"AANV/A/{year}/0001")

    def test_code_unique_and_well_formed(self):
        self.assertEqual(self.company_a.lco_code, "A")
        company = self.env["res.company"].create({"name": "OCMW A-Berg"})
        self.assertEqual(company.lco_code, "ABE")
        twin = self.env["res.company"].create({"name": "OCMW Abelheide"})
        self.assertEqual(twin.lco_code, "ABE2")
        with self.assertRaises(ValidationError):
            company.lco_code = "A/B"
        company.lco_code = " abe3 "
        self.assertEqual(company.lco_code, "ABE3")
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            with self.env.cr.savepoint():
                company.lco_code = "A"
                self.env.flush_all()

    def test_new_code_for_new_numbers_only(self):
        year = fields.Date.today().year
        self.assertEqual(self.case_a1.name, f"LCO/A/{year}/0001")
        self.company_a.lco_code = "ANT"
        case = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .create({"client_id": self.client_a3.id})
        )
        self.assertTrue(case.name.startswith(f"LCO/ANT/{year}/"))
        self.assertEqual(self.case_a1.name, f"LCO/A/{year}/0001")

    def test_upgrade_keeps_existing_numbers(self):
        """A database numbered before codes existed: the update (the data
        function of ir_sequence_data.xml) gives the organisation its code and
        new numbers carry it; numbers given keep theirs (no migration)."""
        sequence = self.env["ir.sequence"].search(
            [("code", "=", "lco.case"), ("company_id", "=", self.company_a.id)]
        )
        # As before the update: no code, the numbering without it.
        self.env.cr.execute(
            "UPDATE res_company SET lco_code = NULL WHERE id = %s",
            [self.company_a.id],
        )
        self.company_a.invalidate_recordset(["lco_code"])
        sequence.prefix = "LCO/%(year)s/"
        Case = self.env["lco.case"].with_user(self.coordinator_a)
        old = Case.create({"client_id": self.client_a3.id})
        year = fields.Date.today().year
        given = old.name
        self.assertRegex(given, rf"^LCO/{year}/\d{{4}}$")

        self.env["res.company"].search([])._create_lco_case_sequence()

        old.invalidate_recordset()
        self.assertEqual(old.name, given)
        self.assertEqual(self.company_a.lco_code, "A")
        new = Case.create({"client_id": self.client_a3.id})
        self.assertTrue(new.name.startswith(f"LCO/A/{year}/"))
