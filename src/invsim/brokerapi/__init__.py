"""The Alpaca-compatible layer: API keys, `/alpaca/v2` wire shapes and streams.

It calls the other domains' services only; it has no trading engine of its own.
"""
