"""Documents out of PST Desktop, rendered from plain data: PDFs (fpdf2 + qrcode) and Excel (openpyxl).
Nothing here opens a database session or imports Qt."""
