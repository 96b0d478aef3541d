"""Line syntax of robots.txt, as Google's reference parser (google/robotstxt, robots.cc) reads it.

Everything here works on *byte strings decoded as Latin-1*: one character per input byte, so lengths
and positions are byte counts, exactly as in the C++ code, and no input can fail to decode. Text meant
for people (rule text, comments, extension values) is re-decoded as UTF-8 with replacement characters.

References are to RFC 9309 sections and to the behaviour of google/robotstxt's ``robots.cc``.
"""

from __future__ import annotations

# No ``re`` here: importing it costs about as much as the rest of the matcher (issue 9: the robots import
# should add under 30 ms). The few patterns are plain string scans; ``re`` is imported where a regex is
# really built (the compiled tier, Request-rate values, browser-style User-Agents, the first value holding a
# "%" that :func:`has_lower_escape` is asked about).

#: Google's fetcher ignores everything after the first 500 KiB (RFC 9309 §2.5 sets this as the floor).
MAX_BYTES = 500 * 1024

#: robots.cc keeps at most ``2083 * 8 - 1`` bytes of a line and silently drops the rest.
MAX_LINE_BYTES = 2083 * 8 - 1

_BOM = "\xef\xbb\xbf"

#: absl::StripAsciiWhitespace strips exactly these; ``str.strip()`` would also strip \x85, \xa0, \x1c...
WS = " \t\n\x0b\x0c\r"

# Directive names, matched as case-insensitive *prefixes* of the key, in robots.cc's order
# (KeyIsUserAgent, KeyIsAllow, KeyIsDisallow, KeyIsSitemap), including the typos it accepts.
USER_AGENT_KEYS = ("user-agent", "useragent", "user agent")
ALLOW_KEYS = ("allow",)
DISALLOW_KEYS = ("disallow", "dissallow", "dissalow", "disalow", "diasllow", "disallaw")
SITEMAP_KEYS = ("sitemap", "site-map")

_HEX = frozenset("0123456789ABCDEFabcdef")
_TOKEN_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_-"
_HIGH_BYTES = {i: f"%{i:02X}" for i in range(0x80, 0x100)}


_LOWER_ESCAPE: list = []  # [search for a %xx escape with a lower-case hex digit], compiled on first use


def has_lower_escape(value: str) -> bool:
    """Does ``value`` hold a %xx escape with a lower-case hex digit ("%2f", "%aB")?"""
    if "%" not in value:
        return False
    # One regex search, in C (``re`` is imported on the first value holding a "%", not with the matcher): a path
    # with many escapes (wikipedia's) cost ~14,000 instructions split at each "%" and looked up by its two
    # characters after it, ~2.8 times the time of the search.
    if not _LOWER_ESCAPE:
        import re

        _LOWER_ESCAPE.append(re.compile("%(?:[a-f][0-9A-Fa-f]|[0-9A-F][a-f])").search)
    return _LOWER_ESCAPE[0](value) is not None


def upper_escapes(value: str) -> str:
    """Upper-case the hex digits of every %xx escape (RFC 3986 §2.1); other text is unchanged."""
    parts = value.split("%")
    hexdigits = _HEX
    for i in range(1, len(parts)):
        part = parts[i]
        if len(part) >= 2 and part[0] in hexdigits and part[1] in hexdigits:
            parts[i] = part[:2].upper() + part[2:]
    return "%".join(parts)


def _lead_token(value: str) -> str:
    """The leading run of ``[A-Za-z_-]`` in ``value``."""
    return value[: len(value) - len(value.lstrip(_TOKEN_CHARS))]


def _first_sep(url: str, start: int) -> int:
    """Position of the first '/', '?' or ';' at or after ``start``, or -1."""
    found = -1
    for sep in "/?;":
        at = url.find(sep, start)
        if at >= 0 and (found < 0 or at < found):
            found = at
    return found


