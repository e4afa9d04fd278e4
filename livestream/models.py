"""Live bases, studios, festivals, hosts and scheduled live sessions.

The database itself refuses double bookings: a studio's sessions may not overlap including the
changeover buffer, and a host's sessions may not overlap including the host's rest gap (PostgreSQL
exclusion constraints over time ranges, with btree_gist for the equality part).
"""

from __future__ import annotations

import pghistory
from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.db import models
from django.db.models import F, Q


class LiveBase(models.Model):
    name = models.CharField(max_length=120)
    city = models.CharField(max_length=80)
    timezone = models.CharField(max_length=50, default="Asia/Shanghai")

    def __str__(self) -> str:
        return self.name


class Studio(models.Model):
    base = models.ForeignKey(LiveBase, on_delete=models.PROTECT, related_name="studios")
    name = models.CharField(max_length=80)
    changeover_minutes = models.PositiveSmallIntegerField(
        default=15, help_text="Setup and teardown kept free after every session.")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["base", "name"], name="studio_name_per_base")]

    def __str__(self) -> str:
        return f"{self.base.name} / {self.name}"


class Festival(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    base = models.ForeignKey(LiveBase, on_delete=models.PROTECT, related_name="festivals")
    name = models.CharField(max_length=150)
    slug = models.SlugField(max_length=80, unique=True)
    theme = models.CharField(max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    timezone = models.CharField(max_length=50, default="Asia/Shanghai")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)

    class Meta:
        ordering = ["-starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="festival_dates_ordered")]

    def __str__(self) -> str:
        return self.name


class Host(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="host")
    handle = models.SlugField(max_length=60, unique=True)
    display_name = models.CharField(max_length=120)
    languages = models.JSONField(default=list, blank=True, help_text='e.g. ["zh", "en"]')
    markets = models.JSONField(default=list, blank=True, help_text='Countries served, e.g. ["DE", "JP"]')
    channels = models.JSONField(default=list, blank=True, help_text='Where the host streams, e.g. ["tiktok"]')
    rest_minutes = models.PositiveSmallIntegerField(default=30, help_text="Minimum gap between two sessions.")
    payout_account_ref = models.CharField(
        max_length=64, blank=True, help_text="Payment provider's connected-account id: commission is paid there.")

    def __str__(self) -> str:
        return f"@{self.handle}"


class HostAvailability(models.Model):
    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="availability")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()

    class Meta:
        ordering = ["host_id", "starts_at"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                              name="availability_dates_ordered")]

    def __str__(self) -> str:
        return f"{self.host} {self.starts_at:%Y-%m-%d %H:%M}-{self.ends_at:%H:%M}"


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    LIVE = "live", "Live"
    ENDED = "ended", "Ended"
    CANCELLED = "cancelled", "Cancelled"


SESSION_TRANSITIONS = {
    SessionStatus.SCHEDULED: {SessionStatus.LIVE, SessionStatus.CANCELLED},
    SessionStatus.LIVE: {SessionStatus.ENDED},
    SessionStatus.ENDED: set(),
    SessionStatus.CANCELLED: set(),
}


class LiveSession(models.Model):
    festival = models.ForeignKey(Festival, on_delete=models.PROTECT, related_name="sessions")
    studio = models.ForeignKey(Studio, on_delete=models.PROTECT, related_name="sessions")
    host = models.ForeignKey(Host, on_delete=models.PROTECT, related_name="sessions")
    title = models.CharField(max_length=200)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    status = models.CharField(max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED)
    is_draft = models.BooleanField(default=False, help_text="Proposed by auto-scheduling, not yet published.")
    # What the session occupies, written by the scheduling service: the studio including its changeover
    # buffer, the host including the rest gap. The exclusion constraints below guard these ranges.
    studio_block = DateTimeRangeField()
    host_block = DateTimeRangeField()
    went_live_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="session_dates_ordered"),
            models.CheckConstraint(condition=Q(status__in=SessionStatus.values), name="session_status_valid"),
            ExclusionConstraint(
                name="studio_never_double_booked",
                expressions=[("studio", RangeOperators.EQUAL), ("studio_block", RangeOperators.OVERLAPS)],
                condition=~Q(status="cancelled"),
            ),
            ExclusionConstraint(
                name="host_never_double_booked",
                expressions=[("host", RangeOperators.EQUAL), ("host_block", RangeOperators.OVERLAPS)],
                condition=~Q(status="cancelled"),
            ),
        ]
        indexes = [models.Index(fields=["status", "starts_at"], name="session_status_start")]

    def __str__(self) -> str:
        return f"{self.title} ({self.starts_at:%Y-%m-%d %H:%M})"


