from . import lco_settings
