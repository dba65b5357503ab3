from . import lco_meeting_evaluation
