"""The supervisor's administration screens (office profile, accounts, backups, shared database) and
the start-up check of the database file."""

from ui.admin.dialog import AdminDialog
from ui.admin.startup import check_database_file

__all__ = ["AdminDialog", "check_database_file"]
