"""Real SOAP clients calling any mktows operation, for the `interop` tests.

- One driver per client: zeep_driver.py, suds_driver.py (sharing driver_loop.py), php_driver.php,
  node_driver.js, JaxwsDriver.java. Each takes ENDPOINT USER_ID SECRET_KEY and then either OPERATION
  PARAMS_JSON (one call) or one JSON line per call on stdin; it answers one JSON line per call
  (driver_loop.py describes both). drivers.py installs the clients through ../shared/clients and runs
  the drivers as long-lived processes.
- cases.py: a representative request of each of the 23 operations, the params the journal must show,
  seeds and success checks; documented_answers.py: a success answer of each in the docs' shapes.
"""
