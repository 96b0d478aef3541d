"""Reading the files users give us (plans, waivers, signals, config, packs) with one set of clear errors.

Every problem becomes the caller's InputError subclass naming the file and, for validation, the field path.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, Callable, Iterator, Mapping, Sequence, Union

from pydantic import ValidationError

from .errors import InputError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib


MAX_FILE_BYTES = 32 * 1024 * 1024
"""Largest user file read (plan, waivers, signals, config, pack); ours are kilobytes, a signals file a few MiB."""


def open_regular(path: Union[str, Path], refuse: Callable[[str], Exception]) -> tuple[int, int]:
    """``(descriptor, size)`` of a regular file opened for reading; anything else raises ``refuse(message)``.

    Opened without blocking (a FIFO would otherwise wait for a writer) and checked on the open descriptor, so
    a FIFO, device, socket or directory is refused before any read, and a symlink is judged by what it points
    to (``/dev/zero`` is a device; a loop fails to open). The caller closes the descriptor.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise refuse("no such file") from None
    except IsADirectoryError:
        raise refuse("is a directory, not a file") from None
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise refuse("symbolic link loop") from None
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise refuse("is a directory, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise refuse("not a regular file (a device, FIFO or socket)")
    except BaseException:
        os.close(fd)
        raise
    return fd, info.st_size


def read_capped(path: Union[str, Path], cap: int, refuse: Callable[[str], Exception]) -> bytes:
    """The bytes of a regular file of at most ``cap`` bytes (see :func:`open_regular`); anything else raises
    ``refuse(message)``. The one way user files are read."""
    fd, size = open_regular(path, refuse)
    try:
        if size > cap:
            raise refuse(f"{size} bytes, over the {cap}-byte limit")
        with os.fdopen(fd, "rb") as handle:
            fd = -1
            data = handle.read(cap + 1)
    except OSError as exc:
        raise refuse(f"cannot read: {exc.strerror or exc}") from None
    finally:
        if fd >= 0:
            os.close(fd)
    if len(data) > cap:
        raise refuse(f"over the {cap}-byte limit")
    return data


def hidden_part(*paths: Union[str, Path]) -> str | None:
    """The first hidden name (``.git``, ``.env``) among the parts of ``paths``, or None.

    Snapshot files must not be hidden files or lie under hidden folders: those hold credentials and
    configuration (``.git/config``, ``.env``, ``.netrc``), and a snapshot is embedded in reports.
    """
    for path in paths:
        for part in Path(path).parts:
            if part.startswith(".") and part not in (".", ".."):
                return part
    return None


def unicode_name(name: str) -> str:
    """A file name as text every output can hold: the bytes of a name that is not UTF-8 (``bad\\xff.toml``, read
    by Python as lone surrogates) as ``\\xff`` escapes. UTF-8 files, JSON, TOML and a strict UTF-8 stdout cannot
    hold a lone surrogate (UnicodeEncodeError); the escape shows which byte it was."""
    try:
        return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a surrogate no file name decodes to
        return name.encode("utf-8", "backslashreplace").decode("utf-8")


def read_text(path: Path, error: type[InputError], cap: int = MAX_FILE_BYTES) -> str:
    """The file as text (UTF-8, an initial BOM dropped), read with :func:`read_capped`."""
    raw = read_capped(path, cap, lambda message: error(str(path), "", message))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(str(path), "", f"not UTF-8 text (byte {exc.start})") from None


def path_key(path: Path) -> str:
    """A path's resolved, case-normalised form (absolute when it cannot be resolved: a symlink loop)."""
    try:
        return os.path.normcase(str(path.resolve()))
    except (OSError, RuntimeError):
        return os.path.normcase(os.path.abspath(path))


def same_file(first: Path, second: Path) -> bool:
    """One file under two names (same resolved path, or the same inode through a hard link)."""
    try:
        if first.exists() and second.exists() and os.path.samefile(first, second):
            return True
    except OSError:
        pass
    return path_key(first) == path_key(second)


def write_atomic(path: Union[str, Path], text: str, error: Callable[[str], Exception] | None = None) -> None:
    """Write ``text`` (UTF-8) so that ``path`` holds either its old content or all of the new one.

    Errors are ``error(message)`` (default: a ScrapecheckError naming the path). See :func:`atomic_writer`.
    """
    with atomic_writer(path, "wb", error) as handle:
        handle.write(text.encode("utf-8"))


@contextlib.contextmanager
def atomic_writer(path: Union[str, Path], mode: str = "wb",
                  error: Callable[[str], Exception] | None = None) -> Iterator[IO[Any]]:
    """A handle to stream into; when the block ends without error, ``path`` holds all of it, else its old content.

    The one way scrapecheck writes a file (reports, signals files, audit outputs). A temporary file in the same
    folder is written, flushed to disk and renamed over ``path`` with the old file's permissions (new files:
    0666 less the umask); on any failure it is removed. A character device (``/dev/stdout``, ``/dev/null``, a
    symlink to one) is written through instead: renaming over it would replace the device node. A directory,
    FIFO or socket is refused. ``mode`` is ``"wb"`` or ``"w"`` (UTF-8, newlines untranslated). Errors are
    ``error(message)`` (default: a ScrapecheckError naming the path).
    """
    from .errors import ScrapecheckError

    def fail(message: str) -> Exception:
        return error(message) if error is not None else ScrapecheckError(f"{path}: {message}")

    def opened(target: Union[int, Path]) -> IO[Any]:
        if "b" in mode:
            return open(target, mode)  # noqa: SIM115 - closed by the caller's with
        return open(target, mode, encoding="utf-8", newline="")  # noqa: SIM115

    target = Path(path)
    folder, info = _writable(target, fail)
    kind = info.st_mode if info is not None else stat.S_IFREG
    if stat.S_ISCHR(kind):  # /dev/stdout, /dev/null: write through; renaming over it would replace the device
        try:
            with opened(target) as stream:
                yield stream
        except OSError as exc:
            raise fail(f"cannot write: {exc.strerror or exc}") from None
        return
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise fail(f"cannot write: {exc.strerror or exc}") from None
    try:
        with opened(fd) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, stat.S_IMODE(info.st_mode) if info is not None else 0o666 & ~_umask())
        os.replace(temporary, target)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise fail(f"cannot write: {exc.strerror or exc}") from None
        raise


