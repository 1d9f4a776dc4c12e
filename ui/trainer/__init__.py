"""The live trainer window: a scrolling force plot, the current grade in large type, thrusts
on their corridors, calibration, targets, feedback schedules and one-key recording."""
