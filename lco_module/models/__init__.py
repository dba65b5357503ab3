from . import (
    lco_agenda_item,
    lco_agreement,
    lco_case,
    lco_case_life_domain,
    lco_close_reason,
    lco_life_domain,
    lco_meeting,
    lco_meeting_attendee,
    lco_participant,
    res_company,
)
