"""The My work page: one person's issues, follow-ups, closing consultations and joint positions."""
