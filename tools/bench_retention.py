"""Time the anonymisation cron on N closed cases past their retention period.

Run on a database with lco_module (no demo data needed), as Odoo's shell:
    N=1000 python3 -m odoo shell -d DB [connection options] < tools/bench_retention.py
It commits: use a throwaway database.
"""

import os
import time
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields


def create_closed_cases(env, count):
    """``count`` cases closed 61 months ago: a client, a network member and an
    aid worker, a life domain, a held meeting, three agreements, a message and
    a file each."""
    company = env.ref("base.main_company")
    coordinator = env["res.users"].search(
        [("groups_id", "in", env.ref("lco_module.group_lco_coordinator").ids)],
        limit=1,
    )
    domain = env.ref("lco_module.life_domain_housing")
    partners = env["res.partner"].create(
        [
            {"name": f"Bench Client {i}", "email": f"bench{i}@example.org"}
            for i in range(count * 3)
        ]
    )
    cases = env["lco.case"].create(
        [
            {
                "company_id": company.id,
                "coordinator_id": coordinator.id,
                "client_id": partners[3 * i].id,
                "question": f"Bench Client {i} wants a home",
                "goals": "Goals",
                "participant_ids": [
                    Command.create(
                        {"partner_id": partners[3 * i + 1].id, "role": "network"}
                    ),
                    Command.create(
                        {"partner_id": partners[3 * i + 2].id, "role": "professional"}
                    ),
                ],
                "life_domain_line_ids": [
                    Command.create({"life_domain_id": domain.id, "note": "Note"})
                ],
            }
            for i in range(count)
        ]
    )
    start = fields.Datetime.now() - timedelta(days=400)
    meetings = env["lco.meeting"].create(
        [
            {
                "case_id": case.id,
                "start": start,
                "location": "Home",
                "minutes": "<p>M</p>",
            }
            for case in cases
        ]
    )
    env["lco.agreement"].create(
        [
            {
                "case_id": case.id,
                "meeting_id": meeting.id,
                "name": f"Agreement {j}",
                "responsible_id": case.participant_ids[1].id,
                "outcome_note": "Done",
            }
            for case, meeting in zip(cases, meetings, strict=True)
            for j in range(3)
        ]
    )
    for case in cases:
        case.message_post(body=f"Note about {case.client_id.name}")
    env["ir.attachment"].create(
        [
            {
                "name": "report.pdf",
                "raw": b"%PDF",
                "res_model": "lco.meeting",
                "res_id": m.id,
            }
            for m in meetings
        ]
    )
    env.flush_all()
    env.cr.execute(
        "UPDATE lco_meeting SET state = 'held' WHERE id IN %s", [tuple(meetings.ids)]
    )
    env.invalidate_all()
    cases.write(
        {
            "state": "closed",
            "close_reason_id": env.ref("lco_module.close_reason_goals_reached").id,
            "close_note": "Closed",
            "date_closed": fields.Date.today() - relativedelta(months=61),
        }
    )
    return cases


def main(env):
    count = int(os.environ.get("N", "1000"))
    cases = create_closed_cases(env, count)
    env.cr.commit()
    started, calls = time.time(), 0
    while env["lco.case"].search_count(
        [("id", "in", cases.ids), ("anonymised_date", "=", False)]
    ):
        env["lco.case"]._cron_anonymise()
        env.cr.commit()
        calls += 1
    elapsed = time.time() - started
    print(
        f"Anonymised {count} cases in {calls} cron calls: {elapsed:.1f} s "
        f"({elapsed / count * 1000:.1f} ms per case)"
    )


main(env)  # noqa: F821 (Odoo's shell provides env)
