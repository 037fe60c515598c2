"""PST Desktop core: configuration, database, migrations and the services of the PST procedure."""

__version__ = "0.1.0"
APP_NAME = "PST Desktop"
APP_AUTHOR = "BPS"
