"""Every notice is made of a message key and its arguments (issue 10, item 10), so each reader
sees it in their own language. This walks every call of `notify` (and the apps' wrappers of
it) in the source: none may pass text already translated or written in one language, and
every message key must have its Chinese translation with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.utils import translation

import serviceloop
from serviceloop.core.notifications import VERBATIM

ROOT = Path(serviceloop.__file__).parent
# Functions that hand their title/body on to notify() (checked like notify itself).
NOTIFIERS = {"notify", "notify_people", "announce_major", "_tell", "_tell_assignee"}
TEXT_ARGS = {"title", "body", "what"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def _sources():
    for path in sorted(ROOT.rglob("*.py")):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(encoding="utf-8"))


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    return func.attr if isinstance(func, ast.Attribute) else ""


def _is_text(node: ast.expr) -> bool:
    """An argument that is already a string: a literal, an f-string, `_()`, `x % y`,
    `"...".join()`, `str()` or a `get_x_display()` call."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)) and not (
        isinstance(node, ast.Constant) and node.value is None
    ):
        return True
    if isinstance(node, ast.BinOp):
        return isinstance(node.op, (ast.Mod, ast.Add))
    if isinstance(node, ast.IfExp):
        return _is_text(node.body) or _is_text(node.orelse)
    if isinstance(node, ast.Call):
        name = _name(node.func)
        return name in {"_", "gettext", "str", "join", "format", "strip"} or (
            name.startswith("get_") and name.endswith("_display")
        )
    return False


def _notify_calls():
    for path, tree in _sources():
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _name(node.func) in NOTIFIERS:
                yield path, node


def test_the_walk_finds_the_callers():
    files = {path.relative_to(ROOT).parts[0] for path, _ in _notify_calls()}
    assert {"communications", "complaints", "fieldservice", "presales", "visits"} <= files
    assert {"earlywarning", "summaries", "training", "core"} <= files
    assert sum(1 for _ in _notify_calls()) >= 60


def test_no_notice_is_given_as_ready_text():
    bad = []
    for path, call in _notify_calls():
        args = [k.value for k in call.keywords if k.arg in TEXT_ARGS]
        if _name(call.func) in {"_tell", "_tell_assignee"}:
            args += call.args[2:3]
        bad += [
            f"{path.relative_to(ROOT)}:{arg.lineno} {ast.unparse(arg)[:80]}"
            for arg in args
            if _is_text(arg)
        ]
    assert not bad, "give a Message(gettext_noop(...), **params) instead:\n" + "\n".join(bad)


def _msgids():
    """Every msgid given to Message(...) (directly, or through gettext_noop in a file that
    makes notices)."""
    found: dict[str, str] = {}
    for path, tree in _sources():
        text = path.read_text(encoding="utf-8")
        if "Message" not in text or path.name == "notifications.py":
            continue
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and _name(node.func) == "gettext_noop"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                found[node.args[0].value] = f"{path.relative_to(ROOT)}:{node.lineno}"
    return found


def test_every_message_key_is_translated_into_chinese():
    msgids = _msgids()
    assert len(msgids) >= 60
    missing, mismatched = [], []
    with translation.override("zh-hans"):
        for msgid, where in msgids.items():
            if msgid == VERBATIM:
                continue
            zh = translation.gettext(msgid)
            if zh == msgid:
                missing.append(f"{where} {msgid!r}")
            elif sorted(PLACEHOLDER.findall(zh)) != sorted(PLACEHOLDER.findall(msgid)):
                mismatched.append(f"{where} {msgid!r} -> {zh!r}")
    assert not missing, "not in a catalog:\n" + "\n".join(missing)
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)


def test_notify_refuses_plain_text():
    from serviceloop.core.notifications import notify

    with pytest.raises(TypeError, match="Message"):
        notify([], kind="k", title="plain text")
