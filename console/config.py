"""Settings: CLI flags > environment > ``.env`` > config file > defaults, validated once at
start-up.

Every field has an environment variable. Top-level fields are ``BREAKOUT_<NAME>``; nested
sections use a double underscore (``BREAKOUT_RISK__MAX_ORDER_NOTIONAL``). Credentials keep
the names traders already use: ``EXCHANGE_API_KEY``, ``EXCHANGE_SECRET``,
``EXCHANGE_PASSPHRASE``. A bad value raises :class:`SettingsError` with one line that names
the variable and what it allows.

The environment and ``.env`` are read by pydantic-settings' own sources (its prefix, nesting
and dotenv parsing); the layers are merged here, one source at a time, so that an error can
name the variable, flag or file key that gave the bad value.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal, Self

import platformdirs
from pydantic import (
    AliasChoices,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    SecretStr,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_settings import (
    BaseSettings,
    DotEnvSettingsSource,
    EnvSettingsSource,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)
from pydantic_settings import SettingsError as SourceError

from console.domain.closing import CloseStyle
from console.domain.enums import TradingMode

APP_NAME = "breakout-console"
ENV_PREFIX = "BREAKOUT_"
SIM_VENUE = "sim"
BYBIT_VENUES = ("bybit", "bybit-testnet", "bybit-demo")
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
_SECTIONS = frozenset({"sim", "risk", "paper", "stream", "ui"})

CREDENTIAL_ENV = {
    "api_key": "EXCHANGE_API_KEY",
    "secret": "EXCHANGE_SECRET",
    "passphrase": "EXCHANGE_PASSPHRASE",
}
"""Credentials are read from these names, not from BREAKOUT_*: the original design's names."""


class SettingsError(Exception):
    """A setting has a value the console cannot use. ``str()`` is the one line to show."""


