"""Unions: oneOf/anyOf, and the rules that turn them into tagged unions.

A union is tagged (pydantic discriminated union) when every variant is a model and one of:
1. it has a ``discriminator``: tags from the explicit ``mapping``, then each unmapped variant's
   single-value enum/const for the property, else the variant's schema name (implicit mapping);
2. the variants share an ``allOf`` base that has a ``discriminator`` (same rules, with the base's);
3. without any discriminator, every variant has a *required* property of the same name holding a
   single-value enum/const, with distinct values (sorted first such property wins).
Each variant then has its tag property narrowed to ``Literal[tags]``; a variant that does not declare
the property gets it, defaulting to its tag, so the standalone model still accepts bodies without it.
"""

from __future__ import annotations

import weakref
from typing import TYPE_CHECKING, Any, NamedTuple

from vapi_codegen.model import ir
from vapi_codegen.naming.identifiers import class_name
from vapi_codegen.normalising.refs import child
from vapi_codegen.normalising.nullability import non_null_members, read_nullability
from vapi_codegen.normalising.schema_facts import description, is_object_schema, mapping_field

if TYPE_CHECKING:
    from vapi_codegen.model.schemas import SchemaParser


class _ObjectVariant(NamedTuple):
    """An object variant of a union, as the tagging rules see it."""

    pointer: str  # of the variant's schema, $refs followed
    properties: dict[str, Any]  # JSON name -> property schema ($refs followed), allOf parts merged
    required: set[str]
    schema_key: str  # the last segment of ``pointer``: the tag of an implicit discriminator mapping


class UnionBuilder:
    def __init__(self, parser: SchemaParser):
        # The parser owns this builder: a strong reference back would be a cycle, and the parsed
        # document and every declaration would outlive the build until the cyclic collector ran.
        self._parser = weakref.ref(parser)
        self.registry = parser.registry
        self.diagnostics = parser.diagnostics

    @property
    def parser(self) -> SchemaParser:
        parser = self._parser()
        if parser is None:  # the parser owns the builder: it cannot be gone while the builder works
            raise RuntimeError("the union builder was used after its schema parser was freed")
        return parser

    def union_type(self, schema: dict[str, Any], key: str, pointer: str, hint: str, titled: bool) -> ir.TypeRef:
        """The type of a ``oneOf``/``anyOf`` (``key``); a titled one becomes a named alias."""
        options = schema.get(key)
        if not isinstance(options, list) or not options:
            self.diagnostics.warn(child(pointer, key), f"empty {key}; any value is accepted")
            return ir.AnyType()
        title = schema.get("title")
        if titled and isinstance(title, str) and title.strip():
            name, is_new = self.registry.shared_name(pointer, title.strip(), schema)
            if is_new:
                self.parser.declarations[name] = ir.AliasDecl(name, pointer, ir.AnyType())
                union = self._build(schema, key, pointer, name)
                self.parser.declarations[name] = ir.AliasDecl(name, pointer, union, description(schema))
            return ir.Ref(name)
        nullable = read_nullability(schema).null_member
        union = self._build(schema, key, pointer, hint)
        return ir.Nullable(union) if nullable else union

    def _build(self, schema: dict[str, Any], key: str, pointer: str, hint: str) -> ir.TypeRef:
        self.check_mapping(schema, pointer)
        indexed = non_null_members(schema[key])
        variants = [
            self.parser.type_of(option, child(pointer, key, index), hint + _variant_hint(option, index))
            for index, option in indexed
        ]
        if not variants:
            return ir.Primitive(ir.PrimitiveKind.NONE)
        if len(variants) == 1:
            return variants[0]
        tagging = self._tagging(schema, [o for _, o in indexed], [child(pointer, key, i) for i, _ in indexed], variants, pointer)
        if tagging is None:
            unique = _dedupe(variants)
            return unique[0] if len(unique) == 1 else ir.UnionType(unique)
        json_property, tags, variants = tagging
        for tag, variant_name in tags:
            requests = self.parser.tag_requests.setdefault((variant_name, json_property), [])
            if tag not in requests:
                requests.append(tag)
        return ir.UnionType(tuple(variants), json_property, tuple(tags))

    def check_mapping(self, schema: dict[str, Any], pointer: str) -> None:
        """Every discriminator mapping target must exist, whatever the union turns out to be."""
        discriminator = schema.get("discriminator")
        mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
        for tag, target in (mapping.items() if isinstance(mapping, dict) else ()):
            self.registry.resolve_ref(_mapping_ref(target), child(pointer, "discriminator", "mapping", tag))

    # --- discriminator detection -----------------------------------------------------------------

    def _tagging(
        self,
        schema: dict[str, Any],
        options: list[Any],
        pointers: list[str],
        variants: list[ir.TypeRef],
        pointer: str,
    ) -> tuple[str, list[tuple[Any, str]], list[ir.TypeRef]] | None:
        raw = [self._object_view(option, option_pointer) for option, option_pointer in zip(options, pointers, strict=False)]
        if any(view is None for view in raw) or not all(isinstance(v, ir.Ref) for v in variants):
            if "discriminator" in schema:
                self.diagnostics.warn(child(pointer, "discriminator"), "discriminator ignored: not every variant is an object schema")
            return None
        views = [v for v in raw if v is not None]
        discriminator = schema.get("discriminator")
        discriminator_pointer = child(pointer, "discriminator")
        if discriminator is None:
            discriminator, discriminator_pointer = self._base_discriminator(views)
        variants = list(variants)
        if isinstance(discriminator, dict) and isinstance(discriminator.get("propertyName"), str):
            tags = self._explicit_tags(discriminator, discriminator_pointer, views, variants)
            json_property = discriminator["propertyName"]
        else:
            found = _implicit_tags(views)
            if found is None:
                return None
            json_property, values = found
            tags = [(value, variant.name) for value, variant in zip(values, variants, strict=False) if isinstance(variant, ir.Ref)]
        names = [v.name for v in variants if isinstance(v, ir.Ref)]
        tag_values = [tag for tag, _ in tags]
        if len(set(map(repr, tag_values))) != len(tag_values) or set(names) != {name for _, name in tags}:
            self.diagnostics.warn(pointer, "union cannot be tagged: tags are not distinct or do not cover every variant")
            return None
        return json_property, tags, variants

    def _object_view(self, option: Any, option_pointer: str) -> _ObjectVariant | None:
        """The object variant ``option`` is, or None when it is not an object schema."""
        resolved = self.registry.deref(option, option_pointer)
        if resolved is None:
            return None
        target_pointer, target = resolved
        if not is_object_schema(target):
            return None
        merged = self.parser.normaliser.merged(target, target_pointer)
        schemas = {name: self._deref_schema(prop.node, prop.pointer) for name, prop in merged.properties.items()}
        return _ObjectVariant(target_pointer, schemas, merged.required, target_pointer.rsplit("/", 1)[1])

    def _deref_schema(self, schema: Any, pointer: str) -> Any:
        resolved = self.registry.deref(schema, pointer)
        return resolved[1] if resolved else {}

    def _base_discriminator(self, views: list[_ObjectVariant]) -> tuple[Any, str]:
        """A discriminator declared on an ``allOf`` base shared by every variant."""
        common: set[str] | None = None
        for view_pointer in (view.pointer for view in views):
            target = self.registry.lookup(view_pointer)
            bases = set()
            for index, part in enumerate(target.get("allOf") or [] if isinstance(target, dict) else []):
                resolved = self.registry.deref_mapping(part, child(view_pointer, "allOf", index))
                if resolved and "discriminator" in resolved[1]:
                    bases.add(resolved[0])
            common = bases if common is None else common & bases
        if common:
            base = sorted(common)[0]
            return self.registry.lookup(base).get("discriminator"), child(base, "discriminator")
        return None, ""

    def _explicit_tags(
        self,
        discriminator: dict[str, Any],
        pointer: str,
        views: list[_ObjectVariant],
        variants: list[ir.TypeRef],
    ) -> list[tuple[Any, str]]:
        json_property = discriminator["propertyName"]
        by_pointer = {view.pointer: variant for view, variant in zip(views, variants, strict=False) if isinstance(variant, ir.Ref)}
        tags: list[tuple[Any, str]] = []
        mapped: set[str] = set()
        mapping = mapping_field(discriminator, "mapping")
        for tag, target in mapping.items():
            ref = _mapping_ref(target)
            resolved = self.registry.resolve_ref(ref, child(pointer, "mapping", tag))
            if resolved is None:
                continue
            target_pointer, _target_schema = resolved
            if target_pointer not in by_pointer:
                extra = self.parser.type_of({"$ref": ref}, child(pointer, "mapping", tag), class_name(str(tag)))
                if not isinstance(extra, ir.Ref):
                    continue
                by_pointer[target_pointer] = extra
                variants.append(extra)
            tags.append((tag, by_pointer[target_pointer].name))
            mapped.add(target_pointer)
        for view, variant in zip(views, variants, strict=False):
            if view.pointer in mapped or not isinstance(variant, ir.Ref):
                continue
            single = _single_value(view.properties.get(json_property))
            tags.append((single if single is not None else view.schema_key, variant.name))
        return tags


