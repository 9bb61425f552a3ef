"""The workshop room: participants answer from their own devices; the facilitator sees the room live.

One tornado process serves every participant with plain request handlers (no
kernel per participant): :mod:`.server` holds the handlers and ``run_room``,
:mod:`.activities` what each activity asks and how its answers are checked
and accepted into the plan. Start it with ``partnerlib workshop PLAN``.
"""
