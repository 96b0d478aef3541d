"""What the targets say about being crawled, as frozen values the engine reads and snapshots store.

A signal records where it was found (URL, header, line) so that every finding built on it can show its evidence.
``None`` means "not collected"; an empty list means "collected, nothing found". The engine tells them apart.
"""

# Annotations are evaluated when the classes are made (no ``from __future__ import annotations``): as strings,
# pydantic would compile each one again at import (issue 10, start-up time).

import base64
import binascii
import hashlib
from typing import Literal, Optional

from pydantic import (
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from .._model import Frozen, empty_dict, empty_list

RobotsOutcome = Literal[
    "ok",           # 2xx with rules (or none): parse and obey
    "not-found",    # 4xx other than 401/403: RFC 9309 2.3.1.3, no restrictions; also more than five redirects or
                    # a redirect loop (2.3.1.2: MAY assume unavailable; Google reads it as a 404), with ``error`` set
    "refused",      # 401/403: no restrictions by the RFC, but access is refused, which is itself a finding
    "unreachable",  # 5xx, timeout, DNS or connection failure: RFC 9309 2.3.1.4, disallow all; also 429, which
                    # the RFC would class as 4xx "unavailable" but Google reads as a server error (source
                    # google-robots-txt-429: developers.google.com/search/docs/crawling-indexing/robots/robots_txt)
    "html",         # an HTML page served as robots.txt: reported, parsed as no rules
]
OptOutKind = Literal[
    "robots-ai-agent",   # an AI crawler's token disallowed in robots.txt
    "robots-ai-intent",  # AI-training crawlers blocked while the plan's own token is not named
    "x-robots-tag",      # X-Robots-Tag: noai / noimageai
    "meta-robots",       # <meta name="robots" content="noai">
    "tdmrep",            # TDMRep: /.well-known/tdmrep.json, tdm-reservation header or meta
    "content-usage",     # IETF aipref Content-Usage in robots.txt or a header
    "content-signal",    # Content-Signal in robots.txt or a header
    "rsl-license",       # RSL License: line in robots.txt
    "legal-notice",      # a robots.txt comment such as "no AI training" (low confidence)
]
OptOutScope = Literal[
    "ai-training",   # training models
    "ai-inference",  # AI answers, grounding, retrieval-augmented generation
    "tdm",           # text and data mining in general (DSM Directive Art. 4)
    "search",        # search indexing
    "scraping",      # any automated collection
]


class Evidence(Frozen):
    """Frozen, and strict: a signals file is evidence, so ``"truncated": "yes"`` or ``"status": "200"`` is
    refused rather than coerced."""

    model_config = ConfigDict(strict=True)



class RobotsSignal(Evidence):
    """A robots.txt as fetched or as snapshotted in the plan."""

    url: str
    origin: Literal["snapshot", "fetched"] = "snapshot"
    outcome: RobotsOutcome = "ok"
    status: Optional[int] = None
    body: Optional[str] = Field(None, description="Text of the body for people (UTF-8, invalid bytes replaced), "
                                                  "up to the cap; None when no rules were read (HTML, binary).")
    body_base64: Optional[str] = Field(
        None, description="The body's exact bytes, base64, when they are not valid UTF-8 (so `body` cannot hold "
                          "them); rules are matched on these bytes.")
    sha256: Optional[str] = Field(None, description="SHA-256 of the body bytes as received.")
    size: Optional[int] = None
    truncated: bool = False
    fetched_at: Optional[str] = Field(None, description="UTC time of the fetch, ISO 8601.")
    redirects: list[str] = Field(default_factory=empty_list)
    error: Optional[str] = None
    file: Optional[str] = Field(None, description="Snapshot file named in the plan, if any.")
    headers: dict[str, list[str]] = Field(
        default_factory=empty_dict, description="Response headers that matter (lower-case name → values), if fetched.")
    attempts: Optional[int] = Field(None, description="Requests made for the final answer (retries included).")

    @model_serializer(mode="wrap")
    def _omit_absent_bytes(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data = handler(self)
        if isinstance(data, dict) and data.get("body_base64") is None:
            data.pop("body_base64", None)  # only present when the body is not valid UTF-8
        return data

    @model_validator(mode="after")
    def _body_matches_hash(self) -> "RobotsSignal":
        raw = self.raw  # also checks that body_base64 decodes
        if raw is None or self.sha256 is None or (self.origin == "snapshot" and self.truncated):
            return self
        if hashlib.sha256(raw).hexdigest() != self.sha256.lower():
            raise ValueError(f"the body of {self.url} does not match its sha256 {self.sha256}: the recorded "
                             "evidence was changed; record it again with 'scrapecheck fetch'")
        return self

    @property
    def raw(self) -> Optional[bytes]:
        """The body's exact bytes (what rules are matched on), or None when no body was kept."""
        if self.body_base64 is not None:
            try:
                return base64.b64decode(self.body_base64, validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"body_base64 of {self.url} is not valid base64") from None
        return None if self.body is None else self.body.encode("utf-8")

    @property
    def rfc9309(self) -> Literal["success", "unavailable", "unreachable"]:
        """RFC 9309's class of this outcome: success (2.3.1.1), unavailable (2.3.1.3), unreachable (2.3.1.4)."""
        if self.outcome in ("ok", "html"):
            return "success"
        return "unreachable" if self.outcome == "unreachable" else "unavailable"

    @property
    def effective_rules(self) -> bytes:
        """The rules to obey as octets, per RFC 9309 2.3.1: the exact body, nothing, or disallow all."""
        if self.outcome == "ok":
            return self.raw or b""
        if self.outcome == "unreachable":
            return b"User-agent: *\nDisallow: /\n"
        return b""

    @property
    def effective_text(self) -> str:
        """The rules to obey, per RFC 9309 2.3.1: the body, nothing (allow all), or disallow all."""
        if self.outcome == "ok":
            return self.body or ""
        if self.outcome == "unreachable":
            return "User-agent: *\nDisallow: /\n"
        return ""


class OptOut(Evidence):
    """One machine-readable (or, for legal notices, human-readable) reservation found on a target."""

    kind: OptOutKind
    scopes: list[OptOutScope]
    value: str = Field(description="The directive as found, e.g. 'noai' or 'Content-Usage: train-ai=n'.")
    where: str = Field(description="URL, header name or 'robots.txt' where it was found.")
    line: Optional[int] = None
    confidence: Literal["high", "low"] = "high"
    agents: list[str] = Field(default_factory=empty_list, description="For robots-ai-agent: the agent tokens blocked.")


class TargetSignals(Evidence):
    """Everything collected for one origin."""

    origin: str
    robots: Optional[RobotsSignal] = None
    opt_outs: Optional[list[OptOut]] = Field(None, description="None: not collected; []: collected, none found.")
    pages: list[dict[str, object]] = Field(
        default_factory=empty_list, description="Pages fetched for opt-out signals: url, status, headers that matter, sha256."
    )
    problems: list[str] = Field(default_factory=empty_list, description="What went wrong while collecting, in words.")
    extra: dict[str, list[OptOut]] = Field(
        default_factory=empty_dict, description="Opt-outs of signals registered after robots and pages "
                                          "(signals/registry.py), by signal name; absent: not collected.")

    @model_serializer(mode="wrap")
    def _omit_empty_extra(self, handler: SerializerFunctionWrapHandler) -> dict[str, object]:
        data = handler(self)
        if isinstance(data, dict) and not data.get("extra"):
            data.pop("extra", None)
        return data


class Signals(Evidence):
    """Signals for all targets of a plan, keyed by origin (``scheme://host[:port]``)."""

    version: Literal[1] = Field(1, description="Signals file format version; only 1 exists.")
    tool_version: str = ""
    collected_at: Optional[str] = None
    targets: dict[str, TargetSignals] = Field(default_factory=empty_dict)

    @field_validator("version", mode="before")
    @classmethod
    def _known_version(cls, value: object) -> object:
        if type(value) is not int or value != 1:
            raise ValueError(f"unsupported signals file version {value!r}; this scrapecheck reads version 1 "
                             "(record the signals again with 'scrapecheck fetch')")
        return value

    def for_origin(self, origin: str) -> Optional[TargetSignals]:
        return self.targets.get(origin)

    def merged_over(self, base: "Signals") -> "Signals":
        """These signals, falling back to ``base`` for origins (or parts) not collected here."""
        targets = dict(base.targets)
        for origin, mine in self.targets.items():
            theirs = targets.get(origin)
            if theirs is None:
                targets[origin] = mine
                continue
            targets[origin] = mine.model_copy(update={
                "robots": mine.robots or theirs.robots,
                "opt_outs": mine.opt_outs if mine.opt_outs is not None else theirs.opt_outs,
                "pages": mine.pages or theirs.pages,
                "problems": theirs.problems + mine.problems,
                "extra": {**theirs.extra, **mine.extra},
            })
        return self.model_copy(update={"targets": targets})
