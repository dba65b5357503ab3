"""An administrator backs up a database with `make backup` (tools/backup.sh);
the database changes; `make restore` (tools/restore.sh) brings the backup back
into a new database, with every record and every file as it was."""

import base64
import hashlib
import json
import os
import re
import shutil
import stat
import subprocess
import tarfile
from contextlib import closing
from pathlib import Path

import psycopg2
import pytest
from conftest import ROOT, OdooServer, _setting
from test_web_client import json_rpc, login

SOURCE_DB = "lco_backup_source"
RESTORED_DB = "lco_backup_restored"

# Rows of Odoo's own tables that belong to the addon's records.
LCO_MESSAGES = "SELECT id FROM mail_message WHERE model LIKE 'lco.%%'"
LCO_ROWS = {
    "mail_message": "model LIKE 'lco.%%'",
    "ir_attachment": "res_model LIKE 'lco.%%'",
    "message_attachment_rel": f"message_id IN ({LCO_MESSAGES})",
    "mail_message_res_partner_rel": f"mail_message_id IN ({LCO_MESSAGES})",
    "mail_notification": f"mail_message_id IN ({LCO_MESSAGES})",
    "mail_followers": "res_model LIKE 'lco.%%'",
    "mail_activity": "res_model LIKE 'lco.%%'",
}


def sql(db, query, params=()):
    """The rows of ``query`` on database ``db`` of the test cluster."""
    with closing(
        psycopg2.connect(
            host=_setting("LCO_DB_HOST"), user=_setting("LCO_DB_USER"), dbname=db
        )
    ) as cnx:
        cnx.autocommit = True
        with cnx.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else None


def drop_database(db):
    sql("postgres", f'DROP DATABASE IF EXISTS "{db}"')
    shutil.rmtree(filestore(db), ignore_errors=True)


def filestore(db):
    return Path(_setting("LCO_DATA_DIR")) / "filestore" / db


def copy_database(source, target):
    """A copy of ``source`` with its files, also while a server uses it."""
    drop_database(target)
    try:
        sql("postgres", f'CREATE DATABASE "{target}" TEMPLATE "{source}"')
    except psycopg2.errors.ObjectInUse:  # a server of another test is connected
        sql("postgres", f'CREATE DATABASE "{target}" TEMPLATE template0')
        connect = ["-h", _setting("LCO_DB_HOST"), "-U", _setting("LCO_DB_USER")]
        dump = subprocess.run(
            ["pg_dump", *connect, "-Fc", source], capture_output=True, check=True
        ).stdout
        subprocess.run(
            ["pg_restore", *connect, "--no-owner", "-d", target],
            input=dump,
            check=True,
        )
    if filestore(source).is_dir():
        shutil.copytree(filestore(source), filestore(target))


def lco_tables(db):
    return [
        name
        for (name,) in sql(
            db,
            "SELECT table_name FROM information_schema.tables WHERE table_schema ="
            " 'public' AND table_type = 'BASE TABLE' AND table_name LIKE 'lco\\_%%'"
            " ORDER BY table_name",
        )
    ]


def rows(db, table, where="TRUE", exclude=()):
    """Every column of the rows of ``table`` (but ``exclude``), sorted."""
    columns = [
        name
        for (name,) in sql(
            db,
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " 'public' AND table_name = %s ORDER BY column_name",
            (table,),
        )
        if name not in exclude
    ]
    order = ", ".join(str(i) for i in range(1, len(columns) + 1))
    select = ", ".join(f'"{column}"' for column in columns)
    return {
        "columns": columns,
        "rows": sql(
            db, f'SELECT {select} FROM "{table}" WHERE {where} ORDER BY {order}'
        ),
    }


def snapshot(db):
    """Every record of the addon's tables, and their messages, attachments,
    followers and activities, column by column."""
    tables = {table: rows(db, table) for table in lco_tables(db)}
    tables.update({table: rows(db, table, where) for table, where in LCO_ROWS.items()})
    return tables


def stored_files(db):
    """The bytes of the addon's attachments in the filestore of ``db``, by id."""
    files = {}
    for att_id, store_fname, checksum in sql(
        db,
        "SELECT id, store_fname, checksum FROM ir_attachment"
        " WHERE res_model LIKE 'lco.%%' AND store_fname IS NOT NULL",
    ):
        content = (filestore(db) / store_fname).read_bytes()
        assert hashlib.sha1(content).hexdigest() == checksum
        files[att_id] = content
    return files


def assert_same_tables(actual, expected):
    assert actual.keys() == expected.keys()
    for table, content in expected.items():
        assert actual[table]["columns"] == content["columns"], table
        assert actual[table]["rows"] == content["rows"], f"rows of {table} differ"


