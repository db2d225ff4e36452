"""What the tests share, so no test imports another test module.

``tests/`` is on ``sys.path`` (``pythonpath`` in pyproject.toml), so a test imports these as
``from support.waiting import wait_until``:

- ``waiting``: the one waiting helper; tests wait on conditions, never for a fixed time.
- ``builders``, ``order_form``, ``scripted_market``, ``fixed_scene``: domain values and inputs.
- ``console``, ``screen_host``: the real console and single screens under Pilot.
- ``emulated_terminal``: what a terminal shows of an app, from the bytes it wrote.
- ``sim_clients``, ``sim_process``, ``stream``, ``unthrottled``: clients of the simulator.
"""
