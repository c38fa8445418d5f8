"""Survei Kepuasan Masyarakat (SKM) and its index (IKM), as PermenPANRB 14/2017 defines them."""

from shared.satisfaction.index import ELEMENTS, Grade, SatisfactionIndex, minimum_sample, satisfaction_index
from shared.satisfaction.sheets import SurveySheetError, read_survey_sheet

__all__ = [
    "ELEMENTS",
    "Grade",
    "SatisfactionIndex",
    "SurveySheetError",
    "minimum_sample",
    "read_survey_sheet",
    "satisfaction_index",
]
