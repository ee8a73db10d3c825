"""Exceptions raised by library code; cli.py turns them into messages and exit codes."""

from __future__ import annotations


class CleanerError(Exception):
    """Base class: the message is meant for a person and says what to do."""


class ConfigError(CleanerError):
    """A configuration file or option is wrong (exit 2)."""


class InputError(CleanerError):
    """One input file cannot be processed (exit 123; the others still are)."""


class BinaryFileError(InputError):
    """The file holds binary data, not text."""


class DecodeError(InputError):
    """The file's bytes are not text in an encoding we can keep byte for byte."""


class TooLargeError(InputError):
    """The file is over the configured size limit; it is refused before it is read."""


class WriteError(InputError):
    """The cleaned file could not be written; the original is left as it was."""


class ChangedOnDiskError(WriteError):
    """The file changed between reading and writing; the newer version is kept."""
