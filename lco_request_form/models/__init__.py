from . import lco_request, res_config_settings
