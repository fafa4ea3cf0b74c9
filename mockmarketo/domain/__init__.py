"""Marketo's behaviour, free of XML and SQL: errors, lead fields, authentication, matching and the lead operations."""
