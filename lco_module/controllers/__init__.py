from . import client_data, evaluation, request_form