class LineupStatus(models.TextChoices):
    REQUESTED = "requested", "Requested by the host"
    COUNTERED = "countered", "Countered by the manufacturer"
    APPROVED = "approved", "Approved (terms agreed)"
    REJECTED = "rejected", "Rejected"


class LineupItem(models.Model):
    """Selecting fair: a host asks to sell a product in a session at a live price and commission; the
    manufacturer approves, counters or rejects. The terms agreed are the ones paid later."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="lineup")
    product = models.ForeignKey("shop.Product", on_delete=models.PROTECT, related_name="lineup_items")
    status = models.CharField(max_length=20, choices=LineupStatus.choices, default=LineupStatus.REQUESTED)
    currency = models.CharField(max_length=3)
    proposed_price = models.DecimalField(max_digits=12, decimal_places=2)
    proposed_commission_rate = models.DecimalField(max_digits=5, decimal_places=4)
    quantity = models.PositiveIntegerField(help_text="Units the host expects to sell.")
    counter_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    counter_commission_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    agreed_price = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    agreed_commission_rate = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "product"], name="lineup_product_once_per_session"),
            models.CheckConstraint(condition=Q(proposed_price__gt=0), name="lineup_price_positive"),
            models.CheckConstraint(condition=Q(proposed_commission_rate__gte=0, proposed_commission_rate__lte=0.8),
                                   name="lineup_commission_range"),
            models.CheckConstraint(condition=~Q(status="approved") | Q(agreed_price__isnull=False,
                                                                       agreed_commission_rate__isnull=False),
                                   name="lineup_approved_has_terms"),
        ]

    def __str__(self) -> str:
        return f"{self.product} in {self.session} ({self.status})"


# Audit trail (see docs/operations.md): a database trigger records who changed what, before and after.
# `remaining` is left out: it moves with every purchase, and the orders record those.
@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), exclude=["remaining"],
                 model_name="FlashDealEvent")
class FlashDeal(models.Model):
    """A timed offer on a product: a deal price, a cap on units shared by its sizes, and a per-buyer limit.
    Launched by a host on a lineup product in a live session, or by an operator as a flash sale in the
    storefront (no session, no lineup item, no host commission). `remaining` only changes by conditional
    updates; the window is enforced by the server clock in those updates, not by any client."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="deals", null=True, blank=True,
                                help_text="The live session it runs in; empty for a storefront flash sale.")
    lineup_item = models.ForeignKey(LineupItem, on_delete=models.PROTECT, related_name="deals", null=True,
                                    blank=True)
    product = models.ForeignKey("shop.Product", on_delete=models.PROTECT, related_name="flash_deals")
    currency = models.CharField(max_length=3)
    deal_price = models.DecimalField(max_digits=12, decimal_places=2)
    quantity_cap = models.PositiveIntegerField()
    remaining = models.IntegerField()
    per_buyer_limit = models.PositiveSmallIntegerField(default=1)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    ended_early_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(remaining__gte=0), name="deal_never_below_zero"),
            models.CheckConstraint(condition=Q(remaining__lte=F("quantity_cap")), name="deal_within_cap"),
            models.CheckConstraint(condition=Q(deal_price__gt=0), name="deal_price_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")), name="deal_window_ordered"),
            models.CheckConstraint(condition=Q(per_buyer_limit__gte=1), name="deal_limit_positive"),
            models.CheckConstraint(condition=Q(session__isnull=True, lineup_item__isnull=True)
                                   | Q(session__isnull=False, lineup_item__isnull=False),
                                   name="deal_live_or_storefront"),
        ]
        # The storefront's flash sales, few among all deals, listed while they are not over.
        indexes = [models.Index(fields=["ends_at"], condition=Q(session__isnull=True), name="deal_storefront")]

    def __str__(self) -> str:
        return f"Deal {self.pk} on {self.product}"