def _split_symbols(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


def _json_object(value: object) -> object:
    """Mappings arrive from the environment as JSON text."""
    if isinstance(value, str):
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            raise ValueError('expected a JSON object such as {"USDT": "10000"}') from None
    return value


def _upper(value: object) -> object:
    return value.upper() if isinstance(value, str) else value


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SimSettings(_Section):
    """The built-in Bybit-v5-compatible simulator (venue ``sim``)."""

    seed: int = 7
    """Seed of the synthetic market: the same seed gives the same market."""
    speed: float = Field(default=1.0, gt=0, le=1000)
    """Time factor of the synthetic market; 10 makes it run ten times faster."""


class RiskSettings(_Section):
    """The pre-trade risk gate, applied before anything is signed, in both modes."""

    max_order_notional: Decimal = Field(default=Decimal(100_000), gt=0)
    """Largest price x quantity of one order, in the quote currency."""
    price_band_pct: Decimal = Field(default=Decimal(5), gt=0, le=100)
    """A limit price further than this percentage from mid is refused."""
    max_orders_per_second: int = Field(default=5, gt=0)
    """New orders beyond this rate are refused (a stuck key or a runaway script)."""


class PaperSettings(_Section):
    """Paper trading: the local matching engine and its ledger."""

    starting_balances: Annotated[dict[str, Decimal], NoDecode, BeforeValidator(_json_object)] = (
        Field(default_factory=lambda: {"USDT": Decimal(10_000)})
    )
    """Balances a new practice session starts with."""
    maker_fee: Decimal | None = None
    """Overrides the market's maker fee rate (e.g. 0.0002); None uses the market's."""
    taker_fee: Decimal | None = None
    """Overrides the market's taker fee rate (e.g. 0.00055); None uses the market's."""
    leverage: Decimal = Field(default=Decimal(10), gt=0, le=100)
    """Leverage of paper linear contracts: orders and positions hold notional / leverage."""
    ledger_synchronous: Literal["FULL", "NORMAL"] = "FULL"
    """SQLite ``synchronous`` of the paper ledger: FULL survives power loss, NORMAL (faster)
    survives a killed process but may lose the last fills if the machine itself crashes."""


class StreamSettings(_Section):
    """The WebSocket market-data streamer."""

    depth: int = 50
    """Order-book depth to subscribe to (Bybit allows 1, 50, 200, 1000)."""

    @field_validator("depth")
    @classmethod
    def _bybit_depth(cls, value: int) -> int:
        if value not in (1, 50, 200, 1000):
            raise ValueError("use 1, 50, 200 or 1000")
        return value

    ping_interval: float = Field(default=20.0, gt=0)
    """Seconds between application pings (Bybit recommends 20)."""
    pong_timeout: float = Field(default=10.0, gt=0)
    """Seconds to wait for a pong before the connection is considered dead."""
    silence_timeout: float = Field(default=10.0, gt=0)
    """Seconds without any frame before a stream is stale and is reconnected."""
    tolerate_gaps: bool = False
    """Patch over sequence gaps instead of resyncing; for venues whose ``u`` is not contiguous."""
    resnapshot_interval: float = Field(default=0.0, ge=0)
    """When gaps are tolerated, take a fresh snapshot this often (seconds, 0 = never)."""
    reconnect_base_delay: float = Field(default=1.0, gt=0)
    """First reconnect waits up to this long (seconds); each failure doubles it (full jitter)."""
    reconnect_max_delay: float = Field(default=60.0, gt=0)
    """Cap of the reconnect wait (seconds)."""
    slow_latency_ms: float = Field(default=1000.0, gt=0, le=600_000)
    """A stream whose frames arrive later than this (ms from the venue's stamp, median of
    the last few seconds) is flagged SLOW, before its silence would make it STALE."""
    clock_sync_interval: float = Field(default=60.0, ge=0, le=86_400)
    """Seconds between measurements of the venue's clock (its REST server time), which
    correct the streams' latency; 0 measures it once, at start."""


class ChaseSettings(_Section):
    """Chase orders: a post-only limit at the touch, amended to follow it as it moves away."""

    max_distance_pct: Decimal = Field(default=Decimal("0.5"), gt=0, le=50)
    """How far a chase may follow the touch, in percent of its start price; past it the
    chase stops and the order rests where it is."""
    min_amend_interval: float = Field(default=0.5, ge=0.05, le=60)
    """Seconds at least between two amends of one chase; touch moves in between are
    coalesced into one amend to the latest touch."""
    on_stream_loss: Literal["leave", "cancel"] = "leave"
    """What a chase does with its order when the market stream goes stale or drops: leave
    it resting where it is, or cancel it."""
    stream_grace_s: float = Field(default=2.0, ge=0, le=30)
    """Seconds the book may stay untrusted before the chase stops (it holds and amends
    nothing meanwhile), so a resync after a sequence gap does not end it; 0 stops at once."""


class UISettings(_Section):
    """The terminal interface."""

    max_fps: int = Field(default=50, gt=0, le=60)
    """Upper bound on repaints per second of live widgets. A change is painted at once when
    the last paint is older than ``1/max_fps``, so this bounds how long a book change waits
    for the screen (20 ms at 50) and what a busy market costs: at 10 symbols and speed 10,
    25 gave a p99 of 48 ms at 27 % of a core, 50 gives 24 ms at 30 % (``bench/RESULTS.md``).
    Lower it on a slow link or a busy machine."""
    confirm_paper_orders: bool = True
    """Ask for confirmation before paper orders too (live orders always ask)."""
    close_with: CloseStyle = CloseStyle.MARKET
    """How the close key (``X``) and ``close SYM`` close a position: ``market`` (reduce-only
    market order) or ``touch`` (reduce-only limit at the best price on the closing side: the
    ask to sell a long, the bid to buy back a short). Flatten always closes at market."""
    keymap: Annotated[dict[str, str], NoDecode, BeforeValidator(_json_object)] = Field(
        default_factory=dict
    )
    """Binding id to key(s), e.g. ``{"buy_at_cursor": "b"}``: remaps the defaults."""
    desktop_notifications: Literal["off", "osc9", "osc777"] = "off"
    """Alerts also raise a desktop notification through the terminal's OSC 9 or OSC 777."""


@dataclass(frozen=True)
class SettingsFile:
    """What a TOML settings file said (read by :mod:`console.config_file`), ready to layer.

    Attributes:
        path: The file, absolute.
        values: Its values as nested dicts keyed like :class:`Settings`.
        sources: For each field path, where in the file it was set (for error messages).
    """

    path: Path
    values: dict[str, Any]
    sources: dict[tuple[str, ...], str]


@dataclass(frozen=True)
class SettingsOrigins:
    """Where the values of a :class:`Settings` came from, for the start-up note.

    Attributes:
        files: Settings files that were read (today the ``.env``), absolute.
        environment: Environment variables that set a value (names only, never values).
        flags: Command-line flags that set a value.
    """

    files: tuple[Path, ...] = ()
    environment: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()

    def describe(self) -> str:
        """One line: ``settings from .env (/abs/.env), environment (BREAKOUT_MODE), flags``."""
        parts = [f"file {path}" for path in self.files]
        if self.environment:
            parts.append(f"environment ({', '.join(self.environment)})")
        if self.flags:
            parts.append(f"flags ({', '.join(self.flags)})")
        return "settings from " + ("; ".join(parts) if parts else "defaults only")


class Settings(BaseModel):
    """Everything the console is told from outside. Frozen: read once at start-up."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    venue: str = SIM_VENUE
    """``sim`` (built-in simulator), ``bybit``, ``bybit-testnet``, ``bybit-demo`` or a ccxt id."""
    venue_url: str | None = None
    """``http://HOST:PORT`` of a Bybit-v5-compatible server (a simulator started with
    ``breakout-console sim``, a replay): REST there and streams on ``ws://HOST:PORT/v5/...``.
    Only for ``sim`` (then no simulator is started inside the console) and the Bybit venues."""
    mode: TradingMode = TradingMode.PAPER
    """``paper`` (orders never leave the process) or ``live`` (signed requests)."""
    symbols: Annotated[tuple[str, ...], NoDecode, BeforeValidator(_split_symbols)] = (
        "BTC/USDT:USDT",
        "ETH/USDT:USDT",
        "SOL/USDT:USDT",
    )
    """Watchlist, comma-separated ccxt symbols (``BTC/USDT:USDT`` linear, ``BTC/USDT`` spot)."""
    theme: str = "breakout-dark"
    """Theme name: a bundled theme or the stem of a ``*.toml`` file in ``DATA_DIR/themes``."""
    data_dir: Path = Field(default_factory=lambda: Path(platformdirs.user_data_dir(APP_NAME)))
    """Where the paper ledger, order journal and remembered UI state live."""
    log_file: Path | None = None
    """Log file; defaults to the platform's log directory."""
    log_level: Annotated[LogLevel, BeforeValidator(_upper)] = "INFO"
    """DEBUG, INFO, WARNING or ERROR."""
    log_max_bytes: int = Field(default=5_000_000, ge=10_000)
    """The log file is rotated when it reaches this size (bytes)."""
    log_backups: int = Field(default=3, ge=0, le=100)
    """How many rotated log files are kept beside the current one."""
    log_libraries: bool = False
    """Log third-party libraries (ccxt, aiohttp, websockets, ...) at the log level too;
    otherwise they log only warnings and errors."""
    log_ws_frames: bool = False
    """Log every WebSocket frame (very verbose; for debugging a venue's stream)."""
    api_key: SecretStr | None = None
    """API key (``EXCHANGE_API_KEY``). Public data needs none."""
    secret: SecretStr | None = None
    """API secret (``EXCHANGE_SECRET``)."""
    passphrase: SecretStr | None = None
    """API passphrase (``EXCHANGE_PASSPHRASE``) for venues that have one."""
    recv_window_ms: int = Field(default=5000, ge=1000, le=60000)
    """Bybit ``X-BAPI-RECV-WINDOW``: how long a signed request stays valid (ms)."""
    sim: SimSettings = Field(default_factory=SimSettings)
    risk: RiskSettings = Field(default_factory=RiskSettings)
    paper: PaperSettings = Field(default_factory=PaperSettings)
    stream: StreamSettings = Field(default_factory=StreamSettings)
    ui: UISettings = Field(default_factory=UISettings)
    chase: ChaseSettings = Field(default_factory=ChaseSettings)
    _origins: SettingsOrigins = PrivateAttr(default_factory=SettingsOrigins)

    @property
    def origins(self) -> SettingsOrigins:
        """Where these values came from (set by :func:`load_settings`; empty otherwise)."""
        return self._origins

    @field_validator("venue")
    @classmethod
    def _venue_shape(cls, value: str) -> str:
        value = value.strip().lower()
        if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", value):
            raise ValueError(
                "use sim, bybit, bybit-testnet, bybit-demo or a ccxt exchange id such as okx"
            )
        return value

    @field_validator("venue_url")
    @classmethod
    def _venue_url_shape(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        return _check_venue_url(value.strip())

    @field_validator("symbols")
    @classmethod
    def _symbols_not_empty(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value:
            raise ValueError("name at least one symbol, e.g. BTC/USDT:USDT")
        return value

    @field_validator("api_key", "secret", "passphrase", mode="before")
    @classmethod
    def _blank_is_none(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @model_validator(mode="after")
    def _venue_url_needs_bybit(self) -> Self:
        if self.venue_url is not None and not self.is_bybit:
            raise ValueError(
                f"{env_name(('venue_url',))} (--venue-url) works with sim, "
                f"{', '.join(BYBIT_VENUES)} (Bybit v5 servers), not {self.venue}"
            )
        return self

    @model_validator(mode="after")
    def _live_needs_keys(self) -> Self:
        own_sim = self.is_sim and self.venue_url is None
        if self.mode is TradingMode.LIVE and not own_sim and not self.has_credentials:
            raise ValueError(
                "live mode needs EXCHANGE_API_KEY and EXCHANGE_SECRET (environment or .env); "
                "start with --mode paper to trade without keys"
            )
        return self

    @property
    def is_sim(self) -> bool:
        return self.venue == SIM_VENUE

    @property
    def is_bybit(self) -> bool:
        """Bybit v5 proper or the simulator that speaks it: native stream and limiter apply."""
        return self.venue == SIM_VENUE or self.venue in BYBIT_VENUES

    @property
    def venue_ws_url(self) -> str | None:
        """The WebSocket base of ``venue_url`` (``ws://HOST:PORT``), None without one."""
        if self.venue_url is None:
            return None
        return "ws" + self.venue_url.removeprefix("http")

    @property
    def starts_own_sim(self) -> bool:
        """Venue ``sim`` without a URL: the console starts the simulator inside itself."""
        return self.is_sim and self.venue_url is None

    @property
    def has_credentials(self) -> bool:
        return self.api_key is not None and self.secret is not None

    @property
    def resolved_log_file(self) -> Path:
        if self.log_file is not None:
            return self.log_file
        return Path(platformdirs.user_log_dir(APP_NAME)) / "console.log"


def _check_venue_url(value: str) -> str:
    """``http(s)://HOST[:PORT]`` with nothing after it, normalised without a trailing slash."""
    from urllib.parse import urlsplit

    usage = "use http://HOST:PORT or https://HOST:PORT"
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        raise ValueError(f"the port is not a number from 1 to 65535; {usage}") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError(f"the scheme must be http or https; {usage}")
    if not parts.hostname:
        raise ValueError(f"there is no host; {usage}")
    if port == 0:
        raise ValueError(f"the port is not a number from 1 to 65535; {usage}")
    if parts.path not in ("", "/") or parts.query or parts.fragment or parts.username:
        raise ValueError(f"give only scheme, host and port (the /v5 paths are added); {usage}")
    return f"{parts.scheme}://{parts.netloc}"


def env_name(path: tuple[str, ...]) -> str:
    """The environment variable that sets the field at ``path`` (e.g. ``("risk", "x")``)."""
    if len(path) == 1 and path[0] in CREDENTIAL_ENV:
        return CREDENTIAL_ENV[path[0]]
    return ENV_PREFIX + "__".join(part.upper() for part in path)


def section_models() -> dict[str, type[BaseModel]]:
    """The nested sections of :class:`Settings` (``risk``, ``ui``...), by field name."""
    return {
        name: field.annotation
        for name, field in Settings.model_fields.items()
        if isinstance(field.annotation, type) and issubclass(field.annotation, _Section)
    }


def _known_names(environ: Mapping[str, str]) -> list[str]:
    """The variables of ``environ`` that name a setting, in any case (as the environment
    source reads them: ``breakout_mode`` sets the mode too)."""
    names = [env_name((name,)) for name in Settings.model_fields]
    for name, section in section_models().items():
        names += [env_name((name, sub)) for sub in section.model_fields]
    known = {name.lower() for name in names}
    return sorted(name for name in environ if name.lower() in known)


class _FromOutside(BaseSettings, Settings):
    """:class:`Settings` as pydantic-settings' sources read it: ``BREAKOUT_`` names, ``__``
    between a section and its field, credentials under their own names. Only its sources are
    used; the values they return are layered and validated as :class:`Settings`."""

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        env_nested_delimiter="__",
        case_sensitive=False,
        extra="ignore",
        dotenv_filtering="only_existing",  # a .env may hold other tools' variables too
    )
    api_key: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices(CREDENTIAL_ENV["api_key"])
    )
    secret: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices(CREDENTIAL_ENV["secret"])
    )
    passphrase: SecretStr | None = Field(
        default=None, validation_alias=AliasChoices(CREDENTIAL_ENV["passphrase"])
    )


