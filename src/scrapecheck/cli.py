"""The ``scrapecheck`` command: builds the parser from ``commands.COMMANDS``, runs one, maps errors to exit 2.

Results on stdout, diagnostics on stderr; only ``main`` exits (through its return value).
Exit status: 0 nothing at or above ``--fail-on``; 1 findings at or above it; 2 wrong input or invocation (or an
internal error, reported with its traceback: never 1, which CI reads as findings).
"""

from __future__ import annotations

import argparse
import enum
import gc
import os
import sys
import types
from typing import TYPE_CHECKING, NoReturn, Optional, Sequence

from ._version import __version__
from .errors import ScrapecheckError, UsageError

if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec


class Exit(enum.IntEnum):
    OK = 0
    FINDINGS = 1
    USAGE = 2


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as exit 2 through ``main`` instead of exiting itself."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{self.prog}: {message}")


def version_line() -> str:
    """``scrapecheck 0.1.0 (policy pack of 2026-11-30: 92 rules, 71 sources)``: the pack's date is the latest
    date its sources were re-checked, so a reader knows how current the legal basis is."""
    from .api import default_policy

    policy = default_policy()
    dates = [source.checked for source in policy.sources.values() if source.checked is not None]
    dated = f"policy pack of {max(dates).isoformat()}" if dates else "policy pack (undated)"
    return f"scrapecheck {__version__} ({dated}: {len(policy.rules)} rules, {len(policy.sources)} sources)"


