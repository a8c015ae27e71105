"""Policy Influence Tracker: track policy issues and their climb up the influence ladder."""
