"""Choose the view for a card by its type, importing each specialised view only when a card needs it
(so a session of recall cards never pays for the editor, Spark or Whisper).

A view that fails to import is an error, not a reason to show the card another way.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from prepdeck.tui.components.card_view import BasicCardView, CardView

if TYPE_CHECKING:
    from prepdeck.core.context import Context
    from prepdeck.decks.model import Card

# card type -> "module:class"; recall cards use BasicCardView
SPECIALISED: dict[str, str] = {
    "sql": "prepdeck.tui.components.code_view:CodeCardView",
    "pyspark": "prepdeck.tui.components.spark_view:PySparkCardView",
    "python": "prepdeck.tui.components.python_view:PythonCardView",
    "star": "prepdeck.tui.components.speech_view:SpokenCardView",
    "design": "prepdeck.tui.components.design_view:DesignCardView",
}

# design cards answered aloud (key `r` on a design card) use the speech view
SPOKEN = "prepdeck.tui.components.speech_view:SpokenCardView"


def view_class(card_type: str, spoken: bool = False) -> type[CardView]:
    target = SPOKEN if spoken else SPECIALISED.get(card_type)
    if target is None:
        return BasicCardView
    module_name, _, class_name = target.partition(":")
    cls = getattr(importlib.import_module(module_name), class_name)
    if not (isinstance(cls, type) and issubclass(cls, CardView)):
        raise TypeError(f"{target} is not a CardView")
    return cls


def view_for(card: Card, context: Context, *, spoken: bool = False) -> CardView:
    """The widget that shows `card` on the review screen."""
    return view_class(card.type, spoken)(card, context)


def spoken_twin(view: CardView, context: Context) -> CardView:
    """The card of a written design view in the spoken view (key `r`), with the capacity numbers typed and
    the points ticked so far; mount it in the written view's place (then reveal it if `view` was)."""
    spoken = view_for(view.card, context, spoken=True)
    written, sheet = getattr(view, "sheet", None), getattr(spoken, "sheet", None)
    if written is not None and sheet is not None:
        sheet.carry_from(written)
    return spoken
