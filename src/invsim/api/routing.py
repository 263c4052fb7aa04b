"""Routing rules: bounded ids in paths, and 404 (not 405) for paths no API route knows.

Ids are PostgreSQL INTEGER columns (and SQLite's 64-bit integers): a larger number in
a path reached the query and failed with a server error. Flask's `int` converter is
replaced by one with a maximum, so such a path matches no route and answers 404 in the
error shape before any code runs.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, current_app, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import IntegerConverter, Map

# The web app's catch-all GET route: matching only it does not make a path known.
APP_SHELL_ENDPOINT = "frontend.app_shell"

# The largest PostgreSQL INTEGER: every id column is one.
MAX_ID = 2**31 - 1


class BoundedIdConverter(IntegerConverter):
    """Flask's `int` converter (digits only, no sign) limited to 0..MAX_ID."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


def unknown_path_is_not_found() -> None:
    """Turn a 405 into a 404 when the only route matching the path is the web app's shell.

    The shell answers GET for every path, so `POST /api/v1/nonexistent` used to be
    "method not allowed" as if the path existed.
    """
    error = request.routing_exception
    if not isinstance(error, MethodNotAllowed):
        return
    adapter = current_app.url_map.bind_to_environ(request.environ)
    for method in error.valid_methods or []:
        try:
            rule, _ = adapter.match(request.path, method=method, return_rule=True)
        except HTTPException:  # the matcher may list a method it then does not match
            continue
        if rule.endpoint != APP_SHELL_ENDPOINT:
            return
    request.routing_exception = NotFound()


def register_routing(app: Flask) -> None:
    """Install the bounded converter as `int` (before any route is added), and the 404 rule."""
    app.url_map.converters["int"] = BoundedIdConverter
    app.before_request(unknown_path_is_not_found)
