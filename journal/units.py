"""Fluid units. Volumes are stored in millilitres and shown in the user's unit."""

from django.db import models

ML_PER_US_FL_OZ = 29.5735


class FluidUnit(models.TextChoices):
    ML = "ml", "millilitres (ml)"
    US_FL_OZ = "floz", "US fluid ounces (fl oz)"


def ml_to_unit(ml: int, unit: str) -> float:
    if unit == FluidUnit.US_FL_OZ:
        return round(ml / ML_PER_US_FL_OZ, 1)
    return ml


def unit_to_ml(amount: float, unit: str) -> int:
    if unit == FluidUnit.US_FL_OZ:
        return round(amount * ML_PER_US_FL_OZ)
    return round(amount)


def unit_label(unit: str) -> str:
    return "fl oz" if unit == FluidUnit.US_FL_OZ else "ml"
