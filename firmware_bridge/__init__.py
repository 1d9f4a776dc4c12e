"""Devices, protocols and recording sources for gradecoach."""
