"""Extension points that let feature apps add to core pages without the core importing them.

Feature apps register in their ``AppConfig.ready()``:

* ``nav_items``: entries in the top navigation, shown when ``visible(user)`` is true;
* ``cadre_panels``: sections of the cadre file (rank history, assessments, records ...); a section's
  single figures (a count, a sum) can ride on the query that loads the cadre, see ``with_cadre_figures``;
* ``demo_seeders``: steps of ``manage.py seed_demo``, run in ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    """A header link. Entries sharing a ``group`` (a label) gather in one dropdown of that name."""

    order: int
    label: str
    url_name: str
    visible: Callable
    group: str = ""


@dataclass(frozen=True)
class CadrePanel:
    order: int
    template_name: str
    # context(cadre, user) -> dict merged into the template context of that panel
    context: Callable


def with_cadre_figures(figures: Callable):
    """Decorator for a panel's context function: ``figures(user)`` -> {name: expression} annotated on the
    query that loads the cadre of the file, so that each figure costs a subquery there instead of a query
    of its own. The context reads ``getattr(cadre, name)`` and computes the figure itself when the cadre
    was loaded some other way. Names are global: prefix them with the app."""

    def decorate(context):
        context.cadre_figures = figures
        return context

    return decorate


def cadre_figures(user) -> dict:
    """Every panel's figures for this user, to annotate on the cadre's query."""
    annotations = {}
    for panel in cadre_panels:
        figures = getattr(panel.context, "cadre_figures", None)
        if figures is not None:
            annotations.update(figures(user))
    return annotations


@dataclass(frozen=True)
class DemoSeeder:
    order: int
    name: str
    # run(stdout) -> None; must be idempotent: running seed_demo twice changes nothing
    run: Callable


# The core's own entry: Django's admin (accounts, townships, villages, posts) for the county administrator.
nav_items: list[NavItem] = [
    NavItem(91, _("Settings"), "admin:index", lambda user: user.is_county_admin, group=_("System")),
]
cadre_panels: list[CadrePanel] = []
demo_seeders: list[DemoSeeder] = []


def register_nav(item: NavItem):
    if all(existing.url_name != item.url_name for existing in nav_items):
        nav_items.append(item)
        nav_items.sort(key=lambda entry: entry.order)


def register_cadre_panel(panel: CadrePanel):
    if all(existing.template_name != panel.template_name for existing in cadre_panels):
        cadre_panels.append(panel)
        cadre_panels.sort(key=lambda entry: entry.order)


def register_demo_seeder(seeder: DemoSeeder):
    if all(existing.name != seeder.name for existing in demo_seeders):
        demo_seeders.append(seeder)
        demo_seeders.sort(key=lambda entry: entry.order)
