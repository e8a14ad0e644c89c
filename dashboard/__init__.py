"""The parkcap web app (Dash). Built in a later step; see ``dashboard.create_app``."""
