"""The shipped packs in a pre-validated form, so a run loads them in milliseconds instead of validating TOML.

Validating ``policies/*.toml`` means parsing 300 KB of TOML in pure Python and building the validators of some
forty models: a large part of a ``scrapecheck check`` run (issue 10). The result is the same every time for the
same files, so ``python -m scrapecheck.docs`` (or ``pytest --update-golden``) validates the shipped packs with
:func:`~scrapecheck.policy.load.load_policy` and stores the :class:`Policy` pickled in ``bundled.pickle`` next to
this module, with a digest of everything it was made from: the pack files and the modules that define and check
the models.

:func:`load_bundled` returns it only when that digest matches the files on disk now. A pack or a model edited and
not regenerated, a missing or unreadable file, or a pickle this Python cannot read gives None, and the caller
validates the TOML as before: slower, never wrong or stale. A test regenerates the form and compares it with a
fresh validation. A ``--policies`` directory given by a user is always validated; this form is only ever read
from the package's own directory, so it is as trusted as the code beside it.
"""

from __future__ import annotations

import hashlib
import io
import pickle
from dataclasses import replace
from pathlib import Path
from typing import Any, Optional

from .load import Policy, default_policy_dir

FORMAT = 1
"""Bumped when the stored layout changes."""
PICKLE = Path(__file__).with_name("bundled.pickle")
PROTOCOL = 4
_PACKAGE = Path(__file__).resolve().parent.parent
MODEL_SOURCES = ("policy/models.py", "policy/files.py", "policy/kinds.py", "policy/load.py", "plan.py",
                 "report.py", "_model.py")
"""Modules whose code decides what a validated pack is; a change to any of them makes the stored form stale."""


def digest(root: Path) -> str:
    """SHA-256 over the pack files of ``root`` (names and bytes) and the model sources (:data:`MODEL_SOURCES`)."""
    sha = hashlib.sha256(f"scrapecheck-bundled-policy/{FORMAT}\n".encode())
    for path in sorted(root.glob("*.toml")):
        data = path.read_bytes()
        sha.update(f"pack {path.name} {len(data)}\n".encode())
        sha.update(data)
    for name in MODEL_SOURCES:
        data = (_PACKAGE / name).read_bytes()
        sha.update(f"module {name} {len(data)}\n".encode())
        sha.update(data)
    return sha.hexdigest()


class _Pickler(pickle._Pickler):  # the pure-Python pickler: the C one writes sets in hash order
    """Sets of strings are written sorted, so the same policy gives the same bytes whatever the hash seed."""

    dispatch = pickle._Pickler.dispatch.copy()

    def _save_set(self, obj: Any) -> None:
        items = sorted(obj) if all(type(item) is str for item in obj) else list(obj)
        self.save_reduce(type(obj), (items,), obj=obj)  # type: ignore[attr-defined]  # typeshed lacks it

    dispatch[set] = _save_set  # type: ignore[assignment]
    dispatch[frozenset] = _save_set  # type: ignore[assignment]


def dumps(policy: Policy, root: Path) -> bytes:
    """The stored form of ``policy``, validated from the packs in ``root``: digest, then the policy (file names
    relative, so the form does not depend on where the package is installed)."""
    stored = replace(policy, files=tuple(Path(name).name for name in policy.files))
    buffer = io.BytesIO()
    buffer.write(_header(root))
    _Pickler(buffer, protocol=PROTOCOL).dump(stored)
    return buffer.getvalue()


def _header(root: Path) -> bytes:
    """The first line of the stored form: what it is and the digest it was made from, read before unpickling."""
    return f"scrapecheck-bundled-policy {FORMAT} {digest(root)}\n".encode()


def load_bundled(root: Optional[Path] = None, path: Path = PICKLE) -> Optional[Policy]:
    """The pre-validated policy of ``root`` (default: the shipped packs), or None when the stored form is
    missing, unreadable or was made from other files than those in ``root`` now."""
    try:
        root = root if root is not None else default_policy_dir()
        data = path.read_bytes()
        header = _header(root)
        if not data.startswith(header):  # made from other packs or models: stale, never unpickled
            return None
        policy = pickle.loads(data[len(header):])  # noqa: S301 - our own file, see the module docstring
    except Exception:  # any problem means "validate instead", which reports real errors properly
        return None
    if not isinstance(policy, Policy):
        return None
    return replace(policy, files=tuple(str(root / name) for name in policy.files))


def write(root: Optional[Path] = None, path: Path = PICKLE) -> bool:
    """Validate the packs of ``root`` (default: the shipped ones) and store them at ``path``; returns whether the
    file changed."""
    from .load import load_policy

    root = root if root is not None else default_policy_dir()
    data = dumps(load_policy(root), root)
    if path.exists() and path.read_bytes() == data:
        return False
    path.write_bytes(data)
    return True


__all__ = ["FORMAT", "MODEL_SOURCES", "PICKLE", "digest", "dumps", "load_bundled", "write"]
