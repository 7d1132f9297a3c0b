"""The errors a user can act on. Each message says what was wrong; the CLI prints it as one line
and exits 2, the API answers 4xx. Anything else (a plain ValueError included) is a bug and keeps
its traceback."""


class PolicyKGError(Exception):
    """A refusal the user can act on."""


class InputError(PolicyKGError, ValueError):
    """Bad input: a plan file, a query, a parameter, a setting."""


__all__ = ["InputError", "PolicyKGError"]
