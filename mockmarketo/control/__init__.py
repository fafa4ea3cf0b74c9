"""The test-double toolkit around the SOAP endpoint: the /_mock/ control API, the request journal,
fault injection, emulated limits and isolated instances (see docs/control-api.md)."""
