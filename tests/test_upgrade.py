"""An administrator upgrades the addon on a database made by an earlier version:
`-u lco_module` keeps every case, meeting, agreement, participant, consent,
attachment, message and birth date, and a second `-u` changes nothing.

The earlier version is the addon at OLD_COMMIT of this repository (version
18.0.1.0.0, before issue 9), taken with `git archive` into a temporary
directory, which leaves the repository as it is (unlike a worktree, which
registers itself in .git)."""

import subprocess
import time
from pathlib import Path

import pytest
from conftest import ROOT, _setting, odoo_command
from test_backup_restore import drop_database, filestore, rows, snapshot, sql

OLD_COMMIT = "184d86f"
DB = "lco_upgrade"
# Not compared: when a row was last written and by whom (an upgrade rewrites
# the records of the addon's data files).
WRITE_COLUMNS = ("write_date", "write_uid")
# Columns a migration moved elsewhere, compared by their meaning: the consent
# of the case became consent records (lco.consent) in 18.0.1.1.0.
MOVED = {
    "lco_case": {
        "consent_date",
        "consent_given_by",
        "consent_scope",
        "consent_revoked_date",
    }
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

# Run by `odoo shell` with the earlier version: what a database holds after
# some use, beside the demo data. As the demo coordinator, who runs the cases.
GENERATE = """
import base64
from datetime import date, datetime

from odoo import Command

company = env.ref("lco_module.company_heidebeek")
coordinator = env.ref("lco_module.user_coordinator")
user_env = env(user=coordinator.id, context={"allowed_company_ids": [company.id]})
for i in range(3):
    client = user_env["res.partner"].create({
        "name": f"Upgrade Client {i}",
        "company_id": company.id,
        "birthdate_date": date(1980 + i, 2, 3 + i),
        "email": f"client{i}@upgrade.example",
    })
    worker = user_env["res.partner"].create({
        "name": f"Upgrade Worker {i}",
        "email": f"worker{i}@upgrade.example",
    })
    case = user_env["lco.case"].create({
        "client_id": client.id,
        "question": f"Question {i}: keep the house.",
        "goals": f"Goal {i}",
        "consent_date": date(2026, 1, 10 + i),
        "consent_given_by": f"Upgrade Client {i}",
        "consent_scope": f"Housing and finances, case {i}",
        "consent_revoked_date": date(2026, 2, 1) if i == 2 else False,
    })
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
for xmlid, born in (
    ("lco_module.partner_family_mother", date(1984, 6, 7)),
    ("lco_module.partner_young_man", date(2006, 8, 9)),
):
    env.ref(xmlid).birthdate_date = born
env.cr.commit()
"""


def old_addons(tmp_path):
    """The addons path with the addon of OLD_COMMIT instead of this checkout's."""
    known = subprocess.run(
        ["git", "-C", str(ROOT), "cat-file", "-e", f"{OLD_COMMIT}^{{commit}}"],
        capture_output=True,
        check=False,
    )
    if known.returncode:
        pytest.skip(
            f"commit {OLD_COMMIT} is not in the git history of {ROOT} (a shallow"
            " clone or no .git): the upgrade from it cannot be tested"
        )
    old = tmp_path / "old"
    old.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(ROOT), "archive", "--format=tar", OLD_COMMIT, "lco_module"],
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
        att_id: (filestore(db) / store_fname).read_bytes()
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


