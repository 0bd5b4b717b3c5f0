"""Bidding pages: council pages (council.py, sections.py) and staff pages (staff.py, builder.py)."""
