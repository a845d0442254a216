"""Where briefgen's default templates and prompts live, how `briefgen init` copies them out,
and how briefgen writes any file of its own (atomically).

Both folders sit at the top of the repository, where people editing them will look. A wheel
build force-includes them into the package as briefgen/templates and briefgen/prompts (see
pyproject.toml), so an installed briefgen finds them with importlib.resources, while an
editable or source checkout finds them next to the package directory instead.
"""

from __future__ import annotations

import contextlib
import importlib.resources
import os
import secrets
import shutil
import stat
from pathlib import Path

from briefgen.errors import ConfigError

# The package directory's parent is the repository root in a source or editable checkout.
_REPO_ROOT = Path(__file__).resolve().parent.parent


def _resource_dir(name: str) -> Path:
    """The directory `name` inside the installed package, else at the repository root."""
    try:
        packaged = importlib.resources.files("briefgen") / name
    except ModuleNotFoundError:  # pragma: no cover - only if briefgen itself is broken
        packaged = None
    # Jinja's FileSystemLoader and shutil need a real directory. A wheel installed as files
    # gives a pathlib.Path; a zipped install would not, and is not supported (pip never
    # installs wheels zipped).
    if packaged is not None and packaged.is_dir():
        return Path(str(packaged))
    checkout = _REPO_ROOT / name
    if checkout.is_dir():
        return checkout
    raise ConfigError(
        f"briefgen's default {name} directory is missing: looked in the installed package and "
        f"in {checkout}; reinstall briefgen"
    )


def templates_dir() -> Path:
    """The directory holding the default Jinja templates (exec.md.j2 and friends)."""
    return _resource_dir("templates")


def prompts_dir() -> Path:
    """The directory holding the default LLM prompts."""
    return _resource_dir("prompts")


def _default_files(source: Path) -> list[Path]:
    """Files under `source` worth copying, relative to it, in a stable order.

    Dotfiles (.keep placeholders, editor droppings) and caches are not part of the defaults.
    """
    files = []
    for path in sorted(source.rglob("*")):
        rel = path.relative_to(source)
        if not path.is_file() or any(part.startswith(".") for part in rel.parts):
            continue
        if "__pycache__" in rel.parts:
            continue
        files.append(rel)
    return files


def write_defaults(target: Path, overwrite: bool = False) -> list[Path]:
    """Copy the default templates to target/templates and prompts to target/prompts.

    Returns the files written. Every destination is checked before anything is copied, so a
    refusal leaves the target untouched rather than half-written: without `overwrite`, an
    existing file raises ConfigError naming it (someone's edited template is worth more than
    our default).
    """
    target = Path(target)
    if target.exists() and not target.is_dir():
        raise ConfigError(f"{target} exists and is not a directory")

    plan: list[tuple[Path, Path]] = []
    for name, source in (("templates", templates_dir()), ("prompts", prompts_dir())):
        for rel in _default_files(source):
            plan.append((source / rel, target / name / rel))

    if not overwrite:
        existing = [dest for _, dest in plan if dest.exists()]
        if existing:
            more = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
            raise ConfigError(
                f"{existing[0]} already exists{more}; not overwriting (briefgen init --force does)"
            )

    written: list[Path] = []
    for src, dest in plan:
        if dest.is_dir():
            raise ConfigError(f"{dest} is a directory; cannot write a default file there")
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, dest)
        written.append(dest)
    return written


def write_atomically(target: Path, text: str) -> None:
    """Write `text` to `target` so that nobody ever reads half of it.

    The text goes to a hidden temporary file beside the target (hidden, so no folder walk
    takes it for an article or a manifest), is flushed to disk, then renamed over the
    target in one step. If anything fails, the target is as it was and the temporary gone.
    The file keeps the permission bits of the one it replaces, and a new one gets what the
    umask gives (a brief is for others to read: a web server serving it, say).
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = _create_beside(target)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as out:
            with contextlib.suppress(FileNotFoundError):
                os.chmod(out.fileno(), stat.S_IMODE(os.stat(target).st_mode))
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _create_beside(target: Path) -> tuple[int, str]:
    """A new hidden file beside `target`, created as open() creates files (0666 less the
    umask): tempfile.mkstemp would make it 0600, and the rename would pass that on."""
    while True:
        name = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), str(name)
        except FileExistsError:
            continue
