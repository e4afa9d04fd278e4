"""Errors of live commerce: scheduling, lineups, sessions, flash deals and streaming tools."""

from config.errors import ApplicationError, Conflict, IllegalTransition, InvalidInput, NotFound


class ScheduleConflict(Conflict):
    code = "schedule_conflict"
    default_message = "The studio or the host is already booked then."


class OutsideWindow(InvalidInput):
    code = "outside_window"
    default_message = "The session is outside the festival or the host's availability."


class IllegalSessionTransition(IllegalTransition):
    default_message = "The session cannot do that in its current state."


class NotYourSession(NotFound):
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


class DealNotSoldOut(Conflict):
    code = "deal_not_sold_out"
    default_message = "Units of this deal (in this size) can still be claimed: claim them instead of waiting."


class DealSizeSoldOut(Conflict):
    code = "deal_size_sold_out"
    default_message = "This size has sold out in this deal; other sizes may be left."


class DealStockShort(Conflict):
    code = "deal_stock_short"
    default_message = "Not enough free stock to set aside for this deal."


class DealLimitReached(Conflict):
    code = "deal_limit_reached"
    default_message = "You already hold as many units of this deal as one buyer may."


class UnknownTool(ApplicationError):
    code = "unknown_tool"
    status_code = 401
    default_message = "Unknown or disabled streaming tool token."


class ClaimExpired(Conflict):
    code = "claim_expired"
    default_message = "The hold on this deal ran out before checkout; claim again if units are left."


class ClaimInProgress(Conflict):
    code = "claim_in_progress"
    default_message = "A claim with this Idempotency-Key is being made right now; repeat the request shortly."


class TooManyStreams(ApplicationError):
    """Open live-event streams are capped per web process and per client address (docs/operations.md)."""

    code = "too_many_streams"
    status_code = 503
    default_message = ("This server has as many open live-event streams as it takes; poll the session's state, "
                       "or retry later.")
    retry_after_seconds = 30
