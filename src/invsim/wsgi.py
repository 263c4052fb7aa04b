"""WSGI entry point for gunicorn: `gunicorn invsim.wsgi:app`."""

from invsim.app import create_app

app = create_app()
