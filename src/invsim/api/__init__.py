"""HTTP plumbing shared by every domain's api module: errors, schemas, security, health."""
