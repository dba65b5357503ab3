# The mixin first: models below inherit it.
from . import lco_meeting_line_mixin

# isort: split
from . import (
    calendar_attendee,
    calendar_event,
    ir_actions_report,
    lco_agenda_item,
    lco_agreement,
    lco_case,
    lco_case_life_domain,
    lco_checklist_question,
    lco_close_reason,
    lco_life_domain,
    lco_meeting,
    lco_meeting_attendee,
    lco_meeting_checklist_item,
    lco_participant,
    lco_postcode_route,
    lco_request,
    res_company,
    res_config_settings,
    res_partner,
)
