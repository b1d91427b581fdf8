"""The structured comparison of two specs: operations, parameters, bodies, responses, security and their schemas.

Both documents are read through their ``Normaliser``, the reading the generator builds its model from:
the same ``$ref`` resolution, ``allOf`` precedence, path-level parameters, media type and nullability,
so the differ reports what the generated code shows. Operations are paired by method and path template
with the variables unnamed (``/x/{scope}`` is ``/x/{namespace}``: the URL is the same); every media type
of a body or response is compared, not only the one the generator reads. Schemas are compared once for
the whole document (``schemas``); a change to a shared component reached from several operations is
recorded once and lists all of them.
"""

from __future__ import annotations

from vapi_codegen.diffing.changes import BOTH, REQUEST, RESPONSE, ChangeSet, Node, nearest
from vapi_codegen.diffing.schemas import SchemaComparison
from vapi_codegen.normalising.located import Located
from vapi_codegen.normalising.normaliser import Normaliser
from vapi_codegen.normalising.operations import Content, Message, Operation, Parameter, path_renames
from vapi_codegen.normalising.refs import child


class WireComparison:
    """Compares what goes over the wire; results accumulate in ``changes``."""

    def __init__(self, old: Normaliser, new: Normaliser):
        self.old = old
        self.new = new
        self.changes = ChangeSet()
        self.schemas = SchemaComparison(old, new)

    def run(self) -> ChangeSet:
        old_ops, new_ops = operations_by_template(self.old), operations_by_template(self.new)
        for key in sorted(old_ops.keys() - new_ops.keys()):
            op = old_ops[key]
            self.changes.add("operation-removed", BOTH, op.pointer, nearest(self.new.registry, op.pointer), op.label, operation=op.label)
        for key in sorted(new_ops.keys() - old_ops.keys()):
            op = new_ops[key]
            self.changes.add("operation-added", BOTH, nearest(self.old.registry, op.pointer), op.pointer, op.label, operation=op.label)
        roots = []
        for key in sorted(old_ops.keys() & new_ops.keys()):
            node = Node()
            _OperationComparison(self, node, old_ops[key], new_ops[key]).run()
            roots.append((old_ops[key].label, node))
        for label, (kind, direction, old_pointer, new_pointer, details) in self.schemas.credit(roots):
            self.changes.add(kind, direction, old_pointer, new_pointer, label, **details)
        return self.changes


def operations_by_template(normaliser: Normaliser) -> dict[tuple[str, str], Operation]:
    """The document's operations keyed by (path template, method)."""
    return {(operation.template, operation.method): operation for operation in normaliser.operations()}


