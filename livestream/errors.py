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


class NotYourSession(InvalidInput):
    code = "not_found"
    status_code = 404
    default_message = "No such session of yours."


class LineupError(Conflict):
    code = "lineup_state"
    default_message = "The lineup item cannot do that in its current state."


class DealError(InvalidInput):
    code = "deal_invalid"
    default_message = "The deal is not valid."


class DealNotActive(Conflict):
    code = "deal_not_active"
    default_message = "This deal is not running."


class DealSoldOut(Conflict):
    code = "deal_sold_out"
    default_message = "This deal has sold out."


class DealLimitReached(Conflict):
    code = "deal_limit_reached"
    default_message = "You already hold as many units of this deal as one buyer may."


class UnknownTool(InvalidInput):
    code = "unknown_tool"
    status_code = 401
    default_message = "Unknown or disabled streaming tool token."
