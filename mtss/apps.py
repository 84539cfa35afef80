from django.contrib.admin.apps import AdminConfig


class SuperuserAdminConfig(AdminConfig):
    """django.contrib.admin with mtss.admin.SuperuserAdminSite as `admin.site`."""

    default_site = "mtss.admin.SuperuserAdminSite"