class _EnvironmentSource(EnvSettingsSource):
    """pydantic-settings' environment source reading a given mapping (tests pass their own
    instead of the process's)."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self._environ = environ
        super().__init__(_FromOutside)

    def _load_env_vars(self) -> dict[str, str | None]:
        return {name.lower(): value for name, value in self._environ.items()}


def _by_field_name(values: Mapping[str, Any]) -> dict[str, Any]:
    """The sources key credentials by their variable; the fields are named ``api_key``..."""
    names = {variable.lower(): field for field, variable in CREDENTIAL_ENV.items()}
    return {names.get(key.lower(), key): value for key, value in values.items()}


def _from_environment(environ: Mapping[str, str]) -> dict[str, Any]:
    """Every known variable of ``environ``, as a nested dict of raw strings."""
    return _read(_EnvironmentSource(environ), where="")


def _from_dotenv(path: Path) -> dict[str, Any]:
    """Every known variable of the ``.env`` file at ``path``, as a nested dict."""
    return _read(DotEnvSettingsSource(_FromOutside, env_file=path), where=f" in {path}")


_UNDECODABLE_FIELD = re.compile(r'field "(?P<field>\w+)"')


def _read(source: PydanticBaseSettingsSource, *, where: str) -> dict[str, Any]:
    """``source``'s values; a section given as a value that is not JSON (``BREAKOUT_RISK=x``)
    is one line naming the variable, as any other bad value (pydantic-settings raises its
    own exception there, which would reach the trader as a traceback).

    Raises:
        SettingsError: a section's variable that is not a JSON object.
    """
    try:
        return _by_field_name(source())
    except SourceError as error:
        found = _UNDECODABLE_FIELD.search(str(error))
        section = found["field"] if found else ""
        model = section_models().get(section)
        if model is None:
            raise SettingsError(f"settings{where}: {error}") from None
        first, info = next(iter(model.model_fields.items()))
        example = f"{env_name((section, first))}={info.default}"
        raise SettingsError(
            f"{env_name((section,))}{where}: expected a JSON object; or set each value on its "
            f"own, e.g. {example}"
        ) from None


def _field_paths(values: Mapping[str, Any]) -> set[tuple[str, ...]]:
    """``{"risk": {"x": 1}, "venue": "sim"}`` -> ``{("risk", "x"), ("venue",)}``."""
    sections = section_models()
    paths: set[tuple[str, ...]] = set()
    for name, value in values.items():
        if name in sections and isinstance(value, Mapping):
            paths |= {(name, sub) for sub in value}
        else:
            paths.add((name,))
    return paths


def _merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        elif value is not None:
            merged[key] = value
    return merged


def _describe(error: ValidationError, sources: Mapping[tuple[str, ...], str]) -> str:
    """One line for the first problem: which variable (or flag), what was wrong."""
    first = error.errors()[0]
    path = tuple(str(part) for part in first["loc"] if isinstance(part, str))
    field_path = path[:2] if path and path[0] in _SECTIONS else path[:1]
    message = str(first["msg"]).removeprefix("Value error, ")
    if not field_path:
        return message
    where = sources.get(field_path, env_name(field_path))
    received = first.get("input")
    shown = (
        "" if field_path[-1] in CREDENTIAL_ENV or isinstance(received, dict) else f" {received!r}"
    )
    return f"{where}:{shown} {message}".replace(":  ", ": ")


def load_settings(
    cli: Mapping[str, Any] | None = None,
    *,
    environ: Mapping[str, str] | None = None,
    dotenv_path: Path | None = Path(".env"),
    settings_file: SettingsFile | None = None,
) -> Settings:
    """Build Settings from flags, the environment, a ``.env`` file and the config file, in
    that precedence.

    Args:
        cli: values from command-line flags, keyed by field name; None values are ignored.
        environ: the process environment (``os.environ`` when None).
        dotenv_path: the ``.env`` file to read if it exists; None reads none.
        settings_file: what the TOML settings file said, profile applied
            (:func:`console.config_file.read_settings_file`); None when there is none.

    Raises:
        SettingsError: one readable line naming the variable, flag or file key at fault.
    """
    environ = os.environ if environ is None else environ
    read_dotenv = dotenv_path is not None and dotenv_path.is_file()
    dotenv = _from_dotenv(dotenv_path) if dotenv_path is not None and read_dotenv else {}
    file_values = settings_file.values if settings_file is not None else {}
    file_sources = settings_file.sources if settings_file is not None else {}
    from_env = _merge(dotenv, _from_environment(environ))
    layered = _merge(file_values, from_env)
    cli_values = {k: v for k, v in (cli or {}).items() if v is not None}
    overridden = _field_paths(from_env) | _field_paths(cli_values)
    sources = {path: label for path, label in file_sources.items() if path not in overridden}
    sources |= {(name,): f"--{name.replace('_', '-')}" for name in cli_values}
    try:
        settings = Settings.model_validate(_merge(layered, cli_values))
    except ValidationError as error:
        raise SettingsError(_describe(error, sources)) from None
    files = [settings_file.path] if settings_file is not None else []
    if dotenv_path is not None and read_dotenv:
        files.append(dotenv_path.resolve())
    settings._origins = SettingsOrigins(
        files=tuple(files),
        environment=tuple(_known_names(environ)),
        flags=tuple(f"--{name.replace('_', '-')}" for name in cli_values),
    )
    return settings


def loosened_safety(settings: Settings) -> list[str]:
    """Settings that make a mistake easier than the defaults do, one sentence each.

    Shown once at start-up (and logged), so a value inherited from a forgotten ``.env``
    cannot loosen the console silently. Key remaps are judged by the interface, which knows
    which bindings are safety keys.
    """
    notes: list[str] = []
    if settings.mode is TradingMode.LIVE:
        if settings.is_sim:
            notes.append("live mode: once armed, signed orders go to the simulator")
        else:
            notes.append(f"live mode: once armed, orders on {settings.venue} are real money")
    defaults = RiskSettings()
    for name in ("max_order_notional", "price_band_pct", "max_orders_per_second"):
        value, default = getattr(settings.risk, name), getattr(defaults, name)
        if value > default:
            notes.append(f"{env_name(('risk', name))} is {value}, above the default {default}")
    if not settings.ui.confirm_paper_orders:
        notes.append("paper orders are sent without a confirmation")
    return notes
