from . import privacy_lookup_wizard
