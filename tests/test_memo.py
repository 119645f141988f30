"""``memo.Memo``: each result made once per key, kept while recently used."""

from __future__ import annotations

from briefgen.memo import Memo


def test_a_result_is_made_once_and_then_found() -> None:
    memo: Memo[object] = Memo(limit=2)
    made: list[str] = []

    def make(value: object, name: str) -> object:
        made.append(name)
        return value

    assert memo.get("a", lambda: make(1, "a")) == 1
    assert memo.get("a", lambda: make(2, "a again")) == 1
    # a falsy result, and None itself, is a result found like any other, not a miss
    assert memo.get("none", lambda: make(None, "none")) is None
    assert memo.get("none", lambda: make("other", "none again")) is None
    assert memo.get(0, lambda: make(0, "zero")) == 0
    assert made == ["a", "none", "zero"]
    assert (memo.hits, memo.misses) == (2, 3)


def test_the_least_recently_used_result_goes_first() -> None:
    memo: Memo[int] = Memo(limit=2)
    memo.get("a", lambda: 1)
    memo.get("b", lambda: 2)
    memo.get("a", lambda: 0)  # used: "b" is now the oldest
    memo.get("c", lambda: 3)
    assert len(memo) == 2
    assert memo.get("a", lambda: -1) == 1
    assert memo.get("b", lambda: -2) == -2  # made again
