from . import client_data, portal, request_form
