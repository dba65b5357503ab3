from . import (
    lco_case_close,
    lco_meeting_schedule,
    lco_request_accept,
    lco_request_decision,
)
