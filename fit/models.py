"""Foot profiles (personal data) and fit reports that teach the size recommender."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q


class FootProfile(models.Model):
    """Measurements of someone's feet (a buyer may keep several: family members). Personal data: the
    buyer can view, export and delete it; manufacturers only ever see aggregates."""

    class Method(models.TextChoices):
        TAPE = "tape", "Tape and paper"
        SCANNER = "scanner", "3D foot scanner"
        APP = "app", "Phone app"
        SHOE = "shoe", "From a shoe that fits"

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="foot_profiles")
    name = models.CharField(max_length=60, default="Me")
    gender = models.CharField(max_length=10, default="men", choices=[("men", "Men"), ("women", "Women")])
    left_length_mm = models.PositiveSmallIntegerField()
    right_length_mm = models.PositiveSmallIntegerField()
    left_girth_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    right_girth_mm = models.PositiveSmallIntegerField(null=True, blank=True)
    method = models.CharField(max_length=10, choices=Method.choices, default=Method.TAPE)
    measured_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_footprofile"  # kept from before the app split: no data moved
        ordering = ["buyer_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(left_length_mm__gte=100, left_length_mm__lte=350,
                                               right_length_mm__gte=100, right_length_mm__lte=350),
                                   name="foot_length_human"),
            models.CheckConstraint(condition=(Q(left_girth_mm__isnull=True) | Q(left_girth_mm__gte=150,
                                                                                 left_girth_mm__lte=350))
                                   & (Q(right_girth_mm__isnull=True) | Q(right_girth_mm__gte=150,
                                                                          right_girth_mm__lte=350)),
                                   name="foot_girth_human"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.buyer_id})"


class FitReport(models.Model):
    """After delivery a buyer says how a line fitted; reports adjust later recommendations for the
    product's last."""

    class Verdict(models.TextChoices):
        TOO_SMALL = "too_small", "Too small"
        RIGHT = "right", "Right"
        TOO_LARGE = "too_large", "Too large"
        TOO_NARROW = "too_narrow", "Too narrow"
        TOO_WIDE = "too_wide", "Too wide"

    order_line = models.OneToOneField("orders.OrderLine", on_delete=models.CASCADE, related_name="fit_report")
    product = models.ForeignKey("shop.Product", on_delete=models.CASCADE, related_name="+")
    verdict = models.CharField(max_length=12, choices=Verdict.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "orders_fitreport"  # kept from before the app split: no data moved
        constraints = [models.CheckConstraint(condition=Q(verdict__in=["too_small", "right", "too_large",
                                                                       "too_narrow", "too_wide"]),
                                              name="fit_verdict_valid")]

    def __str__(self) -> str:
        return f"{self.product_id}: {self.verdict}"

