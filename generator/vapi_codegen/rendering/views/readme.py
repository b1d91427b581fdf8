"""The API -> what the emitted project's ``README.md`` and ``REFERENCE.md`` print (Markdown and PyCode).

The README shows each feature with code that type-checks against the package (example calls from
``rendering.examples``); the reference lists every method with its parameters and return type, read
off the same views the resource modules are printed from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from vapi_codegen.model import ir
from vapi_codegen.rendering.examples import example_call
from vapi_codegen.rendering.markdown import Markdown, markdown_code, markdown_text
from vapi_codegen.rendering.pycode import PyCode, code, identifier
from vapi_codegen.rendering.views.resources import ResourceModule, body_text


@dataclass
class GroupView:
    attribute: PyCode
    tag: Markdown
    sync: PyCode
    async_: PyCode
    calls: list[PyCode]  # example calls of the group's operations


@dataclass
class ProjectReadme:
    title: Markdown
    description: Markdown | None
    source: Markdown
    version: Markdown
    package: PyCode
    distribution: Markdown
    credentials: list[Markdown]  # how each constructor credential is sent, one sentence each
    base_url: Markdown | None
    client_args: PyCode  # what the examples construct a client with
    mock_client_args: PyCode  # the credentials a client of the README's mock passes (each followed by ", ")
    groups: list[GroupView] = field(default_factory=list)
    call: PyCode | None = None  # one operation's example call, shown with errors, options, async
    options_call: PyCode | None = None  # the same with per-call options
    raw_call: PyCode | None = None
    paged_call: PyCode | None = None
    has_mock: bool = False
    secured: bool = False
    has_webhooks: bool = False


@dataclass
class MethodReference:
    title: Markdown  # ``client.group.method``
    http: Markdown
    summary: Markdown | None
    signature: PyCode
    arguments: list[tuple[Markdown, Markdown]]  # (name, description)
    body: Markdown | None  # what the body is ("Body fields (* required):"), then ``body_items``
    body_items: list[Markdown]


@dataclass
class GroupReference:
    attribute: PyCode
    tag: Markdown
    classes: Markdown
    methods: list[MethodReference] = field(default_factory=list)


@dataclass
class ProjectReference:
    title: Markdown
    package: PyCode
    groups: list[GroupReference] = field(default_factory=list)


def build_project_readme(api: ir.Api, package: str, distribution: str) -> ProjectReadme:
    """The README's facts and examples: one per group of operations, and one call reused by the
    sections on errors, options, async use and raw responses."""
    servers = [url for url in api.servers if url.startswith(("http://", "https://"))]
    description = (api.description or "").strip().split("\n\n")[0]
    view = ProjectReadme(
        title=markdown_text(api.title),
        description=markdown_text(description) if description else None,
        source=markdown_code(api.source_name),
        version=markdown_code(api.version or "unversioned"),
        package=identifier(package),
        distribution=Markdown(distribution),
        credentials=[_credential_text(scheme, c) for scheme in api.security_schemes for c in scheme.credentials],
        base_url=markdown_code(servers[0]) if servers else None,
        client_args=PyCode(", ".join(_client_arguments(api, bool(servers)))),
        mock_client_args=PyCode("".join(keyword + ", " for keyword in _credential_keywords(api, "sk-test"))),
        has_mock=bool(api.resources),
        secured=any(op.secured for op in api.operations),
        has_webhooks=bool(api.webhooks),
    )
    declarations = api.declarations
    for group, operations in api.operations_by_group().items():
        classes = api.resource_classes[group]
        calls = [call for call in (example_call(op, declarations) for op in _showcase(operations)) if call is not None]
        view.groups.append(
            GroupView(identifier(group), markdown_text(operations[0].tag), identifier(classes.sync), identifier(classes.async_), calls)
        )
    plain = [op for op in api.operations if op.pagination is None and example_call(op, declarations) is not None]
    chosen = min(plain, key=lambda op: (op.body is not None, op.method is not ir.HttpMethod.GET), default=None)
    view.call = example_call(chosen, declarations) if chosen is not None else None
    if chosen is not None and view.call is not None:
        view.raw_call = example_call(chosen, declarations, raw=True)
        options = PyCode('options={"timeout": 5.0, "max_retries": 0, "headers": {"X-Trace": "1"}})')
        view.options_call = code(view.call[:-1], "" if view.call.endswith("()") else ", ", options)
    paged = next((op for op in api.operations if op.pagination is not None and example_call(op, declarations)), None)
    view.paged_call = example_call(paged, declarations) if paged is not None else None
    return view


def _client_arguments(api: ir.Api, has_server: bool) -> list[str]:
    """The examples' client keywords: a placeholder per credential, a base URL when the spec has none."""
    return _credential_keywords(api, "sk-...") + ([] if has_server else ['base_url="https://api.example.com"'])


