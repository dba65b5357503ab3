from . import (
    test_agreement_activities,
    test_meeting_calendar,
    test_meeting_flow,
    test_meeting_reports,
    test_meeting_security,
    test_meeting_tour,
    test_send_report,
)
