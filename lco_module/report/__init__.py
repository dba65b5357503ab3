from . import (
    lco_bottleneck_report,
    lco_client_data,
    lco_evaluation_form,
    lco_yearly_figures,
)
