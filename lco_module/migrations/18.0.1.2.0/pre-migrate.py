"""18.0.1.2.0: before the addon's new code and data are loaded.

The public request form left lco_module for its own module, lco_request_form
(issue 19). Its records keep their ids and data: their external ids are handed
over to the new module before lco_module's update, so that the end of the update
neither deletes them (templates, cron) nor drops the column of the sender's
fingerprint with its values; and the new module is marked to be installed,
which the loader does in the same run (odoo.modules.loading: after the
installed modules, it loads those 'to install').

Every step checks what is there first: running it twice changes nothing.
"""

import logging

_logger = logging.getLogger(__name__)

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
    # The sender's fingerprint, and the rate limit's settings fields.
    "field_lco_request__remote_addr_hash",
    "field_res_config_settings__lco_request_rate_limit",
    "field_lco_settings__request_rate_limit",
)


def _hand_over(cr, module, xmlid_names):
    """Give ``module`` the external ids ``xmlid_names`` of lco_module, and mark
    ``module`` to be installed in this run when it is not installed yet.

    Its templates get their new key (``module.name``), website copies
    included. A database where the module is not in the addons path (no row in
    ir_module_module) keeps the ids under the new module all the same: nothing
    is deleted, and installing the module later takes them up."""
    cr.execute(
        """
        UPDATE ir_model_data SET module = %s
         WHERE module = 'lco_module' AND name IN %s
        RETURNING name, model, res_id
        """,
        (module, tuple(xmlid_names)),
    )
    moved = cr.fetchall()
    views = [name for name, model, _res_id in moved if model == "ir.ui.view"]
    for name in views:
        cr.execute(
            "UPDATE ir_ui_view SET key = %s WHERE key = %s",
            (f"{module}.{name}", f"lco_module.{name}"),
        )
    cr.execute(
        """
        UPDATE ir_module_module SET state = 'to install'
         WHERE name = %s AND state = 'uninstalled'
        RETURNING id
        """,
        (module,),
    )
    installing = bool(cr.fetchone())
    # The loader lists the modules of the addons path (update_list) before it
    # updates lco_module: a module without a row is not there.
    cr.execute("SELECT 1 FROM ir_module_module WHERE name = %s", (module,))
    if not cr.fetchone():
        # Its crons would call code that is not loaded: off until it is installed.
        cron_ids = [res_id for name, model, res_id in moved if model == "ir.cron"]
        if cron_ids:
            cr.execute(
                "UPDATE ir_cron SET active = FALSE WHERE id IN %s", (tuple(cron_ids),)
            )
        _logger.warning(
            "Module %s is not in the addons path: install it to keep what moved "
            "there from lco_module (%s); its crons are switched off until then.",
            module,
            ", ".join(name for name, _model, _res_id in moved),
        )
    _logger.info(
        "%s external ids handed over to %s%s",
        len(moved),
        module,
        ", which is installed in this run" if installing else "",
    )


def split_request_form(cr):
    """The public request form goes to lco_request_form."""
    _hand_over(cr, "lco_request_form", REQUEST_FORM_XMLIDS)


def migrate(cr, version):
    if not version:
        return
    split_request_form(cr)
