"""Crons that work in batches (Odoo 18's progress API): one bounded
statement per batch, the progress reported to ``ir.cron`` and a commit per
batch, so a long run keeps what it did, holds no lock over the whole table
and is picked up again at once by the cron worker when it stops midway."""

import threading

# Rows per batch; the tests make it small to see several batches.
BATCH_SIZE = 5000


def commit_batch(env, done, remaining):
    """Report the progress of a batched cron and keep what it did."""
    env["ir.cron"]._notify_progress(done=done, remaining=remaining)
    # Tests run in one transaction that may not be committed.
    if not getattr(threading.current_thread(), "testing", False):
        env.cr.commit()


def run_in_batches(env, remaining, step, batch_size=None):
    """Call ``step(limit)`` until it handles fewer than ``limit`` rows.

    ``remaining`` is how many rows there are to do at the start (for the
    progress), ``step`` runs one bounded statement and returns the number
    of rows it handled. Returns the number of rows handled in all."""
    batch_size = batch_size or BATCH_SIZE
    done = 0
    while True:
        count = step(batch_size)
        done += count
        remaining = max(remaining - count, 0) if count >= batch_size else 0
        commit_batch(env, done, remaining)
        if count < batch_size:
            return done
