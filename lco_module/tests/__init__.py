from . import (
    test_case_flow,
    test_case_rules,
    test_performance,
    test_request_flow,
    test_request_form,
    test_request_security,
    test_security,
    test_translations,
    test_views,
)
