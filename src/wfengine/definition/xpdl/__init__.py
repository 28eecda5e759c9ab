"""The XPDL codec: hardened XML parsing, reading 1.0/2.0/2.1/2.2, writing 2.2, schema checks."""
