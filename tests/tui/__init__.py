"""Tests of the annotation interface."""
