"""The one declarative table that judges changes: stable ID, severity, direction, message template.

A rule applies to a change when the change's kind matches, the rule's direction is the change's
direction (or ``both``), and every ``when`` entry equals the change's detail of that name. Exactly
one rule applies to each change. IDs are part of the tool's interface: never rename one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from vapi_codegen.diffing.changes import BOTH, REQUEST, RESPONSE, Change

BREAKING, SOFT, WARNING, INFO = "breaking", "soft", "warning", "info"
# most severe first. breaking: a hard break (a valid request rejected, a response guarantee gone); soft: breaks
# only clients that reject what they were not told about (a new response enum value); warning: may break,
# depending on what the server does; info: compatible
SEVERITIES = (BREAKING, SOFT, WARNING, INFO)
API, PACKAGE = "api", "package"  # the wire contract / the generated package's public names

_TOLERATED = "breaks clients that reject unknown values; the generated client tolerates it (responses are parsed leniently: LENIENT_CONTEXT)"


@dataclass(frozen=True)
class Rule:
    id: str
    change: str
    direction: str
    severity: str
    message: str
    when: Mapping[str, Any] = field(default_factory=dict)
    section: str = API
    why: str = ""  # the reason for the severity, in a few words (the README's policy table)

    def applies_to(self, change: Change) -> bool:
        return (
            self.change == change.kind
            and self.direction in (BOTH, change.direction)
            and all(change.details.get(key) == value for key, value in self.when.items())
        )

    def describe(self, change: Change) -> str:
        return self.message.format(**{key: _display(value) for key, value in change.details.items()})


def _display(value: Any) -> str:
    if value is None:
        return "unset"
    if isinstance(value, str):
        return value
    return json.dumps(value, sort_keys=True)


R = Rule
RULES: tuple[Rule, ...] = (
    # operations
    R("operation-removed", "operation-removed", BOTH, BREAKING, "operation {operation} removed", why="every call to it fails"),
    R("operation-added", "operation-added", BOTH, INFO, "operation {operation} added", why="nothing that worked stops working"),
    R(
        "operation-deprecated",
        "operation-deprecated",
        BOTH,
        WARNING,
        "operation {operation} deprecated",
        why="still works; it may go in a later version",
    ),
    R(
        "path-parameter-renamed",
        "path-parameter-renamed",
        BOTH,
        INFO,
        "path variable {{{old}}} renamed to {{{new}}}: the URL is the same",
        why="the URL a client builds is the same",
    ),
    R(
        "security-tightened",
        "security-tightened",
        REQUEST,
        BREAKING,
        "security requirements tightened from {old} to {new}: credentials that were enough may be refused",
        why="credentials that were enough may now be refused",
    ),
    R(
        "security-loosened",
        "security-loosened",
        REQUEST,
        INFO,
        "security requirements loosened from {old} to {new}",
        why="every credential accepted before still is",
    ),
    # parameters
    R(
        "required-parameter-added",
        "parameter-added",
        REQUEST,
        BREAKING,
        "required {location} parameter {name} added",
        {"required": True},
        why="requests without it, valid before, are rejected",
    ),
    R(
        "optional-parameter-added",
        "parameter-added",
        REQUEST,
        INFO,
        "optional {location} parameter {name} added",
        {"required": False},
        why="requests without it stay valid",
    ),
    R(
        "parameter-removed",
        "parameter-removed",
        REQUEST,
        WARNING,
        "{location} parameter {name} removed; the server may ignore or reject it",
        why="clients still sending it depend on the server ignoring it",
    ),
    R(
        "parameter-became-required",
        "parameter-became-required",
        REQUEST,
        BREAKING,
        "{location} parameter {name} became required",
        why="requests without it, valid before, are rejected",
    ),
    R(
        "parameter-became-list",
        "parameter-became-list",
        REQUEST,
        INFO,
        "{location} parameter {name} became a list written as a,b,c: a string sent before reads the same",
        why="a comma-separated string and a non-exploded list are the same on the wire",
    ),
    R(
        "parameter-became-optional",
        "parameter-became-optional",
        REQUEST,
        INFO,
        "{location} parameter {name} became optional",
        why="every request valid before still is",
    ),
    # request bodies and responses
    R(
        "required-request-body-added",
        "request-body-added",
        REQUEST,
        BREAKING,
        "a required request body was added",
        {"required": True},
        why="requests without a body, valid before, are rejected",
    ),
    R(
        "optional-request-body-added",
        "request-body-added",
        REQUEST,
        INFO,
        "an optional request body was added",
        {"required": False},
        why="requests without a body stay valid",
    ),
    R(
        "request-body-removed",
        "request-body-removed",
        REQUEST,
        WARNING,
        "the request body was removed; the server may ignore or reject it",
        why="clients still sending it depend on the server ignoring it",
    ),
    R(
        "request-body-became-required",
        "request-body-became-required",
        REQUEST,
        BREAKING,
        "the request body became required",
        why="requests without a body, valid before, are rejected",
    ),
    R(
        "request-body-became-optional",
        "request-body-became-optional",
        REQUEST,
        INFO,
        "the request body became optional",
        why="every request valid before still is",
    ),
    R(
        "success-response-removed",
        "response-removed",
        RESPONSE,
        BREAKING,
        "success response {status} removed",
        {"success": True},
        why="clients handling that status get an undocumented one",
    ),
    R(
        "error-response-removed",
        "response-removed",
        RESPONSE,
        INFO,
        "response {status} removed",
        {"success": False},
        why="documentation of a failure; the call itself is unchanged",
    ),
    R(
        "success-response-added",
        "response-added",
        RESPONSE,
        SOFT,
        "success response {status} added beside the documented ones: clients expecting only those may reject it",
        {"extra_success": True},
        why="only clients rejecting undocumented statuses break",
    ),
    R(
        "response-added",
        "response-added",
        RESPONSE,
        INFO,
        "response {status} added",
        {"extra_success": False},
        why="a newly documented error or status; nothing that worked stops",
    ),
    R(
        "request-media-type-removed",
        "media-type-removed",
        REQUEST,
        BREAKING,
        "request media type {media_type} removed: requests sending it are rejected",
        why="requests sending it are rejected (415)",
    ),
    R("request-media-type-added", "media-type-added", REQUEST, INFO, "request media type {media_type} added", why="requests valid before still are"),
    R(
        "response-media-type-removed",
        "media-type-removed",
        RESPONSE,
        WARNING,
        "response media type {media_type} removed: clients asking only for it get another, or none",
        why="clients asking only for it get another; most ask for the JSON one",
    ),
    R(
        "response-media-type-added",
        "media-type-added",
        RESPONSE,
        INFO,
        "response media type {media_type} added",
        why="clients keep asking for the one they read",
    ),
    R(
        "response-required-header-removed",
        "header-removed",
        RESPONSE,
        BREAKING,
        "required response header {name} removed",
        {"required": True},
        why="a guaranteed header is gone",
    ),
    R(
        "response-optional-header-removed",
        "header-removed",
        RESPONSE,
        SOFT,
        "optional response header {name} removed: clients reading it lose it",
        {"required": False},
        why="never guaranteed, but clients reading it lose it",
    ),
    R("response-header-added", "header-added", RESPONSE, INFO, "response header {name} added", why="clients ignore headers they do not read"),
    R(
        "response-header-became-optional",
        "header-became-optional",
        RESPONSE,
        BREAKING,
        "response header {name} became optional: it may be missing",
        why="a guaranteed header may be missing",
    ),
    R("response-header-became-required", "header-became-required", RESPONSE, INFO, "response header {name} became required", why="a guarantee added"),
    # properties
    R(
        "request-property-removed-closed",
        "property-removed",
        REQUEST,
        BREAKING,
        "request property {at}.{name} removed and the schema forbids extra properties: requests sending it are rejected",
        {"closed": True},
        why="the schema forbids unknown properties: requests sending it are rejected",
    ),
    R(
        "request-required-property-removed",
        "property-removed",
        REQUEST,
        BREAKING,
        "required request property {at}.{name} removed: requests still validate, but the server no longer reads the value they must send",
        {"closed": False, "required": True},
        why="old requests validate, but the value they must send is no longer read (often a rename)",
    ),
    R(
        "request-property-removed",
        "property-removed",
        REQUEST,
        WARNING,
        "request property {at}.{name} removed; the server may ignore it",
        {"closed": False, "required": False},
        why="an open schema: the server may ignore it, or not",
    ),
    R(
        "response-property-removed",
        "property-removed",
        RESPONSE,
        BREAKING,
        "required response property {at}.{name} removed",
        {"required": True},
        why="a guaranteed value is gone",
    ),
    R(
        "response-optional-property-removed",
        "property-removed",
        RESPONSE,
        SOFT,
        "optional response property {at}.{name} removed: it was never guaranteed, but clients reading it lose it",
        {"required": False},
        why="never guaranteed, but clients reading it lose it",
    ),
    R(
        "request-required-property-added",
        "property-added",
        REQUEST,
        BREAKING,
        "required request property {at}.{name} added",
        {"required": True},
        why="requests without it, valid before, are rejected",
    ),
    R(
        "request-optional-property-added",
        "property-added",
        REQUEST,
        INFO,
        "optional request property {at}.{name} added",
        {"required": False},
        why="requests without it stay valid",
    ),
    R(
        "response-property-added",
        "property-added",
        RESPONSE,
        INFO,
        "response property {at}.{name} added",
        why="clients must tolerate new response fields",
    ),
    R(
        "request-property-became-required",
        "property-became-required",
        REQUEST,
        BREAKING,
        "request property {at}.{name} became required",
        why="requests without it, valid before, are rejected",
    ),
    R(
        "request-property-became-optional",
        "property-became-optional",
        REQUEST,
        INFO,
        "request property {at}.{name} became optional",
        why="every request valid before still is",
    ),
    R(
        "response-property-became-optional",
        "property-became-optional",
        RESPONSE,
        BREAKING,
        "response property {at}.{name} became optional: it may be missing",
        why="a guaranteed value may be missing",
    ),
    R(
        "response-property-became-required",
        "property-became-required",
        RESPONSE,
        INFO,
        "response property {at}.{name} became required",
        why="a guarantee added",
    ),
    R(
        "request-nullable-removed",
        "nullable-removed",
        REQUEST,
        BREAKING,
        "request value {at} is no longer nullable: sending null is rejected",
        why="requests sending null are rejected",
    ),
    R("request-nullable-added", "nullable-added", REQUEST, INFO, "request value {at} became nullable", why="every request valid before still is"),
    R(
        "response-nullable-added",
        "nullable-added",
        RESPONSE,
        BREAKING,
        "response value {at} became nullable: it may be null",
        why="clients receive null where a value was guaranteed",
    ),
    R(
        "response-nullable-removed",
        "nullable-removed",
        RESPONSE,
        INFO,
        "response value {at} is no longer nullable",
        why="responses narrow: clients handling null still work",
    ),
    R(
        "request-extra-properties-forbidden",
        "extra-properties-forbidden",
        REQUEST,
        BREAKING,
        "request schema {at} now forbids extra properties",
        why="requests sending unknown properties are rejected",
    ),
    R(
        "response-extra-properties-forbidden",
        "extra-properties-forbidden",
        RESPONSE,
        INFO,
        "response schema {at} now forbids extra properties",
        why="responses narrow",
    ),
    R(
        "extra-properties-allowed",
        "extra-properties-allowed",
        BOTH,
        INFO,
        "schema {at} now allows extra properties",
        why="requests loosen; new response fields must be tolerated anyway",
    ),
    # types and values
    R(
        "type-changed",
        "type-changed",
        BOTH,
        BREAKING,
        "type of {at} changed from {old} to {new}",
        why="values of the old type are rejected (request) or no longer sent (response)",
    ),
    R(
        "request-constant-changed",
        "constant-changed",
        REQUEST,
        BREAKING,
        "the one value of request {at} changed from {old} to {new}: requests sending the old one are rejected",
        why="requests sending the old value are rejected",
    ),
    R(
        "response-constant-changed",
        "constant-changed",
        RESPONSE,
        BREAKING,
        "the one value of response {at} changed from {old} to {new}: every response now carries a value the old contract did not allow",
        why="every response carries a value the old contract did not allow",
    ),
    R(
        "format-changed",
        "format-changed",
        BOTH,
        WARNING,
        "format of {at} changed from {old} to {new}; the generated attribute type may change with it",
        why="the generated type may change; the wire may or may not",
    ),
    R(
        "request-enum-value-removed",
        "enum-value-removed",
        REQUEST,
        BREAKING,
        "request enum value {value} removed from {at}",
        why="requests sending it are rejected",
    ),
    R(
        "request-enum-value-added",
        "enum-value-added",
        REQUEST,
        INFO,
        "request enum value {value} added to {at}",
        why="every request valid before still is",
    ),
    R(
        "response-enum-value-added",
        "enum-value-added",
        RESPONSE,
        SOFT,
        "response enum value {value} added to {at}: " + _TOLERATED,
        why="a value added to an open set: only strict clients break",
    ),
    R("response-enum-value-removed", "enum-value-removed", RESPONSE, INFO, "response enum value {value} removed from {at}", why="responses narrow"),
    R(
        "request-constraint-tightened",
        "constraint-tightened",
        REQUEST,
        BREAKING,
        "request {keyword} of {at} tightened from {old} to {new}",
        why="requests valid before can be rejected",
    ),
    R(
        "request-constraint-loosened",
        "constraint-loosened",
        REQUEST,
        INFO,
        "request {keyword} of {at} loosened from {old} to {new}",
        why="every request valid before still is",
    ),
    R(
        "response-constraint-loosened",
        "constraint-loosened",
        RESPONSE,
        SOFT,
        "response {keyword} of {at} loosened from {old} to {new}: values outside the old limit may be returned",
        why="values outside the old limit may come; only strict clients break",
    ),
    R(
        "response-constraint-tightened",
        "constraint-tightened",
        RESPONSE,
        INFO,
        "response {keyword} of {at} tightened from {old} to {new}",
        why="responses narrow",
    ),
    R(
        "request-pattern-changed",
        "pattern-changed",
        REQUEST,
        WARNING,
        "request pattern of {at} changed from {old} to {new}",
        why="some requests valid before may be rejected",
    ),
    R(
        "response-pattern-changed",
        "pattern-changed",
        RESPONSE,
        INFO,
        "response pattern of {at} changed from {old} to {new}",
        why="strings change shape; clients rarely check",
    ),
    R(
        "request-default-changed",
        "default-changed",
        REQUEST,
        WARNING,
        "request default of {at} changed from {old} to {new}: omitting the value now means something else",
        why="requests omitting the value now mean something else",
    ),
    R(
        "response-default-changed",
        "default-changed",
        RESPONSE,
        INFO,
        "response default of {at} changed from {old} to {new}",
        why="documentation: the value sent is the value read",
    ),
    # unions
    R(
        "request-union-variant-removed",
        "variant-removed",
        REQUEST,
        BREAKING,
        "request union variant {variant} removed from {at}",
        why="requests of that shape are rejected",
    ),
    R(
        "request-union-variant-added",
        "variant-added",
        REQUEST,
        INFO,
        "request union variant {variant} added to {at}",
        why="every request valid before still is",
    ),
    R(
        "response-union-variant-added",
        "variant-added",
        RESPONSE,
        SOFT,
        "response union variant {variant} added to {at}: " + _TOLERATED,
        why="a new shape in an open set: only strict clients break",
    ),
    R(
        "response-union-variant-removed",
        "variant-removed",
        RESPONSE,
        INFO,
        "response union variant {variant} removed from {at}",
        why="responses narrow",
    ),
    R(
        "discriminator-property-changed",
        "discriminator-property-changed",
        BOTH,
        BREAKING,
        "discriminator property of {at} changed from {old} to {new}",
        why="payloads are told apart by another property",
    ),
    R(
        "discriminator-mapping-changed",
        "discriminator-mapping-changed",
        BOTH,
        BREAKING,
        "discriminator value {tag} of {at} now selects {new} instead of {old}",
        why="a tag value now selects another schema",
    ),
    R(
        "request-discriminator-value-removed",
        "discriminator-value-removed",
        REQUEST,
        BREAKING,
        "request discriminator value {tag} removed from {at}",
        why="requests with that tag are rejected",
    ),
    R(
        "request-discriminator-value-added",
        "discriminator-value-added",
        REQUEST,
        INFO,
        "request discriminator value {tag} added to {at}",
        why="every request valid before still is",
    ),
    R(
        "response-discriminator-value-added",
        "discriminator-value-added",
        RESPONSE,
        SOFT,
        "response discriminator value {tag} added to {at}: " + _TOLERATED,
        why="a new tag in an open set: only strict clients break",
    ),
    R(
        "response-discriminator-value-removed",
        "discriminator-value-removed",
        RESPONSE,
        INFO,
        "response discriminator value {tag} removed from {at}",
        why="responses narrow",
    ),
    # the generated package's public surface
    R("class-removed", "class-removed", BOTH, BREAKING, "class {name} removed", section=PACKAGE, why="code importing it fails"),
    R(
        "class-renamed",
        "class-renamed",
        BOTH,
        BREAKING,
        "class {old} renamed to {new} (same schema, new name from the naming rules)",
        section=PACKAGE,
        why="code importing the old name fails",
    ),
    R("class-added", "class-added", BOTH, INFO, "class {name} added", section=PACKAGE, why="nothing that worked stops working"),
    R(
        "class-kind-changed",
        "class-kind-changed",
        BOTH,
        BREAKING,
        "{name} changed from a {old} to a {new}",
        section=PACKAGE,
        why="code using it as the old kind fails",
    ),
    R(
        "attribute-removed",
        "field-removed",
        BOTH,
        WARNING,
        "attribute {cls}.{field} removed: type checkers reject uses of it; at run time the model still keeps it as an extra field",
        section=PACKAGE,
        why="type checkers reject uses; at run time the value is kept as an extra field",
    ),
    R(
        "attribute-renamed",
        "field-renamed",
        BOTH,
        BREAKING,
        "attribute {cls}.{old} renamed to {new} (JSON name {json_name} unchanged)",
        section=PACKAGE,
        why="code using the old name fails",
    ),
    R("attribute-added", "field-added", BOTH, INFO, "attribute {cls}.{field} added", section=PACKAGE, why="nothing that worked stops working"),
    R(
        "enum-member-removed",
        "enum-member-removed",
        BOTH,
        BREAKING,
        "enum member {cls}.{member} removed",
        section=PACKAGE,
        why="code naming it fails",
    ),
    R(
        "enum-member-renamed",
        "enum-member-renamed",
        BOTH,
        BREAKING,
        "enum member {cls}.{old} renamed to {new}",
        section=PACKAGE,
        why="code naming the old member fails",
    ),
    R(
        "enum-member-added",
        "enum-member-added",
        BOTH,
        INFO,
        "enum member {cls}.{member} added",
        section=PACKAGE,
        why="nothing that worked stops working",
    ),
    R("method-removed", "method-removed", BOTH, BREAKING, "client method {method} removed", section=PACKAGE, why="code calling it fails"),
    R(
        "method-renamed",
        "method-renamed",
        BOTH,
        BREAKING,
        "client method {old} renamed to {new}",
        section=PACKAGE,
        why="code calling the old name fails",
    ),
    R("method-added", "method-added", BOTH, INFO, "client method {method} added", section=PACKAGE, why="nothing that worked stops working"),
    R(
        "method-argument-removed",
        "method-argument-removed",
        BOTH,
        BREAKING,
        "argument {argument} of {method} removed",
        section=PACKAGE,
        why="calls passing it fail",
    ),
    R(
        "method-argument-renamed",
        "method-argument-renamed",
        BOTH,
        BREAKING,
        "argument {old} of {method} renamed to {new}",
        section=PACKAGE,
        why="calls passing the old keyword fail",
    ),
    R(
        "method-required-argument-added",
        "method-argument-added",
        BOTH,
        BREAKING,
        "required argument {argument} added to {method}",
        {"required": True},
        section=PACKAGE,
        why="calls without it fail",
    ),
    R(
        "method-optional-argument-added",
        "method-argument-added",
        BOTH,
        INFO,
        "optional argument {argument} added to {method}",
        {"required": False},
        section=PACKAGE,
        why="calls without it still work",
    ),
)


def rule_for(change: Change) -> Rule:
    """The one rule that judges ``change``."""
    matching = [rule for rule in RULES if rule.applies_to(change)]
    if len(matching) != 1:
        raise LookupError(f"{len(matching)} rules apply to a {change.kind} change ({change.direction}): {[r.id for r in matching]}")
    return matching[0]
