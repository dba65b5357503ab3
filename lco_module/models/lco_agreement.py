from collections import defaultdict
from datetime import timedelta

from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.osv import expression
from odoo.tools.sql import create_index

from ..tools.constants import (
    INTERNAL,
    MANAGER_GROUP,
    MAX_NOTE_LENGTH,
    PORTAL_AGREEMENT_FIELDS,
    PORTAL_AGREEMENT_STATES,
    REMINDER_BATCH,
    REPORT_VISIBILITY,
    REPORT_VISIBILITY_HELP,
    USER_GROUP,
)

# What the person responsible for an agreement may report on it himself.
RESPONSIBLE_FIELDS = {"state", "outcome_note"}
# What still changes on an agreement made in a reported meeting: the progress,
# the meeting that evaluates it and its reminder.
LOCKED_WRITABLE_FIELDS = RESPONSIBLE_FIELDS | {
    "evaluation_meeting_id",
    "reminder_sent",
    "message_main_attachment_id",
}
# What the activity of the responsible internal user follows.
ACTIVITY_FIELDS = {"responsible_id", "deadline", "state"}
ACTIVITY_TYPE = "lco_module.mail_activity_type_lco_agreement"


class LcoAgreement(models.Model):
    _name = "lco.agreement"
    _description = "Agreement"
    # What the access log records a read of (lco.access.logged).
    _lco_logged_fields = ("name", "outcome_note")
    _inherit = [
        "lco.checked.input",
        "lco.action.fields",
        "lco.access.logged",
        "lco.case.thread",
        "mail.activity.mixin",
    ]
    _lco_fixed_fields = ("case_id",)
    # Whether the reminder of the current deadline went: the reminder cron
    # records it, a new deadline clears it.
    _lco_action_fields = ("reminder_sent",)
    _order = "deadline, id"
    _mail_post_access = "read"
    _check_company_auto = True

    name = fields.Char("Agreement", required=True, tracking=True)
    # The work plan is the list of agreements: shared by default.
    report_visibility = fields.Selection(
        REPORT_VISIBILITY,
        "Who Reads It",
        required=True,
        default="table",
        tracking=True,
        help=REPORT_VISIBILITY_HELP,
    )
    case_id = fields.Many2one(
        "lco.case",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="case_id.company_id", store=True, index=True, precompute=True
    )
    client_id = fields.Many2one(related="case_id.client_id")
    meeting_id = fields.Many2one(
        "lco.meeting",
        "Agreed in Meeting",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )
    responsible_id = fields.Many2one(
        "lco.participant",
        "Who",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        domain="[('case_id', '=', case_id)]",
    )
    responsible_partner_id = fields.Many2one(
        related="responsible_id.partner_id", store=True, index=True, string="Person"
    )
    responsible_user_id = fields.Many2one(
        related="responsible_id.user_id", store=True, string="Responsible Internal User"
    )
    deadline = fields.Date("By When", index=True, tracking=True)
    life_domain_id = fields.Many2one("lco.life.domain", index=True)
    state = fields.Selection(
        [
            ("open", "Open"),
            ("done", "Done"),
            ("not_done", "Not Done"),
            ("cancelled", "Cancelled"),
            ("on_hold", "On Hold"),
            # Open when its case was closed (lco.case._close): its outcome
            # note is the closing evaluation.
            ("case_closed", "Case Closed"),
        ],
        "Status",
        required=True,
        default="open",
        index=True,
        tracking=True,
    )
    # How it went is part of the full report: internal over RPC; the person
    # responsible writes his own through _lco_portal_report.
    outcome_note = fields.Text("How It Went", groups=INTERNAL)
    evaluation_meeting_id = fields.Many2one(
        "lco.meeting",
        "Evaluated in Meeting",
        index="btree_not_null",
        ondelete="set null",
        check_company=True,
        domain="[('case_id', '=', case_id)]",
    )
    is_overdue = fields.Boolean(
        "Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    reminder_sent = fields.Boolean(
        copy=False, help="The responsible got his reminder for the current deadline."
    )
    # What the form lets the user change, as write() will allow it: the terms
    # for the case's coordinator and managers, the progress also for the
    # responsible; an aid worker sees someone else's agreement read-only.
    can_edit_terms = fields.Boolean("May Change the Terms", compute="_compute_can_edit")
    can_report = fields.Boolean("May Report Progress", compute="_compute_can_edit")

    def init(self):
        # The "overdue" filter and the reminders read open agreements by deadline.
        create_index(
            self.env.cr,
            "lco_agreement_open_deadline_index",
            self._table,
            ["deadline"],
            where="state = 'open'",
        )
        # The agreement figures (life domain x state) read these indexes only:
        # per case for a coordinator, per organisation for a manager.
        for name, columns in (
            ("case", ["case_id", "company_id", "life_domain_id", "state"]),
            ("company", ["company_id", "life_domain_id", "state"]),
            # The yearly figures: the agreements made in a year.
            ("year", ["company_id", "create_date", "life_domain_id", "state"]),
        ):
            create_index(
                self.env.cr,
                f"lco_agreement_{name}_figures_index",
                self._table,
                columns,
            )

    @api.depends("state", "deadline")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for agreement in self:
            agreement.is_overdue = (
                agreement.state == "open"
                and agreement.deadline
                and agreement.deadline < today
            )

    @api.depends_context("uid")
    @api.depends("case_id.coordinator_id", "responsible_partner_id")
    def _compute_can_edit(self):
        user = self.env.user
        manager = user.has_group(MANAGER_GROUP)
        for agreement in self:
            # A new agreement: create() and its rules decide who may make one.
            terms = (
                manager or not agreement.id or agreement.case_id.coordinator_id == user
            )
            agreement.can_edit_terms = terms
            agreement.can_report = terms or (
                not user.share
                and agreement.responsible_partner_id == user.partner_id
                and agreement.responsible_id.active
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            return NotImplemented
        today = fields.Date.context_today(self)
        if (operator == "=") == value:
            return [("state", "=", "open"), ("deadline", "<", today)]
        return [
            "|",
            "|",
            ("state", "!=", "open"),
            ("deadline", "=", False),
            ("deadline", ">=", today),
        ]

    @api.constrains("responsible_id", "case_id")
    def _check_responsible_case(self):
        for agreement in self:
            agreement.responsible_id._check_takes_part_in(agreement.case_id)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self.env["lco.meeting"].browse(
                {vals["meeting_id"] for vals in vals_list if vals.get("meeting_id")}
            )._check_not_reported()
        agreements = super().create(vals_list)
        agreements.case_id._check_not_closed()
        agreements._sync_responsible_activity()
        return agreements

    def write(self, vals):
        if self.env.user.share and not self.env.su:
            if (
                set(vals) - PORTAL_AGREEMENT_FIELDS
                or vals.get("state", PORTAL_AGREEMENT_STATES[0])
                not in PORTAL_AGREEMENT_STATES
            ):
                raise AccessError(
                    self.env._(
                        "You can only say whether your agreement is done, with a "
                        "short note."
                    )
                )
        self.case_id._check_not_closed()
        if not self.env.su and set(vals) - RESPONSIBLE_FIELDS:
            self._check_may_edit_terms()
        if not self.env.su and set(vals) - LOCKED_WRITABLE_FIELDS:
            self.meeting_id._check_not_reported()
            if vals.get("meeting_id"):
                self.meeting_id.browse(vals["meeting_id"])._check_not_reported()
        res = super().write(vals)
        if "deadline" in vals:
            # A new deadline, a new reminder.
            self._lco_action_write({"reminder_sent": False})
        if ACTIVITY_FIELDS & set(vals):
            self._sync_responsible_activity()
        return res

    @api.ondelete(at_uninstall=False)
    def _unlink_except_reported(self):
        if not self.env.su:
            self.meeting_id._check_not_reported()
            self.case_id._check_not_closed()

    def _check_may_edit_terms(self):
        """What, who and by when are agreed in the meeting: only the case's
        coordinator or a manager changes them, the responsible reports progress."""
        if self.env.user.has_group(MANAGER_GROUP):
            return
        foreign = self.filtered(lambda a: a.case_id.coordinator_id != self.env.user)
        if foreign:
            raise AccessError(
                self.env._(
                    "Only the coordinator of the case changes what was agreed; you "
                    "can update the status and how it went."
                )
            )

    def _sync_responsible_activity(self):
        """An open agreement is a to-do with its deadline for the responsible
        internal user; it is marked done, or dropped, when the agreement is."""
        if self.env.user.share and not self.env.su:
            # sudo: a portal user reported on his own agreement (the write rule
            # let him); its to-do belongs to the agreement, not to him.
            return self.sudo()._sync_responsible_activity()
        activity_type = self.env.ref(ACTIVITY_TYPE)
        today = fields.Date.context_today(self)
        to_create = []
        # The to-dos to close, per feedback (or None: to drop), closed in one
        # call per group instead of one per agreement.
        to_close = defaultdict(lambda: self.env["mail.activity"])
        status = dict(self._fields["state"]._description_selection(self.env))
        for agreement in self:
            activities = agreement.activity_ids.filtered(
                lambda a: a.activity_type_id == activity_type
            )
            user = agreement.responsible_user_id
            if agreement.state != "open" or not user or not user.has_group(USER_GROUP):
                if activities:
                    feedback = (
                        agreement.outcome_note or status[agreement.state]
                        if agreement.state in ("done", "not_done", "case_closed")
                        else None
                    )
                    to_close[feedback] |= activities
                continue
            values = {
                "date_deadline": agreement.deadline or today,
                "user_id": user.id,
            }
            activity = activities[:1]
            if not activity:
                to_create.append(
                    {
                        **values,
                        "res_model_id": self.env["ir.model"]._get_id(self._name),
                        "res_id": agreement.id,
                        "activity_type_id": activity_type.id,
                    }
                )
            elif (
                activity.date_deadline != values["date_deadline"]
                or activity.user_id != user
            ):
                activity.write(values)
        self._close_responsible_activities(to_close)
        self.env["mail.activity"].create(to_create)

    @api.model
    def _close_responsible_activities(self, to_close):
        """Done or not done: the to-do is marked done with how it went;
        cancelled, on hold or no longer for an internal user: it is dropped.
        ``to_close`` maps the feedback (None: drop) to the activities."""
        for feedback, activities in to_close.items():
            if feedback is None:
                activities.unlink()
            else:
                activities.action_feedback(feedback=feedback)

    @api.model
    def _cron_send_reminders(self):
        """Remind the responsibles of open agreements whose deadline comes near,
        as many days ahead as their organisation wants."""
        today = fields.Date.context_today(self)
        companies = self.env["res.company"].search(
            [("lco_agreement_reminder_days", ">", 0)]
        )
        if not companies:
            return
        soon = expression.OR(
            [
                ("company_id", "=", company.id),
                (
                    "deadline",
                    "<=",
                    today + timedelta(days=company.lco_agreement_reminder_days),
                ),
            ]
            for company in companies
        )
        due = expression.AND(
            [
                [
                    ("state", "=", "open"),
                    # No reminder of the work of a closed case.
                    ("case_id.state", "!=", "closed"),
                    ("reminder_sent", "=", False),
                    ("deadline", ">=", today),
                    ("responsible_partner_id.email", "!=", False),
                ],
                soon,
            ]
        )
        agreements = self.search(due, limit=REMINDER_BATCH, order="id")
        if not agreements:
            return
        self.env.ref("lco_module.mail_template_lco_agreement_reminder").send_mail_batch(
            agreements.ids, email_layout_xmlid="mail.mail_notification_light"
        )
        agreements._message_log_batch(
            {
                agreement.id: self.env._(
                    "Reminder of the deadline sent to %s.",
                    agreement.responsible_partner_id.name,
                )
                for agreement in agreements
            }
        )
        agreements._lco_action_write({"reminder_sent": True})
        # A catch-up of thousands is committed batch by batch, within the
        # cron's time limit.
        self.env["ir.cron"]._notify_progress(
            done=len(agreements), remaining=self.search_count(due)
        )

    def _lco_portal_report(self, state, note):
        """The portal user says his agreement is done or not done; the
        coordinator of the case hears of it."""
        self.ensure_one()
        if state not in PORTAL_AGREEMENT_STATES:
            raise UserError(self.env._("Choose done or not done."))
        if self.state != "open":
            raise UserError(
                self.env._("This agreement is no longer open: ask the coordinator.")
            )
        note = (note or "").strip()[:MAX_NOTE_LENGTH]
        self.check_access("write")
        # sudo: outcome_note is internal (field groups); the write rule let
        # this user report on this very agreement of his (checked above), and
        # only its state and his note are written.
        self.sudo().write({"state": state, "outcome_note": note or False})
        states = dict(self._fields["state"]._description_selection(self.env))
        body = self.env._(
            "%(person)s reports on the agreement: %(state)s.",
            person=self.env.user.partner_id.name,
            state=states[state],
        )
        if note:
            body = Markup("%s<br/>%s") % (body, note)
        self._lco_tell_coordinator(body)
