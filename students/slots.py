"""Named slots the roster offers to the apps built on it.

The roster sits below every MTSS app, so it never names one. Where a roster page or job
needs something a higher app provides (a profile card, a home section, an importer, a demo
step, a navigation entry), the roster declares a slot here and the higher app fills it from
its AppConfig.ready():

    from students import slots

    class MeetingsConfig(AppConfig):
        def ready(self):
            from meetings import cards
            slots.PROFILE_CARDS.register(slots.ProfileCard(key="meetings", order=50, ...))

Entries render in `order`; a second entry with the same key replaces the first, so a
re-run of ready() (tests, autoreload) does not duplicate it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, Protocol, TypeVar

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from students.models import User


class _Entry(Protocol):
    key: str
    order: int


E = TypeVar("E", bound=_Entry)


class Slot(Generic[E]):
    """An ordered registry of one kind of entry."""

    def __init__(self, name: str) -> None:
        self.name = name
        self._entries: dict[str, E] = {}

    def register(self, entry: E) -> E:
        self._entries[entry.key] = entry
        return entry

    def entries(self) -> list[E]:
        return sorted(self._entries.values(), key=lambda e: (e.order, e.key))

    def get(self, key: str) -> E | None:
        return self._entries.get(key)

    def __iter__(self) -> Iterator[E]:
        return iter(self.entries())

    def __len__(self) -> int:
        return len(self._entries)

    @contextmanager
    def replaced(self, entries: list[E]) -> Iterator[None]:
        """Tests: the slot holds only `entries` inside the block."""
        saved = self._entries
        self._entries = {e.key: e for e in entries}
        try:
            yield
        finally:
            self._entries = saved


def _everyone(user: User, roles: set[str]) -> bool:
    return True


def for_school_teams(user: User, roles: set[str]) -> bool:
    """School team members and administrators (and superusers): the visibility of the
    team's pages (flags, meetings, dashboards)."""
    return user.is_superuser or bool(roles & {"team_member", "school_admin", "district_admin"})


def for_district_admins(user: User, roles: set[str]) -> bool:
    """District administrators (and superusers): those who set the district up."""
    return user.is_superuser or "district_admin" in roles


def for_administrators(user: User, roles: set[str]) -> bool:
    """District and school administrators: the settings a school may keep for itself (its own
    screening dates) are theirs too."""
    return user.is_superuser or bool(roles & {"district_admin", "school_admin"})


@dataclass(frozen=True)
class ProfileCard:
    """A card on the student profile.

    `template` extends "students/_profile_card.html" and fills `card_body`; until it exists the
    card shows `empty_text` (students/_placeholder_card.html). `context(user=, student=)`
    returns the template's `card_data`.
    """

    key: str
    title: str
    template: str
    empty_text: str
    order: int
    context: Callable[..., dict[str, Any]] | None = None
    templates: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "templates", (self.template, "students/_placeholder_card.html"))


@dataclass(frozen=True)
class HomeSection:
    """A section of the home page. `place` is "top" (above the roster's own sections) or
    "roles" (among them, by order). `visible(user, roles)` decides whether it shows at all;
    `context(user=, roles=)` feeds the template as `section`; a section that names students
    lists their ids under "students_shown", which the home page writes to the record of access."""

    key: str
    template: str
    order: int
    place: str = "roles"
    visible: Callable[[User, set[str]], bool] = _everyone
    context: Callable[..., dict[str, Any]] | None = None


@dataclass(frozen=True)
class HomeLink:
    """A line of text with a link at the foot of one of the roster's home sections
    (`section` is "teacher" or "district"); `template` renders it. For "district",
    `context(user=, district_ids=)` feeds the template as `link_data`."""

    key: str
    section: str
    template: str
    order: int
    context: Callable[..., dict[str, Any]] | None = None


@dataclass(frozen=True)
class SchoolFacts:
    """Facts about each of a team's schools on the home page ("Waiting for the team").

    `collect(user=, school_ids=)` returns {school_id: value} in a bounded number of queries;
    `template` renders one fact with `fact` (the value or None) and `row` (the school row).
    """

    key: str
    template: str
    order: int
    collect: Callable[..., dict[int, Any]]


@dataclass(frozen=True)
class CaseloadSource:
    """Students a user works with beyond their class lists: `student_ids(user)` returns a
    query of `student_id` values (united with the class lists in one subquery)."""

    key: str
    order: int
    student_ids: Callable[[User], QuerySet]


