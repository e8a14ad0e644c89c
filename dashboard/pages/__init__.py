"""The pages of the web app, one module each, registered with ``dash.register_page``."""