class DealAllocation(models.Model):
    """Units of one size in one warehouse set aside for a flash deal when it is launched (ring-fenced).

    They count in the stock row's `reserved`, so neither an ordinary checkout nor another deal can take
    them. The deal's orders take their units from here (`remaining` goes down; the stock row does not
    move: the unit stays reserved, now for the order). When the deal is over, what is left goes back to
    free stock (`remaining` to `returned`, and the stock row's `reserved` down), once."""

    deal = models.ForeignKey(FlashDeal, on_delete=models.PROTECT, related_name="allocations")
    stock_level = models.ForeignKey("shop.StockLevel", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveIntegerField(help_text="Units set aside at launch.")
    remaining = models.IntegerField(help_text="Set aside and in no order yet.")
    returned = models.IntegerField(default=0, help_text="Given back to free stock after the deal.")

    class Meta:
        ordering = ["deal_id", "id"]
        constraints = [
            models.UniqueConstraint(fields=["deal", "stock_level"], name="allocation_one_row_per_stock_row"),
            models.CheckConstraint(condition=Q(quantity__gte=1), name="allocation_quantity_positive"),
            models.CheckConstraint(condition=Q(remaining__gte=0), name="allocation_remaining_not_negative"),
            models.CheckConstraint(condition=Q(returned__gte=0), name="allocation_returned_not_negative"),
            models.CheckConstraint(condition=Q(remaining__lte=F("quantity") - F("returned")),
                                   name="allocation_within_quantity"),
        ]
        # Deals over with units still set aside are found through the few rows that have some.
        indexes = [models.Index(fields=["deal"], condition=Q(remaining__gt=0), name="allocation_unsettled")]

    def __str__(self) -> str:
        return f"{self.remaining} of {self.quantity} left for deal {self.deal_id} (stock row {self.stock_level_id})"


class DealPurchase(models.Model):
    """Units one buyer holds in one deal (open or paid orders); the per-buyer limit is a check here."""

    deal = models.ForeignKey(FlashDeal, on_delete=models.CASCADE, related_name="purchases")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    quantity = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["deal", "buyer"], name="deal_purchase_per_buyer")]

    def __str__(self) -> str:
        return f"{self.buyer_id} x{self.quantity} in deal {self.deal_id}"


class ClaimStatus(models.TextChoices):
    ACTIVE = "active", "Held for checkout"
    CONVERTED = "converted", "Ordered"
    EXPIRED = "expired", "Expired unordered"


class DealClaim(models.Model):
    """A buyer's hold on units of a live deal, made in one round trip through the claim gate
    (livestream/gate.py) and turned into an order by the normal checkout before it expires. The row is
    the durable record: the gate's counts are rebuilt from these rows and the deal's `remaining`."""

    deal = models.ForeignKey(FlashDeal, on_delete=models.CASCADE, related_name="claims")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey("shop.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.ACTIVE)
    idempotency_key = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True, help_text="When it was ordered or expired.")

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="claim_quantity_positive"),
            models.CheckConstraint(condition=Q(status__in=ClaimStatus.values), name="claim_status_valid"),
            models.UniqueConstraint(fields=["buyer", "idempotency_key"], condition=~Q(idempotency_key=""),
                                    name="claim_once_per_key"),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="claim_status_expiry"),
            models.Index(fields=["deal", "status"], name="claim_deal_status"),
        ]

    def __str__(self) -> str:
        return f"claim {self.pk}: {self.quantity} of deal {self.deal_id} ({self.status})"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", "Waiting for a unit"
    OFFERED = "offered", "Offered a claim"
    LEFT = "left", "Left the waitlist"
    LAPSED = "lapsed", "Passed over (holds the limit already, or the deal ended)"


