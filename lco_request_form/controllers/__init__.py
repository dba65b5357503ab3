from . import request_form
