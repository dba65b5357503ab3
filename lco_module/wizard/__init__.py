from . import lco_case_close, lco_request_accept, lco_request_decision
