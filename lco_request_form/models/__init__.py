from . import lco_request