def to_latin1(text: str | bytes | bytearray | memoryview) -> tuple[str, int]:
    """Return (the first 500 KiB of ``text`` as a Latin-1 str, the full size in bytes).

    ``str`` input is encoded as UTF-8 first (lone surrogates are passed through, never an error).
    """
    if isinstance(text, str):
        if text.isascii():  # UTF-8 then Latin-1 gives the same characters: the caller's str itself, not a copy
            return text[:MAX_BYTES], len(text)
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:
            try:
                data = text.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:
                data = text.encode("utf-8", "surrogatepass")
    elif isinstance(text, (bytes, bytearray, memoryview)):
        data = bytes(text)
    else:
        raise TypeError(f"robots.txt must be str or bytes, not {type(text).__name__}")
    size = len(data)
    return data[:MAX_BYTES].decode("latin-1"), size


def strip_bom(body: str) -> str:
    """Skip a UTF-8 byte order mark, or any leading part of one (robots.cc ``Parse``)."""
    if body[:1] == "\xef":
        if body[:3] == _BOM:
            return body[3:]
        if body[:2] == _BOM[:2]:
            return body[2:]
        return body[1:]
    return body


def split_lines(body: str) -> list[str]:
    """CR, LF and CRLF all end a line; CRLF counts once (RFC 9309 §2.2, robots.cc ``Parse``)."""
    if "\r" in body:
        body = body.replace("\r\n", "\n").replace("\r", "\n")
    return body.split("\n")


def human(raw: str) -> str:
    """Latin-1 byte string -> readable text (UTF-8, invalid bytes replaced)."""
    if raw.isascii():
        return raw
    return raw.encode("latin-1").decode("utf-8", "replace")


def escape_pattern(value: str) -> str:
    """Percent-encode bytes >= 0x80 and upper-case existing %xx escapes (robots.cc ``MaybeEscapePattern``).

    Escapes of unreserved characters (``%62``) are kept as written, as Google does: they match only
    the same escape in the URL.
    """
    if value.isascii():
        if not has_lower_escape(value):
            return value
        return upper_escapes(value)
    if "%" in value:
        value = upper_escapes(value)
    return value.translate(_HIGH_BYTES)


def extract_agent(value: str) -> str:
    """Leading run of ``[A-Za-z_-]`` (robots.cc ``ExtractUserAgent``): 'Foo/1.2' -> 'Foo', 'Foo Bar' -> 'Foo'."""
    return _lead_token(value)


def is_global_agent(value: str) -> bool:
    """'*' alone or followed by whitespace is the global agent (robots.cc ``HandleUserAgent``)."""
    return value[:1] == "*" and (len(value) == 1 or value[1] in " \t\n\x0b\x0c\r")


def origin_prefix(url: str) -> str | None:
    """"scheme://authority/" of a plain http(s) URL whose authority holds no '?', ';' or '#', else None.

    For such a URL :func:`path_of` is everything from that last '/' on, less the fragment; so is it for
    any URL that starts with the same prefix. A matcher remembers the last prefix it saw: one origin's
    URLs then need a ``startswith`` and a slice instead of :func:`path_of`.
    """
    head = 8 if url.startswith("https://") else 7 if url.startswith("http://") else 0
    if head:
        slash = url.find("/", head)
        if slash > 0:
            authority = url[head:slash]
            if "?" not in authority and ";" not in authority and "#" not in authority:
                return url[: slash + 1]
    return None


def path_of(url: str) -> str:
    """Path, params and query of ``url``, always starting with '/' (robots.cc ``GetPathParamsQuery``).

    Scheme, authority and fragment are removed; '/' is returned when there is no path or the
    fragment starts before it. A bare path ("/a?b") is returned as is, less any fragment.
    """
    if url[:1] == "/" and url[1:2] != "/":
        h = url.find("#")
        return url if h < 0 else url[:h]
    prefix = origin_prefix(url)  # the usual "http(s)://host/path"
    if prefix is not None:
        slash = len(prefix) - 1
        h = url.find("#", slash)
        return url[slash:] if h < 0 else url[slash:h]
    if url[:8] == "https://":
        start, proto_end = 0, 8
    elif url[:7] == "http://":
        start, proto_end = 0, 7
    else:
        start = 2 if url[:2] == "//" else 0
        sep = _first_sep(url, start)
        proto = url.find("://", start)
        if proto < 0 or (sep >= 0 and sep < proto):
            proto_end = start  # '/', '?' or ';' before '://': it is no scheme separator
        else:
            proto_end = proto + 3
    ps = _first_sep(url, proto_end)
    if ps < 0:
        return "/"
    h = url.find("#", start)
    if h >= 0:
        if h < ps:
            return "/"
        path = url[ps:h]
    else:
        path = url[ps:]
    if url[ps] != "/":
        return "/" + path
    return path


