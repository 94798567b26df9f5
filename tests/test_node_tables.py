"""A node's comparison table leaves out what its page already says: the class on a class page, and the
class and leaf on a leaf page, when every study there is placed in that node alone."""

from __future__ import annotations

import json

from surveysite.build import Project, load_catalog
from surveysite.cache import Memo
from surveysite.problems import Problems
from surveysite.survey import load_survey
from surveysite.views import Views

from .conftest import MINI

ALL = ("study", "class", "leaf", "year", "model", "feedback", "code", "added")


def _views() -> Views:
    return Views(load_catalog(Project.at(MINI)), load_survey(MINI, Problems()), None, Memo(keep=False))


def test_a_leaf_whose_studies_are_placed_there_alone_shows_neither_class_nor_leaf() -> None:
    table = _views().matrix("alpha/one")  # First, placed in alpha/one alone
    assert table.ids == ("study", "year", "model", "feedback", "code", "added")
    assert table.columns == ("Study", "Year", "Model", "Feedback", "Code released", "Date added")
    assert table.rows == (
        ("First", "studies/mueller2021first.md", ("2021", "Model-A", "human", "yes", "2026-01-01")),
    )


def test_a_study_placed_elsewhere_too_keeps_the_columns_that_say_where() -> None:
    views = _views()
    two = views.matrix("alpha/two")  # Second, in alpha/two and beta
    assert two.ids == ALL
    assert two.rows[0][2][:2] == ("Alpha, Beta", "Leaf two, Beta")
    assert views.matrix("beta").ids == ALL  # Second is in Alpha too; Third in beta alone
    assert views.matrix("alpha").ids == ALL  # a class page keeps its leaves; Second is in Beta too


def test_the_whole_matrix_and_every_tables_data_keep_every_column() -> None:
    views = _views()
    assert views.matrix().ids == ALL
    assert len(views.matrix().columns) == len(ALL)
    for name, text in views.table_data().items():
        data = json.loads(text)
        assert data["columns"] == list(ALL[1:]), name  # the ids of each record's cells, for matrix.js
        assert all(len(study["cells"]) == len(ALL) - 1 for study in data["studies"]), name
