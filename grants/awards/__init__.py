"""Awards and monitoring: offer and acceptance, tranches, milestones, returns, variations, closure."""
