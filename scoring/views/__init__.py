"""Assessment pages: the assessor's (assessor.py), the managers' set-up (setup.py) and results (results.py)."""
