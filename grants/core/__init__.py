"""The shared core: audit, money, dates, GOV.UK form fields, downloads, service errors and the
status machine. It imports no domain code (no models of any app), so every layer can use it."""
