from . import lco_client_data
