"""The demo district's fixed numbers: sizes, the school year, demographic proportions
(roughly US public schools) and the word lists synthetic names are drawn from."""

from __future__ import annotations

import datetime as dt

from students.models import (
    RaceEthnicity,
    Sex,
)

# Demo only: printed by `make run` and in the README. Never use a demo database for real data.
DEMO_PASSWORD = "demo1234!"
DEFAULT_DISTRICT_NAME = "Cedar Valley School District (demo)"
DEFAULT_STUDENTS = 3000
DEFAULT_SEED = 2026
MIN_STUDENTS = 100

YEAR_NAME = "2026-2027"
YEAR_START = dt.date(2026, 8, 17)
YEAR_END = dt.date(2027, 6, 4)

ELEMENTARY_GRADES = (0, 1, 2, 3, 4, 5)
MIDDLE_GRADES = (6, 7, 8)
STUDENTS_PER_ELEMENTARY = 450
STUDENTS_PER_MIDDLE = 700
HOMEROOM_TARGET = 24
HOMEROOM_MIN, HOMEROOM_MAX = 22, 26
MIDDLE_SECTION_TARGET = 26
MIDDLE_SECTIONS_PER_TEACHER = 5

# --- demographic proportions (roughly US public schools, NCES Digest 2021-22) -----------------

RACE_WEIGHTS: tuple[tuple[str, float], ...] = (
    (RaceEthnicity.WHITE, 0.45),
    (RaceEthnicity.HISPANIC_LATINO, 0.28),
    (RaceEthnicity.BLACK, 0.15),
    (RaceEthnicity.ASIAN, 0.05),
    (RaceEthnicity.TWO_OR_MORE, 0.05),
    (RaceEthnicity.AMERICAN_INDIAN, 0.01),
    (RaceEthnicity.PACIFIC_ISLANDER, 0.005),
    (RaceEthnicity.UNKNOWN, 0.005),
)
SEX_WEIGHTS: tuple[tuple[str, float], ...] = (
    (Sex.MALE, 0.508),
    (Sex.FEMALE, 0.488),
    (Sex.NONBINARY, 0.004),
)
# English learners are concentrated among Hispanic and Asian students; these rates give ~10.5%.
EL_RATE = {
    RaceEthnicity.HISPANIC_LATINO: 0.28,
    RaceEthnicity.ASIAN: 0.25,
    RaceEthnicity.PACIFIC_ISLANDER: 0.15,
    RaceEthnicity.TWO_OR_MORE: 0.04,
}
EL_RATE_OTHER = 0.02
# Boys are identified for special education about twice as often; these rates give ~15%.
IEP_RATE = {Sex.MALE: 0.19, Sex.FEMALE: 0.105, Sex.NONBINARY: 0.15}
# A 504 plan is for students without an IEP: 3.5% of the 85% without one is ~3%.
SECTION_504_RATE = 0.035
ECON_RATE = 0.45
# Schools differ in poverty; the offsets cancel in pairs so the district stays near 45%.
ECON_SCHOOL_OFFSETS = (0.10, -0.10, 0.05, -0.05, 0.0, 0.08, -0.08, 0.03, -0.03)
# Students a year older than their grade (retained or started late).
OLDER_RATE = 0.02

# --- synthetic names ---------------------------------------------------------------------------


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


