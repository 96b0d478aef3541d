"""Crawl plan format v1: the pydantic model, its defaults, and ``load_plan`` for TOML and JSON files.

Every model forbids unknown keys, so a typo in a plan is an error with its path rather than a silent default.
"""

# Annotations are evaluated when the classes are made (no ``from __future__ import annotations``): as strings,
# pydantic would compile each one again at import (issue 10, start-up time).

import os
import re
from pathlib import Path
from typing import Annotated, Any, Literal, Optional
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from ._files import first_problem, hidden_part, load_document, problems, unicode_name
from ._model import Frozen, empty_dict, empty_list
from ._url import _is_ip, parse_origin, path_and_query
from ._url import origin as url_origin
from .errors import InputError, PlanError

PLAN_VERSION = 1
MAX_SNAPSHOT_BYTES = 10 * 1024 * 1024
"""A robots.txt snapshot file larger than this is refused: the matcher reads only the first 500 KiB anyway."""

PurposeKind = Literal[
    "ai-training", "ai-inference", "search-indexing", "research", "archiving", "price-monitoring", "marketing",
    "lead-generation", "data-resale", "security-research", "personal", "other",
]
Authentication = Literal[
    "none", "own-account", "customer-accounts", "purchased-accounts", "fake-accounts", "shared-credentials",
]
Circumvention = Literal[
    "ip-rotation", "residential-proxies", "captcha-solving", "user-agent-spoofing", "fingerprint-spoofing",
    "rate-limit-evasion", "paywall-bypass", "block-evasion",
]
DataCategory = Literal[
    "public-profile", "contact-details", "employment", "user-content", "photos", "private-messages", "biometric",
    "health", "political-opinions", "religion", "sexual-orientation", "ethnicity", "children", "location",
    "financial", "credentials",
]
LawfulBasis = Literal["consent", "contract", "legitimate-interests", "public-interest", "none", "unknown"]
Prohibition = Literal[
    "scraping", "automated-access", "commercial-use", "ai-training", "resale", "competing-products", "fake-accounts",
]
"""What a site's terms can forbid that matters to a crawl (closed list; platforms.toml clauses map onto it)."""
OwnData = Literal["posts", "messages", "account"]
"""The operator's own material: posts they wrote, messages of or to their own account, their account's data."""


_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROL_BUT_LINES = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def _one_line(value: str) -> str:
    """Reject control characters: a CR/LF in a user agent would inject headers, an ESC would drive terminals."""
    found = _CONTROL.search(value)
    if found:
        raise ValueError(f"contains a control character ({found.group()!r})")
    return value


def _prose(value: str) -> str:
    found = _CONTROL_BUT_LINES.search(value)
    if found:
        raise ValueError(f"contains a control character ({found.group()!r})")
    return value


Line = Annotated[str, AfterValidator(_one_line)]
"""Single-line text: no control characters at all."""
Prose = Annotated[str, AfterValidator(_prose)]
"""Free text: line breaks and tabs allowed, other control characters not."""
Rate = Annotated[float, Field(gt=0, allow_inf_nan=False, strict=True)]
Flag = Annotated[bool, Field(strict=True)]
"""A boolean written as one: ``"true"``, ``1`` or ``"yes"`` are errors, not silently coerced (issue 14)."""
Count = Annotated[int, Field(ge=0, strict=True)]
"""A whole number: ``"5"``, ``5.0`` and ``true`` are errors."""


class _Section(Frozen):
    model_config = ConfigDict(str_strip_whitespace=True)

    @classmethod
    def defaults(cls) -> Any:
        """The section with every field at its default: what ``cls()`` gives, without building a validator of its
        own for it (the plan's validator already covers every section; this is a ``default_factory``)."""
        return cls.model_construct()


_EU_MEMBERS = ("at be bg cy cz de dk ee el es fi fr gr hr hu ie it lt lu lv mt nl pl pt ro se si sk").split()
_EUROPE = {**{code: ("an EU member state", "eu") for code in _EU_MEMBERS},
           **{code: ("in the EEA", "eea") for code in ("is", "li", "no")}, "gb": ("the United Kingdom", "uk")}
"""European country codes the rules do not know, and the region they do (the rules name eu, eea and uk)."""


