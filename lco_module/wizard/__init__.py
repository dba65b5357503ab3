from . import (
    base_partner_merge_automatic_wizard,
    lco_case_close,
    lco_meeting_reopen,
    lco_meeting_schedule,
    lco_request_accept,
    lco_request_decision,
    lco_settings,
    mail_compose_message,
)