def _credential_keywords(api: ir.Api, value: str) -> list[str]:
    """``token="<value>"``: each constructor credential of the clients, given ``value``."""
    return [f'{c.name}="{value}"' for scheme in api.security_schemes for c in scheme.credentials]


_SENT_AS = {
    ir.SecuritySchemeKind.HTTP_BEARER: "is sent as `Authorization: Bearer <token>`",
    ir.SecuritySchemeKind.HTTP_BASIC: "is sent with HTTP basic authentication",
    ir.SecuritySchemeKind.OAUTH2_CLIENT_CREDENTIALS: "is exchanged for a bearer token (OAuth2 client credentials)",
}


def _credential_text(scheme: ir.SecurityScheme, credential: ir.Credential) -> Markdown:
    """``token`` is sent as ...: one sentence per constructor credential."""
    if scheme.kind is ir.SecuritySchemeKind.API_KEY and scheme.parameter_name and scheme.location:
        sent = f"is sent in the {scheme.location.value} {markdown_code(scheme.parameter_name)}"
    else:
        sent = _SENT_AS.get(scheme.kind, "is not sent by this client (the scheme is not supported)")
    variable = f"; it is read from {markdown_code(credential.env_var)} when not passed" if credential.env_var else ""
    return Markdown(f"{markdown_code(credential.name)} {sent}{variable}.")


def _showcase(operations: list[ir.Operation]) -> list[ir.Operation]:
    """A group's operations worth an example: the first that sends a body, the first that reads."""
    with_body = next((op for op in operations if op.body is not None), None)
    reading = next((op for op in operations if op.body is None and op.method is ir.HttpMethod.GET), None)
    return [op for op in (with_body, reading) if op is not None]


def build_project_reference(api: ir.Api, package: str, resources: list[ResourceModule]) -> ProjectReference:
    """Every method of every resource: signature, HTTP request, arguments and body fields."""
    reference = ProjectReference(markdown_text(api.title), identifier(package))
    for resource, (group, operations) in zip(resources, api.operations_by_group().items(), strict=True):
        classes = api.resource_classes[group]
        entry = GroupReference(
            identifier(group),
            markdown_text(operations[0].tag),
            Markdown(f"{markdown_code(classes.sync)}, {markdown_code(classes.async_)}"),
        )
        for method in resource.methods:
            operation = method.operation
            returns = code("SyncPage[", method.returns, "]") if method.paged else method.returns
            parameters = "".join(f"\n    {parameter}," for parameter in ["self", *method.parameters])
            signature = PyCode(code("def ", method.name, "(", parameters, "\n) -> ", returns).replace("_rt.", ""))
            described = [p for p in operation.parameters if p.description]
            body = body_text(operation.body.type, api.declarations).split("\n") if operation.body is not None else [""]
            entry.methods.append(
                MethodReference(
                    title=markdown_code(f"client.{group}.{method.name}"),
                    http=markdown_code(f"{operation.method.upper()} {operation.path}"),
                    summary=markdown_text(operation.summary) if operation.summary else None,
                    signature=signature,
                    arguments=[(markdown_code(p.name), markdown_text(p.description or "")) for p in described],
                    body=markdown_text(body[0]) if body[0] else None,
                    body_items=[markdown_text(line) for line in body[1:]],
                )
            )
        reference.groups.append(entry)
    return reference
