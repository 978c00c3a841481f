"""Typed errors. Library code raises these; only ``kg.cli`` turns them into messages and exit codes."""


class KgError(Exception):
    """Base of every error kg raises on purpose."""


class InputError(KgError):
    """A file or path that cannot be read as a news page (missing, binary, undecodable …).

    ``path`` names the file; the message says what is wrong and what kg did about it.
    """

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class InputWarning(KgError):
    """Something about a path worth telling the user that did not stop kg from reading what
    it could (a directory loop not followed, a file name that is not UTF-8 …)."""

    def __init__(self, path: str, problem: str):
        self.path = path
        self.problem = problem
        super().__init__(f"{path}: {problem}")


class UsageError(KgError):
    """Bad arguments or options (unknown parameter, malformed --year …)."""


class GoldFormatError(KgError):
    """A gold or prediction JSONL file that does not follow SCHEMA.md (``line`` 0: the file
    itself cannot be read)."""

    def __init__(self, path: str, line: int, problem: str):
        self.path, self.line, self.problem = path, line, problem
        super().__init__(f"{path}:{line}: {problem}" if line else f"{path}: {problem}")


class NameNotFound(UsageError):
    """A name given for a person, post, project or event that picks no node of the build (or
    several where one is needed); ``candidates`` are the names or ids to offer instead."""

    def __init__(self, message: str, text: str, candidates=()):
        self.text = text
        self.candidates = list(candidates)
        super().__init__(message)
