from odoo import Command
from odoo.tests import new_test_user

from ..models.lco_postcode_route import DEFAULT_COMPANY_PARAM


class RequestWorldMixin:
    """Two OCMWs with their postcodes, and people of each group in each."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.company_a, cls.company_b = env["res.company"].create(
            [
                {"name": "OCMW Testdorp", "email": "lco@testdorp.example"},
                {"name": "OCMW Anderdorp", "email": "lco@anderdorp.example"},
            ]
        )
        env["lco.postcode.route"].create(
            [
                {"zip": "9901", "city": "Testdorp", "company_id": cls.company_a.id},
                {
                    "zip": "9902",
                    "city": "Testdorp-Heide",
                    "company_id": cls.company_a.id,
                },
                {"zip": "9903", "city": "Anderdorp", "company_id": cls.company_b.id},
            ]
        )
        env["ir.config_parameter"].set_param(DEFAULT_COMPANY_PARAM, cls.company_a.id)

        def user(login, group, company):
            return new_test_user(
                env,
                login=login,
                groups=f"lco_module.group_lco_{group}",
                company_id=company.id,
                company_ids=[Command.set(company.ids)],
                email=f"{login}@example.com",
                tz="Europe/Brussels",
            )

        cls.aid_worker = user("req_aid_worker", "user", cls.company_a)
        cls.aid_worker_2 = user("req_aid_worker_2", "user", cls.company_a)
        cls.coordinator = user("req_coordinator", "coordinator", cls.company_a)
        cls.coordinator_2 = user("req_coordinator_2", "coordinator", cls.company_a)
        cls.manager = user("req_manager", "manager", cls.company_a)
        cls.aid_worker_b = user("req_aid_worker_b", "user", cls.company_b)
        cls.coordinator_b = user("req_coordinator_b", "coordinator", cls.company_b)
        cls.housing = env.ref("lco_module.life_domain_housing")
        cls.finances = env.ref("lco_module.life_domain_finances")
        cls.health = env.ref("lco_module.life_domain_health")

    @classmethod
    def _request_values(cls, **values):
        return {
            "client_name": "Sarah Test",
            "client_zip": "9901",
            "question": "Sarah wants to keep her flat and get her debts in order.",
            "life_domain_ids": [Command.set((cls.housing | cls.finances).ids)],
            "client_informed": True,
            "client_agrees": True,
            **values,
        }

    @classmethod
    def _request(cls, user=None, **values):
        """A request submitted from the backend by ``user`` (an aid worker)."""
        Request = cls.env["lco.request"].with_user(user or cls.aid_worker)
        return Request.create(cls._request_values(**values))

    @classmethod
    def _taken(cls, request, coordinator=None, **intake):
        """The request taken in by ``coordinator``, its intake questions answered."""
        request = request.with_user(coordinator or cls.coordinator)
        request.action_take()
        request.write(
            {
                "intake_added_value": "yes",
                "intake_open_conversation": "yes",
                "intake_room_to_choose": "yes",
                **intake,
            }
        )
        return request
