"""The starting text of a code card's editor: for a card whose answer is a Python function, the function
to write (its imports and `def` line, taken from the solution; from `function` and the tables when the
solution does not parse), with an empty body. SQL cards start empty.

Shared by every view that edits a function answer, so the exercise always names what the judge calls.
"""

from __future__ import annotations

import ast

from prepdeck.decks.model import Card

BODY = "    # your code here\n    ...\n"


def starter_code(card: Card) -> str:
    """The text a fresh editor shows for `card` ("" when the card has no function to write)."""
    name = card.function
    if not name:
        return ""
    try:
        tree = ast.parse(card.solution or "")
    except SyntaxError:
        tree = ast.Module(body=[], type_ignores=[])
    imports = [ast.unparse(n) for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    header = f"def {name}({', '.join(card.tables)}):"
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name == name:
            returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
            header = f"def {name}({ast.unparse(node.args)}){returns}:"
            break
    head = "\n".join(imports) + "\n\n\n" if imports else ""
    return f"{head}{header}\n{BODY}"


def is_untouched(answer: str, card: Card) -> bool:
    """The editor holds only what it started with: nothing written yet, so nothing to judge."""
    return answer.strip() == starter_code(card).strip()
