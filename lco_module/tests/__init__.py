from . import test_request_flow, test_request_form, test_request_security
