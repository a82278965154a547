"""Django admin strings that Django's own Chinese catalogue does not translate (Django 5.2).

Listed here so that ``makemessages`` puts them in the project's catalogue, which wins over Django's;
their Chinese is in locale/zh_Hans/fragments/wt_cadres2.json. Nothing imports this module.
"""

from django.utils.translation import gettext_noop

DJANGO_ADMIN_STRINGS = [
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
    gettext_noop("After you’ve created a user, you’ll be able to edit more user options."),
    gettext_noop("Error:"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("In case you’ve forgotten, you are:"),
]
