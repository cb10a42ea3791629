"""What the property tests' random threads share."""

from __future__ import annotations


def document_order(parents: list[int | None]) -> list[int]:
    """The comments in page order: a depth-first walk, each reply right after its parent's earlier replies."""
    children: dict[int | None, list[int]] = {}
    for k, parent in enumerate(parents):
        children.setdefault(parent, []).append(k)
    order, stack = [], list(reversed(children.get(None, [])))
    while stack:
        k = stack.pop()
        order.append(k)
        stack.extend(reversed(children.get(k, [])))
    return order
