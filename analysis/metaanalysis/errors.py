"""The exceptions the package raises for bad input.

Every message is one line that names where the problem is (the file, row and column, or the
argument and its value) so that a user can fix it without reading a traceback.
"""


class InputError(ValueError):
    """Bad input: a malformed data file or an invalid argument to a public function."""


class DataFileError(InputError):
    """A data file that cannot be read or does not satisfy its schema in ``datapackage.json``."""


class ConvergenceError(RuntimeError):
    """An iterative fit did not converge; the message names the estimator or function and its
    iterations."""
