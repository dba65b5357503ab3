"""Benchmark lco_module at scale against Odoo's project.task (issues 12, 21).

Loads CASES client consultation cases with 5 participants, 3 meetings and 12
agreements each, spread over 2 organisations and a coordinator per
COORDINATOR_CASES cases (20 at least), an aid worker in AID_WORKER_CASES of them, a portal client, and as many project.task
in one project, with SQL; checks a random sample of every loaded model against
a recompute through the ORM (what differs is filled through the ORM, what
still differs stops the bench); then measures over HTTP, as the web client
calls it, against one server with 2 workers for every size, and writes one
Markdown table (the sizes side by side) to stdout, bench/RESULT.md and README.md.

Run by tools/bench.sh (make bench), in three phases:
    python3 tools/bench.py prepare ODOO-ARGS   # load once, check, plan
    python3 tools/bench.py http URL LOGFILE DB...  # measure over HTTP
    python3 tools/bench.py report RESULT.json...
"""

import json
import os
import re
import statistics
import sys
import threading
import time
from contextlib import contextmanager
from datetime import date

from dateutil.relativedelta import relativedelta
from lxml import etree

import odoo
from odoo import SUPERUSER_ID, Command, api, fields
from odoo.modules.registry import Registry

# One size (tools/bench.sh runs a phase per size; the report takes them all).
CASES = int(os.environ.get("CASES", "100000").split()[0])
# A coordinator's caseload is the same at every size of the database (as the
# aid worker's below): a larger database has more coordinators, not a
# coordinator with more cases.
COORDINATOR_CASES = 1000
COORDINATORS = max(20, CASES // COORDINATOR_CASES)
# The cases the aid worker takes part in, at every size of the database (enough
# for a list of 800 rows).
AID_WORKER_CASES = 1000
RUNS = int(os.environ.get("RUNS", "25"))
# What to measure (comma-separated), or "none" to load only.
ONLY = os.environ.get("BENCH_ONLY", "writes,crons").split(",")
OUT = os.environ.get(
    "BENCH_OUT",
    os.path.join(os.path.dirname(os.path.dirname(__file__)), "bench", "RESULT.md"),
)
FIRST = (
    "Jan Piet Marie An Els Luc Mohamed Fatima Kevin Sarah Tom Lotte Bram Emma "
    "Lucas Noor Ahmed Ines Wout Femke Jef Rita Dirk Ilse Koen Sofie Yusuf Amina "
    "Bart Katrien Pieter Hanne Stijn Lien Rik Greet Ayoub"
).split()
LAST = (
    "Peeters Janssens Maes Jacobs Mertens Willems Claes Goossens Wouters De_Smet "
    "Dubois Hermans Aerts Vermeulen Pauwels Michiels Martens Van_Damme Coppens "
    "Leclercq Lambert Dupont Smets Desmet Cools Segers Verhoeven Stevens Geerts "
    "Bogaert Van_den_Broeck Hendrickx Verstraeten Vandenberghe Lemmens Dumont "
    "Jansen Simons Dewilde Baert Vervoort Lenaerts Thys Heylen Boeckx Bosmans "
    "Mathieu Renard Laurent Wuyts Declercq Francois Martin Leroy Vandamme Verbeke "
    "Vermeiren Nijs Moens Celis Sels Pieters Gielen Aelbrecht Verbruggen Hoste "
    "Pirotte Roels Schepers Peters Bastiaens Daems Devos Engelen Goris Huybrechts "
    "Kerckhofs Luyten Meeus Nys Ooms Proost Quintens Raes Slegers Tielemans "
    "Vanhoof Wijns Geens Put Vos Bruyninckx Cuypers"
).split()


def password(login):
    return f"bench-{login}-pw"


def sql_array(words):
    quoted = ",".join("'{}'".format(w.replace("_", " ")) for w in words)
    return f"ARRAY[{quoted}]"


# --------------------------------------------------------------------------
# Load
# --------------------------------------------------------------------------


def next_id(cr, table, count):
    """Reserve ``count`` ids of ``table`` and return the one before them."""
    cr.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
    base = cr.fetchone()[0]
    cr.execute(
        "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, base + count]
    )
    return base


def setup(env):
    """Organisations, coordinators, a manager, a project: through the ORM."""
    company_a = env.ref("base.main_company")
    company_a.name = "OCMW Hasselt"
    company_b = env["res.company"].create({"name": "OCMW Genk"})
    companies = company_a | company_b
    groups = {
        name: env.ref(f"lco_module.group_lco_{name}")
        for name in ("user", "coordinator", "manager")
    }
    project_user = env.ref("project.group_project_user")
    users = env["res.users"].with_context(no_reset_password=True)
    coordinators = users.browse()
    for n in range(COORDINATORS):
        company = companies[n % 2]
        coordinators |= users.create(
            {
                "name": f"Coordinator {n + 1}",
                "login": f"coordinator{n + 1}",
                "email": f"coordinator{n + 1}@example.org",
                "company_id": company.id,
                "company_ids": [Command.set(company.ids)],
                "groups_id": [
                    Command.set(
                        [
                            env.ref("base.group_user").id,
                            groups["coordinator"].id,
                            project_user.id,
                        ]
                    )
                ],
                "tz": "Europe/Brussels",
                "password": password(f"coordinator{n + 1}"),
            }
        )
    # The aid worker: a participant (with a user) of AID_WORKER_CASES cases,
    # whatever the size of the database.
    users.create(
        {
            "name": "Aid Worker 1",
            "login": "aidworker1",
            "email": "aidworker1@example.org",
            "company_id": company_a.id,
            "company_ids": [Command.set(company_a.ids)],
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        groups["user"].id,
                        project_user.id,
                    ]
                )
            ],
            "tz": "Europe/Brussels",
            "password": password("aidworker1"),
        }
    )
    manager = users.create(
        {
            "name": "Manager",
            "login": "manager",
            "email": "manager@example.org",
            "company_id": company_a.id,
            "company_ids": [Command.set(companies.ids)],
            "groups_id": [
                Command.set(
                    [
                        env.ref("base.group_user").id,
                        env.ref("base.group_multi_company").id,
                        groups["manager"].id,
                        env.ref("project.group_project_manager").id,
                    ]
                )
            ],
            "tz": "Europe/Brussels",
            "password": password("manager"),
        }
    )
    # Requests go to the organisation of the client's municipality.
    env["lco.postcode.route"].create(
        [
            {"zip": "3500", "city": "Hasselt", "company_id": company_a.id},
            {"zip": "3600", "city": "Genk", "company_id": company_b.id},
        ]
    )
    # No organisation: every internal user of both may read its tasks, and
    # the client who follows his task reads it on /my/tasks.
    project = env["project.project"].create(
        {"name": "Follow-up", "company_id": False, "privacy_visibility": "portal"}
    )
    stages = env["project.task.type"].create(
        [
            {"name": name, "sequence": n, "project_ids": [Command.link(project.id)]}
            for n, name in enumerate(("New", "In Progress", "Waiting", "Done"))
        ]
    )
    return companies, coordinators, manager, project, stages


