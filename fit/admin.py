"""Size curves for manufacturers: per market and category, the buyers' foot-size distribution and how
many pairs of each size and width to make for a batch; a chart and a CSV export. A manufacturer's
staff see only their own goods' buyers, and only aggregates over enough buyers."""

import csv

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from config.errors import ApplicationError
from fit import services as fit
from shop.admin_scoping import request_manufacturer
from shop.models import Manufacturer


class SizeCurveForm(forms.Form):
    market = forms.CharField(max_length=2, initial="DE")
    category = forms.SlugField(initial="leather-boots")
    batch = forms.IntegerField(min_value=1, max_value=1_000_000, initial=200)
    manufacturer = forms.ModelChoiceField(queryset=Manufacturer.objects.all(), required=False,
                                          help_text="Operators choose; a manufacturer's staff see their own.")


def _chart(curve) -> str:
    width, bar_h = 640, 18
    top = max(row["pairs"] for row in curve.rows) or 1
    height = 24 + bar_h * len(curve.rows)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
             f'font-size="11" role="img" aria-label="Size curve">']
    for i, row in enumerate(curve.rows):
        y = 20 + i * bar_h
        w = (width - 160) * row["pairs"] / top
        parts.append(f'<text x="4" y="{y + 12}">EU {escape(row["eu"])} {escape(row["width"])}</text>'
                     f'<rect x="110" y="{y + 2}" width="{w:.1f}" height="{bar_h - 4}" fill="#4a90d9"/>'
                     f'<text x="{114 + w:.1f}" y="{y + 12}">{row["pairs"]}</text>')
    parts.append("</svg>")
    return "".join(parts)


def size_curve_view(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    form = SizeCurveForm(request.GET or None)
    own = request_manufacturer(request)
    if own is not None:
        del form.fields["manufacturer"]  # staff see their own curve, and no list of other manufacturers
    context = {**model_admin.admin_site.each_context(request), "title": "Size curve", "form": form,
               "opts": model_admin.model._meta}
    if form.is_valid():
        maker = own or form.cleaned_data.get("manufacturer")
        if maker is None:
            context["error"] = "Choose a manufacturer."
        else:
            try:
                curve = fit.size_curve(manufacturer_id=maker.pk, market=form.cleaned_data["market"],
                                       category_slug=form.cleaned_data["category"], batch=form.cleaned_data["batch"])
            except ApplicationError as exc:
                context["error"] = exc.message
            else:
                if request.GET.get("format") == "csv":
                    response = HttpResponse(content_type="text/csv")
                    response["Content-Disposition"] = f'attachment; filename="size-curve-{curve.market}.csv"'
                    writer = csv.writer(response)
                    writer.writerow(["foot_length_mm", "eu_size", "width_class", "buyers", "share_percent", "pairs"])
                    for row in curve.rows:
                        writer.writerow([row["length_mm"], row["eu"], row["width"], row["buyers"], row["share"],
                                         row["pairs"]])
                    return response
                context["curve"] = curve
                context["chart"] = mark_safe(_chart(curve))  # noqa: S308 - built with escaping
    return TemplateResponse(request, "admin/fit/size_curve.html", context)
