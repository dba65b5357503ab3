from odoo import Command

from ..models.lco_postcode_route import DEFAULT_COMPANY_PARAM
from .common import LcoCommon


class LcoRequestCommon(LcoCommon):
    """The two organisations of LcoCommon with their postcodes: 9901 and 9902
    are served by OCMW A, 9903 by OCMW B; other postcodes go to OCMW A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["lco.postcode.route"].create(
            [
                {"zip": "9901", "city": "Adorp", "company_id": cls.company_a.id},
                {"zip": "9902", "city": "Adorp-Heide", "company_id": cls.company_a.id},
                {"zip": "9903", "city": "Bdorp", "company_id": cls.company_b.id},
            ]
        )
        cls.env["ir.config_parameter"].set_param(
            DEFAULT_COMPANY_PARAM, cls.company_a.id
        )
        cls.finances = cls.env.ref("lco_module.life_domain_finances")
        cls.health = cls.env.ref("lco_module.life_domain_health")

    @classmethod
    def _request_values(cls, **values):
        return {
            "client_name": "Sarah Test",
            "client_zip": "9901",
            "question": "Sarah wants to keep her flat and get her debts in order.",
            "life_domain_ids": [
                Command.set((cls.life_domain_housing | cls.finances).ids)
            ],
            "client_informed": True,
            "client_agrees": True,
            **values,
        }

    @classmethod
    def _request(cls, user=None, **values):
        """A request submitted from the backend by ``user`` (an aid worker)."""
        Request = cls.env["lco.request"].with_user(user or cls.aid_worker_a)
        return Request.create(cls._request_values(**values))

    @classmethod
    def _taken(cls, request, coordinator=None, **intake):
        """The request taken in by ``coordinator``, its intake questions answered."""
        request = request.with_user(coordinator or cls.coordinator_a)
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
