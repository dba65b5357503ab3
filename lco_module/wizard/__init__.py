from . import (
    base_partner_merge_automatic_wizard,
    lco_case_close,
    lco_meeting_schedule,
    lco_request_accept,
    lco_request_decision,
    mail_compose_message,
)
