from . import (
    test_case_flow,
    test_case_rules,
    test_performance,
    test_security,
    test_translations,
    test_views,
)
