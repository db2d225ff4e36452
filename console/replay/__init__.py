"""Record a venue's public market data into one file, and replay it through the simulator.

``recording.py`` is the file format, ``recorder.py`` writes one from a live venue,
``market.py`` plays one back as the simulator's market and ``server.py`` serves it.
"""
