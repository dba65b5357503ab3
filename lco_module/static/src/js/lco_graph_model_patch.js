/** @odoo-module **/
// The figures' stacked bar charts (cases per coordinator and status, meetings
// per month and kind) draw a line with the total of each bar, which Odoo
// labels "Sum": on the addon's models it says what it adds up, e.g.
// "Total (Count)".
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { GraphModel } from "@web/views/graph/graph_model";

patch(GraphModel.prototype, {
    _getLabel(description) {
        const { measure, measures, resModel } = this.metaData;
        if (description || !resModel?.startsWith("lco.") || !measures?.[measure]) {
            return super._getLabel(...arguments);
        }
        return _t("Total (%s)", measures[measure].string);
    },
});