def load(env, count):  # noqa: PLR0915
    """Bulk rows with SQL, every required and stored computed column filled
    the way the ORM would have."""
    cr = env.cr
    companies, coordinators, _manager, project, stages = setup(env)
    env.flush_all()
    aid_worker = env["res.users"].search([("login", "=", "aidworker1")])
    domains = env["lco.life.domain"].search([], order="sequence, id")
    reasons = env["lco.close.reason"].search([], order="id")
    # Coordinators per organisation, as arrays indexed from 1.
    coord = [
        coordinators.filtered(lambda u, c=c: u.company_id == c).ids for c in companies
    ]
    params = {
        "n": count,
        "ca": companies[0].id,
        "cb": companies[1].id,
        "coord_a": coord[0],
        "coord_b": coord[1],
        "per_company": COORDINATORS // 2,
        "domains": domains.ids,
        "reasons": reasons.ids,
        "project": project.id,
        "stages": stages.ids,
        "today": fields.Date.context_today(env["res.users"]),
        # AID_WORKER_CASES odd cases (of the first organisation), picked by a
        # permutation of their halves (7919 is prime to count / 2): a state
        # mix like the whole database's at every size. Every n-th case would
        # give him only closed ones where n divides 50 (at 100,000 cases).
        "aw_half": max(1, count // 2),
        "aw_cases": AID_WORKER_CASES,
        "aw_partner": aid_worker.partner_id.id,
        "aw_user": aid_worker.id,
    }
    # The defaults of the ORM for the columns the INSERTs below leave out
    # (a required selection added later, say): column defaults while loading.
    defaults = column_defaults(env)
    pb = next_id(cr, "res_partner", count * 5)
    kb = next_id(cr, "lco_case", count)
    qb = next_id(cr, "lco_participant", count * 5)
    mb = next_id(cr, "lco_meeting", count * 3)
    ab = next_id(cr, "lco_meeting_attendee", count * 15)
    gb = next_id(cr, "lco_agreement", count * 12)
    rb = next_id(cr, "lco_request", count + count // 10)
    ib = next_id(cr, "lco_request_intake", count + count // 10)
    lb = next_id(cr, "lco_case_life_domain", count)
    tb = next_id(cr, "project_task", count)
    params.update(pb=pb, kb=kb, qb=qb, mb=mb, ab=ab, gb=gb, rb=rb, ib=ib, lb=lb, tb=tb)
    first, last = sql_array(FIRST), sql_array(LAST)

    def run(label, query):
        started = time.time()
        cr.execute(query, params)
        print(
            f"  {label}: {cr.rowcount} rows, {time.time() - started:.1f} s", flush=True
        )

    # One row per case with what its other rows derive from. A coordinator
    # takes blocks of 100 consecutive cases, each holding every state (i % 50
    # sets it): his cases have the state mix of the database at every size.
    run(
        "cases (temp)",
        f"""
        CREATE TEMP TABLE bench_case AS
        SELECT i, %(kb)s + i AS id,
               CASE WHEN i %% 2 = 1 THEN %(ca)s ELSE %(cb)s END AS company_id,
               CASE WHEN i %% 2 = 1 THEN (%(coord_a)s::int[])[1 + (i / 100) %% %(per_company)s]
                    ELSE (%(coord_b)s::int[])[1 + (i / 100) %% %(per_company)s] END AS coordinator_id,
               CASE WHEN i %% 50 < 15 THEN 'closed' WHEN i %% 50 = 15 THEN 'cancelled'
                    WHEN i %% 50 < 20 THEN 'draft' ELSE 'active' END AS state,
               ({first})[1 + i %% {len(FIRST)}] || ' '
                   || ({last})[1 + (i / {len(FIRST)}) %% {len(LAST)}] AS client_name
        FROM generate_series(1, %(n)s) i
        """,
    )
    run(
        "cases (dates)",
        """
        ALTER TABLE bench_case ADD date_requested date, ADD date_closed date;
        UPDATE bench_case SET date_requested = %(today)s::date - CASE
            WHEN state = 'closed' THEN 200 + (i * 7919) %% 1260
            WHEN state = 'draft' THEN i %% 30
            ELSE 30 + (i * 7919) %% 400 END;
        UPDATE bench_case SET date_closed = date_requested + 60 + i %% 120
        WHERE state = 'closed';
        """,
    )
    run(
        "res.partner",
        """
        INSERT INTO res_partner (id, name, complete_name, company_id,
            commercial_partner_id, active, type, is_company, email,
            email_normalized, partner_share, lang,
            create_uid, write_uid, create_date, write_date)
        SELECT id, name, name, company_id, id, true, 'contact', false,
               CASE WHEN k >= 3 THEN 'p' || id || '@example.org' END,
               CASE WHEN k >= 3 THEN 'p' || id || '@example.org' END, true, 'en_US',
               1, 1, now(), now()
        FROM (SELECT %(pb)s + (c.i - 1) * 5 + k AS id, k, c.company_id,
                     c.client_name || (ARRAY['', ' (network)', ' (trusted person)',
                         ' (aid worker)', ' (aid worker 2)'])[k] AS name
              FROM bench_case c, generate_series(1, 5) k) p
        """,
    )
    run(
        "lco.case",
        """
        INSERT INTO lco_case (id, name, company_id, client_id, coordinator_id, state,
            kind, pivot_id, question, goals, legal_basis, has_consent, date_requested,
            date_closed, close_reason_id, close_note, color,
            create_uid, write_uid, create_date, write_date)
        SELECT id, 'BENCH/' || lpad(i::text, 6, '0'), company_id,
               %(pb)s + (i - 1) * 5 + 1, coordinator_id, state,
               'local', NULL, 'A home and an income', 'Stable housing',
               'consent', false, date_requested, date_closed,
               CASE WHEN state = 'closed'
                    THEN (%(reasons)s::int[])[1 + i %% array_length(%(reasons)s::int[], 1)]
               END,
               CASE WHEN state = 'closed' THEN 'Closed' END, 0,
               coordinator_id, coordinator_id, date_requested, date_requested
        FROM bench_case
        """,
    )
    run(
        "lco.participant",
        """
        INSERT INTO lco_participant (id, case_id, company_id, partner_id, role,
            is_pivot, active, create_uid, write_uid, create_date, write_date)
        SELECT %(qb)s + (c.i - 1) * 5 + k, c.id, c.company_id,
               CASE WHEN k = 4 AND c.i %% 2 = 1
                         AND (c.i / 2)::bigint * 7919 %% %(aw_half)s < %(aw_cases)s
                    THEN %(aw_partner)s
                    ELSE %(pb)s + (c.i - 1) * 5 + k END,
               (ARRAY['client', 'network', 'trusted_person', 'professional',
                      'professional'])[k], k = 4, true,
               c.coordinator_id, c.coordinator_id, c.date_requested, c.date_requested
        FROM bench_case c, generate_series(1, 5) k
        """,
    )
    run(
        "lco.meeting (temp)",
        """
        CREATE TEMP TABLE bench_meeting AS
        SELECT c.i, n, %(mb)s + (c.i - 1) * 3 + n AS id, c.id AS case_id,
               c.company_id, c.coordinator_id,
               (c.date_requested + 14 * n)::timestamp + interval '9 hours' AS start,
               CASE WHEN c.state = 'cancelled' THEN 'cancelled'
                    WHEN c.state = 'draft' THEN 'draft'
                    WHEN c.date_requested + 14 * n >= %(today)s THEN 'draft'
                    WHEN c.state = 'active' AND n = 3 THEN 'held'
                    ELSE 'reported' END AS state
        FROM bench_case c, generate_series(1, 3) n
        """,
    )
    run(
        "lco.meeting",
        """
        INSERT INTO lco_meeting (id, case_id, company_id, number, kind, start, stop,
            location, chair_id, state, checklist_progress, minutes,
            create_uid, write_uid, create_date, write_date)
        SELECT id, case_id, company_id, n,
               CASE WHEN n = 1 THEN 'first' ELSE 'follow_up' END,
               start, start + interval '2 hours', 'OCMW, meeting room 2',
               coordinator_id, state, 100.0,
               CASE WHEN state IN ('held', 'reported') THEN '<p>Minutes</p>' END,
               coordinator_id, coordinator_id, start - interval '7 days',
               start - interval '7 days'
        FROM bench_meeting
        """,
    )
    run(
        "lco.meeting.attendee",
        """
        INSERT INTO lco_meeting_attendee (id, meeting_id, case_id, company_id,
            participant_id, role, status, create_uid, write_uid, create_date,
            write_date)
        SELECT %(ab)s + (m.id - %(mb)s - 1) * 5 + k, m.id, m.case_id, m.company_id,
               %(qb)s + (m.i - 1) * 5 + k,
               (ARRAY['client', 'network', 'trusted_person', 'professional',
                      'professional'])[k],
               CASE WHEN m.state NOT IN ('held', 'reported') THEN 'invited'
                    WHEN k = 1 AND (m.i + m.n) %% 7 = 0 THEN 'absent'
                    WHEN k = 2 AND (m.i + m.n) %% 5 = 0 THEN 'excused'
                    ELSE 'present' END,
               m.coordinator_id, m.coordinator_id, m.start, m.start
        FROM bench_meeting m, generate_series(1, 5) k
        """,
    )
    run(
        "lco.agreement",
        """
        INSERT INTO lco_agreement (id, name, case_id, company_id, meeting_id,
            responsible_id, responsible_partner_id, deadline, life_domain_id, state,
            outcome_note, evaluation_meeting_id, reminder_sent,
            create_uid, write_uid, create_date, write_date)
        SELECT %(gb)s + (m.id - %(mb)s - 1) * 4 + j,
               'Agreement ' || j || ' of meeting ' || m.n, m.case_id, m.company_id,
               m.id, %(qb)s + (m.i - 1) * 5 + 1 + (m.n + j) %% 5,
               %(pb)s + (m.i - 1) * 5 + 1 + (m.n + j) %% 5,
               m.start::date + 28,
               (%(domains)s::int[])[1 + (m.i + m.n + j)
                   %% array_length(%(domains)s::int[], 1)],
               s.state,
               CASE WHEN s.state IN ('done', 'not_done') THEN 'How it went' END,
               CASE WHEN s.state <> 'open' AND nx.state IN ('held', 'reported')
                    THEN nx.id END,
               s.state = 'open' AND m.start::date + 28 < %(today)s,
               m.coordinator_id, m.coordinator_id, m.start, m.start
        FROM bench_meeting m
        LEFT JOIN bench_meeting nx ON nx.i = m.i AND nx.n = m.n + 1
        CROSS JOIN generate_series(1, 4) j
        CROSS JOIN LATERAL (
            SELECT CASE
                WHEN m.state = 'cancelled' THEN 'cancelled'
                WHEN m.state = 'draft' THEN 'open'
                WHEN (nx.state IN ('held', 'reported')
                      OR (m.i %% 50 < 15)) THEN
                    (ARRAY['done', 'done', 'done', 'done', 'done', 'done',
                           'not_done', 'not_done', 'on_hold', 'cancelled'])
                    [1 + (m.i + m.n + j) %% 10]
                ELSE 'open' END AS state
        ) s
        """,
    )
    run(
        "cases (stored computes)",
        """
        UPDATE lco_case c SET
            pivot_id = %(qb)s + (c.id - %(kb)s - 1) * 5 + 4,
            date_first_meeting = f.first_start,
            held_meeting_count = f.held,
            days_to_first_meeting = (f.first_start::date - c.date_requested),
            days_to_close = (c.date_closed - c.date_requested)
        FROM (SELECT case_id,
                     min(start) FILTER (WHERE state <> 'cancelled') AS first_start,
                     count(*) FILTER (WHERE state IN ('held', 'reported')) AS held
              FROM bench_meeting GROUP BY case_id) f
        WHERE f.case_id = c.id
        """,
    )
    run(
        "cases (next deadline)",
        """
        UPDATE lco_case c SET next_deadline = a.deadline
        FROM (SELECT case_id, min(deadline) AS deadline FROM lco_agreement
              WHERE state = 'open' AND case_id > %(kb)s GROUP BY case_id) a
        WHERE a.case_id = c.id
        """,
    )
    run(
        "lco.case.life.domain",
        """
        INSERT INTO lco_case_life_domain (id, case_id, company_id, life_domain_id,
            sequence, priority, priority_order, create_uid, write_uid,
            create_date, write_date)
        SELECT %(lb)s + c.i, c.id, c.company_id, d.id, d.sequence, 'normal', 1,
               c.coordinator_id, c.coordinator_id, c.date_requested, c.date_requested
        FROM bench_case c
        JOIN lco_life_domain d ON d.id = (%(domains)s::int[])
            [1 + c.i %% array_length(%(domains)s::int[], 1)]
        """,
    )
    field = env["lco.case"]._fields["life_domain_ids"]
    run(
        "lco.case life_domain_ids",
        f"""
        INSERT INTO {field.relation} ({field.column1}, {field.column2})
        SELECT case_id, life_domain_id FROM lco_case_life_domain WHERE id > %(lb)s
        """,
    )
    run(
        "lco.request",
        """
        INSERT INTO lco_request (id, name, company_id, is_unrouted, channel, state,
            kind, urgency, date_received, date_decided, days_to_decision, user_id,
            requester_type, requester_name, client_id, client_name, client_zip,
            question, case_id, create_uid, write_uid, create_date, write_date)
        SELECT %(rb)s + r, 'AANV/BENCH/' || r, c.company_id, false,
               (ARRAY['internal', 'web', 'phone', 'mail'])[1 + r %% 4],
               CASE WHEN r <= %(n)s THEN 'accepted'
                    WHEN r %% 2 = 0 THEN 'declined' ELSE 'redirected' END,
               'local',
               (r %% 3)::text, d.received, d.received + (r %% 20) * interval '1 day',
               r %% 20, c.coordinator_id, 'professional', 'Aid Worker',
               CASE WHEN r <= %(n)s THEN %(pb)s + (c.i - 1) * 5 + 1 END,
               c.client_name,
               CASE WHEN c.company_id = %(ca)s THEN '3500' ELSE '3600' END,
               'Help with housing and debts',
               CASE WHEN r <= %(n)s THEN c.id END,
               c.coordinator_id, c.coordinator_id, d.received, d.received
        FROM generate_series(1, %(n)s + %(n)s / 10) r
        JOIN bench_case c ON c.i = 1 + (r - 1) %% %(n)s
        CROSS JOIN LATERAL (SELECT (c.date_requested - r %% 20)::timestamp
                                   + interval '10 hours' AS received) d
        """,
    )
    # Every request has its intake (lco.request.intake), empty until a
    # coordinator weighs it, as lco.request.create makes it.
    run(
        "lco.request.intake",
        """
        INSERT INTO lco_request_intake (id, request_id, company_id,
            create_uid, write_uid, create_date, write_date)
        SELECT %(ib)s + (r.id - %(rb)s), r.id, r.company_id,
               r.create_uid, r.write_uid, r.create_date, r.write_date
        FROM lco_request r WHERE r.id > %(rb)s
        """,
    )
    run(
        "project.task",
        """
        INSERT INTO project_task (id, name, project_id, stage_id, state, active,
            priority, sequence, partner_id, date_deadline, company_id,
            display_in_project, create_uid, write_uid, create_date, write_date)
        SELECT %(tb)s + c.i, 'Follow-up ' || c.client_name, %(project)s,
               (%(stages)s::int[])[1 + c.i %% 4],
               CASE WHEN c.state IN ('closed', 'cancelled') THEN '1_done'
                    ELSE '01_in_progress' END,
               true, '0', 10, %(pb)s + (c.i - 1) * 5 + 1,
               c.date_requested + 70, NULL, true,
               c.coordinator_id, c.coordinator_id, c.date_requested, c.date_requested
        FROM bench_case c
        """,
    )
    run(
        "project.task user_ids",
        """
        INSERT INTO project_task_user_rel (task_id, user_id)
        SELECT %(tb)s + c.i, c.coordinator_id FROM bench_case c
        """,
    )
    run(
        "project.task followers (the client)",
        """
        INSERT INTO mail_followers (res_model, res_id, partner_id)
        SELECT 'project.task', %(tb)s + c.i, %(pb)s + (c.i - 1) * 5 + 1
        FROM bench_case c
        """,
    )
    run(
        "lco.participant user_id (the aid worker's)",
        """
        UPDATE lco_participant SET user_id = %(aw_user)s
        WHERE partner_id = %(aw_partner)s
        """,
    )
    # Who may enter a case, as lco.case computes it: the coordinator and the
    # internal users of its active participants; the partners of the active
    # client participant and of the active participants the current
    # consent's lines cover.
    members = env["lco.case"]._fields["lco_member_user_ids"]
    run(
        "lco.case lco_member_user_ids",
        f"""
        INSERT INTO {members.relation} ({members.column1}, {members.column2})
        SELECT id, coordinator_id FROM lco_case
        WHERE id > %(kb)s AND coordinator_id IS NOT NULL
        UNION
        SELECT p.case_id, u.id FROM lco_participant p
        JOIN res_users u ON u.partner_id = p.partner_id AND u.active AND NOT u.share
        WHERE p.case_id > %(kb)s AND p.active
        """,
    )
    portal = env["lco.case"]._fields["lco_portal_partner_ids"]
    run(
        "lco.case lco_portal_partner_ids",
        f"""
        INSERT INTO {portal.relation} ({portal.column1}, {portal.column2})
        SELECT DISTINCT p.case_id, p.partner_id FROM lco_participant p
        JOIN lco_case c ON c.id = p.case_id
        WHERE p.case_id > %(kb)s AND p.active AND p.partner_id IS NOT NULL
          AND (p.role = 'client' OR EXISTS (
              SELECT 1 FROM lco_consent_line l
              WHERE l.consent_id = c.consent_id AND l.participant_id = p.id))
        """,
    )
    # New cases and requests made through the ORM get numbers of their own.
    cr.execute("DROP TABLE bench_case, bench_meeting")
    for table, column in defaults:
        cr.execute(f'ALTER TABLE {table} ALTER COLUMN "{column}" DROP DEFAULT')
    fill_related(env)
    # The client of an active case of the first organisation, on the portal.
    client = env["lco.case"].search(
        [("state", "=", "active"), ("company_id", "=", companies[0].id)],
        order="id",
        limit=1,
    )
    env["res.users"].with_context(no_reset_password=True).create(
        {
            "name": client.client_id.name,
            "login": "client1",
            "partner_id": client.client_id.id,
            "company_id": companies[0].id,
            "company_ids": [Command.set(companies[0].ids)],
            "groups_id": [Command.set([env.ref("base.group_portal").id])],
            "password": password("client1"),
        }
    )
    env.flush_all()
    env["ir.config_parameter"].set_param("lco_bench.cases", str(count))
    env.invalidate_all()
    env.registry.clear_cache()
    started = time.time()
    cr.execute("ANALYZE")
    print(f"  ANALYZE: {time.time() - started:.1f} s", flush=True)


# The models whose rows the SQL load writes: every stored computed or related
# field of theirs is checked (and, if need be, filled) below.
LOADED = (
    "res.partner",
    "lco.case",
    "lco.participant",
    "lco.meeting",
    "lco.meeting.attendee",
    "lco.agreement",
    "lco.request",
    "lco.request.intake",
    "lco.case.life.domain",
    "project.task",
)
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "200"))


def stored_computed(model):
    """The stored computed and related fields of ``model``, as the ORM has
    them now (fields other engineers add are found too), many2many ones (a
    relation table, as the case's membership) included; binary ones (images,
    kept as attachments) left out."""
    return [
        f
        for f in model._fields.values()
        if f.store
        and f.compute
        and f.type != "binary"
        and (f.column_type or f.type == "many2many")
    ]


def column_defaults(env):
    """Set the ORM's default of each plain stored field (selection, boolean,
    number) of the loaded models as its column's default; return them."""
    done = []
    for name in LOADED:
        model = env[name]
        for field in model._fields.values():
            if (
                not field.store
                or field.compute
                or field.type not in ("selection", "boolean", "integer", "float")
                or not field.default
                or field.name in ("id", "sequence")
            ):
                continue
            value = field.default(model)
            if value is None or isinstance(value, (list, tuple, dict)):
                continue
            env.cr.execute(
                f'ALTER TABLE {model._table} ALTER COLUMN "{field.name}" SET DEFAULT %s',
                [value],
            )
            done.append((model._table, field.name))
    return done


def fill_related(env):
    """Fill every stored related field of a path of many2one fields with one
    UPDATE ... FROM per field, in the order of its dependencies (a related
    field of a related field after it), as the ORM would have."""
    cr = env.cr
    pending = []
    for name in LOADED:
        model = env[name]
        for field in stored_computed(model):
            if not field.related or field.type in ("one2many", "many2many"):
                continue
            path = field.related.split(".")
            chain, current, ok = [], model, True
            for hop in path[:-1]:
                hop_field = current._fields[hop]
                if hop_field.type != "many2one" or not hop_field.store:
                    ok = False
                    break
                chain.append((current, hop_field))
                current = env[hop_field.comodel_name]
            last = current._fields[path[-1]]
            if not ok or not last.store or not last.column_type or last.translate:
                continue
            pending.append((model, field, chain, current, last))
    done = set()
    while pending:
        rest = []
        for item in pending:
            model, field, chain, target, last = item
            # A hop or the target that is itself a pending related comes first.
            deps = {(m._name, f.name) for m, f in chain} | {(target._name, last.name)}
            if any(
                (p[0]._name, p[1].name) in deps and (p[0]._name, p[1].name) not in done
                for p in pending
                if p is not item
            ):
                rest.append(item)
                continue
            joins, prev = [], "t"
            for n, (_m, hop_field) in enumerate(chain):
                alias = f"j{n}"
                comodel = env[hop_field.comodel_name]
                joins.append(
                    (alias, comodel._table, f"{alias}.id = {prev}.{hop_field.name}")
                )
                prev = alias
            tables = ", ".join(f"{t} {a}" for a, t, _c in joins)
            conds = " AND ".join(c for _a, _t, c in joins)
            started = time.time()
            cr.execute(
                f"UPDATE {model._table} t SET {field.name} = {prev}.{last.name} "
                f"FROM {tables} WHERE {conds} "
                f"AND t.{field.name} IS DISTINCT FROM {prev}.{last.name}"
            )
            print(
                f"  {model._name}.{field.name} = {field.related}: {cr.rowcount} rows, "
                f"{time.time() - started:.1f} s",
                flush=True,
            )
            done.add((model._name, field.name))
        if len(rest) == len(pending):  # a cycle: leave them to the check
            break
        pending = rest
    env.invalidate_all()


def comparable(field, value):
    if field.type in ("many2one", "one2many", "many2many"):
        return tuple(sorted(value.ids))
    if field.type == "float":
        return round(value or 0.0, 6)
    if field.type == "properties":
        return repr(value)
    return value


def check_stored(env, fix=True):
    """Compare a random sample of each loaded model with a recompute through
    the ORM (in a savepoint); a field that differs is filled through the ORM
    for all rows (batches), then checked again. Returns the list of fields the
    ORM had to fill and the list of those that still differ."""
    cr = env.cr
    filled, wrong = [], []
    for name in LOADED:
        model = env[name].with_context(active_test=False)
        fields_ = stored_computed(model)
        cr.execute(
            f"SELECT id FROM {model._table} ORDER BY random() LIMIT %s", [SAMPLE]
        )
        records = model.browse([r[0] for r in cr.fetchall()])
        differ = sample_differs(env, records, fields_)
        if differ and fix:
            for field in differ:
                started = time.time()
                recompute_all(env, model, field)
                filled.append(
                    f"{name}.{field.name} ({time.time() - started:.0f} s through the ORM)"
                )
                print(f"  filled {filled[-1]}", flush=True)
            differ = sample_differs(env, records, fields_)
        wrong += [f"{name}.{f.name}" for f in differ]
        print(f"  checked {len(records)} {name} on {len(fields_)} fields", flush=True)
        # A required column (the case's and request's kind, say) the load
        # left empty on some row.
        for field in model._fields.values():
            if field.store and field.required and field.column_type:
                cr.execute(
                    f'SELECT count(*) FROM {model._table} WHERE "{field.name}" IS NULL'
                )
                empty = cr.fetchone()[0]
                if empty:
                    print(f"  {name}.{field.name}: {empty} rows empty", flush=True)
                    wrong.append(f"{name}.{field.name} (required, {empty} empty)")
    return filled, wrong


def refresh_figures(env):
    """The figures read monthly aggregates (lco.figure.month): count them
    again after the load, as their hourly cron does (it commits a batch per
    figure and organisation)."""
    started = time.time()
    env["lco.figure.month"]._cron_refresh()
    env.cr.commit()
    rows = {}
    for model in env["lco.figure.month"]._figure_models():
        env.cr.execute(f"SELECT count(*) FROM {model._table}")
        rows[model._name] = env.cr.fetchone()[0]
    print(
        f"  figures refreshed in {time.time() - started:.1f} s: "
        + ", ".join(f"{n} {name}" for name, n in rows.items()),
        flush=True,
    )
    return rows


def sample_differs(env, records, fields_):
    """The fields whose stored values of ``records`` are not what the ORM
    computes for them."""
    env.invalidate_all()
    stored = {
        (r.id, f.name): comparable(f, r[f.name]) for r in records for f in fields_
    }
    env.cr.execute("SAVEPOINT bench_check")
    try:
        for field in fields_:
            env.add_to_compute(field, records)
        env.flush_all()
        env.invalidate_all()
        differ = []
        for field in fields_:
            for record in records:
                now = comparable(field, record[field.name])
                if now != stored[record.id, field.name]:
                    print(
                        f"  {records._name}({record.id}).{field.name}: stored "
                        f"{stored[record.id, field.name]!r}, computed {now!r}",
                        flush=True,
                    )
                    differ.append(field)
                    break
    finally:
        env.invalidate_all()
        env.cr.execute("ROLLBACK TO SAVEPOINT bench_check")
    return differ


def recompute_all(env, model, field, batch=5000):
    env.cr.execute(f"SELECT id FROM {model._table} ORDER BY id")
    ids = [r[0] for r in env.cr.fetchall()]
    for start in range(0, len(ids), batch):
        records = model.browse(ids[start : start + batch])
        env.add_to_compute(field, records)
        env.flush_all()
        env.invalidate_all()


# --------------------------------------------------------------------------
# Measure
# --------------------------------------------------------------------------


class Bench:
    def __init__(self, env):
        self.env = env
        self.cr = env.cr
        self.rows = []

    def user_env(self, login):
        user = self.env["res.users"].search([("login", "=", login)])
        return api.Environment(
            self.cr,
            user.id,
            {
                "lang": "en_US",
                "tz": "Europe/Brussels",
                "uid": user.id,
                "allowed_company_ids": user.company_ids.ids,
                "bin_size": True,
            },
        )

    def timed(self, func, runs=RUNS):
        """Median seconds and queries of ``runs`` warm calls (one warm-up)."""
        times, queries = [], []
        for n in range(runs + 1):
            self.env.invalidate_all()
            start_q = self.cr.sql_log_count
            started = time.perf_counter()
            with self.savepoint():
                func()
            elapsed = time.perf_counter() - started
            if n:
                times.append(elapsed)
                queries.append(self.cr.sql_log_count - start_q)
        return statistics.median(times), int(statistics.median(queries))

    @contextmanager
    def savepoint(self):
        """Whatever a measured call writes is rolled back."""
        self.cr.execute("SAVEPOINT bench")
        try:
            yield
        finally:
            self.env.invalidate_all()
            self.cr.execute("ROLLBACK TO SAVEPOINT bench")

    def row(self, metric, value, reference, goal, ok):
        result = ("pass" if ok else "FAIL") if goal else "—"
        self.rows.append((metric, value, reference, goal, result))
        print(f"  {metric}: {value} | {reference} | {goal} | {ok}", flush=True)

    # -- views as the web client calls them -----------------------------

    @staticmethod
    def spec_of(env, model, view_type, action_xmlid=None):
        """The web client's specification for a list or kanban view."""
        action = env.ref(action_xmlid) if action_xmlid else None
        views = [[False, view_type], [False, "search"]]
        if action:
            views = [[v, m] for v, m in action.sudo().views if m == view_type] or views
            views.append([action.sudo().search_view_id.id, "search"])
        result = env[model].get_views(views)
        arch = etree.fromstring(result["views"][view_type]["arch"])
        search = etree.fromstring(result["views"]["search"]["arch"])
        fields_info = result["models"][model]["fields"]
        spec = {}
        for node in arch.iter("field"):
            # Fields of a subview or of a template's inner record are skipped.
            if any(
                a.tag in ("list", "form") for a in node.iterancestors() if a is not arch
            ):
                continue
            name = node.get("name")
            info = fields_info.get(name, {})
            ftype = info.get("type")
            widget = node.get("widget")
            if ftype == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif ftype in ("one2many", "many2many"):
                if name == "activity_ids":
                    spec[name] = {"fields": {}}
                    for dep in (
                        "activity_exception_decoration",
                        "activity_exception_icon",
                        "activity_state",
                        "activity_summary",
                        "activity_type_icon",
                        "activity_type_id",
                    ):
                        if dep in env[model]._fields:
                            spec[dep] = (
                                {"fields": {"display_name": {}}}
                                if dep == "activity_type_id"
                                else {}
                            )
                elif widget == "many2many_tags":
                    sub = {"display_name": {}}
                    color = (eval(node.get("options", "{}")) or {}).get("color_field")
                    if color:
                        sub[color] = {}
                    spec[name] = {"fields": sub}
                else:
                    spec[name] = {"fields": {}}
            else:
                spec[name] = {}
        filters = {f.get("name"): f.get("domain") for f in search.iter("filter")}
        return spec, filters

    @staticmethod
    def name_search_domain(env, text):
        """The domain of the case search view's default search (its first
        field), as the web client builds it when one types ``text``."""
        action = env.ref("lco_module.action_lco_case").sudo()
        arch = env["lco.case"].get_views([[action.search_view_id.id, "search"]])
        search = etree.fromstring(arch["views"]["search"]["arch"])
        node = next(search.iter("field"))
        if node.get("filter_domain"):
            return eval(node.get("filter_domain"), {"self": text})
        return [(node.get("name"), "ilike", text)]

    # -- figures ------------------------------------------------------------

    def figure_calls(self, env, action_xmlid):  # noqa: PLR0912
        action = env.ref(action_xmlid).sudo()
        model = env[action.res_model]
        ctx = eval(action.context or "{}", {"uid": env.uid})
        domain = eval(action.domain or "[]", {"uid": env.uid})
        views = [[v, m] for v, m in action.views]
        if action.search_view_id:
            views.append([action.search_view_id.id, "search"])
        result = model.get_views(views)
        if "search" in result["views"]:
            search = etree.fromstring(result["views"]["search"]["arch"])
            today = fields.Date.context_today(env["res.users"])
            values = {
                "uid": env.uid,
                "context_today": lambda: today,
                "relativedelta": relativedelta,
            }
            for f in search.iter("filter"):
                if ctx.get(f"search_default_{f.get('name')}") and f.get("domain"):
                    domain += eval(f.get("domain"), values)
        calls = []
        for view_type in ("graph", "pivot"):
            if view_type not in result["views"]:
                continue
            arch = etree.fromstring(result["views"][view_type]["arch"])
            rows, cols, measures = [], [], []
            for node in arch.iter("field"):
                name = node.get("name")
                if node.get("interval"):
                    name = f"{name}:{node.get('interval')}"
                if node.get("type") == "measure":
                    field = model._fields[node.get("name")]
                    measures.append(f"{field.name}:{field.aggregator or 'sum'}")
                elif node.get("type") == "col":
                    cols.append(name)
                else:
                    rows.append(name)
            fields_ = ["__count", *measures]
            if view_type == "graph":
                groupbys = [rows + cols]
            else:
                # Pivot: the totals, the rows, the columns and the cells.
                groupbys = [[], rows[:1], cols[:1], rows[:1] + cols[:1]]
            for groupby in groupbys:
                calls.append((domain, fields_, groupby))
        return model, calls

    def figure_plan(self, env):
        """Every figure action of the addon (action_lco_..._figures and the
        bottleneck analysis, in whatever module): its label, its model and
        the read groups of its graph and pivot views."""
        actions = self.env["ir.model.data"].search(
            [
                ("module", "=like", "lco%"),
                ("model", "=", "ir.actions.act_window"),
                "|",
                ("name", "=like", "action_lco_%_figures"),
                ("name", "=", "action_lco_bottleneck_analysis"),
            ],
            order="id",
        )
        plan = []
        for data in actions:
            label = data.name.removeprefix("action_lco_").removesuffix("_figures")
            label = label.replace("bottleneck_analysis", "bottlenecks").replace(
                "_", " "
            )
            model, calls = self.figure_calls(env, data.complete_name)
            if not calls:
                # No graph or pivot (the figures per chair are a list of the
                # chair pool, which the load does not fill): not a figure to
                # pass at 0 ms.
                print(f"  {data.complete_name}: no graph or pivot, not measured")
                continue
            plan.append((label, model._name, calls))
        return plan

    # -- reports and writes ---------------------------------------------

    def make_case(self, coordinator, worker, agreements):
        """A case of ``coordinator`` with a meeting and ``agreements``
        agreements made in it, through the ORM, all for ``worker``, an aid
        worker with a user, so that they are to-dos of his."""
        env = self.env
        partners = env["res.partner"].create(
            [
                {"name": f"Bench Extra {n}", "email": f"x{n}@example.org"}
                for n in range(2)
            ]
        )
        case = env["lco.case"].create(
            {
                "company_id": coordinator.company_id.id,
                "coordinator_id": coordinator.id,
                "client_id": partners[0].id,
                "question": "Question",
                "participant_ids": [
                    Command.create({"partner_id": partners[0].id, "role": "client"}),
                    Command.create(
                        {"partner_id": partners[1].id, "role": "professional"}
                    ),
                    Command.create(
                        {
                            "partner_id": worker.partner_id.id,
                            "role": "professional",
                        }
                    ),
                ],
            }
        )
        meeting = env["lco.meeting"].create(
            {"case_id": case.id, "start": fields.Datetime.now(), "location": "Here"}
        )
        me = case.participant_ids.filtered(lambda p: p.partner_id == worker.partner_id)
        records = env["lco.agreement"].create(
            [
                {
                    "case_id": case.id,
                    "meeting_id": meeting.id,
                    "name": f"Agreement {n}",
                    "responsible_id": me.id,
                    "deadline": fields.Date.today(),
                }
                for n in range(agreements)
            ]
        )
        return meeting, records

    def measure_writes(self, coord_env):
        coordinator = coord_env.user
        env = self.env
        worker = (
            env["res.users"]
            .with_context(no_reset_password=True)
            .create(
                {
                    "name": "Aid Worker",
                    "login": "aidworker",
                    "email": "aidworker@example.org",
                    "company_id": coordinator.company_id.id,
                    "company_ids": [Command.set(coordinator.company_id.ids)],
                    "groups_id": [
                        Command.set(
                            [
                                env.ref("base.group_user").id,
                                env.ref("lco_module.group_lco_user").id,
                                env.ref("project.group_project_user").id,
                            ]
                        )
                    ],
                }
            )
        )
        worker_env = self.user_env("aidworker")
        for count in (5, 50):
            meeting, _agreements = self.make_case(coordinator, worker, count)
            seconds, queries = self.timed(
                lambda m=meeting: coord_env["ir.actions.report"]._render_qweb_html(
                    "lco_module.action_report_lco_meeting", m.ids
                ),
                runs=3,
            )
            if count == 5:
                base = queries
                self.row(
                    "meeting report, 5 agreements",
                    f"{seconds * 1000:.0f} ms ({queries} q)",
                    "",
                    "",
                    True,
                )
            else:
                self.row(
                    "meeting report, 50 agreements",
                    f"{seconds * 1000:.0f} ms ({queries} q)",
                    f"{base} q with 5",
                    "queries ≈ equal",
                    queries <= base + 3,
                )
        # Closing 40 agreements with a to-do, against Odoo closing 40 to-dos.
        _meeting, agreements = self.make_case(coordinator, worker, 40)
        tasks = env["project.task"].search([], limit=40)
        todo = env.ref("mail.mail_activity_data_todo")
        activities = env["mail.activity"].create(
            [
                {
                    "res_model_id": env["ir.model"]._get_id("project.task"),
                    "res_id": task.id,
                    "activity_type_id": todo.id,
                    "user_id": worker.id,
                    "summary": "To do",
                }
                for task in tasks
            ]
        )
        assert len(agreements.activity_ids) == 40, "every agreement has its to-do"
        env.flush_all()

        def close_agreements():
            # The responsible reports his agreements done, from their list.
            worker_env["lco.agreement"].browse(agreements.ids).write(
                {"state": "done", "outcome_note": "Done as agreed"}
            )
            worker_env.flush_all()

        def close_activities():
            worker_env["mail.activity"].browse(activities.ids).action_feedback(
                feedback="Done as agreed"
            )
            worker_env.flush_all()

        lco, lq = self.timed(close_agreements, runs=3)
        ref, rq = self.timed(close_activities, runs=3)
        ratio = lco / ref if ref else 0
        self.row(
            "closing 40 agreements with a to-do / Odoo's action_feedback on 40 to-dos",
            f"{lco * 1000:.0f} ms ({lq} q, {lq / 40:.1f} per agreement)",
            f"{ref * 1000:.0f} ms ({rq} q)",
            f"{ratio:.2f} ≤ 1.00",
            ratio <= 1.0,
        )

    def measure_yearly(self, env):
        year = fields.Date.context_today(env["res.users"]).year - 1
        wizard = env["lco.yearly.figures.wizard"].create(
            {"year": year, "company_ids": [Command.set(env.companies.ids)]}
        )
        seconds, queries = self.timed(
            lambda: env["ir.actions.report"]._render_qweb_html(
                "lco_module.action_report_lco_yearly_figures", wizard.ids
            ),
            runs=3,
        )
        self.row(
            f"yearly figures report {year}, {len(env.companies)} organisation(s)",
            f"{seconds * 1000:.0f} ms ({queries} q)",
            "",
            "≤ 1 s",
            seconds <= 1.0,
        )

    def measure_crons(self):
        crons = self.env["ir.model.data"].search(
            [("module", "=like", "lco%"), ("model", "=", "ir.cron")]
        )
        for data in crons:
            cron = self.env["ir.cron"].browse(data.res_id)
            model = self.env[cron.model_id.model]
            code = cron.code.strip()
            method = code.split("model.", 1)[1].split("(", 1)[0]

            def call(model=model, method=method):
                # A batched cron commits each batch unless testing (see
                # lco_module/tools/batched.py): here it would commit past the
                # savepoint that rolls the measure back.
                thread = threading.current_thread()
                thread.testing = True
                try:
                    getattr(model.with_context(lastcall=False), method)()
                    model.env.flush_all()
                finally:
                    thread.testing = False

            seconds, queries = self.timed(call, runs=1)
            self.row(
                f"cron: {cron.name} (one call)",
                f"{seconds * 1000:.0f} ms ({queries} q)",
                "",
                "",
                True,
            )


# --------------------------------------------------------------------------
# The plan of the HTTP measures (made in process, run over HTTP)
# --------------------------------------------------------------------------

ROLES = (
    ("coordinator", "coordinator1"),
    ("aid worker", "aidworker1"),
    ("manager", "manager"),
)
PORTAL_LOGIN = "client1"


def user_context(user):
    return {
        "lang": "en_US",
        "tz": "Europe/Brussels",
        "uid": user.id,
        "allowed_company_ids": user.company_ids.ids,
        "bin_size": True,
    }


def form_spec(env, model, action_xmlid):
    """The web client's web_read specification of the action's form view:
    its fields, the display name of many2one ones, and the fields of the
    lists of its x2many fields (first 40 rows)."""
    action = env.ref(action_xmlid).sudo()
    views = [[v, m] for v, m in action.views if m == "form"] or [[False, "form"]]
    result = env[model].get_views(views)
    arch = etree.fromstring(result["views"]["form"]["arch"])

    def spec_of(node_root, model_name, top):
        info = result["models"].get(model_name, {}).get("fields", {})
        spec = {}
        for node in node_root.iter("field"):
            owner = next(
                (
                    a
                    for a in node.iterancestors()
                    if a.tag in ("list", "tree", "kanban", "form")
                ),
                None,
            )
            if owner is not None and owner is not top:
                continue
            name = node.get("name")
            ftype = info.get(name, {}).get("type")
            if ftype == "many2one":
                spec[name] = {"fields": {"display_name": {}}}
            elif ftype in ("one2many", "many2many"):
                sub = next(
                    (c for c in node if c.tag in ("list", "tree", "kanban")), None
                )
                comodel = info[name].get("relation")
                if sub is not None and comodel:
                    spec[name] = {
                        "fields": spec_of(sub, comodel, sub),
                        "limit": 40,
                        "order": "",
                    }
                else:
                    spec[name] = {"fields": {"display_name": {}}}
            else:
                spec[name] = {}
        return spec

    return spec_of(arch, model, arch)


def call(model, method, args, kwargs, ctx):
    return {
        "kind": "call",
        "model": model,
        "method": method,
        "args": args,
        "kwargs": {**kwargs, "context": ctx},
    }


def list_call(model, spec, domain, ctx, limit=80):
    return call(
        model,
        "web_search_read",
        [],
        {
            "domain": domain,
            "specification": spec,
            "offset": 0,
            "limit": limit,
            "order": "",
            "count_limit": 10001,
        },
        ctx,
    )


def kanban_call(model, spec, domain, groupby, ctx):
    return {
        "kind": "kanban",
        "model": model,
        "domain": domain,
        "spec": spec,
        "groupby": groupby,
        "context": ctx,
    }


def route_of(env, endpoint_name, default):
    """The URL of the controller method ``endpoint_name``, wherever it is
    (lco_module or a module split from it)."""
    try:
        threading.current_thread().dbname = env.cr.dbname
        for rule in env["ir.http"].routing_map().iter_rules():
            func = getattr(rule.endpoint, "original_endpoint", rule.endpoint)
            if getattr(func, "__name__", "") == endpoint_name and "<" not in rule.rule:
                return rule.rule
    except Exception as error:
        print(f"  routing map: {error}", flush=True)
    return default


def build_plan(env, bench):
    plan = {
        "screens": [],
        "counts": [],
        "figures": [],
        "portal": [],
        "public": [],
        "users": {},
        "concurrent": {},
    }
    logins = [login for _r, login in ROLES] + [PORTAL_LOGIN]
    logins += [f"coordinator{n + 1}" for n in range(COORDINATORS)]
    for login in set(logins):
        plan["users"][login] = password(login)
    today = fields.Date.context_today(env["res.users"])
    late_states = [
        "01_in_progress",
        "02_changes_requested",
        "03_approved",
        "04_waiting_normal",
    ]
    for role, login in ROLES:
        uenv = bench.user_env(login)
        uid = uenv.uid
        ctx = user_context(uenv.user)
        case_list, _ = bench.spec_of(
            uenv, "lco.case", "list", "lco_module.action_lco_case"
        )
        case_kanban, _ = bench.spec_of(
            uenv, "lco.case", "kanban", "lco_module.action_lco_case"
        )
        task_list, _ = bench.spec_of(
            uenv, "project.task", "list", "project.action_view_all_task"
        )
        task_kanban, _ = bench.spec_of(
            uenv, "project.task", "kanban", "project.action_view_all_task"
        )
        name = "Maes"
        searches = {
            "first page": ([], []),
            f"search client name '{name}'": (
                bench.name_search_domain(uenv, name),
                [("name", "ilike", name)],
            ),
            "my cases / my tasks": (
                [("coordinator_id", "=", uid)],
                [("user_ids", "in", uid)],
            ),
            "overdue agreements / late tasks": (
                [("next_deadline", "<", str(today))],
                [("date_deadline", "<", str(today)), ("state", "in", late_states)],
            ),
        }
        for label, (cd, td) in searches.items():
            plan["screens"].append(
                {
                    "role": role,
                    "login": login,
                    "label": f"case list, {label}",
                    "lco": [list_call("lco.case", case_list, cd, ctx)],
                    "ref": [list_call("project.task", task_list, td, ctx)],
                }
            )
            plan["screens"].append(
                {
                    "role": role,
                    "login": login,
                    "label": f"case kanban, {label}",
                    "lco": [kanban_call("lco.case", case_kanban, cd, "state", ctx)],
                    "ref": [
                        kanban_call(
                            "project.task",
                            task_kanban,
                            [("project_id", "!=", False), *td],
                            "stage_id",
                            ctx,
                        )
                    ],
                }
            )
        # The form of a case he may open, against the task of the same client.
        case = uenv["lco.case"].search(
            [("state", "=", "active")], order="id desc", limit=1
        )
        if not case:
            raise RuntimeError(f"{login} sees no active case: the load is wrong")
        task = env["project.task"].search(
            [("partner_id", "=", case.sudo().client_id.id)], limit=1
        )
        form = {"lco": [], "ref": []}
        for side, model, rec, xmlid in (
            ("lco", "lco.case", case, "lco_module.action_lco_case"),
            ("ref", "project.task", task, "project.action_view_all_task"),
        ):
            form[side] = [
                call(
                    model,
                    "web_read",
                    [rec.ids],
                    {"specification": form_spec(uenv, model, xmlid)},
                    ctx,
                ),
                {
                    "kind": "json",
                    "url": "/mail/thread/data",
                    "params": {
                        "thread_model": model,
                        "thread_id": rec.id,
                        "request_list": [
                            "activities",
                            "attachments",
                            "followers",
                            "scheduledMessages",
                            "suggestedRecipients",
                        ],
                    },
                },
                {
                    "kind": "json",
                    "url": "/mail/thread/messages",
                    "params": {
                        "thread_model": model,
                        "thread_id": rec.id,
                        "limit": 30,
                    },
                },
            ]
        plan["screens"].append(
            {
                "role": role,
                "login": login,
                "label": "case form (web_read + chatter)",
                **form,
            }
        )
        for limit in (80, 800):
            plan["counts"].append(
                {
                    "role": role,
                    "login": login,
                    "limit": limit,
                    "lco": [list_call("lco.case", case_list, [], ctx, limit)],
                    "ref": [list_call("project.task", task_list, [], ctx, limit)],
                }
            )
        if role != "aid worker":
            for label, model, calls in bench.figure_plan(uenv):
                plan["figures"].append(
                    {
                        "role": role,
                        "login": login,
                        "label": label,
                        "lco": [
                            call(
                                model,
                                "read_group",
                                [],
                                {"domain": d, "fields": f, "groupby": g, "lazy": False},
                                ctx,
                            )
                            for d, f, g in calls
                        ],
                    }
                )
        if role == "coordinator":
            plan["concurrent"] = {
                "lco": [
                    s["lco"]
                    for s in plan["screens"]
                    if s["role"] == role
                    and s["label"]
                    in (
                        "case list, first page",
                        "case kanban, first page",
                        "case form (web_read + chatter)",
                    )
                ],
                "ref": [
                    s["ref"]
                    for s in plan["screens"]
                    if s["role"] == role
                    and s["label"]
                    in (
                        "case list, first page",
                        "case kanban, first page",
                        "case form (web_read + chatter)",
                    )
                ],
            }
    portal_env = bench.user_env(PORTAL_LOGIN)
    pcase = portal_env["lco.case"].search([], limit=1)
    ptask = portal_env["project.task"].search([], limit=1)
    cases_url = route_of(env, "portal_my_lco_cases", "/my/lco")
    plan["portal"] = [
        {
            "label": f"portal: my cases ({cases_url}) / /my/tasks",
            "login": PORTAL_LOGIN,
            "lco": [{"kind": "get", "url": cases_url}],
            "ref": [{"kind": "get", "url": "/my/tasks"}],
        },
        {
            "label": f"portal: one case ({cases_url}/<id>) / /my/tasks/<id>",
            "login": PORTAL_LOGIN,
            "lco": [{"kind": "get", "url": f"{cases_url}/{pcase.id}"}],
            "ref": [{"kind": "get", "url": f"/my/tasks/{ptask.id}"}],
        },
    ]
    form_url = route_of(env, "request_form", "/lco/aanvraag")
    # Odoo's own public form that makes a record: the task submission form of
    # website_project, on the website's contact page.
    project = env["project.project"].search([("name", "=", "Follow-up")], limit=1)
    plan["public"] = [
        {
            "label": f"public request form, GET {form_url} / GET /contactus",
            "lco": [{"kind": "get", "url": form_url}],
            "ref": [{"kind": "get", "url": "/contactus"}],
        },
        {
            "label": f"public request form, GET + valid POST {form_url} (a request "
            "made) / GET /contactus + POST /website/form/project.task (a task made)",
            "lco": [{"kind": "post_form", "url": form_url, "expect": [303]}],
            "ref": [
                {
                    "kind": "post_form",
                    "url": "/contactus",
                    "post_url": "/website/form/project.task",
                    "values": {
                        "name": "Help with housing and debts",
                        "partner_name": "Aid Worker Bench",
                        "partner_phone": "011 22 33 44",
                        "description": "A home and an income",
                        "project_id": str(project.id),
                    },
                    "expect": [200],
                }
            ],
        },
    ]
    return plan


# --------------------------------------------------------------------------
# HTTP: as the web client calls it, against a server with 2 workers
# --------------------------------------------------------------------------


class Client:
    """One browser: a session of one user."""

    def __init__(self, base, db, tag=None):
        import requests  # noqa: PLC0415 - only the HTTP phase needs it
        from urllib3.util.retry import Retry  # noqa: PLC0415

        self.base, self.db, self.tag = base, db, tag
        self.http = requests.Session()
        # One request a connection, as behind a proxy (nginx speaks HTTP/1.0
        # to Odoo): a kept-alive connection would hold a worker.
        self.http.headers["Connection"] = "close"
        # Odoo's prefork server listens with a backlog of 8 a worker: at 30
        # users a connection may be refused before any worker took it, where a
        # proxy would have queued it. Such a request is sent again (its time
        # counts); an answered request never is.
        retry = Retry(
            total=5,
            connect=5,
            read=5,
            status=0,
            allowed_methods=None,
            backoff_factor=0.05,
            raise_on_status=False,
        )
        adapter = requests.adapters.HTTPAdapter(max_retries=retry)
        self.http.mount("http://", adapter)
        self.seq = 0

    def url(self, path):
        self.seq += 1
        sep = "&" if "?" in path else "?"
        return (
            f"{self.base}{path}{sep}bench={self.tag}-{self.seq}"
            if self.tag
            else self.base + path
        )

    def json(self, path, params):
        response = self.http.post(
            self.url(path),
            json={"jsonrpc": "2.0", "method": "call", "id": self.seq, "params": params},
            timeout=600,
        )
        response.raise_for_status()
        body = response.json()
        if body.get("error"):
            data = body["error"].get("data", {})
            raise RuntimeError(f"{path}: {data.get('name')}: {data.get('message')}")
        return body.get("result")

    def login(self, login, password_):
        if login:
            self.json(
                "/web/session/authenticate",
                {"db": self.db, "login": login, "password": password_},
            )

    def step(self, step):
        kind = step["kind"]
        if kind == "call":
            return self.json(
                f"/web/dataset/call_kw/{step['model']}/{step['method']}",
                {
                    "model": step["model"],
                    "method": step["method"],
                    "args": step["args"],
                    "kwargs": step["kwargs"],
                },
            )
        if kind == "kanban":
            ctx = step["context"]
            groups = self.json(
                f"/web/dataset/call_kw/{step['model']}/web_read_group",
                {
                    "model": step["model"],
                    "method": "web_read_group",
                    "args": [],
                    "kwargs": {
                        "domain": step["domain"],
                        "fields": [step["groupby"]],
                        "groupby": [step["groupby"]],
                        "limit": 80,
                        "lazy": True,
                        "context": ctx,
                    },
                },
            )
            # As Odoo 18's web client (relational_model.js): the records of
            # at most 10 unfolded groups, and none of an empty group (a
            # group_expand column, say).
            opened = 0
            for group in groups["groups"]:
                if group.get("__fold"):
                    continue
                opened += 1
                count = group.get("__count") or group.get(f"{step['groupby']}_count")
                if opened > 10 or not count:
                    continue
                self.json(
                    f"/web/dataset/call_kw/{step['model']}/web_search_read",
                    {
                        "model": step["model"],
                        "method": "web_search_read",
                        "args": [],
                        "kwargs": {
                            "domain": group["__domain"],
                            "specification": step["spec"],
                            "offset": 0,
                            "limit": 40,
                            "order": "",
                            "count_limit": 10001,
                            "context": ctx,
                        },
                    },
                )
            return None
        if kind == "json":
            return self.json(step["url"], step["params"])
        if kind == "get":
            response = self.http.get(self.url(step["url"]), timeout=600)
            if response.status_code != 200:
                raise RuntimeError(f"GET {step['url']}: {response.status_code}")
            return response.text
        if kind == "post_form":
            return self.post_form(step)
        raise ValueError(kind)

    def post_form(self, step):
        """Fill the form of the page as a visitor would (a valid request), and
        post it; or, with a ``post_url``, post the step's values there after
        the page (a website form, which posts what its script gathers)."""
        from lxml import html  # noqa: PLC0415

        page = self.http.get(self.url(step["url"]), timeout=600)
        doc = html.fromstring(page.text)
        form = next(
            (f for f in doc.forms if (f.get("method") or "").lower() == "post"), None
        )
        values = {}
        if form is not None and "post_url" not in step:
            for node in form.inputs:
                name, kind = node.get("name"), (node.get("type") or "text").lower()
                if (
                    not name
                    or name == "homepage"
                    or kind in ("submit", "button", "file")
                ):
                    continue
                if node.tag == "select":
                    options = [
                        o.get("value") for o in node.iter("option") if o.get("value")
                    ]
                    values.setdefault(name, options[0] if options else "")
                elif kind in ("checkbox",):
                    values.setdefault(name, node.get("value") or "on")
                elif kind == "radio":
                    values.setdefault(name, node.get("value"))
                elif kind == "hidden":
                    values[name] = node.get("value") or ""
                else:
                    values.setdefault(
                        name, node.get("value") or FORM_TEXT.get(name, "Bench")
                    )
        values.update({k: v for k, v in FORM_TEXT.items() if k in values})
        values.update(step.get("values", {}))
        response = self.http.post(
            self.url(step.get("post_url", step["url"])),
            data=values,
            allow_redirects=False,
            timeout=600,
        )
        expected = step.get("expect", (200, 303))
        if response.status_code not in expected:
            raise RuntimeError(f"POST {step['url']}: {response.status_code}")


# What the form posts for the fields it asks (valid input).
FORM_TEXT = {
    "requester_type": "professional",
    "requester_name": "Aid Worker Bench",
    "requester_organisation": "CAW",
    "requester_email": "bench@example.org",
    "requester_phone": "011 22 33 44",
    "client_name": "Bench Client",
    "client_zip": "3500",
    "client_city": "Hasselt",
    "client_email": "",
    "client_phone": "",
    "client_birthdate": "",
    "question": "Help with housing and debts",
    "urgency": "0",
}


def percentile(values, share):
    values = sorted(values)
    return values[min(len(values) - 1, round(share * (len(values) - 1)))]


def timed_steps(client, steps, tag):
    """Seconds of one run of ``steps``, its requests tagged ``tag`` in the URL."""
    client.tag = tag
    started = time.perf_counter()
    for step in steps:
        client.step(step)
    return time.perf_counter() - started


def queries_of(logfile, tag):
    """The SQL queries of the requests tagged ``tag`` (Odoo's werkzeug log:
    ``"GET /...?bench=tag-N HTTP/1.1" 200 - QUERIES QUERY_TIME OTHER_TIME``)."""
    total, pattern = (
        0,
        re.compile(rf'bench={re.escape(tag)}-\d+ HTTP/[\d.]+" \d+ - (\d+) '),
    )
    with open(logfile, errors="replace") as f:
        for line in f:
            match = pattern.search(line)
            if match:
                total += int(match.group(1))
    return total


def run_http(plans, base, logfile, runs):
    """The plans of every size (``{cases: (db, plan)}``) against one server,
    each screen's runs in turn, size by size and side by side (20,000 lco,
    20,000 task, 100,000 lco, 100,000 task, again...): whatever else the
    machine does meanwhile weighs on every cell of a row alike, its growth
    included. ``{cases: results}``."""
    sizes = sorted(plans)
    results = {n: {"rows": [], "errors": []} for n in sizes}
    sessions = {}

    def client_of(n, login, tag):
        db, plan = plans[n]
        client = Client(base, db, tag)
        client.http = sessions.setdefault((n, login), _logged_in(base, db, login, plan))
        return client

    def measure(group, items, label, kinds=("lco", "ref")):
        """``items``: the row's item of each size."""
        rows = {n: {"group": group, "label": label(items[n])} for n in sizes}
        if len({row["label"] for row in rows.values()}) > 1:
            raise RuntimeError(
                f"The plans differ: {[r['label'] for r in rows.values()]}"
            )
        if SCREENS and not any(word in rows[sizes[0]]["label"] for word in SCREENS):
            return rows
        cells = [(n, side) for n in sizes for side in kinds]
        tags = {(n, side): f"{n}x{len(results[n]['rows'])}{side}" for n, side in cells}
        times = {cell: [] for cell in cells}
        clients, failed = {}, {}
        for run in range(runs + 1):
            for cell in cells:
                if cell in failed:
                    continue
                n, side = cell
                try:
                    if cell not in clients:
                        clients[cell] = client_of(n, items[n].get("login"), tags[cell])
                    seconds = timed_steps(
                        clients[cell], items[n][side], f"{tags[cell]}r{run}"
                    )
                except Exception as error:
                    failed[cell] = error
                    continue
                if run:
                    times[cell].append(seconds)
        time.sleep(0.5)  # the log line is written after the response
        for cell in cells:
            n, side = cell
            if cell in failed:
                rows[n][side] = {"error": str(failed[cell])[:200]}
                results[n]["errors"].append(
                    f"{rows[n]['label']} ({side}): {failed[cell]}"
                )
                continue
            queries = [
                queries_of(logfile, f"{tags[cell]}r{run}") for run in range(1, runs + 1)
            ]
            rows[n][side] = {
                "p50": percentile(times[cell], 0.5),
                "p95": percentile(times[cell], 0.95),
                # The median of the warm runs: the first one fills caches.
                "q": int(statistics.median(queries)),
            }
        for n in sizes:
            print(f"  {n}: {rows[n]['label']}: {rows[n]}", flush=True)
            results[n]["rows"].append(rows[n])
        return rows

    def each(key):
        """The items of plan list ``key``, a dict by size per row."""
        return [
            dict(zip(sizes, items, strict=True))
            for items in zip(*(plans[n][1][key] for n in sizes), strict=True)
        ]

    for n in sizes:
        warm_up(plans[n][1], base, plans[n][0])
    for screens in each("screens"):
        measure("screen", screens, lambda s: f"{s['role']}: {s['label']}")
    for counts in each("counts"):
        rows = measure(
            "count",
            counts,
            lambda c: f"{c['role']}: queries of a list page, {c['limit']} rows",
        )
        for n, row in rows.items():
            row["limit"], row["role"] = counts[n]["limit"], counts[n]["role"]
    for items in each("portal"):
        measure("screen", items, lambda item: item["label"])
    for items in each("public"):
        measure(
            "screen",
            {n: {**item, "login": None} for n, item in items.items()},
            lambda item: item["label"],
        )
    for figs in each("figures"):
        measure(
            "figure",
            figs,
            lambda fig: f"{fig['role']}: figures, {fig['label']} (graph + pivot)",
            kinds=("lco",),
        )
    for users in CONCURRENT if not SCREENS else ():
        measure_concurrent(plans, base, users, results)
    return results


def measure_concurrent(plans, base, users, results):
    """``users`` coordinators at once, on each size in turn."""
    for n in sorted(plans):
        db, plan = plans[n]
        row = {
            "group": "concurrent",
            "label": f"{users} users at once: coordinators' "
            "list, kanban, form (each a request sequence) / the same on tasks",
        }
        for side in ("lco", "ref"):
            try:
                times = concurrent_run(plan, base, db, side, users)
                row[side] = {
                    "p50": percentile(times, 0.5),
                    "p95": percentile(times, 0.95),
                    "q": None,
                    "n": len(times),
                }
            except Exception as error:
                row[side] = {"error": str(error)[:200]}
                results[n]["errors"].append(f"{row['label']} ({side}): {error}")
        print(f"  {n}: {row['label']}: {row}", flush=True)
        results[n]["rows"].append(row)


def warm_up(plan, base, db):
    """Every screen once on each of the 2 workers before anything is
    measured: a worker loads the registry and fills its caches (views, rules,
    translations) on its first requests, and with one warm-up run a screen the
    second worker would do that during a measured run. Two threads at once,
    so that both workers take requests."""
    items = [
        *plan["screens"],
        *plan["portal"],
        *({**item, "login": None} for item in plan["public"]),
        *plan["figures"],
    ]
    started = time.time()
    errors = []

    def one_pass(offset):
        clients = {}
        for n in range(len(items)):
            item = items[(n + offset) % len(items)]
            login = item.get("login")
            if login not in clients:
                clients[login] = Client(base, db)
                clients[login].http = _logged_in(base, db, login, plan)
            for side in ("lco", "ref"):
                try:
                    for step in item.get(side, []):
                        clients[login].step(step)
                except Exception as error:  # reported when measured
                    errors.append(error)

    threads = [
        threading.Thread(target=one_pass, args=(k * len(items) // 2,)) for k in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(
        f"  warm-up of both workers: {time.time() - started:.0f} s, "
        f"{len(errors)} error(s)",
        flush=True,
    )


CONCURRENT = [int(n) for n in os.environ.get("BENCH_USERS", "10 30").split()]
# While developing: only the rows whose label holds one of these words
# (comma-separated), e.g. BENCH_SCREENS="kanban,portal".
SCREENS = [word for word in os.environ.get("BENCH_SCREENS", "").split(",") if word]
CONCURRENT_ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))


def _logged_in(base, db, login, plan):
    """A session on ``db``: of ``login``, or a visitor's (no login)."""
    client = Client(base, db)
    if login:
        client.login(login, plan["users"][login])
    else:
        # The server serves every size's database: Odoo's login page binds
        # the visitor's session to the one asked for.
        client.http.get(f"{base}/web/login?db={db}", timeout=600).raise_for_status()
    return client.http


def concurrent_run(plan, base, db, side, users):
    """``users`` threads, each a coordinator (coordinator1..20 in turn) with
    his own session, each doing CONCURRENT_ROUNDS rounds of the screens: the
    seconds of every screen."""
    screens = plan["concurrent"][side]
    coordinators = sum(login.startswith("coordinator") for login in plan["users"])
    times, errors = [], []
    lock = threading.Lock()
    barrier = threading.Barrier(users)

    def user(n):
        try:
            login = f"coordinator{n % coordinators + 1}"
            client = Client(base, db)
            client.login(login, plan["users"][login])
            mine = screens
            if n % coordinators:
                mine = [other_user(steps, client) for steps in screens]
            barrier.wait(timeout=600)
            for _round in range(CONCURRENT_ROUNDS):
                for steps in mine:
                    started = time.perf_counter()
                    for step in steps:
                        client.step(step)
                    with lock:
                        times.append(time.perf_counter() - started)
        except Exception as error:
            with lock:
                errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError(str(errors[0]))
    return times


def other_user(steps, client):
    """The steps of coordinator1's screens for another coordinator: his
    context (uid, companies); the form of one of his own cases."""
    info = client.json("/web/session/get_session_info", {})
    uid = info["uid"]
    companies = [int(c) for c in info["user_companies"]["allowed_companies"]]
    out = []
    for original in steps:
        step = json.loads(json.dumps(original))
        ctx = step.get("context") or step.get("kwargs", {}).get("context")
        if ctx is not None:
            ctx.update(uid=uid, allowed_company_ids=companies)
        if step["kind"] == "call" and step["method"] == "web_read":
            model = step["model"]
            domain = (
                [("state", "=", "active")]
                if model == "lco.case"
                else [("user_ids", "in", uid)]
            )
            found = client.json(
                f"/web/dataset/call_kw/{model}/search",
                {
                    "model": model,
                    "method": "search",
                    "args": [domain],
                    "kwargs": {"limit": 1, "order": "id desc", "context": ctx},
                },
            )
            step["args"] = [found]
            step["_id"] = found[0] if found else None
        elif step["kind"] == "json" and "thread_id" in step["params"]:
            previous = next((s for s in out if s.get("_id")), None)
            if previous:
                step["params"]["thread_id"] = previous["_id"]
        out.append(step)
    return out


# --------------------------------------------------------------------------
# The table: one or more sizes side by side
# --------------------------------------------------------------------------


def ms(value):
    return f"{value * 1000:.0f}"


def cell(side):
    if not side:
        return ""
    if "error" in side:
        return f"error: {side['error']}"
    q = f" ({side['q']} q)" if side.get("q") is not None else ""
    return f"{ms(side['p50'])} / {ms(side['p95'])} ms{q}"


def verdict(row):
    """pass/FAIL of one row at one size (the growth is judged apart)."""
    lco, ref = row.get("lco", {}), row.get("ref", {})
    if "error" in lco or "error" in ref:
        return False, "error"
    if row["group"] == "figure":
        return lco["p50"] <= 0.25 and lco["p95"] <= 0.25, "≤ 250 ms"
    if row["group"] == "count":
        return None, ""
    r50, r95 = lco["p50"] / ref["p50"], lco["p95"] / ref["p95"]
    return r50 <= 1.0 and r95 <= 1.0, f"{r50:.2f} / {r95:.2f}"


def report(results, out, readme):  # noqa: PLR0912, PLR0915
    sizes = sorted(results, key=lambda r: r["cases"])
    lines = []
    for res in sizes:
        lines.append(f"- {res['header']}")
    lines += [
        "",
        "Times are p50 / p95 of " + str(sizes[0]["runs"]) + " warm runs "
        "over HTTP (a server with 2 workers), a screen being every request the web "
        "client makes for it, its lco and task runs at every size in turn; `q` the SQL queries of one run (Odoo's request log). "
        "Ratios are lco ÷ task at p50 / p95; goal ≤ 1.00 each, no threshold under "
        "which a ratio passes; figures ≤ 250 ms; growth = p50 at the largest size ÷ "
        "p50 at the smallest, goal ≤ 1.20.",
        "",
    ]
    head = ["Screen"]
    for res in sizes:
        n = f"{res['cases']:,}"
        head += [f"lco @ {n}", f"task @ {n}", f"ratio @ {n}"]
    if len(sizes) > 1:
        head.append("growth")
    head.append("Result")
    lines += ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    failed = 0
    labels = [r["label"] for r in sizes[0]["rows"] if r["group"] != "count"]
    for label in labels:
        rows = [
            next((r for r in res["rows"] if r["label"] == label), None) for res in sizes
        ]
        cells, ok = [label], True
        for row in rows:
            if row is None:
                cells += ["", "", ""]
                continue
            good, ratio = verdict(row)
            ok = ok and bool(good)
            cells += [cell(row.get("lco")), cell(row.get("ref")), ratio]
        if len(sizes) > 1:
            first, last = rows[0], rows[-1]
            try:
                growth = last["lco"]["p50"] / first["lco"]["p50"]
                cells.append(f"{growth:.2f}")
                ok = ok and growth <= 1.2
            except (KeyError, TypeError, ZeroDivisionError):
                cells.append("")
        cells.append("pass" if ok else "FAIL")
        failed += not ok
        lines.append("| " + " | ".join(cells) + " |")
    # Query counts of a list page at 80 and 800 rows.
    lines += [
        "",
        "Queries of one list page (`web_search_read`) at 80 and 800 rows, "
        "lco.case against project.task; goal: the case list grows by no more queries "
        "than the task list.",
        "",
        "| Role | "
        + " | ".join(
            f"lco 80 / 800 @ {r['cases']:,} | task 80 / 800 @ {r['cases']:,}"
            for r in sizes
        )
        + " | Result |",
        "|---|" + "---|---|" * len(sizes) + "---|",
    ]
    for role, _login in ROLES:
        cells, ok = [role], True
        for res in sizes:
            got = {
                (r["limit"], side): r.get(side, {}).get("q")
                for r in res["rows"]
                if r["group"] == "count" and r.get("role") == role
                for side in ("lco", "ref")
            }
            try:
                ok = (
                    ok
                    and got[800, "lco"] - got[80, "lco"]
                    <= got[800, "ref"] - got[80, "ref"]
                )
            except (TypeError, KeyError):
                # Not measured (BENCH_SCREENS) or failed.
                ok = False
            cells += [
                f"{got.get((80, 'lco'))} / {got.get((800, 'lco'))}",
                f"{got.get((80, 'ref'))} / {got.get((800, 'ref'))}",
            ]
        cells.append("pass" if ok else "FAIL")
        failed += not ok
        lines.append("| " + " | ".join(cells) + " |")
    for res in sizes:
        if res.get("inprocess"):
            lines += [
                "",
                f"In process (the ORM, no HTTP), {res['cases']:,} cases: the meeting "
                "report, closing agreements and one call of each cron.",
                "",
                "| Metric | lco_module | Reference (Odoo) | Ratio / goal | Result |",
                "|---|---|---|---|---|",
            ]
            lines += [
                "| " + " | ".join(str(c) for c in row) + " |"
                for row in res["inprocess"]
            ]
            failed += sum(1 for row in res["inprocess"] if row[-1] == "FAIL")
    errors = [e for res in sizes for e in res.get("errors", [])]
    if errors:
        lines += ["", "Errors:", ""] + [f"- {e}" for e in errors]
    lines += ["", f"{failed} row(s) miss their goal."]
    text = "\n".join(lines) + "\n"
    print(text)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        f.write(text)
    # A run of some screens only (BENCH_SCREENS) leaves README's table alone.
    if readme and os.path.exists(readme) and not SCREENS:
        with open(readme) as f:
            body = f.read()
        start, end = "<!-- bench:start -->", "<!-- bench:end -->"
        if start in body and end in body:
            command = os.environ.get("BENCH_COMMAND", "make bench")
            block = (
                f"{start}\nGenerated from `bench/RESULT.md` by `{command}`:\n\n"
                f"{text}{end}"
            )
            body = (
                body[: body.index(start)] + block + body[body.index(end) + len(end) :]
            )
            with open(readme, "w") as f:
                f.write(body)
    return failed


def http_phase(work, base, logfile, *dbs):
    """Measure the plans of ``dbs`` (lco_bench_CASES) over HTTP, add the rows
    to their results."""
    plans = {}
    for db in dbs:
        cases = int(db.rsplit("_", 1)[1])
        with open(os.path.join(work, f"plan-{cases}.json")) as f:
            plans[cases] = (db, json.load(f))
    for cases, results in run_http(plans, base, logfile, RUNS).items():
        path = os.path.join(work, f"result-{cases}.json")
        with open(path) as f:
            stored = json.load(f)
        stored.update(rows=results["rows"], errors=stored["errors"] + results["errors"])
        with open(path, "w") as f:
            json.dump(stored, f)


def main():  # noqa: PLR0915
    """tools/bench.py prepare ODOO-ARGS  (load if need be, check, in-process
    measures, write the HTTP plan to $BENCH_WORK/plan-CASES.json)
    tools/bench.py http URL LOGFILE DB...  (run the plans of the databases
    lco_bench_CASES on one server, write their results)
    tools/bench.py report RESULT.json...  (the table, RESULT.md, README)"""
    phase, args = sys.argv[1], sys.argv[2:]
    work = os.environ.get("BENCH_WORK", "/tmp")
    if phase == "http":
        http_phase(work, *args)
        return
    if phase == "report":
        results = []
        for path in args:
            with open(path) as f:
                results.append(json.load(f))
        readme = os.path.join(os.path.dirname(OUT), os.pardir, "README.md")
        failed = report(results, OUT, os.path.normpath(readme))
        sys.exit(1 if failed else 0)
    odoo.tools.config.parse_config(args)
    dbname = odoo.tools.config["db_name"]
    if isinstance(dbname, list):  # Odoo 18.x may keep a list
        dbname = dbname[0]
    registry = Registry(dbname)
    with registry.cursor() as cr:
        env = api.Environment(cr, SUPERUSER_ID, {})
        loaded = env["ir.config_parameter"].get_param("lco_bench.cases")
        if not loaded:
            print(f"Loading {CASES} cases and {CASES} tasks with SQL", flush=True)
            started = time.time()
            load(env, CASES)
            cr.commit()
            load_seconds = time.time() - started
            env["ir.config_parameter"].set_param(
                "lco_bench.load_seconds", f"{load_seconds:.0f}"
            )
            cr.commit()
            print(f"Loaded in {load_seconds:.0f} s", flush=True)
        print("Checking the stored fields of a sample against the ORM", flush=True)
        filled, wrong = check_stored(env, fix=os.environ.get("BENCH_FIX", "1") == "1")
        if filled:
            previous = (
                env["ir.config_parameter"].get_param("lco_bench.orm_filled") or ""
            )
            env["ir.config_parameter"].set_param(
                "lco_bench.orm_filled", "; ".join(filter(None, [previous, *filled]))
            )
        cr.commit()
        if wrong:
            print(
                f"The load is not what the ORM computes: {', '.join(wrong)}", flush=True
            )
            sys.exit(2)
        print("Refreshing the figures' monthly aggregates", flush=True)
        figure_rows = refresh_figures(env)
        # Whatever the load: the public form may be posted as often as measured.
        keys = set(
            env["ir.config_parameter"]
            .search([("key", "=like", "lco%rate%limit%")])
            .mapped("key")
        )
        keys |= {f"{m}.request_rate_limit" for m in ("lco_module", "lco_request_form")}
        for key in keys:
            env["ir.config_parameter"].set_param(key, "1000000")
        cr.commit()
        param = env["ir.config_parameter"]
        cases = int(param.get_param("lco_bench.cases"))
        load_seconds = int(param.get_param("lco_bench.load_seconds") or 0)
        counts = {}
        for table in (
            "lco_case",
            "lco_participant",
            "lco_meeting",
            "lco_meeting_attendee",
            "lco_agreement",
            "lco_request",
            "project_task",
        ):
            cr.execute(f"SELECT count(*) FROM {table}")
            counts[table] = cr.fetchone()[0]
        registry.enable_query_count = True
        bench = Bench(env)
        plan = build_plan(env, bench)
        cr.execute("SAVEPOINT bench_all")
        coord = bench.user_env("coordinator1")
        if "writes" in ONLY:
            bench.measure_yearly(bench.user_env("manager"))
            bench.measure_writes(coord)
        if "crons" in ONLY:
            bench.measure_crons()
        cr.execute("ROLLBACK TO SAVEPOINT bench_all")
        cr.rollback()
        orm_filled = param.get_param("lco_bench.orm_filled") or ""
    load_text = (
        f"{load_seconds // 60} min {load_seconds % 60} s" if load_seconds else "?"
    )
    header = (
        f"{date.today()}, {cases:,} cases ({counts['lco_participant']:,} participants, "
        f"{counts['lco_meeting']:,} meetings, {counts['lco_meeting_attendee']:,} attendances, "
        f"{counts['lco_agreement']:,} agreements, {counts['lco_request']:,} requests) and "
        f"{counts['project_task']:,} project.task, loaded with SQL in {load_text}; every "
        f"stored computed field of a sample of {SAMPLE} rows a model equal to the ORM's "
        f"recompute{'; filled through the ORM: ' + orm_filled if orm_filled else ''}; "
        f"figures from {sum(figure_rows.values()):,} monthly aggregate rows "
        f"refreshed after the load; "
        f"{os.cpu_count()} CPUs shared, load average {os.getloadavg()[0]:.1f}."
    )
    with open(os.path.join(work, f"plan-{CASES}.json"), "w") as f:
        json.dump(plan, f)
    with open(os.path.join(work, f"result-{CASES}.json"), "w") as f:
        json.dump(
            {
                "cases": cases,
                "header": header,
                "runs": RUNS,
                "rows": [],
                "inprocess": bench.rows,
                "errors": [],
            },
            f,
        )


if __name__ == "__main__":
    main()