@dataclass(frozen=True)
class Importer:
    """Runs import jobs of one ImportJob.Kind: `run(job, progress) -> ImportReport`.

    `drop_files`: file-name patterns (fnmatch, case-insensitive) of single CSV files the
    district drop folder hands to this importer (students/oneroster/dropfolder.py); empty for
    importers that take no drop-folder files. `label` and `help` (plain language: the columns
    the CSV needs) put the kind on the browser upload form; without a label it is not offered
    there (it still runs from the drop folder and the API)."""

    key: str
    run: Callable[..., Any]
    order: int = 0
    drop_files: tuple[str, ...] = ()
    label: str = ""
    help: str = ""


@dataclass(frozen=True)
class DemoLoader:
    """One app's step of `seed_demo`: `seed(ctx)` adds its demo rows to the roster's
    DemoContext, in `order` (flags need scores, meetings need flags)."""

    key: str
    order: int
    seed: Callable[[Any], None]


@dataclass(frozen=True)
class SchoolMove:
    """A student whose school changed: from `from_school_id` to `to_school_id` on `on`."""

    student_id: int
    from_school_id: int
    to_school_id: int
    on: Any  # datetime.date


@dataclass(frozen=True)
class SchoolMoveHandler:
    """What a higher app does when students change school (docs/decisions.md, "School
    moves"): `handle(moves=, actor=, audit=)` runs inside the transaction that moves them
    (a roster import, `student_update`), set-based over all the moves at once, so the move
    and its consequences commit together or not at all, whatever the broker is doing."""

    key: str
    order: int
    handle: Callable[..., None]


@dataclass(frozen=True)
class NavEntry:
    """An entry of the navigation bar; `template` renders the `<li>`, shown when
    `visible(user, roles)`."""

    key: str
    template: str
    order: int
    visible: Callable[[User, set[str]], bool] = _everyone


@dataclass(frozen=True)
class SettingsPage:
    """A page of the district's settings, listed on the settings home (/settings/) with its
    `title` and `description`; `url_name` is reversed for the link. Shown when
    `visible(user, roles)`; the page itself still asks the service's own permission question."""

    key: str
    title: str
    description: str
    url_name: str
    order: int
    visible: Callable[[User, set[str]], bool] = for_district_admins


@dataclass(frozen=True)
class PreviewPage:
    """Where a new version of a district setting is previewed before it is switched on: the
    app that owns the setting links a draft to `url_name` (reversed with the draft's id) when
    an app above it offers a preview for that `key` ("cut_score_set")."""

    key: str
    url_name: str
    order: int = 0


PROFILE_CARDS: Slot[ProfileCard] = Slot("profile cards")
HOME_SECTIONS: Slot[HomeSection] = Slot("home sections")
HOME_LINKS: Slot[HomeLink] = Slot("home links")
SCHOOL_FACTS: Slot[SchoolFacts] = Slot("per-school facts")
CASELOAD_SOURCES: Slot[CaseloadSource] = Slot("caseload sources")
IMPORTERS: Slot[Importer] = Slot("importers")
DEMO_LOADERS: Slot[DemoLoader] = Slot("demo loaders")
NAV_ENTRIES: Slot[NavEntry] = Slot("navigation entries")
SETTINGS_PAGES: Slot[SettingsPage] = Slot("settings pages")
PREVIEW_PAGES: Slot[PreviewPage] = Slot("what-if previews")
SCHOOL_MOVE_HANDLERS: Slot[SchoolMoveHandler] = Slot("school move handlers")


def students_moved(
    moves: list[SchoolMove], *, actor: User | None = None, audit: Any = None
) -> None:
    """Tell every app that students changed school (inside the moving transaction)."""
    if not moves:
        return
    for handler in SCHOOL_MOVE_HANDLERS:
        handler.handle(moves=moves, actor=actor, audit=audit)


def nav_entries_for(user: User, roles: set[str]) -> list[NavEntry]:
    return [e for e in NAV_ENTRIES if e.visible(user, roles)]


def settings_pages_for(user: User, roles: set[str]) -> list[SettingsPage]:
    return [e for e in SETTINGS_PAGES if e.visible(user, roles)]


@dataclass(frozen=True)
class ClassPanel:
    """A panel of each class on the teacher's class view (decisions.class_view).
    `collect(user=, classes=)` gets all the user's class views at once (each with `.section`
    and `.students`, already scoped to the user) and returns {section_id: data} in a bounded
    number of queries; `template` renders one class's panel with `panel` (the data, or None)
    and `c` (the class view)."""

    key: str
    template: str
    order: int
    collect: Callable[..., dict[int, Any]]


CLASS_PANELS: Slot[ClassPanel] = Slot("class view panels")
