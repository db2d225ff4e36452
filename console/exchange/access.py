"""Where a venue listens and the keys to sign with: plain values, no ccxt.

Kept apart from the venue presets (which import ccxt) so the embedded simulator can hand
its address and key pair to the streamer before the exchange client's imports are paid.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, SecretStr

from console.config import Settings


class VenueEndpoints(BaseModel):
    """Where a self-hosted venue (the simulator) listens."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rest_url: str
    """e.g. ``http://127.0.0.1:PORT``; Bybit paths (``/v5/...``) are appended by ccxt."""
    ws_url: str
    """e.g. ``ws://127.0.0.1:PORT``; ``/v5/public/{type}`` is appended per market type."""


class Credentials(BaseModel):
    """API credentials; ``SecretStr`` keeps them out of reprs and logs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    api_key: SecretStr
    secret: SecretStr
    passphrase: SecretStr | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Credentials | None:
        if settings.api_key is None or settings.secret is None:
            return None
        return cls(api_key=settings.api_key, secret=settings.secret, passphrase=settings.passphrase)

    def ccxt_config(self) -> dict[str, str]:
        config = {
            "apiKey": self.api_key.get_secret_value(),
            "secret": self.secret.get_secret_value(),
        }
        if self.passphrase is not None:
            config["password"] = self.passphrase.get_secret_value()
        return config
