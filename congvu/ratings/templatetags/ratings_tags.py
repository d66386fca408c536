"""Small display helpers of the ratings pages, and the official's index on the staff page."""

from decimal import Decimal

from django import template
from django.utils import timezone
from django.utils.formats import number_format

from congvu.ratings import rules, selectors

register = template.Library()


@register.filter
def signed(value: Decimal | None, digits: int = 1) -> str:
    """+2,5 / −1,0 / 0 for a change between periods; "—" when there is nothing to compare."""
    if value is None:
        return "—"
    text = number_format(abs(value), decimal_pos=digits)
    if value > 0:
        return f"▲ +{text}"
    if value < 0:
        return f"▼ −{text}"
    return f"= {text}"


@register.filter
def trend_class(value: Decimal | None) -> str:
    if value is None or value == 0:
        return "text-muted"
    return "text-success" if value > 0 else "text-danger"


@register.filter
def fraction(value: Decimal | None) -> str:
    """A percentage as 0..1 for <meter value=…> (no inline style needed)."""
    if value is None:
        return "0"
    return str((Decimal(value) / 100).quantize(Decimal("0.001")))


@register.inclusion_tag("ratings/_staff_card.html", takes_context=True)
def staff_satisfaction(context, staff) -> dict:
    """The official's satisfaction this year, for the staff page (only to who may see it)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not selectors.staff_figures_visible(user=user, staff=staff):
        return {"shown": False}
    period = rules.Period("year", timezone.localdate().year)
    data = selectors.staff_figures(staff=staff, period=period)
    return {"shown": True, "staff": staff, "data": data, "period": period}
