"""PySide6 screens of PST Desktop. They call ``pstdesktop.services`` and show results and errors;
they never import SQLAlchemy or write SQL."""
