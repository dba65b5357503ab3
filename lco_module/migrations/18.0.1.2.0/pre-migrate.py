"""18.0.1.2.0: before the addon's new code and data are loaded.

The parts of the addon that face the internet became modules of their own
(issue 19, step 3). A database upgraded from 18.0.1.1.0 keeps everything: the
records those modules now hold change hands (their ir.model.data rows move to
the new module) *before* lco_module's update, so that the end of the update
neither deletes them nor drops the columns of the fields that now belong to
the new module; and the new module is marked to be installed, which Odoo's
loader does in the same run (odoo/modules/loading.py: the modules 'to install'
are loaded after the installed ones, in the loop of STEP 3; the module list
was refreshed by update_list in STEP 2, before this script).

Every step checks what is there first: running it twice changes nothing.
"""

import logging

from odoo import SUPERUSER_ID, api

_logger = logging.getLogger(__name__)


def _hand_over(cr, module, xmlid_names):
    """Make ``module`` the owner of lco_module's records named ``xmlid_names``,
    and mark ``module`` to be installed in this run when it is not installed
    (with demo data where lco_module has them). Returns the number of records
    handed over."""
    cr.execute(
        """
        UPDATE ir_model_data d
           SET module = %(module)s
         WHERE d.module = 'lco_module'
           AND d.name IN %(names)s
           AND NOT EXISTS (
               SELECT 1 FROM ir_model_data o
                WHERE o.module = %(module)s AND o.name = d.name
           )
        """,
        {"module": module, "names": tuple(xmlid_names)},
    )
    moved = cr.rowcount
    # Their templates get the new key (module.name), website copies included.
    for name in xmlid_names:
        cr.execute(
            "UPDATE ir_ui_view SET key = %s WHERE key = %s",
            (f"{module}.{name}", f"lco_module.{name}"),
        )
    cr.execute("SELECT state FROM ir_module_module WHERE name = %s", (module,))
    row = cr.fetchone()
    if row is None:
        # Not in the list yet (update_list runs only with -u/-i): as
        # update_list makes it, from the module's manifest on the addons path.
        api.Environment(cr, SUPERUSER_ID, {})["ir.module.module"].update_list()
        cr.execute("SELECT state FROM ir_module_module WHERE name = %s", (module,))
        row = cr.fetchone()
    if row is None:
        # Its crons would call code that is not loaded: off until it is installed.
        cr.execute(
            """
            UPDATE ir_cron SET active = FALSE WHERE id IN (
                SELECT res_id FROM ir_model_data
                 WHERE module = %s AND model = 'ir.cron' AND name IN %s)
            """,
            (module, tuple(xmlid_names)),
        )
        _logger.error(
            "%s is not on the addons path: install it to keep the %s records it "
            "took over from lco_module (its crons are off until then)",
            module,
            moved,
        )
        return moved
    if row[0] == "uninstalled":
        # As button_install marks it: with demo data if its dependency has them.
        cr.execute(
            """
            UPDATE ir_module_module
               SET state = 'to install',
                   demo = (SELECT demo FROM ir_module_module WHERE name = 'lco_module')
             WHERE name = %s
            """,
            (module,),
        )
    _logger.info("%s records handed over to %s (%s)", moved, module, row[0])
    return moved


# What lco_portal holds that lco_module held in 18.0.1.1.0: the portal pages,
# the portal's rules and access rights, the tokenised evaluation link (its mail
# and portal.mixin on the evaluation), the portal demo users.
PORTAL_XMLIDS = (
    # security/lco_portal_security.xml
    "lco_case_rule_portal",
    "lco_participant_rule_portal",
    "lco_meeting_rule_portal",
    "lco_meeting_attendee_rule_portal",
    "lco_agenda_item_rule_portal",
    "lco_agreement_rule_portal",
    "lco_agreement_rule_portal_responsible",
    "lco_agenda_item_rule_portal_propose",
    "lco_network_member_rule_portal",
    "lco_network_member_rule_portal_propose",
    # security/ir.model.access.csv
    "access_lco_case_portal",
    "access_lco_participant_portal",
    "access_lco_meeting_portal",
    "access_lco_meeting_attendee_portal",
    "access_lco_agenda_item_portal",
    "access_lco_agreement_portal",
    "access_lco_life_domain_portal",
    "access_lco_agenda_item_portal_propose",
    "access_lco_meeting_evaluation_portal",
    "access_lco_network_member_portal",
    # views/*.xml
    "portal_my_home_lco",
    "portal_breadcrumbs_lco",
    "portal_lco_meeting_facts",
    "portal_lco_contacts",
    "portal_my_lco_cases",
    "portal_my_lco_case",
    "portal_breadcrumbs_lco_consent",
    "portal_my_lco_cases_consents",
    "portal_my_lco_consent",
    "portal_docs_entry_alt",
    "portal_my_lco_case_network",
    "portal_my_lco_case_evaluations",
    # data/lco_evaluation_mail_data.xml
    "mail_template_lco_meeting_evaluation",
    # portal.mixin on lco.meeting.evaluation (models/lco_meeting_evaluation.py)
    "model_inherit__lco_meeting_evaluation__portal_mixin",
    "field_lco_meeting_evaluation__access_token",
    "field_lco_meeting_evaluation__access_url",
    "field_lco_meeting_evaluation__access_warning",
    # demo/res_users_portal_demo.xml
    "user_portal_client",
    "user_portal_external",
)


# What lco_request_form holds that lco_module held in 18.0.1.1.0.
REQUEST_FORM_XMLIDS = (
    # The public form's pages.
    "request_form_layout",
    "request_form_input",
    "request_form_error",
    "request_form",
    "request_form_thanks",
    # The cron that forgets where public requests came from, with its action.
    "ir_cron_lco_request_forget_senders",
    "ir_cron_lco_request_forget_senders_ir_actions_server",
    # The sender's fingerprint, and the rate limit's settings field.
    "field_lco_request__remote_addr_hash",
    "field_lco_settings__request_rate_limit",
)


def split_request_form(cr):
    """lco_request_form: the public form, its rate limit and the cron that
    forgets where public requests came from."""
    _hand_over(cr, "lco_request_form", REQUEST_FORM_XMLIDS)


def split_portal(cr):
    """lco_portal: the portal pages, rules, tokenised evaluation links and
    portal demo users."""
    _hand_over(cr, "lco_portal", PORTAL_XMLIDS)


def migrate(cr, version):
    if not version:
        return
    split_request_form(cr)
    split_portal(cr)
