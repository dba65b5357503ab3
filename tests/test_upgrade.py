"""An administrator upgrades a database made by an earlier version as README
says: `git pull && make run`, nothing else. tools/run.sh sees the code is
newer, backs the database up, updates the addon and installs the repository's
new addons (lco_privacy_lookup), then serves: every case, meeting, agreement,
participant, consent, attachment, message and birth date is kept, the demo
users log in, a second `-u` changes nothing, and a database newer than the
code is refused. The portal became a module of its own (lco_portal, 18.0.1.2.0):
the upgrade installs it, with the portal users, evaluations with their tokens
and public requests of the old database kept, the portal's external ids handed
over to it, and a portal user still reading his case page.

The earlier versions are the addon at OLD_COMMITS of this repository (b2aef94:
18.0.1.0.0, before the consent records; a841810: 18.0.1.1.0, the same version
number with other code), taken with `git archive` into a temporary directory,
which leaves the repository as it is (unlike a worktree, which registers
itself in .git)."""

import importlib.util
import os
import signal
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
import requests
from conftest import ROOT, RpcClient, _free_port, _setting, odoo_command, serving
from dateutil.relativedelta import relativedelta
from test_backup_restore import drop_database, snapshot, sql

OLD_COMMITS = ("b2aef94", "a841810")
DB = "lco_upgrade"
# Not compared: when a row was last written and by whom (an upgrade rewrites
# the records of the addon's data files).
WRITE_COLUMNS = ("write_date", "write_uid")
# lco_request's intake columns, and what they are called on lco_request_intake.
INTAKE_COLUMNS = {
    "intake_added_value": "added_value",
    "intake_open_conversation": "open_conversation",
    "intake_room_to_choose": "room_to_choose",
    "intake_note": "note",
}
# Columns a migration moved elsewhere, compared by their meaning: the consent
# of the case became consent records (lco.consent) in 18.0.1.1.0; the intake
# of a request its own record (lco.request.intake) in 18.0.1.2.0.
MOVED = {
    "lco_case": {
        "consent_date",
        "consent_given_by",
        "consent_scope",
        "consent_revoked_date",
    },
    "lco_request": set(INTAKE_COLUMNS),
}
COLUMNS = (
    "SELECT column_name FROM information_schema.columns"
    " WHERE table_schema = 'public' AND table_name = %s"
)
# What an upgrade must not duplicate.
COUNTED = {
    "ir_model_data": "module = 'lco_module'",
    "ir_cron": "TRUE",
    "mail_template": "TRUE",
    "ir_sequence": "TRUE",
    "res_groups": "TRUE",
    "ir_ui_menu": "TRUE",
    "ir_ui_view": "TRUE",
    "ir_act_window": "TRUE",
    "ir_act_server": "TRUE",
    "ir_act_report_xml": "TRUE",
    "ir_rule": "TRUE",
    "ir_model_access": "TRUE",
    "mail_message_subtype": "TRUE",
    "mail_activity_type": "TRUE",
    "ir_config_parameter": "TRUE",
    "ir_default": "TRUE",
    "res_company": "TRUE",
    "res_partner": "TRUE",
}

# Records per table that the split of the portal (18.0.1.2.0) must keep.
KEPT_COUNTS = {
    "res_users": "share",
    "lco_request": "channel = 'web'",
    "lco_meeting_evaluation": "access_token IS NOT NULL",
    "ir_rule": "id IN (SELECT rule_group_id FROM rule_group_rel WHERE group_id ="
    " (SELECT res_id FROM ir_model_data WHERE module = 'base'"
    " AND name = 'group_portal')) AND model_id IN (SELECT id FROM ir_model"
    " WHERE model LIKE 'lco.%%')",
    "ir_model_access": "group_id = (SELECT res_id FROM ir_model_data"
    " WHERE module = 'base' AND name = 'group_portal') AND model_id IN"
    " (SELECT id FROM ir_model WHERE model LIKE 'lco.%%')",
}
PORTAL_LOGIN = "upgrade_portal"


