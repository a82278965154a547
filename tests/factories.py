import datetime
import itertools

import factory

from cadre_mgmt.accounts.models import User
from cadre_mgmt.cadres import idnumbers
from cadre_mgmt.cadres.models import Cadre, Post, Township, Village

_serials = itertools.count(1)


def make_id_number(birth=datetime.date(1980, 5, 17), *, female=False, region="990101"):
    """A fresh valid ID number each call (invented region code)."""
    serial = next(_serials) % 500 * 2 + (0 if female else 1)
    first17 = f"{region}{birth:%Y%m%d}{serial:03d}"
    return first17 + idnumbers.check_digit(first17)


class TownshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Township
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试{n}镇")


class VillageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Village

    township = factory.SubFactory(TownshipFactory)
    name = factory.Sequence(lambda n: f"测试{n}村")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    role = User.Role.COUNTY_ADMIN

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or "Test@Password2026")
        if create:
            obj.save(update_fields=["password"])


class CadreFactory(factory.django.DjangoModelFactory):
    """Builds a cadre directly (tests of services use the services themselves)."""

    class Meta:
        model = Cadre

    village = factory.SubFactory(VillageFactory)
    township = factory.LazyAttribute(lambda o: o.village.township)
    name = factory.Sequence(lambda n: f"干部{n}")
    first_appointed_on = datetime.date(2015, 3, 1)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        number = kwargs.pop("id_number", None) or make_id_number()
        posts = kwargs.pop("posts", None)
        cadre = model_class(*args, **kwargs)
        cadre.assign_id_number(idnumbers.parse_id_number(number))
        cadre.save()
        cadre.posts.set(posts if posts is not None else [Post.objects.get(code="member")])
        return cadre
