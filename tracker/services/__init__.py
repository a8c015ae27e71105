"""Use cases. Each takes the database and the acting user, checks the role again, and
never imports streamlit."""
