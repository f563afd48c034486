"""An experiment's result in plain words: counts first, then what they allow one to say."""

import math

from journal.experiments.analysis import MIN_ANALYSED_NIGHTS, Analysis, Effect, Result, Verdict


def counts(analysis: Analysis, on_nights: str) -> str:
    change, usual = analysis.change, analysis.usual
    if not change.nights or not usual.nights:
        missing = on_nights.lower() if not change.nights else "usual nights"
        kept = usual if not change.nights else change
        where = "on your usual nights" if not change.nights else f"on {on_nights.lower()}"
        had = (
            f"; {where} you had cramps on {kept.cramp_nights} of {kept.nights}"
            if kept.nights
            else ""
        )
        return f"No {missing} analysed{had}."
    return (
        f"On {on_nights.lower()} you had cramps on {change.cramp_nights} of {change.nights} "
        f"nights, against {usual.cramp_nights} of {usual.nights} on your usual nights."
    )


def change_in_words(ratio: float) -> str:
    """0.25 -> "a 75% reduction", 1.8 -> "an 80% increase", 1.0 -> "no change", 3.46 ->
    "a 3.5-fold increase" (from twice on, a percentage stops reading naturally)."""
    if ratio >= 2:
        return f"a {ratio:.1f}-fold increase" if ratio < 10 else f"a {ratio:.0f}-fold increase"
    percent = round(abs(1 - ratio) * 100)
    if percent == 0:
        return "no change"
    article = "an" if str(percent).startswith("8") or percent in (11, 18) else "a"
    return f"{article} {percent}% {'reduction' if ratio < 1 else 'increase'}"


def interval_in_words(effect: Effect) -> str:
    return (
        f"the data fit anything from {change_in_words(effect.low)} to "
        f"{change_in_words(effect.high)} in nights with cramps"
    )


def verdict_in_words(result: Result, name: str) -> str:
    """What the result allows one to say, `name` being the change ("stretching before bed")."""
    analysis = result.as_treated
    effect = analysis.effect
    if result.verdict == Verdict.TOO_EARLY:
        analysed = analysis.change.nights + analysis.usual.nights
        return (
            f"Too early to tell: {analysed} nights analysed. A result is given only once every "
            "block is done, so that an early run of good or bad nights cannot decide it."
        )
    if result.verdict == Verdict.TOO_FEW_NIGHTS:
        fewest = min(analysis.change.nights, analysis.usual.nights)
        return (
            f"Not enough nights to tell: each kind of night needs {MIN_ANALYSED_NIGHTS} "
            f"analysed, and one has {fewest}."
        )
    assert effect is not None
    # Rounded down, so that a probability just under the 95% a claim needs never reads 95%.
    chance = math.floor(effect.probability_helps * 100)
    if result.verdict == Verdict.HELPS:
        return (
            f"It is likely ({chance}%) that {name.lower()} helps you; {interval_in_words(effect)}."
        )
    if result.verdict == Verdict.WORSE:
        return (
            f"Cramp nights were likely more common with {name.lower()} "
            f"({math.floor((1 - effect.probability_helps) * 100)}%); {interval_in_words(effect)}."
        )
    return (
        f"No clear difference: the chance that {name.lower()} helps you is {chance}%, and "
        f"{interval_in_words(effect)}."
    )
