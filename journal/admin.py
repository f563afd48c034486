from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from journal import models


@admin.register(models.User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "first_name", "time_zone", "is_staff", "date_joined"]
    search_fields = ["email", "first_name"]
    fieldsets = [
        (None, {"fields": ["email", "password", "first_name", "last_name"]}),
        (
            "Journal settings",
            {
                "fields": [
                    "time_zone",
                    "fluid_unit",
                    "fluid_target_ml",
                    "fluid_restricted",
                    "night_boundary_hour",
                    "theme",
                    "dim_at_night",
                    "night_hours_start",
                    "night_hours_end",
                ]
            },
        ),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class EpisodeInline(admin.TabularInline):
    model = models.CrampEpisode
    extra = 0


@admin.register(models.Night)
class NightAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "quality"]
    list_filter = ["quality"]
    search_fields = ["user__email"]
    date_hierarchy = "date"
    list_select_related = ["user"]
    inlines = [EpisodeInline]


class ExerciseInline(admin.TabularInline):
    model = models.ExerciseSession
    extra = 0


class CustomValueInline(admin.TabularInline):
    model = models.CustomFactorValue
    extra = 0


@admin.register(models.DayFactors)
class DayFactorsAdmin(admin.ModelAdmin):
    list_display = ["date", "user", "fluids_ml", "hours_on_feet"]
    search_fields = ["user__email"]
    date_hierarchy = "date"
    list_select_related = ["user"]
    inlines = [ExerciseInline, CustomValueInline]


@admin.register(models.CustomFactor)
class CustomFactorAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "kind", "archived"]
    search_fields = ["name", "user__email"]


class DoseInline(admin.TabularInline):
    model = models.DoseTaken
    extra = 0


@admin.register(models.Medication)
class MedicationAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "drug_class", "kind", "started_on", "stopped_on"]
    list_filter = ["drug_class", "kind"]
    search_fields = ["name", "user__email"]
    inlines = [DoseInline]


@admin.register(models.RedFlagChecklist)
class RedFlagChecklistAdmin(admin.ModelAdmin):
    list_display = ["answered_on", "user", "created_at"]
    search_fields = ["user__email"]
    date_hierarchy = "answered_on"
    list_select_related = ["user"]
    readonly_fields = ["created_at"]
