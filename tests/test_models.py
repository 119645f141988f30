"""The models' validators: built when first used, and safely so."""

from __future__ import annotations

import os
import signal

import pytest
from pydantic._internal import _generate_schema

from briefgen import models


@pytest.mark.parametrize("signame", ["SIGINT", "SIGTERM", "SIGHUP"])
def test_a_signal_while_a_validator_is_built_waits_until_it_is_built(monkeypatch, signame):
    """A signal that arrives while pydantic builds a model's deferred validator interrupts
    the run only once the build is done: never inside pydantic, leaving it half built."""

    class Probe(models.Strict):  # a model no run has validated yet
        when: models.PartialDate
        who: list[models.Person] | None = None

    assert not Probe.__pydantic_complete__
    sig = getattr(signal, signame)
    real = _generate_schema.GenerateSchema.generate_schema
    sent: list[bool] = []

    def interrupted(self, obj, *args, **kwargs):
        if not sent:
            sent.append(Probe.__pydantic_complete__)
            os.kill(os.getpid(), sig)
        return real(self, obj, *args, **kwargs)

    monkeypatch.setattr(_generate_schema.GenerateSchema, "generate_schema", interrupted)
    previous = signal.signal(sig, signal.default_int_handler)  # as briefgen's main() sets them
    try:
        with pytest.raises(KeyboardInterrupt):
            models.validate(Probe, {"when": "2024-05"})
    finally:
        signal.signal(sig, previous)
    assert sent == [False]  # the signal came while the validator was being built
    assert Probe.__pydantic_complete__  # and was acted on once it was whole
    monkeypatch.undo()
    assert models.validate(Probe, {"when": "2024", "who": [{"family": "Ji"}]}).when.year == 2024
