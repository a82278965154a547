"""Extension points that let feature apps add to core pages without the core importing them.

Feature apps register in their ``AppConfig.ready()``:

* ``nav_items``: entries in the top navigation, shown when ``visible(user)`` is true;
* ``cadre_panels``: sections of the cadre file (rank history, assessments, records ...);
* ``demo_seeders``: steps of ``manage.py seed_demo``, run in ``order``.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class NavItem:
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


@dataclass(frozen=True)
class DemoSeeder:
    order: int
    name: str
    # run(stdout) -> None; must be idempotent: running seed_demo twice changes nothing
    run: Callable


nav_items: list[NavItem] = []
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
