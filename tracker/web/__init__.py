"""The web server around the pages (``st.App`` in app.py): the sign-in cookie routes, the calendar
feed, the health route, hardening middleware and the lifespan. Nothing here imports ``tracker.ui``:
the pages use this package (the cookie hand-off, the base path), never the reverse."""