class _Version(argparse.Action):
    """``--version``: computed only when asked, so building the parser does not load the policy pack."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: object, values: object,
                 option_string: Optional[str] = None) -> None:
        from .commands._output import out

        out(version_line() + "\n")
        raise _Done()


class _Done(Exception):
    """Raised after ``--version`` printed: nothing left to run."""


def _parser() -> argparse.ArgumentParser:
    from .commands import COMMANDS

    parser = _Parser(prog="scrapecheck", description=(
        "Check a crawl plan against site policies and the law; findings come with evidence and sources."))
    parser.add_argument("--version", action=_Version, nargs=0,
                        help="show the version and the date of the bundled policy pack, then exit")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in COMMANDS.values():
        module.add_parser(subparsers)
    return parser


def _dispatch(args: argparse.Namespace) -> int:
    from .commands import COMMANDS

    module = COMMANDS.get(args.command or "")
    if module is None:
        raise UsageError("scrapecheck: a command is required (see scrapecheck --help)")
    return int(module.run(args))


def _visible(error: object) -> str:
    """An error message on one line, control and bidi characters (from files, sites, arguments) as escapes."""
    from .formats._escape import visible

    return visible(error)


GC_THRESHOLD = 100_000
"""Container allocations between two young garbage collections while a command runs (Python's default is 700).

A run starts by creating hundreds of thousands of objects that live to its end (modules, classes, models, the
rule packs), and with the default the collector traverses them again and again: tens of milliseconds of a
``scrapecheck check`` that should take a few hundred (issue 10). Objects are still freed by reference counting
as usual, and unreachable cycles are still collected, after at most this many allocations, so memory stays
bounded; the previous thresholds are restored when ``main`` returns."""


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Run the command line; returns the exit status (the console script exits with it)."""
    thresholds = gc.get_threshold()
    gc.set_threshold(max(GC_THRESHOLD, thresholds[0]), *thresholds[1:])
    try:
        return _main(argv)
    finally:
        gc.set_threshold(*thresholds)


PYDANTIC_PLUGINS = "PYDANTIC_DISABLE_PLUGINS"
"""pydantic's documented switch for its plugins (``__all__``: none, ``""``: all, else names to skip)."""

_PLUGIN_LOADER = "pydantic.plugin._loader"


class _PluginsOff:
    """With every pydantic plugin off, pydantic's plugin loader without its import of ``importlib.metadata``.

    pydantic imports its loader module when it builds its first validator, and that module imports
    ``importlib.metadata`` (and through it ``email``, ``zipfile``, ``csv``, ...: about 3% of a ``scrapecheck
    check``, issue 10) only to look up plugins, which ``PYDANTIC_DISABLE_PLUGINS=__all__`` then skips. This
    import hook, installed by :func:`console` only when the variable says ``__all__``, serves that module once,
    as a module whose ``get_plugins()`` answers what pydantic's answers under that setting: no plugins. Anything
    else asked of the module, or a ``get_plugins()`` call once the variable says otherwise, runs pydantic's own
    loader code in it first, so its behaviour is pydantic's in every case.
    """

    def find_spec(self, name: str, path: Optional[Sequence[str]] = None,
                  target: Optional[types.ModuleType] = None) -> Optional[ModuleSpec]:
        if name != _PLUGIN_LOADER:
            return None
        sys.meta_path.remove(self)
        from importlib.machinery import ModuleSpec

        return ModuleSpec(name, self, origin="scrapecheck.cli (plugins off)")  # type: ignore[arg-type]

    def create_module(self, spec: ModuleSpec) -> None:
        return None  # the default module

    def exec_module(self, module: types.ModuleType) -> None:
        namespace = vars(module)

        def real() -> dict[str, object]:
            """pydantic's loader code, run in this module once (it then holds pydantic's own definitions)."""
            if namespace.pop("__getattr__", None) is not None:
                from importlib.machinery import PathFinder

                spec = PathFinder.find_spec(_PLUGIN_LOADER, sys.modules["pydantic.plugin"].__path__)
                if spec is None or spec.loader is None:
                    raise ImportError(f"cannot find {_PLUGIN_LOADER}", name=_PLUGIN_LOADER)
                spec.loader.exec_module(module)
            return namespace

        def get_plugins(*args: object, **kwargs: object) -> object:
            # Takes whatever pydantic's own takes, so a pydantic that adds parameters still works.
            if os.environ.get(PYDANTIC_PLUGINS) == "__all__":
                return ()
            return real()["get_plugins"](*args, **kwargs)  # type: ignore[operator]

        def __getattr__(name: str) -> object:  # noqa: N807 - a module's __getattr__ (PEP 562)
            if name.startswith("__"):  # the import system asks for __path__ and the like: not pydantic's code
                raise AttributeError(f"module {_PLUGIN_LOADER!r} has no attribute {name!r}")
            try:
                return real()[name]
            except KeyError:
                raise AttributeError(f"module {_PLUGIN_LOADER!r} has no attribute {name!r}") from None

        namespace["get_plugins"] = get_plugins
        namespace["__getattr__"] = __getattr__


def console() -> NoReturn:
    """The ``scrapecheck`` executable (and ``python -m scrapecheck``): run :func:`main` and exit with its status.

    Before the interpreter shuts down, every object still alive is moved out of the collector's reach
    (``gc.freeze``): they are all freed at exit anyway, and the collections Python runs while shutting down
    would otherwise traverse all of them, tens of milliseconds of a short run (issue 10). Shutdown is otherwise
    the normal one: ``atexit`` handlers run and files are flushed. Not in ``main``, which tests and callers may
    run in a process that lives on.

    The executable also turns pydantic plugins off (``PYDANTIC_DISABLE_PLUGINS=__all__``) unless the variable
    is already set: the first validator pydantic builds would otherwise scan the entry points of every installed
    distribution for plugins (about 10 ms of a ``check``, more in large environments), and a plugin could only
    observe scrapecheck's own internal models. Set ``PYDANTIC_DISABLE_PLUGINS=`` (empty) to have them loaded.
    Only the executable does this: ``main`` and the library leave the environment alone."""
    os.environ.setdefault(PYDANTIC_PLUGINS, "__all__")
    if os.environ[PYDANTIC_PLUGINS] == "__all__" and _PLUGIN_LOADER not in sys.modules:
        sys.meta_path.insert(0, _PluginsOff())
    status = main()
    gc.freeze()
    sys.exit(status)


def _main(argv: Optional[Sequence[str]]) -> int:
    try:
        parser = _parser()
        try:
            args = parser.parse_args(argv)
        except _Done:
            from .commands._output import flush_stdout

            flush_stdout()
            return Exit.OK
        status = int(_dispatch(args))
        from .commands._output import flush_stdout

        flush_stdout()  # a full disk or an I/O error on stdout is exit 2 with one line, not a failure at exit
        return status
    except UsageError as exc:
        sys.stderr.write(f"{_visible(exc)}\n")
        return Exit.USAGE
    except ScrapecheckError as exc:
        sys.stderr.write(f"scrapecheck: error: {_visible(exc)}\n")
        return Exit.USAGE
    except KeyboardInterrupt:
        sys.stderr.write("scrapecheck: interrupted\n")
        return 130
    except BrokenPipeError:
        return Exit.OK
    except Exception as exc:  # a bug: its traceback for the report, and 2, since 1 would read as "findings"
        import traceback

        traceback.print_exc(file=sys.stderr)
        sys.stderr.write(f"scrapecheck: internal error (a bug; please report it with the traceback above): "
                         f"{_visible(f'{type(exc).__name__}: {exc}')}\n")
        return Exit.USAGE


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