def check_writable(path: Union[str, Path], error: Callable[[str], Exception] | None = None) -> None:
    """Raise what :func:`atomic_writer` would raise before writing a byte: ``path`` is a directory, a FIFO or
    socket, or its folder is missing. For commands that fetch before they write, so that the work is not done and
    then lost (``fetch PLAN -o missing/signals.json``). Errors as for :func:`atomic_writer`."""
    from .errors import ScrapecheckError

    def fail(message: str) -> Exception:
        return error(message) if error is not None else ScrapecheckError(f"{path}: {message}")

    _writable(Path(path), fail)


def _writable(target: Path, fail: Callable[[str], Exception]) -> tuple[Path, os.stat_result | None]:
    """``(folder, stat of target or None)`` for writing ``target``, or ``fail(message)``."""
    folder = target.parent if str(target.parent) else Path(".")
    if target.is_dir():
        raise fail("cannot write: is a directory")
    try:
        info: os.stat_result | None = os.stat(target)
    except OSError:
        info = None
    kind = info.st_mode if info is not None else stat.S_IFREG
    if stat.S_ISCHR(kind):
        return folder, info
    if not stat.S_ISREG(kind):
        raise fail("cannot write: not a regular file (a FIFO or socket)")
    if not folder.is_dir():
        raise fail(f"cannot write: {str(folder)!r} is not a folder" if folder.exists()
                   else f"cannot write: no such folder {str(folder)!r}")
    return folder, info


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current


