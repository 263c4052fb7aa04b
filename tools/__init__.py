"""Developer tools run by `make lint` (not shipped with the package)."""