def assert_consents_kept(before, db):
    """Each consent given on a case is still there, with the same date, giver,
    scope and revocation, and for everyone around the table: as the case's
    columns, or, since 18.0.1.1.0, as a consent record of the case."""
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
    consents = {}
    for consent_id, case_id, given, note, state, withdrawn in sql(
        db,
        "SELECT id, case_id, date_given, note, state, withdrawn_date FROM lco_consent",
    ):
        consents.setdefault(case_id, []).append(
            (consent_id, given, note, state, withdrawn)
        )
    for case in old:
        if not case["consent_date"]:
            continue
        [(consent_id, _given, note, state, withdrawn)] = [
            consent
            for consent in consents.get(case["id"], [])
            if consent[1] == case["consent_date"]
        ]
        revoked = case["consent_revoked_date"]
        assert (state == "withdrawn") == bool(revoked), f"case {case['id']}: {state}"
        assert withdrawn == (revoked or None)
        if case["id"] in demo:
            continue  # -u loads the demo's own consent records before migrating
        for text in (case["consent_given_by"], case["consent_scope"]):
            assert not text or text in (note or ""), f"consent of case {case['id']}"
        covered = {
            participant
            for (participant,) in sql(
                db,
                "SELECT participant_id FROM lco_consent_line WHERE consent_id = %s",
                (consent_id,),
            )
        }
        around_table = {
            participant
            for (participant,) in sql(
                db,
                "SELECT id FROM lco_participant WHERE case_id = %s"
                " AND role != 'client'",
                (case["id"],),
            )
        }
        assert around_table <= covered, f"whom the consent of case {case['id']} covers"


def assert_kept(before, after):
    """Every row of ``before`` is in ``after`` with the same values; columns and
    rows the new version adds are new."""
    lost = sorted(set(before) - set(after))
    assert not lost, f"tables gone after the upgrade: {lost}"
    for table, content in before.items():
        columns, old_rows = keyed(content)
        new_columns, new_rows = keyed(after[table])
        gone = sorted(set(columns) - set(new_columns) - MOVED.get(table, set()))
        assert not gone, f"columns of {table} gone after the upgrade: {gone}"
        missing = sorted(set(old_rows) - set(new_rows), key=str)
        assert not missing, f"rows of {table} lost in the upgrade: {missing}"
        for key, row in old_rows.items():
            changed = {
                column: (value, new_rows[key][column])
                for column, value in row.items()
                if column in new_columns and new_rows[key][column] != value
            }
            assert not changed, f"{table} {key} changed in the upgrade: {changed}"


def without_write_columns(tables):
    return {table: keyed(content) for table, content in tables.items()}


@pytest.fixture
def database():
    drop_database(DB)
    yield DB
    drop_database(DB)


def test_upgrade_keeps_every_record(database, tmp_path):
    started = time.monotonic()
    old_path = old_addons(tmp_path)
    odoo(old_path, tmp_path / "install.log", "-i", "lco_module", "--stop-after-init")
    [(version,)] = sql(
        DB, "SELECT latest_version FROM ir_module_module WHERE name = 'lco_module'"
    )
    assert version == "18.0.1.0.0", "the earlier version is installed"
    odoo(
        old_path,
        tmp_path / "generate.log",
        "--no-http",
        stdin=GENERATE,
        subcommand="shell",
    )
    installed = time.monotonic()

    before = snapshot(DB)
    born = birthdates(DB)
    stored = files(DB)
    assert len(before["lco_case"]["rows"]) >= 6
    assert len(born) >= 5
    assert len(stored) >= 3
    consent = rows(DB, "lco_case", "consent_date IS NOT NULL")["rows"]
    assert len(consent) >= 5, "cases with the client's consent"

    upgrade(tmp_path / "upgrade-1.log")
    [(version,)] = sql(
        DB, "SELECT latest_version FROM ir_module_module WHERE name = 'lco_module'"
    )
    assert version != "18.0.1.0.0", "the addon's version went up"
    after = snapshot(DB)
    assert_kept(before, after)
    assert_consents_kept(before, DB)
    assert birthdates(DB) == born, "birth dates kept, under whatever name"
    assert files(DB) == stored, "the attachments' files as they were"
    counted = counts(DB)
    upgraded = time.monotonic()

    upgrade(tmp_path / "upgrade-2.log")
    assert counts(DB) == counted, "a second upgrade duplicates nothing"
    assert without_write_columns(snapshot(DB)) == without_write_columns(after)
    assert birthdates(DB) == born
    print(
        f"install of {OLD_COMMIT} with demo and generated data:"
        f" {installed - started:.0f} s; upgrade: {upgraded - installed:.0f} s;"
        f" second upgrade: {time.monotonic() - upgraded:.0f} s"
    )
