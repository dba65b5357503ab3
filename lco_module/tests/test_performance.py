from datetime import timedelta

from odoo import Command
from odoo.tests import tagged
from odoo.tools.sql import index_exists

from .common import LcoCommon

# What the case kanban view loads for each card.
KANBAN_SPECIFICATION = {
    "name": {},
    "state": {},
    "color": {},
    "question": {},
    "client_id": {"fields": {"display_name": {}}},
    "coordinator_id": {"fields": {"display_name": {}}},
    "life_domain_ids": {"fields": {"display_name": {}, "color": {}}},
    "activity_ids": {"fields": {}},
    "meeting_count": {},
    "open_agreement_count": {},
    "overdue_agreement_count": {},
}
COUNT_FIELDS = ["meeting_count", "open_agreement_count", "overdue_agreement_count"]


@tagged("post_install", "-at_install", "is_query_count")
class TestPerformance(LcoCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        clients = cls.env["res.partner"].create(
            [
                {"name": f"Client {number}", "company_id": cls.company_a.id}
                for number in range(20)
            ]
        )
        cls.cases = cls.env["lco.case"].create(
            [
                {
                    "company_id": cls.company_a.id,
                    "coordinator_id": cls.coordinator_a.id,
                    "client_id": client.id,
                    "question": f"Question of {client.name}",
                    "life_domain_line_ids": [
                        Command.create({"life_domain_id": cls.life_domain_housing.id})
                    ],
                }
                for client in clients
            ]
        )
        cls.env["lco.meeting"].create([{"case_id": case.id} for case in cls.cases])
        cls.env["lco.agreement"].create(
            [
                {
                    "case_id": case.id,
                    "name": "Call the landlord",
                    "responsible_id": case.participant_ids.id,
                    "deadline": cls.today - timedelta(days=1),
                }
                for case in cls.cases
            ]
        )

    def _count_queries(self, function, records):
        """Queries ``function(records)`` makes on an empty cache."""
        self.env.flush_all()
        self.env.invalidate_all()
        before = self.cr.sql_log_count
        function(records)
        return self.cr.sql_log_count - before

    def test_counts_in_one_query(self):
        self.cases.read(COUNT_FIELDS)  # reads the user's time zone, for "overdue"
        for cases in (self.cases[:2], self.cases):
            with self.subTest(cases=len(cases)):
                cases.invalidate_recordset(COUNT_FIELDS)
                with self.assertQueryCount(1):
                    values = cases.read(COUNT_FIELDS)
                self.assertEqual(
                    {tuple(value[field] for field in COUNT_FIELDS) for value in values},
                    {(1, 1, 1)},
                )

    def test_kanban_queries_do_not_grow_with_cases(self):
        def load_kanban(cases):
            cases.with_user(self.coordinator_a).web_search_read(
                [("id", "in", cases.ids)], KANBAN_SPECIFICATION
            )

        self._count_queries(load_kanban, self.cases)  # fill the ormcaches
        few = self._count_queries(load_kanban, self.cases[:2])
        many = self._count_queries(load_kanban, self.cases)
        self.assertEqual(many, few)

    def test_the_client_name_search_and_the_case_order_read_indexes(self):
        """Searching cases by the client's name searches the people by every
        column of their name search: each has a trigram index (issue 12: a
        scan of all people took 1 s at 500,000); the cases are listed by the
        date of their request, which is indexed too."""
        Partner = self.env["res.partner"]
        for name in Partner._rec_names_search:
            field = Partner._fields.get(name)
            if not (field and field.store and field.column_type) or field.translate:
                continue
            with self.subTest(column=name):
                self.assertTrue(
                    index_exists(self.env.cr, f"res_partner__{name}_lco_trigram_index")
                )
        self.assertTrue(
            index_exists(self.env.cr, "lco_case__date_requested_index"),
            "the default order of the cases reads an index",
        )
        case = self.cases[0]
        found = (
            self.env["lco.case"]
            .with_user(self.coordinator_a)
            .search([("client_id", "ilike", case.client_id.name)])
        )
        self.assertIn(case, found)