class _OperationComparison:
    """One operation in both versions; its changes go to ``node``, its schemas to the shared comparison."""

    def __init__(self, wire: WireComparison, node: Node, old: Operation, new: Operation):
        self.wire, self.node, self.old, self.new = wire, node, old, new

    def run(self) -> None:
        old, new = self.old, self.new
        if new.node.get("deprecated") is True and old.node.get("deprecated") is not True:
            self.node.add("operation-deprecated", BOTH, old.pointer, child(new.pointer, "deprecated"), operation=old.label)
        self._parameters()
        self._security()
        self._body()
        self._responses()

    def _schema(self, before: Located | None, after: Located | None, direction: str) -> None:
        if before is not None and after is not None:
            self.wire.schemas.place(before, after, direction, self.node)

    # --- parameters ----------------------------------------------------------------------------

    def _parameters(self) -> None:
        old, new = self.old, self.new
        renames = path_renames(old.path, new.path)
        for old_name, new_name in renames.items():
            self.node.add("path-parameter-renamed", BOTH, old.pointer, new.pointer, old=old_name, new=new_name)
        old_parameters = {(p.location, renames.get(p.name, p.name) if p.location == "path" else p.name): p for p in old.parameters}
        new_parameters = {(p.location, p.name): p for p in new.parameters}
        for key in sorted(old_parameters.keys() | new_parameters.keys()):
            location, name = key
            before, after = old_parameters.get(key), new_parameters.get(key)
            if after is None:
                assert before is not None
                self.node.add("parameter-removed", REQUEST, before.pointer, new.pointer, name=before.name, location=location)
            elif before is None:
                self.node.add("parameter-added", REQUEST, old.pointer, after.pointer, name=name, location=location, required=after.required)
            else:
                if after.required != before.required:
                    kind = "parameter-became-required" if after.required else "parameter-became-optional"
                    self.node.add(kind, REQUEST, before.pointer, after.pointer, name=name, location=location)
                if _became_delimited_list(before, after):
                    self.node.add("parameter-became-list", REQUEST, before.pointer, after.pointer, name=name, location=location)
                else:
                    self._schema(before.located_schema(), after.located_schema(), REQUEST)

    def _security(self) -> None:
        old, new = self.old, self.new
        if old.security == new.security:
            return
        before, after = _alternatives(old.security), _alternatives(new.security)
        old_at, new_at = old.security_at, new.security_at
        lost = [alternative for alternative in before if not any(_satisfies(alternative, option) for option in after)]
        if lost:
            self.node.add("security-tightened", REQUEST, old_at, new_at, old=_security_text(before), new=_security_text(after))
        elif _security_text(before) != _security_text(after):
            self.node.add("security-loosened", REQUEST, old_at, new_at, old=_security_text(before), new=_security_text(after))

    # --- bodies and responses ------------------------------------------------------------------

    def _body(self) -> None:
        old, new = self.old, self.new
        before, after = old.body, new.body
        if before is None and after is None:
            return
        if after is None:
            assert before is not None
            self.node.add("request-body-removed", REQUEST, before.pointer, new.pointer)
            return
        required = after.node.get("required") is True
        if before is None:
            self.node.add("request-body-added", REQUEST, old.pointer, after.pointer, required=required)
            return
        if required != (before.node.get("required") is True):
            kind = "request-body-became-required" if required else "request-body-became-optional"
            self.node.add(kind, REQUEST, before.pointer, after.pointer)
        self._contents(before, after, REQUEST)

    def _responses(self) -> None:
        old, new = self.old, self.new
        # a success status added beside one that stays (200 besides 201) surprises strict clients; one
        # replacing the old success statuses is reported by their removal
        kept_success = any(status.startswith("2") for status in old.responses.keys() & new.responses.keys())
        for status in sorted(old.responses.keys() | new.responses.keys()):
            old_at, new_at = child(old.pointer, "responses", status), child(new.pointer, "responses", status)
            before, after = old.responses.get(status), new.responses.get(status)
            success = status.startswith("2")
            if after is None and before is not None:
                self.node.add("response-removed", RESPONSE, before.pointer, nearest(self.wire.new.registry, new_at), status=status, success=success)
            elif before is None and after is not None:
                extra = success and kept_success
                self.node.add("response-added", RESPONSE, nearest(self.wire.old.registry, old_at), after.pointer, status=status, extra_success=extra)
            elif before is not None and after is not None:
                self._contents(before, after, RESPONSE)
                self._headers(before, after)

    def _contents(self, before: Message, after: Message, direction: str) -> None:
        """Every media type of both versions: removed, added, or its schemas compared."""
        old, new = _by_media_type(before.contents), _by_media_type(after.contents)
        for key in sorted(old.keys() - new.keys()):
            self.node.add(
                "media-type-removed", direction, child(before.pointer, "content", old[key].media_type), after.pointer, media_type=old[key].media_type
            )
        for key in sorted(new.keys() - old.keys()):
            self.node.add(
                "media-type-added", direction, before.pointer, child(after.pointer, "content", new[key].media_type), media_type=new[key].media_type
            )
        for key in sorted(old.keys() & new.keys()):
            self._schema(_located(old[key]), _located(new[key]), direction)

    def _headers(self, before: Message, after: Message) -> None:
        old = {name.lower(): header for name, header in before.headers.items()}
        new = {name.lower(): header for name, header in after.headers.items()}
        for key in sorted(old.keys() - new.keys()):
            header = old[key]
            self.node.add("header-removed", RESPONSE, header.pointer, after.pointer, name=header.name, required=header.required)
        for key in sorted(new.keys() - old.keys()):
            self.node.add("header-added", RESPONSE, before.pointer, new[key].pointer, name=new[key].name)
        for key in sorted(old.keys() & new.keys()):
            was, now = old[key], new[key]
            if was.required != now.required:
                kind = "header-became-required" if now.required else "header-became-optional"
                self.node.add(kind, RESPONSE, was.pointer, now.pointer, name=now.name)
            self._schema(was.located_schema(), now.located_schema(), RESPONSE)


def _became_delimited_list(before: Parameter, after: Parameter) -> bool:
    """A string parameter become a list of strings written as ``a,b,c`` (``explode: false``): the same on the wire."""
    old, new = before.schema, after.schema
    if not (isinstance(old, dict) and isinstance(new, dict) and old.get("type") == "string" and set(old) <= {"type", "description"}):
        return False
    items = new.get("items")
    if new.get("type") != "array" or not isinstance(items, dict) or items.get("type") != "string":
        return False
    style = after.node.get("style", "simple" if after.location in ("path", "header") else "form")
    explode = after.node.get("explode", style == "form")
    return style in ("simple", "form") and explode is False


def _by_media_type(contents: dict[str, Content]) -> dict[str, Content]:
    """Media types keyed without parameters and case (``application/json; charset=utf-8`` is ``application/json``)."""
    return {key.split(";")[0].strip().lower(): content for key, content in contents.items()}


def _located(content: Content) -> Located | None:
    return None if content.schema is None else Located(content.schema, content.pointer)


Requirement = dict[str, frozenset[str]]


def _alternatives(security: list[object] | None) -> list[Requirement]:
    """Security requirement alternatives; no requirement at all is one empty alternative (anonymous)."""
    if not security:
        return [{}]
    found = []
    for requirement in security:
        if isinstance(requirement, dict):
            found.append({str(name): frozenset(map(str, scopes if isinstance(scopes, list) else [])) for name, scopes in requirement.items()})
    return found or [{}]


def _satisfies(credentials: Requirement, option: Requirement) -> bool:
    """Whether a client meeting ``credentials`` also meets ``option`` (its schemes and scopes are among them)."""
    return all(name in credentials and scopes <= credentials[name] for name, scopes in option.items())


def _security_text(alternatives: list[Requirement]) -> str:
    texts = [
        " + ".join(f"{name}{sorted(scopes) if scopes else ''}" for name, scopes in sorted(option.items())) or "anonymous" for option in alternatives
    ]
    return " | ".join(sorted(texts))
