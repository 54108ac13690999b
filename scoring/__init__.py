"""How answers are scored against the interview guide's rubrics: the rubrics (rubrics.py), the evidence
a round is scored from (evidence.py), the measure behind each line (measures.py), the one entry point that
turns evidence into a scorecard (card.py), and the delivery feedback of a spoken answer (feedback.py).
Importable without Textual; imports core, decks and recordings only."""
