"""What briefgen's exit status says, for scripts and cron: one table, shown by `--help`.

The numbers live here, and each exception class in errors.py carries the one its kind of
failure ends with, so the CLI never decides a number case by case.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    OK = 0
    PROBLEMS = 1  # the output was made, but something the user asked for is missing from it
    USAGE = 2  # click's own code for a bad command line; bad settings and templates join it
    NO_INPUT = 3
    ENDPOINT = 4
    OUTPUT = 5
    BATCH_PENDING = 75  # EX_TEMPFAIL of BSD's sysexits: the work is queued, run again later


# The `\b` keeps click from re-wrapping the table in --help.
EPILOG = """\b
Exit status:
  0  success
  1  made, with problems to see: a path given could not be read, parts of
     articles are missing, the brief is empty (files skipped inside a
     folder count only with --strict)
  2  usage error: a bad option, argument, settings file or templates folder
  3  no readable input: nothing could be read, standard input is closed,
     a path does not exist
  4  the model failed: its endpoint unreachable, refusing, or faulty past
     the retries, or no valid answer
  5  the output could not be written: a template failed, or FILE cannot
     be written
  75 a batch of model calls is queued or still running (make --batch):
     run the same command again later to collect it"""