def _region(value: str) -> str:
    """A region, lower case; a European country code is refused with the region to write: ``de`` passed, and no
    GDPR or EU rule saw it (health data of people in Germany gave no finding)."""
    region = value.lower()
    if region in _EUROPE:
        what, wanted = _EUROPE[region]
        raise ValueError(f"{value!r} is {what}: write {wanted!r} (regions are eu, eea, uk, us, ca, au, ...; "
                         "European countries go by eu, eea or uk)")
    return region


class Crawler(_Section):
    """Who crawls. The user agent's product token is what robots.txt groups are matched against."""

    name: Line = Field(min_length=1, description="Short name of the crawl (required).")
    user_agent: Line = Field(min_length=1, max_length=1000,
                             description="User-Agent header sent; robots matching uses its product token.")
    operator: Optional[Line] = Field(None, description="Legal entity that runs the crawler.")
    operator_region: Optional[Line] = Field(
        None, description="Where the operator is established: eu, uk, us, ca, au, ... or other (lower case)."
    )
    contact: Optional[Line] = Field(None, description="How a site owner reaches the operator: mailto: or https: URL.")

    @field_validator("operator_region")
    @classmethod
    def _lower_region(cls, value: Optional[str]) -> Optional[str]:
        return _region(value) if value else value


class Purpose(_Section):
    """Why the data is collected; many rules depend on it (AI training versus search indexing)."""

    kind: PurposeKind = Field("other", description="What the crawl is for.")
    description: Prose = Field("", description="Free text, shown in reports.")
    commercial: Flag = Field(False, description="The data or its results are used for profit.")


def _valid_host(host: str) -> bool:
    """A DNS name (IDNA-encodable labels of letters, digits and inner hyphens) or an IP address."""
    if _is_ip(host):
        return True
    if host.isascii():  # what the idna codec does with an ASCII name, without importing it and its tables
        labels = host.split(".")
        if not all(0 < len(label) < 64 for label in labels[:-1]) or len(labels[-1]) >= 64:
            return False
        ascii_host = host
    else:
        try:
            ascii_host = host.encode("idna").decode("ascii")
        except UnicodeError:
            return False
    labels = ascii_host.rstrip(".").split(".")
    return all(_LABEL.match(label) for label in labels)


_LABEL = re.compile(r"^[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?$")


def read_snapshot(base: Path, name: str, roots: Optional[dict[str, Path]] = None) -> bytes:
    """A robots.txt snapshot file's exact bytes: a regular file inside the plan's folder, read with a size cap.

    ``roots`` keeps the resolved plan folder between the snapshots of one plan (resolving it is a system call
    per path component, and a plan may name hundreds of snapshots).
    """
    relative = Path(name)
    if relative.is_absolute():
        raise ValueError(f"robots_txt_file {name!r} must be relative to the plan's folder")
    path = base / relative
    try:
        resolved = path.resolve()
        root = roots.get(str(base)) if roots is not None else None
        if root is None:
            root = base.resolve()
            if roots is not None:
                roots[str(base)] = root
    except (OSError, RuntimeError) as exc:
        raise ValueError(f"cannot resolve robots_txt_file {name!r}: {exc}") from None
    inside, top = str(resolved), str(root)
    prefix = top if top.endswith(os.sep) else top + os.sep  # both resolved: normalised and absolute
    if os.path.normcase(inside) != os.path.normcase(top) and not os.path.normcase(inside).startswith(
            os.path.normcase(prefix)):
        raise ValueError(f"robots_txt_file {name!r} is outside the plan's folder")
    hidden = hidden_part(relative, inside[len(prefix):] if inside != top else "")
    if hidden:
        raise ValueError(f"robots_txt_file {name!r} is or lies under the hidden {hidden!r}; snapshots are embedded in "
                         "reports, so hidden files and folders (credentials, .git) are refused")
    try:
        if not resolved.is_file():
            raise ValueError(f"robots_txt_file {name!r} is not a regular file" if resolved.exists()
                             else f"cannot read robots_txt_file {str(path)!r}: no such file")
        with open(inside, "rb") as handle:
            # Sized by the file, not by the cap: a read of the cap allocates 10 MiB for a file of a few KiB.
            size = os.fstat(handle.fileno()).st_size
            raw = handle.read(min(size, MAX_SNAPSHOT_BYTES) + 1)
            if size < len(raw) <= MAX_SNAPSHOT_BYTES:  # it grew meanwhile: read on, up to the cap, as before
                raw += handle.read(MAX_SNAPSHOT_BYTES + 1 - len(raw))
    except OSError as exc:
        raise ValueError(f"cannot read robots_txt_file {str(path)!r}: {exc.strerror or exc}") from None
    if len(raw) > MAX_SNAPSHOT_BYTES:
        raise ValueError(f"robots_txt_file {name!r} is over {MAX_SNAPSHOT_BYTES} bytes")
    return raw


