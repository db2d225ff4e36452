"""What the console knows about its own connections: rate-limit headroom and stream health."""

from __future__ import annotations

from console.domain._base import UtcDateTime, Value
from console.domain.enums import EndpointCategory, StreamState
from console.domain.latency import LatencySummary


class RateLimitStatus(Value):
    """Headroom of one rate-limit window (a category, or one endpoint within it)."""

    category: EndpointCategory
    endpoint: str | None = None
    """None for the category's own window; a path such as ``/v5/order/create`` otherwise."""
    used: int
    limit: int
    remaining: int
    window_seconds: float
    reset_at: UtcDateTime | None = None
    learned_from_headers: bool = False
    """True when the numbers came from the venue's ``X-Bapi-Limit*`` headers."""
    halted_until: UtcDateTime | None = None
    """Set when the venue banned us (HTTP 403): no REST call leaves until then."""


class RoundTripStatus(Value):
    """How long one endpoint's REST requests took over the last minute (beside its gauge)."""

    category: EndpointCategory
    endpoint: str
    """The path the rate-limit gauges key it by, e.g. ``/v5/order/create``."""
    latency: LatencySummary


class StreamHealth(Value):
    """One WebSocket stream as the health panel shows it."""

    stream: str
    """e.g. ``bybit linear`` or ``bybit spot``."""
    state: StreamState
    topics: int = 0
    messages_per_second: float = 0.0
    last_message_age: float | None = None
    """Seconds since the last frame; None before the first."""
    gaps: int = 0
    resyncs: int = 0
    reconnects: int = 0
    malformed: int = 0
    """Frames dropped because they did not parse or held implausible values."""
    suspect: int = 0
    """Books found not following the venue (frozen, far ahead, printed through) and resynced."""
    last_error: str | None = None
    as_of: UtcDateTime | None = None
    received_latency: LatencySummary | None = None
    """Venue timestamp to received, corrected by the venue clock's offset, over the last
    minute; None before the first frame that carries a venue timestamp."""
    painted_latency: LatencySummary | None = None
    """Venue timestamp to painted on a ladder, over the last minute; None while no ladder
    shows a book of this stream (or nothing paints: a script, a test)."""
    slow: bool = False
    """The last few seconds' received latency is past the slow threshold: the stream still
    talks (it is not STALE), but what it says is late."""