def run_tool(script, **env):
    return subprocess.run(
        [str(ROOT / "tools" / script)],
        env={
            **os.environ,
            "DB_HOST": _setting("LCO_DB_HOST"),
            "DB_USER": _setting("LCO_DB_USER"),
            "DATA_DIR": _setting("LCO_DATA_DIR"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """Odoo serving a copy of the demo database, which this test may change."""
    copy_database(_setting("LCO_DB"), SOURCE_DB)
    server = OdooServer(SOURCE_DB, tmp_path_factory.mktemp("source") / "server.log")
    yield server
    server.stop()
    drop_database(SOURCE_DB)
    drop_database(RESTORED_DB)


def send_meeting_report(server, coordinator, meeting):
    """The coordinator sends the report of a held meeting: its PDF goes into
    the filestore, attached to the meeting's and the case's messages."""
    server.client("admin").call(
        "ir.config_parameter", "set_param", "report.url", server.url
    )
    action = coordinator.call("lco.meeting", "action_send_report", [meeting])
    context = action["context"]
    composer = coordinator.call("mail.compose.message", "create", {}, context=context)
    coordinator.call(
        "mail.compose.message", "action_send_mail", [composer], context=context
    )
    [sent] = coordinator.call("lco.meeting", "read", [meeting], ["state"])
    assert sent["state"] == "reported"


def attach(client, case, name, content):
    return client.call(
        "ir.attachment",
        "create",
        {
            "name": name,
            "datas": base64.b64encode(content).decode(),
            "res_model": "lco.case",
            "res_id": case,
        },
    )


def add_documents(server, coordinator, demo):
    """A sent meeting report, a letter and a scan posted in the case's chatter:
    (the letter, the scan)."""
    send_meeting_report(server, coordinator, demo["meeting_jonas_1"])
    case = demo["case_young_man"]
    letter = attach(coordinator, case, "Letter.txt", "Brief: één pagina.".encode())
    scan = attach(coordinator, case, "Scan of the budget.bin", os.urandom(50_000))
    json_rpc(
        login(server, "coordinator"),
        f"{server.url}/mail/message/post",
        {
            "thread_model": "lco.case",
            "thread_id": case,
            "post_data": {
                "body": "The budget plan, scanned.",
                "attachment_ids": [scan],
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_note",
            },
        },
    )
    return letter, scan


def check_archive(backups):
    """The one archive in ``backups``: private, with the dump, the manifest and
    every file of the addon's attachments."""
    [archive] = backups.iterdir()
    assert re.fullmatch(rf"lco-{SOURCE_DB}-\d{{8}}-\d{{6}}\.tar", archive.name)
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600, "clients' data"
    assert stat.S_IMODE(backups.stat().st_mode) == 0o700
    with tarfile.open(archive) as tar:
        members = set(tar.getnames())
        manifest = json.load(tar.extractfile("manifest.json"))
    assert {"manifest.json", "dump.pgc", "filestore"} <= members
    for (store_fname,) in sql(
        SOURCE_DB, "SELECT store_fname FROM ir_attachment WHERE res_model LIKE 'lco.%%'"
    ):
        assert f"filestore/{store_fname}" in members
    assert manifest["db_name"] == SOURCE_DB
    assert manifest["major_version"] == "18.0"
    [(installed,)] = sql(
        SOURCE_DB,
        "SELECT latest_version FROM ir_module_module WHERE name = 'lco_module'",
    )
    assert manifest["lco_module_version"] == installed
    return archive


def test_backup_restores_every_record_and_file(source, tmp_path):
    demo = source.client("admin").demo_ids(
        "case_young_man", "meeting_jonas_1", "meeting_jonas_2"
    )
    coordinator = source.client("coordinator")
    letter, scan = add_documents(source, coordinator, demo)
    before = snapshot(SOURCE_DB)
    files = stored_files(SOURCE_DB)
    assert len(files) >= 4, "the report's PDFs, the letter and the scan"
    assert "application/pdf" in {
        mimetype
        for (mimetype,) in sql(
            SOURCE_DB,
            "SELECT mimetype FROM ir_attachment WHERE res_model LIKE 'lco.%%'",
        )
    }

    backups = tmp_path / "backups"
    done = run_tool("backup.sh", DB=SOURCE_DB, BACKUP_DIR=str(backups))
    assert done.returncode == 0, done.stderr
    archive = check_archive(backups)

    # After the backup: a case changed, a meeting and its lines deleted, the
    # letter deleted, the scan replaced.
    case, draft = demo["case_young_man"], demo["meeting_jonas_2"]
    coordinator.call("lco.case", "write", [case], {"goals": "Changed after backup"})
    coordinator.call("lco.meeting", "unlink", [draft])
    coordinator.call("ir.attachment", "unlink", [letter])
    coordinator.call(
        "ir.attachment", "write", [scan], {"datas": base64.b64encode(b"new").decode()}
    )
    changed = snapshot(SOURCE_DB)
    for table in ("lco_case", "lco_meeting", "lco_meeting_attendee", "ir_attachment"):
        assert changed[table] != before[table], f"{table} changed after the backup"

    done = run_tool("restore.sh", FILE=str(archive), DB=RESTORED_DB)
    assert done.returncode == 0, done.stderr
    assert_same_tables(snapshot(RESTORED_DB), before)
    assert stored_files(RESTORED_DB) == files

    restored = OdooServer(RESTORED_DB, tmp_path / "restored.log")
    try:
        client = restored.client("coordinator")
        read = client.call("ir.attachment", "read", list(files), ["datas"])
        assert {att["id"]: base64.b64decode(att["datas"]) for att in read} == files
        [case_read] = client.call("lco.case", "read", [case], ["goals"])
        assert case_read["goals"] != "Changed after backup"
        assert client.call("lco.meeting", "search", [("id", "=", draft)]) == [draft]
    finally:
        restored.stop()

    again = run_tool("restore.sh", FILE=str(archive), DB=RESTORED_DB)
    assert again.returncode != 0
    assert f"database {RESTORED_DB} exists already" in again.stderr
    assert "never overwrites" in again.stderr
    again = run_tool("restore.sh", FILE=str(archive), DB=SOURCE_DB)
    assert again.returncode != 0, "the database that was backed up stays as it is"
    assert snapshot(SOURCE_DB) == changed


def damage(archive, member_prefix, target):
    """A copy of ``archive`` with one byte changed inside the first member whose
    name starts with ``member_prefix``, as a bad disk or transfer would."""
    with tarfile.open(archive) as tar:
        member = next(
            m for m in tar.getmembers() if m.name.startswith(member_prefix) and m.size
        )
    data = bytearray(archive.read_bytes())
    data[member.offset_data] ^= 0xFF
    target.write_bytes(bytes(data))
    return member.name


def database_exists(db):
    return bool(sql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", (db,)))


def test_damaged_or_encrypted_backups(source, tmp_path):
    """Each member of a backup carries its checksum: a file damaged inside the
    archive refuses the restore, before any database is made. With KEY_FILE
    the archive is encrypted: restored with that key only."""
    drop_database(RESTORED_DB)  # restored by the test above
    backups = tmp_path / "backups"
    done = run_tool("backup.sh", DB=SOURCE_DB, BACKUP_DIR=str(backups))
    assert done.returncode == 0, done.stderr
    [archive] = backups.iterdir()
    with tarfile.open(archive) as tar:
        sums = tar.extractfile("SHA256SUMS").read().decode()
        names = {m.name for m in tar.getmembers() if m.isfile()}
    listed = {line.split("  ", 1)[1] for line in sums.splitlines()}
    assert listed == names - {"SHA256SUMS"}, "a checksum for every member"

    for prefix in ("filestore/", "dump.pgc"):
        damaged = tmp_path / f"damaged-{prefix.strip('/')}.tar"
        name = damage(archive, prefix, damaged)
        done = run_tool("restore.sh", FILE=str(damaged), DB=RESTORED_DB)
        assert done.returncode != 0, done.stdout
        assert "is damaged, nothing was restored" in done.stderr
        assert name in done.stderr
        assert not database_exists(RESTORED_DB)
        assert not filestore(RESTORED_DB).exists()

    key = tmp_path / "backup.key"
    key.write_text(base64.b64encode(os.urandom(48)).decode())
    key.chmod(0o600)
    encrypted_dir = tmp_path / "encrypted"
    done = run_tool(
        "backup.sh", DB=SOURCE_DB, BACKUP_DIR=str(encrypted_dir), KEY_FILE=str(key)
    )
    assert done.returncode == 0, done.stderr
    [encrypted] = encrypted_dir.iterdir()
    assert encrypted.name.endswith(".tar.enc")
    assert b"dump.pgc" not in encrypted.read_bytes()[:4096]
    assert stat.S_IMODE(encrypted.stat().st_mode) == 0o600

    done = run_tool("restore.sh", FILE=str(encrypted), DB=RESTORED_DB)
    assert done.returncode != 0
    assert "is encrypted: give its key file" in done.stderr
    other = tmp_path / "other.key"
    other.write_text("not the key")
    done = run_tool(
        "restore.sh", FILE=str(encrypted), DB=RESTORED_DB, KEY_FILE=str(other)
    )
    assert done.returncode != 0
    assert "cannot be decrypted" in done.stderr
    assert not database_exists(RESTORED_DB)

    done = run_tool(
        "restore.sh", FILE=str(encrypted), DB=RESTORED_DB, KEY_FILE=str(key)
    )
    assert done.returncode == 0, done.stderr
    assert stored_files(RESTORED_DB) == stored_files(SOURCE_DB)
    drop_database(RESTORED_DB)
