"""Panels of the main screen: each one module, fed data by the app and posting typed messages up."""