MAX_DEPTH = 64
"""Deepest nesting of tables and arrays accepted in a user file; ours need a handful of levels."""


def _depth_over(data: Any, limit: int) -> bool:
    """True when ``data`` nests dicts and lists more than ``limit`` levels deep (iterative: no recursion)."""
    stack = [(data, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False


def load_document(path: Union[str, Path], error: type[InputError]) -> Any:
    """A ``.toml`` or ``.json`` file decoded; the suffix decides the syntax.

    Nesting deeper than :data:`MAX_DEPTH` (or too deep for the decoder) is the caller's error, "nested too deeply".
    """
    path = Path(path)
    data = _decode(path, error)
    if _depth_over(data, MAX_DEPTH):
        raise error(str(path), "", f"nested too deeply (more than {MAX_DEPTH} levels of tables or arrays)")
    return data


class _DuplicateKey(ValueError):
    """A JSON object that names a key twice (``json`` keeps the last silently; TOML refuses it)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """``object_pairs_hook`` of :func:`_decode`: the object, or :class:`_DuplicateKey` naming the repeated key.

    A reader of ``{"authentication": "fake-accounts", "authentication": "none"}`` sees fake accounts where the
    decoder keeps "none"; which one counts differs between JSON readers, so neither is guessed."""
    table = dict(pairs)
    if len(table) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return table


def _value_problem(exc: ValueError) -> str:
    """A decoder's ValueError that is not a syntax error: an integer past Python's digit limit."""
    if "digits" in str(exc):
        limit = sys.get_int_max_str_digits() if hasattr(sys, "get_int_max_str_digits") else 4300
        return f"an integer of more than {limit} digits"
    return str(exc)


def _decode(path: Path, error: type[InputError]) -> Any:
    suffix = path.suffix.lower()
    if suffix not in (".toml", ".json"):
        raise error(str(path), "", "the file must end in .toml or .json")
    text = read_text(path, error)
    if suffix == ".toml":
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise error(str(path), "", f"invalid TOML: {exc}") from None
        except RecursionError:
            raise error(str(path), "", "invalid TOML: nested too deeply") from None
        except ValueError as exc:
            raise error(str(path), "", f"invalid TOML: {_value_problem(exc)}") from None
    try:
        return json.loads(text, object_pairs_hook=_unique_keys)
    except json.JSONDecodeError as exc:
        raise error(str(path), "", f"invalid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except _DuplicateKey as exc:
        raise error(str(path), "", f"invalid JSON: the key {exc.args[0]!r} is given twice in one object") from None
    except RecursionError:
        raise error(str(path), "", "invalid JSON: nested too deeply") from None
    except ValueError as exc:
        raise error(str(path), "", f"invalid JSON: {_value_problem(exc)}") from None


def field_path(loc: Sequence[Union[int, str]]) -> str:
    """``("targets", 0, "url")`` → ``targets[0].url``."""
    parts: list[str] = []
    for item in loc:
        parts.append(f"[{item}]" if isinstance(item, int) else ("." if parts else "") + str(item))
    return "".join(parts)


def problem_message(error: Mapping[str, Any]) -> str:
    """pydantic's message in our words: "unknown key", "required key missing", or its text without prefix."""
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "required key missing"
    message = str(error["msg"])
    return message[len("Value error, "):] if message.startswith("Value error, ") else message


def problems(exc: ValidationError) -> list[tuple[str, str]]:
    """Every (field path, message) of a validation error, in pydantic's order."""
    return [(field_path(error["loc"]), problem_message(error)) for error in exc.errors()]


def first_problem(exc: ValidationError) -> tuple[str, str]:
    """The first problem, its message noting how many more there are."""
    found = problems(exc)
    path, message = found[0]
    more = len(found) - 1
    if more:
        message += f" (and {more} more problem{'s' if more > 1 else ''})"
    return path, message
