"""An app's wiring declared once: what its ``AppConfig.ready()`` registers, as class
attributes read by one ``ready()``.

An app's config is a subclass of ``AppWiring`` with class attributes, e.g. ``periodic =
("tasks.sweep_overdue_task",)``, ``history_links = {"communication": "detail"}``, ``nav =
(("list", _("Communications"), "communication.view", 10),)`` (``communications/apps.py``).
The app's ``label`` is Django's default, the last part of its ``name``.

``ready()`` imports the app's ``permissions``, ``my_work`` and ``receivers`` modules where
they exist (they register the app's actions, its "my work" provider and its reactions to
``core.signals`` when imported), then registers, in this order: the import kinds
(``core.importing.register``), the periodic tasks (``core.jobs.register_periodic``), the
department routings' history (``core.routing.register_history``), the history's child rows
and links and job labels (``core.history``) and the menu entries (``core.nav.register``).

Objects are named ``"<module>.<attribute>"`` inside the app (an attribute that is a list or
tuple registers each of its items); models, URL names and menu entries without the app's
label, which ``ready()`` puts in front (``"detail"`` is ``"<label>:detail"``, model
``"warrantyclaim"`` is ``"<label>.warrantyclaim"``). What fits no declaration goes in an
override of ``wire()``.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any, ClassVar

from django.apps import AppConfig
from django.utils.module_loading import module_has_submodule

# Modules imported for what they register when imported.
DISCOVERED = ("permissions", "my_work", "receivers")


class AppWiring(AppConfig):
    """An app's ``AppConfig``: its registrations as data (see the module's doc)."""

    # the periodic tasks, "tasks.sweep_overdue_task"
    periodic: ClassVar[tuple[str, ...]] = ()
    # the import kinds, "importing.CLAIMS" (or a list of kinds, "importing.KINDS")
    import_kinds: ClassVar[tuple[str, ...]] = ()
    # DepartmentRouting subclasses whose entries are lines of their parent's history
    routings: ClassVar[tuple[str, ...]] = ()
    # (parent model, child model, foreign key): child rows in the parent's history
    history_children: ClassVar[tuple[tuple[str, str, str], ...]] = ()
    # model → URL name of its page, for records without get_absolute_url
    history_links: ClassVar[dict[str, str]] = {}
    # job code → its label in a history ("系统: 逾期检查")
    system_actors: ClassVar[dict[str, Any]] = {}
    # menu entries: (URL name, label, permission or None, order)
    nav: ClassVar[tuple[tuple[str, Any, str | None, int], ...]] = ()

    def ready(self) -> None:
        from . import history, nav, routing
        from .importing import register as register_kind
        from .jobs import register_periodic

        for module in DISCOVERED:
            if module_has_submodule(self.module, module):
                import_module(f"{self.name}.{module}")
        for kind in self.named(self.import_kinds):
            register_kind(kind)
        for task in self.named(self.periodic):
            register_periodic(task)
        for model in self.named(self.routings):
            routing.register_history(model)
        for parent, child, fk in self.history_children:
            history.register_children(f"{self.label}.{parent}", f"{self.label}.{child}", fk)
        for model_name, url_name in self.history_links.items():
            history.register_link(f"{self.label}.{model_name}", f"{self.label}:{url_name}")
        for code, label in self.system_actors.items():
            history.register_system_actor(code, label)
        for url_name, label, action, order in self.nav:
            nav.register(f"{self.label}:{url_name}", label, action, order)
        self.wire()

    def wire(self) -> None:
        """What the app registers that fits no declaration (nothing by default)."""

    def named(self, names: tuple[str, ...]) -> list[Any]:
        """The app's objects named "<module>.<attribute>", lists and tuples spread."""
        found: list[Any] = []
        for dotted in names:
            module, attribute = dotted.rsplit(".", 1)
            value = getattr(import_module(f"{self.name}.{module}"), attribute)
            found += list(value) if isinstance(value, list | tuple) else [value]
        return found
