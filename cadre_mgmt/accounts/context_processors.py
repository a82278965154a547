from django.conf import settings
from django.urls import reverse

from cadre_mgmt import registry


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"county_name": settings.COUNTY_NAME, "nav_items": []}
    items = []
    for item in registry.nav_items:
        if item.visible(user):
            url = reverse(item.url_name)
            items.append({"label": item.label, "url": url, "active": request.path.startswith(url) and url != "/"})
    return {"county_name": settings.COUNTY_NAME, "nav_items": items}
