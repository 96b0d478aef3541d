"""Signals from the plan's own robots.txt snapshots, and signals files written by ``scrapecheck fetch``."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Union

from pydantic import ValidationError

from .._files import first_problem, load_document, write_atomic
from ..errors import ScrapecheckError, SignalsError
from ..plan import CrawlPlan
from ..robots import MAX_BYTES
from .model import Signals


def from_plan(plan: CrawlPlan) -> Signals:
    """Robots signals for every target whose plan entry carries a snapshot; other signals stay uncollected.

    The snapshot's exact bytes are kept (``body_base64`` when they are not UTF-8) and matched as octets; the
    first 500 KiB are read as rules (RFC 9309 2.5); ``sha256`` and ``size`` describe the whole file.
    """
    # Plain data, validated once as a whole: a model validator runs again on every level an instance is passed
    # through (pydantic re-runs "after" validators), and the robots one hashes the body (issue 10).
    targets: dict[str, dict[str, object]] = {}
    for target in plan.targets:
        raw = target.robots_txt_bytes
        if raw is None:
            continue
        origin = target.origin  # a property that parses the URL: once per target
        if origin in targets:
            continue
        kept = raw[:MAX_BYTES]
        try:
            text, exact = kept.decode("utf-8"), None  # valid UTF-8: the text holds the exact bytes
        except UnicodeDecodeError:
            text, exact = kept.decode("utf-8", errors="replace"), base64.b64encode(kept).decode("ascii")
        robots = {"url": f"{origin}/robots.txt", "origin": "snapshot", "outcome": "ok", "body": text,
                  "body_base64": exact, "file": target.robots_txt_file, "sha256": hashlib.sha256(raw).hexdigest(),
                  "size": len(raw), "truncated": len(raw) > MAX_BYTES}
        targets[origin] = {"origin": origin, "robots": robots}
    return Signals.model_validate({"targets": targets})


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def dump_signals(signals: Signals) -> str:
    """A signals file's text: JSON, keys sorted, two-space indent, one trailing newline.

    A lone surrogate (a site's JSON may spell one, ``"\\udc80"``) has no UTF-8 form: it is written as the same
    ``\\uXXXX`` escape, which reads back as the same string.
    """
    text = json.dumps(signals.model_dump(mode="json"), indent=2, sort_keys=True, ensure_ascii=False) + "\n"
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def save_signals(signals: Signals, path: Union[str, Path]) -> Path:
    """Write ``signals`` to ``path`` atomically (read back by ``load_signals``); a SignalsError names the file.

    A temporary file is written, flushed and renamed, so a failed write leaves the old file as it was.
    """
    path = Path(path)
    try:
        write_atomic(path, dump_signals(signals))
    except ScrapecheckError as exc:
        raise SignalsError(str(path), "", str(exc).split(": ", 1)[-1]) from None
    return path


def load_signals(path: Union[str, Path]) -> Signals:
    """Read a signals file; any problem is a SignalsError naming the file and the field."""
    data = load_document(Path(path), SignalsError)
    try:
        return Signals.model_validate(data)
    except ValidationError as exc:
        raise SignalsError(str(path), *first_problem(exc)) from None
