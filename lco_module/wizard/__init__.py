from . import lco_case_close, lco_meeting_schedule
