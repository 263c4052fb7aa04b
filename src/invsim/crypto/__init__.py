"""Envelope encryption of personal data: key providers (local, aws-kms) and encrypted columns."""
