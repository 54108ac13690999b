"""Choose the view for a card by its type, importing specialised views only when needed.

A specialised view that is missing (not written yet) or fails to import falls back to the basic
reveal-and-rate view, so every card type stays reviewable.
"""

from __future__ import annotations

import importlib
import logging
from typing import TYPE_CHECKING

from prepdeck.tui.components.card_view import BasicCardView, CardView

if TYPE_CHECKING:
    from prepdeck.core.context import Context
    from prepdeck.decks.model import Card

log = logging.getLogger(__name__)

# card type -> "module:class", tried in order
SPECIALISED: dict[str, tuple[str, ...]] = {
    "sql": ("prepdeck.tui.components.code_view:CodeCardView",),
    "pyspark": (
        "prepdeck.tui.components.spark_view:PySparkCardView",
        "prepdeck.tui.components.code_view:CodeCardView",
    ),
    "python": ("prepdeck.tui.components.python_view:PythonCardView",),
    "star": ("prepdeck.tui.components.speech_view:SpokenCardView",),
    "design": ("prepdeck.tui.components.design_view:DesignCardView",),
}

# design cards answered aloud (key `r` on a design card) use the speech view
SPOKEN: tuple[str, ...] = ("prepdeck.tui.components.speech_view:SpokenCardView",)


def view_class(card_type: str, spoken: bool = False) -> type[CardView]:
    for target in SPOKEN if spoken else SPECIALISED.get(card_type, ()):
        module_name, _, class_name = target.partition(":")
        try:
            module = importlib.import_module(module_name)
            cls = getattr(module, class_name)
        except ImportError as exc:  # not written yet, or its own dependency is missing
            log.debug("card view %s unavailable: %s", target, exc)
            continue
        except AttributeError:
            continue
        if isinstance(cls, type) and issubclass(cls, CardView):
            return cls
    return BasicCardView


def view_for(card: Card, context: Context, *, spoken: bool = False) -> CardView:
    """The widget that shows `card` on the review screen."""
    return view_class(card.type, spoken)(card, context)


def spoken_twin(view: CardView, context: Context) -> CardView:
    """The card of a written design view in the spoken view (key `r`), with the capacity numbers typed so
    far; mount it in the written view's place."""
    spoken = view_for(view.card, context, spoken=True)
    written, sheet = getattr(view, "sheet", None), getattr(spoken, "sheet", None)
    if written is not None and sheet is not None:
        sheet.numbers = written.typed_numbers()
    return spoken
