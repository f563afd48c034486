from django.db.models import Count
from django.shortcuts import get_object_or_404

from journal.models import CustomFactor, User


def f(user: User) -> None:
    a = get_object_or_404(CustomFactor.objects.annotate(value_count=Count("values")), pk=1)
    reveal_type(a)
    reveal_type(a.value_count)
