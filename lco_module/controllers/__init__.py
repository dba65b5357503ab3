from . import client_data, evaluation, portal, request_form
