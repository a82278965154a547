from django.conf import settings
from django.urls import reverse

from cadre_mgmt import registry


def _is_active(request, url):
    return url != "/" and request.path.startswith(url)


def _mark_the_closest(links):
    """Only the entry whose address is the longest prefix of the page's is active: /incentives/reserves/ is
    the reserve pool's page, not also the incentives' (whose list lives at /incentives/)."""
    matching = [link for link in links if link["active"]]
    closest = max((len(link["url"]) for link in matching), default=0)
    for link in matching:
        link["active"] = len(link["url"]) == closest


def navigation(request):
    """The header's navigation for this user.

    ``nav_items``: every visible entry, flat, in order. ``nav_entries``: what the header shows, in order —
    a plain link ``{"label", "url", "active"}``, or a dropdown ``{"group", "links", "active"}`` where the
    entries of one ``NavItem.group`` gather (at the place of the group's first entry). A group the user sees
    only one entry of is shown as that plain link: no dropdown of one, and never an empty one.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"county_name": settings.COUNTY_NAME, "nav_items": [], "nav_entries": []}
    items = []
    entries = []
    groups = {}
    for item in registry.nav_items:
        # A cadre account sees its own pages only (``me:``), whatever an entry's ``visible`` says.
        if not item.visible(user) or (user.is_cadre and not item.url_name.startswith("me:")):
            continue
        url = reverse(item.url_name)
        link = {"label": item.label, "url": url, "active": _is_active(request, url), "group": str(item.group)}
        items.append(link)
        if not item.group:
            entries.append(link)
        elif str(item.group) in groups:
            groups[str(item.group)]["links"].append(link)
        else:
            groups[str(item.group)] = {"group": item.group, "links": [link]}
            entries.append(groups[str(item.group)])
    _mark_the_closest(items)
    nav_entries = []
    for entry in entries:
        if "links" in entry and len(entry["links"]) == 1:
            entry = entry["links"][0]
        elif "links" in entry:
            entry["active"] = any(link["active"] for link in entry["links"])
        nav_entries.append(entry)
    return {"county_name": settings.COUNTY_NAME, "nav_items": items, "nav_entries": nav_entries}