def normalise_path(path: str) -> str:
    """Percent-encode a path the way patterns are encoded, so both compare octet for octet.

    RFC 9309 §2.2.2: octets outside US-ASCII MUST be percent-encoded before comparison; escapes are
    compared in upper case (RFC 3986 §2.1). Google's library leaves this to its caller.
    """
    if path.isascii():
        if not has_lower_escape(path):
            return path
        return upper_escapes(path)
    try:
        raw = path.encode("utf-8").decode("latin-1")
    except UnicodeEncodeError:
        raw = path.encode("utf-8", "surrogatepass").decode("latin-1")
    return escape_pattern(raw)


_UA_PATTERNS: list = []  # (item separator, comment, bare product, versioned product), compiled on first use


def _ua_patterns() -> list:  # type: ignore[type-arg]
    if not _UA_PATTERNS:
        import re

        _UA_PATTERNS.extend((re.compile(r"[;()]"), re.compile(r"\(([^()]*)\)"),
                             re.compile(r"([A-Za-z_-]+)(?:/[^\s;()]*)?"), re.compile(r"([A-Za-z_-]+)/[^\s;()]+")))
    return _UA_PATTERNS


def product_token(user_agent: str) -> str:
    """The product token that picks a robots.txt group for ``user_agent`` (RFC 9309 §2.2.1).

    RFC 9309 matches groups by the crawler's product token, ``[A-Za-z_-]+``; Google's library takes
    that token from its caller. Crawlers send a User-Agent header, in one of two shapes:

    1. Their own product first, ``Token/version (comment)``: the token is the leading run of
       ``[A-Za-z_-]`` (as robots.cc's ``ExtractUserAgent``): "AcmeBot/1.0 (+https://x)" -> "AcmeBot",
       "CCBot/2.0" -> "CCBot", "Foo Bar" -> "Foo".
    2. Browser-style, starting with ``Mozilla/``: the crawler names itself after the word
       ``compatible``: "Mozilla/5.0 (compatible; GPTBot/1.2; +https://openai.com/gptbot)" -> "GPTBot".
       The item right after the first ``compatible`` that is exactly ``Token`` or ``Token/version``
       (items are split at ``;``, ``(`` and ``)``, inside a comment or not: "...Safari/537.36;
       compatible; ChatGPT-User/1.0" -> "ChatGPT-User") is the token. Failing that, the last comment
       whose first item is ``Token/version`` names it: "... Safari/605.1.15 (Applebot/0.1; +http://...)"
       -> "Applebot". Failing both, it is a plain browser (or "compatible; MSIE 9.0"): the token is
       "Mozilla", which no robots.txt names in practice, so the ``*`` group applies.

    Surrounding whitespace is ignored. The result may be empty ("", "*", "008", "/1.0"): an empty
    token names no group, so only the ``*`` group can apply. Known limit: a crawler that puts its name
    in a comment without a version and without ``compatible`` ("Mozilla/5.0 (Yahoo! Slurp; ...)") is
    read as a browser; pass its bare token instead.
    """
    ua = user_agent.strip(WS)
    lead = _lead_token(ua)
    if lead.lower() != "mozilla" or ua[len(lead) : len(lead) + 1] not in ("/", ""):
        return lead
    item_sep, comments, bare_product, versioned_product = _ua_patterns()
    items = item_sep.split(ua)
    for index in range(1, len(items) - 1):
        if items[index].strip(WS).lower() == "compatible":
            found = bare_product.fullmatch(items[index + 1].strip(WS))
            if found is not None:
                return found.group(1)
    for comment in reversed(comments.findall(ua)):
        found = versioned_product.fullmatch(comment.split(";", 1)[0].strip(WS))
        if found is not None:
            return found.group(1)
    return lead