def _implicit_tags(views: list[_ObjectVariant]) -> tuple[str, list[Any]] | None:
    candidates = set.intersection(*(view.required & set(view.properties) for view in views))
    for json_property in sorted(candidates):
        values = [_single_value(view.properties.get(json_property)) for view in views]
        if all(v is not None for v in values) and len(set(map(repr, values))) == len(values):
            return json_property, values
    return None


def _mapping_ref(target: Any) -> Any:
    """A discriminator mapping value as a ``$ref``: a reference stays one, a bare name is a component schema."""
    if not isinstance(target, str) or "#" in target or "/" in target:
        return target
    return f"#/components/schemas/{target}"


def _single_value(schema: Any) -> Any:
    if not isinstance(schema, dict):
        return None
    if "const" in schema:
        return schema["const"]
    values = [v for v in schema.get("enum") or [] if v is not None]
    if len(values) == 1 and isinstance(values[0], (str, int)) and not isinstance(values[0], bool):
        return values[0]
    return None


def _variant_hint(option: Any, index: int) -> str:
    if isinstance(option, dict) and isinstance(option.get("title"), str) and "$ref" not in option:
        return class_name(option["title"])
    return f"Variant{index + 1}"


def _dedupe(variants: list[ir.TypeRef]) -> tuple[ir.TypeRef, ...]:
    unique: list[ir.TypeRef] = []
    for variant in variants:
        if variant not in unique:
            unique.append(variant)
    return tuple(unique)


def apply_tag_requests(parser: SchemaParser) -> None:
    """Narrow (or add) each variant's tag property to ``Literal[tags]``."""
    for (model_name, json_property), tags in parser.tag_requests.items():
        model = parser.declarations.get(model_name)
        if not isinstance(model, ir.ModelDecl):
            continue
        literal = ir.LiteralType(tuple(tags))
        existing = model.field_by_json(json_property)
        default = ir.Default(tags[0]) if len(tags) == 1 else None
        if existing is None:
            model.fields.append(ir.FieldDecl(json_property, literal, required=False, default=default, is_tag=True))
            continue
        existing.type = literal
        existing.is_tag = True
        if not existing.required and (existing.default is None or existing.default.value not in tags):
            existing.default = default