class DealWaitlistEntry(models.Model):
    """A buyer waiting for units of a sold-out deal. Units that come back (an expired claim, an unpaid order
    released) go to waiting buyers in the order they joined, each as a claim with a short hold; the gate
    keeps the units owed to waiting buyers from everyone else (its `waiting` counts)."""

    deal = models.ForeignKey(FlashDeal, on_delete=models.CASCADE, related_name="waitlist")
    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    variant = models.ForeignKey("shop.Variant", on_delete=models.PROTECT, related_name="+")
    quantity = models.PositiveSmallIntegerField()
    status = models.CharField(max_length=10, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    claim = models.OneToOneField(DealClaim, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    joined_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="waitlist_quantity_positive"),
            models.CheckConstraint(condition=Q(status__in=WaitlistStatus.values), name="waitlist_status_valid"),
            models.UniqueConstraint(fields=["deal", "buyer"], condition=Q(status="waiting"),
                                    name="waitlist_once_per_buyer"),
        ]
        indexes = [models.Index(fields=["deal", "status", "joined_at", "id"], name="waitlist_queue")]

    def __str__(self) -> str:
        return f"{self.buyer} waiting for deal {self.deal_id}"

class PinnedProduct(models.Model):
    """What the host is showing now; the latest row per session is the pinned one."""

    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="pins")
    lineup_item = models.ForeignKey(LineupItem, on_delete=models.PROTECT, related_name="+")
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-pinned_at", "-id"]

    def __str__(self) -> str:
        return f"{self.lineup_item} pinned at {self.pinned_at:%H:%M}"


class StreamingTool(models.Model):
    """A host's streaming software allowed to report viewer counts; it authenticates with a token
    whose SHA-256 is stored (the token itself is shown once, when created)."""

    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="tools")
    name = models.CharField(max_length=80)
    token_sha256 = models.CharField(max_length=64, unique=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.name} of {self.host}"


class ViewReport(models.Model):
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="view_reports")
    tool = models.ForeignKey(StreamingTool, on_delete=models.PROTECT, related_name="+")
    views = models.PositiveIntegerField(help_text="Cumulative views of the session so far.")
    concurrent_viewers = models.PositiveIntegerField(default=0)
    reported_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session_id", "reported_at"]

    def __str__(self) -> str:
        return f"{self.views} views at {self.reported_at:%H:%M}"


class SessionMetrics(models.Model):
    """Rolled up by Celery from paid order lines sold through the session's deals, net of refunds."""

    session = models.OneToOneField(LiveSession, on_delete=models.CASCADE, related_name="metrics")
    reporting_currency = models.CharField(max_length=3)
    gmv_by_currency = models.JSONField(default=dict)
    gmv = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    refunds = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    orders = models.PositiveIntegerField(default=0)
    units = models.PositiveIntegerField(default=0)
    unique_buyers = models.PositiveIntegerField(default=0)
    average_order_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    views = models.PositiveIntegerField(default=0)
    conversion_rate = models.DecimalField(max_digits=7, decimal_places=5, default=0)
    gmv_per_thousand_views = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    host_commission = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "session metrics"

    def __str__(self) -> str:
        return f"metrics of {self.session}"


class SessionRequest(models.Model):
    """A wish for a session in a festival, placed by auto-scheduling: host, duration, the windows the
    host would like, and the manufacturer whose goods it sells (for fairness of prime time)."""

    festival = models.ForeignKey(Festival, on_delete=models.CASCADE, related_name="requests")
    host = models.ForeignKey(Host, on_delete=models.CASCADE, related_name="requests")
    manufacturer = models.ForeignKey("shop.Manufacturer", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    title = models.CharField(max_length=200)
    duration_minutes = models.PositiveSmallIntegerField()
    wished_windows = models.JSONField(default=list, blank=True,
                                      help_text='[["2026-11-24T10:00:00Z", "2026-11-24T14:00:00Z"], ...]; empty = any.')
    target_market = models.CharField(max_length=2, default="DE", help_text="Whose evening counts as prime time.")
    placed_session = models.OneToOneField(LiveSession, null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="request")
    unplaced_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["festival_id", "id"]

    def __str__(self) -> str:
        return f"{self.title} ({self.duration_minutes} min, @{self.host.handle})"