def _http_url(value: Optional[str]) -> Optional[str]:
    if value is not None and urlsplit(value).scheme.lower() not in ("http", "https"):
        raise ValueError(f"must be an http or https URL, got {value!r}")
    return value


class Terms(_Section):
    """What the operator knows of one site's terms. Unsaid facts fall back: ``accepted`` to the plan-wide
    ``access.accepted_terms``; ``prohibits`` and ``url`` to the quoted clauses of a known platform
    (``policies/platforms.toml``), whose clauses are added to what the plan declares."""

    accepted: Optional[Flag] = Field(
        None, description="The operator accepted this site's terms (click-wrap, sign-up); absent: "
                          "access.accepted_terms applies.")
    prohibits: Optional[list[Prohibition]] = Field(
        None, description="What the terms forbid, from: scraping, automated-access, commercial-use, ai-training, "
                          "resale, competing-products, fake-accounts. Absent: nobody assessed the terms; [] : "
                          "assessed, and they forbid none of these. A known platform's clauses are added.")
    url: Optional[Annotated[Line, AfterValidator(_http_url)]] = Field(
        None, description="Address of the terms read; absent: the known platform's, if any.")


class Target(_Section):
    """One site to crawl, with an optional robots.txt snapshot so the plan can be checked offline."""

    url: Line = Field(description="Start URL, http or https (required).")
    _robots_txt_bytes: Optional[bytes] = PrivateAttr(None)
    paths: list[Line] = Field(default_factory=empty_list, description="Paths to be fetched; default: the url's own path.")
    robots_txt: Optional[str] = Field(None, max_length=MAX_SNAPSHOT_BYTES,
                                      description="Snapshot of the site's robots.txt, inline.")
    robots_txt_file: Optional[Line] = Field(
        None, description="Snapshot of the robots.txt in a file, relative to the plan file and inside its folder."
    )
    requests_per_second: Optional[Rate] = Field(None, description="Planned request rate against this site.")
    concurrency: Optional[Annotated[int, Field(ge=1, strict=True)]] = Field(
        None, description="Planned parallel connections to this site.")
    terms: Terms = Field(default_factory=Terms.defaults,
                         description="What is known of this site's terms: accepted, prohibitions, address.")
    cease_and_desist: Flag = Field(
        False, description="The site's operator sent a cease-and-desist letter (or similar demand to stop).")
    blocked: Flag = Field(
        False, description="The site blocked the crawler (IP or account ban, or a block page aimed at it).")

    @field_validator("url")
    @classmethod
    def _http_only(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme.lower() not in ("http", "https"):
            raise ValueError(f"must be an http or https URL, got {value!r}")
        if "@" in parts.netloc:
            raise ValueError("must not carry credentials (user:password@); plans are shared and reports published")
        try:
            port = parts.port
        except ValueError:
            raise ValueError(f"has an invalid port: {value!r}") from None
        if port == 0:
            raise ValueError(f"has an invalid port: {value!r}")
        host = parts.hostname or ""
        if not host:
            raise ValueError(f"has no host: {value!r}")
        if not _valid_host(host):
            raise ValueError(f"has an invalid host {host!r}")
        try:
            parse_origin(value)
        except InputError as exc:
            raise ValueError(f"has no usable origin: {str(exc).split(': ', 2)[-1]}") from None
        return value

    @field_validator("paths")
    @classmethod
    def _absolute_paths(cls, value: list[str]) -> list[str]:
        for path in value:
            if not path.startswith("/"):
                raise ValueError(f"path {path!r} must start with '/'")
        return value

    @model_validator(mode="after")
    def _read_snapshot(self, info: ValidationInfo) -> "Target":
        if self.robots_txt is not None and self.robots_txt_file is not None:
            raise ValueError("give robots_txt or robots_txt_file, not both")
        if self.robots_txt_file is not None and self.robots_txt is None:
            context = info.context or {}
            base = Path(context.get("base_dir", "."))
            raw = read_snapshot(base, self.robots_txt_file, context.get("resolved_roots"))
            object.__setattr__(self, "robots_txt", raw.decode("utf-8", errors="replace"))  # for people
            self._robots_txt_bytes = raw  # for matching: rules are octets (a Latin-1 file stays exact)
        return self

    @property
    def robots_txt_bytes(self) -> Optional[bytes]:
        """The snapshot's exact bytes: the file's as read, or the inline text as UTF-8; None without one."""
        if self._robots_txt_bytes is not None:
            return self._robots_txt_bytes
        return None if self.robots_txt is None else self.robots_txt.encode("utf-8")

    @property
    def origin(self) -> str:
        """``scheme://host[:port]`` (see :func:`scrapecheck._url.origin`), the key robots.txt and signals use."""
        return url_origin(self.url)

    @property
    def host(self) -> str:
        return parse_origin(self.url).host

    @property
    def planned_paths(self) -> list[str]:
        """The paths the crawl will fetch: ``paths`` or, when empty, the url's own path and query."""
        if self.paths:
            return list(self.paths)
        return [path_and_query(self.url)]


class Access(_Section):
    """How the crawler gets in: accounts, sign-ups, accepted terms, circumvention of technical measures."""

    authentication: Authentication = Field("none", description="Whose accounts, if any, the crawler logs in with.")
    account_count: Count = Field(0, description="How many accounts the crawl uses.")
    automated_signup: Flag = Field(False, description="Accounts are created by automation.")
    accepted_terms: Flag = Field(
        False, description="The operator accepted the targets' terms (click-wrap, sign-up); a target's "
                           "terms.accepted overrides it for that site.")
    circumvention: list[Circumvention] = Field(
        default_factory=empty_list, description="Techniques used to get past blocks, limits or access controls."
    )


class Data(_Section):
    """What is collected about people."""

    personal: Flag = Field(False, description="The crawl collects data about identifiable people.")
    categories: list[DataCategory] = Field(default_factory=empty_list, description="Kinds of personal data collected.")
    subject_regions: list[str] = Field(
        default_factory=empty_list, description="Where the people concerned live: eu, uk, us, ca, au, ... (lower case)."
    )
    estimated_subjects: Optional[Count] = Field(None, description="Roughly how many people; unknown if absent.")
    own_data: list[OwnData] = Field(
        default_factory=empty_list,
        description="Set only when everything collected is the operator's own: posts (what they wrote), messages "
                    "(of or to their own account), account (their own profile and settings), reached through "
                    "their own account or logged out. Empty: the crawl collects other people's material too. With a "
                    "personal or archiving purpose, not commercial, not sold or shared, the personal-data and "
                    "private-communications rules do not apply (GDPR Art. 2(2)(c)).")

    @field_validator("subject_regions")
    @classmethod
    def _lower_regions(cls, value: list[str]) -> list[str]:
        return [_region(region) for region in value]

    @model_validator(mode="after")
    def _categories_are_personal(self) -> "Data":
        """Categories are kinds of personal data, and every personal-data rule waits for ``personal = true``: with
        it false (its default) and categories listed, a plan collecting health data of children passed silently."""
        if self.categories and not self.personal:
            raise ValueError(f"categories lists personal data ({', '.join(self.categories)}) but personal is false; "
                             "set personal = true")
        return self


class Use(_Section):
    """What happens to the data after collection."""

    sell: Flag = Field(False, description="The data is sold or licensed to others.")
    share_with: list[str] = Field(
        default_factory=empty_list, description="Who else receives it, e.g. ai-vendor, data-broker, advertisers."
    )
    train_models: Flag = Field(False, description="The data trains machine-learning models.")
    retention_days: Optional[Count] = Field(None, description="How long it is kept; unknown if absent.")
    honours_deletion_requests: Flag = Field(
        False, description="People can have their data deleted; not assumed unless the plan says so."
    )
    lawful_basis: LawfulBasis = Field("unknown", description="GDPR Art. 6 basis relied on for personal data.")
    dpia_done: Flag = Field(False, description="A data-protection impact assessment was carried out.")
    informs_subjects: Flag = Field(
        False, description="People whose data is collected are told so (GDPR Art. 14 notice: directly, or publicly "
                           "where informing each one is impossible or disproportionate).")
    copyright_policy: Flag = Field(
        False, description="A written policy to comply with EU copyright law for training data exists (AI Act "
                           "Art. 53(1)(c); the GPAI Code of Practice's copyright chapter is the model).")


class CrawlPlan(_Section):
    """A crawl plan (format v1): the input ``evaluate`` checks."""

    version: Literal[1] = Field(1, description="Plan format version; only 1 exists.")
    crawler: Crawler
    purpose: Purpose = Field(default_factory=Purpose.defaults)
    targets: list[Target] = Field(default_factory=empty_list, description="Sites the crawl fetches from.")
    access: Access = Field(default_factory=Access.defaults)
    data: Data = Field(default_factory=Data.defaults)
    use: Use = Field(default_factory=Use.defaults)
    thresholds: dict[str, Annotated[float, Field(ge=0, allow_inf_nan=False, strict=True)]] = Field(
        default_factory=empty_dict,
        description="Overrides of the named thresholds of the rule packs (see `scrapecheck rules --thresholds`).",
    )
    source: Optional[str] = Field(None, exclude=True, description="File the plan was loaded from (set by load_plan).")

    @field_validator("version", mode="before")
    @classmethod
    def _integer_version(cls, value: Any) -> Any:
        """The integer 1: ``true`` and ``1.0`` equal 1 in Python, and the literal let them through."""
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"must be the integer 1 (the plan format version), not {value!r}")
        return value

    @model_validator(mode="after")
    def _one_snapshot_per_origin(self) -> "CrawlPlan":
        seen: dict[str, tuple[int, str]] = {}
        for index, target in enumerate(self.targets):
            if target.robots_txt is None:
                continue
            first = seen.setdefault(target.origin, (index, target.robots_txt))
            if first[1] != target.robots_txt:
                raise ValueError(f"targets[{first[0]}] and targets[{index}] give different robots.txt snapshots "
                                 f"for {target.origin}; one site has one robots.txt")
        return self

    def resolve(self, field_path: str) -> Any:
        """Value at a dotted path such as ``access.authentication``; raises KeyError for an unknown path."""
        value: Any = self
        for part in field_path.split("."):
            names = _FIELD_NAMES.get(type(value))
            if names is None:
                if not isinstance(value, BaseModel):
                    raise KeyError(field_path)
                names = _FIELD_NAMES[type(value)] = frozenset(type(value).model_fields)
            if part not in names:
                raise KeyError(field_path)
            value = getattr(value, part)
        return value


