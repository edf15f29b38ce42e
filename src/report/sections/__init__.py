"""The sections of a year's briefing, one module per section, in page order.

Each builder takes the year's :class:`src.report.load.YearReport` and returns escaped HTML
for one section, shown by one cell of ``notebooks/04_report.ipynb``:

=====================  ==============================  ===================================
module                 builder                         what it shows
=====================  ==============================  ===================================
``headline``           :func:`title_block`             title, simulated-data notice,
                                                       contents
``headline``           :func:`summary_section`         the page for the panel's five
                                                       minutes (and, on paper, contents)
``review``             :func:`review_section`          what the panel might look at again
``picture``            :func:`picture_section`         volume against engagement (chart)
``models``             :func:`models_section`          the models compared, and the answer
``families``           :func:`families_section`        which kinds of evidence matter
``volume_effect``      :func:`volume_section`          volume, once influence is held fixed
``categories``         :func:`categories_section`      consistency across categories
``network``            :func:`network_section`         who engages with whom
``nominees``           :func:`nominees_section`        every nominee: ranked table, finder,
                                                       evidence cards
``glossary``           :func:`glossary_section`        every technical term in plain words
``appendix``           :func:`appendix_section`        methods, data quality, dictionary
=====================  ==============================  ===================================

Shared by several sections: ``common`` (the contents, how a section says what it cannot
show), ``coverage`` (what the data covered) and ``archetypes`` (archetype names in words).

Every section reads its inputs defensively (:mod:`src.report.outputs`): when a model
output is missing, or the model card says the step fell back (too few picks, no earlier
year), or the data are too thin to draw (no engagement, no posts, no interactions), the
section says so in words and shows no empty figure. Every model figure comes
from the model step's outputs, the comparison from the card's record
(``card["comparison"]``), never recomputed. Untrusted text (names, categories) goes
through :func:`src.report.html.esc`; only nominees are ever named. The page's anchors and
titles are :data:`src.report.sections.common.CONTENTS`.

To add a section: a module here with its builder, its anchor and title in ``CONTENTS``,
the builder listed below, and one cell calling it in the report notebook.
"""

from src.report.sections.appendix import appendix_section
from src.report.sections.categories import categories_section
from src.report.sections.families import families_section
from src.report.sections.glossary import glossary_section
from src.report.sections.headline import summary_section, title_block
from src.report.sections.models import models_section
from src.report.sections.network import network_section
from src.report.sections.nominees import nominees_section
from src.report.sections.picture import picture_section
from src.report.sections.review import review_section
from src.report.sections.volume_effect import volume_section

__all__ = [
    "appendix_section",
    "categories_section",
    "families_section",
    "glossary_section",
    "models_section",
    "network_section",
    "nominees_section",
    "picture_section",
    "review_section",
    "summary_section",
    "title_block",
    "volume_section",
]