def portal_xmlids():
    """The external ids the 18.0.1.2.0 migration hands over to lco_portal."""
    path = ROOT / "lco_module/migrations/18.0.1.2.0/pre-migrate.py"
    spec = importlib.util.spec_from_file_location("lco_pre_migrate_1_2", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.PORTAL_XMLIDS


# Run by `odoo shell` with the earlier version: what a database holds after
# some use, beside the demo data. As the demo coordinator, who runs the cases.
GENERATE = """
import base64
from datetime import date, datetime

from odoo import Command

company = env.ref("lco_module.company_heidebeek")
coordinator = env.ref("lco_module.user_coordinator")
user_env = env(user=coordinator.id, context={"allowed_company_ids": [company.id]})
# The birth date's field was renamed, the consent moved to records in 18.0.1.1.0.
born_field = "lco_birthdate" if "lco_birthdate" in env["res.partner"]._fields else "birthdate_date"
old_consent = "consent_date" in env["lco.case"]._fields
# Given 400 days ago (ended by now), given this year for the work plan only,
# given and revoked.
consents = [
    (date(2025, 6, 1), "De moeder (voogd)", "Housing and finances, case 0"),
    (date(2026, 1, 11), "Upgrade Client 1", "Work plan only"),
    (date(2026, 1, 12), "Upgrade Client 2", "Housing and finances, case 2"),
]
for i in range(3):
    client = user_env["res.partner"].create({
        "name": f"Upgrade Client {i}",
        "company_id": company.id,
        born_field: date(1980 + i, 2, 3 + i),
        "email": f"client{i}@upgrade.example",
    })
    worker = user_env["res.partner"].create({
        "name": f"Upgrade Worker {i}",
        "email": f"worker{i}@upgrade.example",
    })
    values = {
        "client_id": client.id,
        "question": f"Question {i}: keep the house.",
        "goals": f"Goal {i}",
    }
    if old_consent:
        values.update({
            "consent_date": consents[i][0],
            "consent_given_by": consents[i][1],
            "consent_scope": consents[i][2],
            "consent_revoked_date": date(2026, 2, 1) if i == 2 else False,
        })
    case = user_env["lco.case"].create(values)
    professional = user_env["lco.participant"].create({
        "case_id": case.id,
        "partner_id": worker.id,
        "role": "professional",
        "confidentiality_ack_date": date(2026, 1, 11 + i),
    })
    meeting = user_env["lco.meeting"].create({
        "case_id": case.id,
        "start": datetime(2026, 3, 2 + i, 9, 0),
        "stop": datetime(2026, 3, 2 + i, 11, 0),
        "location": f"Room {i}",
        "attendee_ids": [
            Command.create({"participant_id": participant.id})
            for participant in case.participant_ids
        ],
    })
    user_env["lco.agreement"].create({
        "case_id": case.id,
        "meeting_id": meeting.id,
        "name": f"Agreement {i}: ask for a payment plan",
        "responsible_id": professional.id,
        "deadline": date(2026, 4, 1 + i),
    })
    attachment = user_env["ir.attachment"].create({
        "name": f"letter-{i}.txt",
        "datas": base64.b64encode(f"Letter {i}: één pagina".encode()),
        "res_model": "lco.case",
        "res_id": case.id,
    })
    case.message_post(
        body=f"The letter of case {i}.",
        attachment_ids=[attachment.id],
        message_type="comment",
        subtype_xmlid="mail.mt_note",
    )
    meeting.message_post(body=f"Room {i} is booked.", subtype_xmlid="mail.mt_note")
# The client of case 1 follows it on the portal; his meeting's evaluation
# waits behind the link of a mail (where the version has evaluations).
client = env["res.partner"].search([("name", "=", "Upgrade Client 1")])
env["res.users"].with_context(no_reset_password=True).create({
    "name": client.name,
    "login": "upgrade_portal",
    "password": "upgrade_portal",
    "partner_id": client.id,
    "company_id": company.id,
    "company_ids": [Command.set([company.id])],
    "groups_id": [Command.set([env.ref("base.group_portal").id])],
})
if "lco.meeting.evaluation" in env:
    case = env["lco.case"].search([("client_id", "=", client.id)])
    participant = case.participant_ids.filtered(lambda p: p.partner_id == client)
    evaluation = env["lco.meeting.evaluation"].create({
        "meeting_id": case.meeting_ids[:1].id,
        "participant_id": participant.id,
        "partner_id": client.id,
        "is_client": True,
    })
    evaluation._portal_ensure_token()
# Requests sent on the public form, as its controller creates them.
Request = env["lco.request"].with_context(mail_create_nosubscribe=True)
for i in range(2):
    values = {
        "requester_type": "professional",
        "requester_name": f"Upgrade Requester {i}",
        "requester_email": f"requester{i}@upgrade.example",
        "requester_phone": f"+32 11 22 33 4{i}",
        "requester_lang": "nl_BE",
        "client_name": f"Upgrade Public Client {i}",
        "client_zip": "3500",
        "question": f"Public question {i}: the rent.",
        "channel": "web",
        "client_informed": True,
        "client_agrees": True,
    }
    Request.create({k: v for k, v in values.items() if k in Request._fields})
for xmlid, born in (
    ("lco_module.partner_family_mother", date(1984, 6, 7)),
    ("lco_module.partner_young_man", date(2006, 8, 9)),
):
    env.ref(xmlid)[born_field] = born
env.cr.commit()
"""


def old_addons(tmp_path, commit):
    """The addons path with the addon of ``commit`` instead of this checkout's."""
    known = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{commit}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if known.returncode:
        pytest.skip(
            f"commit {commit} is not in the git history of {ROOT} (a shallow"
            " clone or no .git): the upgrade from it cannot be tested"
        )
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", commit, "lco_module"],
        capture_output=True,
        check=True,
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
    paths = [
        str(old) if Path(path, "lco_module").is_dir() else path
        for path in _setting("LCO_ADDONS_PATH").split(",")
        if path
    ]
    assert str(old) in paths, "the addons path has this checkout's lco_module"
    return ",".join(paths)


def odoo(addons_path, log, *args, stdin=None, subcommand=None):
    """Odoo on the upgrade database, with the addons of ``addons_path``."""
    command = odoo_command(DB, *args, "--log-level=warn")
    command[command.index("--addons-path") + 1] = addons_path
    command[command.index("--data-dir") + 1] = str(DATA_DIR)
    if subcommand:  # right after `python -m odoo`
        command.insert(command.index("-d"), subcommand)
    with open(log, "w") as output:
        done = subprocess.run(
            command,
            input=stdin,
            text=True,
            stdout=output,
            stderr=subprocess.STDOUT,
            timeout=900,
            check=False,
        )
    text = log.read_text()
    assert done.returncode == 0, text
    errors = [
        line for line in text.splitlines() if " ERROR " in line or " CRITICAL " in line
    ]
    assert not errors, "\n".join(errors)


def upgrade(log):
    odoo(_setting("LCO_ADDONS_PATH"), log, "-u", "lco_module", "--stop-after-init")


def birthdates(db):
    """Birth dates of the partners, by partner, whatever the field is called."""
    [column] = [
        name
        for (name,) in sql(
            db,
            "SELECT f.name FROM ir_model_fields f JOIN ir_model_data d"
            " ON d.model = 'ir.model.fields' AND d.res_id = f.id"
            " WHERE d.module = 'lco_module' AND f.model = 'res.partner'"
            " AND f.ttype = 'date' AND f.name LIKE '%%birth%%'",
        )
    ]
    return dict(
        sql(db, f'SELECT id, "{column}" FROM res_partner WHERE "{column}" IS NOT NULL')
    )


def files(db):
    return {
        att_id: (DATA_DIR / "filestore" / db / store_fname).read_bytes()
        for att_id, store_fname in sql(
            db,
            "SELECT id, store_fname FROM ir_attachment"
            " WHERE res_model LIKE 'lco.%%' AND store_fname IS NOT NULL",
        )
    }


def counts(db):
    found = {
        table: sql(db, f'SELECT count(*) FROM "{table}" WHERE {where}')[0][0]
        for table, where in COUNTED.items()
    }
    found.update(
        (table, len(content["rows"])) for table, content in snapshot(db).items()
    )
    return found


def keyed(content):
    """Rows by id (or, for relation tables, by all their values), without the
    columns an upgrade may rewrite."""
    columns = [c for c in content["columns"] if c not in WRITE_COLUMNS]
    positions = [content["columns"].index(c) for c in columns]
    values = [tuple(row[p] for p in positions) for row in content["rows"]]
    if "id" in columns:
        at = columns.index("id")
        return columns, {
            row[at]: dict(zip(columns, row, strict=True)) for row in values
        }
    return columns, {row: dict(zip(columns, row, strict=True)) for row in values}


def assert_moved_kept(before, db):
    """What the migrations moved (MOVED) is where they moved it."""
    assert_consents_kept(before, db)
    assert_intakes_kept(before, db)


def assert_intakes_kept(before, db):
    """Each request's intake is its intake record now, with the same answers
    and note."""
    columns = before["lco_request"]["columns"]
    if not set(INTAKE_COLUMNS) <= set(columns):
        return
    old = [
        dict(zip(columns, row, strict=True)) for row in before["lco_request"]["rows"]
    ]
    names = ", ".join(INTAKE_COLUMNS.values())
    intakes = {
        request_id: values
        for request_id, *values in sql(
            db, f"SELECT request_id, {names} FROM lco_request_intake"
        )
    }
    for request in old:
        assert intakes.get(request["id"], [None] * len(INTAKE_COLUMNS)) == [
            request[column] for column in INTAKE_COLUMNS
        ], f"the intake of request {request['id']} was not kept"


def assert_consents_kept(before, db):
    """Each consent given on a case is still there, as the case's columns, or,
    since 18.0.1.1.0, as a consent record of the case that claims nothing the
    old data did not say: same date and revocation, "migrated" as the way it
    was given, ending at that date plus the organisation's validity (expired
    when past), what it covered and who gave it as written (the latter
    labelled), for everyone around the table with the work plan only where the
    old text said so."""
    if "consent_date" not in before["lco_case"]["columns"]:
        return  # made after 18.0.1.1.0: the consents are rows kept as they were
    if set(MOVED["lco_case"]) <= {name for (name,) in sql(db, COLUMNS, ("lco_case",))}:
        return  # still the case's columns, compared with the others
    columns = before["lco_case"]["columns"]
    old = [dict(zip(columns, row, strict=True)) for row in before["lco_case"]["rows"]]
    demo = {
        case_id
        for (case_id,) in sql(
            db,
            "SELECT res_id FROM ir_model_data"
            " WHERE module = 'lco_module' AND model = 'lco.case'",
        )
    }
    validity = dict(
        sql(
            db,
            "SELECT c.id, co.lco_consent_validity_months FROM lco_case c"
            " JOIN res_company co ON co.id = c.company_id",
        )
    )
    consents = {}
    for row in sql(
        db,
        "SELECT id, case_id, date_given, note, state, withdrawn_date, method,"
        " valid_until FROM lco_consent",
    ):
        consents.setdefault(row[1], []).append(row)
    checked = 0
    for case in old:
        if not case["consent_date"]:
            continue
        [(consent_id, _case, given, note, state, withdrawn, method, until)] = [
            consent
            for consent in consents.get(case["id"], [])
            if consent[2] == case["consent_date"]
        ]
        revoked = case["consent_revoked_date"]
        assert (state == "withdrawn") == bool(revoked), f"case {case['id']}: {state}"
        assert withdrawn == (revoked or None)
        if case["id"] in demo:
            continue  # -u loads the demo's own consent records before migrating
        checked += 1
        assert method == "migrated", f"case {case['id']}: given by {method}"
        months = validity[case["id"]]
        assert until == (given + relativedelta(months=months) if months else None)
        if not revoked:
            expected = "expired" if until and until < date.today() else "given"
            assert state == expected, f"case {case['id']}: {state}, ends {until}"
        note = note or ""
        assert case["consent_scope"] in note, f"what consent {consent_id} covers"
        if case["consent_given_by"]:
            assert (
                f"(as recorded before the upgrade): {case['consent_given_by']}" in note
                or f"(zoals genoteerd vóór de upgrade): {case['consent_given_by']}"
                in note
            ), f"who gave consent {consent_id}, labelled: {note!r}"
            assert not note.startswith(case["consent_given_by"])
        covered = dict(
            sql(
                db,
                "SELECT participant_id, scope FROM lco_consent_line"
                " WHERE consent_id = %s",
                (consent_id,),
            )
        )
        around_table = {
            participant
            for (participant,) in sql(
                db,
                "SELECT id FROM lco_participant WHERE case_id = %s"
                " AND role != 'client'",
                (case["id"],),
            )
        }
        assert around_table <= set(covered), f"whom consent {consent_id} covers"
        scope = (
            "work_plan" if "work plan only" in case["consent_scope"].lower() else "full"
        )
        assert set(covered.values()) == {scope}, f"consent {consent_id}: {covered}"
    assert checked >= 3, "the generated cases' consents were checked"
    states = {
        row[4] for rows_ in consents.values() for row in rows_ if row[6] == "migrated"
    }
    assert {"expired", "given", "withdrawn"} <= states, states


def expired_by_migration(db):
    """The cases whose consent the migration found ended: they have no
    consent any more (has_consent goes from True to False)."""
    return {
        ("lco_case", case_id): {"has_consent"}
        for (case_id,) in sql(
            db,
            "SELECT case_id FROM lco_consent"
            " WHERE method = 'migrated' AND state = 'expired'",
        )
    }


def answered_by_new_demo(db):
    """The meetings whose evaluations the new demo answers (on paper): their
    stored averages follow the new answers."""
    return {
        ("lco_meeting", meeting_id): {
            "evaluation_client_score",
            "evaluation_others_score",
            "evaluation_others_count",
        }
        for (meeting_id,) in sql(
            db,
            "SELECT DISTINCT e.meeting_id FROM lco_meeting_evaluation e"
            " JOIN ir_model_data d ON d.model = 'lco.meeting.evaluation'"
            " AND d.res_id = e.id AND d.module = 'lco_module'",
        )
    }


def added_translations(old, new):
    """A translated value that kept every language it had and gained others
    (the demo now loads French: its terms are added to the data's texts)."""
    return (
        isinstance(old, dict)
        and isinstance(new, dict)
        and set(old) < set(new)
        and all(new[lang] == text for lang, text in old.items())
    )


def assert_kept(before, after, may_change=None, may_go=()):
    """Every row of ``before`` is in ``after`` with the same values; columns and
    rows the new version adds are new; ``may_change``: the columns that may
    change, by (table, key); ``may_go``: the rows that may go, as (table, key)."""
    may_change = may_change or {}
    lost = sorted(set(before) - set(after))
    assert not lost, f"tables gone after the upgrade: {lost}"
    for table, content in before.items():
        columns, old_rows = keyed(content)
        new_columns, new_rows = keyed(after[table])
        gone = sorted(set(columns) - set(new_columns) - MOVED.get(table, set()))
        assert not gone, f"columns of {table} gone after the upgrade: {gone}"
        missing = sorted(
            (
                key
                for key in set(old_rows) - set(new_rows)
                if (table, key) not in may_go
            ),
            key=str,
        )
        assert not missing, f"rows of {table} lost in the upgrade: {missing}"
        for key, row in old_rows.items():
            changed = {
                column: (value, new_rows[key][column])
                for column, value in row.items()
                if column in new_columns
                and new_rows[key][column] != value
                # An empty boolean (NULL) that Odoo's update set to False.
                and (value, new_rows[key][column]) != (None, False)
                and not added_translations(value, new_rows[key][column])
                and column not in may_change.get((table, key), ())
            }
            assert not changed, f"{table} {key} changed in the upgrade: {changed}"


def without_write_columns(tables):
    return {table: keyed(content) for table, content in tables.items()}


class MakeRun:
    """`make run` (tools/run.sh) on the upgrade database, as after `git pull`."""

    def __init__(self, work):
        self.work = work
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.backups = work / "backups"
        self.process = None
        self.log = None

    def env(self):
        return {
            **{
                name: value
                for name, value in os.environ.items()
                if name not in {"DB_PORT", "DB_PASSWORD", "PG_FAST", "DEMO", "WORKERS"}
            },
            "PYTHON": sys.executable,
            "DB": DB,
            "DB_HOST": _setting("LCO_DB_HOST"),
            "DB_USER": _setting("LCO_DB_USER"),
            "DATA_DIR": str(DATA_DIR),
            "BACKUP_DIR": str(self.backups),
            "HTTP_PORT": str(self.port),
        }

    def start(self, log_name, timeout=900):
        self.log = self.work / log_name
        with open(self.log, "w") as output:
            self.process = subprocess.Popen(
                ["bash", str(ROOT / "tools" / "run.sh")],
                env=self.env(),
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if serving(self.url, self.process, timeout):
            return None
        if self.process.poll() is not None:
            return self.process.returncode
        self.stop()
        raise AssertionError(f"make run did not serve within {timeout} s")

    def output(self):
        return self.log.read_text()

    def stop(self):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def module_states(db):
    return dict(
        sql(db, "SELECT name, state FROM ir_module_module WHERE name LIKE 'lco\\_%%'")
    )


@pytest.fixture
def database():
    global DATA_DIR  # noqa: PLW0603 (the helpers above use it)
    # Not under pytest's tmp_path (mode 700): make run chmods its DATA_DIR.
    DATA_DIR = Path(tempfile.mkdtemp(prefix="lco-upgrade-", dir="/tmp"))
    drop_database(DB)
    yield DB
    drop_database(DB)
    subprocess.run(["rm", "-rf", str(DATA_DIR)], check=False)


DATA_DIR = None


def unfollowed_by_new_portal_users(db, before, users_before):
    """The followers' rows of ``before`` of the people who became portal users
    in the upgrade (lco_portal's demo users, where the old demo had none): who
    opens his consultations in the portal does not follow their chatter."""
    partners = {
        partner_id
        for (partner_id,) in sql(
            db,
            "SELECT partner_id FROM res_users WHERE share AND id NOT IN %s",
            (tuple(users_before) or (0,),),
        )
    }
    columns = before["mail_followers"]["columns"]
    at_id, at_partner = columns.index("id"), columns.index("partner_id")
    return {
        ("mail_followers", row[at_id])
        for row in before["mail_followers"]["rows"]
        if row[at_partner] in partners
    }


def kept_counts(db):
    tables = {name for (name,) in sql(db, "SELECT tablename FROM pg_tables")}
    return {
        table: sql(db, f'SELECT count(*) FROM "{table}" WHERE {where}')[0][0]
        for table, where in KEPT_COUNTS.items()
        if table in tables
    }


def owners(db, names):
    """{external id name: module} of lco_module's or lco_portal's ``names``."""
    return dict(
        sql(
            db,
            "SELECT name, module FROM ir_model_data"
            " WHERE module IN ('lco_module', 'lco_portal') AND name IN %s",
            (tuple(names),),
        )
    )


def assert_portal_served(url):
    """The portal user reads his case page; the evaluation link of the mail
    opens the form without an account."""
    session = requests.Session()
    page = session.get(f"{url}/web/login", timeout=60)
    csrf = page.text.split('name="csrf_token" value="')[1].split('"')[0]
    session.post(
        f"{url}/web/login",
        data={"login": PORTAL_LOGIN, "password": PORTAL_LOGIN, "csrf_token": csrf},
        timeout=60,
    )
    [(case_id, case_name)] = sql(
        DB,
        "SELECT c.id, c.name FROM lco_case c JOIN res_users u"
        " ON u.partner_id = c.client_id WHERE u.login = %s",
        (PORTAL_LOGIN,),
    )
    listing = session.get(f"{url}/my/lco", timeout=60)
    assert listing.status_code == 200 and f"/my/lco/{case_id}" in listing.text
    page = session.get(f"{url}/my/lco/{case_id}", timeout=60)
    assert page.status_code == 200, page.status_code
    assert case_name in page.text
    for evaluation_id, token in sql(
        DB,
        "SELECT id, access_token FROM lco_meeting_evaluation"
        " WHERE access_token IS NOT NULL AND partner_id IN"
        " (SELECT partner_id FROM res_users WHERE login = %s)",
        (PORTAL_LOGIN,),
    ):
        link = f"{url}/lco/evaluation/{evaluation_id}?access_token={token}"
        assert requests.get(link, timeout=60).status_code == 200, link


def serve_upgraded(tmp_path, check=None):
    """make run on the old database: it says it upgrades, backs up, serves,
    and the demo users log in and read what the new code reads."""
    run = MakeRun(tmp_path)
    try:
        stopped = run.start("make-run-1.log")
        assert stopped is None, f"make run stopped ({stopped}): {run.output()}"
        output = run.output()
        assert "older than the code" in output, output
        [backup] = run.backups.glob(f"lco-{DB}-*.tar")
        assert str(backup) in output, "make run says where the backup is"
        # The users log in and read what the new code reads.
        coordinator = RpcClient(run.url, DB, "coordinator", "coordinator")
        cases = coordinator.call(
            "lco.case", "search_read", [], fields=["name", "client_id"]
        )
        assert cases
        partners = coordinator.call(
            "res.partner",
            "search_read",
            [("lco_birthdate", "!=", False)],
            fields=["lco_birthdate"],
        )
        assert partners
        RpcClient(run.url, DB, "admin", "admin")
        if check:
            check(run.url)
    finally:
        run.stop()
    return run


def assert_newer_database_refused(tmp_path, backups):
    """A database newer than the code: make run refuses it with a message."""
    # A database newer than the code is refused, and left as it is.
    sql(
        DB,
        "UPDATE ir_module_module SET latest_version = '18.0.99.0.0'"
        " WHERE name = 'lco_module'",
    )
    newer = MakeRun(tmp_path)
    newer.backups = backups
    try:
        assert newer.start("make-run-newer.log") == 3
    finally:
        newer.stop()
    assert "is newer than this checkout's code" in newer.output()
    assert "lco_module 18.0.99.0.0 is installed" in newer.output()


@pytest.mark.parametrize("old_commit", OLD_COMMITS)
def test_git_pull_and_make_run_upgrade(database, tmp_path, old_commit):
    old_path = old_addons(tmp_path, old_commit)
    odoo(old_path, tmp_path / "install.log", "-i", "lco_module", "--stop-after-init")
    [(old_version,)] = sql(
        DB, "SELECT latest_version FROM ir_module_module WHERE name = 'lco_module'"
    )
    odoo(
        old_path,
        tmp_path / "generate.log",
        "--no-http",
        stdin=GENERATE,
        subcommand="shell",
    )

    before = snapshot(DB)
    born = birthdates(DB)
    stored = files(DB)
    assert len(before["lco_case"]["rows"]) >= 6
    assert len(born) >= 5
    assert len(stored) >= 3
    assert module_states(DB).get("lco_privacy_lookup") != "installed"
    assert module_states(DB).get("lco_portal") != "installed"
    kept = kept_counts(DB)
    assert kept["res_users"] and kept["lco_request"] >= 2, kept
    handed = owners(DB, portal_xmlids())
    users_before = [user_id for (user_id,) in sql(DB, "SELECT id FROM res_users")]

    run = serve_upgraded(tmp_path, assert_portal_served)
    assert module_states(DB)["lco_module"] == "installed"
    assert module_states(DB)["lco_privacy_lookup"] == "installed", (
        "the repository's new addon comes with the upgrade"
    )
    [(version,)] = sql(
        DB, "SELECT latest_version FROM ir_module_module WHERE name = 'lco_module'"
    )
    assert module_states(DB)["lco_portal"] == "installed", (
        "the portal, now a module of its own, comes with the upgrade"
    )
    after_counts = kept_counts(DB)
    # None lost (the demo of lco_portal, and the evaluation's portal rule of
    # lco_portal, may add some); the rows themselves are compared below.
    lost = {
        table: (count, after_counts.get(table))
        for table, count in kept.items()
        if after_counts.get(table, 0) < count
    }
    assert not lost, f"records of the portal lost in the upgrade: {lost}"
    owned = owners(DB, portal_xmlids())
    assert {name: owned.get(name) for name in handed} == dict.fromkeys(
        handed, "lco_portal"
    ), "the portal's external ids belong to lco_portal, none was lost"
    assert "lco_module" not in owned.values(), owned
    if old_version == "18.0.1.0.0":
        assert version != old_version, "the addon's version went up"
    after = snapshot(DB)
    may_go = unfollowed_by_new_portal_users(DB, before, users_before)
    assert_kept(
        before, after, expired_by_migration(DB) | answered_by_new_demo(DB), may_go
    )
    assert_moved_kept(before, DB)
    # (The new demo adds people with a birth date, the youth-care case's.)
    assert born.items() <= birthdates(DB).items(), (
        "birth dates kept, under whatever name"
    )
    assert files(DB) == stored, "the attachments' files as they were"
    counted = counts(DB)

    # Served again: nothing to upgrade, no second backup.
    again = MakeRun(tmp_path)
    again.backups = run.backups
    try:
        assert again.start("make-run-2.log") is None, again.output()
        assert "up to date" in again.output()
    finally:
        again.stop()
    assert len(list(run.backups.glob("*.tar"))) == 1

    upgrade(tmp_path / "upgrade-2.log")
    assert counts(DB) == counted, "a second upgrade duplicates nothing"
    assert without_write_columns(snapshot(DB)) == without_write_columns(after)
    assert born.items() <= birthdates(DB).items()

    assert_newer_database_refused(tmp_path, run.backups)
