"""The reports' colours, chosen once: pairs that differ for colour-blind readers.

Two-way contrasts (selected against not selected, the volume-only model against the full
influence model, above against below the median) pair a dark blue with an orange or a
light grey: they differ in lightness as well as hue, so they stay apart in every common
form of colour blindness and in greyscale print. Groups (communities, archetypes) take
the Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design"), whose eight colours
were chosen to be told apart by readers with any common colour-vision deficiency.
"""

from __future__ import annotations

#: NHS blue: the selected, the full influence model, "above the median".
BLUE = "#005EB8"
#: A light grey, lighter than the blue in greyscale: the not selected.
GREY = "#9AA5AD"
#: Okabe-Ito orange: the volume-only model, "below the median".
ORANGE = "#E69F00"
#: Text and lines.
DARK = "#231F20"
#: The selected and the not selected.
SELECTED_COLOUR, OTHER_COLOUR = BLUE, GREY
#: The volume-only model and the full influence model.
BASELINE_COLOUR, FULL_COLOUR = ORANGE, BLUE
#: Bars above and below the median on an evidence card.
ABOVE_COLOUR, BELOW_COLOUR = BLUE, ORANGE

#: Okabe-Ito, without its black (kept for text), dark blue first.
GROUP_COLOURS = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#7F7F7F",
)
#: Groups beyond the palette.
REST_COLOUR = "#D9D9D9"


def group_colour(position: int) -> str:
    """The colour of the group at ``position`` (0-based) in a fixed order of groups."""
    return GROUP_COLOURS[position] if 0 <= position < len(GROUP_COLOURS) else REST_COLOUR
