# The mixins first: models below inherit them.
from . import (
    lco_access_logged,
    lco_anonymisable,
    lco_case_thread,
    lco_checked_input,
    lco_meeting_line_mixin,
)

# isort: split
from . import (
    calendar_attendee,
    calendar_event,
    ir_actions_report,
    ir_binary,
    ir_http,
    lco_access_log,
    lco_agenda_item,
    lco_agenda_item_portal,
    lco_agreement,
    lco_agreement_portal,
    lco_bottleneck,
    lco_bottleneck_occurrence,
    lco_case,
    lco_case_life_domain,
    lco_case_portal,
    lco_case_retention,
    lco_checklist_question,
    lco_close_reason,
    lco_consent,
    lco_consent_line,
    lco_life_domain,
    lco_meeting,
    lco_meeting_attendee,
    lco_meeting_attendee_portal,
    lco_meeting_checklist_item,
    lco_meeting_evaluation,
    lco_meeting_portal,
    lco_participant,
    lco_participant_portal,
    lco_postcode_route,
    lco_request,
    lco_request_retention,
    mail_followers,
    mail_message,
    mail_notification,
    res_company,
    res_config_settings,
    res_partner,
)

# isort: split
# Models of the list above that the access log also sees.
from . import lco_access_logged_models
