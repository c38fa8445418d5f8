"""The public feed's own documents: a JSON Schema per public event and version, and one AsyncAPI 3
document for the feed alone (contracts/public/, written by `python -m shared.contracts`)."""

from __future__ import annotations

import json

import yaml
from faststream.nats import NatsBroker
from faststream.specification import AsyncAPI

from shared.events.public.contracts import PUBLIC_EVENTS, PublicEvent
from shared.events.public.envelope import PUBLIC_ROOT, envelope_model


class PublishedSchemaChanged(Exception):
    """A public schema already given to agencies differs from the code: it needs a new version."""


def schema_file_name(event: type[PublicEvent]) -> str:
    return f"{event.name}.v{event.version}.json"


def public_schemas() -> dict[str, str]:
    return {
        schema_file_name(event): json.dumps(envelope_model(event).model_json_schema(), indent=2, ensure_ascii=False)
        + "\n"
        for event in PUBLIC_EVENTS.values()
    }


def public_asyncapi() -> str:
    broker = NatsBroker("nats://nats:4222")
    for event in PUBLIC_EVENTS.values():
        subject = f"{PUBLIC_ROOT}.{{tenant}}.{event.name.replace('.', '_')}"
        broker.publisher(
            subject, title=f"{event.name} v{event.version}", description=event.__doc__, schema=envelope_model(event)
        )
    document = AsyncAPI(
        broker,
        title="Vidcon — public feed for other agencies",
        version="1",
        schema_version="3.0.0",
        description="Stream VIDCON_PUBLIC in the agencies' account: facts about the video "
        "conference service, never personal data (docs/public-feed.md).",
    )
    content = yaml.safe_load(document.to_specification().to_yaml())
    return yaml.safe_dump(content, sort_keys=True, allow_unicode=True)


def refuse_changed(published: dict[str, str], generated: dict[str, str]) -> None:
    """Raise when a schema the agencies already have (`published`, by file name) would change."""
    changed = sorted(name for name, text in generated.items() if name in published and published[name] != text)
    if changed:
        raise PublishedSchemaChanged(
            f"public schemas changed: {', '.join(changed)}; a published version never changes: add the next "
            "version of the event (a new model with version = n + 1) and map to it"
        )