FEMALE_NAMES = _words(
    "Olivia Emma Ava Sophia Isabella Mia Amelia Harper Evelyn Abigail Emily Ella Elizabeth "
    "Camila Luna Sofia Avery Mila Aria Scarlett Penelope Layla Chloe Victoria Madison Eleanor "
    "Grace Nora Riley Zoey Hannah Hazel Lily Ellie Violet Lillian Zoe Stella Aurora Natalie "
    "Emilia Everly Leah Aubrey Willow Addison Lucy Audrey Bella Nevaeh Claire Skylar Maya "
    "Naomi Jasmine Valentina Ximena Aaliyah Imani Mei Priya Ananya Keira Tala"
)
MALE_NAMES = _words(
    "Liam Noah Oliver Elijah James William Benjamin Lucas Henry Theodore Jack Levi Alexander "
    "Jackson Mateo Daniel Michael Mason Sebastian Ethan Logan Owen Samuel Jacob Asher Aiden "
    "John Joseph Wyatt David Leo Luke Julian Hudson Grayson Matthew Ezra Gabriel Carter "
    "Isaac Jayden Luca Anthony Dylan Lincoln Thomas Maverick Elias Josiah Charles Caleb "
    "Christopher Ezekiel Miles Jaxon Isaiah Andrew Joshua Nathan Santiago Diego Malik "
    "Jamal Kenji Arjun Rohan Kai"
)
HISPANIC_FEMALE_NAMES = _words(
    "Sofia Valentina Camila Ximena Lucia Mariana Daniela Gabriela Isabella Renata Paola Andrea"
)
HISPANIC_MALE_NAMES = _words(
    "Mateo Santiago Diego Sebastian Leonardo Emiliano Alejandro Adrian Angel Carlos Miguel Luis"
)
NICKNAMES = {
    "Alexander": "Alex",
    "Benjamin": "Ben",
    "Christopher": "Chris",
    "Daniel": "Danny",
    "Elizabeth": "Liz",
    "Gabriela": "Gaby",
    "Joshua": "Josh",
    "Matthew": "Matt",
    "Nathan": "Nate",
    "Samuel": "Sam",
    "Theodore": "Theo",
    "Valentina": "Vale",
    "Victoria": "Tori",
    "William": "Will",
}
LAST_NAMES = _words(
    "Smith Johnson Williams Brown Jones Miller Davis Wilson Anderson Taylor Thomas Moore "
    "Jackson Martin Lee Thompson White Harris Clark Lewis Robinson Walker Young Allen King "
    "Wright Scott Hill Green Adams Baker Nelson Carter Mitchell Roberts Turner Phillips "
    "Campbell Parker Evans Edwards Collins Stewart Morris Murphy Cook Rogers Morgan Cooper "
    "Peterson Bailey Reed Kelly Howard Cox Ward Richardson Watson Brooks Wood James Bennett "
    "Gray Hughes Price Sanders Myers Long Ross Foster Powell Jenkins Perry Russell Sullivan "
    "Bell Coleman Butler Henderson Barnes Fisher Washington Simmons Patterson Jordan Reynolds "
    "Hamilton Graham Wallace Cole West Owens Ellis Harrison Gibson Marshall"
)
HISPANIC_LAST_NAMES = _words(
    "Garcia Rodriguez Martinez Hernandez Lopez Gonzalez Perez Sanchez Ramirez Torres Flores "
    "Rivera Gomez Diaz Reyes Cruz Morales Ortiz Gutierrez Chavez Ramos Ruiz Alvarez Mendoza "
    "Castillo Jimenez Vasquez Romero Herrera Medina Aguilar Vargas Castro Guzman Munoz "
    "Salazar Delgado Soto Contreras Pena"
)
ASIAN_LAST_NAMES = _words(
    "Nguyen Kim Patel Chen Wang Li Zhang Liu Tran Le Pham Park Choi Singh Shah Huang Lin "
    "Yang Wu Tanaka Sato Kumar Gupta Cho Vu"
)

ELEMENTARY_NAME_WORDS = _words(
    "Alder Aspen Birch Cedar Chestnut Cottonwood Cypress Dogwood Elm Hawthorn Hazel Hickory "
    "Juniper Laurel Linden Magnolia Maple Mesquite Oak Pecan Pine Poplar Redbud Sequoia "
    "Spruce Sycamore Tamarack Walnut Willow Yarrow"
)
MIDDLE_NAME_WORDS = _words(
    "Riverside Lakeview Hillcrest Northgate Southridge Eastwood Westbrook Fairview Highland "
    "Meadowbrook Brookside Parkview Ridgeway Stonebridge Valley Vista Canyon Prairie Summit "
    "Harbor"
)
NAME_SUFFIXES = ("", " Ridge", " Creek", " Park", " Hills", " Grove", " Springs", " Heights")
