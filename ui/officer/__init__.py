"""The officer's workspace (petugas layanan): today's queue, the online board, the request wizard,
the conformity check, invoice and SPPD, the delivery checklist, search, and document preview/print."""
