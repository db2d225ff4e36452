"""Pure validation helpers shared by the trading forms: no Textual, so they test fast and alone."""
