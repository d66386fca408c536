"""Read-only browsing of catalogues in the admin: writes go through the load services."""

from django.contrib import admin
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from congvu.core.admin import ScopedAdmin
from congvu.core.permissions import Action
from congvu.standards.models import Catalogue, CatalogueVersion, Criterion, subjects_label
from congvu.standards.selectors import catalogue_visibility, version_criteria


class _CatalogueScoped(ScopedAdmin):
    """Shared catalogues for every admin user; a unit's own rules within the unit scope."""

    view_action = Action.UNIT_VIEW
    catalogue_path = ""

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        return qs.filter(
            catalogue_visibility(request.user, action=self.view_action, prefix=self.catalogue_path)
        )


def _link(name: str, label: str, **kwargs) -> str:
    try:
        return format_html('<a href="{}">{}</a>', reverse(name, kwargs=kwargs), label)
    except NoReverseMatch:  # the pages are not routed (yet): the admin still works
        return ""


class VersionInline(admin.TabularInline):
    model = CatalogueVersion
    extra = 0
    can_delete = False
    show_change_link = True
    fields = ["version", "effective_from", "item_count", "loaded_at", "checksum"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        return True  # the catalogue page itself is scope-checked by CatalogueAdmin

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Catalogue)
class CatalogueAdmin(_CatalogueScoped):
    list_display = ["code", "title", "kind", "owner_unit"]
    list_filter = ["kind"]
    search_fields = ["code", "title"]
    list_select_related = ["owner_unit"]
    inlines = [VersionInline]


def criteria_tree(version: CatalogueVersion) -> SafeString:
    """Nested lists, one per level, in reading order."""
    html: list[str] = []
    depth = -1
    for c in version_criteria(version):
        if c.depth > depth:
            html.append("<ul>" * (c.depth - depth))
        else:
            html.append("</li>" + "</ul></li>" * (depth - c.depth))
        depth = c.depth
        extra = " · cần minh chứng" if c.evidence_required else ""
        html.append(
            format_html(
                "<li><strong>{}</strong> {}<br><small>{} · trọng số {} · {}{}</small>",
                c.stable_id,
                c.text,
                c.source,
                c.weight,
                subjects_label(c.subjects),
                extra,
            )
        )
    if depth >= 0:
        html.append("</li></ul>" * (depth + 1))
    return SafeString("".join(html))


@admin.register(CatalogueVersion)
class CatalogueVersionAdmin(_CatalogueScoped):
    catalogue_path = "catalogue__"
    list_display = ["catalogue", "version", "effective_from", "item_count", "loaded_at"]
    list_filter = ["catalogue__kind"]
    search_fields = ["catalogue__code", "title", "version"]
    list_select_related = ["catalogue"]
    fields = [
        "catalogue",
        "version",
        "title",
        "source_document",
        "effective_from",
        "loaded_at",
        "loaded_by",
        "source_path",
        "checksum",
        "item_count",
        "pages",
        "tree",
    ]
    readonly_fields = fields

    @admin.display(description="Trang")
    def pages(self, obj: CatalogueVersion) -> SafeString:
        code, version = obj.catalogue.code, obj.version
        links = [
            _link("standards:version_detail", "Xem", code=code, version=version),
            _link("standards:version_diff", "So sánh phiên bản", code=code),
            _link("standards:version_export", "Xuất Excel", code=code, version=version),
        ]
        return format_html_join(" · ", "{}", ((link,) for link in links if link))

    @admin.display(description="Cây tiêu chí")
    def tree(self, obj: CatalogueVersion) -> SafeString:
        return criteria_tree(obj)


@admin.register(Criterion)
class CriterionAdmin(_CatalogueScoped):
    catalogue_path = "version__catalogue__"
    list_display = ["stable_id", "version", "depth", "text", "weight", "evidence_required"]
    list_filter = ["version__catalogue__kind", "evidence_required", "depth"]
    search_fields = ["stable_id", "text"]
    list_select_related = ["version", "version__catalogue"]
    ordering = ["version_id", "order"]
