from . import (
    test_forget_senders,
    test_request_form,
    test_request_form_accessibility,
    test_request_form_french,
    test_request_form_settings,
    test_request_form_upgrade,
    test_youth_request_form,
)
