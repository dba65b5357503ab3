/** @odoo-module **/
// The calendar event of a consultation meeting changes with its meeting only
// (calendar.event's _check_lco_meeting_change): its popover offers no Edit and
// no Delete, but "Open Meeting" to who may read the meeting; the invitee's
// Yes/No/Maybe answer stays. A drag or resize the server refuses is drawn
// back where the event is.
import { patch } from "@web/core/utils/patch";
import { CalendarModel } from "@web/views/calendar/calendar_model";
import { AttendeeCalendarCommonPopover } from "@calendar/views/attendee_calendar/common/attendee_calendar_common_popover";

patch(AttendeeCalendarCommonPopover.prototype, {
    get isLcoMeetingEvent() {
        return Boolean(this.props.record.rawRecord.lco_meeting_id);
    },

    get isLcoMeetingReadable() {
        return this.isLcoMeetingEvent && Boolean(this.props.record.rawRecord.lco_meeting_readable);
    },

    get isEventDeletable() {
        return !this.isLcoMeetingEvent && super.isEventDeletable;
    },

    get hasFooter() {
        return this.isLcoMeetingReadable || super.hasFooter;
    },
});

patch(CalendarModel.prototype, {
    async updateRecord() {
        try {
            return await super.updateRecord(...arguments);
        } catch (error) {
            // The calendar has drawn the event where it was dropped: draw the
            // records as they are, then let the refusal be shown.
            await this.load();
            throw error;
        }
    },
});
