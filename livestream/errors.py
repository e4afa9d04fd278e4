from config.errors import Conflict, InvalidInput


class ScheduleConflict(Conflict):
    code = "schedule_conflict"
    default_message = "The studio or the host is already booked then."


class OutsideWindow(InvalidInput):
    code = "outside_window"
    default_message = "The session is outside the festival or the host's availability."


class IllegalSessionTransition(Conflict):
    code = "illegal_transition"
    default_message = "The session cannot do that in its current state."
