"""Key providers: who wraps and unwraps the data keys (a local keyring or AWS KMS)."""
