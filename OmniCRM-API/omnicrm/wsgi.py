"""WSGI entry point for production servers: gunicorn 'omnicrm.wsgi:app'."""

from omnicrm.app import create_app

app = create_app()
