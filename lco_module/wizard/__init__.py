from . import lco_case_close