_FIELD_NAMES: dict[type, frozenset[str]] = {}
"""Field names per model class, for :meth:`CrawlPlan.resolve`: the rules resolve a thousand paths per 50-target
plan, and ``model_fields`` is a computed class property in pydantic (issue 10)."""


def field_paths(model: type[BaseModel] = CrawlPlan, prefix: str = "") -> dict[str, Any]:
    """Every dotted scalar or list field path of the plan with its annotation; rules may only name these."""
    paths: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation = info.annotation
        path = f"{prefix}{name}"
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            paths.update(field_paths(annotation, f"{path}."))
        else:
            paths[path] = annotation
    return paths


def plan_error(source: str, exc: ValidationError) -> PlanError:
    """The first validation problem as a PlanError (``file: field.path: message``); the rest ride along."""
    path, message = first_problem(exc)
    err = PlanError(source, path, message)
    err.problems = problems(exc)
    return err


def parse_plan(data: Any, *, source: str = "<plan>", base_dir: str | Path = ".") -> CrawlPlan:
    """Validate an already-decoded plan; ``robots_txt_file`` paths are read relative to ``base_dir``."""
    if not isinstance(data, dict):
        kind = "null" if data is None else "a list" if isinstance(data, list) else type(data).__name__
        raise PlanError(source, "", f"a plan is a table (object), got {kind}")
    try:
        plan = CrawlPlan.model_validate(data, context={"base_dir": str(base_dir), "resolved_roots": {}})
    except ValidationError as exc:
        raise plan_error(source, exc) from None
    return plan.model_copy(update={"source": source})


def load_plan(path: str | Path) -> CrawlPlan:
    """Read a ``.toml`` or ``.json`` plan; any problem is a PlanError naming the file and the field."""
    path = Path(path)
    return parse_plan(load_document(path, PlanError), source=unicode_name(str(path)), base_dir=path.parent)
